"""The XML namespace URIs of podcast feeds, in one place for every layer (render, lint,
feeds, source). Constants only."""

from __future__ import annotations

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
#: The Podcasting 2.0 namespace (https://podcastindex.org/namespace/1.0).
PODCAST = "https://podcastindex.org/namespace/1.0"
#: The URI early Podcasting 2.0 feeds declared; read, never written.
PODCAST_LEGACY = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
ATOM = "http://www.w3.org/2005/Atom"
SPOTIFY = "http://www.spotify.com/ns/rss"
#: Podlove Simple Chapters (https://podlove.org/simple-chapters/).
PSC = "http://podlove.org/simple-chapters"

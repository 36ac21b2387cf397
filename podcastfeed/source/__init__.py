"""feed.toml and episode files: config.py (the show) and buildtable.py ([build]), discovery.py
and reading.py (finding and reading every episode), episodes.py, yamlload.py, fields.py,
episode_tags.py (front matter), shownotes.py (Markdown and HTML notes), chapters, categories,
and the local files an episode names."""

#: The show's config file; here, not in config.py, so the CLI can name it without loading it.
CONFIG_NAME = "feed.toml"

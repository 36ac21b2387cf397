"""Pure: the feed's XML (feed.py, namespaces.py, podcast_ns.py) and the show page (page.py)."""

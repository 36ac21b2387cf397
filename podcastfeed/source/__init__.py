"""source."""

#: The show's config file; here, not in config.py, so the CLI can name it without loading it.
CONFIG_NAME = "feed.toml"

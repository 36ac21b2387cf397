"""`python -m podcastfeed`."""

from podcastfeed.cli import app

app(prog_name="podcastfeed")

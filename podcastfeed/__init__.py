"""podcastfeed: episode files and their audio in, a correct podcast RSS feed out."""

__version__ = "0.1.0"

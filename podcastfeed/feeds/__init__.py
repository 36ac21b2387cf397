"""Other feeds: the safe XML parser (xml.py), podcastfeed import (importer.py reads,
import_write.py writes the show), podcastfeed diff (diff.py).
"""

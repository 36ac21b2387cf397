"""Audio and artwork: local probes (audio.py, mp3scan.py), remote probes by Range reads
(remote.py, rangefile.py), probing a show's audio with the lock and cache (probing.py),
artwork facts (artwork.py).
"""

"""What the build's caches are keyed by: podcastfeed's version and its own source files.

A cache made by other code must not be trusted: a no-op rebuild would replay the warnings and
outputs of the code that made it. The version alone does not say so in a checkout being edited
(an editable install keeps one version across every change), so the key also holds the size
and modification time of every file of the package (about 120 stats, well under a
millisecond; no file is read). An installed package's files do not change, so its key is
stable; upgrading it changes the key.
"""

from __future__ import annotations

import functools
import hashlib
import os

from podcastfeed import __version__

#: The package's own files whose change changes what a build makes.
_SUFFIXES = (".py", ".html", ".css", ".js", ".xml", ".json", ".toml", ".txt", ".xsl")


@functools.cache
def code_key(root: str = os.path.dirname(os.path.abspath(__file__))) -> str:
    """`0.1.0+<digest>`: the version and the identity (path under root, size, mtime) of the
    package's files, outside `__pycache__`."""
    found: list[str] = []
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    folders.append(entry.path)
            elif entry.name.endswith(_SUFFIXES):
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                name = os.path.relpath(entry.path, root)
                found.append(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}")
    digest = hashlib.blake2b(digest_size=10)
    for line in sorted(found):
        digest.update(line.encode("utf-8", "surrogateescape") + b"\n")
    return f"{__version__}+{digest.hexdigest()}"

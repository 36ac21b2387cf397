"""The naive baseline: python-frontmatter + feedgen's podcast extension, nothing else.

No Markdown rendering, no sanitizing, no validation, no cache, no audio probing (the duration
is a fixed value). Drafts are skipped. This is the floor a "just glue two libraries" script sets.

    python bench/naive.py bench/out/corpus-1000 /tmp/naive.xml
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

import frontmatter
from feedgen.feed import FeedGenerator

FIXED_DURATION = "00:30:00"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: naive.py SHOW_DIR OUT_FILE", file=sys.stderr)
        return 2
    show_dir, out_file = Path(argv[0]), Path(argv[1])
    show = tomllib.loads((show_dir / "feed.toml").read_text(encoding="utf-8"))["show"]
    episodes_dir = show_dir / "episodes"

    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.title(show["title"])
    fg.link(href=show["link"])
    fg.description(show["description"])

    count = 0
    for path in sorted(episodes_dir.glob("*.md")):
        post = frontmatter.load(path)
        if post.get("status") == "draft":
            continue
        audio = post["audio"]
        entry = fg.add_entry()
        entry.title(post["title"])
        entry.link(href=show["link"] + post["permalink"])
        entry.description(post.content)
        entry.guid(post["permalink"])
        entry.pubDate(post["date"])
        entry.enclosure(
            show["audio_base_url"] + audio,
            str(os.path.getsize(episodes_dir / audio)),
            "audio/mpeg",
        )
        entry.podcast.itunes_duration(FIXED_DURATION)
        count += 1

    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_bytes(fg.rss_str(pretty=True))
    print(f"naive: wrote {out_file}: {count} episodes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Write a synthetic show folder for the benchmark: feed.toml plus N episode files.

Episodes use the seed's WordPress-to-Jekyll front matter; bodies are 3-60 KB of show notes
(log-uniform), HTML blocks like the seed's followed by a Markdown transcript. Each episode's
audio is its own hard link to one of the sample show's three audio files, so every enclosure
URL is distinct while the corpus stores only three files' worth of audio.

    python bench/make_corpus.py 1000 bench/out/corpus-1000 --seed 1

The same N and seed always give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_AUDIO = ROOT / "episodes" / "audio"
AUDIO_SOURCES = ("platform-engineering.mp3", "developer experience.mp3", "code-reviews.m4a")

MIN_KB, MAX_KB = 3.0, 60.0
DRAFT_SHARE = 0.03
FIRST_DATE = datetime(2010, 1, 1, tzinfo=UTC)
LAST_DATE = datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)

FEED_TOML = """\
# A synthetic show written by bench/make_corpus.py (N={n}, seed={seed}).

[show]
title = "Benchmark Show (N={n})"
description = "A synthetic show for the podcastfeed benchmark: {n} episode files, seed format."
link = "https://example.org"
feed_url = "https://example.org/feed.xml"
language = "en"
author = "Michaela Greiler"
owner = {{ name = "Michaela Greiler", email = "podcast@example.org" }}
image = "https://example.org/cover.jpg"
categories = ["Technology", "Business > Careers"]
explicit = false
type = "episodic"
audio_base_url = "https://cdn.example.org/media/"
copyright = "© 2025 Example Podcasts"
timezone = "Europe/Vienna"

[build]
episodes = "episodes"
output = "public/feed.xml"
"""

_WORD_TEXT = (
    "platform engineering developer experience code review team productivity deployment "
    "pipeline service ownership on-call incident postmortem latency throughput metrics "
    "feedback onboarding documentation testing refactoring architecture microservices "
    "monolith kubernetes cloud infrastructure self-service golden path backlog roadmap "
    "product manager engineer staff principal mentoring hiring interview culture trust "
    "psychological safety burnout focus flow interruptions meetings async remote hybrid "
    "release cadence trunk branch merge conflict reviewer author comment approval nit "
    "security compliance observability logging tracing dashboards SLO error budget "
    "migration legacy rewrite technical debt velocity estimate sprint retrospective "
    "the a an and or but so because when while if then that this these those we you they "
    "it is are was were be been have has had do does did can could should would will "
    "really actually basically just very quite often sometimes always never maybe "
    "about with without into from over under between across through around for of to in on "
    "think know see say mean want need try build ship learn measure improve change grow"
)
WORDS = tuple(_WORD_TEXT.split())
NAMES = (
    "Luca Galante", "Nicole Forsgren", "Abi Noda", "Margaret-Anne Storey", "Dr. Titus Barik",
    "Jessica Kerr", "Charity Majors", "Kelsey Hightower", "Gergely Orosz", "Laura Tacho",
    "Adam Tornhill", "Chelsea Troy", "Andrea Goulet", "Rene Schönfelder", "Zoë Müller",
    "José García", "Siân O'Brien", "Björn Åkesson",
)  # fmt: skip
CATEGORIES = (
    "DevOps", "Productivity", "Code review", "Career", "Leadership", "Testing", "Architecture",
    "Developer Experience", "Remote work", "Security", "AI & ML", "Open Source",
)  # fmt: skip
TAGS = (
    "teams", "feedback", "metrics", "SPACE", "DORA", "platform", "onboarding", "hiring",
    "kubernetes", "C++", "rust", "python", "burnout", "flow", "async", "interviews",
)  # fmt: skip
TITLE_ENDINGS = ("", "", ": a conversation", " & more", "?")
_VIDEO_ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
# The seed's iframe, broken quotes included.
_IFRAME_ATTRS = (
    'title="YouTube video player" rel=0"  frameborder="0" allowfullscreen="allowfullscreen '
    'allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; '
    'picture-in-picture" allowfullscreen'
)
_CARD_CLASS = (
    "row g-0 border rounded overflow-hidden flex-md-row mb-4 shadow-sm h-md-250 position-relative"
)
DOMAINS = (
    "platformengineering.org", "humanitec.com", "queue.acm.org", "www.youtube.com",
    "www.linkedin.com", "twitter.com", "github.com", "awesomecodereviews.com",
    "www.software-engineering-unlocked.com", "en.wikipedia.org", "martinfowler.com",
)  # fmt: skip


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


class _Text:
    """Deterministic filler: sentences drawn from a pool built once per corpus."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = [self._sentence() for _ in range(4000)]

    def _sentence(self) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(6, 26))
        text = " ".join(words)
        text = text[0].upper() + text[1:]
        if self.rng.random() < 0.08:
            text += ", R&D style"
        if self.rng.random() < 0.05:
            text += " — “quoted”, isn’t it"
        return text + self.rng.choice(".....?!")

    def sentences(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(self.pool, k=self.rng.randint(low, high)))

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(low, high)))

    def url(self) -> str:
        slug = "-".join(self.rng.choices(WORDS, k=self.rng.randint(1, 4)))
        return f"https://{self.rng.choice(DOMAINS)}/{slug}/"


def _html_about(t: _Text, rng: random.Random) -> str:
    items = "\n".join(f"        <li>{t.words(3, 9)}</li>" for _ in range(rng.randint(3, 6)))
    video = "".join(rng.choices(_VIDEO_ID_CHARS, k=11))
    return f"""<div class="episode-about">
{t.sentences(1, 3)}  
    <br/> <br/> 
    <div class="video-container">
<iframe class="video" src="https://www.youtube-nocookie.com/embed/{video}" {_IFRAME_ATTRS}></iframe>
</div>
    <br/>
    We also talk about:
    <ul>
{items}
    </ul>
</div>
<br/><br/>
"""  # noqa: W291 - trailing spaces as in the seed (a Markdown hard break)


def _html_sponsor(t: _Text) -> str:
    return f"""<div class="sponsorship">
{t.words(4, 10)} <a href="{t.url()}" target="_blank" rel="noopener noreferrer">{t.words(1, 3)}</a>!
</div> 
<br/><br/>
"""  # noqa: W291 - as in the seed


def _html_links(t: _Text, rng: random.Random) -> str:
    links = []
    for _ in range(rng.randint(3, 9)):
        attrs = ' target="_blank" rel="noopener noreferrer"' if rng.random() < 0.8 else " "
        links.append(f'<a href="{t.url()}"{attrs}>{t.words(2, 7)}</a></br>')
    head = '<div class=" episode-links">\n<b>Episode Resources:</b><br/>\n'
    return head + "\n".join(links) + "\n</div>\n\n"


def _html_guest(t: _Text, name: str) -> str:
    image = name.lower().replace(" ", "_").replace(".", "") + ".jpeg"
    return f"""<div class="row pt-2 align-items-center">
    <div class="col-4 guest-picture">
    <img src="{image}" alt="{name}"/>
    </div>
    <div class="col-8 guest-about">
    <b>About {name}</b><br/>
    {t.sentences(2, 5)}
    </div>
</div>
<br/><br/>
"""


def _html_others(t: _Text, rng: random.Random) -> str:
    cards = []
    for _ in range(rng.randint(1, 3)):
        uid = "-".join(f"{rng.getrandbits(32):08x}" for _ in range(4))
        cards.append(f"""<div class="row-md-6">
      <div class="{_CARD_CLASS}">
          <div class="col p-4 d-flex flex-column position-static">
            <a href="{t.url()}"><h4 class="mb-0">{t.words(3, 8)}</h3></a>
  <audio controls preload="none">
               <source src="https://cdn.simplecast.com/audio/{uid}/default_tc.mp3" />
              </audio>
          </div>
        </div>
      </div>""")
    head = "<div>\n  <h2>Other episodes you'll enjoy</h2>\n"
    return head + "\n".join(cards) + "\n</div>\n<br/>\n\n"


def _markdown_block(t: _Text, rng: random.Random, guest: str) -> str:
    kind = rng.random()
    if kind < 0.08:
        items = range(rng.randint(2, 6))
        return "\n".join(f"- {t.words(3, 10)} ([link]({t.url()}))" for _ in items)
    if kind < 0.12:
        items = range(1, rng.randint(3, 6))
        return "\n".join(f"{i}. **{t.words(1, 4)}**: {t.words(4, 12)}" for i in items)
    if kind < 0.15:
        return f"> {t.sentences(1, 2)}"
    if kind < 0.17:
        return f"### {t.words(2, 6)}"
    speaker = rng.choice(("**Michaela:**", f"**{guest}:**", "**[00:{:02d}:{:02d}] Michaela:**"))
    if "{" in speaker:
        speaker = speaker.format(rng.randint(0, 59), rng.randint(0, 59))
    text = t.sentences(1, 7)
    if rng.random() < 0.25:
        words = text.split(" ")
        at = rng.randrange(len(words))
        words[at] = f"[{words[at]}]({t.url()})"
        text = " ".join(words)
    if rng.random() < 0.15:
        text += f" *{t.words(1, 3)}* and `{rng.choice(WORDS)}()`."
    return f"{speaker} {text}"


def make_body(rng: random.Random, t: _Text, target: int, title: str, guest: str) -> str:
    """Show notes of about `target` bytes: the seed's HTML blocks, then a Markdown transcript."""
    blocks = [
        _html_about(t, rng), _html_sponsor(t), _html_links(t, rng), _html_guest(t, guest),
        _html_sponsor(t), _html_others(t, rng),
    ]  # fmt: skip
    parts: list[str] = []
    size = 0
    for block in blocks:
        if size + len(block.encode()) > target and parts:
            break
        parts.append(block)
        size += len(block.encode())
    parts.append(f'## Read the whole episode "{title}" (Transcript)\n\n')
    size += len(parts[-1].encode())
    while size < target:
        block = _markdown_block(t, rng, guest) + "\n\n"
        parts.append(block)
        size += len(block.encode())
    return "".join(parts)


def link_audio(source: Path, target: Path) -> str:
    """Hard link (no extra disk); a symlink, then a copy, where hard links are not possible."""
    try:
        os.link(source, target)
        return "hard link"
    except OSError:
        pass
    try:
        target.symlink_to(source)
        return "symlink"
    except OSError:
        shutil.copyfile(source, target)
        return "copy"


def make_corpus(n: int, out: Path, seed: int = 1) -> dict[str, object]:
    """Write the show folder; returns the facts run.py and the README need."""
    rng = random.Random(seed)
    t = _Text(rng)
    if out.exists():
        if any(out.iterdir()) and not (out / "corpus.json").exists():
            raise SystemExit(f"{out} exists and is not a corpus folder; not overwriting it")
        shutil.rmtree(out)
    episodes = out / "episodes"
    audio_dir = episodes / "audio"
    shared = audio_dir / "_shared"
    shared.mkdir(parents=True)
    for name in AUDIO_SOURCES:
        shutil.copyfile(SAMPLE_AUDIO / name, shared / name)
    (out / "feed.toml").write_text(FEED_TOML.format(n=n, seed=seed), encoding="utf-8")

    span = int((LAST_DATE - FIRST_DATE).total_seconds())
    offsets = sorted(rng.sample(range(span), n))  # distinct instants, chronological
    sizes: list[int] = []
    drafts = 0
    link_kind = ""
    width = max(5, len(str(n)))
    for index, offset in enumerate(offsets, start=1):
        date = FIRST_DATE + timedelta(seconds=offset)
        number = f"{index:0{width}d}"
        topic = t.words(2, 6)
        title = topic[0].upper() + topic[1:] + rng.choice(TITLE_ENDINGS)
        guest = rng.choice(NAMES)
        slug = "-".join(topic.split()[:4]) + f"-{number}"
        is_draft = rng.random() < DRAFT_SHARE
        drafts += is_draft
        target = round(1024 * math.exp(rng.uniform(math.log(MIN_KB), math.log(MAX_KB))))
        body = make_body(rng, t, target, title, guest)
        categories = rng.sample(CATEGORIES, rng.randint(1, 3))
        lines = [
            "---",
            f"title: {_q(title)}",
            f'date: "{date.strftime("%Y-%m-%dT%H:%M:%S")}+00:00"',
            f"status: {'draft' if is_draft else 'publish'}",
            f"permalink: /{slug}",
            "author: michaela",
            f"excerpt: {_q(guest + ' shares ' + t.words(5, 20) + '.')}",
            "type: post",
            f"thumbnail: {guest.lower().replace(' ', '_').replace('.', '')}.jpeg",
            f"thumbnail_alt: {_q('Picture of ' + guest)}",
            f"category: {json.dumps(categories, ensure_ascii=False)}",
            f"tag: {json.dumps(rng.sample(TAGS, rng.choice((0, 0, 1, 2, 3))))}",
            "post_format: []",
        ]
        source = AUDIO_SOURCES[index % len(AUDIO_SOURCES)]
        if not is_draft or rng.random() < 0.5:  # like the sample, some drafts have no audio yet
            audio_name = f"ep-{number}{Path(source).suffix}"
            link_kind = link_audio(shared / source, audio_dir / audio_name)
            lines.append(f"audio: audio/{audio_name}")
        lines.append("---")
        text = "\n".join(lines) + "\n\n" + body
        path = episodes / f"{date:%Y-%m-%d}-{slug}.md"
        path.write_text(text, encoding="utf-8")
        sizes.append(len(body.encode()))

    files = sorted(episodes.glob("*.md"))
    facts: dict[str, object] = {
        "n": n,
        "seed": seed,
        "published": n - drafts,
        "drafts": drafts,
        "episode_bytes": sum(p.stat().st_size for p in files),
        "body_bytes_total": sum(sizes),
        "body_bytes_min": min(sizes),
        "body_bytes_median": sorted(sizes)[len(sizes) // 2],
        "body_bytes_mean": round(sum(sizes) / len(sizes)),
        "body_bytes_max": max(sizes),
        "audio_links": link_kind,
        "first_date": f"{FIRST_DATE + timedelta(seconds=offsets[0]):%Y-%m-%d}",
        "last_date": f"{FIRST_DATE + timedelta(seconds=offsets[-1]):%Y-%m-%d}",
    }
    (out / "corpus.json").write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
    return facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of episode files")
    parser.add_argument("out", type=Path, help="show folder to (re)create")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    facts = make_corpus(args.n, args.out, args.seed)
    print(json.dumps(facts, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

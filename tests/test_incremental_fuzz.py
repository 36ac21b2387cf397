"""Differential fuzz of the incremental build (issue 18): after each of a seeded random sequence
of user actions, `build --check` exits 1 exactly when the outputs on disk (feed, pages, assets,
lock; not the manifest, the build's own note) differ from what a from-scratch build writes
(`--no-cache`, a copy of the show without its outputs and cache, the same lock), and a normal
`build` (through the no-op record, the outputs record and the build cache; now and then a
`--no-cache` one into the outputs) leaves exactly those outputs. Each action is a small
function below; a failure names the seed, the actions so far (`|`: a build) and the files that
differ, with the first lines of each difference.

Inputs an action touches are aged (their times set into the past, before the last build)
most of the time, so that the shortcuts that trust file identities are taken; the rest of the
time they are left new (the same-second case skip.RACY_NS distrusts). Hunting: run_fuzz with
other seeds and more steps."""

from __future__ import annotations

import difflib
import os
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import DATA, SHOW_TOML
from images import make_image
from typer.testing import CliRunner

from podcastfeed.cli import app

runner = CliRunner()
SEEDS = (1, 2, 3, 4)
STEPS = 16  # actions per seed
AUDIO = ("sine-3s-cbr.mp3", "with-cover.mp3", "sine-13s-vbr-noxing.mp3")
#: Every episode name the fuzz may use: each build may drop or change any of them.
ALLOW = [arg for n in range(80) for arg in ("--allow-changes", f"e{n:02d}")]
ALLOW += ["--allow-changes", "linked"]
INDEX = '{% include "_part.html" %}{% for e in episodes %}<li>{{ e.title }}</li>{% endfor %}\n'
EPISODE_BLOCK = "<h{{ level }}>{{ e.title }}</h{{ level }}> {{ e.date }} {{ show.image }}\n"
VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\n{}\n"
MANIFEST = "public/.podcastfeed-manifest"
CHAPTERS = '{{"version": "1.2.0", "chapters": [{{"startTime": 0, "title": "{}"}}]}}'


@dataclass
class Ep:
    stem: str
    folder: str  # "" or a subfolder of episodes/ ("season/")
    day: int
    body: str
    title: str = ""
    draft: bool = False
    future: bool = False
    image: str | None = None  # a file in the show's folder (outside episodes/)

    def text(self) -> str:
        date = f"2099-01-{self.day:02d}" if self.future else f"2024-01-{self.day:02d}"
        lines = [f"title: {self.title or self.stem}", f"date: {date}"]
        lines.append(f"audio: episodes/audio/{self.stem}.mp3")
        if self.draft:
            lines.append("status: draft")
        if self.image:
            lines.append(f"image: {self.image}")
        return "---\n" + "\n".join(lines) + "\n---\n\n" + self.body + "\n"


@dataclass
class Show:
    root: Path
    rng: random.Random
    eps: dict[str, Ep] = field(default_factory=dict)
    count: int = 0
    description: str = "A show for tests."
    spaces: int = 0
    ignore: bool = False
    pages: bool = True
    log: list[str] = field(default_factory=list)

    @property
    def episodes(self) -> Path:
        return self.root / "episodes"

    def path(self, ep: Ep) -> Path:
        return self.episodes / ep.folder / f"{ep.stem}.md"

    def write(self, ep: Ep) -> Path:
        path = self.path(ep)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ep.text(), encoding="utf-8")
        return path

    def config(self) -> None:
        text = SHOW_TOML.replace("A show for tests.", self.description)
        text = text.replace('"https://example.org/cover.jpg"', '"cover.jpg"')
        text += '\n[build]\ntemplates = "templates"\n' + " " * self.spaces
        if not self.pages:
            text += "pages = false\n"
        if self.ignore:
            text += '\n[check]\nignore = ["apple/enclosure-type"]\n'
        (self.root / "feed.toml").write_text(text, encoding="utf-8")

    def new_episode(self) -> Ep:
        n = self.count
        self.count += 1
        ep = Ep(f"e{n:02d}", "", 1 + n % 28, f"Notes for episode {n}. " + "abcdef" * (n % 3))
        if n % 4 == 3:
            ep.body += f"\n\n## Transcript\n\n[00:00] Kevin: Hello {n}."
        shutil.copyfile(
            DATA / "audio" / AUDIO[n % len(AUDIO)], self.episodes / "audio" / f"{ep.stem}.mp3"
        )
        if n % 4 == 1:
            (self.episodes / f"{ep.stem}.vtt").write_text(VTT.format(f"Hi {n}"), "utf-8")
        if n % 5 == 2:
            (self.episodes / f"{ep.stem}.chapters.json").write_text(CHAPTERS.format(n), "utf-8")
        if n % 3 == 0:
            ep.image = f"art-{n % 2}.jpg"
        self.eps[ep.stem] = ep
        self.write(ep)
        return ep

    def pick(self, where: Callable[[Ep], bool] = lambda ep: True) -> Ep | None:
        found = [ep for ep in self.eps.values() if where(ep)]
        return self.rng.choice(found) if found else None

    def published(self) -> int:
        return sum(not (ep.draft or ep.future) for ep in self.eps.values())


def _make(root: Path, rng: random.Random) -> Show:
    show = Show(root, rng)
    (root / "episodes" / "audio").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "templates" / "index.html").write_text(INDEX, encoding="utf-8")
    (root / "templates" / "_part.html").write_text("<h1>Part one</h1>\n", encoding="utf-8")
    for n in range(2):
        make_image(root / f"art-{n}.jpg", (1400, 1400), color=(40 * n, 90, 200))
    make_image(root / "cover.jpg", (1400, 1400), color=(10, 10, 10))
    show.config()
    for _ in range(rng.randint(5, 10)):
        show.new_episode()
    media = root / "media"  # the targets of the linked episode and its audio
    media.mkdir()
    (media / "one.md").write_text(_linked("One"), encoding="utf-8")
    (media / "two.md").write_text(_linked("Two"), encoding="utf-8")
    shutil.copyfile(DATA / "audio" / "sine-3s-cbr.mp3", media / "one.mp3")
    shutil.copyfile(DATA / "audio" / "with-cover.mp3", media / "two.mp3")
    os.symlink("../media/one.md", root / "episodes" / "linked.md")
    os.symlink("../../media/one.mp3", root / "episodes" / "audio" / "linked.mp3")
    return show


def _linked(title: str) -> str:
    return f"---\ntitle: {title}\ndate: 2024-02-01\naudio: episodes/audio/linked.mp3\n---\n\nL.\n"


# The actions: each changes the show as a user would and says what it did (None: not possible
# now).


def edit_body(show: Show) -> str | None:
    ep = show.pick()
    if ep is None:
        return None
    ep.body += f" More {show.rng.randint(0, 99)}."
    show.write(ep)
    return f"edit body of {ep.stem}"


def edit_title(show: Show) -> str | None:
    ep = show.pick()
    if ep is None:
        return None
    ep.title = f"Title {show.rng.randint(0, 999)}"
    show.write(ep)
    return f"edit title of {ep.stem} to {ep.title!r}"


def edit_same_size_old_mtime(show: Show) -> str | None:
    """One letter of the notes changed: same size, the mtime set back (only the ctime tells)."""
    ep = show.pick(lambda ep: "N" in ep.body)
    if ep is None:
        return None
    path = show.path(ep)
    before = path.stat()
    ep.body = ep.body.replace("N", "M", 1)
    show.write(ep)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return f"same-size edit of {ep.stem}, mtime set back"


def edit_old_mtime(show: Show) -> str | None:
    ep = show.pick()
    if ep is None:
        return None
    path = show.path(ep)
    before = path.stat()
    ep.title = f"Kept time {show.rng.randint(0, 999)}"
    show.write(ep)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return f"edit title of {ep.stem} to {ep.title!r}, mtime set back"


def add_episode(show: Show) -> str | None:
    if show.count >= 80:
        return None
    return f"add {show.new_episode().stem}"


def delete_episode(show: Show) -> str | None:
    ep = show.pick()
    if ep is None or show.published() <= 2:
        return None
    show.path(ep).unlink()
    del show.eps[ep.stem]
    return f"delete {ep.folder}{ep.stem}.md"


def rename_episode(show: Show) -> str | None:
    ep = show.pick(lambda ep: ep.folder == "")
    if ep is None or show.count >= 80:
        return None
    old = show.path(ep)
    new = f"e{show.count:02d}"
    show.count += 1
    os.replace(old, old.with_name(f"{new}.md"))
    os.replace(show.episodes / "audio" / f"{ep.stem}.mp3", show.episodes / "audio" / f"{new}.mp3")
    for suffix in (".vtt", ".chapters.json"):
        if (sibling := old.with_name(ep.stem + suffix)).exists():
            os.replace(sibling, old.with_name(new + suffix))
    del show.eps[ep.stem]
    ep.stem = new
    show.eps[new] = ep
    show.write(ep)  # its audio's new name
    return f"rename {old.stem}.md (and its audio and siblings) to {new}"


def move_to_subfolder(show: Show) -> str | None:
    ep = show.pick(lambda ep: ep.folder == "")
    if ep is None:
        return None
    old = show.path(ep)
    ep.folder = "season/"
    (show.episodes / "season").mkdir(exist_ok=True)
    os.replace(old, show.path(ep))
    return f"move {ep.stem}.md into season/"


def toggle_draft(show: Show) -> str | None:
    ep = show.pick()
    if ep is None or (not ep.draft and show.published() <= 2):
        return None
    ep.draft = not ep.draft
    show.write(ep)
    return f"{ep.stem} {'to draft' if ep.draft else 'published again'}"


def toggle_future(show: Show) -> str | None:
    ep = show.pick()
    if ep is None or (not ep.future and show.published() <= 2):
        return None
    ep.future = not ep.future
    show.write(ep)
    return f"{ep.stem} dated {'in 2099' if ep.future else 'back in 2024'}"


def _audio_of(show: Show) -> tuple[Ep, Path] | None:
    ep = show.pick()
    return None if ep is None else (ep, show.episodes / "audio" / f"{ep.stem}.mp3")


def replace_audio_copy(show: Show) -> str | None:
    if (found := _audio_of(show)) is None:
        return None
    ep, path = found
    fixture = show.rng.choice(AUDIO)
    shutil.copyfile(DATA / "audio" / fixture, path)
    return f"copy {fixture} over the audio of {ep.stem}"


def replace_audio_rename(show: Show) -> str | None:
    if (found := _audio_of(show)) is None:
        return None
    ep, path = found
    fixture = show.rng.choice(AUDIO)
    shutil.copyfile(DATA / "audio" / fixture, path.with_name("new.tmp"))
    os.replace(path.with_name("new.tmp"), path)
    return f"os.replace {fixture} onto the audio of {ep.stem}"


def replace_audio_same_size(show: Show) -> str | None:
    """The same size and the same mtime, another duration (the Info header's frame count)."""
    if (found := _audio_of(show)) is None:
        return None
    ep, path = found
    data = bytearray(path.read_bytes())
    at = data.find(b"Info")
    if at < 0:
        return None
    frames = int.from_bytes(data[at + 8 : at + 12], "big")
    data[at + 8 : at + 12] = (frames // 2 or 117).to_bytes(4, "big")
    before = path.stat()
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return f"same-size audio of {ep.stem} with {frames // 2 or 117} frames, mtime set back"


def retarget_linked_episode(show: Show) -> str:
    link = show.episodes / "linked.md"
    target = "../media/two.md" if os.readlink(link).endswith("one.md") else "../media/one.md"
    os.symlink(target, show.episodes / "linked.tmp")
    os.replace(show.episodes / "linked.tmp", link)
    return f"episodes/linked.md now links to {target}"


def edit_linked_target(show: Show) -> str:
    target = show.episodes / os.readlink(show.episodes / "linked.md")
    target.write_text(_linked(f"Edited {show.rng.randint(0, 999)}"), encoding="utf-8")
    return f"edit {target.name}, the linked episode's target"


def retarget_linked_audio(show: Show) -> str:
    link = show.episodes / "audio" / "linked.mp3"
    target = "../../media/" + ("two" if os.readlink(link).endswith("one.mp3") else "one")
    target += ".mp3"
    os.symlink(target, link.with_name("linked.tmp"))
    os.replace(link.with_name("linked.tmp"), link)
    return f"episodes/audio/linked.mp3 now links to {target}"


def edit_template(show: Show) -> str:
    path = show.root / "templates" / show.rng.choice(("index.html", "_part.html"))
    path.write_text(f"<p>{show.rng.randint(0, 999)}</p>" + path.read_text("utf-8"), "utf-8")
    return f"edit templates/{path.name}"


def toggle_episode_template(show: Show) -> str:
    path = show.root / "templates" / "_episode.html"
    if path.exists():
        path.unlink()
        return "delete templates/_episode.html"
    path.write_text(EPISODE_BLOCK, encoding="utf-8")
    return "add templates/_episode.html"


def edit_config_value(show: Show) -> str:
    show.description = f"A show for tests, take {show.rng.randint(0, 999)}."
    show.config()
    return f"feed.toml description {show.description!r}"


def edit_config_whitespace(show: Show) -> str:
    show.spaces = (show.spaces + 1) % 3
    show.config()
    return "feed.toml: whitespace only"


def toggle_config_check(show: Show) -> str:
    show.ignore = not show.ignore
    show.config()
    return f"feed.toml: [check] table {'added' if show.ignore else 'removed'}"


def _sibling(show: Show, suffix: str) -> Path | None:
    found = sorted(show.episodes.rglob(f"*{suffix}"))
    return show.rng.choice(found) if found else None


def toggle_pages(show: Show) -> str:
    show.pages = not show.pages
    show.config()
    return f"feed.toml: episode pages {'on' if show.pages else 'off'}"


def add_transcript(show: Show) -> str | None:
    ep = show.pick(lambda ep: not (show.path(ep).with_suffix(".vtt")).exists())
    if ep is None:
        return None
    show.path(ep).with_suffix(".vtt").write_text(VTT.format(f"New {ep.stem}"), "utf-8")
    return f"add {ep.folder}{ep.stem}.vtt"


def edit_transcript(show: Show) -> str | None:
    if (path := _sibling(show, ".vtt")) is None:
        return None
    path.write_text(VTT.format(f"Hello {show.rng.randint(0, 999)}"), encoding="utf-8")
    return f"edit {path.name}"


def delete_transcript(show: Show) -> str | None:
    if (path := _sibling(show, ".vtt")) is None:
        return None
    path.unlink()
    return f"delete {path.name}"


def edit_chapters(show: Show) -> str | None:
    if (path := _sibling(show, ".chapters.json")) is None:
        return None
    path.write_text(CHAPTERS.format(f"Start {show.rng.randint(0, 999)}"), encoding="utf-8")
    return f"edit {path.name}"


def delete_chapters(show: Show) -> str | None:
    if (path := _sibling(show, ".chapters.json")) is None:
        return None
    path.unlink()
    return f"delete {path.name}"


def edit_image(show: Show) -> str:
    name = f"art-{show.rng.randint(0, 1)}.jpg"
    color = (show.rng.randint(0, 255), 90, 200)
    make_image(show.root / name, (1400, 1400), color=color)
    return f"new picture in {name} {color}"


def edit_cover(show: Show) -> str:
    color = (show.rng.randint(0, 255), 10, 10)
    make_image(show.root / "cover.jpg", (1400, 1400), color=color)
    return f"new show picture in cover.jpg {color}"


def delete_image_file(show: Show) -> str | None:
    """An episode's picture deleted: its `image:` is a link relative to its page then."""
    found = sorted(show.root.glob("art-*.jpg")) + sorted(show.root.glob("gone.jpg"))
    if not found:
        return None
    path = show.rng.choice(found)
    path.unlink()
    return f"delete {path.name}"


def add_missing_image(show: Show) -> str:
    name = show.rng.choice(("art-0.jpg", "art-1.jpg", "gone.jpg"))
    make_image(show.root / name, (1400, 1400), color=(show.rng.randint(0, 255), 200, 90))
    return f"make {name}"


def delete_image(show: Show) -> str | None:
    ep = show.pick(lambda ep: ep.image is not None)
    if ep is None:
        return None
    # the file stays for the others: this episode names one that does not exist (a link)
    ep.image = "gone.jpg"
    show.write(ep)
    return f"{ep.stem} names an image that does not exist"


def _output(show: Show, pattern: str) -> Path | None:
    found = sorted(p for p in (show.root / "public").rglob(pattern) if p.is_file())
    return show.rng.choice(found) if found else None


def delete_output(show: Show) -> str | None:
    path = _output(show, show.rng.choice(("*.html", "*.xml", "*.vtt", "*.json", "*.jpg")))
    if path is None:
        return None
    path.unlink()
    return f"delete {path.relative_to(show.root)}"


def edit_output(show: Show) -> str | None:
    """A byte changed in place, the size and mtime kept."""
    path = _output(show, show.rng.choice(("*.html", "*.xml", "*.vtt", "*.json")))
    if path is None:
        return None
    before = path.stat()
    data = bytearray(path.read_bytes())
    at = show.rng.randrange(len(data))
    data[at] = ord("x") if data[at] != ord("x") else ord("y")
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return f"change byte {at} of {path.relative_to(show.root)}, mtime set back"


def delete_record(show: Show) -> str:
    cache = show.root / ".podcastfeed-cache"
    name = show.rng.choice(("noop.json", "outputs.json", "build.pickle", "blocks.pickle", ""))
    if not name:
        shutil.rmtree(cache, ignore_errors=True)
        return "delete .podcastfeed-cache/"
    (cache / name).unlink(missing_ok=True)
    return f"delete .podcastfeed-cache/{name}"


def edit_lock(show: Show) -> str | None:
    lock = show.root / "podcastfeed.lock"
    if not lock.exists():
        return None
    lock.write_text(lock.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    return "podcastfeed.lock: a newline added by hand"


def edit_lock_duration(show: Show) -> str | None:
    """A measured duration changed by hand (the fingerprint kept: the lock is believed)."""
    lock = show.root / "podcastfeed.lock"
    if not lock.exists():
        return None
    text = lock.read_text(encoding="utf-8")
    at = text.find('"duration": ')
    if at < 0:
        return None
    at += len('"duration": ')
    end = text.index(",", at)
    lock.write_text(text[:at] + "42.5" + text[end:], encoding="utf-8")
    return f"podcastfeed.lock: duration {text[at:end]} made 42.5 by hand"


def edit_template_same_size(show: Show) -> str:
    """A template's words swapped for others as long: same size, the mtime set back."""
    name, one, other = show.rng.choice((("index.html", "li>", "dd>"), ("_part.html", "h1", "h2")))
    path = show.root / "templates" / name
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    if one not in text:
        one, other = other, one
    path.write_text(text.replace(one, other), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return f"same-size edit of templates/{name} ({one} to {other}), mtime set back"


def delete_lock(show: Show) -> str:
    (show.root / "podcastfeed.lock").unlink(missing_ok=True)
    return "delete podcastfeed.lock"


def edit_lock_guid(show: Show) -> str | None:
    lock = show.root / "podcastfeed.lock"
    if not lock.exists():
        return None
    text = lock.read_text(encoding="utf-8")
    at = text.find('"guid": "')
    if at < 0:
        return None
    at += len('"guid": "')
    lock.write_text(text[:at] + "hand-" + text[at:], encoding="utf-8")
    return "podcastfeed.lock: a guid edited by hand"


ACTIONS: list[Callable[[Show], str | None]] = [
    edit_body,
    edit_title,
    edit_same_size_old_mtime,
    edit_old_mtime,
    add_episode,
    delete_episode,
    rename_episode,
    move_to_subfolder,
    toggle_draft,
    toggle_future,
    replace_audio_copy,
    replace_audio_rename,
    replace_audio_same_size,
    retarget_linked_episode,
    edit_linked_target,
    retarget_linked_audio,
    edit_template,
    toggle_episode_template,
    edit_config_value,
    edit_config_whitespace,
    toggle_config_check,
    edit_transcript,
    delete_transcript,
    edit_chapters,
    delete_chapters,
    edit_image,
    edit_cover,
    delete_image,
    delete_image_file,
    add_missing_image,
    delete_output,
    edit_output,
    delete_record,
    edit_lock,
    edit_lock_duration,
    delete_lock,
    edit_lock_guid,
    toggle_pages,
    add_transcript,
    edit_template_same_size,
]


def _build(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["build", "-c", str(root / "feed.toml"), "-q", *ALLOW, *args])
    return result.exit_code, result.stderr


def _outputs(root: Path) -> dict[str, bytes]:
    found = {}
    if (root / "podcastfeed.lock").exists():
        found["podcastfeed.lock"] = (root / "podcastfeed.lock").read_bytes()
    for path in sorted((root / "public").rglob("*")):
        if path.is_file() and not path.name.startswith(".podcastfeed-journal"):
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


def _fresh(root: Path) -> dict[str, bytes]:
    """What a first build (no cache, no outputs, the same lock) of the show as it is writes:
    built in a copy made where the show is (the manifest's digest of the pages' inputs holds
    absolute paths), the show itself moved aside meanwhile (its files keep their identities)."""
    aside = root.with_name(root.name + "-aside")
    os.rename(root, aside)
    try:
        ignore = shutil.ignore_patterns("public", ".podcastfeed-*")
        shutil.copytree(aside, root, symlinks=True, ignore=ignore)
        code, stderr = _build(root, "--no-cache")
        assert code == 0, stderr
        return _outputs(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        os.rename(aside, root)


def _without(outputs: dict[str, bytes], name: str) -> dict[str, bytes]:
    return {key: value for key, value in outputs.items() if key != name}


def _age(root: Path) -> None:
    """The inputs changed in the last seconds aged (outputs and the cache as written): the
    next build sees them older than the last one, as if changed long before it."""
    now, old = time.time(), time.time() - 10
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if parts[0] in ("public", ".podcastfeed-cache"):
            continue
        stat = path.lstat()
        if stat.st_mtime > now - 3:
            os.utime(path, (old, old), follow_symlinks=False)


def _differences(found: dict[str, bytes], wanted: dict[str, bytes]) -> str:
    lines = []
    for name in sorted(found.keys() | wanted.keys()):
        if name not in found:
            lines.append(f"  missing: {name}")
        elif name not in wanted:
            lines.append(f"  left over: {name}")
        elif found[name] != wanted[name]:
            lines.append(f"  differs: {name}")
            diff = difflib.unified_diff(
                wanted[name].decode(errors="replace").splitlines(),
                found[name].decode(errors="replace").splitlines(),
                "fresh",
                "incremental",
                lineterm="",
                n=0,
            )
            lines += ["    " + line for line in list(diff)[2:10]]
    return "\n".join(lines)


def run_fuzz(seed: int, folder: Path, steps: int = STEPS) -> None:
    rng = random.Random(seed)
    show = _make(folder / "show", rng)
    _age(show.root)
    code, stderr = _build(show.root)
    assert code == 0, stderr

    def where() -> str:
        return f"seed {seed}, after: " + "; ".join(show.log)

    for _step in range(steps):
        for _action in range(rng.choice((1, 1, 2, 3))):
            said = None
            while said is None:
                said = rng.choice(ACTIONS)(show)
            show.log.append(said)
        show.log[-1] += " |"  # (a build after each such group)
        if rng.random() < 0.75:
            _age(show.root)
        wanted = _fresh(show.root)
        on_disk = _outputs(show.root)
        # (the manifest is the build's note of what it wrote, not an output --check judges)
        stale = _without(on_disk, MANIFEST) != _without(wanted, MANIFEST)
        code, stderr = _build(show.root, "--check")
        assert code == int(stale), f"--check exited {code}, {where()}\n{stderr}" + (
            _differences(on_disk, wanted) if stale else ""
        )
        assert _outputs(show.root) == on_disk, f"--check wrote, {where()}"
        if rng.random() < 0.15:  # into the outputs, without the cache (then pages are kept
            # by the manifest's digest of their inputs, output/write.py)
            show.log[-1] += " build --no-cache |"
            code, stderr = _build(show.root, "--no-cache")
        else:
            code, stderr = _build(show.root)
        assert code == 0, f"{where()}\n{stderr}"
        found = _outputs(show.root)
        assert found == wanted, f"{where()}\n{_differences(found, wanted)}"
        if rng.random() < 0.3:  # at once again (the no-op record, or a build within a second)
            code, stderr = _build(show.root)
            assert code == 0, f"{where()}; built again\n{stderr}"
            found = _outputs(show.root)
            assert found == wanted, f"{where()}; built again\n{_differences(found, wanted)}"


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_incremental_builds_match_a_fresh_build(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run_fuzz(seed, tmp_path)

"""The characters XML cannot carry, or carries badly, and the character references that can
bring them back into sanitized HTML. Pure."""

from __future__ import annotations

import re

# XML 1.0 Char excludes C0 controls other than tab/LF/CR, surrogates, U+FFFE and U+FFFF. DEL and
# the C1 controls are legal but discouraged (XML 1.0 section 2.2), and readers disagree on them:
# feedparser turns "\x80" into "€" (as cp1252), podcastparser keeps it. So they go too.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The same in UTF-8, as bytes.translate deletes them (C0, DEL) or leads them (C1: C2 80-9F,
# U+FFFE/FFFF: EF BF BE/BF; a surrogate cannot be encoded).
_C0 = bytes([*range(9), 11, 12, *range(14, 32), 127])


def strip_control_chars(text: str) -> str:
    """Remove what XML 1.0 cannot carry (C0 controls but tab/LF/CR, U+FFFE/FFFF, surrogates)
    and the control characters it discourages (DEL, C1)."""
    return _FORBIDDEN.sub("", text)


# Stripping the sanitizer's output again (a regex over every character, 4% of render_notes) is
# skipped when render_notes knows it clean: its input was stripped, and the only ways to a
# forbidden character after that are character references ("&#1;": cmark and nh3 decode them;
# no named reference is forbidden) and embedded players' query strings (percent-decoded by
# before_sanitizing). Neither cmark nor nh3 writes one of their own.


def has_reference(text: str) -> bool:
    """Whether `text` holds "&#": 4x faster than `in` (a scan for one character is far cheaper
    than for two, and text holds few "&")."""
    at = text.find("&")
    while at >= 0:
        if text.startswith("#", at + 1):
            return True
        at = text.find("&", at + 1)
    return False


def stripped_utf8(text: str) -> tuple[str, bytes]:
    """(strip_control_chars(text), its UTF-8): most text holds nothing to strip, and encoding it
    to see (C-speed scans of its bytes) costs a third of the regex, whose encoding is needed
    anyway."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a surrogate
        text = strip_control_chars(text)
        return text, text.encode("utf-8")
    if b"\xc2" in data or b"\xef" in data:  # perhaps a C1 control, U+FFFE or U+FFFF
        if not _FORBIDDEN.search(text):
            return text, data
    elif len(data.translate(None, _C0)) == len(data):
        return text, data
    text = strip_control_chars(text)
    return text, text.encode("utf-8")

r"""Text from users, files and links made safe to show: shortened, and with control characters made visible.

A scenario's name, notes or description can hold any character a YAML double-quoted string can spell, including
terminal escape sequences (``"\e[2J"``) and right-to-left overrides that make text read backwards. Whatever shows
such text (the command line, the app) first passes it through ``visible`` so those characters are written out as
``\x1b`` or ``\u202e`` instead of acting on the terminal or the page. The markdown escaping the app adds on top
lives in ``explorer/safe_text.py``; this module has no UI code.
"""

from __future__ import annotations

import re

#: The ellipsis that marks a shortened value.
ELLIPSIS = "…"

# C0 and C1 control characters, DEL, and the invisible characters that reorder or hide text (bidirectional
# embeddings, overrides and isolates, line and paragraph separators, the byte-order mark).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep_newlines: bool = False) -> str:
    r"""The text with every control character written out as an escape (``\x1b``, ``\u202e``).

    Args:
        text: Any text.
        keep_newlines: Keep line breaks (``\n``) as they are, for text shown over several lines; a tab becomes a
            space either way.
    """
    text = str(text).replace("\t", " ").replace("\r\n", "\n")
    if keep_newlines:
        return "\n".join(_CONTROLS.sub(_escape, line) for line in text.split("\n"))
    return _CONTROLS.sub(_escape, text)


def shorten(text: str, limit: int) -> str:
    """The text cut to at most ``limit`` characters, an ellipsis marking the cut."""
    text = str(text)
    if limit < 1:
        return ""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def one_line(text: str, limit: int | None = None) -> str:
    """The text on one line, controls made visible, shortened to ``limit`` characters when a limit is given.

    Runs of white space, line breaks included, become one space.
    """
    flat = " ".join(str(text).split())
    flat = visible(flat)
    return flat if limit is None else shorten(flat, limit)

"""What a piece of Streamlit markdown would turn into a link, an image or raw HTML, found without rendering it.

Streamlit renders markdown with remark and GitHub-flavoured markdown. This finds every construct that can make
the browser show a link or fetch something:

* inline and reference links and images (``[a](u)``, ``![a](u)``, ``[a][r]`` with ``[r]: u``), autolinks
  (``<http://…>``, ``<a@b.example>``) and raw HTML tags (``<img …>``, ``<a …>``), counted only where the opening
  character is not backslash-escaped and not inside a code span;
* bare web and e-mail addresses (``http://…``, ``www.…``, ``a@b.example``), which GitHub-flavoured markdown
  links even when the characters are escaped (the autolink-literal transform runs on the text after escapes
  are resolved), so they are looked for in the text with escapes resolved. An invisible word joiner (U+2060)
  inside the address stops them, as in the renderer.

It errs on the side of finding too much: a false alarm fails a test, a miss would hide an injection.
"""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?(^ {0,3}\1|\Z)", re.S | re.M)

_STRUCTURAL = {
    "inline link or image": re.compile(r"!?\[[^\]]*\]\s*\("),
    "reference link or image": re.compile(r"!?\[[^\]]*\]\s*\["),
    "link reference definition": re.compile(r"^ {0,3}\[[^\]]+\]:", re.M),
    "autolink": re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>"),
    "e-mail autolink": re.compile(r"<[^\s<>@]+@[^\s<>]+>"),
    "raw HTML": re.compile(r"</?[A-Za-z][A-Za-z0-9\-]*(?:[\s/>]|$)|<!--|<\?|<!\[CDATA\[|<![A-Za-z]"),
}
_LITERAL = {
    "bare web address": re.compile(r"(?i)(?:https?|ftp)://|(?<![\w.\-])www\.", re.A),
    "bare e-mail address": re.compile(r"[\w.+\-]+@[\w\-]+\.[\w\-]", re.A),
}
_PLACEHOLDER = "\x00"
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _without_code(text: str) -> str:
    """The text with fenced code blocks and code spans replaced by a space, backslash escapes kept.

    Scanned left to right as CommonMark does: an escaped backtick opens nothing, and inside a code span a backslash
    is an ordinary character.
    """
    text = _FENCE.sub(" ", text)
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == "\\" and i + 1 < n and text[i + 1] in _PUNCTUATION:
            out.append(text[i: i + 2])
            i += 2
        elif text[i] == "`":
            j = i
            while j < n and text[j] == "`":
                j += 1
            close = re.compile(r"(?<!`)" + text[i:j] + r"(?!`)").search(text, j)
            if close:
                out.append(" ")
                i = close.end()
            else:
                out.append(text[i:j])
                i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def live_constructs(markdown: str) -> list[tuple[str, str]]:
    """Every (kind, excerpt) in the markdown that would render as a link, an image or raw HTML."""
    found: list[tuple[str, str]] = []
    outside_code = _without_code(markdown)
    structural = _ESCAPED.sub(_PLACEHOLDER, outside_code)
    for kind, pattern in _STRUCTURAL.items():
        found += [(kind, structural[m.start(): m.start() + 60]) for m in pattern.finditer(structural)]
    literal = _ESCAPED.sub(r"\1", outside_code)
    for kind, pattern in _LITERAL.items():
        found += [(kind, literal[max(0, m.start() - 20): m.start() + 40]) for m in pattern.finditer(literal)]
    return found


def shown_text(markdown: str) -> str:
    """The characters a reader sees (escapes resolved, word joiners dropped): to check that text did arrive."""
    return _ESCAPED.sub(r"\1", markdown).replace("\u2060", "")

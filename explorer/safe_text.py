r"""User and link text as markdown that shows exactly that text: never a link, an image, HTML or formatting.

Streamlit renders markdown (GitHub-flavoured, with LaTeX, colour directives and raw HTML escaped) in
``st.markdown``, ``st.caption``, ``st.warning``/``error``/``success``/``info``, titles and headers, and in the
labels of metrics, expanders, tabs and widgets. A scenario name such as ``![x](http://evil/x.png)`` shown through
any of them would make every visitor's browser fetch that image; a long link value could draw a convincing fake
notice. Every piece of text that comes from a user, a file or a link goes through ``md`` (one line) or
``md_block`` (paragraphs) before it reaches one of those calls:

* every ASCII punctuation character is backslash-escaped (CommonMark allows it for all of them), so no
  emphasis, heading, list, table, code, link, image, autolink (``<http://…>``), raw HTML (``<img …>``), entity,
  LaTeX (``$…$``) or colour directive (``:red[…]``) can start;
* web addresses and e-mail addresses, which GitHub-flavoured markdown turns into links even without any markup
  (``http://…``, ``www.…``, ``a@b.example``), are broken with an invisible word joiner (U+2060) after ``:``
  before ``//``, after ``www`` and after ``@``, so they show as typed but are not links;
* control characters are written out (``\x1b``) and text echoed from elsewhere is shortened with an ellipsis.

Where no formatting is needed at all, ``st.text`` or a code span (``code``) is the plainer choice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cjcore.text import one_line, shorten, visible

#: Longest echo of a value from a link or a file (a name is at most 120 characters; a link value up to 2,000).
ECHO_CHARS = 60

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_JOINER = "\u2060"
# Where GitHub-flavoured markdown would start an address: "scheme:" before "//", "www" before ".", and "@".
_ADDRESS = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?<=@)")


def _escape(text: str) -> str:
    text = _ADDRESS.sub(_JOINER, text)
    return _PUNCTUATION.sub(r"\\\1", text)


def md(text: object, limit: int | None = None) -> str:
    """Markdown that shows ``text`` literally, on one line, shortened to ``limit`` characters when given."""
    return _escape(one_line(str(text), limit))


def echo(text: object, limit: int = ECHO_CHARS) -> str:
    """A value echoed back from a link or a file: one line, shortened, in quotes, as literal markdown."""
    return "“" + md(text, limit) + "”"


def md_block(text: object, limit: int | None = None) -> str:
    """Markdown that shows ``text`` literally with its paragraphs and line breaks (a description, a note)."""
    body = visible(str(text), keep_newlines=True)
    if limit is not None:
        body = shorten(body, limit)
    paragraphs = re.split(r"\n\s*\n", body.strip())
    return "\n\n".join("  \n".join(_escape(" ".join(line.split())) for line in p.splitlines() if line.strip())
                       for p in paragraphs if p.strip())


def code(text: object, limit: int | None = None) -> str:
    """An inline code span showing ``text`` literally on one line (backticks inside are fenced around)."""
    body = one_line(str(text), limit)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or not body.strip() else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def md_lines(lines: Iterable[object], limit: int = 400) -> str:
    """A markdown bullet list showing each line literally (problems found in a file, what changed, ...)."""
    return "\n".join(f"- {md(line, limit)}" for line in lines)

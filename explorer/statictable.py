"""Small static tables as one HTML element: every cell shown literally, cells that wrap, one element to draw.

Headers break long words only where a hyphenation dictionary allows (soft hyphens from pyphen): a column never
splits a word mid-syllable ("investm / ent"), and figures never break.

`st.table` renders every cell, header and index label as its own markdown element; in the browser a 13-row,
seven-column table cost about 0.1 s of every page opening that showed it, where the same table as one HTML element
costs about 0.01 s (bench/RESULTS.md, "What a page change costs"). The cells are escaped as HTML, so a scenario's
name shows as typed and never as markup; the look is set once in `explorer.theme` (`TABLE_CLASS`).
"""

from __future__ import annotations

import html
import numbers
import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd
import pyphen
import streamlit as st

from explorer import format as fmt
from explorer.theme import TABLE_CLASS


def _cell(value: object) -> str:
    """A cell's text, escaped: text as given, whole numbers with thousands separators, an empty cell for none."""
    if isinstance(value, str):
        return html.escape(value)
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        return html.escape(str(value))
    return html.escape(fmt.number(value, 0 if float(value).is_integer() else 2))


#: Invisible until a line breaks there, where it shows as "-".
SOFT_HYPHEN = "\u00ad"
#: Words of at least this many letters get soft hyphens; shorter ones fit any column.
_HYPHENATE_FROM = 7
_LETTERS = re.compile(rf"[^\W\d_]{{{_HYPHENATE_FROM},}}")


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB", left=3, right=3)


@lru_cache(maxsize=1024)
def hyphenated(text: str) -> str:
    """`text` with soft hyphens in its long words, so a narrow column breaks them where a dictionary would.

    The break shows a hyphen ("invest-" / "ment"), never splits a syllable, and only runs of letters are
    hyphenated: the hyphen already in "Co-investment" stays a break of its own.
    """
    return _LETTERS.sub(lambda m: _hyphenator().inserted(m.group(), hyphen=SOFT_HYPHEN), text)


def _header(value: object) -> str:
    """A header cell's text: as `_cell`, with soft hyphens in long words."""
    return _cell(hyphenated(value) if isinstance(value, str) else value)


def _row(cells: Iterable[object], tag: str, header: str | None) -> str:
    text = _header if tag == "th" else _cell
    first = f'<th scope="row">{_header(header)}</th>' if header is not None else ""
    return "<tr>" + first + "".join(f"<{tag}>{text(c)}</{tag}>" for c in cells) + "</tr>"


def table_html(data: object, hide_index: bool = False) -> str:
    """The table as HTML (a `<table>` of class `TABLE_CLASS`), with the index as row headers unless hidden."""
    frame = pd.DataFrame(data)
    index = not hide_index
    head = _row(frame.columns, "th", "" if index else None).replace("<th>", '<th scope="col">')
    body = "".join(_row(values, "td", label if index else None)
                   for label, values in zip(frame.index, frame.itertuples(index=False, name=None), strict=True))
    return f'<table class="{TABLE_CLASS}"><thead>{head}</thead><tbody>{body}</tbody></table>'


def static_table(data: object, hide_index: bool = False) -> None:
    """Show a small table whose cells wrap (in place of `st.table`, at a tenth of its cost in the browser)."""
    st.html(table_html(data, hide_index))

"""Small static tables as one HTML element: every cell shown literally, cells that wrap, one element to draw.

`st.table` renders every cell, header and index label as its own markdown element; in the browser a 13-row,
seven-column table cost about 0.1 s of every page opening that showed it, where the same table as one HTML element
costs about 0.01 s (bench/RESULTS.md, "What a page change costs"). The cells are escaped as HTML, so a scenario's
name shows as typed and never as markup; the look is set once in `explorer.theme` (`TABLE_CLASS`).
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Iterable

import numpy as np
import pandas as pd
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


def _row(cells: Iterable[object], tag: str, header: str | None) -> str:
    first = f'<th scope="row">{_cell(header)}</th>' if header is not None else ""
    return "<tr>" + first + "".join(f"<{tag}>{_cell(c)}</{tag}>" for c in cells) + "</tr>"


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

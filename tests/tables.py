"""Read the app's static tables (`explorer.statictable`) back from an AppTest run, as a reader sees them."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
from streamlit.testing.v1 import AppTest

from explorer.statictable import SOFT_HYPHEN
from explorer.theme import TABLE_CLASS

#: The only markup a static table may hold, with the attributes each tag may carry.
ALLOWED = {"table": {("class", TABLE_CLASS)}, "thead": set(), "tbody": set(), "tr": set(),
           "th": {("scope", "col"), ("scope", "row")}, "td": set()}
OPENING = f'<table class="{TABLE_CLASS}">'


class _Cells(HTMLParser):
    """Rows of (tag, scope, text) cells; any tag or attribute outside ALLOWED is recorded in `unexpected`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head: list[list[tuple[str, str | None, str]]] = []
        self.body: list[list[tuple[str, str | None, str]]] = []
        self.unexpected: list[str] = []
        self._section: list | None = None
        self._cell: list | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED or not set(attrs) <= ALLOWED[tag]:
            self.unexpected.append(self.get_starttag_text() or tag)
        elif tag in ("thead", "tbody"):
            self._section = self.head if tag == "thead" else self.body
        elif tag == "tr" and self._section is not None:
            self._section.append([])
        elif tag in ("th", "td") and self._section:
            self._cell = [tag, dict(attrs).get("scope"), ""]
            self._section[-1].append(self._cell)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td"):
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[2] += data.replace(SOFT_HYPHEN, "")  # invisible unless a line breaks there
        elif data.strip():
            self.unexpected.append(data)


def parse(body: str) -> _Cells:
    cells = _Cells()
    cells.feed(body)
    cells.close()
    return cells


def is_static_table(body: str) -> bool:
    """True when an st.html body is one of the app's static tables and holds no other markup."""
    return body.startswith(OPENING) and not parse(body).unexpected


def table_frame(body: str) -> pd.DataFrame:
    """A static table's cells as text, its column names and (when shown) its row labels as index."""
    cells = parse(body)
    assert not cells.unexpected, cells.unexpected
    header = [text for _, _, text in cells.head[0]]
    indexed = bool(cells.body) and cells.body[0][0][1] == "row"
    rows = [[text for _, _, text in row] for row in cells.body]
    if indexed:
        return pd.DataFrame([r[1:] for r in rows], columns=header[1:], index=[r[0] for r in rows])
    return pd.DataFrame(rows, columns=header)


def static_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every static table on screen after the last run, in order."""
    return [table_frame(h.proto.body) for h in at.get("html") if h.proto.body.startswith(OPENING)]

"""Every piece of markdown an AppTest run put on screen, with where it is.

Streamlit renders as markdown: ``st.markdown``/``caption``/``write`` bodies, alerts (warning, error, success,
info), titles and headers, toasts, the labels and help texts of widgets, metrics, expanders, tabs and
popovers, and every cell, header and index label of an ``st.table``. It does not render as markdown:
``st.text``, ``st.code``, ``st.dataframe`` (a canvas), charts, the options of a select box and the values of
inputs, so those are left out. The app's static tables (``explorer.statictable``) are HTML whose text is escaped:
they are checked to hold no markup but their own, and left out too.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from explorer.textguard import _SCRIPT as TEXT_GUARD
from explorer.theme import BASE_CSS, PRESENTER_CSS
from tests.cards import is_card_grid
from tests.tables import is_static_table

#: Proto fields rendered as markdown, by the proto's type name (None: any type not listed as plain).
_FIELDS = ("body", "label", "help", "title")
_PLAIN_TYPES = {"Text", "Code", "Json", "Exception", "VegaLiteChart", "ArrowNamedDataFrame", "Arrow", "Empty",
                "DownloadButton_data"}
#: The app's own HTML: the style sheet app.py injects with unsafe_allow_html, and the text guard's script
#: (explorer/textguard.py, an st.html element). Compared whole: any other HTML element or body counts.
_APP_HTML = {textwrap.dedent(html).strip() for html in (BASE_CSS, PRESENTER_CSS, TEXT_GUARD)}  # as Streamlit cleans


def _table_strings(proto: object) -> Iterator[str]:
    """Every text cell, column name and index label of an st.table (all rendered as markdown)."""
    table = pa.ipc.open_stream(proto.arrow_data.data).read_all()  # type: ignore[attr-defined]
    yield from (name for name in table.column_names if not name.startswith("__index_level_"))
    for column in table.columns:
        yield from (value for value in column.to_pylist() if isinstance(value, str))


def _strings(proto: object, where: str) -> Iterator[tuple[str, str]]:
    name = type(proto).__name__
    if name == "Table":
        yield from ((f"{where} Table", text) for text in _table_strings(proto))
        return
    if name in _PLAIN_TYPES:
        return
    fields = getattr(proto, "DESCRIPTOR", None)
    if fields is None:
        return
    for field, value in proto.ListFields():  # type: ignore[attr-defined]
        if field.name in _FIELDS and isinstance(value, str):
            if name in ("Markdown", "Html") and textwrap.dedent(value).strip() in _APP_HTML:
                continue
            if name == "Html" and field.name == "body" and (is_static_table(value) or is_card_grid(value)):
                continue  # a static table or the cards: escaped text, its markup checked tag by tag
            yield f"{where} {name}.{field.name}", value
        elif name == "Block" and field.message_type is not None and not isinstance(value, (list, tuple)):
            yield from _strings(value, where)  # an expander, tab, popover or dialog inside a block


def markdown_texts(at: AppTest) -> list[tuple[str, str]]:
    """(where, markdown) for every markdown-rendered string on screen after the last run."""
    found: list[tuple[str, str]] = []

    def visit(node: object, where: str) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.extend(_strings(proto, where))
        for key, child in (getattr(node, "children", None) or {}).items():
            visit(child, f"{where}/{key}")

    visit(at._tree, "")
    return found

"""A two-page Streamlit app for bench/page_change.py: what a page change costs with nothing of ours in it.

Page "Alpha" shows a title and the content named by CJ_BENCH_CONTENT (see CONTENTS); page "Beta" a title only.
"""

import os

import pandas as pd
import streamlit as st

from explorer.statictable import table_html

#: A 13-row, seven-column table of text, the size of Compare's sweep table.
TABLE = pd.DataFrame({f"Stage {j}": [f"{i * j:,} reoffences" for i in range(13)] for j in range(6)},
                     index=[f"Measure number {i}" for i in range(13)])


def _cards() -> None:
    for row in range(4):
        for i, column in enumerate(st.columns(4)):
            column.metric(f"Card {4 * row + i}", f"{row}.{i}%", "−0.2 pp", help="Likely range 1 to 2")


CONTENTS = {
    "nothing": lambda: None,
    "40 paragraphs (st.markdown)": lambda: [st.markdown(f"Paragraph **{i}** about reoffending.") for i in range(40)],
    "16 cards (st.metric in rows of 4)": _cards,
    "a 13 × 7 table (st.table)": lambda: st.table(TABLE),
    "the same table as one HTML element": lambda: st.html(table_html(TABLE)),
}


def alpha() -> None:
    st.title("Alpha")
    CONTENTS[os.environ.get("CJ_BENCH_CONTENT", "nothing")]()


def beta() -> None:
    st.title("Beta")


st.navigation([st.Page(alpha, title="Alpha", url_path="alpha"), st.Page(beta, title="Beta", url_path="beta")]).run()

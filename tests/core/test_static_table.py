"""The static tables show every cell as typed: any text comes back from the HTML unchanged and never as markup."""

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from explorer import format as fmt
from explorer.statictable import SOFT_HYPHEN, hyphenated, table_html
from tests.tables import is_static_table, parse, table_frame

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


def seen(text: str) -> str:
    """Text as a reader sees it: a soft hyphen shows only where a line breaks."""
    return text.replace(SOFT_HYPHEN, "")


@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=5), TEXT, TEXT, st.booleans())
def test_any_text_comes_back_as_typed_and_holds_no_markup(rows, first, second, hide_index):
    frame = pd.DataFrame(rows, columns=[f"{first} ", f"{second}  "], index=[f"row {i}" for i in range(len(rows))])
    body = table_html(frame, hide_index=hide_index)
    assert is_static_table(body), parse(body).unexpected
    shown = table_frame(body)
    assert list(shown.columns) == [seen(c) for c in frame.columns]
    assert shown.values.tolist() == [[seen(c) for c in row] for row in frame.values.tolist()]
    assert list(shown.index) == (list(range(len(rows))) if hide_index else [seen(i) for i in frame.index])


@given(TEXT)
def test_soft_hyphens_only_add_break_points(text):
    assert seen(hyphenated(text)) == seen(text)


def test_long_header_words_break_where_a_dictionary_allows_and_nothing_else_does():
    assert hyphenated("Return on investment") == f"Return on invest{SOFT_HYPHEN}ment"
    assert hyphenated("Co-commissioning") == f"Co-com{SOFT_HYPHEN}mis{SOFT_HYPHEN}sion{SOFT_HYPHEN}ing"
    assert hyphenated("Net (£m, 2024/25 prices)") == "Net (£m, 2024/25 prices)"  # short words and figures
    head = table_html({"Return on investment": ["1,234,567"]}, hide_index=True)
    assert f"invest{SOFT_HYPHEN}ment</th>" in head and "<td>1,234,567</td>" in head  # figures never break


def test_markup_in_a_cell_is_text():
    body = table_html({"Name": ['<img src=x onerror="alert(1)">', "[a](https://example.org)", "A & B"]})
    assert is_static_table(body) and "<img" not in body
    assert list(table_frame(body)["Name"]) == ['<img src=x onerror="alert(1)">', "[a](https://example.org)", "A & B"]


def test_numbers_read_as_elsewhere_in_the_app_and_missing_ones_are_blank():
    body = table_html({"Count": [1213, -4.5, None, float("nan"), np.int64(25000), True]}, hide_index=True)
    assert list(table_frame(body)["Count"]) == ["1,213", fmt.number(-4.5, 2), "", "", "25,000", "True"]
    assert fmt.MINUS in table_frame(body)["Count"][1]


def test_a_table_with_other_markup_is_not_taken_for_a_static_table():
    body = table_html({"A": ["x"]}).replace("<td>x</td>", '<td><a href="https://example.org">x</a></td>')
    assert not is_static_table(body)

"""Every expander has a key, so it stays open while what is around it changes.

Without a key the browser knows an expander only by its place and label. A label that changes ("Youth justice"
-> "Youth justice — has notes" once a note is written) or an element above it that comes and goes (the one-off
script after signing in, a room's message) closes it on the next run: the notes box or the room form folds away
under the user's cursor, and a click on it is lost. tests/e2e/test_notes.py and test_signin.py show it in the
browser; this finds an expander written without a key before it gets that far.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "explorer").rglob("*.py")])


def keyless_expanders(source: str) -> list[int]:
    """Line numbers of `….expander(…)` calls without a `key=` argument."""
    return sorted(node.lineno for node in ast.walk(ast.parse(source))
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "expander" and not any(kw.arg == "key" for kw in node.keywords))


def test_the_finder_sees_an_expander_without_a_key() -> None:
    source = 'import streamlit as st\nwith st.expander("A"):\n    pass\nwith st.expander("B", key="b"):\n    pass\n'
    assert keyless_expanders(source) == [2]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_expander_has_a_key(source: Path) -> None:
    assert keyless_expanders(source.read_text(encoding="utf-8")) == [], (
        f"{source.name}: give the expander a key, or it closes when its label or the elements above it change")

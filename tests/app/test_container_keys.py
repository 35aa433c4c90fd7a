"""Every expander, tab set and popover has a key, so it stays as the person left it while what is around it changes.

Without a key the browser knows such a container only by its place and label, and keeps whether it is open (or
which tab is chosen) itself. A label that changes ("Youth justice" -> "Youth justice — has notes" once a note is
written) or an element above it that comes and goes (the one-off script after signing in, a room's message) closes
it on the next run: the notes box or the room form folds away under the user's cursor, and a click on it is lost.
tests/e2e/test_notes.py and test_signin.py show it in the browser; this finds one written without a key first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "explorer").rglob("*.py")])
#: Streamlit containers whose open state (or chosen tab) the browser keeps.
STATEFUL_CONTAINERS = frozenset({"expander", "tabs", "popover"})


def keyless_containers(source: str) -> list[int]:
    """Line numbers of `….expander(…)`, `….tabs(…)` and `….popover(…)` calls without a `key=` argument."""
    return sorted(node.lineno for node in ast.walk(ast.parse(source))
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in STATEFUL_CONTAINERS and not any(kw.arg == "key" for kw in node.keywords))


def test_the_finder_sees_a_container_without_a_key() -> None:
    source = ('import streamlit as st\nwith st.expander("A"):\n    pass\nwith st.expander("B", key="b"):\n    pass\n'
              'one, two = st.tabs(["1", "2"])\nbox = st.sidebar.popover("More")\n')
    assert keyless_containers(source) == [2, 6, 7]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_stateful_container_has_a_key(source: Path) -> None:
    assert keyless_containers(source.read_text(encoding="utf-8")) == [], (
        f"{source.name}: give it a key, or it closes (or goes back to its first tab) when its label or the "
        "elements above it change")

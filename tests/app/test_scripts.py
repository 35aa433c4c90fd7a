"""The app's scripts write every element with an explicit call: none relies on Streamlit's "magic".

Magic is switched off in .streamlit/config.toml (it rewrote each script's syntax tree before compiling it; see the
comment there), so a bare expression on its own line, which magic would have written to the page, now shows
nothing. These tests find any such line, as magic itself would (calls, docstrings, yields and awaits are never
written), and check that the server and AppTest read the setting.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py")])
NEVER_WRITTEN = (ast.Call, ast.Yield, ast.YieldFrom, ast.Await)


def magic_lines(source: str) -> list[int]:
    """Line numbers of the expression statements magic would have written (Streamlit 1.67's rules)."""
    lines = []
    for parent in ast.walk(ast.parse(source)):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            for i, node in enumerate(block if isinstance(block, list) else []):  # a lambda's body is one expression
                if not isinstance(node, ast.Expr) or isinstance(node.value, NEVER_WRITTEN):
                    continue
                docstring = (field == "body" and i == 0
                             and isinstance(parent, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef)
                             and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))
                if not docstring:
                    lines.append(node.lineno)
    return sorted(lines)


def test_the_finder_sees_what_magic_would_write() -> None:
    source = ('"""Doc."""\nimport streamlit as st\nx = 1\nx\nst.write(x)\n"not a docstring"\nif x:\n    x + 1\n'
              'else:\n    x\nf = lambda: x\n')
    assert magic_lines(source) == [4, 6, 8, 10]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_no_script_relies_on_magic(script: Path) -> None:
    assert magic_lines(script.read_text(encoding="utf-8")) == [], (
        f"{script.name}: a bare expression shows nothing with magic off; write it with st.write or another call")


def test_magic_is_off_for_the_app() -> None:
    AppTest.from_file(str(ROOT / "app.py"))  # reads .streamlit/config.toml as the server does
    assert config.get_option("runner.magicEnabled") is False

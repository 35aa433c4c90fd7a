"""The layering rule of DESIGN §2: `cjcore` (the model) never imports Streamlit or the app's glue."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CJCORE = Path(__file__).resolve().parents[2] / "cjcore"
FORBIDDEN = ("streamlit", "explorer", "pages", "app")
SOURCES = sorted(CJCORE.rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (top level, functions, try blocks)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif (isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))
              and getattr(node.func, "id", getattr(node.func, "attr", "")) in {"import_module", "__import__"}
              and node.args and isinstance(node.args[0], ast.Constant)):
            names.add(str(node.args[0].value))
    return names


def test_there_are_sources_to_check() -> None:
    assert (CJCORE / "engine.py") in SOURCES


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(CJCORE)))
def test_no_ui_import(path: Path) -> None:
    bad = {m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN}
    assert not bad, f"{path.name} imports {sorted(bad)}; cjcore must stay free of UI code"


def test_importing_cjcore_loads_no_streamlit() -> None:
    code = ("import sys, cjcore, cjcore.engine, cjcore.evidence, cjcore.areas, cjcore.schema; "
            "import pkgutil, importlib; "
            "[importlib.import_module(m.name) for m in pkgutil.walk_packages(cjcore.__path__, 'cjcore.') "
            " if not m.name.endswith('__main__')]; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'explorer')); "
            "assert not bad, bad")
    result = subprocess.run([sys.executable, "-c", code], cwd=CJCORE.parent, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr

"""docs/model.md cannot drift silently from the engine or the register.

tools/worked_example.py redoes the worked example by hand (plain Python, from the register and the area file),
compares every number with the engine, and regenerates the doc's generated blocks. Here its check runs
in-process: every hand-vs-engine comparison must agree and the doc must equal what --write would write.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "worked_example.py"


@pytest.fixture(scope="module")
def worked_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("worked_example", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_model_md_matches_the_engine_and_the_register(worked_example: ModuleType) -> None:
    found, n_checks = worked_example.problems()
    assert not found, "tools/worked_example.py --check fails:\n" + "\n".join(found[:30])
    assert n_checks > 500, "the worked example should check hundreds of hand-computed numbers"


def test_a_wrong_engine_number_would_be_caught(worked_example: ModuleType) -> None:
    checks = worked_example.Checks()
    checks.add("agrees", 1.0, 1.0 + 1e-12)
    checks.add("differs", 1.0, 1.0 + 1e-6)
    assert [name for name, _, _ in checks.failures] == ["differs"]


def test_a_stale_doc_would_be_caught(worked_example: ModuleType) -> None:
    doc = worked_example.DOC.read_text(encoding="utf-8")
    blocks, _ = worked_example.build()
    assert worked_example.render(doc, blocks) == doc
    stale = doc.replace("<!-- generated:worked-example end -->", "stale line\n<!-- generated:worked-example end -->")
    assert worked_example.render(stale, blocks) != stale

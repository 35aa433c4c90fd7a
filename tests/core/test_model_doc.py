"""docs/model.md cannot drift silently from the engine or the register.

tools/worked_example.py redoes the worked example by hand (plain Python, from the register and the area file),
compares every number with the engine, and regenerates the doc's generated blocks. Here its check runs
in-process: every hand-vs-engine comparison must agree and the doc must equal what --write would write; and the
worked example must show the Green Book appraisal by hand (the price uplift, optimism bias, committed money,
expected and central values).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from cjcore.evidence import load_register
from cjcore.prices import PRICE_BASE

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


@pytest.fixture(scope="module")
def blocks(worked_example: ModuleType) -> dict[str, str]:
    built, _ = worked_example.build()
    return built


def test_the_worked_example_shows_the_appraisal_by_hand(worked_example: ModuleType, blocks: dict[str, str]) -> None:
    """The price uplift, optimism bias, committed money and expected values are worked through, not just checked."""
    text = blocks["worked-example"]
    for phrase in ("*Price base.*", worked_example.PRICE_BASE_LABEL, "Optimism bias (the Green Book",
                   "Pooled money committed but not spent", "*Committed money.*", "`pv_costs_gbp_m`",
                   "expected value (`value`)", "central (`central`)"):
        assert phrase in text, phrase
    probation = load_register()["probation_cost_per_case_gbp"]
    if probation.price_year not in (None, PRICE_BASE):
        index = worked_example.deflator_index()
        by_hand = (f"{worked_example.pounds(probation.value)} × {index[PRICE_BASE]:g} / "
                   f"{index[probation.price_year]:g} = **£{worked_example.f4(probation.model_value)}**")
        assert by_hand in text
    for key in worked_example.OPTIMISM_BIAS:
        assert f"`{key}`" in blocks["optimism-bias"]


def test_a_stale_doc_would_be_caught(worked_example: ModuleType, blocks: dict[str, str]) -> None:
    doc = worked_example.DOC.read_text(encoding="utf-8")
    assert worked_example.render(doc, blocks) == doc
    stale = doc.replace("<!-- generated:worked-example end -->", "stale line\n<!-- generated:worked-example end -->")
    assert worked_example.render(stale, blocks) != stale

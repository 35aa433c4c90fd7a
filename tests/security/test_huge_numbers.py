"""Huge numbers (issue 14, item 5): a whole number of thousands of digits in any field, in any notation, is one
usual problem line, found fast: no crash on Python's int-string limit, in the core, the command line or the app."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cjcore.scenario_io import ScenarioError, parse_scenario
from tests.security.oracle import shown_text

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "scenarios" / "greater-manchester.yaml").read_text(encoding="utf-8")
NOTATIONS = {
    "decimal": "9" * 5000,
    "negative": "-" + "9" * 5000,
    "hex": "0x" + "f" * 5000,
    "binary": "0b" + "1" * 20_000,
    "octal": "0o" + "7" * 5000,
    "sexagesimal": ":".join(["59"] * 3000),
    "underscores": "1_" * 3000 + "1",
}
FIELDS = {
    "horizon_years": ("horizon_years: 5", "horizon_years: {}"),
    "name": ("\nname: ", "\nname: {}\nx_was_name: "),
    "funding.pooled_budget_gbp_m": ("  pooled_budget_gbp_m: 12.0", "  pooled_budget_gbp_m: {}"),
    "overrides.reoffending_effect": ("overrides: {}", "overrides:\n  reoffending_effect: {}"),
    "a key": ("overrides: {}", "overrides:\n  ? {}\n  : 1"),  # explicit: a plain key is at most 1,024 characters
    "baseline": ("overrides: {}", "overrides: {{}}\nbaseline:\n  source: x\n  young_people: {{offenders: {}, "
                                   "reoffenders: 1, reoffences: 1}}\n  young_adults: {{offenders: 1, reoffenders: 1, "
                                   "reoffences: 1}}\n  adults_25plus: {{offenders: 1, reoffenders: 1, reoffences: 1}}"),
}


def with_number(field: str, number: str) -> str:
    old, new = FIELDS[field]
    assert old in BASE
    return BASE.replace(old, new.format(number), 1)


@pytest.mark.parametrize("field", sorted(FIELDS))
@pytest.mark.parametrize("notation", sorted(NOTATIONS))
def test_a_huge_number_is_one_usual_problem(field: str, notation: str) -> None:
    text = with_number(field, NOTATIONS[notation])
    start = time.process_time()
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "huge.yaml")
    assert time.process_time() - start < 2.0, "found fast (the limit is generous for a slow machine)"
    for line in caught.value.problems:
        assert line.startswith("huge.yaml: ") and "\n" not in line
        assert len(line) < 600, "the number is not echoed in full"
    assert caught.value.problems


def test_the_digits_are_counted_in_the_problem() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(with_number("horizon_years", "0x" + "f" * 5000), "huge.yaml")
    assert caught.value.problems[0].startswith("huge.yaml: horizon_years (line ")
    assert "a whole number of 5,000 digits" in caught.value.problems[0]
    assert "a whole number from 1 to 10" in caught.value.problems[0]


def test_ordinary_numbers_still_load() -> None:
    assert parse_scenario(with_number("horizon_years", "0x7"), "ok.yaml").horizon_years == 7
    assert parse_scenario(with_number("horizon_years", "1_0"), "ok.yaml").horizon_years == 10


@pytest.mark.parametrize("notation", ["hex", "sexagesimal", "decimal"])
def test_the_command_line_prints_the_problem_without_a_traceback(tmp_path: Path, notation: str) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(with_number("overrides.reoffending_effect", NOTATIONS[notation]), encoding="utf-8")
    for args in (["validate", str(path)], ["project", str(path), "--format", "table"]):
        res = subprocess.run([sys.executable, "-m", "cjcore", *args], cwd=ROOT, capture_output=True, text=True,
                             timeout=120, check=False)
        assert res.returncode == 1
        assert "Traceback" not in res.stderr
        assert "overrides.reoffending_effect (line " in res.stderr
        assert len(res.stderr.splitlines()) == 1


def test_the_app_lists_the_problem(make_app: Callable[..., AppTest]) -> None:
    at = make_app().run()
    at.switch_page("pages/scenarios.py").run()
    text = with_number("funding.pooled_budget_gbp_m", NOTATIONS["hex"]).encode()
    at.file_uploader[0].upload("huge.yaml", text, "application/x-yaml").run()
    assert not at.exception
    errors = " ".join(shown_text(e.value) for e in at.error)
    assert "huge.yaml: funding.pooled_budget_gbp_m (line " in errors
    assert "a whole number of 5,000 digits" in errors
    assert at.sidebar.selectbox, "the sidebar is drawn in full"

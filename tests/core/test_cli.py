"""Tests of the command line `python -m cjcore`, run as a real subprocess from the repository root."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cjcore.scenario_io import builtin_scenarios

ROOT = Path(__file__).resolve().parents[2]
GM = "scenarios/greater-manchester.yaml"


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cjcore", *args], cwd=ROOT, capture_output=True, text=True,
                          input=stdin, timeout=120, check=False)


def test_list_names_areas_scenarios_functions_and_stages() -> None:
    res = cli("list")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    for heading in ("Areas (43", "Built-in scenarios", "Functions (9)", "Stages of the devolution spectrum"):
        assert heading in out
    assert "greater-manchester  Greater Manchester — Mayor with PCC functions" in out
    for key in builtin_scenarios():
        assert f"    {key}" in out
    assert "problem_solving_courts  Problem-solving courts" in out
    assert out.index("co_design") < out.index("co_investment") < out.index("full_transfer")
    assert "INVALID" not in out
    assert res.stderr == ""


def test_validate_all_builtins() -> None:
    files = [f"scenarios/{p.name}" for p in builtin_scenarios().values()]
    res = cli("validate", *files)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [f"OK {f}" for f in files]


def test_validate_a_folder() -> None:
    res = cli("validate", "scenarios")
    assert res.returncode == 0, res.stderr
    assert len(res.stdout.splitlines()) == len(builtin_scenarios())


def test_validate_bad_files_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\narea: londn\nfunding:\n  national_share: 2\n  national_share: 3\n", encoding="utf-8")
    worse = tmp_path / "worse.yaml"
    worse.write_text("name: x\narea: londn\nfunding: {national_share: 2}\ncolour: red\n", encoding="utf-8")
    res = cli("validate", GM, str(bad), str(worse))
    assert res.returncode == 1
    assert res.stdout == f"OK {GM}\n"
    lines = res.stderr.splitlines()
    assert lines == [
        f"{bad}: funding.national_share (line 5): the key 'national_share' a second time (first at line 4) — "
        "each key may appear only once in a mapping; delete one of them",
        f"{worse}: area (line 2): 'londn' — no such police force area; did you mean 'london' "
        "(London (Metropolitan Police area))? allowed: one of the 43 area keys ('python -m cjcore list' shows "
        "them all)",
        f"{worse}: funding.national_share (line 3): 2 — a number from 0 to 1",
        f"{worse}: colour (line 4): 'red' — no such field; allowed fields here: schema, name, area, description, "
        "horizon_years, placements, funding, governance, baseline, overrides, notes",
    ]
    assert "Traceback" not in res.stderr


def test_validate_missing_and_hostile_files(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(f'name: !!python/object/apply:os.system ["touch {marker}"]\narea: london\n', encoding="utf-8")
    res = cli("validate", str(tmp_path / "missing.yaml"), str(evil))
    assert res.returncode == 1
    assert "missing.yaml: (whole file): a file that does not exist" in res.stderr
    assert "the YAML tag !!python/object/apply:os.system" in res.stderr
    assert not marker.exists()
    assert "Traceback" not in res.stderr


def test_project_csv_is_the_tidy_frame() -> None:
    res = cli("project", GM, "--draws", "50", "--seed", "3")
    assert res.returncode == 0, res.stderr
    frame = pd.read_csv(io.StringIO(res.stdout))
    assert list(frame.columns[:6]) == ["year", "cohort", "metric", "series", "value", "p10"]
    assert "p90" in frame.columns
    assert {"baseline", "scenario", "baseline_default"} == set(frame["series"])
    assert "all" in set(frame["cohort"])
    assert frame["year"].max() == 5
    assert frame["p10"].notna().any()
    again = cli("project", GM, "--draws", "50", "--seed", "3")
    assert again.stdout == res.stdout  # seeded: reproducible


def test_project_json_has_summary_and_frame() -> None:
    res = cli("project", GM, "--format", "json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert {"summary", "frame"} <= set(data)
    keys = {row["key"] for row in data["summary"]}
    assert "reoffences_avoided" in keys
    assert {"label", "unit", "value", "p10", "median", "p90"} <= set(data["summary"][0])
    assert {"year", "cohort", "metric", "series", "value", "p10", "p90"} <= set(data["frame"][0])
    assert data["scenario"]["area"] == "greater-manchester"


def test_project_table_is_readable() -> None:
    res = cli("project", "greater-manchester", "--format", "table", "--draws", "100")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "Greater Manchester — youth justice and women first"
    assert "100 uncertainty draws" in lines[1]
    header = next(line for line in lines if line.startswith("Headline"))
    assert header.split() == ["Headline", "Central", "p10", "Median", "p90", "Unit"]
    assert any(line.startswith("Reoffences avoided") and "offences over the horizon" in line for line in lines)
    assert "£m" in res.stdout


def test_project_reads_stdin() -> None:
    text = (ROOT / GM).read_text(encoding="utf-8")
    res = cli("project", "-", "--format", "table", stdin=text)
    assert res.returncode == 0, res.stderr
    assert "Reoffences avoided" in res.stdout


@pytest.mark.parametrize(("args", "code", "message"), [
    (["project", "nowhere.yaml"], 1, "nowhere.yaml: (whole file): a file that does not exist — a scenario file, or a "
                                     "built-in scenario: "),
    (["project", GM, "--draws", "-5"], 2, "draws must be from 0 to 100,000"),
    # argparse's own refusals: the wording is the standard library's, so only the bad value is checked.
    (["project", GM, "--format", "xml"], 2, "xml"),
    (["frobnicate"], 2, "frobnicate"),
    ([], 2, "COMMAND"),
])
def test_user_errors_exit_without_traceback(args: list[str], code: int, message: str) -> None:
    res = cli(*args)
    assert res.returncode == code
    assert message in res.stderr
    assert "Traceback" not in res.stderr
    assert res.stdout == ""

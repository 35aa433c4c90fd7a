"""`python -m cjcore scenarios list | export | import`, run as a real subprocess on a store of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cjcore.scenario_io import dump_scenario, load_builtin, parse_scenario
from cjcore.store import LOCAL, open_store

ROOT = Path(__file__).resolve().parents[2]


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CJ_SCENARIO_DIR": str(home)}
    env.pop("CJ_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "cjcore", "scenarios", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_import_list_and_export_round_trip(scenario_home: Path, tmp_path: Path) -> None:
    london = load_builtin("london").with_changes(name="Team\x1b[31m plan")
    good = tmp_path / "good.yaml"
    good.write_text(dump_scenario(london), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: 1\nname: x\narea: londn\n", encoding="utf-8")
    res = cli(scenario_home, "import", str(good), str(bad))
    assert res.returncode == 1  # one file was invalid
    (line,) = res.stdout.splitlines()
    assert line.startswith(f"IMPORTED {good} as ") and "\x1b" not in line and "\\x1b" in line
    assert res.stderr.startswith(f"{bad}: area") and "Traceback" not in res.stderr
    sid = line.split(" as ", 1)[1].split(" ", 1)[0]

    store = open_store()
    store.save(LOCAL, sid, london.with_changes(horizon_years=8), base=1)
    store.close()

    res = cli(scenario_home, "list")
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[0] == "Saved scenarios (1)"
    assert sid in res.stdout and " v2 " in res.stdout and "\x1b" not in res.stdout

    res = cli(scenario_home, "export", sid)
    assert res.returncode == 0 and parse_scenario(res.stdout).horizon_years == 8
    res = cli(scenario_home, "export", sid, "--version", "1")
    assert parse_scenario(res.stdout) == london
    assert parse_scenario(cli(scenario_home, "export", f"{sid}@1").stdout) == london
    out = tmp_path / "out.yaml"
    res = cli(scenario_home, "export", sid, "-o", str(out))
    assert res.returncode == 0 and parse_scenario(out.read_text(encoding="utf-8")).horizon_years == 8


@pytest.mark.parametrize(("args", "code", "message"), [
    (["export", "nosuchid"], 1, "nosuchid: no saved scenario 'nosuchid'"),
    (["export", "nosuchid@x"], 2, "is not a version number"),
    (["export", "nosuchid", "--version", "0"], 2, "is not a version number"),
    (["import", "missing.yaml"], 1, "missing.yaml: (whole file): a file that does not exist"),
    (["frobnicate"], 2, "invalid choice"),
])
def test_scenarios_errors_are_one_line(scenario_home: Path, args: list[str], code: int, message: str) -> None:
    res = cli(scenario_home, *args)
    assert res.returncode == code
    assert message in res.stderr and "Traceback" not in res.stderr

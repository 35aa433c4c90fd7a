"""The command line's text output (issue 14, item 9): control characters from a file are written out, and a
folder with no scenario file is an error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cjcore.scenario_io import dump_scenario, load_builtin

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cjcore", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)


def test_control_characters_in_a_name_are_escaped_in_the_table(tmp_path: Path) -> None:
    name = "Plan \x1b[2J\x1b[31mRED\x07 \u202eevil\u202c \x9b1m"
    path = tmp_path / "ctl.yaml"
    path.write_text(dump_scenario(load_builtin("london").with_changes(name=name)), encoding="utf-8")
    res = cli("project", str(path), "--format", "table")
    assert res.returncode == 0, res.stderr
    first = res.stdout.splitlines()[0]
    assert first == "Plan \\x1b[2J\\x1b[31mRED\\x07 \\u202eevil\\u202c \\x9b1m"
    assert not any(ch in res.stdout for ch in "\x1b\x07\u202e\x9b")


def test_control_characters_in_a_problem_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "bad\x1b[31m.yaml"
    path.write_text('schema: 1\nname: "x"\narea: "\\e[2Jlondn"\n', encoding="utf-8")
    res = cli("validate", str(path))
    assert res.returncode == 1
    assert "\x1b" not in res.stderr and "\\x1b" in res.stderr


def test_validate_a_folder_without_scenarios_says_so_and_fails(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a scenario", encoding="utf-8")
    res = cli("validate", str(tmp_path))
    assert res.returncode == 1
    assert res.stdout == ""
    assert res.stderr == f"{tmp_path}: (whole file): a folder with no .yaml file — a scenario file, or a folder " \
                         "holding scenario files (*.yaml)\n"


def test_validate_a_folder_with_scenarios_still_passes(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(dump_scenario(load_builtin("london")), encoding="utf-8")
    res = cli("validate", str(tmp_path))
    assert res.returncode == 0 and res.stdout == f"OK {tmp_path / 'one.yaml'}\n"

r"""The command line: the same numbers as the app, from the shell.

    python -m cjcore list
    python -m cjcore validate scenarios/*.yaml
    python -m cjcore project scenarios/greater-manchester.yaml --draws 1000 --format csv
    python -m cjcore baseline-template > my-area.csv        # the area's own figures (docs/own-figures.md)
    python -m cjcore baseline-yaml my-area.csv              # ... as a scenario's baseline: block
    python -m cjcore scenarios list                         # saved scenarios (the app's store)
    python -m cjcore scenarios export ID [--version N] [-o FILE]
    python -m cjcore scenarios import FILE...               # each file a new saved scenario

Exit codes: 0 success; 1 a scenario is invalid or cannot be read (or a folder given to validate holds no .yaml
file); 2 the command was used wrongly. Problems go to stderr as plain lines (``FILE: field.path: what was given —
what is allowed``), never as a traceback. Text from a file (names, paths, problems) is printed with its control
characters written out (``\x1b``), so a scenario cannot move the cursor, recolour or clear the terminal.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from cjcore.scenario_io import (
    Problem,
    ScenarioError,
    builtin_scenarios,
    load_scenario,
    parse_scenario,
    read_capped,
)
from cjcore.schema import Scenario
from cjcore.text import visible
from cjcore.vocab import FUNCTIONS, GOVERNANCE, STAGES

#: Most uncertainty draws the command line accepts (memory grows with draws × years × cohorts).
MAX_DRAWS = 100_000
DEFAULT_SEED = 1


def _non_negative_draws(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= MAX_DRAWS:
        raise argparse.ArgumentTypeError(f"{value} — draws must be from 0 to {MAX_DRAWS:,}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cjcore",
        description="Devolution-spectrum explorer: list what the model knows, check scenario files, project them.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("list", help="areas, built-in scenarios, functions and stages",
                   description="List the areas, built-in scenarios, functions and spectrum stages.")
    validate = sub.add_parser("validate", help="check scenario files", description=(
        "Check scenario files. Prints 'OK FILE' for each valid file and every problem of each invalid one "
        "(on stderr); exits with 1 if any file is invalid. A folder means every .yaml file in it."))
    validate.add_argument("files", nargs="+", metavar="FILE")
    project = sub.add_parser("project", help="project a scenario against its baseline", description=(
        "Project a scenario against its baseline. FILE is a scenario file, a built-in scenario's key "
        "(e.g. greater-manchester) or - for standard input."))
    project.add_argument("file", metavar="FILE")
    project.add_argument("--draws", type=_non_negative_draws, default=0,
                         help="uncertainty draws (0 = central estimate only; default 0)")
    project.add_argument("--seed", type=int, default=DEFAULT_SEED,
                         help=f"random seed for the draws (default {DEFAULT_SEED}, so runs are reproducible)")
    project.add_argument("--format", choices=("csv", "json", "table"), default="csv",
                         help="csv: the tidy frame; json: summary and frame; table: the summary as text "
                              "(default csv)")
    sub.add_parser("baseline-template", help="a blank CSV file for the area's own baseline figures", description=(
        "Print a blank CSV file for an area's own baseline figures (MoJ proven reoffending counts by age group, "
        "optional local unit costs); the format is in docs/own-figures.md."))
    own = sub.add_parser("baseline-yaml", help="turn an own-figures CSV file into a scenario's baseline block",
                         description="Check an own-figures CSV file and print it as the 'baseline:' block of a "
                                     "scenario file (problems on stderr, exit 1).")
    own.add_argument("file", metavar="CSV")
    saved = sub.add_parser("scenarios", help="list, export and import saved scenarios", description=(
        "The app's saved scenarios (the scenario store: $CJ_DATABASE_URL, or explorer.db in $CJ_SCENARIO_DIR "
        "or ~/.cjexplorer/scenarios). YAML is the export and import format."))
    action = saved.add_subparsers(dest="action", required=True, metavar="ACTION")
    action.add_parser("list", help="every saved scenario: id, latest version, when, title",
                      description="List every saved scenario, most recently saved first.")
    export = action.add_parser("export", help="one version of a saved scenario as YAML",
                               description="Write a saved scenario's latest version (or --version N) as YAML.")
    export.add_argument("id", metavar="ID", help="the scenario's id (from 'scenarios list'), or ID@N")
    export.add_argument("--version", type=_positive, metavar="N", help="the version (default: the latest)")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    imp = action.add_parser("import", help="save scenario files as new saved scenarios",
                            description="Check each file and save it as a new scenario (version 1); prints the new "
                                        "id. Invalid files are reported on stderr and skipped (exit 1).")
    imp.add_argument("files", nargs="+", metavar="FILE")
    return parser


def _positive(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a version number (1, 2, 3, ...)")
    return int(text)


# ----------------------------------------------------------------------------------------------- list
def _cmd_list(out: TextIO) -> int:
    from cjcore.areas import REPORT_AREAS, load_areas

    areas = load_areas()
    width = max(len(k) for k in areas)
    out.write(f"Areas ({len(areas)} police force areas; * = studied by a Crest report)\n")
    for key, area in areas.items():
        mark = "*" if key in REPORT_AREAS else " "
        reports = f"  [report {area.report}]" if area.report else ""
        out.write(f"  {mark} {key:<{width}}  {area.name} — {GOVERNANCE[area.governance].label}{reports}\n")

    files = builtin_scenarios()
    out.write(f"\nBuilt-in scenarios ({len(files)})\n")
    width = max((len(k) for k in files), default=0)
    for key, path in files.items():
        try:
            sc = load_scenario(path)
            out.write(visible(f"    {key:<{width}}  {sc.name} (area: {sc.area})") + "\n")
        except ScenarioError as exc:
            out.write(visible(f"    {key:<{width}}  INVALID: {exc.problems[0]}") + "\n")

    out.write(f"\nFunctions ({len(FUNCTIONS)})\n")
    width = max(len(f.key) for f in FUNCTIONS)
    for f in FUNCTIONS:
        out.write(f"    {f.key:<{width}}  {f.label}\n")

    out.write(f"\nStages of the devolution spectrum, in order ({len(STAGES)})\n")
    width = max(len(s.key) for s in STAGES)
    for s in STAGES:
        out.write(f"    {s.key:<{width}}  {s.label}: {s.description}\n")
    return 0


# ------------------------------------------------------------------------------------------- validate
def _expand(files: Sequence[str], err: TextIO) -> tuple[list[Path], int]:
    """The files to check (a folder's .yaml files), and 1 if a folder held none (said on ``err``)."""
    paths: list[Path] = []
    status = 0
    for name in files:
        path = Path(name)
        if path.is_dir():
            found = sorted(path.glob("*.yaml"))
            if not found:
                status = 1
                err.write(visible(f"{path}: (whole file): a folder with no .yaml file — a scenario file, or a folder "
                                  "holding scenario files (*.yaml)") + "\n")
            paths.extend(found)
        else:
            paths.append(path)
    return paths, status


def _cmd_validate(files: Sequence[str], out: TextIO, err: TextIO) -> int:
    paths, status = _expand(files, err)
    for path in paths:
        try:
            load_scenario(path, source=str(path))
        except ScenarioError as exc:
            status = 1
            for line in exc.problems:
                err.write(visible(line) + "\n")
        else:
            out.write(visible(f"OK {path}") + "\n")
    return status


# -------------------------------------------------------------------------------------------- project
def _load(file: str) -> Scenario:
    if file == "-":
        return parse_scenario(sys.stdin.buffer.read(), "<stdin>")
    path = Path(file)
    builtins = builtin_scenarios()
    if not path.exists():
        if file in builtins:
            return load_scenario(builtins[file], source=file)
        raise ScenarioError(Problem(file, "", "a file that does not exist",
                                    f"a scenario file, or a built-in scenario: {', '.join(builtins)}"))
    return load_scenario(path, source=file)


def _number(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if "share" in unit:
        return f"{value:.0%}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"


def _table(run: object, out: TextIO) -> None:
    from cjcore.areas import get_area

    sc: Scenario = run.scenario  # type: ignore[attr-defined]
    summary = run.summary  # type: ignore[attr-defined]
    draws = run.draws  # type: ignore[attr-defined]
    out.write(visible(sc.name) + "\n")
    out.write(f"Area: {get_area(sc.area).name}; horizon {sc.horizon_years} years; ")
    out.write(f"{draws:,} uncertainty draws\n\n" if draws else "central estimate (no uncertainty draws)\n\n")
    headers = ["Headline", "Central", "p10", "Median", "p90", "Unit"]
    rows = [
        [row.label, *(_number(getattr(row, c), row.unit) for c in ("value", "p10", "median", "p90")), row.unit]
        for row in summary.itertuples()
    ]
    if not draws:
        headers, rows = [headers[0], headers[1], headers[5]], [[r[0], r[1], r[5]] for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    numeric = [0 < i < len(headers) - 1 for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric, strict=True))

    out.write(line(headers).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in rows:
        out.write(line(r).rstrip() + "\n")


def _cmd_project(file: str, draws: int, seed: int, fmt: str, out: TextIO) -> int:
    from cjcore.engine import project

    scenario = _load(file)
    run = project(scenario, draws=draws, seed=seed)
    if fmt == "csv":
        run.frame.to_csv(out, index=False)
    elif fmt == "json":
        payload = {
            "scenario": {"name": scenario.name, "area": scenario.area, "horizon_years": scenario.horizon_years,
                         "draws": draws, "seed": seed},
            "summary": json.loads(run.summary.reset_index().to_json(orient="records")),
            "frame": json.loads(run.frame.to_json(orient="records")),
        }
        json.dump(payload, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        _table(run, out)
    return 0


# ------------------------------------------------------------------------------------------ own figures
def _cmd_baseline_yaml(file: str, out: TextIO) -> int:
    from cjcore.baseline_csv import MAX_CSV_BYTES, baseline_yaml, parse_baseline_csv

    data = read_capped(Path(file), file, MAX_CSV_BYTES, "an own-figures CSV file")
    out.write(baseline_yaml(parse_baseline_csv(data, file)))
    return 0


# ------------------------------------------------------------------------------------------ scenarios
def _cmd_scenarios(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from cjcore.store import LOCAL, NotFound, ReadOnly, open_store

    store = open_store()
    try:
        if args.action == "list":
            found = store.list(LOCAL)
            out.write(f"Saved scenarios ({len(found)})\n")
            for info in found:
                out.write(f"  {info.id}  v{info.latest:<3} {info.updated_at:%Y-%m-%d %H:%M} UTC  "
                          f"{visible(info.title)}\n")
            if not store.writable:
                err.write(f"{store.read_only_reason}\n")
            return 0
        if args.action == "export":
            sid, _, at = str(args.id).partition("@")
            try:
                number = args.version or (_positive(at) if at else None)
            except argparse.ArgumentTypeError as exc:
                err.write(f"python -m cjcore scenarios export: error: {exc}\n")
                return 2
            try:
                version = store.latest(LOCAL, sid) if number is None else store.get(LOCAL, sid, number)
            except NotFound as exc:
                err.write(f"{visible(str(args.id))[:60]}: {exc} — an id from 'python -m cjcore scenarios list'\n")
                return 1
            if not args.output:
                out.write(version.yaml)
                return 0
            try:
                Path(args.output).write_text(version.yaml, encoding="utf-8")
            except OSError as exc:
                err.write(f"{args.output}: cannot be written ({exc.strerror}) — a file in a folder you can write\n")
                return 1
            out.write(f"EXPORTED {version.scenario_id} version {version.number} to {args.output}\n")
            return 0
        paths, status = _expand(args.files, err)
        for path in paths:
            try:
                scenario = load_scenario(path, source=str(path))
            except ScenarioError as exc:
                status = 1
                for line in exc.problems:
                    err.write(visible(line) + "\n")
                continue
            try:
                saved = store.create(LOCAL, scenario)
            except ReadOnly as exc:
                err.write(f"{path}: {exc.reason}\n")
                return 1
            out.write(f"IMPORTED {path} as {saved.scenario_id} ({visible(saved.title)})\n")
        return status
    finally:
        store.close()


# ----------------------------------------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: The arguments (without the program name); ``sys.argv[1:]`` by default.

    Returns:
        The exit code: 0 success, 1 an invalid or unreadable scenario, 2 wrong usage.
    """
    args = _parser().parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        if args.command == "list":
            return _cmd_list(out)
        if args.command == "validate":
            return _cmd_validate(args.files, out, err)
        if args.command == "baseline-template":
            from cjcore.baseline_csv import template_csv

            out.write(template_csv())
            return 0
        if args.command == "baseline-yaml":
            return _cmd_baseline_yaml(args.file, out)
        if args.command == "scenarios":
            return _cmd_scenarios(args, out, err)
        return _cmd_project(args.file, args.draws, args.seed, args.format, out)
    except ScenarioError as exc:
        err.write(visible(str(exc), keep_newlines=True) + "\n")
        return 1
    except BrokenPipeError:  # piped into e.g. `head`, which stopped reading: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not complain
        return 0

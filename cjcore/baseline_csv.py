"""The area's own baseline figures as a CSV file: reading it into a scenario's ``baseline`` block, and a template.

An analyst is more likely to hold the MoJ proven-reoffending geographic data tool's figures in a spreadsheet than
in YAML, so the same fields as ``cjcore.schema.SuppliedBaseline`` can come as a small CSV file (the format is in
docs/own-figures.md; ``template_csv`` writes a blank one)::

    # source: MoJ proven reoffending geographic data tool, Apr 2021–Mar 2022 cohort
    # prison_cost_per_place_gbp: 52000
    group,offenders,reoffenders,reoffences,reoffending_rate
    young_people,850,290,1050,34.1%
    young_adults,3100,820,2600,
    adults_25plus,9400,2450,8900,0.261

A header row, then one row per age group. Lines starting ``#`` are comments, except a comment of the form
``# name: value`` whose name is ``source`` or one of the unit-cost keys (``cjcore.schema.UNIT_COST_KEYS``): that
sets the field (a blank value leaves the register's unit cost in place). ``reoffending_rate`` is optional: a share
from 0 to 1 or a percentage with ``%``; when given it must agree with reoffenders ÷ offenders, a check against
figures copied into the wrong column.

Reading is as careful as for scenario files (``cjcore.scenario_io``): a file over 1 MB is refused before it is
parsed, and every problem found becomes one line ``FILE: field: what was given — what is allowed`` in one
``ScenarioError``, the field checks being the schema's own. No Streamlit here: an app passes the uploaded bytes.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Mapping
from typing import Any

import yaml
from pydantic import ValidationError

from cjcore.scenario_io import (
    Problem,
    ScenarioError,
    _given,
    _ScenarioDumper,
    _validation_problems,
    decode_text,
)
from cjcore.schema import UNIT_COST_KEYS, SuppliedBaseline

#: Largest CSV file accepted, in bytes (checked before parsing). A filled-in template is well under 2 KB.
MAX_CSV_BYTES = 1024 * 1024
#: Most data rows read (the file has one per age group); more are refused.
MAX_ROWS = 100
#: The age groups of the area data, in the order of the template (``cjcore.areas.GROUP_KEYS``).
GROUPS: tuple[str, ...] = ("young_people", "young_adults", "adults_25plus")
GROUP_AGES: Mapping[str, str] = {"young_people": "10–17", "young_adults": "18–24", "adults_25plus": "25+"}
#: Columns every file has, and the optional one.
REQUIRED_COLUMNS: tuple[str, ...] = ("group", "offenders", "reoffenders", "reoffences")
OPTIONAL_COLUMNS: tuple[str, ...] = ("reoffending_rate",)
COUNT_COLUMNS: tuple[str, ...] = ("offenders", "reoffenders", "reoffences")
#: Names a ``# name: value`` comment line may set.
SETTINGS: tuple[str, ...] = ("source", *UNIT_COST_KEYS)
#: How far a given reoffending rate may be from reoffenders ÷ offenders (half a percentage point: rounding).
RATE_TOLERANCE = 0.005
_EXAMPLE_SOURCE = "MoJ proven reoffending geographic data tool, Apr 2021–Mar 2022 cohort"

#: Other ways of writing a group (after ``_group_key``): its ages, e.g. 10-17, 10 to 17, 25+, 25 and over.
_GROUP_ALIASES: Mapping[str, str] = {
    "10_17": "young_people", "10_to_17": "young_people",
    "18_24": "young_adults", "18_to_24": "young_adults",
    "25plus": "adults_25plus", "25_and_over": "adults_25plus", "adults_25_and_over": "adults_25plus",
}
_SETTING_LINE = re.compile(r"#\s*([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)\Z", re.DOTALL)
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _key(text: str) -> str:
    """A header or group cell as a key: trimmed, lower case, spaces, hyphens and dashes as underscores."""
    return re.sub(r"[\s\-–—]+", "_", text.strip().lower()).strip("_")


def _group_key(text: str) -> str:
    """A group cell as a key: ``_key`` with '+' (and '_+') written 'plus', so '25+' and 'adults 25+' are found."""
    return re.sub(r"_?\+", "plus", _key(text))


def _number(text: str) -> float | None:
    """A number written in a cell (thousands separators allowed), or None if it is not one."""
    text = text.strip()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if value == value and abs(value) != float("inf") else None


def _whole(value: float) -> float | int:
    return int(value) if value.is_integer() else value


def template_csv() -> str:
    """A blank CSV file to fill in: comments, the settings lines, a header row and one row per age group."""
    lines = [
        "# Your area's own baseline for the devolution-spectrum explorer (format: docs/own-figures.md).",
        "# One annual proven-reoffending cohort from the MoJ proven reoffending geographic data tool; one row per",
        "# age group with counts (people and proven reoffences). reoffending_rate may be left blank; if given (a",
        "# share from 0 to 1 or a percentage such as 34.1%) it must agree with reoffenders / offenders.",
        "# Say where the figures come from on the source line (required), e.g.",
        f"# {_EXAMPLE_SOURCE}",
        "# source:",
        "# Optional local unit costs in £ at 2024/25 prices; leave blank to use the evidence register's.",
        *(f"# {key}:" for key in UNIT_COST_KEYS),
        ",".join((*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)),
        *(f"{group},,,," for group in GROUPS),
    ]
    return "\n".join(lines) + "\n"


def baseline_yaml(baseline: SuppliedBaseline) -> str:
    """The ``baseline:`` block of a scenario file for these figures (to paste into a scenario by hand)."""
    data = {k: v for k, v in baseline.model_dump(mode="python").items() if v is not None}
    return yaml.dump({"baseline": data}, Dumper=_ScenarioDumper, sort_keys=False, default_flow_style=False,
                     allow_unicode=True, width=100)


def _decode(data: bytes, name: str) -> str:
    return decode_text(data, name, MAX_CSV_BYTES, "the figures need a few lines",
                       "UTF-8 text; in a spreadsheet, save as 'CSV UTF-8'",
                       "a header row and one row per age group (python -m cjcore baseline-template writes a "
                       "blank file to fill in)")


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems in the order a reader meets them; those of no one line (a missing row or setting) last."""
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0))


class _Reader:
    """State while one file is read: what it sets, where, and the problems found."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.reported: set[str] = set()  # field paths with a problem already (so the schema does not repeat it)
        self.lines: dict[str, int] = {}
        self.settings: dict[str, Any] = {}
        self.header: list[str] | None = None
        self.groups: dict[str, dict[str, float]] = {}
        self.rates: dict[str, tuple[str, float, int]] = {}  # group -> (as written, share, line)

    def problem(self, path: str, given: str, allowed: str, line: int | None) -> None:
        self.problems.append(Problem(self.name, path, given, allowed, line))
        self.reported.add(path)

    # --------------------------------------------------------------------------------------- comments
    def comment(self, cells: list[str], line: int) -> None:
        text = ",".join(cells).rstrip(", \t")  # a spreadsheet splits a comment at commas and pads the row
        match = _SETTING_LINE.match(text.strip())
        if match is None:
            return
        key, value = match[1].lower(), match[2].strip().strip('"').strip()
        if key not in SETTINGS:
            if "_" in key or difflib.get_close_matches(key, SETTINGS, n=1, cutoff=0.8):
                close = difflib.get_close_matches(key, SETTINGS, n=1, cutoff=0.5)
                hint = f"did you mean {close[0]!r}? " if close else ""
                self.problem(f"line {line}", f"the setting {match[1]!r}",
                             f"no such setting; {hint}allowed: {', '.join(SETTINGS)} (other comments must not "
                             "start with a name and a colon)", line)
            return  # a comment that happens to contain a colon
        if key in self.settings or key in self.reported:
            self.problem(key, f"{key} a second time (first at line {self.lines[key]})",
                         "each setting once; delete one of the lines", line)
            return
        self.lines[key] = line
        if key == "source":
            if value:
                self.settings[key] = value
            return
        if not value:
            return  # left blank: the register's unit cost stays
        number = _number(value.lstrip("£"))
        if number is None:
            self.problem(key, _given(value), "a number (£ in 2024/25 prices), or nothing to keep the register's", line)
        else:
            self.settings[key] = _whole(number)

    # ----------------------------------------------------------------------------------------- header
    def read_header(self, cells: list[str], line: int) -> None:
        before = len(self.problems)
        names = [_key(c) for c in cells]
        while names and not names[-1]:
            names.pop()
        allowed = f"{', '.join(REQUIRED_COLUMNS)} (and optionally {', '.join(OPTIONAL_COLUMNS)})"
        if len(names) == 1 and any(sep in cells[0] for sep in ";\t|"):
            self.problem("columns", _given(cells[0]), f"columns separated by commas: {allowed}", line)
        else:
            known = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
            seen: set[str] = set()
            for raw, name in zip(cells, names, strict=False):
                if name in seen:
                    self.problem("columns", f"the column {raw.strip()!r} a second time", "each column once", line)
                elif name not in known:
                    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
                    hint = f"did you mean {close[0]!r}? " if close else ""
                    shown = f"the column {raw.strip()!r}" if name else "a column with no name"
                    self.problem("columns", shown, f"no such column; {hint}allowed: {allowed}", line)
                seen.add(name)
            missing = [c for c in REQUIRED_COLUMNS if c not in seen]
            if missing:
                self.problem("columns", f"a header without {', '.join(missing)}",
                             f"a header row with the columns {allowed}", line)
        self.header = names
        if len(self.problems) > before:  # the rows cannot be read against a header that is wrong
            raise ScenarioError(_in_file_order(self.problems))

    # -------------------------------------------------------------------------------------------- rows
    def read_row(self, cells: list[str], line: int) -> None:
        assert self.header is not None
        row = dict(zip(self.header, cells, strict=False))
        written = row.get("group", "").strip()
        key = _group_key(written)
        group = key if key in GROUPS else _GROUP_ALIASES.get(key)
        extra = [c for c in cells[len(self.header):] if c.strip()]
        if extra:
            self.problem(f"line {line}", f"{len(self.header) + len(extra)} values, e.g. {_given(extra[0])}",
                         f"one value per column ({len(self.header)} columns: {', '.join(self.header)})", line)
            if group is not None:
                self.reported.add(group)  # the row is there, though unreadable: not also 'no row'
            return
        if group is None:
            close = difflib.get_close_matches(key, GROUPS, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}? " if close else ""
            self.problem("group", _given(written) if written else "an empty group",
                         f"{hint}an age group of the area data: "
                         + ", ".join(f"{g} ({GROUP_AGES[g]})" for g in GROUPS), line)
            return
        if group in self.groups:
            self.problem(f"line {line}", f"a second row for {group} (first at line {self.lines[group]})",
                         "one row per age group; delete one of them", line)
            return
        self.lines[group] = line
        counts: dict[str, float] = {}
        for column in COUNT_COLUMNS:
            path, cell = f"{group}.{column}", row.get(column, "").strip()
            self.lines[path] = line
            value = _number(cell)
            if value is None:
                given = _given(cell) if cell else "an empty cell"
                self.problem(path, given, "a number: a count of people or proven offences (0 or more)", line)
            else:
                counts[column] = _whole(value)
        self.groups[group] = counts
        rate_cell = row.get("reoffending_rate", "").strip()
        if rate_cell:
            self.read_rate(group, rate_cell, line)

    def read_rate(self, group: str, cell: str, line: int) -> None:
        path = f"{group}.reoffending_rate"
        percent = cell.endswith("%")
        value = _number(cell.rstrip("%").strip())
        if value is None:
            self.problem(path, _given(cell), "a share from 0 to 1 (e.g. 0.341), a percentage (34.1%) or nothing",
                         line)
            return
        share = value / 100 if percent else value
        if not 0 <= share <= 1:
            if not percent and 1 < value <= 100:
                why = f"{_whole(value)} looks like a percentage: write {value / 100:g} or {_whole(value)}%"
            else:
                why = "reoffenders are offenders who reoffended, so they cannot be more than the offenders"
            self.problem(path, _given(cell), f"a reoffending rate from 0 to 1, or 0% to 100%; {why}", line)
            return
        self.rates[group] = (cell, share, line)

    # ------------------------------------------------------------------------------------------- check
    def check_rates(self, baseline: SuppliedBaseline | None) -> None:
        for group, (cell, share, line) in self.rates.items():
            counts = self.groups.get(group, {})
            if baseline is not None:
                rate = baseline.groups[group].rate
            elif {"offenders", "reoffenders"} <= set(counts) and counts["offenders"] > 0:
                rate = counts["reoffenders"] / counts["offenders"]
            else:
                continue
            if rate > 1 or abs(share - rate) <= RATE_TOLERANCE:
                continue  # reoffenders above offenders is reported on its own
            self.problem(f"{group}.reoffending_rate", _given(cell),
                         f"the rate reoffenders ÷ offenders gives ({rate:.3f}), to within half a percentage point; "
                         "check the row's figures are in the right columns", line)


def parse_baseline_csv(data: bytes, name: str = "<csv>") -> SuppliedBaseline:
    """Read and check an area's own baseline figures from the bytes of a CSV file.

    Args:
        data: The file's contents (UTF-8; a leading byte-order mark, as spreadsheets write, is allowed).
        name: What to call the file in error messages, usually its name.

    Returns:
        The validated, immutable figures, ready for ``scenario.with_changes(baseline=...)``.

    Raises:
        ScenarioError: With one line per problem (``FILE: field: given — allowed``): a file over 1 MB (refused
            before parsing), not UTF-8 or empty, wrong or missing columns, a row for an unknown or repeated age
            group or a missing one, a value that is not a number, a negative count, reoffenders above offenders
            (a rate above 1), fewer reoffences than reoffenders, a rate above 1 or at odds with the counts, a
            unit cost outside the evidence register's bounds, no source.
    """
    text = _decode(bytes(data), name)
    reader = _Reader(name)
    n_rows = 0
    # Line by line (no value of this format spans lines), so a stray quote in a comment cannot swallow the rows
    # after it and every problem names its own line.
    for line, physical in enumerate(io.StringIO(text, newline=None), start=1):
        try:
            cells = next(csv.reader([physical.rstrip("\r\n")]), [])
        except csv.Error as exc:
            reader.problem(f"line {line}", f"text that cannot be read as CSV ({exc})",
                           "comma-separated values, with text in double quotes if it contains a comma", line)
            continue
        if not any(c.strip() for c in cells):
            continue
        if cells[0].lstrip().startswith("#"):
            reader.comment(cells, line)
        elif reader.header is None:
            reader.read_header(cells, line)
        else:
            n_rows += 1
            if n_rows > MAX_ROWS:
                reader.problem(f"line {line}", f"more than {MAX_ROWS} rows",
                               f"one row per age group ({len(GROUPS)} rows)", line)
                break
            reader.read_row(cells, line)
    if reader.header is None and not reader.problems:
        reader.problem("columns", "no header row",
                       f"a header row with the columns {', '.join(REQUIRED_COLUMNS)}, then one row per age group", None)
    if reader.header is not None:
        for group in GROUPS:
            if group not in reader.groups and group not in reader.reported:
                reader.problem(group, "no row", f"a row for each age group: {group} ({GROUP_AGES[group]})", None)
    if "source" not in reader.settings and "source" not in reader.reported:
        reader.problem("source", "nothing",
                       f"a line '# source: where the figures come from', e.g. '# source: {_EXAMPLE_SOURCE}'",
                       reader.lines.get("source"))

    raw: dict[str, Any] = dict(reader.settings)
    raw.update({g: c for g, c in reader.groups.items()})
    baseline: SuppliedBaseline | None = None
    try:
        baseline = SuppliedBaseline.model_validate(raw)
    except ValidationError as exc:
        for p in _validation_problems(exc, name, reader.lines, root=SuppliedBaseline):
            if p.path not in reader.reported and p.path.partition(".")[0] not in reader.reported:
                reader.problems.append(p)
                reader.reported.add(p.path)
    reader.check_rates(baseline)
    if reader.problems:
        raise ScenarioError(_in_file_order(reader.problems))
    assert baseline is not None
    return baseline

"""Tests of the area's own figures: a supplied baseline (YAML block or CSV file) in place of the derived one.

The promises (docs/own-figures.md): supplied counts replace the derived ones, so the baseline's first year has
exactly the supplied reoffenders and reoffences; supplied unit costs replace the register's as overrides do;
nothing changes without them; the block round-trips through YAML; bad figures are refused with one clear line
each (negative counts, reoffenders above offenders, rates above 1, wrong columns, a 10 MB file).
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cjcore import baseline_csv
from cjcore.areas import AREA_KEYS, GROUP_KEYS, get_area
from cjcore.baseline_csv import MAX_CSV_BYTES, baseline_yaml, parse_baseline_csv, template_csv
from cjcore.changes import assumption_changes
from cjcore.engine import Params, baseline_cohorts, project, sweep
from cjcore.evidence import load_register
from cjcore.own_figures import (
    COMPARISON_COLUMNS,
    SUPPLIED_LABEL,
    baseline_comparison,
    model_groups,
    model_overrides,
)
from cjcore.scenario_io import ScenarioError, dump_scenario, parse_scenario
from cjcore.schema import UNIT_COST_KEYS, Scenario, SuppliedBaseline

ROOT = Path(__file__).resolve().parents[2]
#: One problem line: FILE: field.path: what was given — what is allowed
LINE = re.compile(r"^(?P<file>[^:]+): (?P<path>[^:]+): (?P<given>.+) — (?P<allowed>.+)$")
SOURCE = "MoJ proven reoffending geographic data tool, Apr 2021–Mar 2022 cohort"
FIGURES: dict[str, Any] = {
    "source": SOURCE,
    "young_people": {"offenders": 850, "reoffenders": 290, "reoffences": 1050},
    "young_adults": {"offenders": 3100, "reoffenders": 820, "reoffences": 2600},
    "adults_25plus": {"offenders": 9400, "reoffenders": 2450, "reoffences": 8900.5},
}
GOOD_CSV = f"""\
# source: {SOURCE}
# prison_cost_per_place_gbp: £60,000
group,offenders,reoffenders,reoffences,reoffending_rate
young_people,850,290,1050,34.1%
18-24,"3,100",820,2600,
Adults 25+,9400,2450,8900.5,0.261
"""
SCENARIO_HEAD = "schema: 1\nname: Own figures\narea: greater-manchester\n"


def supplied(**changes: Any) -> SuppliedBaseline:
    return SuppliedBaseline.model_validate({**FIGURES, **changes})


def problems(exc: ScenarioError, source: str) -> list[dict[str, str]]:
    """Every problem of an error, split into its four parts (each must be in the project's form)."""
    out = []
    for line in exc.problems:
        m = LINE.match(line)
        assert m, f"not in the form 'FILE: field: given — allowed': {line!r}"
        assert m["file"] == source
        out.append(m.groupdict())
    return out


def yaml_problems(block: str) -> list[dict[str, str]]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(SCENARIO_HEAD + block, "own.yaml")
    return problems(info.value, "own.yaml")


def csv_problems(text: str | bytes) -> list[dict[str, str]]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(ScenarioError) as info:
        parse_baseline_csv(data, "figures.csv")
    return problems(info.value, "figures.csv")


def year_one(run: Any, metric: str, series: str = "baseline") -> dict[str, float]:
    f = run.frame
    rows = f[(f.year == 1) & (f.metric == metric) & (f.series == series)]
    return dict(zip(rows.cohort, rows.value, strict=True))


# ---------------------------------------------------------------------------------------------- strategies
@st.composite
def group_figures(draw: st.DrawFn) -> dict[str, float]:
    """A valid age group: offenders > 0, reoffenders a share of them, reoffences at least one each."""
    offenders = draw(st.one_of(st.integers(1, 100_000), st.floats(0.5, 100_000)))
    rate = draw(st.one_of(st.just(0.0), st.just(1.0), st.floats(0, 1)))
    reoffenders = offenders * rate
    per = draw(st.floats(1, 10))
    reoffences = reoffenders * per
    return {"offenders": offenders, "reoffenders": reoffenders, "reoffences": reoffences}


@st.composite
def baselines(draw: st.DrawFn) -> SuppliedBaseline:
    register = load_register()
    costs = {}
    for key in draw(st.lists(st.sampled_from(UNIT_COST_KEYS), unique=True)):
        lo, hi = register[key].bounds
        costs[key] = draw(st.one_of(st.integers(int(lo), int(hi)), st.floats(lo, hi)))
    source = draw(st.one_of(st.just(SOURCE), st.text(st.characters(blacklist_categories=("Cs",)), min_size=1,
                                                      max_size=200).filter(str.strip)))
    return SuppliedBaseline.model_validate(
        {"source": source, **{g: draw(group_figures()) for g in GROUP_KEYS}, **costs})


# ------------------------------------------------------------------------------------ the model uses them
@settings(max_examples=25)
@given(baselines(), st.sampled_from(AREA_KEYS))
def test_supplied_baseline_replaces_the_derived_one_in_year_one(own: SuppliedBaseline, area: str) -> None:
    sc = Scenario.model_validate({"schema": 1, "name": "t", "area": area, "horizon_years": 2}).with_changes(
        baseline=own)
    run = project(sc)
    for metric, field in (("reoffences", "reoffences"), ("reoffenders", "reoffenders"),
                          ("cohort_size", "offenders")):
        got = year_one(run, metric)
        want = {g: getattr(own, g).model_dump()[field] for g in GROUP_KEYS}
        assert got["young_people"] == pytest.approx(want["young_people"], rel=1e-9, abs=1e-9)
        assert got["young_adults"] == pytest.approx(want["young_adults"], rel=1e-9, abs=1e-9)
        assert got["adult_men"] + got["adult_women"] == pytest.approx(want["adults_25plus"], rel=1e-9, abs=1e-9)
        assert got["all"] == pytest.approx(sum(want.values()), rel=1e-9, abs=1e-9)
    # The baseline with default assumptions is the derived one.
    derived = get_area(area).total
    assert year_one(run, "reoffences", "baseline_default")["all"] == pytest.approx(derived.reoffences, rel=1e-9)
    for key in UNIT_COST_KEYS:
        expected = own.unit_costs.get(key, load_register()[key].model_value)
        assert run.params.scalar(key) == pytest.approx(expected, rel=1e-12)


def test_gm_year_one_baseline_reoffences_equal_the_supplied_ones(gm: Scenario) -> None:
    own = supplied()
    run = project(gm.with_changes(baseline=own), draws=30, seed=2)
    f = run.frame
    rows = f[(f.year == 1) & (f.metric == "reoffences") & (f.series == "baseline") & (f.cohort == "all")]
    assert rows["value"].item() == pytest.approx(1050 + 2600 + 8900.5, rel=1e-12)
    # The supplied counts are facts, not draws: every draw starts from them.
    assert rows["p10"].item() == pytest.approx(12550.5, rel=1e-12)
    assert rows["p90"].item() == pytest.approx(12550.5, rel=1e-12)


def test_baseline_cohorts_use_params_baseline_only_when_given(gm: Scenario) -> None:
    own = supplied()
    derived = baseline_cohorts(gm.area, Params({}, 0, None))
    mine = baseline_cohorts(gm.area, Params({}, 0, None, own))
    assert derived.size[0].sum() == pytest.approx(get_area(gm.area).total.offenders)
    assert mine.size[0].sum() == pytest.approx(850 + 3100 + 9400)
    assert mine.rate[0, 0] == pytest.approx(290 / 850) and mine.frequency[0, 1] == pytest.approx(2600 / 820)


def test_without_own_figures_nothing_changes(gm: Scenario) -> None:
    assert gm.baseline is None
    plain, none = project(gm, draws=20, seed=4), project(gm.with_changes(baseline=None), draws=20, seed=4)
    assert plain.frame.equals(none.frame)
    assert "baseline" not in dump_scenario(gm)
    assert dict(model_overrides(gm)) == dict(gm.overrides)
    assert model_groups(gm) == get_area(gm.area).groups


def test_supplied_unit_costs_replace_the_register_as_overrides_do(gm: Scenario) -> None:
    own_cost = supplied(prison_cost_per_place_gbp=80_000, court_cost_per_case_gbp=3000)
    by_block = project(gm.with_changes(baseline=own_cost), draws=40, seed=5)
    by_override = project(gm.with_changes(baseline=supplied(), overrides={"prison_cost_per_place_gbp": 80_000,
                                                                         "court_cost_per_case_gbp": 3000}),
                          draws=40, seed=5)
    assert by_block.summary.drop(columns="label").equals(by_override.summary.drop(columns="label"))
    assert by_block.params.scalar("prison_cost_per_place_gbp") == 80_000  # taken in the price base, no uplift
    assert dict(model_overrides(gm.with_changes(baseline=own_cost))) == {
        "prison_cost_per_place_gbp": 80_000, "court_cost_per_case_gbp": 3000}
    cheap = project(gm.with_changes(baseline=supplied(prison_cost_per_place_gbp=1000)))
    dear = project(gm.with_changes(baseline=supplied()))
    assert cheap.baseline.agency_cost[0, 0, 2] < dear.baseline.agency_cost[0, 0, 2]  # prisons


def test_sweep_and_stage_tradeoff_use_the_own_figures(gm: Scenario) -> None:
    from cjcore.report import stage_tradeoff

    own = gm.with_changes(baseline=supplied())
    assert not sweep(own, "youth_justice").equals(sweep(gm, "youth_justice"))
    assert not stage_tradeoff(own).equals(stage_tradeoff(gm))


def test_changes_name_the_own_figures(gm: Scenario) -> None:
    own = gm.with_changes(baseline=supplied())
    assert assumption_changes(gm, own) == [f"Own baseline figures supplied (source: {SOURCE})"]
    assert "removed" in assumption_changes(own, gm)[0]


# ------------------------------------------------------------------------------------ shown beside derived
def test_comparison_shows_each_supplied_figure_beside_the_derived_one(gm: Scenario) -> None:
    own = supplied(police_cost_per_arrest_gbp=1200)
    frame = baseline_comparison(gm.area, own)
    assert tuple(frame.columns) == COMPARISON_COLUMNS
    area = get_area(gm.area)
    yp = frame.set_index(["group", "field"])
    assert yp.loc[("young_people", "offenders"), "derived"] == area.groups["young_people"].offenders
    assert yp.loc[("young_people", "offenders"), "supplied"] == 850
    assert yp.loc[("young_people", "reoffending_rate"), "supplied"] == pytest.approx(290 / 850)
    assert yp.loc[("adults_25plus", "reoffences_per_reoffender"), "supplied"] == pytest.approx(8900.5 / 2450)
    assert yp.loc[("unit_costs", "police_cost_per_arrest_gbp"), "supplied"] == 1200
    assert math.isnan(yp.loc[("unit_costs", "prison_cost_per_place_gbp"), "supplied"])
    assert yp.loc[("unit_costs", "prison_cost_per_place_gbp"), "used"] == "derived"
    assert yp.loc[("unit_costs", "prison_cost_per_place_gbp"), "derived"] == pytest.approx(
        load_register()["prison_cost_per_place_gbp"].model_value)
    used = frame[frame.used == "supplied"]
    assert len(used) == 3 * 5 + 1
    assert (used.source == f"{SUPPLIED_LABEL}: {SOURCE}").all()
    assert (frame[frame.used == "derived"].source == frame[frame.used == "derived"].derived_source).all()
    assert "Derived, not published" in yp.loc[("young_people", "offenders"), "derived_source"]


def test_comparison_without_own_figures_is_all_derived(gm: Scenario) -> None:
    frame = baseline_comparison(gm.area)
    assert (frame.used == "derived").all() and frame.supplied.isna().all() and frame.relative_change.isna().all()
    assert not frame.source.str.contains(SUPPLIED_LABEL).any()


# ---------------------------------------------------------------------------------------------- YAML round trip
@settings(max_examples=40)
@given(baselines())
def test_block_round_trips_through_yaml(own: SuppliedBaseline) -> None:
    sc = Scenario.model_validate({"schema": 1, "name": "t", "area": "cumbria"}).with_changes(baseline=own)
    text = dump_scenario(sc)
    again = parse_scenario(text, "dumped.yaml")
    assert again == sc and again.baseline == own
    assert dump_scenario(again) == text


def test_dumped_block_is_readable_and_in_order(gm: Scenario) -> None:
    text = dump_scenario(gm.with_changes(baseline=supplied(prison_cost_per_place_gbp=52000)))
    data = yaml.safe_load(text)
    assert list(data).index("baseline") == list(data).index("governance") + 1
    assert list(data["baseline"]) == ["source", *GROUP_KEYS, "prison_cost_per_place_gbp"]  # unset costs left out
    assert "    offenders: 850\n" in text  # whole counts without '.0'
    assert "    reoffences: 8900.5\n" in text
    assert f"  source: {SOURCE}\n" in text


def test_csv_to_block_to_scenario_is_the_same_baseline() -> None:
    own = parse_baseline_csv(GOOD_CSV.encode("utf-8"), "figures.csv")
    assert own == supplied(prison_cost_per_place_gbp=60000)
    block = baseline_yaml(own)
    assert block.startswith("baseline:\n  source: ")
    sc = parse_scenario(SCENARIO_HEAD + block, "pasted.yaml")
    assert sc.baseline == own


# ---------------------------------------------------------------------------------------- bad figures: YAML
def block(**group_changes: Any) -> str:
    data = {**FIGURES, **group_changes}
    return yaml.safe_dump({"baseline": data}, sort_keys=False, allow_unicode=True)


@pytest.mark.parametrize(("changes", "path", "given", "allowed"), [
    ({"young_people": {"offenders": -5, "reoffenders": 0, "reoffences": 0}}, "baseline.young_people.offenders",
     "-5", "a count from 0 to 1,000,000"),
    ({"young_people": {"offenders": 850, "reoffenders": -1, "reoffences": 10}},
     "baseline.young_people.reoffenders", "-1", "a count from 0 to 1,000,000"),
    ({"young_adults": {"offenders": 100, "reoffenders": 120, "reoffences": 300}},
     "baseline.young_adults.reoffenders", "120", "at most the offenders (100)"),
    ({"young_adults": {"offenders": 100, "reoffenders": 50, "reoffences": 40}},
     "baseline.young_adults.reoffences", "40", "at least the reoffenders (50)"),
    ({"young_adults": {"offenders": 100, "reoffenders": 0, "reoffences": 4}},
     "baseline.young_adults.reoffences", "4", "0, as there are no reoffenders"),
    ({"adults_25plus": {"offenders": 0, "reoffenders": 0, "reoffences": 0}}, "baseline.adults_25plus.offenders",
     "0", "more than 0"),
    ({"adults_25plus": {"offenders": True, "reoffenders": 0, "reoffences": 0}},
     "baseline.adults_25plus.offenders", "true", "a number"),
    ({"adults_25plus": {"offenders": 10, "reoffenders": 1, "reoffences": 1, "rate": 0.1}},
     "baseline.adults_25plus.rate", "0.1", "no such field; allowed fields here: offenders, reoffenders, reoffences"),
    ({"prison_cost_per_place_gbp": 900_000}, "baseline.prison_cost_per_place_gbp", "900000",
     "a number from 0 to 250,000 (£ per prisoner-year, in 2024/25 prices)"),
    ({"source": "  "}, "baseline.source", "'  '", "text saying where the figures come from"),
    ({"region": "North West"}, "baseline.region", "'North West'", "no such field; allowed fields here: source"),
])
def test_bad_supplied_figures_are_refused_with_one_clear_line(changes: dict[str, Any], path: str, given: str,
                                                              allowed: str) -> None:
    (problem,) = yaml_problems(block(**changes))
    assert problem["path"].split(" (line ")[0] == path
    assert problem["given"] == given
    assert problem["allowed"].startswith(allowed), problem["allowed"]


def test_missing_groups_and_source_are_each_named() -> None:
    found = yaml_problems("baseline:\n  young_people: {offenders: 1, reoffenders: 0, reoffences: 0}\n")
    assert {p["path"].split(" ")[0] for p in found} == {"baseline.source", "baseline.young_adults",
                                                         "baseline.adults_25plus"}
    assert all(p["given"] == "nothing" and "required" in p["allowed"] for p in found)


def test_a_unit_cost_may_not_be_given_twice() -> None:
    (problem,) = yaml_problems(block(prison_cost_per_place_gbp=52000)
                               + "overrides:\n  prison_cost_per_place_gbp: 60000\n")
    assert problem["path"].startswith("overrides")
    assert "prison_cost_per_place_gbp is also given in baseline (52,000)" in problem["allowed"]


def test_cli_validate_reports_baseline_problems(tmp_path: Path) -> None:
    bad = tmp_path / "own.yaml"
    bad.write_text(SCENARIO_HEAD + block(young_people={"offenders": 100, "reoffenders": 130, "reoffences": 300}),
                   encoding="utf-8")
    res = cli("validate", str(bad))
    assert res.returncode == 1
    (line,) = res.stderr.splitlines()
    assert line.startswith(f"{bad}: baseline.young_people.reoffenders (line ")
    assert "130 — at most the offenders (100)" in line and "cannot be above 1" in line
    assert "Traceback" not in res.stderr


# ----------------------------------------------------------------------------------------- bad figures: CSV
def test_good_csv_reads_with_bom_crlf_aliases_and_thousands() -> None:
    data = ("\ufeff" + GOOD_CSV.replace("\n", "\r\n")).encode("utf-8")
    assert parse_baseline_csv(data, "figures.csv") == supplied(prison_cost_per_place_gbp=60000)


def test_spreadsheet_padding_and_quoting_do_no_harm() -> None:
    text = (f'"# source: {SOURCE}",,,,\n'
            "# prison_cost_per_place_gbp:,,,,\n"
            "Group , Offenders,REOFFENDERS,reoffences,,\n"
            "\n"
            "adults_25plus,9400,2450,8900.5,,\n"
            "young_people,850,290,1050,,\n"
            "young_adults,3100,820,2600,,\n")
    assert parse_baseline_csv(text.encode("utf-8"), "figures.csv") == supplied()


def test_the_blank_template_asks_for_every_figure_and_the_source() -> None:
    found = csv_problems(template_csv())
    assert [p["path"].split(" ")[0] for p in found] == ["source", *(f"{g}.{c}" for g in GROUP_KEYS
                                                                     for c in ("offenders", "reoffenders",
                                                                               "reoffences"))]


def test_the_filled_template_reads() -> None:
    text = template_csv().replace("# source:", f"# source: {SOURCE}")
    for group, counts in (("young_people", "850,290,1050,0.341"), ("young_adults", "3100,820,2600,"),
                          ("adults_25plus", "9400,2450,8900.5,26.1%")):
        text = text.replace(f"{group},,,,", f"{group},{counts}")
    assert parse_baseline_csv(text.encode("utf-8"), "figures.csv") == supplied()


@pytest.mark.parametrize(("old", "new", "path", "given", "allowed"), [
    ("young_people,850,", "young_people,-850,", "young_people.offenders", "-850", "a count from 0 to 1,000,000"),
    ("3,100\",820", "3,100\",-820", "young_adults.reoffenders", "-820", "a count from 0 to 1,000,000"),
    ("9400,2450", "9400,9500", "adults_25plus.reoffenders", "9500", "at most the offenders (9,400)"),
    ("9400,2450,8900.5", "9400,2450,2000", "adults_25plus.reoffences", "2000", "at least the reoffenders"),
    ("850,290", "many,290", "young_people.offenders", "'many'", "a number"),
    ("850,290", ",290", "young_people.offenders", "an empty cell", "a number"),
    ("34.1%", "34.1", "young_people.reoffending_rate", "'34.1'",
     "a reoffending rate from 0 to 1, or 0% to 100%; 34.1 looks like a percentage: write 0.341 or 34.1%"),
    ("34.1%", "134%", "young_people.reoffending_rate", "'134%'", "a reoffending rate from 0 to 1, or 0% to 100%"),
    ("0.261", "1.7", "adults_25plus.reoffending_rate", "'1.7'", "a reoffending rate from 0 to 1"),
    ("0.261", "0.35", "adults_25plus.reoffending_rate", "'0.35'", "the rate reoffenders ÷ offenders gives (0.261)"),
    ("0.261", "high", "adults_25plus.reoffending_rate", "'high'", "a share from 0 to 1"),
    ("£60,000", "£600,000", "prison_cost_per_place_gbp", "600000", "a number from 0 to 250,000"),
    ("£60,000", "lots", "prison_cost_per_place_gbp", "'lots'", "a number (£ in 2024/25 prices)"),
    ("# prison_cost_per_place_gbp", "# prison_cost_per_place", "line 2", "the setting 'prison_cost_per_place'",
     "no such setting; did you mean 'prison_cost_per_place_gbp'?"),
    (f"# source: {SOURCE}", "# source:", "source", "nothing", "a line '# source: where the figures come from'"),
    ("Adults 25+", "Pensioners", "group", "'Pensioners'", "an age group of the area data"),
    ("2600,", "2600,,extra", "line 5", "6 values, e.g. 'extra'", "one value per column"),
])
def test_bad_csv_figures_are_refused_with_one_clear_line(old: str, new: str, path: str, given: str,
                                                         allowed: str) -> None:
    assert old in GOOD_CSV
    found = csv_problems(GOOD_CSV.replace(old, new, 1))
    if path == "group":  # the unknown row's group is also missing
        assert found[-1]["path"] == "adults_25plus" and found[-1]["given"] == "no row"
        found = found[:1]
    (problem,) = found
    assert problem["path"].split(" (line ")[0] == path
    assert problem["given"] == given
    assert problem["allowed"].startswith(allowed), problem["allowed"]


@pytest.mark.parametrize(("header", "given", "allowed"), [
    ("group,offenders,reoffenders,reoffence,reoffending_rate", "the column 'reoffence'",
     "no such column; did you mean 'reoffences'?"),
    ("group,offenders,reoffenders,reoffending_rate", "a header without reoffences",
     "a header row with the columns group, offenders, reoffenders, reoffences"),
    ("group,offenders,offenders,reoffenders,reoffences", "the column 'offenders' a second time", "each column once"),
    ("group;offenders;reoffenders;reoffences", "'group;offenders;reoffenders;reoffences'",
     "columns separated by commas"),
])
def test_wrong_or_missing_columns_are_refused(header: str, given: str, allowed: str) -> None:
    text = GOOD_CSV.replace("group,offenders,reoffenders,reoffences,reoffending_rate", header)
    found = csv_problems(text)
    assert any(p["path"] == "columns (line 3)" and p["given"] == given and p["allowed"].startswith(allowed)
               for p in found), found


def test_missing_and_repeated_groups_are_refused() -> None:
    text = GOOD_CSV.replace('18-24,"3,100",820,2600,\n', "") + "young_people,1,1,1,\n"
    found = csv_problems(text)
    assert {(p["path"], p["given"]) for p in found} == {
        ("young_adults", "no row"), ("line 6", "a second row for young_people (first at line 4)")}


def test_all_problems_of_a_file_come_at_once_in_line_order() -> None:
    text = (GOOD_CSV.replace("850,290", "-850,290").replace("9400,2450", "9400,9500")
            .replace("£60,000", "lots"))
    found = csv_problems(text)
    assert [p["path"] for p in found] == ["prison_cost_per_place_gbp (line 2)", "young_people.offenders (line 4)",
                                          "adults_25plus.reoffenders (line 6)"]


def test_a_10_mb_file_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a file over the limit must not be parsed")

    monkeypatch.setattr(baseline_csv.csv, "reader", no_parsing)
    data = GOOD_CSV.encode("utf-8") + b"young_people,1,1,1,\n" * (10 * 1024 * 1024 // 20)
    assert len(data) > 10 * 1024 * 1024 > MAX_CSV_BYTES
    start = time.perf_counter()
    (problem,) = csv_problems(data)
    assert time.perf_counter() - start < 1.0
    assert problem["path"] == "(whole file)"
    assert problem["given"] == f"a file of {len(data):,} bytes"
    assert problem["allowed"].startswith("at most 1,024 KB")


def test_a_file_just_under_the_limit_is_read_and_its_many_rows_refused() -> None:
    data = GOOD_CSV.encode("utf-8") + b"young_people,1,1,1,\n" * 200
    found = csv_problems(data[:MAX_CSV_BYTES])
    assert found[-1]["given"] == f"more than {baseline_csv.MAX_ROWS} rows"


@pytest.mark.parametrize(("data", "given"), [
    (b"", "an empty file"),
    (b"  \n\n", "an empty file"),
    (GOOD_CSV.encode("cp1252"), "bytes that are not UTF-8 text (byte 64)"),
    (b"# only a comment\n", "no header row"),
    (b"group,offenders,reoffenders,reoffences\nyoung_people,1,\x00,1\n", None),
])
def test_unreadable_files_are_refused_cleanly(data: bytes, given: str | None) -> None:
    found = csv_problems(data)
    if given is not None:
        assert found[0]["given"] == given


@settings(max_examples=80)
@given(st.one_of(st.binary(max_size=400), st.text(alphabet="#,:\"%£\n\r -.0123456789eagroupfnsdly_+", max_size=300)))
def test_any_bytes_give_figures_or_a_clear_error(data: bytes | str) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        own = parse_baseline_csv(raw, "fuzz.csv")
    except ScenarioError as err:
        assert err.problems
        for line in err.problems:
            assert (line.startswith("fuzz.csv: ") and " — " in line) or line.startswith("… and"), line
    else:
        assert isinstance(own, SuppliedBaseline)


_CSV_SOURCES = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ,.;:()/–'&-]{0,80}[A-Za-z0-9)]", fullmatch=True)


@settings(max_examples=30)
@given(baselines(), _CSV_SOURCES)
def test_any_valid_figures_written_as_csv_read_back(own: SuppliedBaseline, source: str) -> None:
    own = own.model_copy(update={"source": source})
    lines = [f"# source: {source}", *(f"# {k}: {v!r}" for k, v in own.unit_costs.items()),
             "group,offenders,reoffenders,reoffences"]
    for g in GROUP_KEYS:
        f = getattr(own, g)
        lines.append(f"{g},{f.offenders!r},{f.reoffenders!r},{f.reoffences!r}")
    again = parse_baseline_csv(("\n".join(lines) + "\n").encode("utf-8"), "own.csv")
    assert again == own


# ------------------------------------------------------------------------------------------------------ CLI
def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cjcore", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)


def test_cli_prints_the_template_and_turns_a_csv_into_a_block(tmp_path: Path) -> None:
    res = cli("baseline-template")
    assert res.returncode == 0, res.stderr
    assert res.stdout == template_csv()
    assert "group,offenders,reoffenders,reoffences,reoffending_rate\n" in res.stdout
    figures = tmp_path / "figures.csv"
    figures.write_text(GOOD_CSV, encoding="utf-8")
    res = cli("baseline-yaml", str(figures))
    assert res.returncode == 0, res.stderr
    assert parse_scenario(SCENARIO_HEAD + res.stdout).baseline == supplied(prison_cost_per_place_gbp=60000)
    figures.write_text(GOOD_CSV.replace("9400,2450", "9400,9500"), encoding="utf-8")
    res = cli("baseline-yaml", str(figures), str(tmp_path / "x"))
    assert res.returncode == 2
    res = cli("baseline-yaml", str(figures))
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr.startswith(f"{figures}: adults_25plus.reoffenders (line 6): 9500 — at most the offenders")
    res = cli("baseline-yaml", str(tmp_path / "missing.csv"))
    assert res.returncode == 1 and "a file that does not exist" in res.stderr


def test_template_documents_itself() -> None:
    text = template_csv()
    assert "docs/own-figures.md" in text
    assert (ROOT / "docs" / "own-figures.md").is_file()
    for key in UNIT_COST_KEYS:
        assert f"# {key}:\n" in text
    assert np.all([line.startswith("#") for line in text.splitlines()[:-4]])

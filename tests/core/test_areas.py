"""Tests of the area baselines: they must be complete, add up to the published regional totals, and be honest
about how they were derived."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cjcore.areas import (
    AREA_KEYS,
    GROUP_KEYS,
    REPORT_AREAS,
    get_area,
    load_areas,
    report_note,
    report_priorities,
)
from cjcore.vocab import FUNCTION_KEYS, GOVERNANCE_KEYS

SOURCES = Path(__file__).resolve().parents[2] / "cjcore" / "data" / "sources"
REPORT_AREA_KEYS = {"north-yorkshire", "devon-and-cornwall", "northumbria", "avon-and-somerset",
                    "greater-manchester", "london", "west-midlands"}
BANDS = {
    "young_people": {"10 to 14", "15 to 17"},
    "young_adults": {"18 to 20", "21 to 24"},
    "adults_25plus": {"25 to 29", "30 to 34", "35 to 39", "40 to 44", "45 to 49", "50+"},
}


def test_43_areas_with_unique_keys_and_codes() -> None:
    areas = load_areas()
    assert len(areas) == len(AREA_KEYS) == 43
    assert len(set(AREA_KEYS)) == 43
    assert len({a.pfa_code for a in areas.values()}) == 43
    assert sum(a.country == "Wales" for a in areas.values()) == 4
    assert all(a.governance in GOVERNANCE_KEYS for a in areas.values())
    assert list(AREA_KEYS) == sorted(AREA_KEYS, key=lambda k: areas[k].name.lower())


def test_report_areas_exist_with_all_groups() -> None:
    assert set(REPORT_AREAS) == REPORT_AREA_KEYS
    for key in REPORT_AREAS:
        area = get_area(key)
        assert area.reports, key
        assert tuple(area.groups) == GROUP_KEYS
        assert all(g.offenders > 0 for g in area.groups.values()), key


def test_every_rate_is_a_share() -> None:
    for area in load_areas().values():
        for group in area.groups.values():
            assert 0 < group.rate < 1
            assert group.frequency > 1


def test_english_areas_reproduce_regional_totals() -> None:
    raw = pd.read_csv(SOURCES / "moj_proven_reoffending_by_english_region_age_2008_2020.csv")
    raw = raw[raw["cohort"] == "Apr 2018 to Mar 2019"]
    english = [a for a in load_areas().values() if a.country == "England"]
    assert len(english) == 39
    for group, bands in BANDS.items():
        published = raw[raw["subcat1"].isin(bands)]
        for col in ("offenders", "reoffenders", "reoffences"):
            ours = sum(getattr(a.groups[group], col) for a in english)
            assert ours == pytest.approx(published[col].sum(), rel=0.005), (group, col)
        # Region by region too, so no area is given another region's figures.
        for region, rows in published.groupby("region"):
            ours = sum(a.groups[group].offenders for a in english if a.region == region)
            assert ours == pytest.approx(rows["offenders"].sum(), rel=0.005), (group, region)


def test_methods_are_stated() -> None:
    for area in load_areas().values():
        assert "Derived, not published" in area.cohort_method
    wales = get_area("north-wales")
    assert wales.population is None
    assert "officer" in wales.cohort_method.lower()
    assert "understates" in get_area("city-of-london").cohort_method


def test_areas_are_immutable() -> None:
    area = get_area("london")
    with pytest.raises(dataclasses.FrozenInstanceError):
        area.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        area.groups["young_people"] = area.groups["young_adults"]  # type: ignore[index]
    with pytest.raises(TypeError):
        load_areas()["x"] = area  # type: ignore[index]


def test_typo_suggests_the_right_key() -> None:
    with pytest.raises(KeyError, match="greater-manchester"):
        get_area("greater-manchestr")
    with pytest.raises(KeyError, match="Did you mean 'avon-and-somerset'"):
        get_area("avon-somerset")


def test_report_priorities_use_known_functions() -> None:
    for key in REPORT_AREAS:
        for priority in report_priorities(key):
            assert priority.functions
            assert set(priority.functions) <= set(FUNCTION_KEYS), (key, priority)
            assert priority.report in get_area(key).reports
        assert report_note(key)
    assert report_priorities("kent") == ()
    # The 2018 report's recorded priorities, in its words (issue 13: seed fidelity).
    assert [p.text for p in report_priorities("north-yorkshire")] == [
        "Accessible justice, protecting victims and reducing reoffending"]
    assert [p.text for p in report_priorities("devon-and-cornwall")] == ["Women offenders"]
    assert "Reducing reoffending" in [p.text for p in report_priorities("avon-and-somerset")]
    assert "Women and young people, as victims and as offenders" in [p.text for p in report_priorities("northumbria")]
    assert len(report_priorities("london")) >= 4


def test_report_areas_file_matches_area_data() -> None:
    with (SOURCES.parent / "report_areas.yaml").open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    assert set(data) == REPORT_AREA_KEYS
    for key, entry in data.items():
        assert tuple(entry["reports"]) == get_area(key).reports, key

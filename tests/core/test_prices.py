"""The price base: uplifts follow the stored GDP deflator series exactly."""

from __future__ import annotations

import csv

import pytest

from cjcore.prices import DEFLATOR_FILE, PRICE_BASE, deflators, uplift, year_label


def test_series_is_the_stored_file_and_complete() -> None:
    with DEFLATOR_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    years = [r["financial_year"] for r in rows]
    assert years == sorted(years) and years[0] == "2009-10" and years[-1] == PRICE_BASE
    assert deflators()[PRICE_BASE] == 100.0
    assert all(a < b for a, b in zip([float(r["deflator_index"]) for r in rows][:-1],
                                      [float(r["deflator_index"]) for r in rows][1:], strict=True))
    assert (DEFLATOR_FILE.with_suffix(".md")).exists(), "the series says where it comes from"


@pytest.mark.parametrize(("year", "index"), [("2011-12", 70.3261), ("2017-18", 77.0388), ("2022-23", 91.2996)])
def test_uplift_against_the_stored_series(year: str, index: float) -> None:
    assert uplift(year) == pytest.approx(100.0 / index, rel=1e-12)
    assert round(4135 * uplift(year)) == round(4135 * 100.0 / index)


def test_no_uplift_in_the_price_base_and_unknown_years_refused() -> None:
    assert uplift(PRICE_BASE) == 1.0 and uplift(None) == 1.0
    with pytest.raises(ValueError, match="no GDP deflator"):
        uplift("1999-00")
    assert year_label("2011-12") == "2011/12 prices"

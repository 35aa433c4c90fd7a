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


def test_every_money_figure_states_the_price_base() -> None:
    from cjcore.engine import HEADLINES
    from cjcore.prices import PRICE_BASE_LABEL
    from cjcore.vocab import METRICS

    money_metrics = [m for m in METRICS if m.money]
    assert money_metrics and all(PRICE_BASE_LABEL in m.unit for m in money_metrics)
    money_headlines = [h for h in HEADLINES if h[2].startswith("£m")]
    assert len(money_headlines) > 5 and all(PRICE_BASE_LABEL in unit for _, _, unit in money_headlines)


def test_every_money_parameter_names_its_price_year_and_the_model_uplifts_it() -> None:
    from cjcore.engine import Params
    from cjcore.evidence import load_register, parameter_value

    register = load_register()
    money = [p for p in register.parameters.values() if p.unit.startswith("£")]
    assert len(money) > 20 and all(p.price_year in deflators() for p in money)
    probation = register["probation_cost_per_case_gbp"]
    assert probation.price_year == "2011-12"
    assert parameter_value(probation.key, {}) == pytest.approx(4135 * 100 / 70.3261, rel=1e-12)
    assert Params({}, 0, 1).scalar(probation.key) == pytest.approx(4135 * 100 / 70.3261, rel=1e-12)
    # An override is already in the price base: taken as given.
    assert parameter_value(probation.key, {probation.key: 5000.0}) == 5000.0
    ranged = register["cost_per_reoffence_gbp"]
    from cjcore.evidence import parameter_range
    low, central, high = parameter_range(ranged.key, {})
    assert (low, high) == pytest.approx((ranged.low * uplift("2017-18"), ranged.high * uplift("2017-18")))
    assert central == pytest.approx(32900 * uplift("2017-18"))


def test_a_money_parameter_without_a_price_year_is_refused() -> None:
    from pydantic import ValidationError

    from cjcore.evidence import Parameter

    good = {"key": "x_gbp", "label": "X", "value": 1.0, "unit": "£ per case", "bounds": (0, 10),
            "status": "assumption", "rating": "none", "source": "No published figure.", "reasoning": "A guess."}
    assert Parameter.model_validate({**good, "price_year": "2024-25"}).factor == 1.0
    with pytest.raises(ValidationError, match="price year"):
        Parameter.model_validate(good)
    with pytest.raises(ValidationError, match="no GDP deflator"):
        Parameter.model_validate({**good, "price_year": "1990-91"})

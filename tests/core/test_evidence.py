"""Tests of the evidence register: every number has a source, an honest status and a sensible range, and every
key the engine reads is in it."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest

from cjcore import engine, evidence
from cjcore.evidence import (
    INTERVENTION_FIELDS,
    OPTIONAL_INTERVENTION_FIELDS,
    RATING_ORDER,
    Intervention,
    Parameter,
    check_intervention_ratings,
    check_override,
    load_register,
    parameter_range,
    parameter_value,
)
from cjcore.schema import Scenario
from cjcore.vocab import COHORT_KEYS, FUNCTION_KEYS, GOVERNANCE_KEYS, STAGE_KEYS

REGISTER = load_register()
PARAMS = REGISTER.parameters
STAGE_FIELDS = ("local_control", "savings_retained", "setup_years", "governance_needed")
SHARE_UNITS = re.compile(r"share|multiplier", re.IGNORECASE)


@pytest.mark.parametrize("key", sorted(PARAMS))
def test_parameter_is_sourced_and_in_bounds(key: str) -> None:
    p = PARAMS[key]
    assert p.key == key and re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)*", key)
    assert p.label.strip() and p.unit.strip()
    assert p.source.strip(), "every parameter names its source"
    assert p.status in {"published", "derived", "assumption"}
    assert p.rating in {"high", "moderate", "low", "none"}
    if p.status in {"assumption", "derived"}:
        assert p.reasoning.strip(), f"{p.status} values give their reasoning"
    if p.status == "published":
        assert p.rating != "none", "a published figure has some evidence behind it"
        assert re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", p.source), "a published figure names its year"
    if p.status == "assumption":
        assert p.rating in {"low", "none"}, "an assumption is rated low at most"
    lo, hi = p.bounds
    assert lo <= hi and np.isfinite([lo, hi]).all()
    assert lo <= p.value <= hi
    if p.low is not None:
        assert lo <= p.low <= p.value <= p.high <= hi
    if "(0–1)" in p.unit:
        assert 0 <= lo and hi <= 1, "a unit marked (0–1) lives in [0, 1]"
    elif SHARE_UNITS.search(p.unit) and "ratio" not in p.unit:
        # a share that can exceed 1 (an uplift of 200% on a cost estimate) says what it is a share of
        assert lo >= 0 and hi > 1, "a share or multiplier bounded by 1 says (0–1) in its unit"


@pytest.mark.parametrize("iv", REGISTER.interventions, ids=lambda iv: iv.key)
def test_intervention_is_complete(iv) -> None:  # noqa: ANN001
    assert iv.label.strip() and iv.source.strip()
    assert iv.function in FUNCTION_KEYS
    assert iv.cohorts and set(iv.cohorts) <= set(COHORT_KEYS)
    for field in INTERVENTION_FIELDS:
        assert f"{iv.key}.{field}" in PARAMS, f"{iv.key} lacks {field}"
    assert PARAMS[f"{iv.key}.effect"].bounds[1] < 1, "an effect below 1 keeps rates positive"
    for field in ("effect", "eligible_share", "max_reach"):
        lo, hi = PARAMS[f"{iv.key}.{field}"].bounds
        assert 0 <= lo and hi <= 1
    assert PARAMS[f"{iv.key}.cost_per_participant_gbp"].value > 0


@pytest.mark.parametrize("iv", REGISTER.interventions, ids=lambda iv: iv.key)
def test_intervention_rating_is_no_higher_than_its_effect(iv) -> None:  # noqa: ANN001
    effect = PARAMS[f"{iv.key}.effect"]
    assert RATING_ORDER[iv.evidence_rating] <= RATING_ORDER[effect.rating], (iv.evidence_rating, effect.rating)


# ------------------------------------------------------------------------------------ honest ratings
WORKING_NOTES = re.compile(r"from memory|verif|\bcheck(ed)? here\b|not read here|\bTODO\b|\bReplace with\b",
                           re.IGNORECASE)
SNAKE_CASE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def _user_text(item) -> list[str]:  # noqa: ANN001
    return [str(getattr(item, f, "") or "") for f in ("label", "source", "reasoning")]


@pytest.mark.parametrize("item", [*PARAMS.values(), *REGISTER.interventions], ids=lambda i: i.key)
def test_register_text_is_plain_english(item) -> None:  # noqa: ANN001
    """Labels, sources and reasoning are read by PCCs: no working notes, no internal parameter names."""
    for text in _user_text(item):
        assert not WORKING_NOTES.search(text), text
        assert not SNAKE_CASE.search(text), text


def test_the_ratings_the_sources_support() -> None:
    """The ratings the audit against the sources settled on (a proxy, a non-significant result, assumptions)."""
    treatment = PARAMS["substance_treatment.effect"]
    assert treatment.status != "published" and treatment.rating in {"low", "none"}
    assert "proxy" in treatment.reasoning
    women = PARAMS["womens_centres.effect"]
    assert women.rating == "low" and "not significant, n = 114" in women.reasoning
    for key in ("perpetrator_programme.effect", "short_custody_alternatives.effect"):
        assert PARAMS[key].rating in {"low", "none"}, key


def _parameter(**changes) -> dict:  # noqa: ANN003
    base = {"key": "x.effect", "label": "Effect of x", "value": 0.1, "unit": "relative reduction in reoffending",
            "bounds": (0, 0.9), "status": "assumption", "rating": "low", "source": "No published figure.",
            "reasoning": "A judgement."}
    return base | changes


def test_an_assumption_is_never_rated_above_low() -> None:
    for rating in ("low", "none"):
        Parameter.model_validate(_parameter(rating=rating))
    for rating in ("moderate", "high"):
        with pytest.raises(ValueError, match="an assumption is rated low or none"):
            Parameter.model_validate(_parameter(rating=rating))
    Parameter.model_validate(_parameter(status="derived", rating="moderate", source="A report (2020)."))


def test_a_published_figure_names_a_publication_and_year() -> None:
    Parameter.model_validate(_parameter(status="published", rating="moderate", source="Smith et al. (2019), A study."))
    Parameter.model_validate(_parameter(status="published", rating="low", source="NOMS unit costs, 2011/12."))
    for source in ("A study we read.", "Smith et al., n = 114."):
        with pytest.raises(ValueError, match="names its publication and year"):
            Parameter.model_validate(_parameter(status="published", rating="moderate", source=source))


def test_an_intervention_is_rated_no_higher_than_its_effect() -> None:
    effect = Parameter.model_validate(_parameter(rating="low"))
    ok = Intervention.model_validate({"key": "x", "label": "X", "function": "women", "cohorts": ["adult_women"],
                                      "evidence_rating": "low", "source": "A study (2019)."})
    check_intervention_ratings({effect.key: effect}, [ok, ok.model_copy(update={"evidence_rating": "none"})])
    too_high = ok.model_copy(update={"evidence_rating": "moderate"})
    with pytest.raises(ValueError, match="intervention x is rated 'moderate', above its effect's rating 'low'"):
        check_intervention_ratings({effect.key: effect}, [too_high])


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    evidence_rating: low\n    source: >-\n      Justice Data Lab analyses of women's centres",
     "    evidence_rating: high\n    source: >-\n      Justice Data Lab analyses of women's centres",
     "intervention womens_centres is rated 'high'"),
    ("status: assumption, rating: low, source: \"Drive evaluation",
     "status: assumption, rating: moderate, source: \"Drive evaluation",
     "an assumption is rated low or none"),
])
def test_load_register_rejects_a_bad_entry(tmp_path, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                                           old: str, new: str, message: str) -> None:
    text = evidence.EVIDENCE_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    bad = tmp_path / "evidence.yaml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setattr(evidence, "EVIDENCE_FILE", bad)
    with pytest.raises(ValueError, match=message):
        load_register.__wrapped__()


def test_intervention_keys_are_unique_and_every_parameter_belongs() -> None:
    keys = [iv.key for iv in REGISTER.interventions]
    assert len(keys) == len(set(keys))
    prefixes = {k.split(".")[0] for k in PARAMS if PARAMS[k].group == "interventions"}
    assert prefixes == set(keys), "intervention parameters and interventions match one to one"
    fields = set(INTERVENTION_FIELDS) | set(OPTIONAL_INTERVENTION_FIELDS)
    assert all(k.split(".", 1)[1] in fields for k in PARAMS if PARAMS[k].group == "interventions")


@pytest.mark.parametrize("function", FUNCTION_KEYS)
def test_every_function_has_an_intervention(function: str) -> None:
    assert REGISTER.interventions_for(function)


def test_stages_and_governance_models_are_all_there() -> None:
    for stage in STAGE_KEYS[1:]:
        for field in STAGE_FIELDS:
            assert f"stage.{stage}.{field}" in PARAMS
    for model in GOVERNANCE_KEYS:
        assert f"governance_factor.{model}" in PARAMS


@pytest.mark.parametrize("field", ["local_control", "savings_retained", "governance_needed", "setup_years"])
def test_stage_settings_grow_along_the_spectrum(field: str) -> None:
    """Further along the spectrum: more control and retained savings, and more governance and set-up needed."""
    values = [PARAMS[f"stage.{s}.{field}"].value for s in STAGE_KEYS[1:]]
    assert values == sorted(values), values


# ----------------------------------------------------------------------------------------------- engine keys
def _record_keys(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    seen: set[str] = set()
    original: Callable = engine.Params.__getitem__

    def recording(self: engine.Params, key: str) -> np.ndarray:
        seen.add(key)
        return original(self, key)

    monkeypatch.setattr(engine.Params, "__getitem__", recording)
    return seen


def _every_feature() -> list[Scenario]:
    """Scenarios that between them use every stage, function and governance model."""
    out = []
    for i, model in enumerate(GOVERNANCE_KEYS):
        placements = {f: STAGE_KEYS[(i + j) % len(STAGE_KEYS)] for j, f in enumerate(FUNCTION_KEYS)}
        out.append(Scenario.model_validate({
            "name": f"all features {model}", "area": "west-midlands", "horizon_years": 4,
            "placements": placements,
            "funding": {"pooled_budget_gbp_m": 50.0, "agreed_in_year": 1, "settlement_years": 2, "reinvest_share": 1.0},
            "governance": {"model": model},
        }))
    return out


def test_engine_reads_only_register_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _record_keys(monkeypatch)
    for scenario in _every_feature():
        run = engine.project(scenario, draws=3, seed=1)
        run.summary, run.frame, run.drivers  # noqa: B018 - build every view
        engine.sweep(scenario, "custody_budget")
    assert seen, "the engine reads its parameters through Params"
    unknown = {k for k in seen if k not in PARAMS and k.rsplit(".", 1)[-1] not in OPTIONAL_INTERVENTION_FIELDS}
    assert not unknown, f"the engine reads keys that are not in the register: {sorted(unknown)}"
    for key in seen:
        parameter_value(key, {})  # every key resolves to a value
    unread = set(PARAMS) - seen
    assert not unread, f"register parameters the engine never reads: {sorted(unread)}"


# ----------------------------------------------------------------------------------------------- overrides
def test_overrides_are_checked() -> None:
    assert check_override("women_rate_ratio", 1.2) is None
    assert "unknown parameter" in check_override("women_rate_ratoi", 1.0)
    assert "did you mean 'women_rate_ratio'" in check_override("women_rate_ratoi", 1.0)
    assert "outside the allowed range" in check_override("women_rate_ratio", 5.0)
    with pytest.raises(ValueError, match="outside the allowed range"):
        Scenario.model_validate({"name": "x", "area": "london", "overrides": {"discount_rate": 0.9}})


def test_override_value_and_range() -> None:
    p = PARAMS["youth_diversion.effect"]
    assert parameter_value(p.key, {}) == p.value
    assert parameter_value(p.key, {p.key: 0.3}) == 0.3
    assert parameter_range(p.key, {}) == (p.low, p.value, p.high)
    assert parameter_range(p.key, {p.key: 0.5}) == (p.low, 0.5, 0.5)  # widened to include the override
    assert parameter_range(p.key, {p.key: 0.01}) == (0.01, 0.01, p.high)
    assert parameter_range("discount_rate", {}) is None  # not ranged
    assert parameter_value("youth_diversion.custody_diversion", {}) == OPTIONAL_INTERVENTION_FIELDS["custody_diversion"]
    with pytest.raises(KeyError):
        parameter_value("no_such_parameter", {})


def test_register_entries_are_immutable() -> None:
    with pytest.raises(ValueError, match="frozen"):
        PARAMS["discount_rate"].value = 0.1  # type: ignore[misc]
    assert load_register() is REGISTER


def test_register_mapping_is_read_only() -> None:
    with pytest.raises(TypeError):
        REGISTER.parameters["discount_rate"] = PARAMS["discount_rate"]  # type: ignore[index]

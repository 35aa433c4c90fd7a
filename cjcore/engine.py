"""The projection engine: a scenario in, yearly flows, demand and money out, for baseline and scenario.

Every equation here is stated in docs/model.md. Arrays carry the uncertainty draws on their first axis: row 0
is the central estimate (every parameter at its central value) and rows 1..draws are Monte Carlo draws, so one
pass computes both. The same scenario and seed always give the same numbers; so the parameters and the national
baseline of a seeded run are kept in small caches (`params_for`, `national_baseline`) and shared read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, TypeVar

import numpy as np
import pandas as pd

from cjcore.areas import get_area
from cjcore.evidence import Intervention, load_register, parameter_range, parameter_value
from cjcore.prices import PRICE_BASE_LABEL
from cjcore.schema import Scenario, SuppliedBaseline
from cjcore.vocab import (
    ALL_COHORTS,
    COHORT_KEYS,
    FUNCTION_KEYS,
    METRIC,
    SERIES_BASELINE,
    SERIES_DEFAULT_BASELINE,
    SERIES_SCENARIO,
    STAGE_KEYS,
)

AGENCIES: tuple[str, ...] = ("police", "courts", "prisons", "probation")
NATIONAL_AGENCIES: tuple[str, ...] = ("courts", "prisons", "probation")
_STAGE_INDEX = {stage: i for i, stage in enumerate(STAGE_KEYS)}
_UNIT_COST = {
    "police": "police_cost_per_arrest_gbp",
    "courts": "court_cost_per_case_gbp",
    "prisons": "prison_cost_per_place_gbp",
    "probation": "probation_cost_per_case_gbp",
}
_CASHABLE = {agency: f"cashable_share_{agency}" for agency in AGENCIES}
COHORT_METRICS: tuple[str, ...] = (
    "cohort_size", "reoffending_rate", "reoffenders", "reoffences", "arrests", "court_cases",
    "custody_receptions", "prison_places", "probation_caseload", "participants",
)
MONEY_METRICS: tuple[str, ...] = (
    "cost_of_reoffending", "system_cost", "intervention_spend", "funds_available", "cashable_savings",
    "retained_savings", "reinvested_savings", "transition_cost", "governance_cost", "optimism_bias",
    "unused_commitment", "committed_cost",
)
_PERCENTILES = (10, 50, 90)
_T = TypeVar("_T")


class _Memo(Generic[_T]):
    """A small least-recently-used cache of pure results, shared by the app's session threads.

    A value is made outside the lock (two threads may both make it; they get equal values and one is kept), so a
    slow computation never blocks another session's hits.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, _T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], _T]) -> _T:
        """The value cached under `key`, made by `make()` and kept if absent."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every value (tests)."""
        with self._lock:
            self._items.clear()


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _frozen(value: _T) -> _T:
    """A dataclass of arrays with every array made read-only (it is about to be shared)."""
    for name in value.__dataclass_fields__:  # type: ignore[attr-defined]
        if isinstance(field := getattr(value, name), np.ndarray):
            _read_only(field)
    return value


# ----------------------------------------------------------------------------------------------- inputs
class Params:
    """Every parameter the engine reads, as an array over draws (row 0 central), from register + overrides.

    `baseline`, the area's own figures supplied by the user (a scenario's `baseline`), replaces the derived cohort
    figures in `baseline_cohorts`, and its unit costs count as overrides (in the price base).
    """

    def __init__(self, overrides: Mapping[str, float], draws: int, seed: int | None,
                 baseline: SuppliedBaseline | None = None) -> None:
        register = load_register()
        self.baseline = baseline
        if baseline is not None:
            overrides = {**baseline.unit_costs, **overrides}
        self.n = draws + 1
        self._values: dict[str, np.ndarray] = {}
        rng = np.random.default_rng(seed)
        for key in sorted(register.parameters):
            central = parameter_value(key, overrides)
            column = np.full(self.n, central)
            rng_range = parameter_range(key, overrides)
            if draws and rng_range is not None and rng_range[2] > rng_range[0]:
                column[1:] = rng.triangular(*rng_range, size=draws)
            self._values[key] = _read_only(column)
        self._overrides = overrides
        self._seed = seed
        self._uniforms: dict[tuple[str, tuple[int, ...]], np.ndarray] = {}
        #: What made these parameters, when they come from `params_for` (whose cache they may be shared through).
        self.cache_key: Hashable | None = None
        self._derived: dict[Hashable, object] = {}

    def uniforms(self, stream: str, shape: tuple[int, ...]) -> np.ndarray:
        """Uniform(0, 1) numbers for the draws (rows 1..), shape (draws, *shape), from their own seeded stream.

        A stream per name keeps these draws independent of which parameters exist, and the same for every
        scenario of one run (common random numbers: variants compared in a sweep face the same luck).
        """
        key = (stream, shape)
        if key not in self._uniforms:
            words = tuple(ord(c) for c in stream)
            seq = np.random.SeedSequence(entropy=self._seed, spawn_key=words)
            self._uniforms[key] = _read_only(np.random.default_rng(seq).random((self.n - 1, *shape)))
        return self._uniforms[key]

    def __getitem__(self, key: str) -> np.ndarray:
        if key not in self._values:
            self._values[key] = _read_only(np.full(self.n, parameter_value(key, self._overrides)))
        return self._values[key]

    def scalar(self, key: str) -> float:
        """The central value (for parameters the draws never vary, such as stage settings)."""
        return float(self[key][0])

    def derived(self, key: Hashable, make: Callable[[], _T]) -> _T:
        """A value worked out from these parameters alone (and `key`), made on first use and kept with them.

        Parameters shared through `params_for` carry what every run needs from them (the cohorts, the programme,
        the stage tables of a governance and funding), so each move along the spectrum does not work them out again.
        """
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]


_PARAMS: _Memo[Params] = _Memo(16)


def params_for(overrides: Mapping[str, float], draws: int, seed: int | None,
               baseline: SuppliedBaseline | None = None) -> Params:
    """`Params(overrides, draws, seed, baseline)`, shared from a small cache when they are reproducible.

    A session moving functions along the spectrum asks for the same parameters at every move; building them costs
    a few milliseconds. Their arrays are read-only, so no caller can change another's. Unseeded draws are made
    afresh each time (they are meant to differ).
    """
    if seed is None and draws:
        return Params(overrides, draws, seed, baseline)
    key = (tuple(sorted(overrides.items())), draws, seed, None if baseline is None else baseline.model_dump_json())

    def make() -> Params:
        params = Params(overrides, draws, seed, baseline)
        params.cache_key = key
        return params

    return _PARAMS.get(key, make)


@dataclass(frozen=True)
class Cohorts:
    """Baseline cohort sizes, rates and frequencies, arrays of shape (draws, cohorts)."""

    size: np.ndarray
    rate: np.ndarray
    frequency: np.ndarray


def baseline_cohorts(area_key: str, p: Params) -> Cohorts:
    """Split the area's published-derived groups (or the user's own figures, `p.baseline`) into the four cohorts.

    The data give young people, young adults and adults 25+; adults 25+ are split into men and women with
    women's share of offenders and the ratio of their reoffending rate to men's (both in the register). A group
    rate so near 1 that one sex's rate would pass 1 (possible only with the user's own figures or extreme
    overrides) caps that rate at 1 and gives the other the rest, so the group keeps exactly its reoffenders.
    """
    groups = get_area(area_key).groups if p.baseline is None else p.baseline.groups
    yp, ya, older = groups["young_people"], groups["young_adults"], groups["adults_25plus"]
    share_w, ratio_w = p["women_share_25plus"], p["women_rate_ratio"]
    rate_men = older.rate / ((1 - share_w) + ratio_w * share_w)
    rate_women = rate_men * ratio_w
    with np.errstate(divide="ignore", invalid="ignore"):  # the divisions are used only where they are defined
        rate_men, rate_women = (
            np.where(rate_men > 1, 1.0, np.where(rate_women > 1, (older.rate - share_w) / (1 - share_w), rate_men)),
            np.where(rate_women > 1, 1.0, np.where(rate_men > 1, (older.rate - (1 - share_w)) / share_w, rate_women)))
    ones = np.ones(p.n)
    size = np.stack([yp.offenders * ones, ya.offenders * ones, older.offenders * (1 - share_w),
                     older.offenders * share_w], axis=1)
    rate = np.stack([yp.rate * ones, ya.rate * ones, rate_men, rate_women], axis=1)
    frequency = np.stack([yp.frequency * ones, ya.frequency * ones, older.frequency * ones,
                          older.frequency * ones], axis=1)
    return Cohorts(size=size, rate=rate, frequency=frequency)


# ----------------------------------------------------------------------------------------------- policy
def readiness(scenario: Scenario) -> float:
    """Governance readiness 0–1: the mean of the five-conditions scores over 5."""
    scores = scenario.governance.five_conditions.model_dump().values()
    return float(sum(scores)) / (5.0 * len(scores))


def fidelity(scenario: Scenario, p: Params) -> float:
    """Share of an intervention's effect delivered, from the governance model and readiness."""
    floor = p.scalar("fidelity_floor")
    return p.scalar(f"governance_factor.{scenario.governance.model}") * (floor + (1 - floor) * readiness(scenario))


def governance_fit(ready: float, needed: float) -> float:
    """Share of a stage's control that governance readiness can sustain: readiness / what the stage needs, ≤ 1."""
    return 1.0 if needed <= 0 else min(1.0, ready / needed)


def agreement_start(scenario: Scenario) -> int:
    """The year index from which both funding and governance are agreed."""
    return max(scenario.funding.agreed_in_year, scenario.governance.agreed_in_year)


def funding_in_place(scenario: Scenario, horizon: int) -> np.ndarray:
    """Whether the pooled budget is paid in each year (bool per year)."""
    f = scenario.funding
    years = np.arange(horizon)
    in_place = years >= f.agreed_in_year
    if not f.renewed:
        in_place &= years < f.agreed_in_year + f.settlement_years
    return in_place


def sustain(scenario: Scenario, p: Params, horizon: int) -> np.ndarray:
    """Momentum kept each year: it decays for every year without both agreements in place."""
    years = np.arange(horizon)
    agreed = funding_in_place(scenario, horizon) & (years >= scenario.governance.agreed_in_year)
    years_without = np.cumsum(~agreed)
    return (1 - p.scalar("policy_conflict_decay")) ** years_without


def stage_value(p: Params, stage: str, name: str) -> float:
    """A stage's setting (central); `national` has none of the spectrum's settings, so every one is 0 there."""
    return 0.0 if stage == STAGE_KEYS[0] else p.scalar(f"stage.{stage}.{name}")


def stage_draws(p: Params, stage: str, name: str) -> np.ndarray:
    """A ranged stage setting over the draws (row 0 central); zeros at `national`."""
    return np.zeros(p.n) if stage == STAGE_KEYS[0] else p[f"stage.{stage}.{name}"]


def ramp(scenario: Scenario, p: Params, stage: str, horizon: int) -> np.ndarray:
    """Share of a stage's new arrangements running each year: 0 until agreement + set-up, then up to 1."""
    years = np.arange(horizon)
    setup = stage_value(p, stage, "setup_years")
    return np.clip((years - agreement_start(scenario) - setup + 1) / p.scalar("ramp_years"), 0.0, 1.0)


def control(scenario: Scenario, p: Params, horizon: int) -> np.ndarray:
    """Local control the new arrangements deliver for each function each year, shape (functions, years).

    The placed stage's own `local_control`, reached over its set-up and ramp: a function reaching for full
    transfer has no new arrangements at all while the transfer is set up (and today's service may be disrupted
    meanwhile, see `transition`). Governance readiness enters once, through `fidelity`; what a stage needs of it
    sets the chance that the stage is reversed (`reversal_hazard`).
    """
    rows = []
    for f in FUNCTION_KEYS:
        stage = scenario.stage_of(f)
        rows.append(stage_value(p, stage, "local_control") * ramp(scenario, p, stage, horizon))
    return np.stack(rows)


def reversal_luck(p: Params, n_functions: int) -> np.ndarray:
    """The uniforms (draws, F) that draw each function's reversal year (3.19), shared by every scenario of the run.

    Reversals are mostly national decisions that reach a whole deal: in the share `reversal_common_share` of the
    draws every function takes the same uniform (the riskier stages are reversed first, one stage's functions
    together), in the others each its own. Each function's chance of reversal is the same either way; independent
    luck alone would make a whole deal failing look rarer than it is.
    """
    own = p.uniforms("reversal", (n_functions,))
    whole_deal = p.uniforms("reversal_whole_deal", (1,)) < p.scalar("reversal_common_share")
    return np.where(whole_deal, p.uniforms("reversal_common", (1,)), own)


def reversal_hazard(scenario: Scenario, p: Params, stage: str) -> float:
    """Yearly chance that a function's arrangements at `stage` stall or are reversed by national policy.

    The stage's base hazard, raised by the governance it lacks (1 + weight × (1 − fit)) and by each year the
    funding and governance agreement comes late (1 + late × start year). Never zero beyond co-design: national
    policy swings (probation's recentralisation in 2021) are outside an area's control.
    """
    fit = governance_fit(readiness(scenario), stage_value(p, stage, "governance_needed"))
    base = stage_value(p, stage, "reversal_hazard")
    if base <= 0:
        return 0.0
    late = 1 + p.scalar("reversal_late_agreement") * agreement_start(scenario)
    return float(min(1.0, base * (1 + p.scalar("reversal_readiness_weight") * (1 - fit)) * late))


@dataclass(frozen=True)
class Transition:
    """What moving each function along the spectrum brings besides its increment; arrays (draws, functions, years).

    `alive`: whether the new arrangements are still in place (1 until a reversal; its probability in row 0).
    `disruption`: share of today's national provision's effect lost that year (set-up and reversal).
    `potency`: how much of an intervention's effect is left after fading, by years of delivery.
    """

    alive: np.ndarray
    disruption: np.ndarray
    potency: np.ndarray


def transition(scenario: Scenario, p: Params, horizon: int) -> Transition:
    """Reversal, disruption and fading for each function and year (see docs/model.md §3.5).

    Row 0 is the expectation over reversals (survival probability, chance of reversal in the year); rows 1.. draw
    each function's reversal year from its hazard with uniforms shared by every scenario of the run.
    """
    years = np.arange(horizon)
    start = agreement_start(scenario)
    at_risk = years >= start
    exposed = np.cumsum(at_risk)  # years at risk up to and including t
    stages = [scenario.stage_of(f) for f in FUNCTION_KEYS]
    placed = np.array([stage != STAGE_KEYS[0] for stage in stages])[:, None]  # (F, 1)
    hazard = np.array([reversal_hazard(scenario, p, stage) for stage in stages])[:, None]  # (F, 1)
    setting_up = np.stack([(1 - ramp(scenario, p, stage, horizon)) * at_risk for stage in stages]) * placed  # (F, T)
    running = np.stack([np.maximum(0, years - start - stage_value(p, stage, "setup_years")) for stage in stages])
    share = np.stack([stage_draws(p, stage, "disruption") for stage in stages], axis=1)  # (D, F)

    alive = np.empty((p.n, len(stages), horizon))
    reversed_now = np.empty_like(alive)
    alive[0] = (1 - hazard) ** exposed
    reversed_now[0] = np.where(at_risk, (1 - hazard) ** np.maximum(exposed - 1, 0) * hazard, 0.0)
    if p.n > 1:
        luck = reversal_luck(p, len(stages))  # (draws, F), the same for every scenario of the run
        with np.errstate(divide="ignore", invalid="ignore"):  # hazard 0: never reversed; hazard 1: at once
            survived = np.where(hazard.T > 0, np.floor(np.log1p(-luck) / np.log1p(-hazard.T)), np.inf)
        year_reversed = start + survived  # (draws, F)
        alive[1:] = years < year_reversed[:, :, None]
        reversed_now[1:] = years == year_reversed[:, :, None]
    disruption = share[:, :, None] * (alive * setting_up + reversed_now * placed)
    potency = (1 - p["effect_decay"])[:, None, None] ** running[None]
    potency = np.where(placed, potency, 1.0)
    return Transition(alive=alive, disruption=disruption, potency=potency)


@dataclass(frozen=True)
class _StageTables:
    """What a function placed at each stage gets, for one governance and funding (rows: the stages, in order).

    Every variant of a sweep or trade-off shares its governance and funding, so these are worked out once per
    call of `simulate_variants` and each variant picks its functions' rows: the same numbers `transition`,
    `control`, `arrangement_costs` and `retained_share` give one scenario at a time, without their Python loops.
    """

    start: int
    at_risk: np.ndarray  # (T,) bool
    exposed: np.ndarray  # (T,)
    years_from_start: np.ndarray  # (T,) bool, years >= start
    hazard: np.ndarray  # (S,)
    setting_up: np.ndarray  # (S, T) (1 - ramp) × at risk
    potency: np.ndarray  # (D, S, T) fading after the set-up
    disruption: np.ndarray  # (D, S)
    control: np.ndarray  # (S, T) local control × ramp
    delivery_scale: tuple[float, np.ndarray]  # fidelity, sustain (T,)
    spread: np.ndarray  # (S, T) transition cost spread over the set-up years
    transition_per_offender: np.ndarray  # (D, S)
    governance_per_year: np.ndarray  # (D, S)
    retained: np.ndarray  # (S,) savings retained


def _stage_tables(scenario: Scenario, p: Params, horizon: int) -> _StageTables:
    """`_StageTables` for a scenario's governance and funding (the expressions of the single-scenario functions)."""
    years = np.arange(horizon)
    start = agreement_start(scenario)
    at_risk = years >= start
    ramps = [ramp(scenario, p, stage, horizon) for stage in STAGE_KEYS]
    running = np.stack([np.maximum(0, years - start - stage_value(p, stage, "setup_years")) for stage in STAGE_KEYS])
    spread_over = np.array([max(1, int(round(stage_value(p, stage, "setup_years")))) for stage in STAGE_KEYS])[:, None]
    return _StageTables(
        start=start,
        at_risk=at_risk,
        exposed=np.cumsum(at_risk),
        years_from_start=years >= start,
        hazard=np.array([reversal_hazard(scenario, p, stage) for stage in STAGE_KEYS]),
        setting_up=np.stack([(1 - r) * at_risk for r in ramps]),
        potency=(1 - p["effect_decay"])[:, None, None] ** running[None],
        disruption=np.stack([stage_draws(p, stage, "disruption") for stage in STAGE_KEYS], axis=1),
        control=np.stack([stage_value(p, stage, "local_control") * r for stage, r in zip(STAGE_KEYS, ramps,
                                                                                          strict=True)]),
        delivery_scale=(fidelity(scenario, p), sustain(scenario, p, horizon)),
        spread=((years >= start) & (years < start + spread_over)) / spread_over,
        transition_per_offender=np.stack([stage_draws(p, stage, "transition_cost_per_offender_gbp")
                                          for stage in STAGE_KEYS], axis=1),
        governance_per_year=np.stack([stage_draws(p, stage, "governance_cost_gbp_m") for stage in STAGE_KEYS], axis=1),
        retained=np.array([stage_value(p, stage, "savings_retained") for stage in STAGE_KEYS]),
    )


@dataclass(frozen=True)
class _VariantInputs:
    """What the placements bring to each variant, arrays year first (T, V, D, F) unless noted, as the year loop reads.

    `transition` holds year-first arrays too (not one scenario's (D, F, T)).
    """

    transition: Transition
    delivery: np.ndarray  # local control × fidelity × sustain × alive
    transition_cost: np.ndarray
    governance_cost: np.ndarray
    retained: np.ndarray  # (V, F) share of direct savings kept


def _variant_inputs(scenarios: Sequence[Scenario], p: Params, horizon: int, offenders: np.ndarray) -> _VariantInputs:
    """`transition`, `control` × `fidelity` × `sustain`, `arrangement_costs` and `retained_share` for many variants.

    The same numbers as those functions give one scenario at a time (tests/core/test_engine_speed.py checks it
    exactly), computed once per stage and picked for each function, then combined for every variant at once: the
    tables of each governance and funding are stacked (group g), and one fancy index per table picks row
    [group of the variant, stage of each function] for every variant.
    """
    settings: list[tuple[object, object]] = []  # each distinct (governance, funding), in order of appearance
    tables: list[_StageTables] = []
    groups: list[int] = []
    for s in scenarios:
        # Compared rather than hashed (hashing a model costs more): variants usually share both objects.
        g = groups[-1] if groups else -1
        if g < 0 or s.governance is not settings[g][0] or s.funding is not settings[g][1]:
            g = next((i for i, (governance, funding) in enumerate(settings)
                      if s.governance == governance and s.funding == funding), len(settings))
            if g == len(settings):
                settings.append((s.governance, s.funding))
                tables.append(p.derived(("stage tables", s.governance, s.funding, horizon),
                                        lambda s=s: _frozen(_stage_tables(s, p, horizon))))
        groups.append(g)
    group = np.array(groups, dtype=np.intp)
    stage = np.array([[_STAGE_INDEX[s.stage_of(f)] for f in FUNCTION_KEYS] for s in scenarios], dtype=np.intp)
    g = group[:, None]

    def by_variant(name: str) -> np.ndarray:
        """A per-year table (one row per governance and funding), picked for each variant: (V, ...)."""
        return np.stack([getattr(tab, name) for tab in tables])[group]

    def by_function(name: str) -> np.ndarray:
        """A per-stage table (stages first), picked for each variant and function: (V, F, ...)."""
        return np.stack([getattr(tab, name) for tab in tables])[g, stage]

    def by_draw_function(name: str, contiguous: bool = True) -> np.ndarray:
        """A per-draw-and-stage table (draws, stages), picked for each variant and function: (V, D, F, ...)."""
        picked = np.stack([np.moveaxis(getattr(tab, name), 1, 0) for tab in tables])[g, stage]  # (V, F, D, ...)
        return np.ascontiguousarray(picked.swapaxes(1, 2)) if contiguous else picked.swapaxes(1, 2)

    def year_first_array() -> np.ndarray:
        """An empty (T, V, D, F) array in C order, for a result to be written straight into."""
        return np.empty((horizon, len(scenarios), p.n, len(FUNCTION_KEYS)))

    def year_first(by_year: np.ndarray) -> np.ndarray:
        """(V, F, T) or (V, D, F, T) as (T, V, 1, F) or (T, V, D, F) (a view)."""
        moved = np.moveaxis(by_year, -1, 0)
        return moved[:, :, None, :] if by_year.ndim == 3 else moved

    years = np.arange(horizon)[:, None, None, None]  # (T, 1, 1, 1)
    placed_vf = stage != 0  # (V, F)
    placed = placed_vf[None, :, None, :]  # (1, V, 1, F)
    hazard = by_function("hazard")  # (V, F)
    exposed = by_variant("exposed").T[:, :, None]  # (T, V, 1)
    at_risk = by_variant("at_risk").T[:, :, None]
    setting_up = year_first(by_function("setting_up") * placed_vf[:, :, None])  # (T, V, 1, F)
    share = by_draw_function("disruption")[None]  # (1, V, D, F)
    n_var, n_f = placed_vf.shape

    alive = np.empty((horizon, n_var, p.n, n_f))
    reversed_now = np.empty_like(alive)
    alive[:, :, 0] = (1 - hazard) ** exposed
    reversed_now[:, :, 0] = np.where(at_risk, (1 - hazard) ** np.maximum(exposed - 1, 0) * hazard, 0.0)
    if p.n > 1:
        luck = reversal_luck(p, n_f)  # (draws, F), the same for every scenario of the run
        hazard_t = hazard[:, None, :]  # (V, 1, F)
        with np.errstate(divide="ignore", invalid="ignore"):  # hazard 0: never reversed; hazard 1: at once
            survived = np.where(hazard_t > 0, np.floor(np.log1p(-luck) / np.log1p(-hazard_t)), np.inf)
        year_reversed = np.array([tab.start for tab in tables])[group][:, None, None] + survived  # (V, draws, F)
        alive[:, :, 1:] = years < year_reversed
        reversed_now[:, :, 1:] = years == year_reversed
    # Large arrays are worked on in place where a value is not read again (a fresh one costs more than the
    # arithmetic); each element gets the same operations as in `transition` (a product commutes exactly).
    disruption = alive * setting_up
    reversed_now *= placed
    disruption += reversed_now
    disruption *= share  # share × (alive × setting up + reversed × placed)
    potency = year_first_array()  # fading where placed, else 1
    potency[...] = 1.0
    np.copyto(potency, year_first(by_draw_function("potency", contiguous=False)), where=placed)
    fid = np.array([tab.delivery_scale[0] for tab in tables])[group][:, None, None]
    kept = np.stack([tab.delivery_scale[1] for tab in tables])[group][:, None, :]
    delivery = year_first(by_function("control") * fid * kept) * alive
    per_offender = by_draw_function("transition_per_offender")  # (V, D, F)
    transition_cost = np.multiply((per_offender * offenders[:, None] / 1e6)[None], year_first(by_function("spread")),
                                  out=year_first_array())
    from_start = by_variant("years_from_start").T[:, :, None, None]  # (T, V, 1, 1)
    governance_cost = alive * by_draw_function("governance_per_year")[None]
    governance_cost *= from_start
    # C order (year, variant, draw, function): the sums over the functions then run as over one scenario's array.
    c = np.ascontiguousarray
    return _VariantInputs(
        transition=Transition(alive=alive, disruption=c(disruption), potency=c(potency)), delivery=c(delivery),
        transition_cost=c(transition_cost), governance_cost=c(governance_cost), retained=by_function("retained"))


# ----------------------------------------------------------------------------------------------- simulation
@dataclass(frozen=True)
class Programme:
    """The interventions' numbers as arrays: rows are interventions, last axis cohorts."""

    interventions: tuple[Intervention, ...]
    function_index: np.ndarray  # (I,)
    reach: np.ndarray  # (D, I, C): eligible share × reach beyond today's, zero for cohorts not targeted
    today: np.ndarray  # (D, I, C): eligible share × today's national reach (already in the baseline)
    effect: np.ndarray  # (D, I)
    cost: np.ndarray  # (D, I) £ per participant
    diversion: np.ndarray  # (D, I)


def programme(p: Params) -> Programme:
    """Collect every intervention's parameters into arrays.

    Additionality: today's national services already reach `national_reach` of the eligible, and their effect is
    in the baseline rates; moving a function along the spectrum can add only the reach beyond it.
    """
    ivs = load_register().interventions
    target = np.array([[c in iv.cohorts for c in COHORT_KEYS] for iv in ivs], dtype=float)
    eligible = np.stack([p[f"{iv.key}.eligible_share"] for iv in ivs], axis=1)
    today = np.stack([p[f"{iv.key}.national_reach"] for iv in ivs], axis=1)
    beyond = np.maximum(np.stack([p[f"{iv.key}.max_reach"] for iv in ivs], axis=1) - today, 0.0)
    return Programme(
        interventions=ivs,
        function_index=np.array([FUNCTION_KEYS.index(iv.function) for iv in ivs]),
        reach=(eligible * beyond)[:, :, None] * target[None, :, :],
        today=(eligible * today)[:, :, None] * target[None, :, :],
        effect=np.stack([p[f"{iv.key}.effect"] for iv in ivs], axis=1),
        cost=np.stack([p[f"{iv.key}.cost_per_participant_gbp"] for iv in ivs], axis=1),
        diversion=np.stack([p[f"{iv.key}.custody_diversion"] for iv in ivs], axis=1),
    )


@dataclass(frozen=True)
class Flows:
    """Yearly results of one simulation; arrays of shape (draws, years[, cohorts | interventions | agencies]).

    `simulate_stacked` gives the results of several at once in one `Flows`, with a leading variant axis.
    """

    cohort_size: np.ndarray
    reoffending_rate: np.ndarray
    reoffenders: np.ndarray
    reoffences: np.ndarray
    arrests: np.ndarray
    court_cases: np.ndarray
    custody_receptions: np.ndarray
    prison_places: np.ndarray
    probation_caseload: np.ndarray
    participants: np.ndarray
    agency_cost: np.ndarray  # (D, T, agencies) £m
    cost_of_reoffending: np.ndarray  # (D, T) £m
    intervention_spend: np.ndarray  # (D, T) £m
    funds_available: np.ndarray
    cashable_savings: np.ndarray
    retained_savings: np.ndarray
    reinvested_savings: np.ndarray
    transition_cost: np.ndarray  # (D, T) £m one-off costs of moving functions along the spectrum
    governance_cost: np.ndarray  # (D, T) £m recurring cost of running the arrangements
    optimism_bias: np.ndarray  # (D, T) £m Green Book uplift on programme, governance and transition costs
    unused_commitment: np.ndarray  # (D, T) £m of the pooled budget paid in but not spent that year
    committed_cost: np.ndarray  # (D, T) £m of it counted as spent (the scenario's `unspent: retained`)
    transition_by: np.ndarray  # (D, T, F) £m by function
    governance_by: np.ndarray  # (D, T, F) £m by function
    realisation: np.ndarray  # (D, T, I)
    reoffences_avoided_by: np.ndarray  # (D, T, I) first-order attribution to each intervention
    spend_by: np.ndarray  # (D, T, I) £m

    @property
    def system_cost(self) -> np.ndarray:
        """Justice system cost of reoffending, £m a year (all agencies)."""
        return self.agency_cost.sum(axis=-1)


DEMAND_RATIOS: tuple[str, ...] = (
    "arrests_per_offence", "court_cases_per_offence", "custody_per_offence", "probation_years_per_offence")


def per_reoffence(p: Params, key: str) -> np.ndarray:
    """A demand ratio, published per person formally dealt with, converted to per proven reoffence.

    The published volumes (arrests, court cases, custodial sentences, probation caseload) divide by people formally
    dealt with, one per caution or court occasion; several proven offences are often dealt with on one occasion.
    """
    assert key in DEMAND_RATIOS, key
    return p[key] * p["disposals_per_reoffence"]


def direct_saving_per_participant(p: Params, prog: Programme, cohorts: Cohorts) -> np.ndarray:
    """Each participant's direct cashable saving to national budgets, £, shape (draws, interventions, cohorts).

    The reoffences they do not commit (effect × their cohort's reoffences per member) at the national cashable
    cost of a reoffence (courts, prisons, probation), plus the custodial sentences diverted to the community
    (prison place-years saved less the probation case-years added). Floored at 0. It is linear in the
    participants, so each participant carries a fixed saving: that is what lets the funding allocation count it.
    """
    custody = per_reoffence(p, "custody_per_offence")
    national_per_reoffence = (
        per_reoffence(p, "court_cases_per_offence") * p["court_cost_per_case_gbp"] * p["cashable_share_courts"]
        + custody * p["prison_years_per_custodial_sentence"] * p["prison_cost_per_place_gbp"]
        * p["cashable_share_prisons"]
        + per_reoffence(p, "probation_years_per_offence") * p["probation_cost_per_case_gbp"]
        * p["cashable_share_probation"]
    )  # (D,) £
    per_diverted_sentence = (
        p["prison_years_per_custodial_sentence"] * p["prison_cost_per_place_gbp"] * p["cashable_share_prisons"]
        - p["community_order_years"] * p["probation_cost_per_case_gbp"] * p["cashable_share_probation"]
    )  # (D,) £
    per_member = cohorts.rate * cohorts.frequency  # (D, C) reoffences per member of each cohort
    saving = per_member[:, None, :] * (
        prog.effect[:, :, None] * national_per_reoffence[:, None, None]
        + prog.diversion[:, :, None] * (custody * per_diverted_sentence)[:, None, None]
    )
    return np.maximum(saving, 0.0)


def retained_share(scenario: Scenario, p: Params, prog: Programme) -> np.ndarray:
    """Share of its direct savings the area keeps for each intervention, shape (I,).

    `savings_retained` of the stage where the intervention's function is placed (0 at `national`).
    """
    by_function = np.array([stage_value(p, scenario.stage_of(f), "savings_retained") for f in FUNCTION_KEYS])
    return by_function[prog.function_index]


def arrangement_costs(scenario: Scenario, p: Params, tr: Transition, offenders: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """One-off transition and recurring governance costs, £m per draw, function and year: shapes (D, F, T).

    Transition (procurement, contract exit, systems, staff transfer) costs the stage's £ per offender in the
    area's cohort for each function placed there, spread evenly over the set-up years from the agreement (in the
    agreement year when there is no set-up); committed at agreement, it is paid even if the move is later
    reversed. Governance (boards, commissioning staff, assurance) costs the stage's £m a year per function from
    the agreement while the arrangements stand (`alive`).
    """
    horizon = tr.alive.shape[2]
    years = np.arange(horizon)
    start = agreement_start(scenario)
    stages = [scenario.stage_of(f) for f in FUNCTION_KEYS]
    spread_over = np.array([max(1, int(round(stage_value(p, stage, "setup_years")))) for stage in stages])[:, None]
    spread = ((years >= start) & (years < start + spread_over)) / spread_over  # (F, T)
    per_offender = np.stack([stage_draws(p, stage, "transition_cost_per_offender_gbp") for stage in stages], axis=1)
    transition_cost = (per_offender * offenders[:, None] / 1e6)[:, :, None] * spread[None]
    yearly = np.stack([stage_draws(p, stage, "governance_cost_gbp_m") for stage in stages], axis=1)  # (D, F)
    governance_cost = yearly[:, :, None] * tr.alive * (years >= start)
    return transition_cost, governance_cost


def simulate(scenario: Scenario, p: Params, baseline: Flows | None = None) -> Flows:
    """Step the area's cohorts through the horizon under a scenario's placements, funding and governance.

    `baseline` (the same simulation with every function national) supplies the costs against which savings
    are counted; without it the run is itself the baseline and has no savings. See `simulate_variants`.
    """
    return simulate_variants([scenario], p, baseline)[0]


def simulate_variants(scenarios: Sequence[Scenario], p: Params, baseline: Flows | None = None,
                      headline_only: bool = False) -> list[Flows]:
    """`simulate` for several scenarios of one area and horizon at once, one `Flows` each (see `simulate_stacked`)."""
    stacked = simulate_stacked(scenarios, p, baseline, headline_only)
    return [Flows(**{k: getattr(stacked, k)[i] for k in Flows.__dataclass_fields__}) for i in range(len(scenarios))]


def simulate_stacked(scenarios: Sequence[Scenario], p: Params, baseline: Flows | None = None,
                     headline_only: bool = False) -> Flows:
    """`simulate` for several scenarios of one area and horizon at once: one `Flows` with a leading variant axis.

    Its arrays have shape (variants, draws, years, ...); `simulate_variants` hands out one `Flows` per variant, and
    `_headlines` takes the stacked form as it is (a trade-off reads the headlines of dozens of variants at once).

    With `headline_only`, each cohort metric is kept summed over the cohorts (a last axis of length 1) and the
    rate, participants and per-intervention detail are left empty (length 0): enough for `Run.summary` and a
    fraction of the memory, which is what makes a sweep over every area fast. Such flows are not for
    `Run.frame` or `Run.drivers`.

    Funding is decided each year so that money is never what makes a further stage do worse: with the
    frictions of moving switched off (no set-up delay, disruption, reversal or fading), moving a function along
    the spectrum can never raise total reoffences over the horizon (other things equal). With them, it can —
    that is the trade-off the model exists to show. Three choices make the money side exact:

    1. *Places are commissioned on the baseline cohort.* An intervention's participants are
       eligible share × reach beyond today's × realisation × the area's baseline cohort, so what a year's
       programme can buy does not depend on earlier years' results (as the cohort shrinks, the same places serve
       a slightly larger share of it). Then reoffenders = r × (N_t − Σ participants × effect) is linear in the
       participants.
    2. *Interventions are ranked by reoffences avoided over the rest of the horizon per net pound.* A reoffender
       avoided in cohort c also leaves the next cohort smaller by the return share h, and so on: each
       reoffence avoided in year t is worth M_c,t = Σ_k (h r_c)^k, k = 0 .. H−1−t, reoffences over the horizon.
       Ranking on the current year alone let a programme for low-rate adults displace one for high-rate young
       people and so raise later years' reoffending (a counterexample found by hypothesis).
    3. *The area keeps its share of each participant's direct saving (`direct_saving_per_participant` ×
       `retained_share`) and reinvests it in the same year.* Reinvesting next year from savings weighted by each
       intervention's share of the reoffences avoided let an unfunded intervention displace a budget-holding
       one that would have paid for more next year, and diluted the others' weights (also a counterexample).
       Netting the reinvested share off each intervention's cost makes the loop part of this year's choice.

    Each year is then a fractional knapsack — maximise Σ value × share subject to Σ net cost × share ≤ pooled
    budget — which funding in order of value per net pound solves exactly; without frictions a further stage only
    adds capacity, so the optimum cannot fall. (Exact while the rate clip does not bind: effects far below 1, as in the
    register.) Self-financing interventions (net cost ≤ 0: the savings kept and reinvested cover the cost) run in
    full and their surplus pays for others; but nothing at all runs in a year without a pooled budget, since
    someone has to start a programme.
    """
    first = scenarios[0]
    horizon = first.horizon_years
    if any(s.area != first.area or s.horizon_years != horizon for s in scenarios):
        raise ValueError("simulate_variants needs scenarios of one area and horizon")
    n_var = len(scenarios)
    cohorts = p.derived(("cohorts", first.area), lambda: _frozen(baseline_cohorts(first.area, p)))
    prog = p.derived("programme", lambda: _frozen(programme(p)))
    n_draws, n_iv = p.n, len(prog.interventions)
    n_cohorts = cohorts.size.shape[1]
    fi = prog.function_index
    inputs = _variant_inputs(scenarios, p, horizon, cohorts.size.sum(axis=1))
    # Year-first copies for the loop below (a year's slice is then contiguous), picked for each intervention.
    # Year first, so a year's slice is contiguous; picked for each intervention.
    delivery_t = inputs.delivery.take(fi, axis=-1)  # (T, V, D, I)
    potency_t = inputs.transition.potency.take(fi, axis=-1)
    disrupted_t = inputs.transition.disruption.take(fi, axis=-1)
    # The arrangements' costs by function, and their totals (each a sum along one year, variant and draw's functions).
    transition_by_t, governance_by_t = inputs.transition_cost, inputs.governance_cost  # (T, V, D, F)
    transition_total_t, governance_total_t = transition_by_t.sum(axis=3), governance_by_t.sum(axis=3)  # (T, V, D)
    in_place: dict[int, np.ndarray] = {}  # pooled budget paid each year, per funding (variants usually share one)
    for s in scenarios:
        if id(s.funding) not in in_place:
            in_place[id(s.funding)] = s.funding.pooled_budget_gbp_m * funding_in_place(s, horizon)
    pooled = np.stack([in_place[id(s.funding)] for s in scenarios])  # (V, T)
    reinvest = np.array([s.funding.reinvest_share for s in scenarios])  # (V,)
    retained_unspent = np.array([s.funding.unspent == "retained" for s in scenarios], dtype=float)  # (V,)
    rho = p["cohort_return_share"][:, None]
    entrants = cohorts.size - rho * cohorts.size * cohorts.rate
    unit_cost = np.stack([p[_UNIT_COST[a]] for a in AGENCIES], axis=1)  # (D, A)
    cashable_share = np.stack([p[_CASHABLE[a]] for a in AGENCIES], axis=1)
    custody = per_reoffence(p, "custody_per_offence")[:, None]
    time_served = p["prison_years_per_custodial_sentence"][:, None]
    probation_years = per_reoffence(p, "probation_years_per_offence")[:, None]
    community_years = p["community_order_years"][:, None]
    arrest_ratio = per_reoffence(p, "arrests_per_offence")[:, None]
    court_ratio = per_reoffence(p, "court_cases_per_offence")[:, None]
    cost_per_reoffence = p["cost_per_reoffence_gbp"] / 1e6
    bias_operating, bias_transition = p["optimism_bias_operating"], p["optimism_bias_transition"]  # (D,)

    # Per intervention at full realisation (realisation 1): participants by cohort, their effect and diversion
    # summed over participants, first-order reoffences avoided, gross cost, savings kept and net cost (£m).
    places = prog.reach * cohorts.size[:, None, :]  # (D, I, C)
    per_member = cohorts.rate * cohorts.frequency  # (D, C) reoffences per cohort member
    effect_places = places * prog.effect[:, :, None]
    diversion_places = places * prog.diversion[:, :, None]
    # Effect and diversion side by side on the cohort axis, so one product per year gives both.
    added = np.concatenate([effect_places, diversion_places], axis=2)  # (D, I, 2C)
    avoided_unit = (effect_places * per_member[:, None, :]).sum(axis=2)  # (D, I)
    gross_unit = places.sum(axis=2) * prog.cost / 1e6  # (D, I)
    saving_unit = (places * direct_saving_per_participant(p, prog, cohorts)).sum(axis=2) / 1e6  # (D, I)
    kept_unit = inputs.retained[:, fi][:, None, :] * saving_unit  # (V, D, I)
    # Today's national provision, as a share of each cohort: its effect and diversion, lost while disrupted.
    today = np.concatenate([prog.today * prog.effect[:, :, None], prog.today * prog.diversion[:, :, None]],
                           axis=2)  # (D, I, 2C) today's effect and diversion, as shares of each cohort
    # Horizon worth of a reoffence avoided in year t (central): M_c,t = sum_k (h r_c)^k, k = 0 .. H-1-t.
    growth = rho[0, 0] * cohorts.rate[0]  # (C,)
    worth = np.stack([(growth[:, None] ** np.arange(horizon - t)[None, :]).sum(axis=1) for t in range(horizon)],
                     axis=1)  # (C, T)
    value_unit = (effect_places[0] * per_member[0][None, :]) @ worth  # (I, T) central
    # Savings kept fade with the effect; the cost of a place does not.
    net_unit_t = reinvest[:, None, None] * kept_unit * potency_t
    np.subtract(gross_unit, net_unit_t, out=net_unit_t)  # (T, V, D, I) gross − reinvested kept × potency
    central_net, central_potency = np.moveaxis(net_unit_t[:, :, 0], 0, -1), np.moveaxis(potency_t[:, :, 0], 0, -1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(central_net > 0, value_unit[None] * central_potency / central_net, np.inf)  # (V, I, T)

    per_year = {"cost_of_reoffending", "intervention_spend", "funds_available", "cashable_savings",
                "retained_savings", "reinvested_savings", "transition_cost", "governance_cost", "unused_commitment",
                "committed_cost", "optimism_bias"}
    last_axis = {"agency_cost": (len(AGENCIES),), "realisation": (n_iv,), "reoffences_avoided_by": (n_iv,),
                 "spend_by": (n_iv,), "transition_by": (len(FUNCTION_KEYS),),
                 "governance_by": (len(FUNCTION_KEYS),)}
    # Funding order as a mask: ahead[v, j, i] = 1 when intervention j is funded before i (same for all draws).
    # A matrix product with it gives the money taken by those ahead, without reordering every draw.
    rank = np.argsort(np.argsort(-ratio, axis=1, kind="stable"), axis=1)  # (V, I, T) 0 = funded first
    ahead = (rank[:, :, None, :] < rank[:, None, :, :]).astype(float)  # (V, j, i, T)

    # Results are written year-first (contiguous) and handed out as (draws, years, ...) views. Sums over the
    # short cohort and intervention axes use a product with a vector of ones, much faster than .sum there.
    ones_c, ones_i = np.ones(n_cohorts), np.ones(n_iv)
    lean = {"reoffending_rate", "participants", "realisation", "reoffences_avoided_by"}
    summed = {k for k in Flows.__dataclass_fields__ if k not in per_year and k not in last_axis}
    if headline_only:
        last_axis = {**last_axis, **dict.fromkeys(lean, (0,)), **dict.fromkeys(summed - lean, (1,))}
    out = {k: np.zeros((horizon, n_var, n_draws, *(() if k in per_year else last_axis.get(k, (n_cohorts,)))))
           for k in Flows.__dataclass_fields__}
    size = np.broadcast_to(cohorts.size, (n_var, n_draws, n_cohorts))
    for t in range(horizon):
        size_twice = np.concatenate([size, size], axis=2)  # for effect and diversion side by side
        realisation = np.zeros((n_var, n_draws, n_iv))
        delivered = delivery_t[t]
        net = net_unit_t[t] * delivered  # (V, D, I) £m at this year's delivery
        if delivered.any():
            # Self-financing interventions first, then the most reoffences avoided per net pound (central).
            before = np.matmul(net, ahead[:, :, :, t])  # money for the interventions funded earlier
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                funded = np.where(net > 0, (pooled[:, t, None, None] - before) / net, 1.0)
            # Nothing runs in a year without a pooled budget, not even a programme that would pay for itself.
            realisation = delivered * np.clip(funded, 0.0, 1.0) * (pooled[:, t] > 0)[:, None, None]
        potent = realisation * potency_t[t]
        gained = np.matmul(potent[:, :, None, :], added)[:, :, 0, :]  # (V, D, 2C) summed over participants
        with np.errstate(divide="ignore", invalid="ignore"):
            gained = np.where(size_twice > 0, gained / size_twice, 0.0)
        reduction, diverted = gained[..., :n_cohorts], gained[..., n_cohorts:]
        # Today's provision lost while it is disrupted (a share of each cohort, so no division by its size).
        lost = np.matmul(disrupted_t[t][:, :, None, :], today)[:, :, 0, :]  # (V, D, 2C)
        harm, harm_diversion = lost[..., :n_cohorts], lost[..., n_cohorts:]
        diverted_share = np.clip(diverted - harm_diversion, -1.0, 1.0)
        rate = np.clip(cohorts.rate * (1.0 - reduction + harm), 0.0, 1.0)
        reoffenders = size * rate
        reoffences = reoffenders * cohorts.frequency
        sentences = reoffences * custody
        receptions = sentences * (1.0 - diverted_share)
        places_used = receptions * time_served
        caseload = np.maximum(reoffences * probation_years + (sentences - receptions) * community_years, 0.0)
        arrests = reoffences * arrest_ratio
        courts = reoffences * court_ratio
        # Summed over the cohorts once, for the agencies' costs and (headline_only) the kept totals alike.
        cohort_totals = {"reoffences": reoffences @ ones_c, "arrests": arrests @ ones_c,
                         "court_cases": courts @ ones_c, "prison_places": places_used @ ones_c,
                         "probation_caseload": caseload @ ones_c}
        volumes = np.stack([cohort_totals[k] for k in ("arrests", "court_cases", "prison_places",
                                                       "probation_caseload")], axis=2)
        agency_cost = volumes * unit_cost / 1e6  # (V, D, A)
        spend_by = gross_unit * realisation
        spend = spend_by @ ones_i
        transition_total, governance_total = transition_total_t[t], governance_total_t[t]  # (V, D)
        retained = (kept_unit * potent) @ ones_i  # (V, D)
        from_pooled = np.maximum(spend - reinvest[:, None] * retained, 0.0)  # reinvested savings go first
        unused = np.maximum(pooled[:, t, None] - from_pooled, 0.0)  # (V, D)

        by_cohort = (
            ("cohort_size", size), ("reoffenders", reoffenders), ("reoffences", reoffences), ("arrests", arrests),
            ("court_cases", courts), ("custody_receptions", receptions), ("prison_places", places_used),
            ("probation_caseload", caseload))
        for key, value in (
            ("agency_cost", agency_cost),
            ("cost_of_reoffending", cohort_totals["reoffences"] * cost_per_reoffence),
            ("intervention_spend", spend), ("retained_savings", retained),
            ("funds_available", pooled[:, t, None] + reinvest[:, None] * retained),
            ("reinvested_savings", reinvest[:, None] * retained),
            ("unused_commitment", unused), ("committed_cost", retained_unspent[:, None] * unused),
            ("optimism_bias", bias_operating * (spend + governance_total) + bias_transition * transition_total),
            ("spend_by", spend_by),
        ):
            out[key][t] = value
        if headline_only:  # each cohort metric summed over the cohorts; the rate and the detail left empty
            for key, value in by_cohort:
                out[key][t, ..., 0] = cohort_totals[key] if key in cohort_totals else value @ ones_c
        else:
            for key, value in (*by_cohort, ("reoffending_rate", rate), ("realisation", realisation),
                               ("participants", np.matmul(realisation[:, :, None, :], places)[:, :, 0, :]),
                               ("reoffences_avoided_by", avoided_unit * potent)):
                out[key][t] = value
        size = entrants + rho * reoffenders
    out.update(transition_by=transition_by_t, transition_cost=transition_total_t, governance_by=governance_by_t,
               governance_cost=governance_total_t)  # year first already, and made for this call alone
    if baseline is not None:  # (T, V, D, A) less the baseline's (T, 1, D, A), summed over the agencies
        saving = np.moveaxis(baseline.agency_cost, 1, 0)[:, None] - out["agency_cost"]
        out["cashable_savings"] = (saving * cashable_share).sum(axis=3)
    return Flows(**{k: np.moveaxis(v, 0, 2) for k, v in out.items()})  # (V, D, T, ...)


def national_placements(scenario: Scenario) -> Scenario:
    """The same scenario with every function at today's national arrangements and no pooled budget."""
    return scenario.with_changes(placements={}, funding={**scenario.funding.model_dump(), "pooled_budget_gbp_m": 0.0})


_BASELINES: _Memo[Flows] = _Memo(8)


def national_baseline(scenario: Scenario, p: Params, headline_only: bool = False) -> Flows:
    """`simulate(national_placements(scenario), p)` (`simulate_variants` when `headline_only`), read-only.

    Shared from a small cache when `p` comes from `params_for`: the baseline does not move when a placement does,
    so a session pays for it once, not at every move.
    """
    national = national_placements(scenario)

    def make() -> Flows:
        flows = simulate_variants([national], p, headline_only=headline_only)[0]
        for name in Flows.__dataclass_fields__:
            _read_only(getattr(flows, name))
        return flows

    if p.cache_key is None:
        return make()
    return _BASELINES.get((national.model_dump_json(), p.cache_key, headline_only), make)


# ----------------------------------------------------------------------------------------------- results
_OVER_HORIZON = f"£m over the horizon, {PRICE_BASE_LABEL}"
_DISCOUNTED = f"£m, discounted, {PRICE_BASE_LABEL}"
HEADLINES: tuple[tuple[str, str, str], ...] = (
    ("reoffences_avoided", "Reoffences avoided", "offences over the horizon"),
    ("reoffending_rate_change_pp", "Change in reoffending rate (final year)", "percentage points"),
    ("prison_places_avoided", "Prison places freed (final year)", "places"),
    ("probation_caseload_change", "Change in probation caseload (final year)", "cases"),
    ("court_cases_avoided", "Court cases avoided", "cases over the horizon"),
    ("arrests_avoided", "Arrests avoided", "arrests over the horizon"),
    ("custody_receptions_avoided", "Custodial sentences avoided", "sentences over the horizon"),
    ("intervention_spend_gbp_m", "Spend on interventions", _OVER_HORIZON),
    ("arrangement_costs_gbp_m", "Transition and governance costs", _OVER_HORIZON),
    ("optimism_bias_gbp_m", "Optimism bias (Green Book adjustment to costs)", _OVER_HORIZON),
    ("committed_unused_gbp_m", "Pooled money committed but not spent", _OVER_HORIZON),
    ("cashable_savings_gbp_m", "Cashable savings", _OVER_HORIZON),
    ("retained_savings_gbp_m", "Savings retained by the area", _OVER_HORIZON),
    ("net_fiscal_cost_gbp_m", "Net cost to the public purse (spend, arrangement costs, optimism bias and any "
     "unspent money retained − cashable savings)", _OVER_HORIZON),
    ("economic_benefit_gbp_m", "Economic and social cost of reoffending avoided", _OVER_HORIZON),
    ("pv_benefits_gbp_m", "Present value of benefits", _DISCOUNTED),
    ("pv_costs_gbp_m", "Present value of costs", _DISCOUNTED),
    ("npv_gbp_m", "Net present value (benefit − all costs, discounted)", f"£m, {PRICE_BASE_LABEL}"),
    ("benefit_cost_ratio", "Benefit–cost ratio", "£ of benefit per £ of cost"),
    ("chance_npv_positive", "Chance that benefits exceed costs", "share of uncertainty draws"),
    ("chance_more_reoffences", "Chance of more reoffences than staying as we are", "share of uncertainty draws"),
    ("chance_npv_negative", "Chance this path does worse than staying as we are (costs exceed benefits)",
     "share of uncertainty draws"),
    ("area_net_gbp_m", "Net position of the area (PCC or mayor)", _DISCOUNTED),
    ("chance_area_breaks_even", "Chance that the area breaks even", "share of uncertainty draws"),
)
#: Headlines that are a share of the draws, computed from another headline: (chance key, from key, sign): the
#: share of draws in which sign × the other headline is above zero.
_CHANCES = (("chance_npv_positive", "npv_gbp_m", 1), ("chance_more_reoffences", "reoffences_avoided", -1),
            ("chance_npv_negative", "npv_gbp_m", -1), ("chance_area_breaks_even", "area_net_gbp_m", 1))
HEADLINE_KEYS: tuple[str, ...] = tuple(h[0] for h in HEADLINES)
CHANCE_KEYS: tuple[str, ...] = tuple(c[0] for c in _CHANCES)


def economic_benefit(base: Flows, scen: Flows, p: Params) -> np.ndarray:
    """Economic and social benefit per draw and year (£m), shape (..., draws, years).

    The victims' and society's share of each reoffence avoided plus every justice agency's saving (which also
    counts custodial sentences diverted). `scen` may be stacked (a leading variant axis, see `simulate_stacked`).
    """
    from cjcore.money import system_cost_per_reoffence

    avoided = base.reoffences.sum(axis=-1) - scen.reoffences.sum(axis=-1)
    beyond = (p["cost_per_reoffence_gbp"] - system_cost_per_reoffence(p))[:, None] / 1e6
    return avoided * beyond + (base.agency_cost - scen.agency_cost).sum(axis=-1)


def _headlines(base: Flows, scen: Flows, p: Params) -> dict[str, np.ndarray]:
    """Headline figures over the horizon, one value per draw (area figures are added by Run): shape (..., draws).

    `scen` may be stacked (a leading variant axis, see `simulate_stacked`): every figure is then worked out for all
    the variants at once, with the same sums over the same axes as for one run, so each variant's numbers are
    exactly its own run's (tests/core/test_engine_speed.py checks it).
    """
    if scen.reoffences.ndim > base.reoffences.ndim and scen.reoffences.shape[-3] == 1:
        # One draw: numpy sums a single run's (1, years) array as a line (pairwise), a stacked one year by year;
        # in C order each variant's row is a line again, so the two add up the years in the same order.
        scen = Flows(**{k: np.ascontiguousarray(getattr(scen, k)) for k in Flows.__dataclass_fields__})
    horizon = base.reoffences.shape[-2]
    factor = (1 + p["discount_rate"][:, None]) ** -np.arange(horizon)[None, :]
    benefit = economic_benefit(base, scen, p)
    pv_benefit = (benefit * factor).sum(-1)
    costs = (scen.intervention_spend + scen.transition_cost + scen.governance_cost + scen.optimism_bias
             + scen.committed_cost)
    pv_spend = (costs * factor).sum(-1)
    npv = pv_benefit - pv_spend

    def total(flows: Flows, name: str) -> np.ndarray:
        return getattr(flows, name).sum(axis=(-2, -1))

    def final(flows: Flows, name: str) -> np.ndarray:
        return getattr(flows, name)[..., -1, :].sum(axis=-1)

    def all_rate(flows: Flows) -> np.ndarray:
        return flows.reoffenders[..., -1, :].sum(-1) / flows.cohort_size[..., -1, :].sum(-1)

    spend = scen.intervention_spend.sum(-1)
    arrangements = (scen.transition_cost + scen.governance_cost).sum(-1)
    committed = scen.committed_cost.sum(-1)
    bias = scen.optimism_bias.sum(-1)
    cashable = scen.cashable_savings.sum(-1)
    return {
        "reoffences_avoided": total(base, "reoffences") - total(scen, "reoffences"),
        "reoffending_rate_change_pp": 100 * (all_rate(scen) - all_rate(base)),
        "prison_places_avoided": final(base, "prison_places") - final(scen, "prison_places"),
        "probation_caseload_change": final(scen, "probation_caseload") - final(base, "probation_caseload"),
        "court_cases_avoided": total(base, "court_cases") - total(scen, "court_cases"),
        "arrests_avoided": total(base, "arrests") - total(scen, "arrests"),
        "custody_receptions_avoided": total(base, "custody_receptions") - total(scen, "custody_receptions"),
        "intervention_spend_gbp_m": spend,
        "arrangement_costs_gbp_m": arrangements,
        "cashable_savings_gbp_m": cashable,
        "retained_savings_gbp_m": scen.retained_savings.sum(-1),
        "committed_unused_gbp_m": scen.unused_commitment.sum(-1),
        "optimism_bias_gbp_m": bias,
        "net_fiscal_cost_gbp_m": spend + arrangements + bias + committed - cashable,
        "economic_benefit_gbp_m": benefit.sum(-1),
        "pv_benefits_gbp_m": pv_benefit,
        "pv_costs_gbp_m": pv_spend,
        "npv_gbp_m": npv,
        "benefit_cost_ratio": np.divide(pv_benefit, pv_spend, out=np.full_like(npv, np.nan), where=pv_spend > 0),
    }


def headline_draws_stacked(base: Flows, stacked: Flows, p: Params) -> dict[str, np.ndarray]:
    """Every variant's headline figures per draw, shape (variants, 1 + draws), from `simulate_stacked`'s flows.

    The same numbers as each variant's `Run.headline_draws` (the area's figures and the chances left out), in a few
    array operations instead of a `Run` per variant.
    """
    return _headlines(base, stacked, p)


def _bands(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p10, median, p90 over the draws (rows 1..), NaN when there are no draws."""
    if values.shape[0] <= 1:
        nan = np.full(values.shape[1:], np.nan)
        return nan, nan, nan
    p10, p50, p90 = np.percentile(values[1:], _PERCENTILES, axis=0)
    return p10, p50, p90


#: Headlines that need the money table by agency (`Run.money`).
_AREA_HEADLINES = ("area_net_gbp_m", "chance_area_breaks_even")


class _HeadlineDraws(Mapping[str, np.ndarray]):
    """`Run.headline_draws`: a read-only mapping whose area figures are computed when first read."""

    def __init__(self, run: Run) -> None:
        self._run = run
        self._values = _headlines(run.baseline, run.flows, run.params)
        self._keys = (*self._values, *_AREA_HEADLINES[:1], *CHANCE_KEYS)
        for chance, source, _ in _CHANCES:
            if source not in _AREA_HEADLINES:
                self._add_chance(chance)

    def _add_chance(self, chance: str) -> None:
        _, source, sign = next(c for c in _CHANCES if c[0] == chance)
        above = sign * self._values[source] > 0
        self._values[chance] = np.full(above.shape, float(above[1:].mean()) if self._run.draws else float(above[0]))

    def __getitem__(self, key: str) -> np.ndarray:
        if key in _AREA_HEADLINES and key not in self._values:
            from cjcore.money import area_net_pv

            self._values["area_net_gbp_m"] = area_net_pv(self._run, self._run.money)
            self._add_chance("chance_area_breaks_even")
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class Run:
    """A projection: the scenario, its baseline, and tidy views of both (built on first use)."""

    def __init__(self, scenario: Scenario, baseline: Flows, flows: Flows, params: Params,
                 default_baseline: Flows | None = None) -> None:
        self.scenario = scenario
        self.baseline = baseline
        self.flows = flows
        self.params = params
        self.draws = params.n - 1
        #: The baseline under the register's default assumptions and the derived area figures (the same as
        #: `baseline` without overrides or the user's own figures).
        self.default_baseline = baseline if default_baseline is None else default_baseline

    @cached_property
    def headline_draws(self) -> Mapping[str, np.ndarray]:
        """Each headline figure for the central estimate (index 0) and every draw.

        The area's figures (`area_net_gbp_m` and its chance) need the money table by agency, which costs more than
        all the others together: they are worked out on first use, so a trade-off over dozens of variants that
        reads only reoffences and the net present value does not pay for them.
        """
        return _HeadlineDraws(self)

    @cached_property
    def money(self) -> np.ndarray:
        """£m by draw, year, agency and money category (see cjcore.money)."""
        from cjcore.money import agency_money

        return agency_money(self)

    @cached_property
    def agency_frame(self) -> pd.DataFrame:
        """Tidy money by agency: year, agency, category, value, p10, p90."""
        from cjcore.money import agency_frame

        return agency_frame(self, self.money)

    @cached_property
    def agency_summary(self) -> pd.DataFrame:
        """Per agency over the horizon: puts in, gets back, net, return on investment, payback year."""
        from cjcore.money import agency_summary

        return agency_summary(self.money)

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Headline figures over the horizon: the expected value, the central value, and p10 / median / p90.

        `value` is the appraisal figure: the mean over the uncertainty draws (the Green Book's expected value), and
        for the benefit–cost ratio the ratio of the expected present values. `central` is every parameter at its
        central value (reversal at its expectation): the number a reader reproduces by hand from docs/model.md.
        With no draws the two are the same.
        """
        draws = self.headline_draws
        values = np.stack([draws[key] for key, _, _ in HEADLINES])  # (headlines, 1 + draws)
        bands = (np.percentile(values[:, 1:], _PERCENTILES, axis=1) if self.draws
                 else np.full((len(_PERCENTILES), len(HEADLINES)), np.nan))
        central = values[:, 0].copy()
        expected = values[:, 1:].mean(axis=1) if self.draws else central.copy()
        if self.draws:
            bcr = HEADLINE_KEYS.index("benefit_cost_ratio")
            pv_costs = draws["pv_costs_gbp_m"][1:].mean()
            expected[bcr] = draws["pv_benefits_gbp_m"][1:].mean() / pv_costs if pv_costs > 0 else np.nan
        for chance, _, _ in _CHANCES:
            i = HEADLINE_KEYS.index(chance)
            bands[:, i] = np.nan
            expected[i] = central[i]  # already a share of the draws
        return pd.DataFrame({
            "label": [h[1] for h in HEADLINES], "unit": [h[2] for h in HEADLINES], "value": expected,
            "central": central, "p10": bands[0], "median": bands[1], "p90": bands[2],
        }, index=pd.Index(HEADLINE_KEYS, name="key"))

    def headline(self, key: str) -> float:
        """One headline figure's expected value (its central value when there are no draws)."""
        return float(self.summary.at[key, "value"])

    def central_headline(self, key: str) -> float:
        """One headline figure with every parameter at its central value (reproducible by hand)."""
        return float(self.summary.at[key, "central"])

    @cached_property
    def frame(self) -> pd.DataFrame:
        """Tidy results: year, cohort, metric, series, value, p10, median, p90.

        Built in one go (every block's draws side by side, one percentile call, one DataFrame): a frame per block
        and a concat cost several times the projection itself.
        """
        n_years = self.scenario.horizon_years
        blocks: list[np.ndarray] = []  # (draws, years × cohorts) each, rows year by year, cohorts within a year
        labels: list[tuple[str, str, tuple[str, ...]]] = []  # (series, metric, cohorts) of each block
        for series, flows in ((SERIES_BASELINE, self.baseline), (SERIES_SCENARIO, self.flows),
                              (SERIES_DEFAULT_BASELINE, self.default_baseline)):
            for metric in COHORT_METRICS:
                per_cohort = getattr(flows, metric)  # (D, T, C)
                if metric == "reoffending_rate":
                    total = flows.reoffenders.sum(2) / flows.cohort_size.sum(2)
                else:
                    total = per_cohort.sum(2)
                stacked = np.concatenate([per_cohort, total[:, :, None]], axis=2)
                blocks.append(stacked.reshape(stacked.shape[0], -1))
                labels.append((series, metric, (*COHORT_KEYS, ALL_COHORTS)))
            for metric in MONEY_METRICS:
                blocks.append(getattr(flows, metric))
                labels.append((series, metric, (ALL_COHORTS,)))
        values = np.concatenate(blocks, axis=1)  # (D, rows)
        p10, p50, p90 = _bands(values)
        sizes = [n_years * len(cohorts) for _, _, cohorts in labels]
        years = np.arange(1, n_years + 1)
        return pd.DataFrame({
            "year": np.concatenate([np.repeat(years, len(cohorts)) for _, _, cohorts in labels]),
            "cohort": np.concatenate([np.tile(np.array(cohorts, dtype=object), n_years) for _, _, cohorts in labels]),
            "metric": np.repeat(np.array([m for _, m, _ in labels], dtype=object), sizes),
            "series": np.repeat(np.array([s for s, _, _ in labels], dtype=object), sizes),
            "value": values[0],
            "p10": p10,
            "median": p50,
            "p90": p90,
        })

    @cached_property
    def drivers(self) -> pd.DataFrame:
        """What drives the result: reoffences avoided and spend by function over the horizon (central)."""
        prog_functions = [iv.function for iv in load_register().interventions]
        df = pd.DataFrame({
            "function": prog_functions,
            "reoffences_avoided": self.flows.reoffences_avoided_by[0].sum(axis=0),
            "spend_gbp_m": self.flows.spend_by[0].sum(axis=0),
        }).groupby("function", sort=False).sum()
        df = df.reindex(FUNCTION_KEYS, fill_value=0.0)
        df["stage"] = [self.scenario.stage_of(f) for f in df.index]
        return df.rename_axis("function").reset_index()


def project(scenario: Scenario, draws: int = 0, seed: int | None = None) -> Run:
    """Project a scenario against its baseline. draws=0 gives the central estimate only."""
    if draws < 0:
        raise ValueError("draws must be 0 or more")
    params = params_for(scenario.overrides, draws, seed, scenario.baseline)
    base = national_baseline(scenario, params)
    default = None
    if scenario.overrides or scenario.baseline is not None:  # the baseline under the register's and derived figures
        default = national_baseline(scenario.with_changes(overrides={}, baseline=None), params_for({}, draws, seed))
    return Run(scenario, base, simulate(scenario, params, baseline=base), params, default)


def sweep(scenario: Scenario, function: str, draws: int = 0, seed: int | None = None) -> pd.DataFrame:
    """Headline figures with one function placed at every stage in turn, other things equal."""
    if function not in FUNCTION_KEYS:
        raise ValueError(f"unknown function {function!r}; allowed: {', '.join(FUNCTION_KEYS)}")
    if draws < 0:
        raise ValueError("draws must be 0 or more")
    params = params_for(scenario.overrides, draws, seed, scenario.baseline)
    base = national_baseline(scenario, params, headline_only=True)
    variants = [scenario.with_changes(placements={**scenario.placements, function: stage}) for stage in STAGE_KEYS]
    rows = []
    flows_by_stage = simulate_variants(variants, params, baseline=base, headline_only=True)
    for stage, variant, flows in zip(STAGE_KEYS, variants, flows_by_stage, strict=True):
        summary = Run(variant, base, flows, params).summary
        summary = summary.assign(stage=stage, current=stage == scenario.stage_of(function))
        rows.append(summary.reset_index())
    return pd.concat(rows, ignore_index=True)


assert set(COHORT_METRICS) | set(MONEY_METRICS) <= set(METRIC), "every metric needs a vocabulary entry"

"""Report tables built from a Run: levels and changes that screens and briefings show side by side.

These are the model's own numbers rearranged (sums over the horizon, final-year values), kept here so that no
page or chart adds up model output itself. Three tables look at the trade-offs of moving along the spectrum:
`stage_tradeoff` (each function at every stage), `overtake_year` (the J-curve: worse first, better later) and
`postcode_lottery` (how far one area moves from the rest of England and Wales).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

import numpy as np
import pandas as pd

from cjcore.areas import AREA_KEYS, get_area
from cjcore.engine import (
    Flows,
    Params,
    Run,
    headline_draws_stacked,
    national_baseline,
    national_placements,
    params_for,
    project,
    simulate_stacked,
    simulate_variants,
)
from cjcore.schema import Scenario
from cjcore.vocab import (
    ALL_COHORTS,
    COHORT_KEYS,
    FUNCTION_KEYS,
    METRIC,
    SERIES_BASELINE,
    SERIES_SCENARIO,
    STAGE_KEYS,
)

#: How each level is taken over the horizon: a yearly flow is summed, a stock or a rate is read in the final year.
LEVELS: tuple[tuple[str, str], ...] = (
    ("reoffences", "total"),
    ("reoffending_rate", "final"),
    ("prison_places", "final"),
    ("probation_caseload", "final"),
    ("court_cases", "total"),
    ("arrests", "total"),
    ("custody_receptions", "total"),
)


def _pick(frame: pd.DataFrame, metric: str, series: str, how: str, cohort: str = ALL_COHORTS) -> pd.Series:
    rows = frame[(frame.metric == metric) & (frame.series == series) & (frame.cohort == cohort)]
    if how == "final":
        return rows.loc[rows.year.idxmax(), ["value", "p10", "p90"]]
    return rows[["value", "p10", "p90"]].sum(min_count=1)


def _level_draws(flows: Flows, metric: str, how: str) -> np.ndarray:
    """One headline level per draw (row 0 the central run): a flow summed over the horizon, or the final year's."""
    if metric == "reoffending_rate":
        return flows.reoffenders[:, -1].sum(axis=1) / flows.cohort_size[:, -1].sum(axis=1)
    values = getattr(flows, metric)
    return values[:, -1].sum(axis=1) if how == "final" else values.sum(axis=(1, 2))


def _expected(values: np.ndarray) -> float:
    """The mean over the uncertainty draws (rows 1..), as the engine's headlines; the central run without draws."""
    return float(values[1:].mean()) if values.shape[0] > 1 else float(values[0])


def headline_levels(run: Run) -> pd.DataFrame:
    """Baseline and scenario level of each headline metric over the horizon, with the change.

    One convention with `Run.summary`: `baseline`, `scenario` and `change` are expected values (the mean over the
    uncertainty draws; the central run when there are none), so the outcome cards agree with the money and chance
    cards, the story and the summary's `value` column (`change` of reoffences is minus `reoffences_avoided`). The
    `*_central` columns are the central run (every parameter at its central value, as the summary's `central`),
    and `scenario_p10` / `scenario_p90` the scenario's level at the 10th and 90th percentile of the draws.
    """
    columns: dict[str, list] = {name: [] for name in (
        "metric", "label", "unit", "how", "baseline", "scenario", "change", "baseline_central", "scenario_central",
        "change_central", "scenario_p10", "scenario_p90")}
    for metric, how in LEVELS:
        base = _level_draws(run.baseline, metric, how)
        scen = _level_draws(run.flows, metric, how)
        p10, p90 = (np.percentile(scen[1:], (10, 90)) if run.draws else (np.nan, np.nan))
        for name, value in (
            ("metric", metric), ("label", METRIC[metric].label),
            ("unit", METRIC[metric].unit if how == "final" else "over the horizon"), ("how", how),
            ("baseline", _expected(base)), ("scenario", _expected(scen)), ("change", _expected(scen - base)),
            ("baseline_central", float(base[0])), ("scenario_central", float(scen[0])),
            ("change_central", float(scen[0] - base[0])), ("scenario_p10", float(p10)), ("scenario_p90", float(p90)),
        ):
            columns[name].append(value)
    # From columns, with its index: a frame from a list of rows and then `set_index` costs more than the figures.
    index = pd.Index(columns.pop("metric"), name="metric")
    return pd.DataFrame(columns, index=index)


def by_cohort(run: Run, metric: str = "reoffences") -> pd.DataFrame:
    """Baseline, scenario and change of one yearly metric summed over the horizon, for each cohort."""
    frame = run.frame
    rows = []
    for cohort in COHORT_KEYS:
        base = _pick(frame, metric, SERIES_BASELINE, "total", cohort)["value"]
        scen = _pick(frame, metric, SERIES_SCENARIO, "total", cohort)["value"]
        rows.append({"cohort": cohort, "baseline": float(base), "scenario": float(scen),
                     "change": float(scen - base),
                     "change_pct": float(100 * (scen - base) / base) if base else np.nan})
    return pd.DataFrame(rows)


def money_by_year(run: Run) -> pd.DataFrame:
    """Spend, transition and governance costs, savings and funds per year (central), for the money chart."""
    frame = run.frame
    keep = ["intervention_spend", "transition_cost", "governance_cost", "cashable_savings", "retained_savings",
            "funds_available"]
    rows = frame[(frame.series == SERIES_SCENARIO) & frame.metric.isin(keep) & (frame.cohort == ALL_COHORTS)]
    return rows[["year", "metric", "value", "p10", "p90"]].reset_index(drop=True)


def change_by_year(frame: pd.DataFrame, metric: str, cohort: str = ALL_COHORTS) -> pd.DataFrame:
    """Scenario minus baseline, year by year (central estimate): comparable across areas and scenarios."""
    rows = frame[(frame.metric == metric) & (frame.cohort == cohort)]
    wide = rows.pivot(index="year", columns="series", values="value")
    return pd.DataFrame({"year": wide.index, "change": (wide[SERIES_SCENARIO] - wide[SERIES_BASELINE]).values})


def cohort_offenders(frame: pd.DataFrame) -> float:
    """Offenders in the area's baseline cohort in year 1 (all cohorts): the scale for per-1,000 figures."""
    rows = frame[(frame.metric == "cohort_size") & (frame.series == SERIES_BASELINE) & (frame.cohort == ALL_COHORTS)]
    return float(rows.loc[rows.year.idxmin(), "value"])


def per_thousand_offenders(value: float, frame: pd.DataFrame) -> float:
    """A headline figure per 1,000 offenders in the area's cohort, so areas of different size can be compared."""
    offenders = cohort_offenders(frame)
    return 1000.0 * value / offenders if offenders else np.nan


def side_by_side(summaries: dict[str, pd.DataFrame], keys: tuple[str, ...]) -> pd.DataFrame:
    """Headline figures of several options in columns, then each option's difference from the first."""
    names = list(summaries)
    first = next(iter(summaries.values()))
    table = pd.DataFrame({name: [s.at[k, "value"] for k in keys] for name, s in summaries.items()},
                         index=[f"{first.at[k, 'label']} ({first.at[k, 'unit']})" for k in keys])
    for name in names[1:]:
        table[f"Difference: {name} − {names[0]}"] = table[name] - table[names[0]]
    return table


# ----------------------------------------------------------------------------------------------- trade-offs
#: The measures of `stage_tradeoff`, each with its expected value, central value and p10 / p90 columns.
TRADEOFF_MEASURES: tuple[str, ...] = ("reoffences_avoided", "npv_gbp_m")
#: Its chances: the share of draws in which the function at that stage does worse than leaving it national.
TRADEOFF_CHANCES: tuple[str, ...] = ("chance_more_reoffences", "chance_npv_negative")


def _placed(scenario: Scenario, function: str, stage: str) -> tuple[tuple[str, str], ...]:
    """The scenario's placements with one function moved, as a canonical key (functions at national left out)."""
    moved = {**scenario.placements, function: stage}
    return tuple(sorted((f, s) for f, s in moved.items() if s != STAGE_KEYS[0]))


def _summarise(values: np.ndarray) -> dict[str, np.ndarray]:
    """Expected value, central value, p10 / p90 and the chance below zero, over the last axis (the draws).

    As the engine's headlines: the expected value is the mean over the draws (rows 1..) and the central value is
    row 0 (every parameter at its central value); without draws both are row 0, the bands are NaN and the chance
    is whether the central value is below zero.
    """
    central = values[..., 0]
    if values.shape[-1] <= 1:
        nan = np.full(values.shape[:-1], np.nan)
        return {"value": central, "central": central, "p10": nan, "p90": nan, "chance": (central < 0).astype(float)}
    draws = values[..., 1:]
    p10, p90 = np.percentile(draws, (10, 90), axis=-1)
    return {"value": draws.mean(axis=-1), "central": central, "p10": p10, "p90": p90,
            "chance": (draws < 0).mean(axis=-1)}


def stage_tradeoff(scenario: Scenario, draws: int = 0, seed: int | None = None) -> pd.DataFrame:
    """What each function adds at each stage of the spectrum, everything else as in the scenario.

    For every function and stage, the function is placed at that stage with the other functions held where the
    scenario puts them, and compared with the same scenario with that function left national: reoffences avoided
    over the horizon and net present value (£m), each with its expected value (the mean over the draws, as the
    engine's headlines), its central value and p10 / p90 over the draws, and the chance (share of draws) that the
    move brings more reoffences, or costs more than it brings (`chance_npv_negative`). So the `national` row of
    every function is exactly zero, and the curve along the stages shows where going further stops paying (the
    values fall) or becomes risky (the band crosses zero, the chances rise). Every draw faces the same luck in
    every variant (common random numbers), so differences are taken draw by draw.

    One `simulate_variants` call runs every distinct placement (at most 9 × 5 + 1) with `headline_only`, as `sweep`
    does, and the variants' figures come from the engine's headline formulas applied to all of them at once
    (`headline_draws_stacked`, the same numbers as each variant's `Run.headline_draws`).

    Returns:
        One row per function and stage: function, stage, current (the stage the scenario places it at), and for
        each measure m of `TRADEOFF_MEASURES` (reoffences_avoided, npv_gbp_m) the columns m, m_central, m_p10 and
        m_p90; then chance_more_reoffences and chance_npv_negative.
    """
    if draws < 0:
        raise ValueError("draws must be 0 or more")
    params = params_for(scenario.overrides, draws, seed, scenario.baseline)
    base = national_baseline(scenario, params, headline_only=True)
    keys: dict[tuple[tuple[str, str], ...], int] = {}
    for function in FUNCTION_KEYS:
        for stage in STAGE_KEYS:
            keys.setdefault(_placed(scenario, function, stage), len(keys))
    # Only the placements differ, and each key is already what validation makes of it (sorted, national left out);
    # a copy sharing everything else costs a fraction of validating 46 scenarios.
    variants = [scenario.model_copy(update={"placements": MappingProxyType(dict(key))}) for key in keys]
    # The engine's own headline figures per draw, for every variant at once, so every cost it counts (spend,
    # transition, governance, optimism bias, money kept unspent, ...) is in the net present value exactly as on the
    # headline cards.
    headlines = headline_draws_stacked(base, simulate_stacked(variants, params, baseline=base, headline_only=True),
                                       params)
    avoided = headlines["reoffences_avoided"]  # (variants, 1 + draws)
    npv = headlines["npv_gbp_m"]
    grid = np.array([[keys[_placed(scenario, f, s)] for s in STAGE_KEYS] for f in FUNCTION_KEYS])  # (F, S)
    reference = grid[:, :1]  # each function left national
    measures = {"reoffences_avoided": avoided[grid] - avoided[reference],  # (F, S, D), draw by draw
                "npv_gbp_m": npv[grid] - npv[reference]}
    n_f, n_s = grid.shape
    columns: dict[str, object] = {
        "function": np.repeat(np.array(FUNCTION_KEYS, dtype=object), n_s),
        "stage": np.tile(np.array(STAGE_KEYS, dtype=object), n_f),
        "current": [s == scenario.stage_of(f) for f in FUNCTION_KEYS for s in STAGE_KEYS],
    }
    summaries = {name: _summarise(values) for name, values in measures.items()}
    for name, summary in summaries.items():
        for column, part in ((name, "value"), (f"{name}_central", "central"), (f"{name}_p10", "p10"),
                             (f"{name}_p90", "p90")):
            columns[column] = summary[part].ravel()
    columns["chance_more_reoffences"] = summaries["reoffences_avoided"]["chance"].ravel()
    columns["chance_npv_negative"] = summaries["npv_gbp_m"]["chance"].ravel()
    frame = pd.DataFrame(columns)  # in one go: a column inserted at a time costs more than the figures
    return frame


#: Differences in reoffences smaller than this are read as none (floating-point noise).
_TOLERANCE = 1e-6


def _yearly_gap(run: Run) -> np.ndarray:
    """Scenario minus baseline reoffences each year (central estimate, all cohorts)."""
    return run.flows.reoffences[0].sum(axis=1) - run.baseline.reoffences[0].sum(axis=1)


def overtake_year(run: Run) -> int | None:
    """The J-curve: the year (1-based) from which the scenario's cumulative reoffences stay below the baseline's.

    Only when the scenario starts behind: the first year in which its cumulative reoffences differ from the
    baseline's, they are higher (the set-up disruption of today's services). None if it never starts behind,
    or never gets back below the baseline within the horizon. Central estimate.
    """
    gap = np.cumsum(_yearly_gap(run))
    moved = np.flatnonzero(np.abs(gap) > _TOLERANCE)
    if moved.size == 0 or gap[moved[0]] < 0:
        return None
    not_below = np.flatnonzero(gap >= -_TOLERANCE)
    last = int(not_below[-1])
    return None if last == len(gap) - 1 else last + 2


def years_above(run: Run) -> tuple[int, ...]:
    """The years (1-based) in which the scenario has more reoffences than the baseline (central estimate)."""
    return tuple(int(t) + 1 for t in np.flatnonzero(_yearly_gap(run) > _TOLERANCE))


def starts_behind(run: Run) -> bool:
    """Whether the first year that differs from the baseline has more reoffences (central estimate)."""
    gap = np.cumsum(_yearly_gap(run))
    moved = np.flatnonzero(np.abs(gap) > _TOLERANCE)
    return bool(moved.size) and bool(gap[moved[0]] > 0)


@dataclass(frozen=True)
class PostcodeLottery:
    """How far one area's reoffending rate would move from the rest of England and Wales if only it devolved.

    `rates` has one row per police force area: area, name, region, cohort (offenders in the final year's cohort,
    the weight), before (final-year proven reoffending rate under today's arrangements) and after (the same with
    only `area` devolving as in the scenario: every other area's `after` equals its `before`), current (this area).
    """

    area: str
    region: str
    rates: pd.DataFrame

    @cached_property
    def _this(self) -> pd.Series:
        return self.rates.set_index("area").loc[self.area]

    @property
    def area_before(self) -> float:
        """This area's final-year reoffending rate under today's arrangements."""
        return float(self._this["before"])

    @property
    def area_after(self) -> float:
        """This area's final-year reoffending rate in the scenario."""
        return float(self._this["after"])

    @staticmethod
    def _weighted(rates: pd.Series, weights: pd.Series) -> float:
        return float((rates * weights).sum() / weights.sum())

    def national(self, when: str) -> float:
        """The England and Wales rate (all 43 areas, weighted by cohort), `when` 'before' or 'after'."""
        cohort = self.rates[f"cohort_{when}"]
        return self._weighted(self.rates[when], cohort)

    @property
    def region_others(self) -> float | None:
        """The rate of the other areas of this area's region (cohort-weighted; they do not change), or None."""
        others = self.rates[(self.rates.region == self.region) & ~self.rates.current]
        return None if others.empty else self._weighted(others["before"], others["cohort_before"])

    def gap_national(self, when: str) -> float:
        """This area's rate minus the England and Wales rate (as shares: 0.01 is one percentage point)."""
        return float(self._this[when]) - self.national(when)

    def gap_region(self, when: str) -> float | None:
        """This area's rate minus its region's other areas' rate, or None when it is alone in its region."""
        others = self.region_others
        return None if others is None else float(self._this[when]) - others

    def spread(self, when: str) -> float:
        """Highest minus lowest rate across all 43 areas."""
        return float(self.rates[when].max() - self.rates[when].min())

    def std(self, when: str) -> float:
        """Cohort-weighted standard deviation of the rate across all 43 areas."""
        rates, cohort = self.rates[when], self.rates[f"cohort_{when}"]
        mean = self._weighted(rates, cohort)
        return float(np.sqrt(self._weighted((rates - mean) ** 2, cohort)))


def _final_rate(flows: Flows) -> tuple[float, float]:
    """Final-year reoffending rate and cohort size, all cohorts (central estimate)."""
    cohort = float(flows.cohort_size[0, -1].sum())
    return float(flows.reoffenders[0, -1].sum()) / cohort if cohort else 0.0, cohort


def area_baseline_rates(scenario: Scenario) -> pd.DataFrame:
    """Every area's final-year reoffending rate and cohort under today's arrangements.

    With the scenario's assumptions and horizon: its placements, funding and governance play no part in a baseline.
    Every area, the scenario's own included, uses the derived figures (any figures the user supplied for their own
    area are left out), so the areas compare like with like.
    """
    params = Params(scenario.overrides, 0, None)
    rows = []
    for key in AREA_KEYS:
        flows = simulate_variants([national_placements(scenario.with_changes(area=key))], params,
                                  headline_only=True)[0]
        rate, cohort = _final_rate(flows)
        area = get_area(key)
        rows.append({"area": key, "name": area.name, "region": area.region, "cohort_before": cohort,
                     "before": rate})
    return pd.DataFrame(rows)


def postcode_lottery(scenario: Scenario, baselines: pd.DataFrame | None = None) -> PostcodeLottery:
    """The "postcode lottery" the 2023 report found slowed devolution, measured for one scenario.

    Every area's final-year proven reoffending rate under today's arrangements, and the same with only the
    scenario's area devolving as the scenario says (central estimates): how far the area moves from the England
    and Wales rate and from its region's other areas, and how the spread across all 43 areas changes.

    Args:
        scenario: The scenario; its area is the one that devolves.
        baselines: `area_baseline_rates(scenario)` if already computed (it depends only on the assumptions and
            the horizon, so a caller may cache it).
    """
    rates = (area_baseline_rates(scenario) if baselines is None else baselines).copy()
    rate, cohort = _final_rate(project(scenario, draws=0).flows)
    current = rates.area == scenario.area
    rates["current"] = current
    rates["after"] = rates["before"].where(~current, rate)
    rates["cohort_after"] = rates["cohort_before"].where(~current, cohort)
    return PostcodeLottery(area=scenario.area, region=get_area(scenario.area).region, rates=rates)

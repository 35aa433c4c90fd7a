"""The headline cards' text (label, value, change, colour, tooltip) for one projection, made without Streamlit.

Kept apart from the drawing (`explorer.widgets.headline_metrics`) so that `explorer.runs` can make them once per
scenario and keep them: the cards' text is a pure function of the projection and the horizon, and rebuilding it
from the pandas tables cost more than drawing the cards on every script run (a note typed, a toggle, a page
shown again).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from cjcore.prices import PRICE_BASE_LABEL
from explorer import format as fmt
from explorer.runview import central_run_text
from explorer.theme import CHANCE_CARDS, CHANCE_HELP, OPTIMISM_BIAS_LABEL

#: One card: label, value, change (None for none), delta colour ("normal", "inverse", "off"), tooltip.
Card = tuple[str, str, str | None, str, str]


class Projection(Protocol):
    """What the cards read of a projection: a `RunView`, or the headline part `explorer.runs` keeps."""

    summary: pd.DataFrame
    levels: pd.DataFrame
    draws: int

    @property
    def has_draws(self) -> bool:
        """Whether uncertainty draws were run."""
        ...


@dataclass(frozen=True)
class Cards:
    """The headline cards in groups (each group starts a new row), and the caption under them ('' for none)."""

    groups: tuple[tuple[Card, ...], ...]
    caption: str


def _rows(frame: pd.DataFrame) -> dict[str, dict]:
    """A table as plain rows by index label (pandas' own `to_dict("index")` and `.loc` cost more than the cards)."""
    names = frame.columns.tolist()
    return {label: dict(zip(names, row, strict=True))
            for label, row in zip(frame.index.tolist(), frame.to_numpy(dtype=object).tolist(), strict=True)}


def _band_text(row, formatter) -> str:
    text = fmt.band(row["p10"], row["p90"], formatter)
    return f" Likely range (p10–p90): {text}." if text else ""


def expected_text(view: Projection, row, formatter) -> str:
    """How a headline figure is made: the expected value over the draws, with the central value beside it."""
    central = formatter(row["central"])
    if not view.has_draws:
        return f" Central value (every parameter at its central value): {central}."
    return (f" Expected value (mean of {view.draws} draws); the central value, every parameter at its central value "
            f"and what docs/model.md reproduces by hand, is {central}.")


def headline_cards(view: Projection, horizon_years: int, compact: bool) -> Cards:
    """The headline figures against the baseline, with the uncertainty range in each tooltip.

    Compact (Spectrum, Funding & governance): the main outcomes, the net present value and the chance that this
    path does worse than staying as we are (the benefit–cost ratio is on Projections). Full (Projections):
    outcomes, demand and public money, then value for money, then the chances, each group starting a new row.
    """
    levels, summary = _rows(view.levels), _rows(view.summary)
    has_draws = view.has_draws
    horizon = f"{horizon_years} years"

    def level(metric: str, label: str, formatter, delta_formatter, decimals: int) -> Card:
        row = levels[metric]
        span = f"year {horizon_years}" if row["how"] == "final" else horizon
        help_text = (f"{row['label']}, {span}; the change is against the baseline (no devolution): "
                     f"{formatter(row['baseline'])}.")
        if has_draws:
            help_text += (f" Expected values (mean of {view.draws} draws), as every card; the central run, every "
                          f"parameter at its central value, gives {formatter(row['scenario_central'])} "
                          f"({delta_formatter(row['change_central'])}).")
        band = fmt.band(row["scenario_p10"], row["scenario_p90"], formatter)
        if band:
            help_text += f" Likely range (p10–p90): {band}."
        change = row["change"] * (100 if metric == "reoffending_rate" else 1)
        return (label, formatter(row["scenario"]), delta_formatter(row["change"]),
                fmt.delta_colour(change, decimals), help_text)

    def money(key: str, label: str, extra: str = "") -> Card:
        row = summary[key]
        return (label, fmt.money_m(row["value"]), None, "off", f"{row['label']}, {row['unit']}.{extra}"
                f"{expected_text(view, row, fmt.money_m)}{_band_text(row, fmt.money_m)}")

    def chance(key: str) -> Card:
        if not has_draws:
            return (CHANCE_CARDS[key], "–", None, "off",
                    f"{CHANCE_HELP[key]} Turn on the uncertainty bands to see it.")
        return CHANCE_CARDS[key], fmt.chance(summary[key]["value"]), None, "off", CHANCE_HELP[key]

    def rate_pct(v: float) -> str:
        return fmt.percent(v, 2)

    outcomes = [
        level("reoffences", "Reoffences", fmt.number, fmt.signed, 0),
        level("reoffending_rate", "Reoffending rate", rate_pct, fmt.points, 2),
        level("prison_places", "Prison places", fmt.number, lambda d: fmt.signed(d, 1), 1),
    ]
    if compact:
        groups = [[*outcomes, money("npv_gbp_m", "Net present value"), chance("chance_npv_negative")]]
    else:
        bcr = summary["benefit_cost_ratio"]
        bcr_value = "–" if math.isnan(bcr["value"]) else f"{bcr['value']:.2f}"
        ratio = ("Benefit–cost ratio", bcr_value, None, "off",
                 "Present value of benefits over present value of costs (expected values, discounted, "
                 f"{PRICE_BASE_LABEL}). All costs are counted: the programmes, the transition and governance costs, "
                 "optimism bias (the Green Book adjustment) and any unspent pooled money kept in the pooled budget."
                 f"{expected_text(view, bcr, lambda v: f'{v:.2f}')}{_band_text(bcr, lambda v: f'{v:.2f}')}")
        area = summary["area_net_gbp_m"]
        groups = [
            [*outcomes, level("probation_caseload", "Probation caseload", fmt.number, lambda d: fmt.signed(d, 1), 1)],
            [level("court_cases", "Court cases", fmt.number, fmt.signed, 0),
             level("arrests", "Arrests", fmt.number, fmt.signed, 0),
             money("net_fiscal_cost_gbp_m", "Net public cost"),
             money("arrangement_costs_gbp_m", "Transition and governance costs",
                   " One-off costs of moving each function (procurement, contracts, systems, staff) and the yearly "
                   "cost of the boards and commissioning staff the new arrangements need."),
             money("optimism_bias_gbp_m", OPTIMISM_BIAS_LABEL,
                   " HM Treasury's Green Book uplift for the tendency of appraisals to underestimate costs, added to "
                   "the programme, governance and transition costs and counted in every cost figure.")],
            [money("npv_gbp_m", "Net present value"), ratio,
             ("Area's net position", fmt.money_m(area["value"]), None, "off",
              "What the PCC or mayor gets back (its fiscal savings and the savings the deal transfers to it) less "
              f"what it puts in, discounted.{expected_text(view, area, fmt.money_m)}{_band_text(area, fmt.money_m)}")],
            [chance(key) for key in CHANCE_CARDS],
        ]
    caption = (f"Every card is the expected value (mean of {view.draws} uncertainty draws); {central_run_text(view)}."
               if has_draws else "")
    return Cards(tuple(tuple(group) for group in groups), caption)

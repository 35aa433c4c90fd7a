"""Chart builders: tidy DataFrame in, altair chart out. Pure functions, tested without a browser."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import altair as alt
import pandas as pd

from cjcore.prices import PRICE_BASE_LABEL
from cjcore.vocab import (
    ALL_COHORTS,
    COHORT,
    COHORT_KEYS,
    FUNCTION,
    FUNCTION_KEYS,
    METRIC,
    SERIES_BASELINE,
    SERIES_DEFAULT_BASELINE,
    SERIES_SCENARIO,
    STAGE,
    STAGE_KEYS,
)
from explorer import format as fmt
from explorer.theme import (
    CHART_HEIGHT,
    CHART_HEIGHT_PRESENTER,
    COHORT_COLOURS,
    FONT_SIZE,
    FONT_SIZE_PRESENTER,
    FUNCTION_COLOURS,
    MONEY_COLOURS,
    MONEY_LABELS,
    OKABE_ITO,
    OTHER_STAGE_LABEL,
    PLACED_LABEL,
    SERIES_COLOURS,
    SERIES_DASH,
    STAGE_COLOURS,
    TRADEOFF_MEASURES,
    TRADEOFF_TITLE,
)

SERIES_LABELS = {SERIES_BASELINE: "Baseline (no devolution)", SERIES_SCENARIO: "Scenario",
                 SERIES_DEFAULT_BASELINE: "Baseline with default assumptions"}
#: What the lines and the band of a trend chart are, under its title.
TREND_SUBTITLE = "Lines: central run · shaded: scenario's likely range (p10–p90 of the draws)"
#: Short stage names for axes with little room (the spectrum sweep's three charts side by side), one line each.
STAGE_SHORT = {"national": "National", "co_design": "Co-design", "co_investment": "Co-invest",
               "co_commissioning": "Co-commission", "devolved_budget": "Devolved £", "full_transfer": "Full transfer"}
_STAGE_LABELS = [STAGE[s].label for s in STAGE_KEYS]
_FUNCTION_LABELS = [FUNCTION[f].label for f in FUNCTION_KEYS]


def _scale(mapping: Mapping[str, str], labels: Mapping[str, str]) -> alt.Scale:
    return alt.Scale(domain=[labels[k] for k in mapping], range=list(mapping.values()))


def _style(presenter: bool, height: int | None = None) -> dict:
    """The size and style every chart shares, as top-level properties (see `_finish`)."""
    size = FONT_SIZE_PRESENTER if presenter else FONT_SIZE
    config = {
        # dark labels, never cut short ("Adult offender management / proba…"): read from the back of a room
        "axis": {"labelFontSize": size, "titleFontSize": size, "labelLimit": 0, "labelColor": "#262730",
                 "titleColor": "#262730"},
        # a few ticks, the first and last labels level with their ticks (not pushed inwards beside the next one)
        "axisY": {"labelOverlap": False, "tickCount": 6, "labelFlush": False},
        "legend": {"labelFontSize": size, "titleFontSize": size, "orient": "bottom", "labelLimit": 0,
                   "symbolStrokeWidth": 3},
        "title": {"fontSize": size + 3, "anchor": "start", "subtitleFontSize": size - 1, "subtitleColor": "#333333"},
        "view": {"stroke": None},
    }
    return {"height": height or (CHART_HEIGHT_PRESENTER if presenter else CHART_HEIGHT), "width": "container",
            # the height is the plot's own, not shared with the title, axes and legend
            "autosize": {"type": "fit-x", "contains": "padding"}, "config": config}


def _finish(chart: alt.TopLevelMixin, presenter: bool, height: int | None = None) -> alt.TopLevelMixin:
    """Size and style a chart in one step (each altair `.configure_*` call copies the whole chart: slow)."""
    return chart.properties(**_style(presenter, height))


def _axis_format(metric: str) -> tuple[str, float]:
    """Axis number format and smallest tick step for a metric's levels (see `explorer.format`)."""
    info = METRIC[metric]
    return fmt.AXIS_PERCENT if fmt.is_share_unit(info.unit) else fmt.AXIS_MONEY if info.money else fmt.AXIS_COUNT


def _tooltip_format(metric: str) -> str:
    return ".2%" if fmt.is_share_unit(METRIC[metric].unit) else ",.1f" if METRIC[metric].money else ",.0f"


#: The smallest tick step each number format can tell apart (for formats named in `explorer.theme`).
_STEP = {",.0f": 1.0, ",.1f": 0.1, ",.2f": 0.01}


def _axis(number: tuple[str, float], **extra) -> alt.Axis:
    """An axis in one of `explorer.format`'s formats, whose ticks are never closer than its precision."""
    return alt.Axis(format=number[0], tickMinStep=number[1], **extra)


def _headline_axis(unit: str) -> tuple[str, float]:
    """Axis format for a headline figure from its unit in `cjcore.engine.HEADLINES`."""
    if unit.startswith("£m"):
        return fmt.AXIS_MONEY
    if unit == "percentage points":
        return (",.2f", 0.01)
    if unit.startswith("£ of benefit"):
        return fmt.AXIS_RATIO
    if unit == "share of uncertainty draws":
        return fmt.AXIS_PERCENT
    return (",.1f", 0.1) if fmt.headline_decimals(unit) else fmt.AXIS_COUNT


def trend_rows(frame: pd.DataFrame, metric: str, cohort: str = ALL_COHORTS) -> tuple[list[dict], list[dict]]:
    """The rows `trend_chart` draws, JSON-ready (missing numbers None): its lines, and its band (may be empty).

    Lines: year, series label, central value and the p10–p90 of the draws, baseline first; the baseline with default
    assumptions only when an assumption changed (else it coincides with the baseline). Band: the scenario's p10–p90.
    explorer.specs reuses the rest of the chart's spec.
    """
    data = frame[(frame.metric == metric) & (frame.cohort == cohort)]
    columns = zip(data["year"].tolist(), data["series"].tolist(), data["value"].tolist(), data["p10"].tolist(),
                  data["p90"].tolist(), strict=True)
    records = [(year, series, value, p10, p90) for year, series, value, p10, p90 in columns]
    default = [r[2] for r in records if r[1] == SERIES_DEFAULT_BASELINE]
    baseline = [r[2] for r in records if r[1] == SERIES_BASELINE]
    if default and len(default) == len(baseline) and default == baseline:
        records = [r for r in records if r[1] != SERIES_DEFAULT_BASELINE]  # no assumption changed: the two coincide
    lines = [{"year": year, "Series": SERIES_LABELS[series], "value": _json_number(value), "p10": _json_number(p10),
              "p90": _json_number(p90)} for year, series, value, p10, p90 in records]
    band = [{"year": year, "p10": _json_number(p10), "p90": _json_number(p90)}
            for year, series, _, p10, p90 in records if series == SERIES_SCENARIO and not math.isnan(p10)]
    return lines, band


def trend_chart(frame: pd.DataFrame, metric: str, presenter: bool = False, cohort: str = ALL_COHORTS) -> alt.Chart:
    """Baseline vs scenario over the years for one metric, with the scenario's p10–p90 band."""
    return trend_chart_of(*trend_rows(frame, metric, cohort), metric, presenter)


def trend_chart_of(lines: list[dict], band: list[dict], metric: str, presenter: bool = False) -> alt.Chart:
    """`trend_chart` from its rows (`trend_rows`)."""
    info = METRIC[metric]
    data = pd.DataFrame(lines, columns=["year", "Series", "value", "p10", "p90"])
    present = set(data.Series)
    shown = [label for label in SERIES_LABELS.values() if label in present]
    number, tip = _axis_format(metric), _tooltip_format(metric)
    y_title = "reoffending rate" if fmt.is_share_unit(info.unit) else info.unit
    # Colour and dash share one legend (a dash scale with its legend switched off would hide the colour's too),
    # whose symbols are short lines in each series' colour and dash.
    key = alt.Legend(symbolType="stroke", symbolSize=500)
    colour = alt.Color("Series:N", scale=alt.Scale(domain=shown, range=[
        SERIES_COLOURS[k] for k in SERIES_LABELS if SERIES_LABELS[k] in shown]), title=None, legend=key)
    dash = alt.StrokeDash("Series:N", scale=alt.Scale(domain=shown, range=[
        SERIES_DASH[k] for k in SERIES_LABELS if SERIES_LABELS[k] in shown]), title=None, legend=key)
    base = alt.Chart(data).encode(x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)))
    lines_layer = base.mark_line(point=True, strokeWidth=4 if presenter else 2.5).encode(
        # from zero: a small change looks small (the change itself has its own chart that says so)
        y=alt.Y("value:Q", title=y_title, axis=_axis(number), scale=alt.Scale(zero=True)),
        color=colour, strokeDash=dash,
        tooltip=[alt.Tooltip("Series:N"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("value:Q", title=info.label, format=tip),
                 alt.Tooltip("p10:Q", title="p10", format=tip), alt.Tooltip("p90:Q", title="p90", format=tip)],
    )
    layers = [lines_layer]
    if band:
        band_layer = alt.Chart(pd.DataFrame(band, columns=["year", "p10", "p90"])).mark_area(
            opacity=0.2, color=SERIES_COLOURS[SERIES_SCENARIO]).encode(x=alt.X("year:O"), y=alt.Y("p10:Q"),
                                                                         y2=alt.Y2("p90:Q"))
        layers.insert(0, band_layer)
    title = alt.Title(info.label, subtitle=TREND_SUBTITLE if band else "Lines: central run")
    return _finish(alt.layer(*layers).properties(title=title), presenter)


def spectrum_rows(placements: Mapping[str, str], priorities: Iterable[str] = ()) -> list[dict]:
    """The rows `spectrum_chart` draws, one per function (explorer.specs reuses the rest of its spec)."""
    marked = set(priorities)
    return [{"Function": FUNCTION[f].label, "Stage": STAGE[placements.get(f, "national")].label,
             "Report priority": "Yes" if f in marked else "No"} for f in FUNCTION_KEYS]


def spectrum_chart(placements: Mapping[str, str], priorities: Iterable[str] = (), presenter: bool = False
                   ) -> alt.Chart:
    """Every function as a marker on the spectrum from today's arrangements to a full transfer."""
    data = pd.DataFrame(spectrum_rows(placements, priorities))
    size = 700 if presenter else 320
    chart = alt.Chart(data).mark_point(filled=True, size=size, opacity=1).encode(
        x=alt.X("Stage:N", scale=alt.Scale(domain=_STAGE_LABELS), title="Devolution spectrum →",
                axis=alt.Axis(labelAngle=-30, labelOverlap=False, labelLimit=200)),
        y=alt.Y("Function:N", sort=_FUNCTION_LABELS, title=None),
        color=alt.Color("Function:N", scale=_scale(FUNCTION_COLOURS, {f: FUNCTION[f].label for f in FUNCTION_KEYS}),
                        legend=None),
        shape=alt.Shape("Report priority:N", scale=alt.Scale(domain=["Yes", "No"], range=["diamond", "circle"]),
                        title="Area's report priority"),
        tooltip=[alt.Tooltip("Function:N"), alt.Tooltip("Stage:N"), alt.Tooltip("Report priority:N")],
    )
    return _finish(chart, presenter, height=(560 if presenter else 330))


def drivers_chart(drivers: pd.DataFrame, presenter: bool = False) -> alt.Chart:
    """Reoffences avoided over the horizon by function: what drives the result."""
    data = drivers.assign(Function=drivers.function.map(lambda f: FUNCTION[f].label),
                          Stage=drivers.stage.map(lambda s: STAGE[s].label))
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("reoffences_avoided:Q", title="Reoffences avoided over the horizon", axis=_axis(fmt.AXIS_COUNT)),
        y=alt.Y("Function:N", sort=_FUNCTION_LABELS, title=None),
        color=alt.Color("Function:N", scale=_scale(FUNCTION_COLOURS, {f: FUNCTION[f].label for f in FUNCTION_KEYS}),
                        legend=None),
        tooltip=[alt.Tooltip("Function:N"), alt.Tooltip("Stage:N"),
                 alt.Tooltip("reoffences_avoided:Q", title="Reoffences avoided", format=",.0f"),
                 alt.Tooltip("spend_gbp_m:Q", title="Spend (£m)", format=",.2f")],
    ).properties(title="What drives the result")
    return _finish(chart, presenter, height=(52 if presenter else 32) * len(FUNCTION_KEYS))


def cohort_chart(cohorts: pd.DataFrame, presenter: bool = False) -> alt.Chart:
    """Change in reoffences over the horizon for each cohort."""
    labels = {c: COHORT[c].label for c in COHORT_KEYS}
    data = cohorts.assign(Cohort=cohorts.cohort.map(labels))
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("change:Q", title="Change in reoffences over the horizon", axis=_axis(fmt.AXIS_COUNT)),
        y=alt.Y("Cohort:N", sort=list(labels.values()), title=None),
        color=alt.Color("Cohort:N", scale=_scale(COHORT_COLOURS, labels), legend=None),
        tooltip=[alt.Tooltip("Cohort:N"), alt.Tooltip("baseline:Q", title="Baseline", format=",.0f"),
                 alt.Tooltip("scenario:Q", title="Scenario", format=",.0f"),
                 alt.Tooltip("change_pct:Q", title="Change (%)", format="+.1f")],
    ).properties(title="Change by cohort")
    return _finish(chart, presenter)


def money_chart(money: pd.DataFrame, presenter: bool = False) -> alt.Chart:
    """Costs (optimism bias and any unspent money kept included), savings and funds, year by year (£m)."""
    shown = [k for k in MONEY_COLOURS if k in set(money.metric)]
    colours = {k: MONEY_COLOURS[k] for k in shown}
    labels = {k: MONEY_LABELS.get(k, METRIC[k].label) for k in shown}
    data = money.assign(Measure=money.metric.map(labels))
    chart = alt.Chart(data).mark_line(point=True, strokeWidth=4 if presenter else 2.5).encode(
        x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=f"£m a year, {PRICE_BASE_LABEL}", axis=_axis(fmt.AXIS_MONEY)),
        color=alt.Color("Measure:N", scale=_scale(colours, labels), title=None),
        tooltip=[alt.Tooltip("Measure:N"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("value:Q", title="£m", format=",.2f")],
    ).properties(title="Money, year by year")
    return _finish(chart, presenter)


#: The columns `sweep_chart` draws, in order.
SWEEP_COLUMNS = ("Stage", "Current", "Name", "value", "p10", "p90")


def sweep_rows(sweep: pd.DataFrame, key: str) -> tuple[list[dict], str, str]:
    """The rows `sweep_chart` draws for one headline figure (JSON-ready), with the figure's label and unit."""
    data = sweep[sweep.key == key]
    label = data.label.iloc[0] if not data.empty else key
    unit = data.unit.iloc[0] if not data.empty else ""
    columns = [data[c].tolist() for c in ("stage", "current", "value", "p10", "p90")]
    rows = [dict(zip(SWEEP_COLUMNS, (STAGE_SHORT[stage], "Current" if current else "Other", STAGE[stage].label,
                                     _json_number(value), _json_number(p10), _json_number(p90)), strict=True))
            for stage, current, value, p10, p90 in zip(*columns, strict=True)]
    return rows, label, unit


def sweep_chart(sweep: pd.DataFrame, key: str, presenter: bool = False, title: str | None = None) -> alt.Chart:
    """One headline figure at every stage of the spectrum, with its p10–p90 range; the current stage marked.

    The stages are named in short words that fit one line each, so all six show even in a third of a 1366-pixel
    screen; the y-axis labels take a fixed width, so charts set side by side have their plots aligned.
    """
    return sweep_chart_of(*sweep_rows(sweep, key), presenter, title)


def sweep_chart_of(rows: list[dict], label: str, unit: str, presenter: bool = False, title: str | None = None
                   ) -> alt.Chart:
    """`sweep_chart` from its rows, label and unit (`sweep_rows`)."""
    data = pd.DataFrame(rows, columns=list(SWEEP_COLUMNS))
    number = _headline_axis(unit)
    domain = [STAGE_SHORT[s] for s in STAGE_KEYS]
    x = alt.X("Stage:N", scale=alt.Scale(domain=domain), title=None,
              # side by side (a third of the screen) the names slant; full width in Presenter mode they stand level
              axis=alt.Axis(labelAngle=0 if presenter else -40, labelOverlap=False, labelLimit=0,
                            labelAlign="center" if presenter else "right"))
    y_axis = _axis(number, minExtent=64, maxExtent=64, labelLimit=60)
    tip = number[0]
    points = alt.Chart(data).mark_point(filled=True, size=500 if presenter else 200, opacity=1).encode(
        x=x, y=alt.Y("value:Q", title=unit, axis=y_axis),
        color=alt.Color("Stage:N", scale=alt.Scale(domain=domain, range=list(STAGE_COLOURS.values())), legend=None),
        shape=alt.Shape("Current:N", scale=alt.Scale(domain=["Current", "Other"], range=["diamond", "circle"]),
                        title=None),
        tooltip=[alt.Tooltip("Name:N", title="Stage"), alt.Tooltip("value:Q", title="Expected", format=tip),
                 alt.Tooltip("p10:Q", format=tip), alt.Tooltip("p90:Q", format=tip)],
    )
    layers = [points]
    if data.p10.notna().any():
        layers.insert(0, alt.Chart(data).mark_rule(strokeWidth=3, color="#555555").encode(
            x=x, y=alt.Y("p10:Q", axis=y_axis), y2=alt.Y2("p90:Q")))
    heading = alt.Title(title, subtitle=unit) if title else alt.Title(label)
    return _finish(alt.layer(*layers).properties(title=heading), presenter)


#: Line styles of the options compared, so each stays apart from the others without colour.
_OPTION_DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3]]


def change_rows(frame: pd.DataFrame, metric: str) -> list[dict]:
    """One option's change against its own baseline, year by year (central run), as `change_chart` draws it.

    JSON-ready rows of year and change (`cjcore.report.change_by_year`); a rate's change in percentage points.
    """
    from cjcore.report import change_by_year

    data = change_by_year(frame, metric)
    scale = 100 if fmt.is_share_unit(METRIC[metric].unit) else 1
    return [{"year": year, "change": _json_number(scale * change)}
            for year, change in zip(data["year"].tolist(), data["change"].tolist(), strict=True)]


def change_chart(frames: Mapping[str, pd.DataFrame], metric: str, presenter: bool = False,
                 title: str | None = None) -> alt.Chart:
    """Each option's change against its own baseline, year by year, overlaid; a legend names every option.

    A rate's change is in percentage points; the zero line is the baseline, so the axis is honest by construction.
    """
    return change_chart_of({name: change_rows(frame, metric) for name, frame in frames.items()}, metric, presenter,
                           title)


def change_chart_of(changes: Mapping[str, list[dict]], metric: str, presenter: bool = False,
                    title: str | None = None) -> alt.Chart:
    """`change_chart` from each option's rows (`change_rows`), by option name."""
    info = METRIC[metric]
    share = fmt.is_share_unit(info.unit)
    data = pd.DataFrame([{**row, "Option": name} for name, rows in changes.items() for row in rows],
                        columns=["year", "change", "Option"])
    number = (",.2f", 0.01) if share else fmt.AXIS_MONEY if info.money else fmt.AXIS_COUNT
    unit = "percentage points" if share else info.unit
    names = list(changes)
    # one line needs no key; several get a key that draws each line's colour and dash in full
    legend = alt.Legend(columns=1, labelLimit=0, symbolType="stroke", symbolSize=500) if len(names) > 1 else None
    chart = alt.Chart(data).mark_line(point=True, strokeWidth=4 if presenter else 2.5).encode(
        x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("change:Q", title=unit, axis=_axis(number)),  # the title says it is a change
        color=alt.Color("Option:N", scale=alt.Scale(domain=names, range=list(OKABE_ITO[4:]) + list(OKABE_ITO[:4])),
                        title=None, legend=legend),
        strokeDash=alt.StrokeDash("Option:N", scale=alt.Scale(domain=names, range=_OPTION_DASHES[:len(names)]),
                                  title=None, legend=legend),
        tooltip=[alt.Tooltip("Option:N"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("change:Q", title=f"Change ({unit})", format=number[0])],
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#888888").encode(y=alt.Y("y:Q"))
    zero_is = "0 = the option's own baseline" if len(names) > 1 else "0 = the baseline"
    title = alt.Title(title or f"{info.label}: change against baseline", subtitle=f"{zero_is} (central run)")
    return _finish(alt.layer(zero, chart).properties(title=title), presenter)


def area_spread_chart(spread: pd.DataFrame, label: str, unit: str, presenter: bool = False) -> alt.Chart:
    """One outcome for the same deal in several areas, with p10–p90 ranges; the area on screen highlighted."""
    data = spread.assign(Shown=spread.current.map({True: "Area on screen", False: "Other areas"}))
    order = list(data.sort_values("value", ascending=False).Area)
    y = alt.Y("Area:N", sort=order, title=None)
    points = alt.Chart(data).mark_point(filled=True, size=500 if presenter else 180).encode(
        x=alt.X("value:Q", title=f"{label} ({unit})", axis=_axis(_headline_axis(unit))), y=y,
        color=alt.Color("Shown:N", scale=alt.Scale(domain=["Area on screen", "Other areas"],
                                                     range=[SERIES_COLOURS[SERIES_SCENARIO], "#6E6E6E"]), title=None),
        tooltip=[alt.Tooltip("Area:N"), alt.Tooltip("value:Q", title="Expected", format=_headline_axis(unit)[0]),
                 alt.Tooltip("p10:Q", format=_headline_axis(unit)[0]),
                 alt.Tooltip("p90:Q", format=_headline_axis(unit)[0])],
    )
    layers = [points]
    if data.p10.notna().any():
        layers.insert(0, alt.Chart(data).mark_rule(strokeWidth=3, color="#9a9a9a").encode(
            x=alt.X("p10:Q"), x2=alt.X2("p90:Q"), y=y))
    return _finish(alt.layer(*layers).properties(title=f"{label} across areas"), presenter,
                   height=max(200, 42 * len(data)) if presenter else max(160, 28 * len(data)))


def agency_chart(agencies: pd.DataFrame, presenter: bool = False) -> alt.Chart:
    """What each agency puts in (left of zero) and gets back (right), £m over the horizon (central)."""
    from cjcore.vocab import AGENCIES, MONEY_CATEGORY

    order = [a.label for a in AGENCIES]
    parts = [(MONEY_CATEGORY[k].label, -agencies[k] if k == "invests" else agencies[k])
             for k in ("invests", "transfer", "fiscal_cashable", "fiscal_non_cashable", "economic_social")]
    data = pd.concat([pd.DataFrame({"Agency": agencies.label, "Flow": name, "£m": values.astype(float)})
                      for name, values in parts], ignore_index=True)
    colours = ["#D55E00", "#CC79A7", "#009E73", "#56B4E9", "#E69F00"]
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("sum(£m):Q", title=f"£m over the horizon, {PRICE_BASE_LABEL} (puts in ← 0 → gets back)",
                axis=_axis(fmt.AXIS_MONEY)),
        y=alt.Y("Agency:N", sort=order, title=None),
        # In Presenter type a 1366 window fits two entries a row (one row cut "Non-cashable savings" off)
        color=alt.Color("Flow:N", scale=alt.Scale(domain=[p[0] for p in parts], range=colours), title=None,
                        legend=alt.Legend(columns=2 if presenter else len(parts))),
        tooltip=[alt.Tooltip("Agency:N"), alt.Tooltip("Flow:N"), alt.Tooltip("£m:Q", format=",.2f")],
    )
    net = alt.Chart(agencies.assign(Agency=agencies.label)).mark_tick(color="#000000", thickness=3, size=22).encode(
        x=alt.X("net:Q"), y=alt.Y("Agency:N", sort=order),
        tooltip=[alt.Tooltip("Agency:N"), alt.Tooltip("net:Q", title="Net £m", format=",.2f")])
    return _finish(alt.layer(bars, net).properties(title="Who pays and who gains (black tick: net)"), presenter,
                   height=(56 if presenter else 36) * len(order))


def _share_text(value: float) -> str:
    return "–" if pd.isna(value) else f"{100 * value:.0f}%"


#: The columns `tradeoff_chart` draws, in order.
TRADEOFF_COLUMNS = ("Function", "Stage", "Placed", "value", "p10", "p90", "more_reoffences", "npv_negative")


def _json_number(value: float) -> float | None:
    return None if math.isnan(value) or math.isinf(value) else float(value)


def tradeoff_rows(tradeoff: pd.DataFrame, measure: str = "reoffences_avoided") -> list[dict]:
    """The rows `tradeoff_chart` draws, as JSON-ready records (missing numbers None), from plain lists (fast).

    Everything in the chart that depends on the figures is here: explorer.runs reuses the rest of the spec.
    """
    columns = [tradeoff[c].tolist() for c in ("function", "stage", "current", measure, f"{measure}_p10",
                                              f"{measure}_p90", "chance_more_reoffences", "chance_npv_negative")]
    return [dict(zip(TRADEOFF_COLUMNS, (
        FUNCTION[f].label, STAGE[s].label, PLACED_LABEL if current else OTHER_STAGE_LABEL,
        _json_number(value), _json_number(p10), _json_number(p90), _share_text(more), _share_text(negative)),
        strict=True)) for f, s, current, value, p10, p90, more, negative in zip(*columns, strict=True)]


def tradeoff_data(tradeoff: pd.DataFrame, measure: str = "reoffences_avoided") -> pd.DataFrame:
    """`tradeoff_rows` as the table the chart is built from."""
    return pd.DataFrame(tradeoff_rows(tradeoff, measure), columns=list(TRADEOFF_COLUMNS))


def tradeoff_chart(tradeoff: pd.DataFrame, measure: str = "reoffences_avoided", presenter: bool = False
                   ) -> alt.LayerChart:
    """Each function at every stage: what it adds against leaving it national, with its p10–p90 range.

    One row per function and, within it, one line per stage from today's arrangements (top) to a full transfer
    (bottom), so the eye reads down each function where going further stops paying (the dots move left) or
    becomes risky (the range crosses zero). The stage each function is placed at now is a large diamond.
    """
    label, axis_title, number = TRADEOFF_MEASURES[measure]
    data = tradeoff_data(tradeoff, measure)
    y = alt.Y("Function:N", sort=_FUNCTION_LABELS, title=None, axis=alt.Axis(labelLimit=360 if presenter else 260))
    y_offset = alt.YOffset("Stage:N", sort=_STAGE_LABELS, scale=alt.Scale(domain=_STAGE_LABELS, paddingInner=0.15))
    stage_colour = alt.Color("Stage:N", scale=alt.Scale(domain=_STAGE_LABELS, range=list(STAGE_COLOURS.values())),
                             title="Stage", legend=alt.Legend(orient="bottom", columns=2))
    tooltip = [alt.Tooltip("Function:N"), alt.Tooltip("Stage:N"), alt.Tooltip("Placed:N", title="Now"),
               alt.Tooltip("value:Q", title=label, format=number),
               alt.Tooltip("p10:Q", title="Likely range from (p10)", format=number),
               alt.Tooltip("p90:Q", title="to (p90)", format=number),
               alt.Tooltip("more_reoffences:N", title="Chance of more reoffences"),
               alt.Tooltip("npv_negative:N", title="Chance it costs more than it brings")]
    # Built with constructors, not chained .encode/.properties calls: each of those deep-copies the chart, and this
    # one has enough tooltips and scales for the copies to cost more than the figures behind it.
    layers = [alt.Chart(mark=alt.MarkDef(type="rule", color="#1a1a1a", strokeDash=[4, 3]),
                        encoding=alt.FacetedEncoding(x=alt.XDatum(0)))]
    if data.p10.notna().any():
        layers.append(alt.Chart(data, mark=alt.MarkDef(type="rule", strokeWidth=3 if presenter else 2,
                                                       color="#6E6E6E"),
                                encoding=alt.FacetedEncoding(y=y, yOffset=y_offset, x=alt.X("p10:Q"),
                                                             x2=alt.X2("p90:Q"))))
    placed_legend = alt.Legend(orient="top", direction="horizontal")
    layers.append(alt.Chart(data, mark=alt.MarkDef(type="point", filled=True, opacity=1, stroke="#1a1a1a",
                                                   strokeWidth=0.6),
                            encoding=alt.FacetedEncoding(
        y=y, yOffset=y_offset, x=alt.X("value:Q", title=axis_title, axis=_axis((number, _STEP[number]))),
        color=stage_colour,
        shape=alt.Shape("Placed:N", scale=alt.Scale(domain=[PLACED_LABEL, OTHER_STAGE_LABEL],
                                                    range=["diamond", "circle"]), title=None, legend=placed_legend),
        size=alt.Size("Placed:N", scale=alt.Scale(domain=[PLACED_LABEL, OTHER_STAGE_LABEL],
                                                  range=[420, 110] if presenter else [240, 55]), title=None,
                      legend=placed_legend),
        tooltip=tooltip)))
    return alt.LayerChart(layer=layers, title=f"{TRADEOFF_TITLE}: {label.lower()}",
                          **_style(presenter, (78 if presenter else 50) * len(FUNCTION_KEYS)))


def postcode_chart(rates: pd.DataFrame, area_name: str, average: float, presenter: bool = False
                   ) -> alt.LayerChart:
    """Every area's final-year reoffending rate as a tick; the area on screen today and if it alone devolves.

    `rates` is `cjcore.report.PostcodeLottery.rates`; `average` the England and Wales rate (dashed line).
    """
    others = rates[~rates.current].assign(Area=lambda d: d.name, Rate=lambda d: d.before)
    this = rates[rates.current].iloc[0]
    marks = pd.DataFrame({
        "Area": [area_name, area_name],
        "Rate": [this.before, this.after],
        "Shown": [f"{area_name}: today's arrangements", f"{area_name}: if it alone devolves"],
    })
    x = alt.X("Rate:Q", title="Proven reoffending rate, final year", axis=alt.Axis(format=".0%", tickMinStep=0.01),
              scale=alt.Scale(zero=False))
    ticks = alt.Chart(others).mark_tick(thickness=2, size=40 if presenter else 28, color="#9a9a9a").encode(
        x=x, tooltip=[alt.Tooltip("Area:N"), alt.Tooltip("region:N", title="Region"),
                      alt.Tooltip("Rate:Q", title="Reoffending rate", format=".2%")])
    shown = list(marks.Shown)
    points = alt.Chart(marks).mark_point(filled=True, shape="diamond", size=600 if presenter else 260,
                                         opacity=0.9).encode(
        x=x, color=alt.Color("Shown:N", scale=alt.Scale(domain=shown, range=[SERIES_COLOURS[SERIES_BASELINE],
                                                                                SERIES_COLOURS[SERIES_SCENARIO]]),
                             title=None),
        tooltip=[alt.Tooltip("Shown:N", title="Area"), alt.Tooltip("Rate:Q", title="Reoffending rate", format=".2%")])
    mean = alt.Chart(pd.DataFrame({"Rate": [average], "Area": ["England and Wales average"]})).mark_rule(
        color="#1a1a1a", strokeDash=[5, 3], strokeWidth=2).encode(
        x=x, tooltip=[alt.Tooltip("Area:N"), alt.Tooltip("Rate:Q", title="Reoffending rate", format=".2%")])
    title = alt.Title("Reoffending rate in each of the 43 areas", subtitle="Dashed: England and Wales average")
    return _finish(alt.layer(ticks, mean, points).properties(title=title), presenter, height=70 if presenter else 50)

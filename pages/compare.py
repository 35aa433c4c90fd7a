"""Compare: scenarios side by side, one deal across areas, a function swept along the spectrum, the postcode lottery."""

import pandas as pd
import streamlit as st

from cjcore.areas import AREA_KEYS, REPORT_AREAS, get_area
from cjcore.engine import HEADLINES
from cjcore.prices import PRICE_BASE_LABEL
from cjcore.report import per_thousand_offenders, side_by_side
from cjcore.schema import Scenario
from cjcore.story import postcode_sentences
from cjcore.vocab import FUNCTION, FUNCTION_KEYS, METRIC, STAGE
from explorer import format as fmt
from explorer import pagecharts, state
from explorer.charts import area_spread_chart, postcode_chart
from explorer.runs import postcode_view, run_view, sweep_view
from explorer.safe_text import ECHO_CHARS, md
from explorer.sidebar import scenario_options
from explorer.statictable import static_table
from explorer.theme import COMPARE_TAB_KEY, COMPARE_TABS
from explorer.widgets import page_header

state.require_app()  # first visit to a deep link on a fresh server: go through app.py

MAX_SCENARIOS = 4
ON_SCREEN = "__on_screen__"
#: The spectrum sweep's charts: headline key -> a title short enough for a third of a 1366-pixel screen.
SWEEP_CHARTS = {"reoffences_avoided": "Reoffences avoided", "npv_gbp_m": "Net present value",
                "net_fiscal_cost_gbp_m": "Net cost to the public purse"}
SHORT_NAME = 64  # characters of an option's name in a column header or a legend
HEADLINE = {key: (label, unit) for key, label, unit in HEADLINES}
TABLE_KEYS = ("reoffences_avoided", "reoffending_rate_change_pp", "prison_places_avoided", "probation_caseload_change",
              "court_cases_avoided", "intervention_spend_gbp_m", "arrangement_costs_gbp_m", "net_fiscal_cost_gbp_m",
              "npv_gbp_m", "benefit_cost_ratio", "chance_npv_positive", "chance_npv_negative",
              "chance_more_reoffences")


def as_text(table: pd.DataFrame, keys: tuple[str, ...], differences: tuple[str, ...] = ()) -> pd.DataFrame:
    """A table of headline figures (one row per key, in order) as text: £m, whole percentages, signed changes."""
    out = table.astype(object)
    for row, key in zip(table.index, keys, strict=True):
        for column in table.columns:
            out.at[row, column] = fmt.headline(HEADLINE[key][1], table.at[row, column], column in differences)
    return out


def option_names(labels: list[str]) -> list[str]:
    """Short column and legend names for the options compared: 'A: name' with the name cut to fit a column."""
    names = []
    for letter, label in zip("ABCD", labels, strict=False):
        short = label if len(label) <= SHORT_NAME else label[:SHORT_NAME - 1].rstrip() + "…"
        names.append(f"{letter}: {short}")
    return names


def side_by_side_text(table: pd.DataFrame, keys: tuple[str, ...], names: list[str]) -> pd.DataFrame:
    """One column per option, every figure rounded with its unit; each later option's difference from A beside it."""
    out = pd.DataFrame(index=[f"{HEADLINE[k][0]} ({HEADLINE[k][1]})" for k in keys])
    first = table.columns[0]
    for i, (name, column) in enumerate(zip(names, table.columns, strict=False)):
        cells = []
        for row, key in enumerate(keys):
            unit = HEADLINE[key][1]
            text = fmt.headline(unit, table[column].iloc[row])
            if i:
                diff = table[f"Difference: {column} − {first}"].iloc[row]
                text += f" ({fmt.headline(unit, diff, True)} vs A)"
            cells.append(text)
        out[name] = cells
    return out


def rate(v: float | None) -> str:
    """A reoffending rate, e.g. '27.50%'."""
    return "–" if v is None else fmt.percent(v, 2)


def points(v: float | None, signed: bool = True) -> str:
    """A difference of two rates in percentage points ('pp'), signed unless it is a distance."""
    if not signed:
        return "–" if v is None else f"{100 * v:.2f}{fmt.POINTS}"
    return fmt.points(v)


def change(before: float | None, after: float | None) -> str:
    """After minus before, in percentage points."""
    return "–" if before is None or after is None else points(after - before)


def scenarios_tab(sc: Scenario, presenter: bool) -> None:
    """Up to four scenarios side by side: a table with one column per option, and a change chart of a picked measure."""
    options = {ON_SCREEN: f"On screen: {sc.name}", **scenario_options()}
    chosen = st.multiselect("Scenarios to compare (up to four; the first is the reference)", list(options),
                            default=[ON_SCREEN], format_func=options.get, max_selections=MAX_SCENARIOS,
                            key="cmp_scenarios", persist_state="session")
    runs, scenarios = {}, {}
    for key in chosen:
        try:
            option = sc if key == ON_SCREEN else state.load_origin(key)
        except Exception as exc:  # a user file deleted or broken since the list was drawn
            st.warning(f"Could not load {md(options[key])}: {md(exc, ECHO_CHARS * 2)}")
            continue
        name = f"{option.name} ({get_area(option.area).name})" if key != ON_SCREEN else options[key]
        runs[name], scenarios[name] = run_view(option), option
    if runs:
        labels = list(runs)
        names = option_names(labels)
        table = side_by_side({name: view.summary for name, view in runs.items()}, TABLE_KEYS)
        static_table(side_by_side_text(table, TABLE_KEYS, names))  # names as typed
        st.caption(" · ".join(f"**{n.split(':')[0]}**: {md(label)}" for n, label in zip(names, labels, strict=True))
                   + ". Each option is compared with its own area's baseline, so options in different areas can "
                   f"be set side by side; in brackets, the difference from A. Money in £m, {PRICE_BASE_LABEL}; "
                   "every figure is the expected value over the uncertainty draws; a chance is the share of the "
                   "draws, and a difference between two chances is in percentage points (pp).")
        # One year-by-year chart, its measure picked, not all seven at once: the table above carries every figure,
        # one chart reads better on a projector, and the browser draws each chart again whenever an option is added
        # (seven charts were ~0.2 s of every Compare moment; docs/decisions.md, "Compare: one chart at a time").
        metric = st.segmented_control(
            "Year by year, against each option's own baseline", pagecharts.COMPARED, default=pagecharts.COMPARED[0],
            format_func=lambda m: METRIC[m].label, key="cmp_metric", persist_state="session") or pagecharts.COMPARED[0]
        changes = {name: pagecharts.changes(option) for name, option in zip(names, scenarios.values(), strict=True)}
        st.vega_lite_chart(spec=pagecharts.change_spec(changes, metric, presenter), width="stretch")


def areas_tab(sc: Scenario, presenter: bool) -> None:
    """The scenario's deal applied to each area in turn."""
    st.markdown("The **same placements, funding, governance and assumptions** applied to each area in turn. "
                "The spread shows how much outcomes would differ between places — the “postcode lottery” concern "
                "of the 2023 report.")
    areas = st.multiselect("Areas", AREA_KEYS, default=[a for a in REPORT_AREAS if a in AREA_KEYS],
                           format_func=lambda k: get_area(k).name, key="cmp_areas", persist_state="session")
    metric_key = st.selectbox("Outcome", ("reoffences_avoided", "npv_gbp_m", "reoffending_rate_change_pp",
                                          "prison_places_avoided", "benefit_cost_ratio"),
                              format_func=lambda k: f"{HEADLINE[k][0]} ({HEADLINE[k][1]})", key="cmp_area_metric",
                              persist_state="session")
    rows = []
    for area in areas:
        view = run_view(sc.with_changes(area=area))
        row = view.summary.loc[metric_key]
        avoided = view.summary.at["reoffences_avoided", "value"]
        rows.append({"area": area, "Area": get_area(area).name, "value": row["value"], "p10": row["p10"],
                     "p90": row["p90"], "per_1000": per_thousand_offenders(avoided, view.frame),
                     "current": area == sc.area})
    if rows:
        spread = pd.DataFrame(rows)
        st.altair_chart(area_spread_chart(spread, *HEADLINE[metric_key], presenter), width="stretch")
        low, high = spread.per_1000.min(), spread.per_1000.max()
        st.markdown(f"Reoffences avoided per 1,000 offenders in the cohort range from **{fmt.number(low, 1)}** to "
                    f"**{fmt.number(high, 1)}** across these areas (the deal is identical; the areas' cohorts and "
                    f"reoffending rates differ).")
        label, unit = HEADLINE[metric_key]
        st.dataframe(pd.DataFrame({
            "Area": spread.Area,
            f"{label} (expected)": [fmt.headline(unit, v) for v in spread.value],
            "Likely range (p10 to p90)": [fmt.band(lo, hi, lambda v: fmt.headline(unit, v)) or "–"
                                          for lo, hi in zip(spread.p10, spread.p90, strict=True)],
            "Reoffences avoided per 1,000 offenders": [fmt.number(v, 1) for v in spread.per_1000],
        }), hide_index=True, width="stretch")


def sweep_tab(sc: Scenario, presenter: bool) -> None:
    """One function swept along the spectrum, everything else as on screen."""
    placed = [f for f in FUNCTION_KEYS if sc.stage_of(f) != "national"]
    function = st.selectbox("Function to sweep", FUNCTION_KEYS,
                            index=FUNCTION_KEYS.index(placed[0]) if placed else 0,
                            format_func=lambda f: FUNCTION[f].label, key="cmp_sweep_function",
                            persist_state="session")
    st.markdown(f"Headline outcomes with **{FUNCTION[function].label}** at each stage, everything else as on "
                f"screen (currently at **{STAGE[sc.stage_of(function)].label}**, marked ◆). Bars show the likely "
                "range.")
    swept = sweep_view(sc, function)
    cols = st.columns(1 if presenter else 3)
    for i, (key, title) in enumerate(SWEEP_CHARTS.items()):
        with cols[i % len(cols)]:
            st.vega_lite_chart(spec=pagecharts.sweep_spec(sc, function, key, presenter, title), width="stretch")
    wide = swept[swept.key.isin(TABLE_KEYS)].assign(Stage=lambda d: d.stage.map(lambda s: STAGE[s].label))
    stage_labels = [STAGE[s].label for s in STAGE]
    table = wide.pivot_table(index="key", columns="Stage", values="value", sort=False)[stage_labels]
    table = table.loc[list(TABLE_KEYS)]
    shown = as_text(table, TABLE_KEYS)
    shown.index = [HEADLINE[k][0] for k in TABLE_KEYS]
    static_table(shown)  # every stage in view at 1366: the cells wrap instead of scrolling off to the right


def lottery_tab(sc: Scenario, presenter: bool) -> None:
    """How far the area's reoffending moves from the rest of England and Wales if only it devolves."""
    lottery = postcode_view(sc)
    name = get_area(sc.area).name
    region = lottery.region if lottery.region in ("Wales", "London") else f"the {lottery.region}"
    st.markdown("The 2023 report found that fears of a **postcode lottery** — justice that depends on where "
                f"you live — slowed devolution. Here is how far {name}'s reoffending would move from the rest of "
                f"England and Wales if **only {name}** devolved as on screen (final year of the projection, "
                "central estimates).")
    for sentence in postcode_sentences(lottery, sc.horizon_years):
        st.markdown(sentence)

    gap_region = (lottery.gap_region("before"), lottery.gap_region("after"))
    rows = [
        (f"{name}: reoffending rate", rate(lottery.area_before), rate(lottery.area_after),
         change(lottery.area_before, lottery.area_after)),
        ("England and Wales rate (all 43 areas, weighted by cohort)", rate(lottery.national("before")),
         rate(lottery.national("after")), change(lottery.national("before"), lottery.national("after"))),
        (f"{name} against England and Wales (+ above, − below)", points(lottery.gap_national("before")),
         points(lottery.gap_national("after")),
         change(lottery.gap_national("before"), lottery.gap_national("after"))),
        (f"{name} against the other areas of {region}", points(gap_region[0]), points(gap_region[1]),
         change(*gap_region)),
        ("Gap between the highest and lowest area", points(lottery.spread("before"), False),
         points(lottery.spread("after"), False), change(lottery.spread("before"), lottery.spread("after"))),
        ("Spread across the 43 areas (standard deviation, weighted by cohort)",
         points(lottery.std("before"), False),
         points(lottery.std("after"), False), change(lottery.std("before"), lottery.std("after"))),
    ]
    st.dataframe(pd.DataFrame(rows, columns=["Measure", "Today's arrangements", f"If only {name} devolves",
                                             "Change"]), hide_index=True, width="stretch",
                 column_config={"Measure": st.column_config.TextColumn(width="large")})
    st.caption("pp: percentage points, the difference between two reoffending rates.")
    st.altair_chart(postcode_chart(lottery.rates, name, lottery.national("after"), presenter), width="stretch")
    if not presenter:
        st.caption("Baselines are derived from Ministry of Justice regional figures shared out by population "
                   "(Wales: England's figures scaled by police officers), so the areas of one region start level "
                   "and the spread today is between regions. The rates are for the final year of the projection, "
                   "under the assumptions on screen.")


@st.fragment
def compare_tabs() -> None:
    """The four tabs, of which only the open one is computed (a sweep, every area, 43 areas for the lottery).

    A fragment: opening a tab, adding an option or choosing the function to sweep reruns only this, not the
    sidebar and the page around it (the scenario on screen changes only there, which reruns everything).
    """
    sc, presenter = state.scenario(), state.presenter()
    tabs = st.tabs(list(COMPARE_TABS.values()), key=COMPARE_TAB_KEY, on_change="rerun")
    for tab, draw in zip(tabs, (scenarios_tab, areas_tab, sweep_tab, lottery_tab), strict=True):
        with tab:
            if tab.open or (draw is scenarios_tab and tab.open is None):  # None: the first run shows the first tab
                draw(sc, presenter)


page_header("Compare", "Set options side by side, see how the same deal plays out in different areas, and find how "
                       "far along the spectrum a service is worth taking.")
compare_tabs()

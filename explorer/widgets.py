"""Controls and headline blocks shared by pages: each edit makes a new validated scenario."""

from __future__ import annotations

import math

import streamlit as st

from cjcore.areas import get_area
from cjcore.vocab import FUNCTION, STAGE, STAGE_KEYS
from explorer import format as fmt
from explorer import state
from explorer.runs import RunView


def page_header(title: str, intro: str = "") -> None:
    """Page title with the scenario and area it shows."""
    sc = state.scenario()
    st.title(title)
    st.caption(f"**{sc.name}** · {get_area(sc.area).name} · {sc.horizon_years}-year horizon")
    if intro and not state.presenter():
        st.markdown(intro)


def stage_control(function: str) -> str:
    """A stage slider for one function; updates the scenario when moved. Returns the chosen stage."""
    sc = state.scenario()
    current = sc.stage_of(function)
    chosen = st.select_slider(
        FUNCTION[function].label, options=STAGE_KEYS, value=current, format_func=lambda s: STAGE[s].label,
        key=state.widget_key(f"stage_{function}"), help=FUNCTION[function].description,
    )
    if chosen != current:
        placements = {**sc.placements, function: chosen}
        placements = {f: s for f, s in placements.items() if s != "national"}
        state.set_scenario(sc.with_changes(placements=placements))
    return chosen


def _band_text(row, formatter) -> str:
    text = fmt.band(row["p10"], row["p90"], formatter)
    return f" Likely range (p10–p90): {text}." if text else ""


def headline_metrics(view: RunView, columns: int = 3, compact: bool = False) -> None:
    """The headline figures against the baseline, with the uncertainty range in each tooltip."""
    levels, summary = view.levels, view.summary

    horizon = f"{state.scenario().horizon_years} years"

    def level(metric: str, label: str, formatter, delta_formatter) -> tuple:
        row = levels.loc[metric]
        span = f"year {state.scenario().horizon_years}" if row["how"] == "final" else horizon
        help_text = (f"{row['label']}, {span}; the change is against the baseline (no devolution): "
                     f"{formatter(row['baseline'])}.")
        band = fmt.band(row["scenario_p10"], row["scenario_p90"], formatter)
        if band:
            help_text += f" Likely range (p10–p90): {band}."
        return label, formatter(row["scenario"]), delta_formatter(row["change"]), "inverse", help_text

    def money(key: str, label: str) -> tuple:
        row = summary.loc[key]
        return (label, fmt.money_m(row["value"]), None, "off", f"{row['label']}, {row['unit']}."
                f"{_band_text(row, fmt.money_m)}")

    def rate_pct(v: float) -> str:
        return fmt.percent(v, 2)

    items = [
        level("reoffences", "Reoffences", fmt.number, fmt.signed),
        level("reoffending_rate", "Reoffending rate", rate_pct, lambda d: fmt.signed(100 * d, 2, " pp")),
        level("prison_places", "Prison places", fmt.number, lambda d: fmt.signed(d, 1)),
    ]
    if not compact:
        items += [
            level("probation_caseload", "Probation caseload", fmt.number, lambda d: fmt.signed(d, 1)),
            level("court_cases", "Court cases", fmt.number, fmt.signed),
            level("arrests", "Arrests", fmt.number, fmt.signed),
            money("net_fiscal_cost_gbp_m", "Net public cost"),
        ]
    items.append(money("npv_gbp_m", "Net present value"))
    bcr = summary.loc["benefit_cost_ratio"]
    bcr_value = "–" if math.isnan(bcr["value"]) else f"{bcr['value']:.2f}"
    items.append(("Benefit–cost ratio", bcr_value, None, "off",
                  f"£ of economic benefit per £ spent (discounted).{_band_text(bcr, lambda v: f'{v:.2f}')}"))
    if not compact:
        chance = summary.at["chance_npv_positive", "value"]
        items.append(("Chance of net benefit", fmt.percent(chance, 0), None, "off",
                      "Share of the uncertainty draws in which the discounted benefits exceed the spend "
                      "(with bands off: whether the central estimate does)."))
        area = summary.loc["area_net_gbp_m"]
        area_chance = summary.at["chance_area_breaks_even", "value"]
        items.append(("Area's net position", fmt.money_m(area["value"]), None, "off",
                      "What the PCC or mayor gets back (its fiscal savings and the savings the deal transfers to "
                      f"it) less what it puts in, discounted.{_band_text(area, fmt.money_m)} Chance that the area "
                      f"breaks even: {fmt.percent(area_chance, 0)}."))
    for start in range(0, len(items), columns):  # row by row, so cards line up
        for col, (label, value, delta, colour, help_text) in zip(st.columns(columns), items[start:start + columns],
                                                                  strict=False):
            col.metric(label, value, delta, delta_color=colour, help=help_text, border=True, height="stretch")


def _set_note(topic: str, text: str) -> None:
    """Replace the note on one topic (empty text removes it), keeping the others in their order."""
    sc = state.scenario()
    notes = [n.model_dump() for n in sc.notes if n.topic != topic]
    if text.strip():
        notes.append({"topic": topic, "text": text.strip()})
        order = ["overall", *FUNCTION]
        notes.sort(key=lambda n: order.index(n["topic"]))
    state.set_scenario(sc.with_changes(notes=notes))


def note_text(topic: str) -> str:
    """The note on one topic ('overall' or a function key), or ''."""
    return "\n\n".join(n.text for n in state.scenario().notes if n.topic == topic)


def notes_editor() -> None:
    """The room's decisions: one overall box and one box per function, saved in the scenario's notes."""
    from cjcore.schema import MAX_NOTE_CHARS

    st.subheader("Decisions and notes")
    st.caption("Kept in the scenario: they travel with the YAML download, the briefing and (while short) the share "
               "link.")
    text = st.text_area("Overall decisions", note_text("overall"), max_chars=MAX_NOTE_CHARS, height=120,
                        key=state.widget_key("note_overall"),
                        placeholder="What did the room agree? Who does what next? Any dissent?")
    if text.strip() != note_text("overall"):
        _set_note("overall", text)
    for function, term in FUNCTION.items():
        current = note_text(function)
        with st.expander(f"{term.label}{' — has notes' if current else ''}"):
            text = st.text_area(f"Notes on {term.label.lower()}", current, max_chars=MAX_NOTE_CHARS, height=100,
                                key=state.widget_key(f"note_{function}"))
            if text.strip() != current:
                _set_note(function, text)


def show_findings(findings, where: str | None = None) -> None:
    """Warnings on implausible settings: those made on this view, or all of them (where=None)."""
    for finding in findings:
        if where is None or finding.where == where:
            st.warning(finding.message)


def show_story(view: RunView) -> None:
    """The scenario's story in plain English."""
    st.subheader("The story")
    for paragraph in view.story:
        st.markdown(paragraph)

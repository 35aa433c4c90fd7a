"""Controls and headline blocks shared by pages: each edit makes a new validated scenario."""

from __future__ import annotations

import streamlit as st

from cjcore.areas import get_area
from cjcore.schema import Scenario
from cjcore.vocab import FUNCTION, STAGE, STAGE_KEYS
from explorer import state
from explorer.cardgrid import cards_html
from explorer.cards import Card, Cards, headline_cards
from explorer.runs import TRADEOFF_DRAWS, LazyRunView, RunView, tradeoff_spec, tradeoff_text
from explorer.safe_text import md
from explorer.statictable import static_table
from explorer.theme import TRADEOFF_MEASURES


def scenario_title(scenario: Scenario, loaded: Scenario) -> str:
    """The scenario's name, saying so when its choices are applied to another area than the one it was made for.

    A scenario's name usually names its area ("Greater Manchester — youth justice and women first"): after the
    Area control moves it to Lancashire, the name alone would name the wrong place.
    """
    if scenario.area == loaded.area:
        return scenario.name
    return f"{scenario.name}, applied to {get_area(scenario.area).name}"


def page_header(title: str, intro: str = "") -> None:
    """Page title with the scenario and area it shows."""
    sc = state.scenario()
    st.title(title)
    loaded = state.origin()
    where = f" · {get_area(sc.area).name}" if sc.area == loaded.area else ""  # else the title names the area
    st.caption(f"**{md(scenario_title(sc, loaded))}**{where} · {sc.horizon_years}-year horizon")
    if intro and not state.presenter():
        st.markdown(intro)


def table(data, **dataframe_args) -> None:
    """A small table: a static HTML table in Presenter mode (scaled with the page's type), else an st.dataframe.

    st.dataframe draws on a canvas that the presenter CSS cannot scale; the static table's text grows with the page
    and shows every cell as typed (`explorer.statictable`).
    """
    if state.presenter():
        static_table(data, hide_index=bool(dataframe_args.get("hide_index")))
    else:
        st.dataframe(data, **dataframe_args)


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


def headline_metrics(view: RunView, columns: int = 3, compact: bool = False) -> None:
    """The headline figures against the baseline, with the uncertainty range in each tooltip.

    Compact (Spectrum, Funding & governance): the main outcomes, the net present value and the chance that this
    path does worse than staying as we are, in one row of five (the benefit–cost ratio is on Projections). Full
    (Projections): outcomes, demand and public money, then value for money, then the chances, each group starting
    a new row. The cards' text is made once per scenario (`explorer.cards`, kept by `explorer.runs`).
    """
    cards = (view.cards(compact) if isinstance(view, LazyRunView)
             else headline_cards(view, state.scenario().horizon_years, compact))
    st.html(cards_html(cards, columns))
    if cards.caption:
        st.caption(cards.caption)


def show_card(card: Card) -> None:
    """One card on its own, drawn as the headline cards are."""
    st.html(cards_html(Cards(((card,),), ""), columns=1))


def show_tradeoff(key: str, uncertainty: bool = True) -> None:
    """How far to go: the stage trade-off chart for the scenario on screen, with a sentence per placed function."""
    sc = state.scenario()
    presenter = state.presenter()
    st.subheader("How far to go: what each function adds at each stage")
    measure = st.segmented_control(
        "Show", list(TRADEOFF_MEASURES), default="reoffences_avoided", key=key,
        format_func=lambda k: TRADEOFF_MEASURES[k][0]) or "reoffences_avoided"
    st.vega_lite_chart(spec=tradeoff_spec(sc, measure, presenter, uncertainty), width="stretch")
    if not presenter:
        band = (f"the line is the likely range (10th to 90th percentile of {TRADEOFF_DRAWS} uncertainty draws)"
                if uncertainty else "turn on the uncertainty bands to see the likely range")
        st.caption(
            f"Each dot is what the function adds over {sc.horizon_years} years compared with leaving it national, "
            f"everything else as on screen; {band}. The large diamond marks where it is placed now. Further along "
            "the spectrum the disruption while new arrangements are set up, the transition and governance costs and "
            "the chance of a transfer being reversed all grow: where the dots move back towards zero, going further "
            "stops paying; where a line crosses the dashed zero line, the function may do worse than under today's "
            "arrangements.")
    sentences = tradeoff_text(sc, uncertainty)
    if sentences:
        st.markdown("\n".join(f"- {s}" for s in sentences))


def show_jcurve(view: RunView) -> None:
    """The J-curve in words, when reoffending first rises while the new arrangements are set up."""
    if view.jcurve:
        st.info(view.jcurve, icon=":material/trending_up:")


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


def _on_note_change(topic: str, widget: str) -> None:
    """Save a note as soon as its box sends its text, before any page runs.

    A text area sends its text on blur, and clicking another view blurs it on the way: the run that follows is the
    other page's, where this box is not drawn, so only a callback (run before the page script) sees the text.
    """
    text = st.session_state.get(widget, "")
    if text.strip() != note_text(topic):
        _set_note(topic, text)


def notes_editor() -> None:
    """The room's decisions: one overall box and one box per function, saved in the scenario's notes.

    Each box saves through ``_on_note_change``, so a note typed and followed at once by a click on another view is
    kept (in the scenario, the share link and the YAML) and shows again on return.
    """
    from cjcore.schema import MAX_NOTE_CHARS

    st.subheader("Decisions and notes")
    st.caption("Kept in the scenario: they travel with the YAML download, the briefing and (while short) the share "
               "link.")
    key = state.widget_key("note_overall")
    st.text_area("Overall decisions", note_text("overall"), max_chars=MAX_NOTE_CHARS, height=120, key=key,
                 on_change=_on_note_change, args=("overall", key),
                 placeholder="What did the room agree? Who does what next? Any dissent?")
    for function, term in FUNCTION.items():
        current = note_text(function)
        with st.expander(f"{term.label}{' — has notes' if current else ''}", key=f"notes_box_{function}"):
            key = state.widget_key(f"note_{function}")
            st.text_area(f"Notes on {term.label.lower()}", current, max_chars=MAX_NOTE_CHARS, height=100, key=key,
                         on_change=_on_note_change, args=(function, key))


def show_findings(findings, where: str | None = None) -> None:
    """Warnings on implausible settings: those made on this view, or all of them (where=None)."""
    for finding in findings:
        if where is None or finding.where == where:
            st.warning(finding.message)


def show_story(view: RunView) -> None:
    """The scenario's story in plain English."""
    st.subheader("The story")
    st.markdown("\n\n".join(view.story))  # one element: each costs the browser a few ms to draw

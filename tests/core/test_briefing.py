"""The briefing export: HTML that parses and says what the app says, a real PDF, and notes that survive."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import html
import io
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cjcore.areas import get_area
from cjcore.evidence import load_register
from cjcore.scenario_io import dump_scenario, load_scenario, parse_scenario
from cjcore.schema import Scenario
from explorer import format as fmt
from explorer.briefing import (
    SHARE_LINK_NOTE,
    Briefing,
    Figure,
    briefing_filename,
    briefing_html,
    briefing_pdf,
    build_briefing,
    pdf_text,
    run_view_uncached,
    short_link,
)
from explorer.briefing.pdf_writer import _covered
from tests.core.conftest import GM_SCENARIO

pypdf = pytest.importorskip("pypdf")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SHARE_LINK = "http://localhost:8501/projections?s=greater-manchester&p=youth_justice.full_transfer&o=ramp_years%3A3"
OVERALL_NOTE = "Agree funding and governance by April <script>alert(1)</script> — “early”"
YOUTH_NOTE = "Ŵales ✓ ask the YJB about a custody pilot −5% → review"
DAY = dt.date(2026, 3, 4)


class _Page(HTMLParser):
    """Collects tags with their attributes and the text of an HTML document (stdlib parser)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "img", "br", "link"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()

    def handle_data(self, data):
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())

    def attrs(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def _parse(html_text: str) -> _Page:
    page = _Page()
    page.feed(html_text)
    page.close()
    assert page.open == [], f"unclosed tags: {page.open}"
    return page


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    base = load_scenario(GM_SCENARIO)
    return base.with_changes(
        notes=[{"topic": "youth_justice", "text": YOUTH_NOTE}, {"topic": "overall", "text": OVERALL_NOTE}],
        overrides={"ramp_years": 3.0},
    )


@pytest.fixture(scope="module")
def view(scenario):
    return run_view_uncached(scenario, draws=200, seed=1)


@pytest.fixture(scope="module")
def briefing(scenario, view) -> Briefing:
    return build_briefing(scenario, view, SHARE_LINK, generated=DAY)


@pytest.fixture(scope="module")
def html_text(briefing) -> str:
    return briefing_html(briefing)


@pytest.fixture(scope="module")
def page(html_text) -> _Page:
    return _parse(html_text)


@pytest.fixture(scope="module")
def pdf(briefing):
    return pypdf.PdfReader(io.BytesIO(briefing_pdf(briefing)))


@pytest.fixture(scope="module")
def pdf_text_all(pdf) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)


# ----------------------------------------------------------------------------------------------- HTML
def test_html_names_the_scenario_area_date_and_share_link(scenario, page):
    assert scenario.name in page.text
    assert get_area(scenario.area).name in page.text
    assert "4 March 2026" in page.text
    links = [a["href"] for a in page.attrs("a")]
    assert links == [SHARE_LINK], "the share link is the one and only link"
    assert SHARE_LINK not in page.text, "the link's scenario payload is not printed"
    assert "http://localhost:8501/projections?…" in page.text
    assert SHARE_LINK_NOTE in page.text


def test_html_gives_the_share_link_at_the_end_not_on_the_cover(html_text):
    cover = html_text[:html_text.index("</header>")]
    assert "localhost" not in cover
    assert html_text.index('<a href="') > html_text.index("Decisions captured")


def test_html_is_self_contained(html_text, page):
    assert not any(tag in ("script", "link", "iframe", "object", "embed") for tag, _ in page.tags)
    assert "<script" not in html_text.lower()
    assert "url(" not in html_text and "@import" not in html_text
    for tag, attrs in page.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            if value is not None:
                assert value == SHARE_LINK or (tag == "img" and value.startswith("data:image/png;base64,"))


def test_html_embeds_the_charts_as_png(page):
    images = page.attrs("img")
    assert len(images) >= 5
    for img in images:
        src = img["src"]
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1], validate=True).startswith(PNG_SIGNATURE)
        assert img.get("alt")


def test_html_shows_the_same_headline_figures_as_the_app(view, page):
    levels, summary = view.levels, view.summary
    row = levels.loc["reoffences"]
    assert f"{fmt.number(row['scenario'])} offences" in page.text
    assert f"{fmt.number(row['baseline'])} offences" in page.text
    assert f"{fmt.signed(row['change'])} offences" in page.text
    assert f"{fmt.number(row['scenario_p10'])}–{fmt.number(row['scenario_p90'])} offences" in page.text
    rate = levels.loc["reoffending_rate"]
    assert fmt.percent(rate["scenario"], 2) in page.text
    assert fmt.signed(100 * rate["change"], 2, " pp") in page.text  # page.text reads a no-break space as a space
    assert f"{fmt.number(levels.loc['prison_places', 'scenario'])} places" in page.text
    assert f"{fmt.signed(levels.loc['prison_places', 'change'], 1)} places" in page.text
    assert f"{fmt.number(levels.loc['probation_caseload', 'scenario'])} cases" in page.text
    for key in ("npv_gbp_m", "net_fiscal_cost_gbp_m"):
        assert fmt.money_m(summary.loc[key, "value"]) in page.text
        assert fmt.band(summary.loc[key, "p10"], summary.loc[key, "p90"], fmt.money_m) in page.text
    assert f"£{summary.loc['benefit_cost_ratio', 'value']:.2f} per £1 of cost" in page.text


def test_html_lists_placements_funding_and_governance(page):
    text = page.text
    assert "Youth justice Full transfer" in text
    assert "Pooled budget £12.0m a year" in text
    assert "National share of the pooled budget 60%" in text
    assert "Settlement length 3 years" in text
    assert "Mayor with PCC functions" in text
    assert "Strategic objectives 4 / 5" in text
    assert "Governance readiness" in text


def test_html_escapes_notes_and_keeps_them_in_order(html_text, page):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert OVERALL_NOTE in page.text and YOUTH_NOTE in page.text
    text = page.text
    decisions = text.index("Decisions captured")
    overall = text.index("Overall decisions", decisions)
    youth = text.index("Youth justice", overall)
    assert decisions < overall < text.index(OVERALL_NOTE) < youth < text.index(YOUTH_NOTE)


def test_html_sections_come_in_order(page):
    text = page.text
    order = ["What this shows", "Placements on the devolution spectrum", "Funding and governance",
             "Headline results", "Reoffending, demand and money", "Evidence caveats", "Decisions captured", "Sources"]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert "Crest Advisory (2018)" in text and "Crest Advisory (2023)" in text and "evidence register" in text


def test_html_lists_the_evidence_caveats(page):
    register = load_register()
    assumptions = [p for p in register.parameters.values() if p.status == "assumption"]
    text = page.text
    assert f"{len(assumptions)} of them are assumptions" in text
    assert "Share of prison savings that is cashable" in text  # used by every scenario
    assert "Effect of integrated offender management" in text  # probation is co-commissioned
    assert "Effect of a perpetrator programme" not in text  # domestic abuse stays national
    assert "Governance factor, mayor with PCC functions" in text
    assert "Governance factor, Police and Crime Commissioner" not in text
    assert "Years for a devolved service to reach full effect 2 → 3" in text  # the override, default → scenario


def test_a_share_link_that_is_not_a_web_link_is_not_clickable(briefing):
    page = _parse(briefing_html(dataclasses.replace(briefing, share_link="javascript:alert(1)")))
    assert page.attrs("a") == []
    assert "javascript:alert(1)" in page.text


# ----------------------------------------------------------------------------------------------- PDF
def test_pdf_has_pages_images_and_the_text(scenario, pdf, pdf_text_all):
    assert len(pdf.pages) >= 2
    assert sum(len(p.images) for p in pdf.pages) >= 5
    assert scenario.name in pdf_text_all
    assert "http://localhost:8501/projections?…" in pdf_text_all  # the short form; the click opens the full link
    assert " ".join(SHARE_LINK_NOTE.split()) in pdf_text_all
    assert "Agree funding and governance by April <script>alert(1)</script>" in pdf_text_all
    assert "Ŵales ✓ ask the YJB about a custody pilot −5% → review" in pdf_text_all  # printed as itself
    assert "Evidence caveats" in pdf_text_all and "Crest Advisory (2023)" in pdf_text_all


def test_pdf_share_link_is_clickable(pdf):
    uris = [annot.get_object().get("/A", {}).get("/URI") for annot in pdf.pages[-1].get("/Annots", [])]
    assert SHARE_LINK in uris  # on the last page, with the sources


def test_pdf_text_keeps_what_the_font_draws_and_replaces_the_rest():
    assert pdf_text("£12.0m – “quoted” — ’ −5% → Ŵales ✓ ≥") == "£12.0m – “quoted” — ’ −5% → Ŵales ✓ ≥"
    assert pdf_text("東京\tx\x07") == "??    x"  # no CJK glyphs in DejaVu Sans; tab to spaces; bell dropped


@given(st.text(max_size=200))
def test_pdf_text_never_fails(text):
    covered = _covered()
    assert all(ch == "\n" or ord(ch) in covered for ch in pdf_text(text))


def test_a_name_outside_windows_1252_round_trips_through_the_pdf(view):
    name = "Łódź – Ærøskøbing ≥ 5 €"
    sc = load_scenario(GM_SCENARIO).with_changes(name=name, notes=[{"topic": "overall", "text": "Zürich ≠ Þórshöfn"}])
    b = build_briefing(sc, view, SHARE_LINK, generated=DAY)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(
        io.BytesIO(briefing_pdf(b))).pages)
    assert name in text and "Zürich ≠ Þórshöfn" in text


def test_short_link():
    assert short_link(SHARE_LINK) == "http://localhost:8501/projections?…"
    assert short_link("https://example.org/") == "https://example.org/"
    assert short_link("x" * 60) == "x" * 48 + "…"


def test_briefing_holds_png_charts(briefing):
    assert len(briefing.charts) >= 6
    assert all(png.startswith(PNG_SIGNATURE) for png in briefing.charts)
    assert all(isinstance(f, Figure) and f.width > 0 and f.height > 0 for f in briefing.figures)


# ----------------------------------------------------------------------------------------------- round trip
def test_notes_survive_download_and_upload_into_the_briefing(scenario, view):
    reloaded = parse_scenario(dump_scenario(scenario), source="download.yaml")
    assert reloaded.notes == scenario.notes
    page = _parse(briefing_html(build_briefing(reloaded, view, SHARE_LINK, generated=DAY)))
    assert OVERALL_NOTE in page.text and YOUTH_NOTE in page.text


def test_central_estimate_only_and_no_notes():
    sc = load_scenario(GM_SCENARIO).with_changes(notes=[], horizon_years=3)
    b = build_briefing(sc, run_view_uncached(sc, draws=0, seed=1), "", generated=DAY)
    page = _parse(briefing_html(b))
    assert "central estimates only" in page.text
    assert "No decisions or notes were captured" in page.text
    assert page.attrs("a") == []
    assert len(pypdf.PdfReader(io.BytesIO(briefing_pdf(b))).pages) >= 2


def test_file_names_are_safe(scenario):
    assert briefing_filename(scenario, DAY, "pdf") == (
        "briefing-greater-manchester-youth-justice-and-women-first-2026-03-04.pdf")
    odd = scenario.with_changes(name="../Région <x> ✓")
    assert briefing_filename(odd, DAY, "html") == "briefing-region-x-2026-03-04.html"
    assert briefing_filename(scenario.with_changes(name="✓✓"), DAY, "html") == "briefing-scenario-2026-03-04.html"


def test_briefing_tells_the_story_and_who_pays(view, html_text, pdf_text_all):
    assert view.story[0] in html.unescape(html_text)
    assert "Who pays and who gains" in html_text
    for row in view.agencies.itertuples():
        assert html.escape(row.label) in html_text
    area_net = view.agencies.set_index("agency").at["police", "net"]
    assert fmt.money_m(area_net, 2) in html.unescape(html_text)
    assert "Who pays and who gains" in pdf_text_all


# ----------------------------------------------------------------------------------------------- trade-offs
def test_html_states_the_chances_and_the_arrangement_costs(view, page):
    summary = view.summary
    for key in ("chance_npv_positive", "chance_npv_negative", "chance_more_reoffences", "chance_area_breaks_even"):
        assert f"{summary.loc[key, 'label']} {fmt.percent(summary.loc[key, 'value'], 0)} of uncertainty draws" \
            in page.text, key
    costs = summary.loc["arrangement_costs_gbp_m"]
    assert f"{costs['label']} (total over" in page.text
    assert fmt.money_m(costs["value"]) in page.text and costs["value"] > 0


def test_a_j_curve_scenario_carries_the_overtake_sentence_and_how_far_to_go(scenario):
    from cjcore.engine import project
    from cjcore.report import overtake_year, stage_tradeoff
    from cjcore.story import jcurve, tradeoff_sentences

    sc = scenario.with_changes(placements={"probation": "full_transfer"}, notes=[])
    run = project(sc, draws=100, seed=1)
    year = overtake_year(run)
    assert year is not None
    tradeoff = stage_tradeoff(sc, draws=20, seed=1)
    b = build_briefing(sc, run_view_uncached(sc, draws=100, seed=1), SHARE_LINK, generated=DAY, tradeoff=tradeoff)
    text = _parse(briefing_html(b)).text
    sentence = jcurve(run)
    assert f"falls below today's from year {year}." in sentence
    headline = text.index("Headline results")
    assert text.index(sentence, headline) < text.index("Who pays and who gains"), "in the headline results"
    assert "How far to go" in text and any(f.title == "What each function adds at each stage" for f in b.figures)
    for line in tradeoff_sentences(tradeoff, sc.horizon_years):
        assert line in text


def test_central_estimate_only_states_no_chance(scenario):
    sc = scenario.with_changes(horizon_years=2)
    text = _parse(briefing_html(build_briefing(sc, run_view_uncached(sc, draws=0, seed=1), "", generated=DAY))).text
    assert "of uncertainty draws" not in text


def test_briefing_states_the_price_base_once_near_the_top_and_on_every_money_table(view, page, html_text):
    from cjcore.prices import PRICE_BASE_LABEL

    intro = html_text.index("What this shows")
    first = html_text.index(PRICE_BASE_LABEL)
    assert first > intro and first < html_text.index("Headline results")
    assert "HM Treasury&#x27;s GDP deflator" in html_text or "HM Treasury's GDP deflator" in html_text
    assert f"Expected value (£m, {PRICE_BASE_LABEL})" in page.text
    assert f"£m a year in {PRICE_BASE_LABEL}" in page.text  # the money chart's caption


def test_briefing_shows_optimism_bias_as_its_own_cost_line_and_the_expected_values(view, page):
    from explorer.theme import OPTIMISM_BIAS_LABEL

    bias = view.summary.loc["optimism_bias_gbp_m"]
    assert bias["value"] > 0
    assert f"{OPTIMISM_BIAS_LABEL} (total over" in page.text
    assert fmt.money_m(bias["value"]) in page.text
    assert f"expected value (mean of {view.draws} uncertainty draws)" in page.text
    assert "docs/model.md reproduces by hand" in page.text


def test_briefing_says_what_happens_to_unspent_money(scenario):
    for unspent, words in (("returned", "returned to those who paid it"),
                           ("retained", "kept in the pooled budget and counted as spent")):
        sc = scenario.with_changes(funding={**scenario.funding.model_dump(), "pooled_budget_gbp_m": 200.0,
                                            "unspent": unspent})
        v = run_view_uncached(sc, draws=0, seed=1)
        assert v.summary.at["committed_unused_gbp_m", "value"] > 0
        text = _parse(briefing_html(build_briefing(sc, v, SHARE_LINK, generated=DAY))).text
        assert words in text
        assert "lapses" not in text


def test_the_areas_own_figures_are_in_the_briefing(scenario):
    from tests.core.test_own_figures import supplied

    own = scenario.with_changes(baseline=supplied(source="MoJ geographic data tool, test cohort"))
    text = _parse(briefing_html(build_briefing(own, run_view_uncached(own, draws=0, seed=1), SHARE_LINK,
                                               generated=DAY))).text
    assert "The area's own figures (supplied by the user)" in text
    assert "MoJ geographic data tool, test cohort" in text
    offenders = own.baseline.young_people.offenders
    assert f"{offenders:,.0f}" in text
    plain = _parse(briefing_html(build_briefing(scenario, run_view_uncached(scenario, draws=0, seed=1), SHARE_LINK,
                                                generated=DAY))).text
    assert "supplied by the user" not in plain


def test_the_outcome_table_says_its_figures_are_expected_values_and_gives_the_central_run(view, page):
    from explorer.runview import central_run_text

    assert view.has_draws
    assert f"expected value (mean of {view.draws} uncertainty draws)" in page.text
    assert " ".join(central_run_text(view).split()) in page.text  # page.text reads a no-break space as a space

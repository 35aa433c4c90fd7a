"""The facilitator's whole workshop flow in a real browser, and the two screens it is shown on.

One long test follows the session as a facilitator runs it (open a share link, move placements, change the
deal, read the projections, compare, sweep, download the briefing and the YAML, and reload the YAML as a new
visitor). The screenshot tests check presenter mode on a 1920×1080 projector and the normal view on a
1366×768 laptop, and keep the pictures in tests/e2e/artifacts/ (one also becomes docs/screenshot.png).

Every wait is on the page itself (the expected change, then the app's idle state); there are no fixed sleeps.
The `app_page` and `fresh_app_page` fixtures fail a test on any console error or shown exception.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from playwright.sync_api import Page, expect

from cjcore.scenario_io import load_builtin
from cjcore.vocab import FUNCTION, FUNCTION_KEYS, STAGE, STAGE_KEYS
from tests.e2e.helpers import (
    CHART,
    FILE_INPUT,
    HEADER,
    METRIC_VALUE,
    MULTISELECT,
    REOFFENCES,
    TABLE,
    download,
    go_to,
    headline_figures,
    metric_value,
    number,
    open_app,
    press_on_slider,
    stage_slider,
    wait_charts_painted,
    wait_idle,
)

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "tests" / "e2e" / "artifacts"
README_SCREENSHOT = REPO_ROOT / "docs" / "screenshot.png"

ORIGIN = "greater-manchester"
# Youth justice at full transfer, probation co-investment, victims co-commissioning, serious violence and the
# custody budget co-design; everything else national. Differs from the built-in, so the link carries it.
PLACEMENTS = "520300110"
SHARE_LINK = f"/?s={ORIGIN}&p={PLACEMENTS}"
EDITED_FUNCTION = "substance_misuse"  # national in the link: one step right is co-design
PROJECTION_CHARTS = 1  # the reoffending trend (the other charts are in tabs, built when a tab is opened)
LAPTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}


def _query(page: Page) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(page.url).query).items()}


def _expected_stage_labels(digits: str) -> dict[str, str]:
    return {FUNCTION[f].label: STAGE[STAGE_KEYS[int(d)]].label for f, d in zip(FUNCTION_KEYS, digits, strict=True)}


def _shown_stage_labels(page: Page) -> dict[str, str]:
    return {FUNCTION[f].label: stage_slider(page, FUNCTION[f].label).get_attribute("aria-valuetext") or ""
            for f in FUNCTION_KEYS}


# Font size of the element that holds the text itself (a value's <p>, not its wrapper), in CSS pixels.
_TEXT_FONT_SIZE_JS = """element => {
  let e = element;
  while (e.firstElementChild) e = e.firstElementChild;
  return parseFloat(getComputedStyle(e).fontSize);
}"""


def _screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000, f"{name} looks empty"
    return path


def test_share_link_sets_every_stage_control(app_page: Page) -> None:
    open_app(app_page, SHARE_LINK)
    expect(app_page.locator(CHART).first).to_be_visible()
    assert _shown_stage_labels(app_page) == _expected_stage_labels(PLACEMENTS)
    assert _query(app_page) == {"s": ORIGIN, "p": PLACEMENTS}, "the address bar keeps the share link"


def test_facilitator_workshop_flow(app_page: Page, fresh_app_page, tmp_path: Path) -> None:
    page = app_page

    # 1. The share link opens the spectrum with its placements.
    open_app(page, SHARE_LINK)
    wait_charts_painted(page)
    reoffences = metric_value(page, REOFFENCES)
    start = reoffences.inner_text()

    # 2. One step right on a stage control with the keyboard: fewer reoffences, chart and link follow.
    chart_before = page.locator(CHART).first.inner_html()
    label = FUNCTION[EDITED_FUNCTION].label
    assert press_on_slider(page, label) == STAGE["co_design"].label
    expect(reoffences).not_to_have_text(start)
    wait_idle(page)
    after_placement = reoffences.inner_text()
    assert number(after_placement) < number(start), "moving a function towards full transfer lowers reoffences"
    assert page.locator(CHART).first.inner_html() != chart_before, "the spectrum chart is redrawn"
    placements = PLACEMENTS[:4] + "1" + PLACEMENTS[5:]  # substance misuse is the fifth function
    expect(page).to_have_url(re.compile(rf"[?&]p={placements}(&|$)"))

    # 3. Funding & governance: governance agreed a year later costs reoffences (momentum lost).
    go_to(page, "Funding & governance", "Funding and governance")
    reoffences = metric_value(page, REOFFENCES)
    expect(reoffences).to_have_text(after_placement)
    assert press_on_slider(page, "Governance agreed in year") == "1"
    expect(reoffences).not_to_have_text(after_placement)
    wait_idle(page)
    after_governance = reoffences.inner_text()
    assert number(after_governance) > number(after_placement), "a later agreement delivers less"
    expect(page.get_by_text("both in place only from year 2")).to_be_visible()
    assert _query(page).get("ga") == "1"

    # 4. Projections: the same headline, every chart painted.
    go_to(page, "Projections", "Projections")
    wait_charts_painted(page, PROJECTION_CHARTS)
    figures = headline_figures(page)
    assert figures[REOFFENCES] == after_governance
    for name in ("Reoffending rate", "Prison places", "Net present value", "Benefit–cost ratio"):
        assert figures.get(name), f"headline {name!r} missing from {figures}"
    link = _query(page)
    assert link == {"s": ORIGIN, "p": placements, "ga": "1"}
    _screenshot(page, "flow-projections-1366x768.png")

    # 5. The briefing, as HTML and PDF, built from what is on screen.
    scenario_name = load_builtin(ORIGIN).name
    name, html = download(page, "Download briefing (HTML)")
    assert name.endswith(".html") and len(html) > 20_000, (name, len(html))
    text = html.decode("utf-8")
    assert text.lstrip().lower().startswith("<!doctype html"), text[:80]
    assert scenario_name in text, f"briefing does not name the scenario {scenario_name!r}"
    assert after_governance in text, "briefing shows the headline reoffences figure on screen"
    assert not re.search(r"""\b(src|@import)\s*=?\s*["'(]?\s*(https?:)?//""", text), "the briefing fetches nothing"
    name, pdf = download(page, "Download briefing (PDF)")
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF") and len(pdf) > 10_000, (name, pdf[:8], len(pdf))
    assert b"%%EOF" in pdf[-1024:]

    # 6. Compare: another scenario makes the table grow; the sweep draws its charts.
    go_to(page, "Compare", "Compare")
    headers = page.locator(TABLE).first.locator("thead th")  # one column per option, all in view
    expect(headers).to_have_count(2)  # the row labels + the scenario on screen
    picker = page.locator(MULTISELECT).filter(has_text="Scenarios to compare")
    picker.get_by_role("combobox").click()
    page.get_by_role("option", name=load_builtin("london").name).click()
    page.keyboard.press("Escape")
    expect(headers).to_have_count(3)  # + London, its differences from the reference in its own cells
    expect(headers.filter(has_text=re.compile(r"^B: .*London"))).to_have_count(1)
    assert page.locator(TABLE).first.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "no column off to the right"
    expect(page.locator(TABLE).first.locator("tbody td").filter(has_text=re.compile(r"vs A\)$")).first).to_be_visible()
    wait_idle(page)
    wait_charts_painted(page, 1)
    charts = page.locator(f'[role="tabpanel"]:not([hidden]) {CHART}')
    expect(charts).to_have_count(1)  # one year-by-year chart, its measure picked
    expect(charts.first).to_contain_text("Proven reoffences: change against baseline")
    page.locator('[role="tabpanel"]:not([hidden])').get_by_role("radio", name="Prison places", exact=True).click()
    expect(charts.first).to_contain_text("Prison places: change against baseline")
    wait_idle(page)
    page.get_by_role("tab", name="Spectrum sweep").click()
    panel = page.locator('[role="tabpanel"]:not([hidden])')  # built on the click: only the open tab is computed
    expect(panel.get_by_text("Headline outcomes with")).to_be_visible()
    wait_idle(page)
    wait_charts_painted(page, 3, within='[role="tabpanel"]:not([hidden])')
    expect(panel.locator(CHART)).to_have_count(3)

    # 7. The scenario as YAML: exactly what is on screen.
    go_to(page, "Scenarios", "Scenarios")
    name, data = download(page, "Download this scenario (YAML)")
    assert name.endswith(".yaml")
    saved = yaml.safe_load(data)
    assert saved["area"] == ORIGIN and saved["governance"]["agreed_in_year"] == 1
    assert saved["placements"][EDITED_FUNCTION] == "co_design"
    assert saved["placements"]["youth_justice"] == "full_transfer"
    yaml_path = tmp_path / name
    yaml_path.write_bytes(data)

    # 8. A new visitor (new browser context, new session) uploads it: the same link and the same figures.
    visitor = fresh_app_page()
    open_app(visitor, "/scenarios")
    # The app may read as idle between connecting and its first run (seen through nginx): wait for the link it writes.
    expect(visitor).to_have_url(re.compile(rf"[?&]s={ORIGIN}(&|$)"))
    assert _query(visitor) == {"s": ORIGIN}
    visitor.locator(FILE_INPUT).set_input_files(str(yaml_path))
    expect(visitor).to_have_url(re.compile(r"[?&]ga=1(&|$)"))
    wait_idle(visitor)
    assert _query(visitor) == link, "the uploaded scenario is the one downloaded"
    go_to(visitor, "Projections", "Projections")
    wait_charts_painted(visitor, PROJECTION_CHARTS)
    assert headline_figures(visitor) == figures


def test_presenter_mode_on_a_projector(fresh_app_page) -> None:
    normal = fresh_app_page(viewport=PROJECTOR)
    open_app(normal, f"/projections?s={ORIGIN}&p={PLACEMENTS}")
    wait_charts_painted(normal, PROJECTION_CHARTS)
    normal_size = normal.locator(METRIC_VALUE).first.evaluate(_TEXT_FONT_SIZE_JS)

    page = fresh_app_page(viewport=PROJECTOR)
    open_app(page, f"/projections?s={ORIGIN}&p={PLACEMENTS}&pm=1")
    wait_charts_painted(page, PROJECTION_CHARTS)
    presenter_size = page.locator(METRIC_VALUE).first.evaluate(_TEXT_FONT_SIZE_JS)
    expect(page.locator(HEADER)).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    _screenshot(page, "presenter-projections-1920x1080.png")

    # The sidebar toggle turns it off again and the link forgets it; the spectrum in presenter mode too.
    toggle = page.get_by_role("switch", name="Presenter mode")
    switch = page.get_by_test_id("stCheckbox").filter(has=toggle).locator("label").first  # the input is hidden
    expect(toggle).to_be_checked()
    switch.click()
    expect(toggle).not_to_be_checked()
    expect(page).not_to_have_url(re.compile(r"[?&]pm=1"))
    wait_idle(page)
    back_to_normal = page.locator(METRIC_VALUE).first.evaluate(_TEXT_FONT_SIZE_JS)
    assert back_to_normal == normal_size
    switch.click()
    expect(page).to_have_url(re.compile(r"[?&]pm=1"))
    wait_idle(page)
    go_to(page, "Spectrum", "Where on the devolution spectrum?")
    wait_charts_painted(page)
    assert "pm" in _query(page), "presenter mode survives moving between views"
    _screenshot(page, "presenter-spectrum-1920x1080.png")

    # Checked last, so that a failure here still leaves the screenshots above.
    assert presenter_size >= 1.5 * normal_size, (
        f"presenter mode must enlarge the headline figures: {presenter_size}px against {normal_size}px normally")


def test_laptop_views_and_readme_screenshot(app_page: Page) -> None:
    page = app_page
    assert page.viewport_size == LAPTOP
    open_app(page, SHARE_LINK)
    wait_charts_painted(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    _screenshot(page, "laptop-spectrum-1366x768.png")

    go_to(page, "Projections", "Projections")
    wait_charts_painted(page, PROJECTION_CHARTS)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    expect(page.locator(METRIC_VALUE).first).to_be_in_viewport()
    shot = _screenshot(page, "laptop-projections-1366x768.png")
    if os.environ.get("CJ_UPDATE_SCREENSHOT") == "1":  # refresh the README's picture only when asked
        shutil.copyfile(shot, README_SCREENSHOT)

    go_to(page, "Funding & governance", "Funding and governance")
    _screenshot(page, "laptop-funding-governance-1366x768.png")

"""The briefing's download buttons: HTML and PDF, built only when a button is clicked.

``st.download_button`` accepts a callable for ``data`` (Streamlit 1.67): the callable runs when the user clicks,
on its own thread, so the page never waits for the charts to render and nothing is built for a briefing nobody
downloads. ``on_click="ignore"`` keeps the page from rerunning on a download.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from cjcore.schema import Scenario
from explorer import state
from explorer.briefing import FontMissing, briefing_filename, briefing_html, build_briefing
from explorer.briefing.fonts import font_files
from explorer.runs import tradeoff_view
from explorer.runview import RunView
from explorer.widgets import scenario_title


def briefing_downloads(scenario: Scenario, view: RunView, share_link: str, key: str = "briefing") -> None:
    """Two download buttons for the briefing of the scenario on screen.

    Args:
        scenario: The scenario on screen (its notes go into the briefing).
        view: Its projection, as the page shows it (``explorer.runs.run_view``), so the figures match.
        share_link: The link that reopens this view (``explorer.state.share_link``).
        key: Prefix of the buttons' widget keys (change it if the buttons appear twice on one page).
    """
    today = dt.date.today()
    uncertainty = view.has_draws
    title = scenario_title(scenario, state.origin())

    def html_bytes() -> bytes:
        briefing = build_briefing(scenario, view, share_link, today, tradeoff_view(scenario, uncertainty), title)
        return briefing_html(briefing).encode("utf-8", "replace")

    def pdf_bytes() -> bytes:
        from explorer.briefing import briefing_pdf  # fpdf2 is imported on the first PDF asked for, not on the page

        return briefing_pdf(build_briefing(scenario, view, share_link, today, tradeoff_view(scenario, uncertainty),
                                           title))

    left, right = st.columns(2)
    left.download_button(
        "Download briefing (HTML)", data=html_bytes, file_name=briefing_filename(scenario, today, "html"),
        mime="text/html", on_click="ignore", key=f"{key}_html", icon=":material/description:", width="stretch",
        help="One self-contained web page: placements, funding and governance, headline results, charts, "
             "evidence caveats, the decisions captured and the share link. Opens offline in any browser.",
    )
    try:
        font_files()
    except FontMissing as exc:  # say why there is no PDF instead of failing on the click
        right.warning(str(exc), icon=":material/font_download_off:")
        return
    right.download_button(
        "Download briefing (PDF)", data=pdf_bytes, file_name=briefing_filename(scenario, today, "pdf"),
        mime="application/pdf", on_click="ignore", key=f"{key}_pdf", icon=":material/picture_as_pdf:",
        width="stretch", help="The same briefing as a printable A4 PDF.",
    )

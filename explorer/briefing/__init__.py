"""Briefing export: one scenario's results as a self-contained HTML file and as a PDF, for colleagues.

No streamlit import, so a script or a test can build a briefing too::

    from cjcore import load_scenario
    from explorer.briefing import briefing_html, briefing_pdf, build_briefing, run_view_uncached
    sc = load_scenario("scenarios/greater-manchester.yaml")
    b = build_briefing(sc, run_view_uncached(sc, draws=500, seed=1), share_link="https://…")
    Path("briefing.html").write_text(briefing_html(b), encoding="utf-8")
    Path("briefing.pdf").write_bytes(briefing_pdf(b))

One job per module: ``model`` (what a briefing says, as plain data), ``figures`` (charts to PNG), ``build``
(gathering every section once), ``html_writer`` and ``pdf_writer`` (laying the same pieces out), so the HTML and
the PDF always say the same thing; ``fonts`` finds the PDF's font. The PDF writer is imported on first use of
``briefing_pdf`` or ``pdf_text``: fpdf2 takes about half a second to import, which the first opening of Projections on
a fresh server paid for a PDF nobody had asked for yet.
"""

from typing import Any

from explorer.briefing.build import build_briefing, run_view_uncached
from explorer.briefing.figures import CHART_SCALE, CHART_WIDTH, SPECTRUM_WIDTH
from explorer.briefing.fonts import FontMissing
from explorer.briefing.html_writer import briefing_html
from explorer.briefing.model import (
    SHARE_LINK_NOTE,
    SOURCES,
    Block,
    Briefing,
    Bullets,
    Figure,
    Paragraph,
    Section,
    Subheading,
    Table,
    briefing_filename,
    short_link,
)

__all__ = [
    "CHART_SCALE", "CHART_WIDTH", "SHARE_LINK_NOTE", "SOURCES", "SPECTRUM_WIDTH", "Block", "Briefing", "Bullets",
    "Figure", "FontMissing", "Paragraph", "Section", "Subheading", "Table", "briefing_filename", "briefing_html",
    "briefing_pdf", "build_briefing", "pdf_text", "run_view_uncached", "short_link",
]


def __getattr__(name: str) -> Any:
    """``briefing_pdf`` and ``pdf_text``, from the PDF writer imported on first use (PEP 562)."""
    if name in ("briefing_pdf", "pdf_text"):
        from explorer.briefing import pdf_writer

        return getattr(pdf_writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The briefing as a printable A4 PDF (fpdf2), in DejaVu Sans embedded so any name or note prints as itself.

The font comes from Debian's fonts-dejavu-core (the Makefile's ``system-packages`` target installs it); without it
the PDF cannot be made and ``FontMissing`` says how to install it. Characters the font has no glyph for (rare
scripts, emoji) become a close stand-in or '?', so no user text can make the export fail.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from functools import cache

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from explorer.briefing.fonts import FONT_FAMILY, font_files
from explorer.briefing.model import (
    SHARE_LINK_NOTE,
    Block,
    Briefing,
    Bullets,
    Figure,
    Paragraph,
    Subheading,
    Table,
    safe_link,
)


@cache
def _covered() -> frozenset[int]:
    """Code points that both the regular and the bold font can draw."""
    maps = []
    for path in font_files().values():
        with TTFont(path, lazy=True) as font:
            maps.append(set(font.getBestCmap()))
    return frozenset(set.intersection(*maps))


#: Characters the font lacks with a close stand-in (tabs become spaces; the rest are rare in practice).
_STAND_INS = {"\t": "    ", "\u200b": "", "\u200d": "", "\ufeff": ""}


def pdf_text(text: str) -> str:
    """Text the PDF's font can draw: every character it has kept as itself, others replaced.

    A character without a glyph becomes a stand-in, loses its accents when its base letter has a glyph, or becomes
    '?'; control characters other than line breaks are dropped. Never raises (except ``FontMissing``).
    """
    covered = _covered()
    out = []
    for ch in str(text):
        if ch == "\n":
            out.append(ch)
        elif ch in _STAND_INS:
            out.append(_STAND_INS[ch])
        elif unicodedata.category(ch) == "Cc":
            continue
        elif ord(ch) in covered and unicodedata.category(ch) != "Cs":
            out.append(ch)
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out.append(base if base and base != ch and all(ord(c) in covered for c in base) else "?")
    return "".join(out)


_ACCENT = (11, 79, 138)
_INK = (26, 26, 26)
_MUTED = (90, 90, 90)
_RULE = (208, 215, 222)
_BAND = (243, 246, 249)
_MARGIN = 18.0


class _BriefingPDF(FPDF):
    """A4 pages in DejaVu Sans with a running header and page numbers; every text passes through ``pdf_text``."""

    def __init__(self, briefing: Briefing) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.briefing = briefing
        for style, path in font_files().items():
            self.add_font(FONT_FAMILY, style, str(path))
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(True, margin=16)
        self.alias_nb_pages()
        self.set_title(briefing.title)
        self.set_subject(f"Devolution-spectrum briefing: {briefing.area}")
        self.set_author("Devolution-spectrum explorer")
        self.set_creation_date(dt.datetime.combine(briefing.generated, dt.time(), tzinfo=dt.UTC))

    def normalize_text(self, text: str) -> str:  # noqa: D102 - fpdf2 hook: make any text encodable
        return super().normalize_text(pdf_text(text))

    def header(self) -> None:  # noqa: D102 - fpdf2 hook
        if self.page_no() == 1:
            return
        self.set_font(FONT_FAMILY, "", 8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, f"{self.briefing.title} · {self.briefing.area}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*_RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(5)
        self.set_text_color(*_INK)

    def footer(self) -> None:  # noqa: D102 - fpdf2 hook
        self.set_y(-12)
        self.set_font(FONT_FAMILY, "", 8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, f"Devolution-spectrum explorer · briefing generated {self.briefing.date_text}")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*_INK)

    # --------------------------------------------------------------------------------------- helpers
    @property
    def content_width(self) -> float:
        """Width between the margins, mm."""
        return self.w - self.l_margin - self.r_margin

    def room(self) -> float:
        """Height left on the page above the automatic page break, mm."""
        return self.page_break_trigger - self.get_y()

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` mm fit on this one."""
        if self.room() < height:
            self.add_page()

    def text_block(self, text: str, size: float = 10, style: str = "", colour: tuple = _INK,
                   line: float = 5.0, after: float = 2.5) -> None:
        """A wrapped paragraph across the content width."""
        self.set_font(FONT_FAMILY, style, size)
        self.set_text_color(*colour)
        self.multi_cell(self.content_width, line, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*_INK)
        self.ln(after)

    def section_title(self, text: str) -> None:
        """A section heading with a rule, kept with what follows it."""
        self.need(45)
        self.ln(3)
        self.set_font(FONT_FAMILY, "B", 14)
        self.set_text_color(*_ACCENT)
        self.multi_cell(self.content_width, 7, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*_RULE)
        self.line(self.l_margin, self.get_y() + 0.5, self.w - self.r_margin, self.get_y() + 0.5)
        self.ln(3.5)
        self.set_text_color(*_INK)

    def subheading(self, text: str) -> None:
        """A heading within a section, kept with what follows it."""
        self.need(30)
        self.ln(1.5)
        self.text_block(text, size=11, style="B", line=5.5, after=1.0)

    def bullets(self, items: tuple[str, ...]) -> None:
        """A bulleted list."""
        self.set_font(FONT_FAMILY, "", 10)
        for item in items:
            self.need(10)
            self.set_x(self.l_margin + 2)
            self.cell(5, 5, "\u2022")
            self.multi_cell(self.content_width - 7, 5, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(1)
        self.ln(1.5)

    def table_block(self, block: Table) -> None:
        """A table with a shaded heading row, repeated on each page it spans."""
        numeric = block.numeric or (False,) * len(block.columns)
        widths = block.widths or (1.0,) * len(block.columns)
        # Keep a short table on one page (a rough height: wrapped rows are taller); long ones may split.
        self.need((len(block.rows) + 1) * 8.0 if len(block.rows) <= 12 else 25)
        self.set_font(FONT_FAMILY, "", 9)
        self.set_draw_color(*_RULE)
        headings = FontFace(emphasis="BOLD", color=_INK, fill_color=_BAND)
        narrow = len(block.columns) == 2  # a list of settings reads better at part width
        with self.table(col_widths=widths, width=self.content_width * (0.7 if narrow else 1.0), align="LEFT",
                        line_height=4.6, padding=(1.4, 1.8),
                        borders_layout="HORIZONTAL_LINES", headings_style=headings, repeat_headings=1,
                        text_align=tuple("RIGHT" if n else "LEFT" for n in numeric)) as table:
            for row in (block.columns, *block.rows):
                cells = table.row()
                for text in row:
                    cells.cell(text)
        self.ln(3)

    def figure_size(self, block: Figure) -> tuple[float, float]:
        """Width and height of a chart on the page, mm (text as on screen; within the width; at most half a page)."""
        width = min(self.content_width, block.width * 0.24)
        height = width * block.height / block.width
        max_height = (self.h - self.t_margin - 16) * 0.5
        if height > max_height:
            width, height = width * max_height / height, max_height
        return width, height

    def estimate(self, block: Block) -> float:
        """Roughly how much height a block needs on the page it starts on, mm (for keeping things together)."""
        if isinstance(block, Table):
            return (len(block.rows) + 1) * 8.0 if len(block.rows) <= 12 else 25.0
        if isinstance(block, Figure):
            return self.figure_size(block)[1] + 16
        return 12.0 if isinstance(block, Subheading | Bullets) else 15.0

    def figure(self, block: Figure) -> None:
        """A chart with its heading and caption."""
        width, height = self.figure_size(block)
        self.need(height + 16)
        self.subheading(block.title)
        self.image(io.BytesIO(block.png), x=self.l_margin + (self.content_width - width) / 2, w=width, h=height)
        self.ln(1.5)
        if block.caption:
            self.text_block(block.caption, size=8.5, colour=_MUTED, line=4.2, after=3)


def briefing_pdf(b: Briefing) -> bytes:
    """The briefing as a multi-page A4 PDF with the same content as the HTML, in an embedded Unicode font.

    Raises:
        FontMissing: DejaVu Sans is not installed (Debian's fonts-dejavu-core).
    """
    pdf = _BriefingPDF(b)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "", 9)
    pdf.set_text_color(*_ACCENT)
    pdf.cell(0, 5, "DEVOLUTION-SPECTRUM EXPLORER · BRIEFING", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.text_block(b.title, size=22, style="B", line=9.5, after=1)
    pdf.text_block(b.area, size=13, line=6.5, after=1)
    pdf.text_block(f"Generated {b.date_text} · {b.horizon_years}-year projection", size=9.5, colour=_MUTED,
                   line=5, after=0.5)
    pdf.ln(7)
    pdf.set_draw_color(*_ACCENT)
    pdf.set_line_width(1.0)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(4)
    for section in b.sections:
        # Keep a heading with what follows it (and a section title with its first subheading's block too).
        first_is_heading = bool(section.blocks) and isinstance(section.blocks[0], Subheading)
        lead = section.blocks[:2] if first_is_heading else section.blocks[:1]
        pdf.need(14 + sum(pdf.estimate(x) for x in lead))
        pdf.section_title(section.title)
        for i, block in enumerate(section.blocks):
            following = section.blocks[i + 1] if i + 1 < len(section.blocks) else None
            if isinstance(block, Subheading) and following is not None:
                pdf.need(12 + pdf.estimate(following))
            if isinstance(block, Paragraph):
                pdf.text_block(block.text, size=8.5 if block.note else 10, colour=_MUTED if block.note else _INK)
            elif isinstance(block, Subheading):
                pdf.subheading(block.text)
            elif isinstance(block, Bullets):
                pdf.bullets(block.items)
            elif isinstance(block, Table):
                pdf.table_block(block)
            elif isinstance(block, Figure):
                pdf.figure(block)
    if b.share_link.strip():
        pdf.section_title("Reopen this view")
        pdf.text_block("The share link reopens this exact view in the explorer:", after=0)
        pdf.set_text_color(*_ACCENT)
        pdf.set_font(FONT_FAMILY, "U", 10)
        pdf.write(5, b.share_link_text, link=b.share_link if safe_link(b.share_link) else "")
        pdf.set_text_color(*_INK)
        pdf.ln(6)
        pdf.text_block(SHARE_LINK_NOTE, size=9, colour=_MUTED, line=4.5)
    pdf.section_title("Sources")
    for source in b.sources:
        pdf.text_block(source, size=9, colour=_MUTED, line=4.5, after=1.5)
    return bytes(pdf.output())

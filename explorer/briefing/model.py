"""What a briefing says, as plain data: paragraphs, tables and charts in sections, ready for any writer.

Every piece of text is plain (unescaped) text; the writers (``explorer.briefing.html_writer`` and
``explorer.briefing.pdf_writer``) only lay the pieces out, so the HTML and the PDF always say the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from cjcore.schema import Scenario

SOURCES: tuple[str, ...] = (
    "Crest Advisory (2018), Driving criminal justice devolution: lessons for PCCs and Mayors.",
    "Crest Advisory (2023), Devolving justice in practice.",
    "The explorer's evidence register (cjcore/data/evidence.yaml): every parameter's value, range, source and "
    "status; the model's equations are set out in docs/model.md.",
)

#: Said beside the share link wherever the briefing prints it: a link to a local server opens nowhere else.
SHARE_LINK_NOTE = "It opens only where the explorer runs (on the machine or network that served this briefing)."
#: How many characters of a share link that is not a web address are printed.
SHARE_LINK_SHOWN = 48


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str
    note: bool = False  # shown smaller and grey


@dataclass(frozen=True)
class Subheading:
    """A heading within a section."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A list of plain-text items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of formatted text; ``numeric`` marks the columns aligned right; ``widths`` are relative."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A chart rendered to PNG, with its size in CSS pixels (the PNG holds ``CHART_SCALE`` times as many)."""

    title: str
    png: bytes
    width: int
    height: int
    caption: str = ""


Block = Paragraph | Subheading | Bullets | Table | Figure


@dataclass(frozen=True)
class Section:
    """A titled part of the briefing: its blocks in reading order."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Briefing:
    """Everything a briefing says, ready to render as HTML or PDF (all text is plain, unescaped)."""

    title: str
    area: str
    generated: dt.date
    share_link: str
    horizon_years: int
    sections: tuple[Section, ...]
    sources: tuple[str, ...] = SOURCES

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every chart, in reading order."""
        return tuple(b for s in self.sections for b in s.blocks if isinstance(b, Figure))

    @property
    def charts(self) -> tuple[bytes, ...]:
        """The PNG bytes of every chart, in reading order."""
        return tuple(f.png for f in self.figures)

    @property
    def share_link_text(self) -> str:
        """The share link as printed: its address and page, shortened (the full link is what a click opens)."""
        return short_link(self.share_link)

    @property
    def date_text(self) -> str:
        """The date generated, e.g. '3 March 2026'."""
        return _date_text(self.generated)


def _date_text(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def briefing_filename(scenario: Scenario, generated: dt.date, extension: str) -> str:
    """A safe download name, ``briefing-<scenario name>-<YYYY-MM-DD>.<extension>``."""
    ascii_name = unicodedata.normalize("NFKD", scenario.name).encode("ascii", "ignore").decode("ascii").lower()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].rstrip("-") or "scenario"
    return f"briefing-{stem}-{generated.isoformat()}.{extension}"



def safe_link(link: str) -> bool:
    """Only web links become clickable (never javascript: or data: links)."""
    return bool(re.match(r"^https?://", link.strip(), flags=re.IGNORECASE))


def short_link(link: str, shown: int = SHARE_LINK_SHOWN) -> str:
    """A link as printed: address and page, then '?…' for the scenario it carries (not for reading).

    Text that is not a web address is cut to ``shown`` characters instead.
    """
    link = link.strip()
    parts = urlsplit(link)
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}{parts.path}" + ("?…" if parts.query else "")
    return link if len(link) <= shown else link[:shown] + "…"

"""Read the app's headline cards (`explorer.cardgrid`) back from an AppTest run, as a reader sees them."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import NamedTuple

from streamlit.testing.v1 import AppTest

from explorer.cardgrid import ARROWS
from explorer.theme import CARD_CLASS, CARD_COLUMNS

C = CARD_CLASS
#: The only markup the cards may hold: each tag with the attribute values it may carry (`None`: any text, checked
#: as text). A tag or attribute outside this counts as raw HTML.
ALLOWED_CLASSES = {f"{C}-groups", f"{C}-grid", C, f"{C}-label", f"{C}-name", f"{C}-help", f"{C}-tip",
                   f"{C}-tip {C}-tip-right", f"{C}-value", *(f"{C}-grid {C}-cols{n}" for n in CARD_COLUMNS),
                   *(f"{C}-delta {C}-{colour}" for colour in ("green", "red", "gray"))}
OPENING = f'<div class="{C}-groups">'


class Card(NamedTuple):
    """One card as shown: its label, figure, change ('' for none, without the arrow), colour, arrow and help."""

    label: str
    value: str
    delta: str
    colour: str
    arrow: str
    help: str


class _Cards(HTMLParser):
    """The cards, row group by row group; markup outside the allowed set is recorded in `unexpected`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.groups: list[list[dict[str, str]]] = []
        self.columns: list[int] = []
        self.unexpected: list[str] = []
        self._part: str | None = None
        self._stack: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        css = names.get("class") or ""
        allowed = {"div": {"class"}, "span": {"class", "tabindex", "aria-label", "role"}}.get(tag)
        if allowed is None or not set(names) <= allowed or css not in ALLOWED_CLASSES:
            self.unexpected.append(self.get_starttag_text() or tag)
        if f"{C}-cols" in css:
            self.groups.append([])
            self.columns.append(int(css.rsplit("cols", 1)[1]))
        elif css == C and self.groups:
            self.groups[-1].append({"label": "", "value": "", "delta": "", "colour": "", "help": ""})
        part = {f"{C}-name": "label", f"{C}-value": "value", f"{C}-tip": "help", f"{C}-tip {C}-tip-right": "help"}
        self._stack.append(self._part)
        if css in part:
            self._part = part[css]
        elif css.startswith(f"{C}-delta "):
            self._part = "delta"
            self.groups[-1][-1]["colour"] = css.rsplit("-", 1)[1]
        elif css == f"{C}-help":
            self._part = "icon"

    def handle_endtag(self, tag: str) -> None:
        self._part = self._stack.pop() if self._stack else None

    def handle_data(self, data: str) -> None:
        if self._part in ("label", "value", "delta", "help"):
            self.groups[-1][-1][self._part] += data
        elif self._part == "icon":
            if data != "?":
                self.unexpected.append(data)
        elif data.strip():
            self.unexpected.append(data)


def parse(body: str) -> _Cards:
    cards = _Cards()
    cards.feed(body)
    cards.close()
    return cards


def is_card_grid(body: str) -> bool:
    """True when an st.html body is the app's headline cards and holds no other markup."""
    return body.startswith(OPENING) and not parse(body).unexpected


def _card(fields: dict[str, str]) -> Card:
    delta, arrow = fields["delta"], ""
    for mark in filter(None, ARROWS.values()):
        if delta.startswith(mark + " "):
            delta, arrow = delta[len(mark) + 1:], mark
    return Card(fields["label"], fields["value"], delta, fields["colour"], arrow, fields["help"])


def card_groups(body: str) -> list[list[Card]]:
    """The cards of one card grid, by group (each group starts a new row)."""
    parsed = parse(body)
    assert not parsed.unexpected, parsed.unexpected
    return [[_card(fields) for fields in group] for group in parsed.groups]


def cards(at: AppTest) -> list[Card]:
    """Every headline card on screen after the last run, in order."""
    return [card for h in at.get("html") if h.proto.body.startswith(OPENING)
            for group in card_groups(h.proto.body) for card in group]

"""The headline cards as one HTML element: label, figure, change and an explanation on hover or focus.

Streamlit's own card (`st.metric`) is a dozen React components; fifteen of them cost Projections ~0.15 s of
Chromium's CPU every time it opened, more than the rest of the page's text, where one `st.html` element holding them
all cost too little to tell apart from none (docs/decisions.md, "Headline cards"). Every text is escaped as HTML;
the look is set once in `explorer.theme` (`CARD_CLASS` and the rules beside it).
"""

from __future__ import annotations

import html

from explorer import format as fmt
from explorer.cards import Card, Cards
from explorer.theme import CARD_CLASS

#: The arrow drawn before a change, by `fmt.delta_arrow`'s direction (so it never disagrees with the sign).
ARROWS = {"down": "↓", "up": "↑", "off": ""}


def card_html(card: Card, right: bool) -> str:
    """One card. `right`: its explanation opens leftwards (a card in the right half of its row)."""
    label, value, delta, colour, help_text = card
    text = html.escape(label)
    parts = [f'<div class="{CARD_CLASS}-label"><span class="{CARD_CLASS}-name">{text}</span>']
    if help_text:
        side = f" {CARD_CLASS}-tip-right" if right else ""
        parts.append(f'<span class="{CARD_CLASS}-help" tabindex="0" aria-label="About {text}">?'
                     f'<span class="{CARD_CLASS}-tip{side}" role="tooltip">{html.escape(help_text)}</span></span>')
    parts.append(f'</div><div class="{CARD_CLASS}-value">{html.escape(value)}</div>')
    if delta:
        arrow = ARROWS[fmt.delta_arrow(delta)]
        parts.append(f'<div class="{CARD_CLASS}-delta {CARD_CLASS}-{html.escape(colour)}">'
                     f'{arrow + " " if arrow else ""}{html.escape(delta)}</div>')
    return f'<div class="{CARD_CLASS}">{"".join(parts)}</div>'


def cards_html(cards: Cards, columns: int) -> str:
    """Every group of cards as a grid of `columns` columns, each group starting a new row."""
    rows = []
    for group in cards.groups:
        items = "".join(card_html(card, right=(i % columns) >= columns / 2) for i, card in enumerate(group))
        rows.append(f'<div class="{CARD_CLASS}-grid {CARD_CLASS}-cols{columns}">{items}</div>')
    return f'<div class="{CARD_CLASS}-groups">{"".join(rows)}</div>'

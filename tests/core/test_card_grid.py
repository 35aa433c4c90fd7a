"""The headline cards show every text as given, never as markup, with an arrow and colour that match the change."""

from hypothesis import given
from hypothesis import strategies as st

from explorer import format as fmt
from explorer.cardgrid import cards_html
from explorer.cards import Cards
from explorer.theme import CARD_CLASS, CARD_COLUMNS
from tests.cards import card_groups, is_card_grid, parse

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
CHANGE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
CARD = st.tuples(TEXT.filter(str.strip), TEXT, st.one_of(st.none(), CHANGE), st.sampled_from(["normal", "inverse"]),
                 TEXT)


def _card(label: str, value: str, change: float | None, way: str, help_text: str):
    """A card as `explorer.cards` makes one: the change written by `fmt.signed`, coloured by `fmt.delta_colour`."""
    if change is None:
        return label, value, None, "off", help_text
    return label, value, fmt.signed(change), fmt.delta_colour(change, 0, way), help_text


@given(st.lists(st.lists(CARD, min_size=1, max_size=6), min_size=1, max_size=4), st.sampled_from(CARD_COLUMNS))
def test_any_text_comes_back_as_given_with_the_change_it_was_given(groups, columns):
    cards = Cards(tuple(tuple(_card(*c) for c in group) for group in groups), "")
    body = cards_html(cards, columns)
    assert is_card_grid(body), parse(body).unexpected
    shown = card_groups(body)
    assert [len(g) for g in shown] == [len(g) for g in cards.groups]
    assert parse(body).columns == [columns] * len(groups)
    for group, shown_group in zip(cards.groups, shown, strict=True):
        for (label, value, delta, colour, help_text), card in zip(group, shown_group, strict=True):
            assert (card.label, card.value, card.help) == (label, value, help_text)
            assert card.delta == (delta or "")
            assert card.colour == (colour if delta else "")
            assert card.arrow == {"down": "↓", "up": "↑", "off": ""}[fmt.delta_arrow(delta)]


def test_a_fall_points_down_a_rise_up_and_no_change_has_no_arrow():
    cards = Cards(((_card("Reoffences", "115,085", -837, "inverse", "help"),
                    _card("Arrests", "44,843", 12, "inverse", "help"),
                    _card("Court cases", "83,279", 0.2, "inverse", "help")),), "")
    fall, rise, none = card_groups(cards_html(cards, 3))[0]
    assert (fall.delta, fall.arrow, fall.colour) == (f"{fmt.MINUS}837", "↓", "green")
    assert (rise.delta, rise.arrow, rise.colour) == ("+12", "↑", "red")
    assert (none.delta, none.arrow, none.colour) == (fmt.NO_CHANGE, "", "gray")


def test_markup_in_a_card_is_text():
    attack = '<img src=x onerror="alert(1)">'
    body = cards_html(Cards((((attack, "[a](https://example.org)", None, "off", "A & B <b>"),),), ""), 2)
    assert is_card_grid(body) and "<img" not in body and "<b>" not in body
    card = card_groups(body)[0][0]
    assert (card.label, card.value, card.help) == (attack, "[a](https://example.org)", "A & B <b>")


def test_explanations_open_leftwards_from_the_right_half_of_a_row():
    """So that a card's explanation never runs off the right of the page."""
    card = ("Label", "1", None, "off", "Why")
    body = cards_html(Cards(((card,) * 6,), ""), 4)
    sides = [tip.endswith(f"{CARD_CLASS}-tip-right") for tip in body.split('" role="tooltip"')[:-1]]
    assert sides == [False, False, True, True, False, False]


def test_a_card_without_an_explanation_has_no_help_mark():
    body = cards_html(Cards(((("Label", "1", None, "off", ""),),), ""), 1)
    assert is_card_grid(body) and f"{CARD_CLASS}-help" not in body


def test_cards_with_other_markup_are_not_taken_for_the_cards():
    body = cards_html(Cards(((("Label", "1", None, "off", "Why"),),), ""), 1)
    assert not is_card_grid(body.replace("Why", '<a href="https://example.org">Why</a>'))
    assert not is_card_grid(body.replace(f'class="{CARD_CLASS}"', f'class="{CARD_CLASS}" onclick="x()"'))

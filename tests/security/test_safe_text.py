"""``explorer.safe_text``: any text becomes markdown that shows exactly that text and makes no link or image."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from cjcore.text import one_line, visible
from explorer.safe_text import code, echo, md, md_block, md_lines
from tests.security import hostile
from tests.security.oracle import live_constructs, shown_text

# Text rich in the characters markdown cares about, plus anything else.
MARKDOWNY = st.text(alphabet=st.sampled_from(list("[]()!<>`*_#-+.:/@\\|~$&=\"' \nhtpswwwx.ample")), max_size=80)
ANY_TEXT = st.one_of(MARKDOWNY, st.text(max_size=80))


@given(ANY_TEXT)
@example(hostile.NAME)
@example(hostile.TEXT)
@example(hostile.FAKE_NOTICE)
@example("http://evil.example www.evil.example a@evil.example <a@b.example> mailto:a@evil.example")
@example("[x]: http://evil.example\n[y][x]")
def test_md_shows_the_text_literally_and_makes_no_link(text: str) -> None:
    shown = md(text)
    assert live_constructs(shown) == []
    assert "\n" not in shown
    assert shown_text(shown) == one_line(text)


@given(ANY_TEXT)
@example(hostile.TEXT)
def test_md_block_keeps_paragraphs_and_makes_no_link(text: str) -> None:
    shown = md_block(text)
    assert live_constructs(shown) == []
    words = shown_text(shown).split()
    assert words == visible(text, keep_newlines=True).split()


@given(ANY_TEXT, st.integers(min_value=1, max_value=70))
def test_echo_and_md_shorten_with_an_ellipsis(text: str, limit: int) -> None:
    shown = shown_text(md(text, limit))
    assert len(shown) <= limit
    if len(one_line(text)) > limit:
        assert shown.endswith("…")
    assert live_constructs(echo(text, limit)) == []


@given(ANY_TEXT)
def test_a_code_span_shows_the_text_and_makes_no_link(text: str) -> None:
    assert live_constructs(code(text)) == []


def test_md_lines_is_a_list_of_literal_lines() -> None:
    out = md_lines([hostile.IMAGE, hostile.LINK])
    assert out.startswith("- ") and out.count("\n- ") == 1
    assert live_constructs(out) == []


def test_control_characters_are_written_out() -> None:
    assert shown_text(md("a\x1b[2Jb\u202ec")) == "a\\x1b[2Jb\\u202ec"


def test_the_oracle_finds_what_it_should() -> None:
    """The checker the view tests rely on: each construct found, escaped forms and code spans not."""
    for text in (hostile.IMAGE, hostile.LINK, hostile.AUTOLINK, hostile.HTML_IMAGE, "www.evil.example",
                 "http://evil.example", "a@evil.example", "[r]: http://x", "[a][r]", "<a@b.example>",
                 r"http\://evil.example"):  # an escape does not stop the renderer's bare-address links
        assert live_constructs(text), text
    for text in (r"\!\[x\]\(y\)", "`![x](http://evil.example)`", r"\<img src=x\>", "plain words",
                 "http:\u2060//evil.example", "a@\u2060evil.example", "www\u2060.evil.example"):
        assert live_constructs(text) == [], text

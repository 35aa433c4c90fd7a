"""Sign-in through AppTest: off by default, a Sign in button when configured, the person's name once signed in.

AppTest seeds `st.user` from `at.user` and `st.secrets` from `at.secrets`; the real flow against a real
OpenID Connect provider is proven in tests/e2e/test_signin.py.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from explorer.account import NOT_SIGNED_IN, md_text

#: An `[auth]` section as an operator writes it (values are placeholders: AppTest never contacts a provider).
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret-only-for-apptest",
    "client_id": "explorer",
    "client_secret": "placeholder",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ALICE = {"is_logged_in": True, "sub": "alice-0001", "email": "alice@example.org", "name": "Alice Archer"}


def sidebar_text(at: AppTest) -> str:
    return "\n".join(str(getattr(element, "value", "")) for element in [*at.sidebar.markdown, *at.sidebar.caption])


def sidebar_buttons(at: AppTest) -> list[str]:
    return [button.label for button in at.sidebar.button]


def with_sign_in(at: AppTest, user: dict | None = None) -> AppTest:
    at.secrets["auth"] = dict(AUTH)
    if user is not None:
        at.user = dict(user)
    return at


def test_without_an_auth_section_there_is_no_sign_in(make_app):
    at = make_app()
    at.user = dict(ALICE)  # even a signed-in cookie means nothing while sign-in is off
    at.run()
    assert not at.exception
    assert "Sign in" not in sidebar_buttons(at)
    assert "Sign out" not in sidebar_buttons(at)
    assert "Signed in" not in sidebar_text(at)
    assert NOT_SIGNED_IN not in sidebar_text(at)


def test_configured_but_signed_out_offers_sign_in_and_says_what_works_without(make_app):
    at = with_sign_in(make_app(), {"is_logged_in": False}).run()
    assert not at.exception
    assert "Sign in" in sidebar_buttons(at)
    assert "Sign out" not in sidebar_buttons(at)
    assert NOT_SIGNED_IN in sidebar_text(at)


def test_signed_in_shows_the_name_and_sign_out(make_app):
    at = with_sign_in(make_app(), ALICE).run()
    assert not at.exception
    assert "Signed in as **Alice Archer**" in sidebar_text(at)
    assert "Sign out" in sidebar_buttons(at)
    assert "Sign in" not in sidebar_buttons(at)


def test_sign_out_returns_to_the_signed_out_block(make_app):
    at = with_sign_in(make_app(), ALICE).run()
    next(button for button in at.sidebar.button if button.label == "Sign out").click().run()
    assert not at.exception
    assert at.user.get("is_logged_in") is False
    assert "Sign in" in sidebar_buttons(at)
    assert "Signed in" not in sidebar_text(at)


def test_a_name_from_the_provider_is_shown_literally(make_app):
    name = "[Alice](https://example.org/x) **bold** <b>"
    at = with_sign_in(make_app(), {**ALICE, "name": name}).run()
    assert f"Signed in as **{md_text(name)}**" in sidebar_text(at)
    assert f"**{name}**" not in sidebar_text(at), "the raw name would format as a link"


def test_md_text_escapes_every_markdown_control_character():
    assert md_text("a_b*c[d](e)#f") == r"a\_b\*c\[d\]\(e\)\#f"
    assert md_text("Plain Name") == "Plain Name"


def test_an_incomplete_auth_section_says_what_is_missing_and_offers_no_sign_in(make_app):
    at = make_app()
    at.secrets["auth"] = {key: value for key, value in AUTH.items() if key != "client_secret"}
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    warning = "\n".join(str(w.value) for w in at.sidebar.warning)
    assert "missing in `[auth]`: client_secret" in warning
    assert AUTH["cookie_secret"] not in warning
    assert "Sign in" not in sidebar_buttons(at), "a button that can only fail is not offered"


def test_signed_out_pages_remember_the_view_and_signed_in_pages_do_not(make_app):
    from explorer.resume import RETURN_KEY

    signed_out = with_sign_in(make_app(), {"is_logged_in": False}).run()
    assert any(RETURN_KEY in str(element.proto.body) and "pagehide" in str(element.proto.body)
               for element in signed_out.get("html"))
    signed_in = with_sign_in(make_app(), ALICE).run()
    assert not any("pagehide" in str(element.proto.body) for element in signed_in.get("html"))
    off = make_app().run()
    assert not any(RETURN_KEY in str(element.proto.body) for element in off.get("html"))

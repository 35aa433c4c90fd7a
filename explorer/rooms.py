"""Workshop rooms in the sidebar: open one (a short code and a join link), join by code or link, choose where saves go.

A room is the store's: everyone who joined it sees, and may save new versions of, the scenarios placed in it.
Shown only to a signed-in person. A join link is `/?room=CODE`; joining is always a click (a link alone never
puts anyone in a room, so nobody can be tricked into saving their work where a stranger reads it). A visitor
who opens a join link before signing in keeps the invitation in a short-lived cookie, because signing in
returns to the start page without the link's parameters.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import streamlit as st

from cjcore.store import NotAllowed, NotFound, ReadOnly, Room, ScenarioInfo, Viewer
from explorer import account, auth, storage

#: The link parameter and cookie that carry a room code to someone who has not joined yet.
ROOM_PARAM = "room"
INVITE_COOKIE = "cj_room_invite"
#: How long an invitation waits in the cookie for its visitor to sign in, in seconds.
INVITE_COOKIE_SECONDS = 30 * 60
#: What a room code may look like (the store draws 8 from an unambiguous upper-case alphabet).
_CODE = re.compile(r"^[A-Z0-9]{4,16}$")

_INVITE = "cj_room_invite"
_ACTIVE = "cj_room"
#: What the last room action said: shown under the invitation when it came from there, else above the rooms box.
_MESSAGE = "cj_room_message"
_INVITE_MESSAGE = "cj_room_invite_message"
#: The "Workshop rooms" box's key: its open state is kept in the session so that joining or opening a room folds it.
_BOX = "cj_rooms_box"
_CAPTURED = "cj_room_captured"
_FORGET_COOKIE = "cj_room_forget_cookie"
PRIVATE = "Only me"


def clean_code(text: str | None) -> str | None:
    """A room code as typed or linked, upper-cased and trimmed; None when it cannot be one."""
    code = re.sub(r"[\s-]", "", str(text or "")).upper()
    return code if _CODE.match(code) else None


def join_link(code: str) -> str:
    """The link that invites someone to the room (absolute when the browser's address is known)."""
    try:
        parts = urlsplit(st.context.url or "")
        base = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    except Exception:  # no browser context (AppTest): a relative link still works
        base = ""
    return f"{base}/?{ROOM_PARAM}={code}"


def _set_cookie(value: str, seconds: int) -> None:
    """Set (or, with 0 seconds, delete) the invitation cookie in the browser. `value` is a checked room code."""
    st.html(f"<script>document.cookie = '{INVITE_COOKIE}={value}; path=/; max-age={seconds}; samesite=lax';"
            "</script>", unsafe_allow_javascript=True, width="content")


def capture_invite() -> str | None:
    """The room this session was invited to: from the link on the session's first run, else from the cookie.

    Call on every run before the URL is rewritten (the sidebar runs before `state.sync_url`).
    """
    if not st.session_state.get(_CAPTURED):
        st.session_state[_CAPTURED] = True
        code = clean_code(st.query_params.get(ROOM_PARAM)) or clean_code(st.context.cookies.get(INVITE_COOKIE))
        if code:
            st.session_state[_INVITE] = code
    return st.session_state.get(_INVITE)


def _forget_invite() -> None:
    st.session_state.pop(_INVITE, None)
    st.session_state[_FORGET_COOKIE] = True


def active_room(viewer: Viewer) -> Room | None:
    """The room new scenarios are saved into, if the person chose one they still belong to."""
    code = st.session_state.get(_ACTIVE)
    if not code or viewer.user is None:
        return None
    return next((room for room in storage.store().rooms(viewer) if room.code == code), None)


def _join(viewer: Viewer, code: str, message_key: str = _MESSAGE) -> None:
    try:
        room = storage.store().join_room(viewer, code)
    except NotFound:
        st.session_state[message_key] = ("error", f"No workshop room has the code {code}. "
                                                  "Check it with the person who opened the room.", None)
        return
    except ReadOnly as exc:
        st.session_state[message_key] = ("error", exc.reason, None)
        return
    _done_in_box(room.code)
    st.session_state[message_key] = ("success", f"You joined **{account.md_text(room.name)}**. Scenarios saved in "
                                                "it are shared with everyone in the room.", None)


def _done_in_box(code: str) -> None:
    """A room joined or opened: make it the room saves go to, and fold the box.

    The message just above the box has the code and link (under the invitation, after Join room); the open box
    would repeat them under it.
    """
    st.session_state[_ACTIVE] = code
    st.session_state[_BOX] = False


def _on_join_invite(viewer: Viewer, code: str) -> None:
    _forget_invite()
    _join(viewer, code, _INVITE_MESSAGE)


def _on_join_typed(viewer: Viewer, widget: str) -> None:
    code = clean_code(st.session_state.get(widget))
    if code is None:
        st.session_state[_MESSAGE] = ("error", "A room code is 8 letters and digits, e.g. K7QX2MPA.", None)
        return
    st.session_state[widget] = ""
    _join(viewer, code)


def _on_create(viewer: Viewer, widget: str) -> None:
    try:
        room = storage.store().create_room(viewer, st.session_state.get(widget) or "Workshop room")
    except ReadOnly as exc:
        st.session_state[_MESSAGE] = ("error", exc.reason, None)
        return
    st.session_state[widget] = ""
    _done_in_box(room.code)
    st.session_state[_MESSAGE] = ("success", f"Room **{account.md_text(room.name)}** is open. Give the room its "
                                             f"code **{room.code}** or this join link:", room.code)


def _on_target(widget: str) -> None:
    st.session_state[_ACTIVE] = st.session_state[widget] or None


def draw_signed_out_invite() -> None:
    """Tell a visitor who has not signed in that their invitation waits for them (kept across signing in)."""
    code = capture_invite()
    if code is None:
        return
    _set_cookie(code, INVITE_COOKIE_SECONDS)
    st.info(f"You are invited to workshop room **{code}**. Sign in first; you can join it straight after.")


def _show_message(key: str) -> None:
    if message := st.session_state.pop(key, None):
        kind, text, link_code = message
        (st.success if kind == "success" else st.error)(text)
        if link_code:
            st.code(join_link(link_code), language=None, wrap_lines=True)


def draw_invitation(viewer: Viewer) -> None:
    """A signed-in person's invitation to a room, with Join room / Not now (call at the top of the sidebar).

    At the top because it is what the person came for; the rooms block itself sits below the workshop controls.
    """
    invite = capture_invite()
    if st.session_state.pop(_FORGET_COOKIE, False):
        _set_cookie("", 0)
    if invite and any(room.code == invite for room in storage.store().rooms(viewer)):  # a member: nothing to ask
        _forget_invite()
        st.session_state[_ACTIVE] = invite
        invite = None
    if invite:
        st.info(f"You are invited to workshop room **{invite}**.")
        join, later = st.columns(2)
        join.button("Join room", key="cj_room_join_invite", type="primary", width="stretch",
                    on_click=_on_join_invite, args=(viewer, invite))
        later.button("Not now", key="cj_room_dismiss", width="stretch", on_click=_forget_invite)
    _show_message(_INVITE_MESSAGE)


def draw(viewer: Viewer) -> None:
    """The rooms block for a signed-in person: where saves go, and the box to open or join a room.

    Drawn below the workshop controls: it is used once at a workshop's start, and even folded it would push
    Scenario, Area and Presenter mode off a laptop's first screen.
    """
    _show_message(_MESSAGE)
    rooms = storage.store().rooms(viewer)
    options = {"": PRIVATE, **{room.code: f"Room: {room.name} ({room.code})" for room in rooms}}
    active = st.session_state.get(_ACTIVE) or ""
    if active not in options:
        active = ""
    if rooms:
        key = "cj_room_target"
        st.session_state[key] = active
        st.selectbox("Save new scenarios for", list(options), format_func=options.get, key=key,
                     on_change=_on_target, args=(key,),
                     help="Only me: a scenario you save is private. A room: everyone who joined the room sees it.")
    # Folded until opened, and again once a room is joined or opened (the message above it has the code and link).
    # Tracking its state costs a run when it is opened or folded; that is what lets the app fold it.
    with st.expander("Workshop rooms", key=_BOX, on_change="rerun"):
        if active:
            room = next(room for room in rooms if room.code == active)
            st.markdown(f"**{account.md_text(room.name)}** — code **{room.code}**. Join link:")
            st.code(join_link(room.code), language=None, wrap_lines=True)
        typed = "cj_room_code"
        st.text_input("Room code", key=typed, placeholder="e.g. K7QX2MPA", max_chars=16)
        st.button("Join", key="cj_room_join", width="stretch", on_click=_on_join_typed, args=(viewer, typed))
        name = "cj_room_name"
        st.text_input("New room's name", key=name, placeholder="e.g. Greater Manchester workshop", max_chars=200)
        st.button("Open a room", key="cj_room_create", width="stretch", on_click=_on_create, args=(viewer, name),
                  help="You get a short code and a join link for the room; scenarios saved in it are shared.")


def save_room() -> str | None:
    """The room a new scenario is saved into (its code), or None: private, or sign-in off."""
    viewer = auth.current_viewer()
    room = active_room(viewer) if auth.person() is not None else None
    return room.code if room else None


def save_note() -> str | None:
    """Where "Save as new scenario" puts it, for a signed-in person (None otherwise). Plain text: escape it."""
    if auth.person() is None:
        return None
    room = active_room(auth.current_viewer())
    if room is None:
        return "Saved for you only (private). To share it, choose a workshop room in the sidebar first."
    return f"Saved into workshop room {room.name} ({room.code}): everyone in the room sees it."


def sharing(info: ScenarioInfo) -> str | None:
    """Who sees a saved scenario, for its library entry (None with sign-in off). Plain text: escape it."""
    viewer = auth.current_viewer()
    if auth.person() is None:
        return None
    if info.room is None:
        return "Only you" if info.owner == viewer.user else None
    names = {room.code: room.name for room in storage.store().rooms(viewer)}
    return f"Room {names.get(info.room, info.room)} ({info.room})"


def _on_move(scenario_id: str, widget: str) -> None:
    code = st.session_state[widget] or None
    try:
        storage.store().move_to_room(auth.current_viewer(), scenario_id, code)
    except (NotFound, NotAllowed, ReadOnly):
        st.session_state[_MESSAGE] = ("error", "That scenario could not be moved: it is no longer yours to "
                                               "move, or saving is off on this server.", None)


def move_control(info: ScenarioInfo) -> None:
    """For the owner of a saved scenario who belongs to a room: choose who sees it (only me, or a room)."""
    viewer = auth.current_viewer()
    if auth.person() is None or info.owner != viewer.user:
        return
    joined = storage.store().rooms(viewer)
    if not joined:
        return
    options = {"": PRIVATE, **{room.code: f"Room: {room.name} ({room.code})" for room in joined}}
    if info.room and info.room not in options:
        return  # in a room the owner has left: only they can see why; leave it as it is
    key = f"cj_move_{info.id}"
    st.session_state[key] = info.room or ""
    st.selectbox("Shared with", list(options), format_func=options.get, key=key, on_change=_on_move,
                 args=(info.id, key), help="Only me: private. A room: everyone who joined the room sees it.")

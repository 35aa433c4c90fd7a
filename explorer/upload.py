"""Uploading a scenario file: checked once per file, loaded once per upload, and confirmed on screen.

* A file is parsed once: the result (the scenario, or its problems) is kept in the session under the file's
  digest, so the reruns that happen while a file with problems sits in the uploader cost nothing.
* Each upload is loaded once, recognised by the uploader's file id (a new id for every upload, even of the same
  file), so uploading the same file again after editing the scenario loads it again — undoing the edits, which
  the confirmation says (Undo brings them back).
* A successful upload empties the uploader (its widget is redrawn with every control) and says which scenario
  is now on screen, here and in the sidebar: "Uploaded: <name> (from <file>)".

Every name shown comes from the file, so it is shown as literal text (explorer/safe_text.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from cjcore.scenario_io import ScenarioError, parse_scenario
from cjcore.schema import Scenario
from cjcore.text import one_line
from explorer import state
from explorer.safe_text import md, md_lines

T = TypeVar("T")
_PARSED = "cj_upload_parsed"  # digest -> Scenario or ScenarioError (the last few files only)
_APPLIED = "cj_upload_applied"  # file id of the upload already loaded
_NOTICE = "cj_upload_notice"  # the confirmation, shown on the rerun after loading
_KEEP = 4  # parsed files kept per session
#: Longest file name shown (a browser sends any name up to 255 characters).
NAME_CHARS = 60


def show_problems(error: ScenarioError, heading: str = "This scenario cannot be used yet:") -> None:
    """Every problem as a readable list of literal text, never a traceback."""
    st.error(f"{heading}\n\n{md_lines(error.problems)}")


def parsed(data: bytes, file_name: str, parse: Callable[[bytes, str], T] | None = None) -> T | Scenario | ScenarioError:
    """What ``parse`` makes of an uploaded file (a scenario by default), or its problems: once per content and name.

    The reruns that happen while a file sits in an uploader (every click on the page) then cost nothing.
    """
    parse = parse or parse_scenario
    key = f"{parse.__module__}.{parse.__qualname__}/{hashlib.sha256(data).hexdigest()}/{file_name}"
    cache: dict[str, object] = st.session_state.setdefault(_PARSED, {})
    if key not in cache:
        try:
            cache[key] = parse(data, one_line(file_name, NAME_CHARS))
        except ScenarioError as exc:
            cache[key] = exc
        while len(cache) > _KEEP:
            cache.pop(next(iter(cache)))
    return cache[key]  # type: ignore[return-value]


def uploaded_label(scenario: Scenario, file_name: str) -> str:
    """What the sidebar and the page say about an uploaded scenario (plain text; show it with ``md``)."""
    return f"Uploaded: {one_line(scenario.name, 120)} (from {one_line(file_name, NAME_CHARS)})"


def upload_section() -> None:
    """The uploader, its problems or the confirmation of the scenario it loaded."""
    upload = st.file_uploader("Upload a scenario file (.yaml, up to 1 MB)", type=["yaml", "yml"],
                              key=state.widget_key("upload"))
    if upload is not None:
        result = parsed(upload.getvalue(), upload.name)
        if isinstance(result, ScenarioError):
            show_problems(result)
        elif st.session_state.get(_APPLIED) != upload.file_id:
            st.session_state[_APPLIED] = upload.file_id
            label = uploaded_label(result, upload.name)
            again = state.uploaded() == label
            edited = state.scenario() != result  # changed since it was last uploaded
            state.load_upload(result, label)
            if again and edited:
                notice = (f"{label} — loaded again: the changes made since it was uploaded are replaced "
                          "(Undo brings them back).")
            elif again:
                notice = f"{label} — loaded again; it is the scenario on screen, unchanged."
            else:
                notice = f"{label}. It is the scenario on screen now; save it to keep it in your library."
            st.session_state[_NOTICE] = notice
            st.rerun()
    if notice := st.session_state.pop(_NOTICE, None):
        st.success(md(notice), icon=":material/task_alt:")

"""The workshop bench's websocket clients (bench/ws_load.py) still read what the app draws.

They speak Streamlit's protocol and read the headline cards, sliders and share link out of the messages, so a change
to how the app draws them can break the bench without any other test noticing (the cards moving from `st.metric`
to one HTML element did). Two participants for a few seconds against the test server: every change read back.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from bench.ws_load import REOFFENCES, workshop


def test_two_workshop_participants_read_their_own_headline_after_every_change(app_server: str) -> None:
    # In a thread of its own: Playwright's sync API keeps an event loop running in this one once a browser test ran.
    with ThreadPoolExecutor(1) as pool:
        report = pool.submit(lambda: asyncio.run(workshop(app_server, sessions=2, duration_s=6.0, think=(0.5, 1.0),
                                                          ramp_s=0.5))).result()
    assert not report.errors, report.errors
    assert not report.leaks, report.leaks
    assert report.interactions >= 2, "each participant moved a stage control"
    assert len(report.headline_s) >= report.interactions, f"a {REOFFENCES} card read back after every change"
    assert report.figures and not report.inconsistent(), report.figures

"""Regenerate docs/screenshots/: every view at 1366×768 (laptop) and at 1920×1080 with Presenter mode (projector).

    .venv/bin/python tools/screenshots.py            # all views, both sizes (about a minute)
    .venv/bin/python tools/screenshots.py --full     # whole pages instead of the first screen

Starts the app on a free port (its own empty user-scenario folder), opens each view from a share link in Debian's
Chromium, waits until every visible chart is drawn and the app is idle, and saves `<view>-<size>.png`. The first
screen is what a room sees: keep it that way, unless --full is asked for.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM_ARGS, CHROMIUM_PATHS, serve  # noqa: E402
from tests.e2e.helpers import open_app, wait_charts_painted, wait_idle  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
#: The views, by URL path, with the least number of charts each shows on its first screen once drawn.
VIEWS: dict[str, tuple[str, int]] = {
    "spectrum": ("", 1),
    "funding-governance": ("funding_governance", 0),
    "projections": ("projections", 1),
    "compare": ("compare", 0),
    "scenarios": ("scenarios", 0),
    "evidence": ("evidence", 0),
}
SIZES: dict[str, tuple[dict[str, int], bool]] = {
    "laptop-1366x768": ({"width": 1366, "height": 768}, False),
    "projector-1920x1080": ({"width": 1920, "height": 1080}, True),
}
ORIGIN = "greater-manchester"
WAIT_MS = 120_000  # generous: a busy machine can take a while to draw a view


def view_path(path: str, presenter: bool) -> str:
    """The share link that opens a view of the reference scenario, in Presenter mode if asked."""
    return f"/{path}?s={ORIGIN}" + ("&pm=1" if presenter else "")


def main(argv: list[str] | None = None) -> int:
    """Take every screenshot; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="whole pages, not the first screen")
    parser.add_argument("--only", nargs="*", default=list(VIEWS), choices=list(VIEWS), help="some views only")
    parser.add_argument("--size", nargs="*", default=list(SIZES), choices=list(SIZES), help="some sizes only")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    executable = next(p for p in CHROMIUM_PATHS if Path(p).exists())
    with tempfile.TemporaryDirectory() as work, serve(Path(work)) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for size in args.size:
            viewport, presenter = SIZES[size]
            context = browser.new_context(viewport=viewport, base_url=server.url)
            page = context.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server.url)
                       else route.abort())
            for name in args.only:
                path, charts = VIEWS[name]
                open_app(page, view_path(path, presenter), timeout=WAIT_MS)
                if charts:
                    wait_charts_painted(page, charts, timeout=WAIT_MS)
                wait_idle(page, WAIT_MS)
                target = OUT / f"{name}-{size}.png"
                page.screenshot(path=str(target), full_page=args.full)
                print(target.relative_to(ROOT))
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What a page change costs: a bare two-page Streamlit app against each view of ours, in the same browser.

    .venv/bin/python bench/page_change.py            # ~3 minutes; writes its section of bench/RESULTS.md

Each figure is the median of `--runs` page changes at 1366×768, timed from the click on the page's link in the
sidebar to its heading shown and the app idle (charts are not waited for: bench/browser.py --only views does that).
The bare app (bench/page_change_app.py) shows a title and one kind of content, so the rows say what Streamlit
itself costs per element in this browser; the app's rows change from an empty view (Beta's counterpart: the
Scenarios view of a scenario never saved, which shows little) to each view.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from playwright.sync_api import Page, sync_playwright  # noqa: E402

from bench.browser import LAPTOP, TIMEOUT_MS, Server, launch_browser, local_only, machine  # noqa: E402
from bench.page_change_app import CONTENTS  # noqa: E402
from bench.results import write_section  # noqa: E402
from tests.e2e.helpers import APP_IDLE  # noqa: E402

START, END = "<!-- page-change:start -->", "<!-- page-change:end -->"
VIEWS = ("Spectrum", "Funding & governance", "Projections", "Compare", "Evidence")


def change(page: Page, title: str) -> float:
    """Seconds from clicking the page's sidebar link to its heading shown and the app idle."""
    link = page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=title)
    started = time.perf_counter()
    link.click()
    page.locator("h1").filter(has_text=title.split(" ")[0]).wait_for(timeout=TIMEOUT_MS)
    page.locator(APP_IDLE).wait_for(state="attached", timeout=TIMEOUT_MS)
    return time.perf_counter() - started


def measure(browser, server: Server, home: str, targets: tuple[str, ...], runs: int) -> dict[str, float]:
    """Median seconds of `runs` changes home -> target, for each target (after one change there to warm up)."""
    server.start()
    server.wait_healthy()
    try:
        page = browser.new_context(viewport=LAPTOP).new_page()
        local_only(page)
        page.goto(server.url, timeout=TIMEOUT_MS)
        page.locator(APP_IDLE).wait_for(state="attached", timeout=TIMEOUT_MS)
        times: dict[str, list[float]] = {t: [] for t in targets}
        for i in range(runs + 1):
            for target in targets:
                change(page, home)
                time.sleep(0.3)
                seconds = change(page, target)
                if i:  # the first round loads each element kind's code into the page
                    times[target].append(seconds)
                time.sleep(0.3)
        page.context.close()
    finally:
        server.stop()
    return {t: statistics.median(v) for t, v in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    load = Path("/proc/loadavg").read_text().split()[:3]
    rows = []
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        for content in CONTENTS:
            server = Server("page-change-bare", script=ROOT / "bench" / "page_change_app.py",
                            env={"CJ_BENCH_CONTENT": content, "PYTHONPATH": str(ROOT)})
            seconds = measure(browser, server, "Beta", ("Alpha",), args.runs)["Alpha"]
            rows.append((f"bare Streamlit app: a title and {content}", seconds))
            print(f"{rows[-1][0]}: {seconds:.3f} s", flush=True)
        for view, seconds in measure(browser, Server("page-change-app"), "Scenarios", VIEWS, args.runs).items():
            rows.append((f"this app: Scenarios → {view}", seconds))
            print(f"{rows[-1][0]}: {seconds:.3f} s", flush=True)
        browser.close()
    info = machine()
    lines = [START, f"## What a page change costs (bench/page_change.py), {info['date']} · commit {info['commit']}"
             f"{info['dirty']}", "",
             f"{info['cpus']} CPUs, {info['chromium']}, Streamlit {info['streamlit']}; load average {' '.join(load)} "
             f"before. Median of {args.runs} page changes each at 1366×768: click on the sidebar link → the page's "
             "heading shown and the app idle (charts not waited for).", "",
             "| page change | median |", "| --- | ---: |", *[f"| {name} | {s:.2f} s |" for name, s in rows], "", END]
    if not args.no_write:
        write_section("\n".join(lines) + "\n", START, END)
        print("written to bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

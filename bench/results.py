"""bench/RESULTS.md: each benchmark owns a section between its own start and end markers."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(text: str, start: str, end: str, header: str = "# Benchmark results\n") -> None:
    """Replace the section between `start` and `end` with `text` (which carries both markers), or append it."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else header
    if start in old and end in old:
        pattern = re.compile(re.escape(start) + ".*?" + re.escape(end) + "\n?", re.DOTALL)
        new = pattern.sub(lambda _: text, old)
    else:
        new = old.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(new, encoding="utf-8")

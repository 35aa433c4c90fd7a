"""The PDF briefing's Unicode font: where DejaVu Sans is, and what to do when it is missing.

Apart from the PDF writer so that a page can check for the font, and offer the PDF, without importing fpdf2 (about
half a second, paid only when a PDF is made).
"""

from __future__ import annotations

import os
from pathlib import Path

#: Where Debian's fonts-dejavu-core puts DejaVu Sans; ``CJ_FONT_DIR`` points elsewhere (another system's fonts).
FONT_DIR = Path(os.environ.get("CJ_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
FONT_FAMILY = "dejavu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


class FontMissing(RuntimeError):
    """The PDF's Unicode font is not installed."""


def font_files() -> dict[str, Path]:
    """The regular and bold DejaVu Sans files, by fpdf2 style; raises ``FontMissing`` with the fix if absent."""
    files = {style: FONT_DIR / name for style, name in _FONT_FILES.items()}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise FontMissing(
            f"The PDF briefing needs the DejaVu Sans font, not found at {', '.join(missing)}. Install Debian's "
            "fonts-dejavu-core (`make system-packages`, or `apt-get install fonts-dejavu-core` as root), or set "
            "CJ_FONT_DIR to a folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf.")
    return files

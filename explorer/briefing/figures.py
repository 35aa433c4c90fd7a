"""Charts for the briefing: the app's altair charts rendered offline to PNG with vl-convert."""

from __future__ import annotations

import altair as alt
import vl_convert as vlc

from explorer.briefing.model import Figure

#: Width (CSS pixels) of the plot area of each exported chart; "container" widths do not render offline.
CHART_WIDTH = 560
#: The spectrum chart needs room for six stage labels.
SPECTRUM_WIDTH = 600
#: Pixel density of the exported PNGs.
CHART_SCALE = 2


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG in pixels, read from its header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def figure(chart: alt.TopLevelMixin, title: str, caption: str = "", width: int = CHART_WIDTH) -> Figure:
    """A chart as a PNG figure at a fixed width (the briefing prints its own heading over it)."""
    # The briefing prints its own heading over each chart, so the chart's title is dropped; white background.
    spec = chart.properties(width=width, background="white").to_dict()
    spec.pop("title", None)
    for layer in spec.get("layer", ()):
        layer.pop("title", None)
    png = vlc.vegalite_to_png(spec, scale=CHART_SCALE)
    px_width, px_height = _png_size(png)
    return Figure(title=title, png=png, width=round(px_width / CHART_SCALE), height=round(px_height / CHART_SCALE),
                  caption=caption)


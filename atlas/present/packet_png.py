"""A chart as a PNG for the board packet: kaleido on Debian's Chromium, fully offline (no MathJax,
plotly.js from the installed plotly package). One Chromium is started per process and reused:
the first packet takes a few seconds, the next ones about one."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import plotly.graph_objects as go

# The chart images placed on a slide, in CSS pixels (rendered at twice this size for sharpness).
CHART_WIDTH_PX, CHART_HEIGHT_PX = 1200, 560
# Kaleido's page must not reach for a CDN: no MathJax script at all; plotly.js comes from the
# installed plotly package (kaleido's default when plotly is importable).
KALEIDO_OPTIONS = {"mathjax": False}
CHROMIUM = "/usr/bin/chromium"
_KALEIDO_LOCK = threading.Lock()


def render_png(figure: go.Figure, width: int = CHART_WIDTH_PX, height: int = CHART_HEIGHT_PX) -> bytes:
    """A chart as a PNG at twice the given size, by kaleido on Debian's Chromium (started once
    per process and reused; kaleido's own sync server is not thread-safe, hence the lock)."""
    import kaleido
    import plotly.io as pio

    pio.defaults.mathjax = None
    if Path(CHROMIUM).exists():
        os.environ.setdefault("BROWSER_PATH", CHROMIUM)
    spec = figure.to_plotly_json()
    spec["layout"] = {**spec.get("layout", {}), "width": width, "height": height}
    with _KALEIDO_LOCK:
        kaleido.start_sync_server(silence_warnings=True, **KALEIDO_OPTIONS)
        return kaleido.calc_fig_sync(spec, opts={"format": "png", "width": width, "height": height, "scale": 2})

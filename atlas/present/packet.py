"""The board packet: a slide deck (PPTX) or PDF a superintendent hands the board.

Slides: title (district, date), overview figures with their headlines, the strategy coverage and
equity chart, the map, the schools with the most urgent gaps and the top priority gaps, the plan
(scenario with the planned partnerships) when there is one, and data notes (sources, dates,
suppression rule). It follows presentation-mode rules: no private field is ever read into a slide
(and the finished text is checked against every private value), and no outcome value is shown, so
nothing small-n suppression hides can appear.

Charts are the app's own figure builders rendered to PNG by kaleido with Debian's Chromium, fully
offline (no MathJax, plotly.js from the installed plotly package). One Chromium is started per
process and reused: the first packet takes a few seconds, the next ones about one.

This module makes the file; what the slides say is built in packet_slides, charts become PNGs in
packet_png, and packet_pptx and packet_pdf write the slides.

    python -m atlas packet --out packet.pptx [--lang es] [--db PATH]
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from atlas.domain import filters as flt
from atlas.domain.query import common as common_queries
from atlas.present.i18n import translate
from atlas.present.packet_pdf import write_pdf
from atlas.present.packet_pptx import write_pptx
from atlas.present.packet_slides import Progress, collect

KINDS = ("pptx", "pdf")


# ---- making a packet ---------------------------------------------------------------------------


def default_filters(on_date: date | None = None) -> flt.Filters:
    """The app's default view: the default framework, today, the newest school year, all schools."""
    return flt.default_filters(common_queries.filter_options(), on_date or date.today())


def packet_bytes(kind: str, lang: str, filters: flt.Filters | None = None, progress: Progress | None = None) -> bytes:
    """The packet as a PPTX or PDF file's bytes."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    report = progress or (lambda done, text: None)
    slides = collect(lang, filters or default_filters(), report)
    report(0.9, translate("packet.progress_writing", lang, kind=kind.upper()))
    data = write_pptx(slides, lang) if kind == "pptx" else write_pdf(slides, lang)
    report(1.0, translate("packet.progress_done", lang))
    return data


def write_packet(out: Path, lang: str, filters: flt.Filters | None = None, progress: Progress | None = None) -> Path:
    """Write the packet to out; the format follows the file's suffix (.pptx or .pdf)."""
    out = Path(out)
    kind = out.suffix.lower().lstrip(".")
    data = packet_bytes(kind, lang, filters, progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, out)
    return out


# ---- command line ------------------------------------------------------------------------------


def run(args) -> int:
    """python -m atlas packet --out FILE.pptx|FILE.pdf [--lang es] [--db PATH] [--date YYYY-MM-DD]"""
    import sys

    out = Path(args.out)
    if out.suffix.lower().lstrip(".") not in KINDS:
        print("--out must end in .pptx or .pdf", file=sys.stderr)
        return 2
    if args.db:
        os.environ["ATLAS_DB"] = str(Path(args.db).resolve())
    started = time.perf_counter()
    filters = default_filters(date.fromisoformat(args.date) if args.date else None)

    def show(done: float, text: str) -> None:
        print(f"{done:4.0%}  {text}", file=sys.stderr)

    write_packet(out, args.lang, filters, progress=show)
    print(f"Wrote {out} ({out.stat().st_size / 1024:.0f} KB) in {time.perf_counter() - started:.1f} s")
    return 0

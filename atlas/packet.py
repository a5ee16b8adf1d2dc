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

    python -m atlas packet --out packet.pptx [--lang es] [--db PATH]
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from atlas import filters as flt
from atlas import headlines, plan_report, plan_tables, story
from atlas.i18n import format_date, format_number, format_percent, is_missing, not_reported, translate
from atlas.privacy import without_private_columns
from atlas.query import common as common_queries
from atlas.query import gaps as gaps_queries
from atlas.query import story as story_queries
from atlas.query.overview import overview_figures, strategy_coverage

KINDS = ("pptx", "pdf")
# A 16:9 slide, and the chart images placed on it (rendered at twice this size for sharpness).
SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN = 13.333, 7.5
CHART_WIDTH_PX, CHART_HEIGHT_PX = 1200, 560
TOP_GAPS = 10
TOP_MATCHES = 8
# Kaleido's page must not reach for a CDN: no MathJax script at all; plotly.js comes from the
# installed plotly package (kaleido's default when plotly is importable).
KALEIDO_OPTIONS = {"mathjax": False}
CHROMIUM = "/usr/bin/chromium"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

Progress = Callable[[float, str], None]


@dataclass
class Slide:
    title: str
    headline: str = ""  # the one sentence to remember
    image: bytes | None = None  # PNG
    image_size: tuple[int, int] = (CHART_WIDTH_PX, CHART_HEIGHT_PX)  # its CSS pixels (the PNG is twice that)
    image_alt: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)  # (label, value) shown large
    lines: list[str] = field(default_factory=list)  # bullet points
    table: tuple[list[str], list[list[str]]] | None = None  # headers, rows
    table_widths: tuple[int, ...] = (6, 36, 14, 14, 30)  # relative column widths
    is_title: bool = False

    def texts(self) -> list[str]:
        texts = [self.title, self.headline, self.image_alt, *self.lines]
        texts += [part for pair in self.figures for part in pair]
        if self.table:
            texts += self.table[0] + [cell for row in self.table[1] for cell in row]
        return [text for text in texts if text]


class PrivateDataError(RuntimeError):
    """The packet would contain a private value: it is not written."""


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


def collect(lang: str, filters: flt.Filters, progress: Progress) -> list[Slide]:
    """Every slide's text and images, checked for private values."""
    progress(0.02, translate("packet.progress_data", lang))
    info = common_queries.district()
    notes = story_queries.packet_notes(filters.framework_id, lang)
    counts = overview_figures(filters)
    coverage = strategy_coverage(filters, lang)
    gaps = gaps_queries.priority_gaps(filters, lang)

    slides = [_title_slide(info, notes, filters, lang), _overview_slide(counts, coverage, lang)]
    matches = _recommended_matches(filters, lang)
    steps = ["overview", "map", "gaps", "plan"]
    titles = {
        "overview": translate("packet.coverage_title", lang),
        "map": translate("packet.map_title", lang),
        "gaps": translate("packet.gaps_title", lang),
        "plan": translate("packet.plan_title", lang),
    }
    for index, key in enumerate(steps):
        progress(0.1 + 0.75 * index / len(steps), translate("packet.progress_chart", lang, name=titles[key]))
        step = story.build_step(key, filters, lang, presenting=True, height=CHART_HEIGHT_PX)
        slide = Slide(titles[key], headline=step.headline)
        if step.figure is not None:
            slide.image_size = (CHART_WIDTH_PX, int(step.figure.layout.height or CHART_HEIGHT_PX))
            slide.image = render_png(step.figure, *slide.image_size)
            slide.image_alt = f"{_figure_title(step.figure)}. {step.headline}"
        if key == "overview":
            slide.lines = [translate("overview.equity_caption", lang)]
        slides.append(slide)
        if key == "gaps" and not gaps.empty:
            slides.append(_top_gaps_slide(gaps, lang))
        if key == "plan" and not matches.empty:
            slides.append(_matches_slide(matches, lang))
    slides.append(_notes_slide(info, notes, filters, lang))
    progress(0.86, translate("packet.progress_checking", lang))
    check_no_private_values(slides)
    return slides


def _title_slide(info: pd.Series, notes: pd.Series, filters: flt.Filters, lang: str) -> Slide:
    lines = [
        translate("packet.as_of", lang, day=format_date(filters.on_date, lang), year=filters.school_year),
        translate("packet.framework", lang, name=notes["framework_name"]),
        _scope_line(filters, lang),
        translate("packet.prepared", lang, day=format_date(date.today(), lang)),
    ]
    if info["is_fictional"]:
        lines.append(translate("shell.fictional_notice", lang))
    return Slide(
        translate("packet.title", lang),
        headline=f"{info['name']} ({info['state']})",
        lines=lines,
        is_title=True,
    )


def _scope_line(filters: flt.Filters, lang: str) -> str:
    parts = []
    if filters.levels:
        parts.append(", ".join(translate(f"levels.{level}", lang) for level in filters.levels))
    if filters.regions:
        parts.append(", ".join(filters.regions))
    if filters.need_tier != "all":
        parts.append(translate(f"shell.need_{filters.need_tier}", lang))
    if not parts:
        return translate("packet.scope_all", lang)
    return translate("packet.scope", lang, scope=" · ".join(parts))


def _overview_slide(counts: pd.Series, coverage: pd.DataFrame, lang: str) -> Slide:
    return Slide(
        translate("overview.title", lang),
        figures=[
            (translate("overview.schools", lang), format_number(counts["n_schools"], lang)),
            (
                translate("overview.high_need_with_partner", lang),
                translate(
                    "overview.x_of_y",
                    lang,
                    x=format_number(counts["n_high_need_with_partner"], lang),
                    y=format_number(counts["n_high_need"], lang),
                ),
            ),
            (translate("overview.active_partnerships", lang), format_number(counts["n_active_partnerships"], lang)),
            (translate("overview.active_partners", lang), format_number(counts["n_active_partners"], lang)),
        ],
        lines=headlines.coverage_findings(coverage, lang) if not coverage.empty else [],
    )


def _top_gaps_slide(gaps: pd.DataFrame, lang: str) -> Slide:
    """The schools to serve first: priority gaps (need × strategy weight) summed per school."""
    per_school = (
        without_private_columns(gaps)
        .groupby(["school_id", "school_name", "level"], as_index=False)
        .agg(priority=("priority", "sum"), need_index=("need_index", "max"), numbers=("strategy_number", list))
        .sort_values(["priority", "school_name"], ascending=[False, True])
        .head(TOP_GAPS)
    )
    headers = [
        translate("packet.col_rank", lang),
        translate("packet.col_school", lang),
        translate("packet.col_level", lang),
        translate("packet.col_need", lang),
        translate("packet.col_strategy", lang),
    ]
    rows = [
        [
            format_number(rank, lang),
            str(row.school_name),
            translate(f"levels.{row.level}", lang),
            format_number(row.need_index, lang),
            ", ".join(str(n) for n in sorted(row.numbers)),
        ]
        for rank, row in enumerate(per_school.itertuples(), start=1)
    ]
    return Slide(
        translate("packet.top_gaps_title", lang, count=len(rows)),
        headline=translate("packet.top_gaps_headline", lang),
        table=(headers, rows),
    )


def _recommended_matches(filters: flt.Filters, lang: str) -> pd.DataFrame:
    """The Plan page's recommended matches as a table for people."""
    plan = plan_report.explained_plan(filters, lang)
    return without_private_columns(plan_tables.matches_table(plan.matches, lang))


def _matches_slide(matches: pd.DataFrame, lang: str) -> Slide:
    top = matches.iloc[:TOP_MATCHES, :4]  # rank, partner, school, strategy
    rows = [[_cell_text(value, lang) for value in row] for row in top.itertuples(index=False)]
    return Slide(
        translate("packet.matches_title", lang, count=len(rows)),
        headline=translate("packet.matches_headline", lang),
        table=([str(c) for c in top.columns], rows),
        table_widths=(6, 34, 30, 30),
    )


def _cell_text(value, lang: str) -> str:
    if is_missing(value):
        return not_reported(lang)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, lang)
    return str(value)


def _text_or_not_reported(value, lang: str) -> str:
    return not_reported(lang) if is_missing(value) or not str(value).strip() else str(value)


def _notes_slide(info: pd.Series, notes: pd.Series, filters: flt.Filters, lang: str) -> Slide:
    written = str(notes["written_at"] or "")[:10]
    lines = [
        translate(
            "packet.note_source",
            lang,
            district=info["name"],
            schools=format_number(notes["n_schools"], lang),
            partners=format_number(notes["n_partners"], lang),
            partnerships=format_number(notes["n_partnerships"], lang),
        ),
        translate("packet.note_updated", lang, day=format_date(date.fromisoformat(written), lang) if written else "—"),
        translate("packet.note_dates", lang, day=format_date(filters.on_date, lang), year=filters.school_year),
        translate(
            "packet.note_framework",
            lang,
            name=notes["framework_name"],
            source=_text_or_not_reported(notes["framework_source"], lang),
        ),
        translate(
            "packet.note_high_need",
            lang,
            share=format_percent(100 * float(notes["high_need_top_share"]), lang),
        ),
        translate("packet.note_suppression", lang, n=format_number(notes["suppression_min_n"], lang)),
        translate("packet.note_privacy", lang),
        translate("packet.note_outcomes", lang),
    ]
    return Slide(translate("packet.notes_title", lang), lines=lines)


def _figure_title(figure: go.Figure) -> str:
    title = figure.layout.title.text
    return title or ""


# ---- privacy check -----------------------------------------------------------------------------


def check_no_private_values(slides: list[Slide]) -> None:
    """Raise PrivateDataError when any private value (a partner contact, a partnership note)
    appears in the packet's text. The packet never selects them; this proves it."""
    text = "\n".join(t for slide in slides for t in slide.texts()).casefold()
    for kind, value in story_queries.private_values().itertuples(index=False):
        needle = str(value).strip().casefold()
        if len(needle) >= 5 and needle in text:
            raise PrivateDataError(f"the packet would show a private {kind}: it was not written")


# ---- charts to PNG -----------------------------------------------------------------------------

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


# ---- PPTX --------------------------------------------------------------------------------------


def write_pptx(slides: list[Slide], lang: str) -> bytes:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    black = RGBColor(0, 0, 0)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    deck.core_properties.title = slides[0].title
    deck.core_properties.subject = slides[0].headline
    deck.core_properties.language = "es-US" if lang == "es" else "en-US"
    margin = Inches(0.5)
    width = deck.slide_width - 2 * margin

    def text_box(slide, top, height, lines, size, bold=False):
        box = slide.shapes.add_textbox(margin, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.text = line
            paragraph.font.size = Pt(size)
            paragraph.font.bold = bold
            paragraph.font.color.rgb = black
            paragraph.space_after = Pt(size * 0.4)
        return box

    for content in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[0 if content.is_title else 5])
        title = slide.shapes.title
        title.text = content.title
        title.left, title.width = margin, width
        if content.is_title:
            title.top, title.height = Inches(1.3), Inches(1.6)
            title.text_frame.paragraphs[0].font.size = Pt(40)
            subtitle = slide.placeholders[1]
            subtitle.left, subtitle.top, subtitle.width, subtitle.height = margin, Inches(3.0), width, Inches(0.8)
            subtitle.text = content.headline
            subtitle.text_frame.paragraphs[0].font.size = Pt(28)
            subtitle.text_frame.paragraphs[0].font.color.rgb = black
            text_box(slide, Inches(4.1), Inches(3.0), content.lines, 18)
            continue
        title.top, title.height = Inches(0.3), Inches(0.9)
        title.text_frame.paragraphs[0].font.size = Pt(32)
        title.text_frame.paragraphs[0].font.bold = True
        title.text_frame.paragraphs[0].font.color.rgb = black
        top = Inches(1.2)
        if content.headline:
            text_box(slide, top, Inches(0.8), [content.headline], 20, bold=True)
            top += Inches(0.85)
        if content.figures:
            column = width // len(content.figures)
            for index, (label, value) in enumerate(content.figures):
                box = slide.shapes.add_textbox(margin + index * column, top, column, Inches(1.5))
                frame = box.text_frame
                frame.word_wrap = True
                frame.paragraphs[0].text = value
                frame.paragraphs[0].font.size = Pt(44)
                frame.paragraphs[0].font.bold = True
                label_paragraph = frame.add_paragraph()
                label_paragraph.text = label
                label_paragraph.font.size = Pt(16)
            top += Inches(1.7)
        if content.image:
            space = deck.slide_height - top - Inches(0.3 + 0.45 * len(content.lines))
            aspect = content.image_size[1] / content.image_size[0]
            picture_height = min(space, int(width * aspect))
            picture_width = int(picture_height / aspect)
            picture = slide.shapes.add_picture(
                io.BytesIO(content.image),
                margin + (width - picture_width) // 2,
                top,
                picture_width,
                picture_height,
            )
            picture._element.nvPicPr.cNvPr.set("descr", content.image_alt)  # alt text for screen readers
            top += picture_height + Inches(0.1)
        if content.table:
            headers, rows = content.table
            shape = slide.shapes.add_table(
                len(rows) + 1, len(headers), margin, top, width, Inches(0.4) * (len(rows) + 1)
            )
            table = shape.table
            for index, share in enumerate(content.table_widths[: len(headers)]):
                table.columns[index].width = int(width * share / sum(content.table_widths))
            for row_index, cells in enumerate([headers, *rows]):
                for column_index, value in enumerate(cells):
                    cell = table.cell(row_index, column_index)
                    cell.text = value
                    cell.text_frame.paragraphs[0].font.size = Pt(14)
                    cell.text_frame.paragraphs[0].font.bold = row_index == 0
            top += Inches(0.4) * (len(rows) + 1)
        if content.lines:
            text_box(slide, top, deck.slide_height - top - Inches(0.2), content.lines, 16 if content.image else 18)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


# ---- PDF ---------------------------------------------------------------------------------------


def write_pdf(slides: list[Slide], lang: str) -> bytes:
    """One landscape 16:9 page per slide, with real (searchable, extractable) text."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format=(SLIDE_HEIGHT_IN * 25.4, SLIDE_WIDTH_IN * 25.4))
    pdf.set_auto_page_break(False)
    pdf.set_margins(12, 10, 12)
    family = _pdf_font(pdf)
    pdf.set_title(slides[0].title)
    pdf.set_subject(slides[0].headline)
    pdf.set_lang("es-US" if lang == "es" else "en-US")
    pdf.set_creator("Partnership Atlas")
    width = pdf.w - 24

    def write(text, size, style="", height=None):
        pdf.set_font(family, style, size)
        pdf.multi_cell(width, height or size * 0.5, _pdf_text(text, family), align="L", new_x="LMARGIN", new_y="NEXT")

    for content in slides:
        pdf.add_page()
        pdf.set_text_color(0, 0, 0)
        if content.is_title:
            pdf.set_y(45)
            write(content.title, 32, "B", 15)
            pdf.ln(4)
            write(content.headline, 22, "", 11)
            pdf.ln(8)
            for line in content.lines:
                write(line, 14, "", 7)
            continue
        pdf.set_y(10)
        write(content.title, 24, "B", 12)
        if content.headline:
            pdf.ln(1)
            write(content.headline, 15, "B", 7.5)
        pdf.ln(2)
        if content.figures:
            top = pdf.get_y()
            column = width / len(content.figures)
            for index, (label, value) in enumerate(content.figures):
                pdf.set_xy(12 + index * column, top)
                pdf.set_font(family, "B", 30)
                pdf.cell(column - 4, 14, _pdf_text(value, family))
                pdf.set_xy(12 + index * column, top + 15)
                pdf.set_font(family, "", 11)
                pdf.multi_cell(column - 6, 5.5, _pdf_text(label, family), align="L")
            pdf.set_y(top + 32)
        if content.image:
            top = pdf.get_y()
            room = pdf.h - top - 8 - 6.5 * len(content.lines)
            aspect = content.image_size[1] / content.image_size[0]
            image_height = min(room, width * aspect)
            image_width = image_height / aspect
            pdf.image(
                io.BytesIO(content.image),
                x=12 + (width - image_width) / 2,
                y=top,
                w=image_width,
                h=image_height,
                alt_text=content.image_alt,
            )
            pdf.set_y(top + image_height + 2)
        if content.table:
            headers, rows = content.table
            pdf.set_font(family, "", 13)
            with pdf.table(
                col_widths=content.table_widths[: len(headers)],
                text_align="LEFT",
                line_height=7.5,
                first_row_as_headings=True,
            ) as table:
                for cells in [headers, *rows]:
                    row = table.row()
                    for value in cells:
                        row.cell(_pdf_text(value, family))
            pdf.ln(2)
        for line in content.lines:
            write(line, 12 if content.image else 15, "", 6 if content.image else 7.5)
            pdf.ln(1)
    return bytes(pdf.output())


def _pdf_font(pdf) -> str:
    """DejaVu Sans (Debian's fonts-dejavu-core, installed with Chromium) for full Unicode; the
    PDF core font otherwise, with text reduced to Latin-1 (Spanish still fits)."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu"
    return "helvetica"


_LATIN1 = str.maketrans({"−": "-", "–": "-", "—": "-", "…": "...", "“": '"', "”": '"', "’": "'", "×": "x"})


def _pdf_text(text: str, family: str) -> str:
    if family == "DejaVu":
        return text
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


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

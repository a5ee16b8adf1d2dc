"""What the board packet says, slide by slide: each slide's title, headline, figures, chart image,
table and lines, gathered from the app's own queries, sentences and charts, and checked for private
values. How the slides are written to a file is in packet_pptx and packet_pdf."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from atlas.domain import filters as flt
from atlas.domain.privacy import without_private_columns
from atlas.domain.query import common as common_queries
from atlas.domain.query import gaps as gaps_queries
from atlas.domain.query import story as story_queries
from atlas.domain.query.overview import overview_figures, strategy_coverage
from atlas.present import coverage_sentences, plan_report, plan_tables, story
from atlas.present.i18n import format_date, format_number, format_percent, is_missing, not_reported, translate
from atlas.present.packet_png import CHART_HEIGHT_PX, CHART_WIDTH_PX, render_png

# A 16:9 slide (the chart images placed on it: packet_png.CHART_WIDTH_PX × CHART_HEIGHT_PX).
SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN = 13.333, 7.5
TOP_GAPS = 10
TOP_MATCHES = 8

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
    steps = ["overview", "map", "gaps", "plan"]  # the plan step says so when nothing is planned
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
        lines=coverage_sentences.coverage_findings(coverage, lang) if not coverage.empty else [],
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
    if notes["n_values_n_not_reported"]:
        lines.insert(-2, translate("packet.note_n_not_reported", lang))
    return Slide(translate("packet.notes_title", lang), lines=lines)


def _figure_title(figure: go.Figure) -> str:
    title = figure.layout.title.text
    return title or ""


def check_no_private_values(slides: list[Slide]) -> None:
    """Raise PrivateDataError when any private value (a partner contact, a partnership note)
    appears in the packet's text. The packet never selects them; this proves it."""
    text = "\n".join(t for slide in slides for t in slide.texts()).casefold()
    for kind, value in story_queries.private_values().itertuples(index=False):
        needle = str(value).strip().casefold()
        if len(needle) >= 5 and needle in text:
            raise PrivateDataError(f"the packet would show a private {kind}: it was not written")

"""The story: the few screens a presenter walks a board through (overview → map → gaps → plan),
each one idea with a plain-language headline and one chart.

The story page shows one step at a time; the board packet uses the same steps as slides.
No Streamlit here: a step is data in, (headline, figure) out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from atlas.domain import planning
from atlas.domain.filters import Filters
from atlas.domain.query import gaps as gaps_queries
from atlas.domain.query import map as map_queries
from atlas.domain.query import story as story_queries
from atlas.domain.query.overview import strategy_coverage
from atlas.present import coverage_charts, coverage_sentences, maps, plan_text, story_figures
from atlas.present.i18n import format_number, translate

STEPS = ("overview", "map", "gaps", "plan")


@dataclass(frozen=True)
class Step:
    key: str
    name: str  # short name of the step, e.g. "Where the gaps are"
    headline: str  # the one sentence to remember
    figure: go.Figure | None


def build_step(key: str, filters: Filters, lang: str, presenting: bool, height: int | None = None) -> Step:
    """The headline and chart of one step, for the schools the filters select. height: the
    chart's height in pixels where its builder can fit one (others size themselves)."""
    name = translate(f"story.step_{key}", lang)
    builder = {"overview": _overview, "map": _map, "gaps": _gaps, "plan": _plan}[key]
    headline, figure = builder(filters, lang, presenting, height)
    return Step(key, name, headline, figure)


def _overview(filters: Filters, lang: str, presenting: bool, height: int | None):
    coverage = strategy_coverage(filters, lang)
    if coverage.empty or coverage["n_schools"].max() == 0:
        return translate("story.no_schools", lang), None
    findings = coverage_sentences.coverage_findings(coverage, lang)
    figure = coverage_charts.coverage_and_equity_chart(coverage, lang, presenting, height=height)
    return (findings[0] if findings else ""), figure


def _map(filters: Filters, lang: str, presenting: bool, height: int | None):
    points = story_queries.map_points(filters, lang)
    if points.empty:
        return translate("story.no_schools", lang), None
    geometry = map_queries.map_geometry()  # the Map page's boundary and zones
    figure = maps.school_map(
        points,
        measure="n_covered",
        lang=lang,
        presenting=presenting,
        boundary=maps.feature_collection(geometry, "boundary"),
        zones=maps.feature_collection(geometry, "zone"),
        height=height,
    )
    return map_headline(points, lang), figure


def map_headline(points: pd.DataFrame, lang: str) -> str:
    high = points[points["is_high_need"]]
    thin = high[high["n_covered"] * 2 < high["n_strategies"]]
    if thin.empty:
        return translate("story.map_headline_none", lang)
    return translate(
        "story.map_headline", lang, count=format_number(len(thin), lang), total=format_number(len(high), lang)
    )


def _gaps(filters: Filters, lang: str, presenting: bool, height: int | None):
    # Not the Coverage gaps page's school × strategy matrix: even cut to 8 schools it is taller
    # than one 1280×720 screen. One bar per school says the same in one glance.
    gaps = gaps_queries.priority_gaps(filters, lang)
    if gaps.empty:
        return translate("story.gaps_headline_none", lang), None
    return gaps_headline(gaps, filters, lang), story_figures.priority_schools_chart(gaps, lang, presenting)


def gaps_headline(gaps: pd.DataFrame, filters: Filters, lang: str) -> str:
    top = gaps.iloc[0]
    school_gaps = gaps[gaps["school_id"] == top["school_id"]]
    return translate(
        "story.gaps_headline",
        lang,
        school=top["school_name"],
        count=format_number(len(school_gaps), lang),
        total=format_number(_strategy_count(filters, lang), lang),
    )


def _strategy_count(filters: Filters, lang: str) -> int:
    from atlas.domain.query.common import strategies

    return len(strategies(filters.framework_id, lang))


def _plan(filters: Filters, lang: str, presenting: bool, height: int | None):
    """The Plan page's recommendations and before/after chart."""
    plan = planning.build_plan(filters, lang)
    if plan.result.before_after.empty:
        return translate("story.no_schools", lang), None
    sentences = plan_text.headlines(plan, lang)
    # The Plan page's before/after chart needs about 1,000 px: one screen gets the high-need
    # column of it, drawn by the story's own compact chart.
    before_after = plan.result.before_after.rename(columns={"n_high_need_covered_before": "n_high_need_covered_now"})
    figure = story_figures.scenario_chart(before_after, lang, presenting, height=height, after_key="story.with_plan")
    return (sentences[0] if sentences else ""), figure

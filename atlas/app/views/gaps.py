"""The Coverage gaps page, drawn by render() (pages/gaps.py is two lines that call it).

Coverage gaps: the school × strategy matrix sorted by need and the priority-gap list on the first
tab, the feeder-continuity view on the second; each downloadable as CSV.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from atlas.app import links, next_step, ui
from atlas.app.page_context import t
from atlas.app.shell import guarded, page_context
from atlas.database.db import run_together, start
from atlas.domain.filters import Filters
from atlas.domain.query.gaps import coverage_matrix, feeder_continuity, gaps_summary, priority_gaps
from atlas.domain.query.parts import DistrictParts
from atlas.present import escape, gaps_charts, gaps_grid, gaps_sentences, gaps_tables
from atlas.present.i18n import format_number

TOP_GAPS = 10
TOP_PATTERNS = 10  # sentences under the continuity view; the table has every pattern


@guarded
def render() -> None:
    """Draw the Coverage gaps page."""
    context = page_context()
    st.title(t("gaps.title"))
    # A district without schools, partners, partnerships or strategy tags has no coverage to show: a
    # matrix of nothing but ✗ said nothing; the page says what to load next instead.
    district = next_step.parts(context.filters)
    if next_step.show_first_missing(district):
        next_step.need_note(district, context.filters)
        st.stop()

    # Only the open tab runs: the feeder-continuity view's query, chart and table took a third of the
    # page's time, and most visits are for the matrix and the gap list.
    tab_matrix, tab_continuity = st.tabs(
        [t("gaps.tab_matrix"), t("gaps.tab_continuity")], key="gaps_tab", on_change="rerun"
    )
    if tab_matrix.open:
        with tab_matrix:
            _matrix_tab(context.filters, context.lang, district, presenting=context.presenting)
    if tab_continuity.open:
        with tab_continuity:
            _continuity_tab(context.filters, context.lang, presenting=context.presenting)


def _matrix_tab(filters: Filters, lang: str, district: DistrictParts, *, presenting: bool) -> None:
    """The school × strategy matrix, the findings above it, the priority list beside it and every gap below."""
    # Only what the screen shows is fetched (a national database has a million cells); each CSV
    # runs its full query when its button is clicked. The gap list is fetched while the matrix is drawn.
    summary, matrix = run_together(
        lambda: gaps_summary(filters),
        lambda: coverage_matrix(filters, lang, max_schools=gaps_charts.MAX_MATRIX_ROWS),
    )
    listed = start(lambda: priority_gaps(filters, lang, max_rows=ui.SCREEN_ROWS))
    if not summary["n_schools"]:
        ui.empty_state(t("common.no_schools"))
        st.stop()
    figure = gaps_charts.coverage_heatmap(
        matrix, lang, presenting, filters.strategy_number, total_schools=int(summary["n_schools"])
    )

    # The findings read the gap list: their place comes first, and the matrix is drawn while the list
    # is still being fetched.
    findings = st.container()
    can_open_school = links.has_page(links.SCHOOL_PAGE)
    # Side by side on a desk screen; one under the other in presentation mode, where large type
    # needs the full width for the matrix.
    left, right = (st.container(), st.container()) if presenting else st.columns([2, 1], gap="medium")
    with left:
        _matrix_chart(figure, filters, lang, can_open_school=can_open_school)

    (gaps,) = listed.results()
    n_gaps = int(summary["n_gaps"])
    with findings:
        for sentence in gaps_sentences.gap_findings(summary, gaps, lang):
            ui.headline(sentence)

    with right:
        _priority_list(gaps, n_gaps, filters, lang, district)
        if can_open_school:
            _school_opener(matrix)

    if not gaps.empty:
        _all_gaps_table(gaps, n_gaps, filters, lang, can_open_school=can_open_school)


def _matrix_chart(figure: go.Figure, filters: Filters, lang: str, *, can_open_school: bool) -> None:
    """The matrix (a click on a school's row opens its profile when that page exists), its captions and CSV."""
    if can_open_school:
        event = ui.show_chart(
            figure, key="gaps_matrix", file_name="coverage-matrix", on_select="rerun", selection_mode="points"
        )
        points = event.selection.points if event else []
        if points:
            links.open_school_profile(points[0]["y"])
    else:
        ui.show_chart(figure, key="gaps_matrix", file_name="coverage-matrix")
    st.caption(t("gaps.matrix_caption"))
    if can_open_school:
        st.caption(t("gaps.matrix_click"))
    ui.download_csv(
        lambda: gaps_tables.matrix_table(coverage_matrix(filters, lang), lang),
        key="gaps_matrix_csv",
        file_name="coverage-matrix",
    )


def _priority_list(gaps: pd.DataFrame, n_gaps: int, filters: Filters, lang: str, district: DistrictParts) -> None:
    """The first priority gaps as a list, or a word that there are none; the order they are in, and
    which parts the need index uses when some are missing."""
    st.subheader(t("gaps.priority_heading"))
    st.caption(t("gaps.priority_caption"))
    next_step.need_note(district, filters, warn=True)
    st.caption(t("gaps.priority_order" if district.has_need else "gaps.priority_order_no_need"))
    if filters.strategy_number:
        st.caption(t("gaps.priority_focus", strategy=filters.strategy_number))
    if gaps.empty:
        st.success(t("gaps.no_gaps"), icon=":material/check_circle:")
    else:
        st.markdown(gaps_sentences.priority_list_markdown(gaps, lang, TOP_GAPS))
        st.caption(t("gaps.all_gaps_below", n=format_number(n_gaps, lang)))


def _remember_school_pick() -> None:
    st.session_state["gaps_open"] = st.session_state["gaps_school_pick"]


def _school_opener(matrix: pd.DataFrame) -> None:
    """A school of the matrix to pick and a button that opens its profile."""
    schools = gaps_grid.matrix_schools(matrix)
    names = dict(zip(schools["school_id"], schools["school_name"], strict=True))
    st.selectbox(t("gaps.open_school"), list(names), format_func=names.get, key="gaps_school_pick")
    # The click is kept in session state by a callback, so it survives any rerun that may
    # come before this line is reached again.
    st.button(t("gaps.open_button"), key="gaps_open_school", icon=":material/school:", on_click=_remember_school_pick)
    if opening := st.session_state.pop("gaps_open", None):
        links.open_school_profile(opening)


def _all_gaps_table(gaps: pd.DataFrame, n_gaps: int, filters: Filters, lang: str, *, can_open_school: bool) -> None:
    """Every priority gap: the first rows on screen, with a link to each school's profile when that page
    exists; the CSV runs the full query when its button is clicked."""
    st.subheader(t("gaps.all_gaps", n=format_number(n_gaps, lang)))
    table = gaps_tables.priority_table(gaps, lang)
    column_config = {t("gaps.col_why"): st.column_config.TextColumn(width="large")}
    if can_open_school:
        query = st.query_params.to_dict()
        table[t("gaps.col_profile")] = links.school_urls(gaps["school_id"].tolist(), query)
        column_config[t("gaps.col_profile")] = st.column_config.LinkColumn(display_text=t("gaps.open_link"))
    ui.show_table(
        lambda: gaps_tables.priority_table(priority_gaps(filters, lang), lang),
        first_rows=table,
        total_rows=n_gaps,
        key="gaps_priority",
        file_name="priority-gaps",
        column_config=column_config,
    )


def _continuity_tab(filters: Filters, lang: str, *, presenting: bool) -> None:
    """Feeder continuity: the worst pattern as a headline, the heatmap, the next patterns and the table."""
    st.subheader(t("gaps.continuity_heading"))
    st.caption(t("gaps.continuity_caption"))
    continuity = feeder_continuity(filters, lang, max_rows=ui.SCREEN_ROWS)
    continuity_findings = gaps_sentences.continuity_findings(continuity, lang, limit=TOP_PATTERNS)
    if continuity_findings:  # the worst pattern as a headline, the next ones listed under the chart
        ui.headline(continuity_findings[0])
    if continuity.empty:
        ui.empty_state(t("gaps.no_continuity"))
        return
    n_patterns = int(continuity["n_patterns"].iloc[0])
    ui.show_chart(
        gaps_charts.continuity_heatmap(continuity, lang, presenting, total_patterns=n_patterns),
        key="gaps_continuity",
        file_name="feeder-continuity",
    )
    # Each sentence names a feeder pattern by its high school's name, from the data: escaped.
    sentences = continuity_findings[1:TOP_PATTERNS]
    st.markdown("\n".join(f"- {escape.markdown(sentence)}" for sentence in sentences))
    if n_patterns > TOP_PATTERNS:
        st.caption(t("gaps.more_patterns", n=n_patterns - TOP_PATTERNS))
    ui.show_table(
        lambda: gaps_tables.continuity_table(feeder_continuity(filters, lang), lang),
        first_rows=gaps_tables.continuity_table(continuity, lang),
        total_rows=int(continuity["n_rows"].iloc[0]),
        key="gaps_continuity_table",
        file_name="feeder-continuity",
    )

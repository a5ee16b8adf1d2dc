"""The Overview page, drawn by render() (pages/overview.py is two lines that call it).

Overview: headline figures and plain-language findings for the schools in scope. While the district's
setup is incomplete (a step missing: atlas.domain.query.setup), the setup checklist comes first; an empty
district shows only the checklist, and "no school matches these filters" is said only when schools exist.
"""

import streamlit as st

from atlas.app import setup_view, ui
from atlas.app.page_context import t
from atlas.app.shell import guarded, page_context
from atlas.domain.query.overview import overview_figures, strategy_coverage
from atlas.domain.query.setup import MISSING, is_incomplete
from atlas.present import coverage_charts, coverage_sentences
from atlas.present.i18n import format_number


@guarded
def render() -> None:
    """Draw the Overview page."""
    context = page_context()
    st.title(t("overview.title"))

    setup, states = setup_view.setup_state(context)
    if is_incomplete(states) and not context.presenting:
        if setup.n_schools == 0:
            st.info(t("setup.empty_district"), icon=":material/info:")
        setup_view.checklist(context, setup, states, on_data_page=False)
    counts = overview_figures(context.filters)
    if counts["n_schools"] == 0:
        if setup.n_schools == 0:
            if context.presenting:
                st.info(t("setup.empty_district_presenting"), icon=":material/info:")
        else:
            ui.empty_state(t("common.no_schools"))
        st.stop()
    if MISSING in (states["partnerships"], states["tags"]):
        # No coverage to chart: the figures alone, the checklist above says what to load.
        _tiles(counts, context.lang)
        st.stop()

    coverage = strategy_coverage(context.filters, context.lang)
    findings = coverage_sentences.coverage_findings(coverage, context.lang)
    lang = context.lang
    chart = coverage_charts.coverage_and_equity_chart(
        coverage, lang, context.presenting, height=470 if context.presenting else None
    )
    if context.presenting:
        # One idea per screen: the most important finding and its chart fill a 1280×720 projector;
        # the figures follow below.
        ui.headline(findings[0] if findings else "")
        ui.show_chart(chart, key="overview_coverage_chart", file_name="strategy-coverage")
        st.caption(t("overview.equity_caption"))
    else:
        for sentence in findings:
            ui.headline(sentence)

    _tiles(counts, lang)

    if not context.presenting:
        ui.show_chart(chart, key="overview_coverage_chart", file_name="strategy-coverage")
        st.caption(t("overview.equity_caption"))
        table = coverage[
            [
                "strategy_number",
                "short_name",
                "n_schools",
                "n_covered",
                "covered_pct",
                "n_high_need",
                "n_high_need_covered",
                "equity_gap_pct",
            ]
        ].rename(columns=lambda c: t(f"overview.col_{c}"))
        ui.show_table(table, key="overview_coverage_table", file_name="strategy-coverage")


def _tiles(counts, lang: str) -> None:
    """The headline figures. With no need data for any school in scope (and none high-need by Title I) the
    high-need figure says "need unknown", not "0 of 0"."""
    tiles = st.columns(4)
    tiles[0].metric(t("overview.schools"), format_number(counts["n_schools"], lang))
    if counts["n_need_known"] == 0 and counts["n_high_need"] == 0:
        tiles[1].metric(
            t("overview.high_need_with_partner"), t("overview.need_unknown"), help=t("overview.need_unknown_help")
        )
    else:
        tiles[1].metric(
            t("overview.high_need_with_partner"),
            t(
                "overview.x_of_y",
                x=format_number(counts["n_high_need_with_partner"], lang),
                y=format_number(counts["n_high_need"], lang),
            ),
        )
    tiles[2].metric(t("overview.active_partnerships"), format_number(counts["n_active_partnerships"], lang))
    tiles[3].metric(t("overview.active_partners"), format_number(counts["n_active_partners"], lang))

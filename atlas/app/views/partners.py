"""The Partners page, drawn by render() (pages/partners.py is two lines that call it).

Partners: a searchable directory, counts by type and by strategy, and one partner's schools
on a small offline map with its partnerships. Contacts are private: shown only outside
presentation mode, never downloaded.
"""

import functools

import pandas as pd
import streamlit as st

from atlas.app import links, next_step, ui
from atlas.app.page_context import t
from atlas.app.shell import guarded, page_context
from atlas.database.db import warm
from atlas.domain import link_values, partner_directory
from atlas.domain.filters import Filters
from atlas.domain.query.common import strategies
from atlas.domain.query.partners import (
    counts,
    directory,
    directory_partner,
    district_boundary_rows,
    partner,
    partnerships,
    school_points,
)
from atlas.present import escape, partner_charts, partner_figures, partner_sentences, partner_tables
from atlas.present.i18n import format_number, is_missing

DIRECTORY_ROWS = max(ui.SCREEN_ROWS, partner_directory.PICKER_ROWS)  # fetched for the table and the picker


@guarded
def render() -> None:
    """Draw the Partners page."""
    context = page_context()
    lang = context.lang
    filters = context.filters
    st.title(t("partners.title"))
    st.caption(t("partners.intro"))
    if filters.strategy_number:
        st.caption(t("partners.focus_note", strategy=filters.strategy_number))

    # The directory's first rows (for the search typed so far) are fetched on another thread while the
    # counts and charts are made: one after the other, the two queries were half of the page's time.
    searched_before = st.session_state.get("partner_search")
    warm(lambda: directory(filters, lang, searched_before, max_rows=DIRECTORY_ROWS))
    # Counted in SQL: a national directory has 120,000 partners, and only one screen of them is fetched.
    directory_counts = counts(filters, lang)
    n_partners = int(directory_counts["n_partners"])
    parts = next_step.parts(filters)
    if not n_partners:
        # "Widen the filters" only when there is something the filters left out.
        if not next_step.show_first_missing(parts, upto="partnerships"):
            ui.empty_state(t("partners.no_partners"))
        st.stop()
    next_step.show_first_missing(parts)  # partnerships without strategy tags: the directory still helps

    for sentence in partner_sentences.directory_findings(directory_counts, lang):
        ui.headline(sentence)
    _draw_count_charts(directory_counts, filters, lang, context.presenting)

    st.subheader(t("partners.directory_heading"))
    text = st.text_input(t("partners.search"), key="partner_search", placeholder=t("partners.search_placeholder"))
    # The rows the table and the picker list; n_found counts every partner the search finds.
    found = directory(filters, lang, text, max_rows=DIRECTORY_ROWS)
    n_found = partner_directory.n_matching(found)
    st.caption(t("partners.directory_count", shown=format_number(n_found, lang), total=format_number(n_partners, lang)))
    _draw_directory(found, n_found, text, filters, lang)

    st.subheader(t("partners.detail_heading"))
    picked = _pick_partner(found, filters)
    if n_found > partner_directory.PICKER_ROWS:
        st.caption(
            t(
                "partners.picker_cut",
                shown=format_number(partner_directory.PICKER_ROWS, lang),
                total=format_number(n_found, lang),
            )
        )
    if not picked:
        st.caption(t("partners.pick_hint"))
        st.stop()
    _draw_partner(picked, filters, lang, context.presenting)


def _draw_count_charts(directory_counts: pd.Series, filters: Filters, lang: str, presenting: bool) -> None:
    """Partners counted by type and by strategy, side by side."""
    left, right = st.columns(2, gap="medium")
    with left:
        ui.show_chart(
            partner_charts.partners_by_type_chart(directory_counts, lang, presenting),
            key="partners_by_type",
            file_name="partners-by-type",
        )
    with right:
        ui.show_chart(
            partner_charts.partners_by_strategy_chart(
                directory_counts, strategies(filters.framework_id, lang), lang, presenting
            ),
            key="partners_by_strategy",
            file_name="partners-by-strategy",
        )


def _draw_directory(found: pd.DataFrame, n_found: int, text: str, filters: Filters, lang: str) -> None:
    """The partners the search finds, or a note that it finds none."""
    if found.empty:
        st.info(t("partners.no_match", text=escape.markdown(text)), icon=":material/search_off:")
        return
    contact_config = {column: t(f"partners.col_{column}") for column in partner_directory.CONTACT_COLUMNS}
    # The table shows the rows fetched; the CSV fetches every partner found when clicked.
    ui.show_table(
        functools.partial(_every_partner_found, filters, lang, text),
        first_rows=partner_tables.directory_table(found.head(ui.SCREEN_ROWS), lang),
        total_rows=n_found,
        key="partners_directory",
        file_name="partners",
        column_config=contact_config,
    )


def _every_partner_found(filters: Filters, lang: str, text: str) -> pd.DataFrame:
    """The directory table of every partner the search finds (for the CSV, fetched when clicked)."""
    return partner_tables.directory_table(directory(filters, lang, text), lang)


def _pick_partner(found: pd.DataFrame, filters: Filters) -> str | None:
    """The partner picked (or linked by ?partner=), kept in the URL; None when there is none."""
    # The picker lists the first PICKER_ROWS partners found (a national directory has 120,000; the
    # search above narrows it), and always the partner already picked or linked.
    linked = st.query_params.get("partner")
    wanted = link_values.plausible_id(linked)  # looked up only if it could be an id, and never echoed
    chosen = st.session_state.get("partner_pick") or wanted
    if chosen and chosen not in set(found["partner_id"].head(partner_directory.PICKER_ROWS)):
        listed = partner_directory.picker_partners(found, directory_partner(filters, chosen))
    else:
        listed = partner_directory.picker_partners(found)
    names = dict(zip(listed["partner_id"], listed["name"], strict=True))
    if "partner_pick" not in st.session_state and linked:
        if wanted in names:
            st.session_state["partner_pick"] = wanted
        else:
            ui.ignored_link_value("partner")
    if st.session_state.get("partner_pick") not in names:
        st.session_state["partner_pick"] = None
    picked = st.selectbox(
        t("partners.pick"),
        list(names),
        format_func=names.get,
        index=None,
        key="partner_pick",
        placeholder=t("partners.pick_placeholder"),
    )
    if picked:
        st.query_params["partner"] = picked
    elif "partner" in st.query_params:
        del st.query_params["partner"]
    return picked


def _draw_partner(picked: str, filters: Filters, lang: str, presenting: bool) -> None:
    """One partner: its facts, its contact (not when presenting), its schools on a map and its partnerships."""
    facts = partner(picked, lang)
    rows = partnerships(picked, filters)
    st.markdown(f"#### {escape.markdown(facts['name'])}")
    cols = st.columns(4)
    for column, (label, value) in zip(cols, partner_sentences.partner_facts(facts, rows, lang), strict=True):
        column.markdown(f"**{label}**  \n{escape.markdown(value)}")
    if not presenting:
        with st.container(border=True):
            st.markdown(f"**{t('partners.contact_heading')}**")
            st.markdown(partner_sentences.contact_line(facts, lang))
    st.caption(t("partners.detail_caption"))
    if rows.empty:
        st.info(t("partners.no_partnerships"), icon=":material/info:")
        st.stop()
    map_column, table_column = st.columns([2, 3], gap="medium")
    with map_column:
        _draw_partner_map(picked, facts, rows, filters, lang, presenting)
    with table_column:
        _draw_partnerships_table(picked, rows, filters, lang)


def _draw_partner_map(
    picked: str, facts: pd.Series, rows: pd.DataFrame, filters: Filters, lang: str, presenting: bool
) -> None:
    ui.show_chart(
        partner_figures.partner_map(
            facts, rows, school_points(), filters.on_date, lang, presenting, district_boundary_rows()
        ),
        key="partner_map",
        file_name=f"partner-{picked}-map",
    )
    if is_missing(facts["latitude"]):
        st.caption(t("partners.no_location"))


def _draw_partnerships_table(picked: str, rows: pd.DataFrame, filters: Filters, lang: str) -> None:
    """The partner's partnerships, each with a link to its school's profile when that page is there."""
    table = partner_tables.partnerships_table(rows, filters.on_date, lang)
    column_config = {"notes": t("partners.col_notes")}
    if links.has_page(links.SCHOOL_PAGE):
        query = st.query_params.to_dict()
        table[t("partners.col_profile")] = links.school_urls(rows["school_id"].tolist(), query)
        column_config[t("partners.col_profile")] = st.column_config.LinkColumn(display_text=t("partners.open_link"))
    ui.show_table(
        table, key="partner_partnerships", file_name=f"partner-{picked}-partnerships", column_config=column_config
    )

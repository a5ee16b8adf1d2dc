"""The School profile page, drawn by render() (pages/school.py is two lines that call it).

School profile: one school's facts and need, its partners, its uncovered strategies by
priority, partners nearby who deliver them elsewhere, and its outcomes over five years against
the district (small-n values suppressed). Opened with ?school=<id> — the map links here — or by
picking the school.
"""

import pandas as pd
import streamlit as st

from atlas.app import next_step, ui
from atlas.app.page_context import t
from atlas.app.shell import guarded, page_context
from atlas.domain import link_values, school_trends
from atlas.domain.filters import Filters
from atlas.domain.query.school import (
    PICKER_ROWS,
    school_facts,
    school_gaps,
    school_list,
    school_metrics,
    school_nearby_partners,
    school_partnerships,
    school_setting,
)
from atlas.present import escape, school_charts, school_need, school_sentences, school_tables
from atlas.present.i18n import count_phrase, format_number, format_percent, is_missing


@guarded
def render() -> None:
    """Draw the School profile page."""
    context = page_context()
    lang, filters = context.lang, context.filters
    parts = next_step.parts(filters)
    if not parts.n_schools:
        st.title(t("school.page_title"))
        next_step.missing(parts, "schools")
        st.stop()
    school_id = _pick_school()
    if not school_id:
        st.title(t("school.page_title"))
        st.info(t("school.choose"), icon=":material/school:")
        st.stop()

    facts = school_facts(school_id, filters)
    setting = school_setting()
    min_n = int(setting["suppression_min_n"])

    _draw_facts(facts, min_n, lang)
    next_step.need_note(parts, filters)
    # Without partners, partnerships or tags every strategy is a gap: the page says what to load.
    next_step.show_first_missing(parts)
    _draw_partnerships(school_id, filters, lang, context.presenting)
    gaps = _draw_gaps(school_id, filters, lang)
    _draw_nearby_partners(school_id, facts, gaps, setting, filters, lang)
    _draw_outcomes(school_id, facts, min_n, filters, lang, context.presenting)


def _pick_school() -> str | None:
    """The school picked, or linked by ?school=<id>; kept in the URL. None when there is none."""
    # ?school=<id> chooses the school when the link changes (a deep link, or a click on the map).
    # A link's value is looked up only if it could be an id (atlas.domain.link_values), and never echoed.
    linked = st.query_params.get("school")
    wanted = link_values.plausible_id(linked)
    if wanted != st.session_state.get("school_from_url"):
        st.session_state["school_from_url"] = wanted
        st.session_state["school_pick"] = wanted
    st.session_state.setdefault("school_pick", None)

    # The picker lists every school of a district; a state or national database has too many for one
    # list, so above PICKER_ROWS schools a search box narrows it (the chosen school stays listed).
    picker = st.columns([2, 3])[0]
    chosen = st.session_state["school_pick"]
    schools = ui.searchable(
        picker,
        key="school_search",
        find=lambda text: school_list(text, chosen, PICKER_ROWS),
        max_rows=PICKER_ROWS,
    )
    names = schools.set_index("school_id")["name"]
    if chosen not in names.index:
        st.session_state["school_pick"] = None

    school_id = picker.selectbox(
        t("school.pick"),
        list(names.index),
        format_func=names.get,
        placeholder=t("school.pick_placeholder"),
        key="school_pick",
    )
    if school_id and school_id != wanted:
        st.query_params["school"] = school_id
        st.session_state["school_from_url"] = school_id

    if linked and wanted not in names.index and not school_id:
        ui.ignored_link_value("school")
    return school_id


def _draw_facts(facts: pd.Series, min_n: int, lang: str) -> None:
    """The school's name, where it is, a summary, its key figures and what its need index is made of."""
    # Names, grades and regions come from the district's files: escaped wherever Markdown shows them.
    st.title(escape.markdown(facts["name"]))
    where = [
        t(f"levels.{facts['level']}"),
        school_sentences.grades_text(facts["grades"], lang),
        school_sentences.region_text(facts["region"], lang),
    ]
    where.append(t(f"school.title_i_{facts['title_i_status']}"))
    where.append(escape.markdown(facts["district_name"]))
    st.caption(" · ".join(where))
    feeder = school_sentences.feeder_sentence(facts, lang)
    if feeder:
        st.caption(escape.markdown(feeder))
    ui.headline(school_sentences.summary_sentence(facts, lang))
    _draw_fact_tiles(facts, lang)

    st.subheader(t("school.need_heading"))
    parts = school_need.need_parts(facts, min_n)
    st.markdown("\n".join(f"- {sentence}" for sentence in school_sentences.need_sentences(facts, parts, lang)))


def _draw_fact_tiles(facts: pd.Series, lang: str) -> None:
    tiles = st.columns(5)
    tiles[0].metric(t("school.enrollment"), format_number(facts["enrollment"], lang))
    tiles[1].metric(t("school.frl"), format_percent(facts["frl_pct"], lang))
    tiles[2].metric(t("school.el"), format_percent(facts["el_pct"], lang))
    tiles[3].metric(
        t("school.need_index"),
        format_number(facts["need_index"], lang),
        t("school.high_need") if facts["is_high_need"] else None,
        delta_color="off",
        delta_arrow="off",
    )
    tiles[4].metric(
        t("school.covered"),
        t("school.x_of_y", x=format_number(facts["n_covered"], lang), y=format_number(facts["n_strategies"], lang)),
    )


def _draw_partnerships(school_id: str, filters: Filters, lang: str, presenting: bool) -> None:
    st.subheader(t("school.partners_heading"))
    partnerships = school_partnerships(school_id, filters, lang)
    if partnerships.empty:
        st.info(t("school.no_partnerships"), icon=":material/handshake:")
        return
    columns = {c: st.column_config.TextColumn(t(f"school.col_{c}")) for c in school_tables.PRIVATE_LABELS}
    columns[t("school.col_strategies")] = st.column_config.TextColumn(width="large")
    ui.show_table(
        school_tables.partnership_table(partnerships, lang),
        key="school_partnerships",
        file_name=f"partnerships-{school_id}",
        column_config=columns,
    )
    if not presenting:
        st.caption(t("school.private_note"))


def _draw_gaps(school_id: str, filters: Filters, lang: str) -> pd.DataFrame:
    """The strategies the school lacks, by priority; returned for the nearby partners who deliver them."""
    st.subheader(t("school.gaps_heading"))
    gaps = school_gaps(school_id, filters, lang)
    if gaps.empty:
        st.success(t("school.no_gaps"), icon=":material/check_circle:")
        return gaps
    st.caption(school_sentences.gaps_intro(gaps, lang))
    st.markdown(
        "\n".join(f"{rank}. {item}" for rank, item in enumerate(school_sentences.gap_items(gaps, lang), start=1))
    )
    ui.download_csv(school_tables.gap_table(gaps, lang), key="school_gaps_csv", file_name=f"gaps-{school_id}")
    return gaps


def _draw_nearby_partners(
    school_id: str, facts: pd.Series, gaps: pd.DataFrame, setting: pd.Series, filters: Filters, lang: str
) -> None:
    """Partners within the travel radius who deliver the school's missing strategies elsewhere."""
    radius = format_number(setting["travel_radius_miles"], lang, 0 if setting["travel_radius_miles"] % 1 == 0 else 1)
    st.subheader(t("school.nearby_heading", miles=radius))
    nearby = school_nearby_partners(school_id, filters, lang)
    if gaps.empty:
        pass
    elif is_missing(facts["latitude"]):
        st.info(t("school.no_location"), icon=":material/location_off:")
    elif nearby.empty:
        st.info(t("school.no_nearby", miles=radius), icon=":material/travel_explore:")
    else:
        partners = count_phrase("school.n_partners", len(nearby), lang)
        st.caption(t("school.nearby_caption", partners=partners, miles=radius))
        ui.show_table(
            school_tables.nearby_table(nearby, lang),
            key="school_nearby",
            file_name=f"nearby-partners-{school_id}",
            column_config={t("school.col_missing_strategies"): st.column_config.TextColumn(width="large")},
        )


def _draw_outcomes(school_id: str, facts: pd.Series, min_n: int, filters: Filters, lang: str, presenting: bool) -> None:
    """The school's metrics over the years against the district's, small-n values suppressed."""
    st.subheader(t("school.metrics_heading"))
    trends = school_trends.metric_trends(school_metrics(school_id, filters, lang), school_id, min_n)
    if trends.empty:
        st.info(t("school.no_metrics"), icon=":material/monitoring:")
        return
    ui.show_chart(
        school_charts.metric_chart(trends, lang, school_name=facts["name"], presenting=presenting),
        key="school_metrics_chart",
        file_name=f"outcomes-{school_id}",
        alt=t("school.metrics_alt", name=facts["name"]),
    )
    st.caption(t("school.district_caption"))
    # The notes name the metrics, whose labels can be imported.
    for note in (
        school_sentences.suppressed_note(trends, lang, min_n),
        school_sentences.n_not_reported_note(trends, lang),
        school_sentences.district_simple_note(trends, lang),
    ):
        if note:
            st.caption(escape.markdown(note))
    with st.expander(t("school.metrics_table")):
        ui.show_table(
            school_tables.metric_table(trends, lang), key="school_metrics_table", file_name=f"outcomes-{school_id}"
        )

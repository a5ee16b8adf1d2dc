"""The Data page's data-quality report: the count of each kind of problem, then each non-empty
list, fetched only when its section is opened (at most atlas.app.ui.SCREEN_ROWS rows on screen, the
whole list only for its CSV: a national database has 58,000 idle partners)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.app import next_step, ui
from atlas.app.data_page.tagging_view import untagged_table
from atlas.app.data_page.views import lazy_expander
from atlas.app.page_context import t
from atlas.domain.query import data as q
from atlas.present import missing_data
from atlas.present.i18n import format_number, translate


def quality_section(context) -> None:
    """The data-quality report: the count of each kind of problem, then each non-empty list, fetched
    when its section is opened."""
    lang = context.lang
    on_date = context.filters.on_date
    framework_id = context.filters.framework_id
    summary = q.quality_summary(framework_id, on_date)
    # Empty tables have no problems to count: said first, so that a report of zeros does not look healthy.
    parts = next_step.parts(context.filters)
    empty = missing_data.quality_empty_note(parts, lang)
    if empty:
        st.warning(empty, icon=":material/playlist_add:")
    next_step.need_note(parts, context.filters)
    # Each list by its count's name: its first max_rows rows (None: all).
    items = [
        ("n_schools_without_coordinates", lambda max_rows: q.schools_without_coordinates(max_rows)),
        ("n_untagged", lambda max_rows: untagged_table(q.untagged_partnerships(framework_id, lang, max_rows), lang)),
        ("n_active_without_mou", lambda max_rows: q.active_without_mou(on_date, max_rows)),
        ("n_schools_missing_metrics", lambda max_rows: q.schools_missing_metrics(lang, max_rows)),
        ("n_idle_partners", lambda max_rows: q.idle_partners(on_date, lang, max_rows)),
    ]
    halves = st.columns(2)
    for index, (name, _) in enumerate(items):
        count = format_number(int(summary[name]), lang)
        halves[index % 2].markdown(t("data.dq_line", count=count, label=t(f"data.dq_{name}")))
    year = summary["latest_school_year"]
    st.caption(t("data.dq_caption", year=year if isinstance(year, str) else "—"))
    for name, load in items:
        count = int(summary[name])
        if count == 0:
            continue
        section = lazy_expander(f"{t(f'data.dq_{name}')}: {format_number(count, lang)}", key=f"data_dq_open_{name}")
        if not section.open:
            continue
        with section:
            ui.show_table(
                lambda load=load: _quality_table(load(None), lang),
                first_rows=_quality_table(load(ui.SCREEN_ROWS), lang),
                total_rows=count,
                key=f"data_dq_{name}",
                file_name=f"data-quality-{name.removeprefix('n_')}",
            )


def _quality_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    table = ui.readable_codes(frame, lang)  # words before the headers change
    return table.rename(columns=lambda column: translate(f"data.dqcol_{column}", lang))

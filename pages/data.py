"""Data: import district files (check, preview, commit whole or not at all), edit partnerships,
tag strategies in bulk, the data-quality report, and the history with undo.

Everyone may look at the data-quality report and the history; importing, editing, tagging and
undo need the editor role when sign-in is configured. Presentation mode shows no edit controls.

Import, sign-in and history are drawn by atlas.importing.views. The editor, bulk tagging and the
data-quality report are drawn here: they show at most atlas.ui.SCREEN_ROWS rows of a list and
fetch a whole list only for its CSV (or, for the editor, when its edits are checked). A national
database has 138,000 partnerships and 58,000 idle partners; fetching and sending them all took
most of this page's time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import auth, ui
from atlas.i18n import format_number, t, translate
from atlas.importing import kinds as k
from atlas.importing import transaction as committing
from atlas.importing import views
from atlas.importing.edit import EDITOR_COLUMNS, editor_frame, label, table_from_editor
from atlas.importing.mapping import Mapping
from atlas.importing.messages import sentence
from atlas.query import data as q
from atlas.query.common import strategies
from atlas.shell import page_context

# Partners and schools together, up to which the editor offers them as choice lists. Above it
# (a state has 22,000) the cells take a typed id: the lists were sent to the browser on every run.
CHOICE_LIST_MAX = 10_000


# ---- editing partnerships -----------------------------------------------------------------------------


def editor_section(context, access: auth.Access) -> None:
    """The partnership editor. Every partnership when they fit on the screen; otherwise the first
    SCREEN_ROWS (by id) of those a search finds. Checking edits checks the whole table as before:
    the rows not shown are added unchanged, so only what was edited, added or deleted changes."""
    st.caption(t("data.editor_help"))
    framework_id = context.filters.framework_id
    counts = q.editor_counts()
    search = None
    if counts["n_partnerships"] > ui.SCREEN_ROWS:
        typed = st.text_input(
            t("data.editor_search"), key="data_editor_search", help=t("data.editor_search_help"), on_change=_drop_edits
        )
        search = typed.strip() or None
        if search is not None:
            counts = q.editor_counts(search)
    rows = q.editor_partnerships(framework_id, search, max_rows=ui.SCREEN_ROWS)
    total = int(counts["n_partnerships"])
    # The status is edited as a word of the reader's language; the importer reads it back
    # (its code synonyms include the Spanish words).
    status_words = {code: translate(f"codes.status_{code}", context.lang) for code in k.STATUSES}
    frame = _editor_table(rows, status_words)
    if total > len(frame):
        st.caption(
            t(
                "data.editor_first_rows",
                shown=format_number(len(frame), context.lang),
                total=format_number(total, context.lang),
            )
        )
    edited = st.data_editor(
        frame,
        key="data_editor",
        num_rows="dynamic",
        column_config=_editor_columns(context, counts, status_words),
        column_order=EDITOR_COLUMNS,
        hide_index=True,
        width="stretch",
        height=520,
    )
    whole = search is None and total == len(frame)
    shown_ids = frozenset(frame["partnership_id"])
    identity = Mapping(kind="partnerships", columns={name: name for name in EDITOR_COLUMNS})
    signature = ("edit", framework_id, search, views._frame_signature(edited))
    if st.button(t("data.check_edits"), key="data_check_edits", icon=":material/fact_check:"):
        table = edited if whole else _with_rows_not_shown(edited, shown_ids, framework_id, status_words)
        views._prepare_and_store(
            "edit",
            lambda: committing.prepare_import(
                views.db_path(),
                table_from_editor(table),
                identity,
                mode="replace",
                framework_id=framework_id,
                action="edit",
            ),
            signature,
        )
    views._result_section(
        "edit", signature, context, access, on_commit=lambda: st.session_state.pop("data_editor", None)
    )


def _drop_edits() -> None:
    """A new search shows other rows: edits of the rows shown before are not kept."""
    st.session_state.pop("data_editor", None)


def _editor_table(rows: pd.DataFrame, status_words: dict[str, str]) -> pd.DataFrame:
    frame = editor_frame(rows)
    frame["status"] = frame["status"].map(status_words)
    return frame


def _with_rows_not_shown(
    edited: pd.DataFrame, shown_ids: frozenset[str], framework_id: str, status_words: dict[str, str]
) -> pd.DataFrame:
    """The edited rows (numbered first, as in the editor) followed by every partnership the editor
    did not show, unchanged: the whole table the importer replaces the partnerships with."""
    every = q.editor_partnerships(framework_id)
    rest = _editor_table(every[~every["partnership_id"].isin(shown_ids)], status_words)
    return pd.concat([edited[EDITOR_COLUMNS], rest], ignore_index=True)


def _editor_columns(context, counts: pd.Series, status_words: dict[str, str]) -> dict:
    if counts["n_partners"] + counts["n_schools"] <= CHOICE_LIST_MAX:
        names = q.partner_and_school_names()
        partners = [
            label(i, n) for i, n in names.loc[names["target"] == "partner", ["id", "name"]].itertuples(index=False)
        ]
        schools = [
            label(i, n) for i, n in names.loc[names["target"] == "school", ["id", "name"]].itertuples(index=False)
        ]
        partner = st.column_config.SelectboxColumn(t("data.ed_partner"), options=partners, required=True)
        school = st.column_config.SelectboxColumn(t("data.ed_school"), options=schools, required=True)
    else:
        partner = st.column_config.TextColumn(t("data.ed_partner"), required=True, help=t("data.ed_partner_typed"))
        school = st.column_config.TextColumn(t("data.ed_school"), required=True, help=t("data.ed_school_typed"))
    return {
        "partnership_id": st.column_config.TextColumn(t("data.ed_partnership_id"), required=False),
        "partner_id": partner,
        "school_id": school,
        "status": st.column_config.SelectboxColumn(
            t("data.ed_status"), options=list(status_words.values()), required=True
        ),
        "start_date": st.column_config.DateColumn(t("data.ed_start"), format="YYYY-MM-DD"),
        "end_date": st.column_config.DateColumn(t("data.ed_end"), format="YYYY-MM-DD"),
        "students_served": st.column_config.NumberColumn(t("data.ed_students"), min_value=0, step=1),
        "annual_cost_usd": st.column_config.NumberColumn(t("data.ed_cost"), min_value=0, format="$%.2f"),
        "funding_source": st.column_config.SelectboxColumn(
            t("data.ed_funding"),
            options=list(k.FUNDING),
            format_func=lambda code: translate(f"codes.funding_source_{code}", context.lang),
        ),
        "is_mou_signed": st.column_config.CheckboxColumn(t("data.ed_mou")),
        "evaluation_measure": st.column_config.TextColumn(t("data.ed_evaluation")),
        "notes": st.column_config.TextColumn(t("data.ed_notes")),
        "strategies": st.column_config.TextColumn(t("data.ed_strategies"), help=t("data.field_strategies")),
    }


# ---- bulk tagging --------------------------------------------------------------------------------------


def tagging_section(context, access: auth.Access) -> None:
    framework_id = context.filters.framework_id
    by_type = q.untagged_by_partner_type(framework_id, context.lang)
    total = int(by_type["n_untagged"].sum()) if len(by_type) else 0
    if total == 0:
        st.success(t("data.all_tagged"), icon=":material/task_alt:")
        return
    st.markdown(t("data.untagged_intro", count=format_number(total, context.lang)))
    options = by_type[by_type["n_untagged"] > 0]
    table = options[["partner_type", "n_untagged", "n_partnerships"]].rename(
        columns={
            "partner_type": t("data.col_partner_type"),
            "n_untagged": t("data.col_untagged"),
            "n_partnerships": t("data.col_partnerships"),
        }
    )
    st.dataframe(table, hide_index=True, key="data_untagged_by_type")
    labels = dict(zip(options["partner_type_id"], options["partner_type"], strict=True))
    counts = dict(zip(options["partner_type_id"], options["n_untagged"], strict=True))
    chosen_type = st.selectbox(t("data.tag_type"), list(labels), format_func=lambda v: labels[v], key="tag_type")
    framework_strategies = strategies(framework_id, context.lang)
    names = dict(
        zip(
            framework_strategies["strategy_id"],
            framework_strategies["strategy_number"].astype(str) + " · " + framework_strategies["short_name"],
            strict=True,
        )
    )
    chosen = st.multiselect(t("data.tag_strategies"), list(names), format_func=names.get, key="tag_strategies")
    count = int(counts.get(chosen_type, 0))
    if st.button(
        t("data.tag_apply", count=format_number(count, context.lang), type=labels.get(chosen_type, "")),
        key="tag_apply",
        disabled=not chosen,
        type="primary",
        icon=":material/label:",
    ):
        prepared = committing.prepare_tagging(views.db_path(), chosen_type, chosen, framework_id)
        if not prepared.ok:
            views.flash("error", "; ".join(sentence(p, context.lang) for p in prepared.checked.problems))
        else:
            import_id = committing.commit(views.db_path(), prepared, user=access.user)
            views.flash("success", t("data.tagged", count=prepared.diff.n_changed, id=import_id))
        st.rerun()
    with st.expander(t("data.untagged_list")):
        ui.show_table(
            lambda: _untagged_table(q.untagged_partnerships(framework_id, context.lang), context.lang),
            first_rows=_untagged_table(
                q.untagged_partnerships(framework_id, context.lang, ui.SCREEN_ROWS), context.lang
            ),
            total_rows=total,
            key="data_untagged",
            file_name="untagged",
        )


# The tables below are also made for a CSV when its button is clicked, outside the script run,
# where t() no longer knows the reader's language: they take it as lang.


def _untagged_table(untagged: pd.DataFrame, lang: str) -> pd.DataFrame:
    return untagged.assign(strategy=translate("data.not_yet_tagged", lang)).drop(columns=["partner_type_id"])


# ---- data quality -------------------------------------------------------------------------------------------


def quality_section(context) -> None:
    lang = context.lang
    on_date = context.filters.on_date
    framework_id = context.filters.framework_id
    summary = q.quality_summary(framework_id, on_date, lang)
    # Each list by its count's name: its first max_rows rows (None: all).
    items = [
        ("n_schools_without_coordinates", lambda max_rows: q.schools_without_coordinates(max_rows)),
        ("n_untagged", lambda max_rows: _untagged_table(q.untagged_partnerships(framework_id, lang, max_rows), lang)),
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
        with st.expander(f"{t(f'data.dq_{name}')}: {format_number(count, lang)}"):
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


# ---- the page -------------------------------------------------------------------------------------------------

context = page_context()
st.title(t("data.title_present") if context.presenting else t("data.title"))
views.show_flash()

if context.presenting:
    st.caption(t("data.presenting"))
    quality_section(context)
    st.stop()

access = views.access_panel()
if access.can_edit:
    tab_import, tab_edit, tab_tag, tab_quality, tab_history = st.tabs(
        [t("data.tab_import"), t("data.tab_edit"), t("data.tab_tag"), t("data.tab_quality"), t("data.tab_history")]
    )
    with tab_import:
        views.import_section(context, access)
    with tab_edit:
        editor_section(context, access)
    with tab_tag:
        tagging_section(context, access)
else:
    tab_quality, tab_history = st.tabs([t("data.tab_quality"), t("data.tab_history")])
with tab_quality:
    quality_section(context)
with tab_history:
    views.history_section(context, access, can_undo=access.can_edit)

"""The Data page's partnership editor: a screenful of partnerships to edit in a table, a search for
the others, and the check, preview and commit of the edits (atlas.app.data_page.preview_view draws those,
as for an import).

A national database has 138,000 partnerships: the editor shows at most atlas.app.ui.SCREEN_ROWS of
them and fetches the whole table only when its edits are checked."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from atlas.app import auth, ui
from atlas.app.data_page import preview_view, views
from atlas.app.page_context import t
from atlas.database.db import file_identity
from atlas.database.importing import transaction as committing
from atlas.database.importing.codes import FUNDING, STATUSES
from atlas.database.importing.edit import EDITOR_COLUMNS, editor_frame, labels, table_from_editor
from atlas.database.importing.mapping import Mapping
from atlas.domain.query import data as q
from atlas.present.i18n import format_number, translate

# Partners and schools together, up to which the editor offers them as choice lists. Above it
# (a state has 22,000) the cells take a typed id: the lists were sent to the browser on every run.
CHOICE_LIST_MAX = 10_000


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
    status_words = {code: translate(f"codes.status_{code}", context.lang) for code in STATUSES}
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
    signature = ("edit", file_identity(views.db_path()), framework_id, search, context.lang, _edits_signature())
    if st.button(t("data.check_edits"), key="data_check_edits", icon=":material/fact_check:"):
        table = edited if whole else _with_rows_not_shown(edited, shown_ids, framework_id, status_words)
        preview_view.check_and_store(
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
    preview_view.check_result_section(
        "edit", signature, context, access, on_commit=lambda: st.session_state.pop("data_editor", None)
    )


def has_unsaved_edits() -> bool:
    """Whether the table holds edits: its tab then runs even when hidden (see pages/data.py)."""
    edits = st.session_state.get("data_editor") or {}
    return any(edits.get(part) for part in ("edited_rows", "added_rows", "deleted_rows"))


def _drop_edits() -> None:
    """A new search shows other rows: edits of the rows shown before are not kept."""
    st.session_state.pop("data_editor", None)


def _edits_signature() -> str:
    """The edits made in the table (its widget state). With the rows shown (the database file, the
    framework, the search and the language choose them) they make the edited table: cheaper than
    hashing that table on every run."""
    return json.dumps(st.session_state.get("data_editor"), sort_keys=True, default=str)


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
        choices = labels(names["id"], names["name"])
        partners = choices[names["target"] == "partner"].tolist()
        schools = choices[names["target"] == "school"].tolist()
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
            options=list(FUNDING),
            format_func=lambda code: translate(f"codes.funding_source_{code}", context.lang),
        ),
        "is_mou_signed": st.column_config.CheckboxColumn(t("data.ed_mou")),
        "evaluation_measure": st.column_config.TextColumn(t("data.ed_evaluation")),
        "notes": st.column_config.TextColumn(t("data.ed_notes")),
        "strategies": st.column_config.TextColumn(t("data.ed_strategies"), help=t("data.field_strategies")),
    }

"""The Data page's history: every import and edit, newest first, with undo for editors."""

from __future__ import annotations

import streamlit as st

from atlas.app import auth, ui
from atlas.app.data_page.views import db_path, flash
from atlas.app.page_context import t
from atlas.database.importing import transaction as committing
from atlas.domain.query import data as q
from atlas.present import escape


def history_section(context, access: auth.Access, *, can_undo: bool) -> None:
    log = q.import_log()
    if log.empty:
        st.caption(t("data.no_history"))
        return
    shown = log.assign(
        action=log["action"].map(lambda v: t(f"data.action_{v}")),
        kind=log["kind"].map(lambda v: t(f"data.kind_{v}")),
        status=[t("data.undone") if u else "" for u in log["is_undone"]],
    )[["import_id", "committed_at", "action", "kind", "file_name", "subject", "n_rows", "n_added", "n_changed",
       "n_removed", "committed_by", "status"]]  # fmt: skip
    shown = shown.rename(columns=lambda c: t(f"data.log_{c}"))
    ui.show_table(shown, key="data_log", file_name="import-log")
    if not can_undo:
        return
    target = committing.last_undoable_in(log)
    if target is None:
        st.caption(t("data.nothing_to_undo"))
        return
    what = t(
        "data.undo_what",
        action=t(f"data.action_{target['action']}"),
        kind=t(f"data.kind_{target['kind']}"),
        file=escape.markdown(target["file_name"] or "—"),
        when=str(target["committed_at"])[:16],
        id=int(target["import_id"]),
    )
    st.markdown(what)
    confirm = st.checkbox(t("data.undo_confirm"), key="data_undo_confirm")
    if st.button(t("data.undo"), key="data_undo", disabled=not confirm, icon=":material/undo:"):
        try:
            undo_id = committing.undo_last(db_path(), actor=access)
        except committing.NotAllowed:
            flash("error", t("common.not_allowed"))
        except committing.SnapshotMissing:
            flash("error", t("data.snapshot_missing"))
        except committing.NothingToUndo:
            flash("info", t("data.nothing_to_undo"))
        else:
            st.session_state.pop("data_editor", None)
            st.session_state.pop("data_undo_confirm", None)
            flash("success", t("data.undone_message", id=int(target["import_id"]), undo_id=undo_id))
        st.rerun()

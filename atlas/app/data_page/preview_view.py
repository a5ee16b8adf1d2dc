"""Checking, previewing and committing, shared by the import and the partnership editor: the
problems that refuse a change, or the change row by row and its effect on the page's figures, and
the commit button."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.app import auth, ui
from atlas.app.data_page.views import db_path, flash
from atlas.app.page_context import t
from atlas.database.importing import transaction as committing
from atlas.database.importing.problems import ProblemSet
from atlas.present import escape
from atlas.present.i18n import format_number
from atlas.present.import_messages import grouped_lines, problems_table, sentence

GROUPS_SHOWN = 20  # distinct problems listed on the page; the table below has every row


def check_and_store(slot: str, prepare, signature) -> None:
    """Run prepare (a committing.prepare_* call) and keep its outcome for check_result_section under
    slot ("import", "edit"): the problems, or the change and its effect on the page's figures.
    signature identifies what was checked (file, mapping, edits...)."""
    state = {"signature": signature, "prepared": None, "figures": None, "refused": None}
    try:
        prepared = prepare()
        state["prepared"] = prepared
        if prepared.ok and not prepared.diff.is_empty:
            state["figures"] = committing.effect_on_figures(db_path(), prepared)
    except committing.Refused as refused:
        state["refused"] = refused
    st.session_state[f"data_result_{slot}"] = state


def check_result_section(slot: str, signature, context, access: auth.Access, *, on_commit=None) -> None:
    """The outcome check_and_store kept under slot: its problems, or the preview of the change and
    a commit button. If what is on screen no longer matches signature, only a caption saying the
    settings changed. on_commit runs after a successful commit, before the rerun."""
    state = st.session_state.get(f"data_result_{slot}")
    if not state:
        return
    if state["signature"] != signature:
        st.caption(t("data.settings_changed"))
        return
    prepared = state["prepared"]
    file_name = prepared.checked.file_name if prepared else ""
    refused = state["refused"]
    if refused is not None:
        show_problems(ProblemSet.of(refused.problems), refused.n_errors, file_name or slot, context.lang, slot)
        return
    for note in prepared.checked.notes:
        st.caption(":material/info: " + escape.markdown(sentence(note, context.lang)))
    if not prepared.ok:
        show_problems(prepared.checked.all_problems, prepared.checked.n_errors, file_name, context.lang, slot)
        return
    change = prepared.diff
    if change.is_empty:
        st.info(t("data.no_changes", rows=format_number(prepared.n_rows, context.lang)), icon=":material/info:")
        return
    st.success(t("data.checks_passed", rows=format_number(prepared.n_rows, context.lang)), icon=":material/task_alt:")
    _show_diff(prepared, context, slot)
    if state["figures"] is not None:
        _show_figures(state["figures"], context)
    if st.button(t("data.commit"), key=f"data_commit_{slot}", type="primary", icon=":material/save:"):
        try:
            import_id = committing.commit(db_path(), prepared, actor=access)
        except committing.NotAllowed:
            flash("error", t("common.not_allowed"))
            st.rerun()
        except committing.Refused as refused:
            state["refused"] = refused
            st.rerun()
        del st.session_state[f"data_result_{slot}"]
        if on_commit:
            on_commit()
        flash(
            "success",
            t("data.committed", added=change.n_added, changed=change.n_changed, removed=change.n_removed, id=import_id),
        )
        st.rerun()


def show_problems(problems: ProblemSet, n_errors: int, file_name: str, lang: str, slot: str) -> None:
    """Why a file is refused: one line per distinct problem (the engine's grouping), then every
    problem, row by row, in a table to download (all of them, not the first few hundred)."""
    text = t("data.refused_one") if n_errors == 1 else t("data.refused", count=format_number(n_errors, lang))
    st.error(text, icon=":material/block:")
    lines = grouped_lines(problems, lang, limit=GROUPS_SHOWN)
    st.markdown("\n".join(f"- {escape.markdown(line)}" for line in lines))
    with st.expander(t("import_form.every_problem", count=format_number(len(problems), lang))):
        table = problems_table(problems, file_name, lang)
        ui.show_table(table, key=f"data_problems_{slot}", file_name="import-problems", width="stretch")


def _show_diff(prepared, context, slot: str) -> None:
    change = prepared.diff
    lang = context.lang
    tiles = st.columns(5)
    tiles[0].metric(t("data.added"), format_number(change.n_added, lang))
    tiles[1].metric(t("data.changed"), format_number(change.n_changed, lang))
    tiles[2].metric(t("data.removed"), format_number(change.n_removed, lang))
    tiles[3].metric(t("data.unchanged"), format_number(change.n_unchanged, lang))
    tiles[4].metric(t("data.skipped"), format_number(prepared.checked.n_skipped, lang))
    if change.n_added:
        with st.expander(t("data.added_rows", count=format_number(change.n_added, lang))):
            ui.show_table(change.added, key=f"data_added_{slot}", file_name="rows-added")
    if change.n_changed:
        with st.expander(t("data.changed_rows", count=format_number(change.n_changed, lang)), expanded=True):
            labels = {name: t(f"data.label_{name}") for name in change.changed["field"].unique()}
            shown = change.changed.assign(field=change.changed["field"].map(labels)).rename(
                columns={"field": t("data.col_field"), "old": t("data.col_old"), "new": t("data.col_new")}
            )
            ui.show_table(shown, key=f"data_changed_{slot}", file_name="rows-changed")
    if change.n_removed:
        with st.expander(t("data.removed_rows", count=format_number(change.n_removed, lang)), expanded=True):
            st.warning(t("data.removed_warning"), icon=":material/warning:")
            ui.show_table(change.removed, key=f"data_removed_{slot}", file_name="rows-removed")


_FIGURES = (
    "n_schools",
    "n_partners",
    "n_partnerships",
    "n_active_partnerships",
    "n_untagged",
    "n_metric_values",
    "n_high_need",
    "n_high_need_with_partner",
    "n_cells_covered",
)


def _show_figures(figures: pd.DataFrame, context) -> None:
    st.markdown(f"**{t('data.effect')}**")
    rows = figures.set_index("figure")
    shown = []
    for name in _FIGURES:
        if name in rows.index:
            shown.append((t(f"data.fig_{name}"), rows.loc[name, "before"], rows.loc[name, "after"]))
    for name in rows.index:
        if name.startswith("strategy_"):
            number = name.split("_", 1)[1]
            shown.append((t("data.fig_strategy", number=number), rows.loc[name, "before"], rows.loc[name, "after"]))
    table = pd.DataFrame(shown, columns=[t("data.col_figure"), t("data.col_before"), t("data.col_after")])
    table[t("data.col_difference")] = [
        _signed(after - before) for before, after in zip(table.iloc[:, 1], table.iloc[:, 2], strict=True)
    ]
    moved = table[table[t("data.col_difference")] != "0"]
    if moved.empty:
        st.caption(t("data.no_figure_moves"))
    else:
        st.dataframe(moved, hide_index=True, key="data_effect_table")


def _signed(value) -> str:
    value = int(value)
    return f"+{value:,}" if value > 0 else f"{value:,}"

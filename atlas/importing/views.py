"""The Data page's sections (pages/data.py calls them in order): sign-in, import with column
mapping and preview, bulk strategy tagging, the data-quality report and the history with undo.
The partnership editor is in atlas.importing.editor_view; its edits are checked, previewed and
committed by the same functions as an import (check_and_store, check_result_section). Domain
work is in atlas.importing; this module only draws.

The untagged list and the data-quality lists are fetched only when their section is opened, show
at most atlas.ui.SCREEN_ROWS rows and fetch a whole list only for its CSV: a national database has
58,000 idle partners."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from atlas import auth, escape, ui
from atlas.db import database_path
from atlas.i18n import current_language, format_number, t, translate
from atlas.importing import kinds as k
from atlas.importing import transaction as committing
from atlas.importing.mapping import Mapping, MappingError, from_toml, guess_mapping, load_mapping_file, shipped_mappings
from atlas.importing.messages import message, problems_table, sentence
from atlas.importing.readers import ReadError, read_table, sheet_names
from atlas.importing.templates import template_csv, template_xlsx
from atlas.importing.validate import problem_from_read_error
from atlas.query import data as q
from atlas.query.common import strategies

FLASH = "data_flash"
NOT_IN_FILE = ""


def db_path() -> Path:
    """The district database the Data page reads and changes (made ready by the app shell's start)."""
    return database_path()


def flash(kind: str, text: str) -> None:
    """A message ("success", "error" or "info") shown at the top of the page after the rerun."""
    st.session_state[FLASH] = (kind, text)


def show_flash() -> None:
    """The message flash() left for this run, if any (shown once)."""
    kind, text = st.session_state.pop(FLASH, (None, None))
    if kind == "success":
        st.success(text, icon=":material/check_circle:")
    elif kind == "error":
        st.error(text, icon=":material/error:")
    elif kind == "info":
        st.info(text, icon=":material/info:")


# ---- who may edit ---------------------------------------------------------------------------------


def access_panel() -> auth.Access:
    access = auth.current_access()
    if access.method == "open":
        st.info(t("data.open_access"), icon=":material/lock_open:")
        return access
    if access.can_edit:
        cols = st.columns([4, 1])
        cols[0].success(t("data.signed_in_as", user=access.user), icon=":material/verified_user:")
        if access.method == "password" and cols[1].button(t("data.sign_out"), key="data_sign_out"):
            auth.sign_out()
            st.rerun()
        return access
    if access.method == "oidc":
        if access.user:
            st.warning(t("data.not_an_editor", user=escape.markdown(access.user)), icon=":material/lock:")
        else:
            st.info(t("data.sign_in_needed"), icon=":material/lock:")
            if st.button(t("data.sign_in_oidc"), key="data_sign_in_oidc"):
                st.login()
        return access
    st.info(t("data.sign_in_needed"), icon=":material/lock:")
    with st.form("data_sign_in"):
        user = st.text_input(t("data.user"), key="data_sign_in_user")
        password = st.text_input(t("data.password"), type="password", key="data_sign_in_password")
        if st.form_submit_button(t("data.sign_in")):
            outcome = auth.sign_in(user, password)
            if outcome.ok:
                st.rerun()
            elif outcome.wait_seconds:
                st.error(t("data.locked_out", seconds=format_number(outcome.wait_seconds, current_language())))
            else:
                st.error(t("data.sign_in_failed"))
    return access


def refused_unless_allowed(write) -> bool:
    """Run a write; when the write path refuses the writer, say so (flash) instead. True: written."""
    try:
        write()
    except committing.NotAllowed:
        flash("error", t("common.not_allowed"))
        return False
    return True


# ---- templates --------------------------------------------------------------------------------------


def templates_row(kind: str, lang: str) -> None:
    row = st.container(horizontal=True)
    row.download_button(
        t("data.template_csv"),
        functools.partial(template_csv, kind),  # built when clicked, as the workbook below
        file_name=f"{kind}-template.csv",
        mime="text/csv",
        key=f"data_template_csv_{kind}",
        icon=":material/download:",
    )
    row.download_button(
        t("data.template_xlsx"),
        functools.partial(template_xlsx, kind, lang),  # built when clicked: 30-45 ms a run
        file_name=f"{kind}-template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"data_template_xlsx_{kind}",
        icon=":material/download:",
    )


# ---- import -------------------------------------------------------------------------------------------


def import_in_progress() -> bool:
    """Whether a file is uploaded for import: its tab then runs even when hidden (see pages/data.py)."""
    kind_name = st.session_state.get("data_kind", next(iter(k.KINDS)))
    return st.session_state.get(f"data_file_{kind_name}") is not None


def import_section(context, access: auth.Access) -> None:
    kind_name = st.selectbox(
        t("data.kind"),
        list(k.KINDS),
        format_func=lambda v: translate(f"data.kind_{v}", context.lang),
        key="data_kind",
        help=t("data.kind_help"),
    )
    kind = k.KINDS[kind_name]
    templates_row(kind_name, context.lang)
    uploaded = st.file_uploader(
        t("data.upload"), type=["csv", "txt", "tsv", "xlsx"], key=f"data_file_{kind_name}", help=t("data.upload_help")
    )
    if uploaded is None:
        st.session_state.pop("data_read_table", None)
        st.caption(t("data.upload_hint"))
        return
    data = uploaded.getvalue()
    sheet = None
    if uploaded.name.lower().endswith(".xlsx"):
        try:
            sheets = sheet_names(data)
        except Exception:
            sheets = []
        if len(sheets) > 1:
            sheet = st.selectbox(t("data.sheet"), sheets, key=f"data_sheet_{kind_name}")
    try:
        table = _read_once(data, uploaded, sheet)
    except ReadError as error:
        # The file's name and its values are the uploader's text: escaped, not read as Markdown.
        text = escape.markdown(message(problem_from_read_error(error), uploaded.name, context.lang))
        st.error(text, icon=":material/error:")
        return
    st.caption(t("data.file_read", rows=format_number(table.n_rows, context.lang), columns=len(table.header)))
    with st.expander(t("data.first_rows")):
        st.dataframe(pd.DataFrame(table.first_rows(5), columns=_display_header(table.header)), hide_index=True)

    base = _mapping_choice(kind_name, table.header, uploaded)
    mode = st.radio(
        t("data.mode"),
        ["upsert", "replace"],
        format_func=lambda v: translate(f"data.mode_{v}", context.lang),
        key="data_mode",
        horizontal=False,
    )
    mapping = _mapping_widgets(kind, table.header, base, context)
    signature = (uploaded.file_id, uploaded.name, mode, repr(mapping), context.filters.framework_id)
    if st.button(t("data.check"), key="data_check", type="primary", icon=":material/fact_check:"):
        check_and_store(
            "import",
            lambda: committing.prepare_import(
                db_path(), table, mapping, mode=mode, framework_id=context.filters.framework_id, file_bytes=data
            ),
            signature,
        )
    check_result_section("import", signature, context, access)

    with st.expander(t("data.save_mapping"), icon=":material/bookmark_add:"):
        st.caption(t("data.save_mapping_help"))
        name = st.text_input(t("data.mapping_name"), key="data_mapping_name", max_chars=60)
        if st.button(t("data.save"), key="data_save_mapping", disabled=not name.strip()):
            if refused_unless_allowed(lambda: committing.save_mapping(db_path(), name.strip(), mapping, actor=access)):
                flash("success", t("data.mapping_saved", name=name.strip()))
            st.rerun()


def _read_once(data: bytes, uploaded, sheet: str | None):
    """The uploaded file read once, not on every rerun: a million rows took seconds to read and a
    second copy of them (while the checked change holds the first) made a commit pass 1 GB."""
    signature = (uploaded.file_id, uploaded.name, sheet)
    kept = st.session_state.get("data_read_table")
    if kept is None or kept[0] != signature:
        st.session_state["data_read_table"] = None  # the previous file's table goes before the next is read
        kept = (signature, read_table(data, uploaded.name, sheet=sheet))
        st.session_state["data_read_table"] = kept
    return kept[1]


def _display_header(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for index, name in enumerate(header):
        name = name or f"({index + 1})"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


def _mapping_choice(kind_name: str, header: list[str], uploaded) -> Mapping:
    saved = q.saved_mappings()
    saved = saved[saved["kind"] == kind_name]
    shipped = shipped_mappings(kind_name)
    options = ["auto", *(f"db:{n}" for n in saved["mapping_name"]), *(f"file:{n}" for n in shipped)]

    lang = current_language()

    def shown(option: str) -> str:
        if option == "auto":
            return translate("data.mapping_auto", lang)
        source, name = option.split(":", 1)
        key = "data.mapping_saved_option" if source == "db" else "data.mapping_shipped_option"
        return translate(key, lang, name=name)

    key = f"data_mapping_choice_{kind_name}"
    if st.session_state.get(key) not in options:
        st.session_state[key] = "auto"
    choice = st.selectbox(t("data.mapping_choice"), options, format_func=shown, key=key)
    try:
        if choice.startswith("db:"):
            text = saved.loc[saved["mapping_name"] == choice[3:], "mapping_toml"].iloc[0]
            base = from_toml(text, name=choice[3:])
        elif choice.startswith("file:"):
            base = load_mapping_file(shipped[choice[5:]])
        else:
            base = guess_mapping(kind_name, header)
    except MappingError as error:
        st.error(str(error))
        base = guess_mapping(kind_name, header)
    if base.description:
        st.caption(base.description)
    # New file or new mapping choice: set every field's widget from the chosen mapping.
    seeded = (uploaded.file_id, kind_name, choice)
    if st.session_state.get("data_map_seeded") != seeded:
        kind = k.KINDS[kind_name]
        for f in kind.fields:
            column = base.columns.get(f.name)
            st.session_state[f"data_map_{kind_name}_{f.name}"] = column if column in header else NOT_IN_FILE
            st.session_state[f"data_const_{kind_name}_{f.name}"] = base.constants.get(f.name, "")
        st.session_state["data_map_seeded"] = seeded
    return base


def _mapping_widgets(kind: k.Kind, header: list[str], base: Mapping, context) -> Mapping:
    st.markdown(f"**{t('data.match_columns')}**")
    st.caption(t("data.match_columns_help"))
    options = [NOT_IN_FILE, *dict.fromkeys(h for h in header if h)]
    # format_func runs outside the script run too (reruns, AppTest): no session state in it.
    not_in_file, none_chosen = t("data.not_in_file"), t("data.none_chosen")
    columns: dict[str, str] = {}
    constants: dict[str, str] = {}
    grid = st.columns(3)
    for index, f in enumerate(kind.fields):
        cell = grid[index % 3]
        required = f.required and not _generated(kind, f.name)
        title = t(f"data.label_{f.name}") + (" *" if required else "")
        chosen = cell.selectbox(
            title,
            options,
            format_func=lambda c: c if c else not_in_file,
            key=f"data_map_{kind.name}_{f.name}",
            help=t("data.field_help", meaning=t(f"data.field_{f.name}"), field=f.name),
        )
        if chosen:
            columns[f.name] = chosen
        elif f.type == k.CODE and f.codes in ("level", "status", "metric", "partner_type", "title_i", "funding"):
            codes = _code_options(f.codes, context.lang)
            value = cell.selectbox(
                t("data.same_for_all"),
                ["", *codes],
                format_func=lambda c, codes=codes: codes.get(c) or none_chosen,
                key=f"data_const_{kind.name}_{f.name}",
            )
            if value:
                constants[f.name] = value
    st.caption(t("data.required_legend"))
    return replace(base, columns=columns, constants=constants)


def _generated(kind: k.Kind, name: str) -> bool:
    return (kind.name, name) in {("partners", "partner_id"), ("partnerships", "partnership_id")}


def _code_options(codes: str, lang: str) -> dict[str, str]:
    if codes == "level":
        return {v: t(f"levels.{v}") for v in k.LEVELS}
    if codes == "status":
        return {v: t(f"data.status_{v}") for v in k.STATUSES}
    if codes == "title_i":
        return {v: v for v in k.TITLE_I}
    if codes == "funding":
        return {v: v for v in k.FUNDING}
    if codes == "partner_type":
        types = q.partner_types(lang)
        return dict(zip(types["partner_type_id"], types["label"], strict=True))
    return {m: m for m in q.metric_ids()}


# ---- checking, previewing and committing (shared by import and the editor) ---------------------------


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
        _show_problems(refused.problems, refused.n_errors, file_name or slot, context.lang, slot)
        return
    for note in prepared.checked.notes:
        st.caption(":material/info: " + escape.markdown(sentence(note, context.lang)))
    if not prepared.ok:
        _show_problems(prepared.checked.problems, prepared.checked.n_errors, file_name, context.lang, slot)
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


def _show_problems(problems, n_errors: int, file_name: str, lang: str, slot: str) -> None:
    text = t("data.refused_one") if n_errors == 1 else t("data.refused", count=format_number(n_errors, lang))
    st.error(text, icon=":material/block:")
    if n_errors > len(problems):
        st.caption(t("data.problems_capped", shown=len(problems), count=format_number(n_errors, lang)))
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


# ---- bulk tagging --------------------------------------------------------------------------------------


def tagging_section(context, access: auth.Access) -> None:
    """Tag every untagged partnership of one partner type with the strategies chosen (one commit),
    and the list of untagged partnerships."""
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
        prepared = committing.prepare_tagging(db_path(), chosen_type, chosen, framework_id)
        if not prepared.ok:
            flash("error", escape.markdown("; ".join(sentence(p, context.lang) for p in prepared.checked.problems)))
        else:
            try:
                import_id = committing.commit(db_path(), prepared, actor=access)
            except committing.Refused as refused:
                flash("error", "; ".join(sentence(p, context.lang) for p in refused.problems))
            except committing.NotAllowed:
                flash("error", t("common.not_allowed"))
            else:
                flash("success", t("data.tagged", count=prepared.diff.n_changed, id=import_id))
        st.rerun()
    section = lazy_expander(t("data.untagged_list"), key="data_untagged_open")
    if section.open:
        with section:
            ui.show_table(
                lambda: _untagged_table(q.untagged_partnerships(framework_id, context.lang), context.lang),
                first_rows=_untagged_table(
                    q.untagged_partnerships(framework_id, context.lang, ui.SCREEN_ROWS), context.lang
                ),
                total_rows=total,
                key="data_untagged",
                file_name="untagged",
            )


def lazy_expander(label: str, *, key: str):
    """An expander whose content the caller draws only when it is .open: opening it reruns the
    page. The lists below took most of the page's time, drawn on every run though mostly closed."""
    return st.expander(label, key=key, on_change="rerun")


# The tables below are also made for a CSV when its button is clicked, outside the script run,
# where t() no longer knows the reader's language: they take it as lang.


def _untagged_table(untagged: pd.DataFrame, lang: str) -> pd.DataFrame:
    return untagged.assign(strategy=translate("data.not_yet_tagged", lang)).drop(columns=["partner_type_id"])


# ---- data quality -------------------------------------------------------------------------------------------


def quality_section(context) -> None:
    """The data-quality report: the count of each kind of problem, then each non-empty list, fetched
    when its section is opened."""
    lang = context.lang
    on_date = context.filters.on_date
    framework_id = context.filters.framework_id
    summary = q.quality_summary(framework_id, on_date)
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


# ---- history and undo --------------------------------------------------------------------------------------------


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

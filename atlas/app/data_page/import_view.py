"""The Data page's import: choose what the file holds, download a template, upload a file (CSV or a
workbook's sheet), map its columns to fields (a saved or shipped mapping, or guessed), then check
it (the check, preview and commit are in atlas.app.data_page.preview_view)."""

from __future__ import annotations

import functools
from dataclasses import replace

import pandas as pd
import streamlit as st

from atlas.app import auth
from atlas.app.data_page import metrics_form
from atlas.app.data_page.preview_view import check_and_store, check_result_section
from atlas.app.data_page.views import db_path, flash
from atlas.app.page_context import current_language, t
from atlas.database.importing import kinds as k
from atlas.database.importing import transaction as committing
from atlas.database.importing.codes import FUNDING, LEVELS, STATUSES, TITLE_I
from atlas.database.importing.mapping import (
    Mapping,
    MappingError,
    from_toml,
    guess_mapping,
    load_mapping_file,
    shipped_mappings,
)
from atlas.database.importing.problems import problem_from_read_error
from atlas.database.importing.readers import ReadError, read_table, sheet_names
from atlas.domain.query import data as q
from atlas.present import escape
from atlas.present.i18n import format_number, translate
from atlas.present.import_messages import message
from atlas.present.import_templates import template_csv, template_xlsx

NOT_IN_FILE = ""


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


def refused_unless_allowed(write) -> bool:
    """Run a write; when the write path refuses the writer, say so (flash) instead. True: written."""
    try:
        write()
    except committing.NotAllowed:
        flash("error", t("common.not_allowed"))
        return False
    return True


def import_in_progress() -> bool:
    """Whether a file is uploaded for import: its tab then runs even when hidden (see pages/data.py)."""
    kind_name = st.session_state.get("data_kind", next(iter(k.KINDS)))
    return st.session_state.get(f"data_file_{kind_name}") is not None


def import_section(context, access: auth.Access) -> None:
    kind_name = _kind_choice(context.lang)
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
    sheet = _sheet_choice(data, uploaded.name, kind_name)
    try:
        table = _read_once(data, uploaded, sheet)
    except ReadError as error:
        # The file's name and its values are the uploader's text: escaped, not read as Markdown.
        text = escape.markdown(message(problem_from_read_error(error), uploaded.name, context.lang))
        st.error(text, icon=":material/error:")
        return
    _file_read_summary(table, context.lang)

    base = _mapping_choice(kind_name, table.header, uploaded)
    mode = st.radio(
        t("data.mode"),
        ["upsert", "replace"],
        format_func=lambda v: translate(f"data.mode_{v}", context.lang),
        key="data_mode",
        horizontal=False,
    )
    if kind_name == "metrics":
        mapping = metrics_form.form(table, base, context.lang)
    else:
        mapping = _mapping_widgets(kind, table.header, base, context)
    signature = (uploaded.file_id, uploaded.name, mode, repr(mapping), context.filters.framework_id)
    if st.button(t("data.check"), key="data_check", type="primary", icon=":material/fact_check:"):
        check_and_store(
            "import",
            lambda: committing.prepare_import(
                db_path(),
                table,
                mapping,
                mode=mode,
                framework_id=context.filters.framework_id,
                file_bytes=data,
            ),
            signature,
        )
    check_result_section("import", signature, context, access)
    _save_mapping_section(mapping, access)


def _kind_choice(lang: str) -> str:
    """What the file holds: one of the import kinds (a file of measures is kind metric_definitions)."""
    return st.selectbox(
        t("data.kind"),
        list(k.KINDS),
        format_func=lambda v: translate(f"data.kind_{v}", lang),
        key="data_kind",
        help=t("data.kind_help"),
    )


def _sheet_choice(data: bytes, file_name: str, kind_name: str) -> str | None:
    """The workbook's sheet to read, chosen when it has more than one; None for a CSV or one sheet."""
    if not file_name.lower().endswith(".xlsx"):
        return None
    try:
        sheets = sheet_names(data)
    except Exception:
        sheets = []
    if len(sheets) > 1:
        return st.selectbox(t("data.sheet"), sheets, key=f"data_sheet_{kind_name}")
    return None


def _file_read_summary(table, lang: str) -> None:
    st.caption(t("data.file_read", rows=format_number(table.n_rows, lang), columns=len(table.header)))
    with st.expander(t("data.first_rows")):
        st.dataframe(pd.DataFrame(table.first_rows(5), columns=_display_header(table.header)), hide_index=True)


def _save_mapping_section(mapping: Mapping, access: auth.Access) -> None:
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
        if kind_name == "metrics":
            metrics_form.seed(base, header)
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
        return {v: t(f"levels.{v}") for v in LEVELS}
    if codes == "status":
        return {v: t(f"data.status_{v}") for v in STATUSES}
    if codes == "title_i":
        return {v: v for v in TITLE_I}
    if codes == "funding":
        return {v: v for v in FUNDING}
    if codes == "partner_type":
        types = q.partner_types(lang)
        return dict(zip(types["partner_type_id"], types["label"], strict=True))
    return {m: m for m in q.metric_ids()}

"""A district's own measures on the Data page: a file of measures uploaded (kind "Measures": metric_id,
label_en, label_es, unit, is_higher_better, min_value, max_value), and one measure made right in the
metrics form for a column of a wide file.

Both are checked by atlas.database.importing.measures (every problem names its row and column; any
problem writes nothing) and written at once through the one write path, as their own change in the
history that Undo reverts: a measure must exist before the values that use it are checked, and making
it separately lets the user see it in the choices and undo it alone."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.app import auth
from atlas.app.data_page.views import db_path, flash
from atlas.app.page_context import current_language, t
from atlas.database.importing import measures
from atlas.database.importing import transaction as committing
from atlas.database.importing.mapping import normalise
from atlas.database.importing.problems import problem_from_read_error
from atlas.database.importing.readers import RawTable, ReadError, read_table
from atlas.domain.query import data as q
from atlas.present import escape
from atlas.present.import_messages import message, sentence

KIND = measures.KIND  # the Data page's kind choice for a file of measures
NEW_MEASURE = "__new__"  # the measure choice that opens the "new measure" form
EXAMPLE = (
    "metric_id,label_en,label_es,unit,is_higher_better,min_value,max_value\n"
    "family_involvement_score,Family involvement,Participación de las familias,score,true,0,99\n"
)


def measure_labels(lang: str | None = None) -> dict[str, str]:
    """Measure id → its label in lang (the page's language by default)."""
    frame = q.measures(lang or current_language())
    return dict(zip(frame["metric_id"], frame["label"], strict=True))


def definitions_section(context, access: auth.Access) -> None:
    """Upload a file of measures: checked, then added (or updated) with one button."""
    st.caption(t("import_form.measures_help"))
    st.download_button(
        t("data.template_csv"),
        EXAMPLE.encode(),
        file_name="measures-template.csv",
        mime="text/csv",
        key="data_measures_template",
        icon=":material/download:",
    )
    uploaded = st.file_uploader(t("data.upload"), type=["csv", "txt", "tsv", "xlsx"], key=f"data_file_{KIND}")
    if uploaded is None:
        return
    try:
        table = read_table(uploaded.getvalue(), uploaded.name)
    except ReadError as error:
        st.error(escape.markdown(message(problem_from_read_error(error), uploaded.name, context.lang)))
        return
    frame, problems, n_errors = _checked(table)
    if n_errors:
        _show_problems(problems, n_errors, uploaded.name, context.lang)
        return
    st.success(t("import_form.measures_ok", count=len(frame)), icon=":material/task_alt:")
    st.dataframe(frame, hide_index=True, key="data_measures_preview")
    if st.button(t("data.commit"), key="data_commit_measures", type="primary", icon=":material/save:"):
        if _saved(frame, access, action="import", file_name=uploaded.name):
            flash("success", t("import_form.measures_saved", count=len(frame)))
        st.rerun()


def _checked(table: RawTable):
    with committing.read_connection(db_path()) as con:
        stored = measures.stored_ranges(con)
    return measures.check_table(table, stored)


def _show_problems(problems, n_errors: int, file_name: str, lang: str) -> None:
    from atlas.app.data_page.preview_view import show_problems

    show_problems(problems, n_errors, file_name, lang, "measures")


def _saved(frame: pd.DataFrame, access: auth.Access, **details) -> bool:
    try:
        measures.save(db_path(), frame, actor=access, **details)
    except committing.NotAllowed:
        flash("error", t("common.not_allowed"))
        return False
    return True


def new_measure_form(column: str, select_key: str) -> None:
    """The fields of a new measure for a wide file's column; its button creates it and chooses it."""
    st.caption(t("import_form.new_measure_help"))
    key = f"data_new_{select_key}"
    st.text_input(t("import_form.measure_id"), value=_suggested_id(column), key=f"{key}_id", max_chars=60)
    left, right = st.columns(2)
    left.text_input(t("import_form.label_en"), value=column, key=f"{key}_label_en", max_chars=80)
    right.text_input(t("import_form.label_es"), value=column, key=f"{key}_label_es", max_chars=80)
    left.selectbox(
        t("import_form.unit"), measures.UNITS, format_func=lambda u: t(f"import_form.unit_{u}"), key=f"{key}_unit"
    )
    right.checkbox(t("import_form.higher_better"), value=True, key=f"{key}_better")
    left.number_input(t("import_form.min_value"), value=0.0, key=f"{key}_min")
    right.number_input(t("import_form.max_value"), value=100.0, key=f"{key}_max")
    st.button(
        t("import_form.create_measure"),
        key=f"{key}_create",
        icon=":material/add:",
        on_click=_create_measure,
        args=(key, select_key),
    )
    for text in st.session_state.pop(f"{key}_problems", []):
        st.error(text, icon=":material/error:")


def _suggested_id(column: str) -> str:
    return normalise(column).replace(" ", "_")[:60] or "measure"


def _create_measure(key: str, select_key: str) -> None:
    """The create button's callback (it runs before the page, so it may choose the new measure)."""
    state = st.session_state
    row = [
        str(state[f"{key}_id"]).strip(),
        str(state[f"{key}_label_en"]).strip(),
        str(state[f"{key}_label_es"]).strip(),
        state[f"{key}_unit"],
        "true" if state[f"{key}_better"] else "false",
        repr(float(state[f"{key}_min"])),
        repr(float(state[f"{key}_max"])),
    ]
    if row[0] in measure_labels():
        state[f"{key}_problems"] = [t("import_form.measure_exists", metric_id=escape.markdown(row[0]))]
        return
    table = RawTable(t("import_form.new_measure_option"), list(measures.COLUMNS), [row], [1])
    frame, problems, n_errors = _checked(table)
    if n_errors:
        lang = current_language()
        state[f"{key}_problems"] = [escape.markdown(f"{p.column}: {sentence(p, lang)}") for p in problems]
        return
    if _saved(frame, auth.current_access(), action="edit"):
        state[select_key] = row[0]
        flash("success", t("import_form.measure_created", metric_id=row[0]))

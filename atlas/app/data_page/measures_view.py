"""A district's own measures on the Data page: one measure made right in the metrics form for a
column of a wide file. (A file of measures is the ordinary import, kind metric_definitions.)

The measure is checked and written by the engine (atlas.database.importing.measures: every problem
names its column; any problem writes nothing) through the one write path, as its own change in the
history that Undo reverts: a measure must exist before the values that use it are checked, and making
it separately lets the user see it in the choices and undo it alone."""

from __future__ import annotations

import streamlit as st

from atlas.app import auth
from atlas.app.data_page.views import db_path, flash
from atlas.app.page_context import current_language, t
from atlas.database.importing import measures
from atlas.database.importing import transaction as committing
from atlas.database.importing.codes import UNITS
from atlas.database.importing.mapping import normalise
from atlas.domain.query import data as q
from atlas.present import escape
from atlas.present.import_messages import sentence

NEW_MEASURE = "__new__"  # the measure choice that opens the "new measure" form


def measure_labels(lang: str | None = None) -> dict[str, str]:
    """Measure id → its label in lang (the page's language by default)."""
    frame = q.measures(lang or current_language())
    return dict(zip(frame["metric_id"], frame["label"], strict=True))


def new_measure_form(column: str, select_key: str) -> None:
    """The fields of a new measure for a wide file's column; its button creates it and chooses it."""
    st.caption(t("import_form.new_measure_help"))
    key = f"data_new_{select_key}"
    st.text_input(t("import_form.measure_id"), value=_suggested_id(column), key=f"{key}_id", max_chars=60)
    left, right = st.columns(2)
    left.text_input(t("data.label_label_en"), value=column, key=f"{key}_label_en", max_chars=80)
    right.text_input(t("data.label_label_es"), value=column, key=f"{key}_label_es", max_chars=80)
    left.selectbox(t("data.label_unit"), UNITS, format_func=lambda u: t(f"import_form.unit_{u}"), key=f"{key}_unit")
    right.checkbox(t("data.label_is_higher_better"), value=True, key=f"{key}_better")
    left.number_input(t("data.label_min_value"), value=0.0, key=f"{key}_min")
    right.number_input(t("data.label_max_value"), value=100.0, key=f"{key}_max")
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
    row = {
        "metric_id": str(state[f"{key}_id"]).strip(),
        "label_en": str(state[f"{key}_label_en"]).strip(),
        "label_es": str(state[f"{key}_label_es"]).strip(),
        "unit": state[f"{key}_unit"],
        "is_higher_better": "true" if state[f"{key}_better"] else "false",
        "min_value": repr(float(state[f"{key}_min"])),
        "max_value": repr(float(state[f"{key}_max"])),
    }
    measure = row["metric_id"]
    if measure in measure_labels():
        state[f"{key}_problems"] = [t("import_form.measure_exists", metric_id=escape.markdown(measure))]
        return
    try:
        measures.define_measures(db_path(), [row], actor=auth.current_access())
    except committing.NotAllowed:
        flash("error", t("common.not_allowed"))
        return
    except committing.Refused as refused:  # nothing written: each problem names its column
        lang = current_language()
        state[f"{key}_problems"] = [escape.markdown(f"{p.column}: {sentence(p, lang)}") for p in refused.problems]
        return
    state[select_key] = measure
    flash("success", t("import_form.measure_created", metric_id=measure))

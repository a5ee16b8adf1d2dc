"""The Data page's form for a metrics file: one row per measure (long) or one column per measure (wide,
one row per school), the school year and n "the same for every row" or "from a column" (n asked as a
plain question: a column, each school's enrollment, or not reported — never a made-up number), ×100
for fractions, the codes that mean "no value", and skipping rows whose value is missing.

seed() sets every widget from a Mapping (a saved or shipped one, or the guess); form() reads them back
into a Mapping, so what "save this mapping" stores reloads identically."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from atlas.app.data_page import measures_view
from atlas.app.page_context import t
from atlas.database.importing.mapping import Mapping, normalise
from atlas.database.importing.wide import fraction_columns
from atlas.domain.query import data as q
from atlas.present import escape

NULL_CODES = ("NDA", "s", "*", "N/A", "-")  # offered; others may be typed
FRACTION_SCALE = 100.0
NEW = measures_view.NEW_MEASURE
P = "data_m_"  # widget keys


def _key(name: str, column: str = "") -> str:
    return f"{P}{name}__{column}" if column else f"{P}{name}"


def seed(mapping: Mapping, header: list[str]) -> None:
    """Every widget of the form set from mapping (columns the file lacks left unchosen)."""
    state = st.session_state
    present = set(header)

    def column(field: str) -> str:
        return mapping.columns.get(field, "") if mapping.columns.get(field) in present else ""

    for key in [k for k in state if str(k).startswith(P)]:
        del state[key]
    wide = bool(mapping.metric_columns) or not (column("metric_id") or column("value"))
    state[_key("shape")] = "wide" if wide else "long"
    state[_key("school_id")] = column("school_id")
    state[_key("year_from")] = "column" if column("school_year") else "same"
    state[_key("year_column")] = column("school_year")
    state[_key("year_value")] = mapping.constants.get("school_year", "")
    state[_key("metric_column")] = column("metric_id")
    state[_key("metric_value")] = mapping.constants.get("metric_id", "")
    state[_key("value_column")] = column("value")
    state[_key("scale", "value")] = bool(mapping.scale.get("value")) if mapping.name else None
    measures = mapping.metric_columns or (_guessed_measures(header) if wide and not mapping.name else {})
    chosen = [c for c in dict.fromkeys(measures.values()) if c in present]
    state[_key("measure_columns")] = chosen
    for measure, their in measures.items():
        if their in present:
            state[_key("measure", their)] = measure
            state[_key("scale", their)] = bool(mapping.scale.get(measure)) if mapping.name else None
    state[_key("n_source")] = mapping.n_source or ("column" if column("n") else None)
    state[_key("n_column")] = column("n")
    state[_key("nulls")] = list(mapping.null_values)
    state[_key("skip_blank")] = "value" in mapping.skip_when_blank


def _guessed_measures(header: list[str]) -> dict[str, str]:
    """Measure id → the column named like it ('graduation_rate' for graduation_rate_pct, or its label)."""
    names: dict[str, str] = {}
    for row in q.measures("en").itertuples():
        for spelling in (row.metric_id, row.metric_id.rsplit("_", 1)[0], row.label):
            names.setdefault(normalise(spelling), row.metric_id)
    guessed: dict[str, str] = {}
    for column in header:
        measure = names.get(normalise(column))
        if measure and measure not in guessed:
            guessed[measure] = column
    return guessed


def form(table, base: Mapping, lang: str) -> Mapping:
    """The metrics form; the Mapping its widgets say (base's other settings kept)."""
    header = list(dict.fromkeys(h for h in table.header if h))
    options = ["", *header]
    not_in_file = t("data.not_in_file")
    shown = lambda c: c or not_in_file  # noqa: E731 (format_func: no session state in it)
    shape = st.radio(
        t("import_form.shape"),
        ["long", "wide"],
        format_func=lambda v: t(f"import_form.shape_{v}"),
        key=_key("shape"),
        horizontal=True,
    )
    columns: dict[str, str] = {}
    constants: dict[str, str] = {}
    school = st.selectbox(t("data.label_school_id") + " *", options, format_func=shown, key=_key("school_id"))
    if school:
        columns["school_id"] = school
    _school_year(options, shown, columns, constants)
    nulls = st.multiselect(
        t("import_form.nulls"),
        list(dict.fromkeys([*NULL_CODES, *st.session_state.get(_key("nulls"), [])])),
        key=_key("nulls"),
        accept_new_options=True,
        help=t("import_form.nulls_help"),
    )
    if shape == "wide":
        metric_columns, scale = _wide_measures(table, header, school, tuple(nulls), lang)
    else:
        metric_columns, scale = {}, _long_measure(table, options, shown, tuple(nulls), columns, constants)
    n_source = _n_question(options, shown, columns)
    skip = st.checkbox(t("import_form.skip_blank"), key=_key("skip_blank"), help=t("import_form.skip_blank_help"))
    return replace(
        base,
        columns=columns,
        constants=constants,
        metric_columns=metric_columns,
        scale=scale,
        n_source=n_source or "",
        null_values=tuple(nulls),
        skip_when_blank=("value",) if skip else (),
    )


def _school_year(options, shown, columns: dict, constants: dict) -> None:
    left, right = st.columns(2)
    source = left.radio(
        t("data.label_school_year") + " *",
        ["same", "column"],
        format_func=lambda v: t(f"import_form.from_{v}"),
        key=_key("year_from"),
    )
    if source == "column":
        chosen = right.selectbox(t("import_form.year_column"), options, format_func=shown, key=_key("year_column"))
        if chosen:
            columns["school_year"] = chosen
    else:
        year = right.text_input(t("import_form.year_value"), key=_key("year_value"), placeholder="2024-25").strip()
        if year:
            constants["school_year"] = year


def _long_measure(table, options, shown, nulls, columns: dict, constants: dict) -> dict[str, float]:
    left, right = st.columns(2)
    metric = left.selectbox(t("data.label_metric_id"), options, format_func=shown, key=_key("metric_column"))
    if metric:
        columns["metric_id"] = metric
    else:
        ids = measures_view.measure_labels()
        fixed = left.selectbox(
            t("data.same_for_all"),
            ["", *ids],
            format_func=lambda m, ids=ids: ids.get(m) or m or t("data.none_chosen"),
            key=_key("metric_value"),
        )
        if fixed:
            constants["metric_id"] = fixed
    value = right.selectbox(t("data.label_value") + " *", options, format_func=shown, key=_key("value_column"))
    if not value:
        return {}
    columns["value"] = value
    if _scale_box(table, value, "value", nulls, right):
        return {"value": FRACTION_SCALE}
    return {}


def _scale_box(table, column: str, state_name: str, nulls, where) -> bool:
    """The ×100 box of a column: pre-ticked, with a hint, when every number in it is between 0 and 1."""
    fractions = _fractions(table, column, nulls)
    key = _key("scale", state_name)
    if st.session_state.get(key) is None:
        st.session_state[key] = fractions
    ticked = where.checkbox(t("import_form.scale"), key=key, help=t("import_form.scale_help"))
    if fractions:
        where.caption(":material/lightbulb: " + t("import_form.scale_offer"))
    return ticked


def _fractions(table, column: str, nulls) -> bool:
    """Whether every number in the file's column is between 0 and 1 (kept per file and column)."""
    memo = st.session_state.setdefault("data_fractions", {})
    signature = (table.file_name, table.n_rows, column, nulls)
    if signature not in memo:
        probe = Mapping(kind="metrics", metric_columns={column: column}, null_values=tuple(nulls))
        memo[signature] = bool(fraction_columns(table, probe))  # the engine's test, one column
    return memo[signature]


def _wide_measures(table, header, school: str, nulls, lang: str) -> tuple[dict[str, str], dict[str, float]]:
    """Wide file: the columns holding measures, each mapped to a measure (or a new one) and its scale."""
    chosen = st.multiselect(
        t("import_form.measure_columns"),
        [c for c in header if c != school],
        key=_key("measure_columns"),
        help=t("import_form.measure_columns_help"),
    )
    labels = measures_view.measure_labels(lang)
    metric_columns: dict[str, str] = {}
    scale: dict[str, float] = {}
    for column in chosen:
        left, middle, right = st.columns([2, 3, 1.6], vertical_alignment="top")
        left.markdown(f"**{_quoted(column)}**")
        key = _key("measure", column)
        known = [*labels, *([st.session_state[key]] if st.session_state.get(key) not in (None, "", NEW) else [])]
        choices = ["", *dict.fromkeys(known), NEW]
        measure = middle.selectbox(
            t("import_form.measure_for", column=column),
            choices,
            format_func=lambda m, labels=labels: _measure_shown(m, labels),
            key=key,
            label_visibility="collapsed",
        )
        ticked = _scale_box(table, column, column, nulls, right)
        if measure == NEW:
            with middle.container(border=True):
                measures_view.new_measure_form(column, key)
        elif measure:
            metric_columns[measure] = column
            if ticked:
                scale[measure] = FRACTION_SCALE
    return metric_columns, scale


def _measure_shown(measure: str, labels: dict[str, str]) -> str:
    if measure == NEW:
        return t("import_form.new_measure_option")
    if not measure:
        return t("import_form.no_measure")
    return f"{labels[measure]} ({measure})" if measure in labels else measure


def _quoted(column: str) -> str:
    return escape.markdown(column)


def _n_question(options, shown, columns: dict) -> str | None:
    """How many students each value is about: a column, the school's enrollment, or not reported."""
    source = st.radio(
        t("import_form.n_question"),
        ["column", "enrollment", "not_reported"],
        format_func=lambda v: t(f"import_form.n_{v}"),
        key=_key("n_source"),
        index=None,
        help=t("import_form.n_help"),
    )
    if source == "column":
        chosen = st.selectbox(t("import_form.n_which_column"), options, format_func=shown, key=_key("n_column"))
        if chosen:
            columns["n"] = chosen
    return source

"""The Outcomes page, drawn by render() (pages/outcomes.py is two lines that call it).

Outcomes: metric trends by group and by school, and schools with vs without a strategy, with
small-n suppression (atlas.domain.outcomes.protect) applied before anything is shown, and every group
figure computed from the published values only.
"""

import functools
from collections.abc import Callable

import pandas as pd
import streamlit as st

from atlas.app import next_step, ui
from atlas.app.page_context import t
from atlas.app.shell import guarded, page_context
from atlas.database.db import run_together
from atlas.domain import outcomes
from atlas.domain.query.common import strategies
from atlas.domain.query.outcomes import metric_values, metrics, schools_by_need, suppression_min_n
from atlas.present import outcome_charts, outcome_tables, outcome_text
from atlas.present.figures import strategy_label
from atlas.present.i18n import format_number

DEFAULT_METRIC = "chronic_absence_pct"  # shown on a first visit, when the file has it


@guarded
def render() -> None:
    """Draw the Outcomes page."""
    context = page_context()
    lang = context.lang
    filters = context.filters
    st.title(t("outcomes.title"))
    # The values of the metric shown last (or the default) are fetched on this thread while the queries
    # that need no choice made on the page run beside them; another metric chosen below runs its own.
    # Not on another thread: half a million national rows built there raised peak memory by 100 MB.
    # The heatmap and the table's first rows name at most a screenful of schools.
    shown_before = st.session_state.get("outcome_metric", DEFAULT_METRIC)
    values_before, min_n, choices, first_schools = run_together(
        lambda: metric_values(shown_before, filters),
        suppression_min_n,
        lambda: metrics(lang),
        lambda: schools_by_need(filters, max_schools=ui.SCREEN_ROWS),
    )
    st.caption(t("outcomes.intro") + " " + t("outcomes.suppression_note", min_n=min_n))

    if choices.empty:
        parts = next_step.parts(filters)
        next_step.missing(parts, "metrics" if parts.n_schools else "schools")
        st.stop()
    labels = choices.set_index("metric_id")["label"]
    framework = strategies(filters.framework_id, lang)
    names = framework.set_index("strategy_number")["short_name"]

    controls = st.columns(3)
    metric_id = _choose_metric(controls[0], labels)
    dimension = _choose_dimension(controls[1])
    strategy_number = _choose_strategy(controls[2], names, filters.strategy_number)
    metric = choices.set_index("metric_id").loc[metric_id].copy()
    metric["metric_id"] = metric_id

    raw = values_before if metric_id == shown_before else metric_values(metric_id, filters)
    del values_before  # a metric's values are large: never two sets at once
    if raw.empty:
        ui.empty_state(t("outcomes.no_values", metric=metric["label"]))
        st.stop()

    values = outcomes.prepare(raw, list(names.index))
    protected = outcomes.protect(values, min_n)
    overall = outcomes.group_totals(protected, min_n, None)
    by_group = outcomes.group_totals(protected, min_n, dimension)
    by_strategy = outcomes.strategy_totals(protected, min_n, strategy_number)
    years = sorted(values["school_year"].unique())

    for sentence in outcome_text.outcome_findings(overall, by_strategy, metric, str(strategy_number), lang):
        ui.headline(sentence)
    _draw_group_chart(by_group, overall, dimension, metric, years, lang, context.presenting)
    _draw_strategy_chart(by_strategy, strategy_number, names, metric, years, lang, context.presenting)
    if not (overall["is_weighted"].all() and by_group["is_weighted"].all() and by_strategy["is_weighted"].all()):
        st.caption(t("outcomes.simple_mean_note"))
    _draw_school_heatmap(protected, first_schools, metric, years, min_n, lang, context.presenting)
    downloads = st.columns(2)
    school_download = functools.partial(
        outcome_tables.school_values_download, metric_id, filters, min_n, list(names.index), metric, lang
    )
    _draw_school_table(downloads[0], school_download, protected, first_schools, metric, lang)
    _draw_group_table(downloads[1], overall, by_group, dimension, metric, lang)


def _choose_metric(column, labels: pd.Series) -> str:
    """The metric picker: the metric shown last stays chosen, else the default, else the first."""
    if st.session_state.get("outcome_metric") not in labels.index:
        default = DEFAULT_METRIC if DEFAULT_METRIC in labels.index else labels.index[0]
        st.session_state["outcome_metric"] = default
    return column.selectbox(t("outcomes.metric"), list(labels.index), format_func=labels.get, key="outcome_metric")


def _choose_dimension(column) -> str:
    """The grouping of students the first chart compares (one of outcomes.GROUP_DIMENSIONS)."""
    return column.radio(
        t("outcomes.group_by"),
        outcomes.GROUP_DIMENSIONS,
        format_func=lambda d: t(f"outcomes.choice_{d}"),
        key="outcome_group",
        horizontal=True,
    )


def _choose_strategy(column, names: pd.Series, focused: int | None) -> int:
    """The strategy whose schools are compared: the one in focus (stated, not picked), else a picker."""
    if focused in names.index:
        column.caption(t("outcomes.strategy_from_focus", strategy=strategy_label(focused, names[focused])))
        return focused
    if st.session_state.get("outcome_strategy") not in names.index:
        st.session_state["outcome_strategy"] = names.index[0]
    return column.selectbox(
        t("outcomes.strategy"),
        list(names.index),
        format_func=lambda n: strategy_label(n, names[n]),
        key="outcome_strategy",
    )


def _draw_group_chart(
    by_group: pd.DataFrame,
    overall: pd.DataFrame,
    dimension: str,
    metric: pd.Series,
    years: list,
    lang: str,
    presenting: bool,
) -> None:
    ui.show_chart(
        outcome_charts.group_trend_chart(by_group, overall, dimension, metric, years, lang, presenting),
        key="outcomes_groups",
        file_name=f"{metric['metric_id']}-by-{dimension}",
    )
    weighted = by_group["is_weighted"].all() and overall["is_weighted"].all()
    st.caption(t("outcomes.group_caption" if weighted else "outcomes.group_caption_simple"))


def _draw_strategy_chart(
    by_strategy: pd.DataFrame,
    strategy_number: int,
    names: pd.Series,
    metric: pd.Series,
    years: list,
    lang: str,
    presenting: bool,
) -> None:
    label = strategy_label(strategy_number, names[strategy_number])
    ui.show_chart(
        outcome_charts.strategy_comparison_chart(by_strategy, strategy_number, label, metric, years, lang, presenting),
        key="outcomes_strategy",
        file_name=f"{metric['metric_id']}-strategy-{strategy_number}",
    )
    st.caption(t("outcomes.strategy_caption"))


def _draw_school_heatmap(
    protected: pd.DataFrame,
    first_schools: pd.DataFrame,
    metric: pd.Series,
    years: list,
    min_n: int,
    lang: str,
    presenting: bool,
) -> None:
    st.subheader(t("outcomes.school_heading"))
    ui.show_chart(
        outcome_charts.school_heatmap(protected, first_schools, metric, years, min_n, lang, presenting),
        key="outcomes_schools",
        file_name=f"{metric['metric_id']}-by-school",
    )
    st.caption(t("outcomes.school_caption"))
    unreported = int((~protected["is_n_reported"]).sum())
    if unreported:
        st.caption(t("outcomes.n_not_reported_note", count=format_number(unreported, lang)))


def _student_counts() -> dict:
    """Student counts with thousands separators (in the browser's locale)."""
    return {t("outcomes.col_n"): st.column_config.NumberColumn(format="localized")}


def _draw_school_table(
    column,
    download: Callable[[], pd.DataFrame],
    protected: pd.DataFrame,
    first_schools: pd.DataFrame,
    metric: pd.Series,
    lang: str,
) -> None:
    """Every school's published values: the first screenful shown, all of them fetched for the CSV."""
    with column:
        st.markdown(f"**{t('outcomes.download_schools')}**")
        ui.show_table(
            download,
            first_rows=outcome_tables.school_values_table(protected.head(ui.SCREEN_ROWS), first_schools, metric, lang),
            total_rows=len(protected),
            key="outcomes_school_table",
            file_name=f"{metric['metric_id']}-schools",
            column_config=_student_counts(),
        )


def _draw_group_table(
    column, overall: pd.DataFrame, by_group: pd.DataFrame, dimension: str, metric: pd.Series, lang: str
) -> None:
    with column:
        st.markdown(f"**{t('outcomes.download_groups')}**")
        ui.show_table(
            outcome_tables.groups_table(overall, by_group, dimension, metric, lang),
            key="outcomes_group_table",
            file_name=f"{metric['metric_id']}-groups",
            column_config=_student_counts(),
        )

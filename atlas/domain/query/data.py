"""Queries of the Data page: the data-quality report, untagged partnerships, the editor's
table, the import log and saved mappings.

The lists take max_rows: the page fetches the first screenful (atlas.app.ui.SCREEN_ROWS) and
fetches everything (None) only for a CSV or a check of the whole table."""

from __future__ import annotations

from datetime import date

import pandas as pd

from atlas.database.db import run_query


def quality_summary(framework_id: str, on_date: date) -> pd.Series:
    """Counts for the data-quality report, by the name of each list (n_schools_without_coordinates,
    n_untagged, n_active_without_mou, n_schools_missing_metrics, n_idle_partners), and the newest
    school year with metrics (latest_school_year). One query: the lists are fetched only when
    their section is opened."""
    return run_query("data_quality_counts", framework_id=framework_id, on_date=on_date).iloc[0]


def schools_without_coordinates(max_rows: int | None = None) -> pd.DataFrame:
    return run_query("data_quality_no_coordinates", max_rows=max_rows)


def active_without_mou(on_date: date, max_rows: int | None = None) -> pd.DataFrame:
    return run_query("data_quality_no_mou", on_date=on_date, max_rows=max_rows)


def schools_missing_metrics(lang: str, max_rows: int | None = None) -> pd.DataFrame:
    return run_query("data_quality_missing_metrics", lang=lang, max_rows=max_rows)


def idle_partners(on_date: date, lang: str, max_rows: int | None = None) -> pd.DataFrame:
    return run_query("data_quality_idle_partners", on_date=on_date, lang=lang, max_rows=max_rows)


def untagged_partnerships(framework_id: str, lang: str, max_rows: int | None = None) -> pd.DataFrame:
    return run_query("data_untagged", framework_id=framework_id, lang=lang, max_rows=max_rows)


def untagged_by_partner_type(framework_id: str, lang: str) -> pd.DataFrame:
    return run_query("data_untagged_by_type", framework_id=framework_id, lang=lang)


def editor_partnerships(framework_id: str, search: str | None = None, max_rows: int | None = None) -> pd.DataFrame:
    """Partnerships for the editor, by id: those search finds (None: every one), the first
    max_rows of them (None: all)."""
    return run_query("data_editor_partnerships", framework_id=framework_id, search=search, max_rows=max_rows)


def editor_counts(search: str | None = None) -> pd.Series:
    """n_partnerships (those search finds; None: every one), n_partners and n_schools."""
    return run_query("data_editor_count", search=search).iloc[0]


def partner_and_school_names() -> pd.DataFrame:
    return run_query("data_partner_school_names")


def partner_types(lang: str) -> pd.DataFrame:
    return run_query("data_partner_types", lang=lang)


def import_log() -> pd.DataFrame:
    """The import log, newest first (empty in a database that has never been imported into)."""
    return run_query("data_log")


def saved_mappings() -> pd.DataFrame:
    return run_query("data_mappings")


def metric_ids() -> list[str]:
    return list(run_query("data_metric_ranges")["metric_id"])


def measures(lang: str) -> pd.DataFrame:
    """The district's measures: metric_id, label (in lang), unit, is_higher_better, min_value, max_value."""
    return run_query("data_measures", lang=lang)

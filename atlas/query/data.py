"""Queries of the Data page: the data-quality report, untagged partnerships, the editor's
table, the import log and saved mappings."""

from __future__ import annotations

from datetime import date

import pandas as pd

from atlas.db import run_query


def quality_summary(framework_id: str, on_date: date) -> pd.Series:
    """Counts for the data-quality report (see queries/data_quality_summary.sql)."""
    return run_query("data_quality_summary", framework_id=framework_id, on_date=on_date).iloc[0]


def schools_without_coordinates() -> pd.DataFrame:
    return run_query("data_quality_no_coordinates")


def active_without_mou(on_date: date) -> pd.DataFrame:
    return run_query("data_quality_no_mou", on_date=on_date)


def schools_missing_metrics(lang: str) -> pd.DataFrame:
    return run_query("data_quality_missing_metrics", lang=lang)


def idle_partners(on_date: date, lang: str) -> pd.DataFrame:
    return run_query("data_quality_idle_partners", on_date=on_date, lang=lang)


def untagged_partnerships(framework_id: str, lang: str) -> pd.DataFrame:
    return run_query("data_untagged", framework_id=framework_id, lang=lang)


def untagged_by_partner_type(framework_id: str, lang: str) -> pd.DataFrame:
    return run_query("data_untagged_by_type", framework_id=framework_id, lang=lang)


def editor_partnerships(framework_id: str) -> pd.DataFrame:
    return run_query("data_editor_partnerships", framework_id=framework_id)


def partner_and_school_names() -> pd.DataFrame:
    return run_query("data_partner_school_names")


def partner_types(lang: str) -> pd.DataFrame:
    return run_query("data_partner_types", lang=lang)


def _has_import_tables() -> bool:
    return int(run_query("data_tables_present").iloc[0, 0]) == 2


def import_log() -> pd.DataFrame:
    """The import log, newest first (empty in a database that has never been imported into)."""
    if not _has_import_tables():
        return pd.DataFrame()
    return run_query("data_log")


def saved_mappings() -> pd.DataFrame:
    if not _has_import_tables():
        return pd.DataFrame(columns=["mapping_name", "kind", "mapping_toml", "saved_at", "saved_by"])
    return run_query("data_mappings")


def metric_ids() -> list[str]:
    return list(run_query("data_metric_ranges")["metric_id"])

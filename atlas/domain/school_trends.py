"""A school's metrics over time beside the district's, suppressed: the values the School profile
charts, tables and hidden-value note are built from. No Streamlit here.

Metric values pass through atlas.domain.suppression before anything is built from them: a value whose
n is below the district's threshold is never shown, plotted, hovered or downloaded, and the
district figure shown beside the school's is the mean of the published values only."""

from __future__ import annotations

import pandas as pd

from atlas.domain.suppression import published_mean, suppress

METRIC_GROUPS = ["school_year", "metric_id"]


def metric_trends(metrics: pd.DataFrame, school_id: str, min_n: int) -> pd.DataFrame:
    """The school's values and the district figure per metric and school year, suppressed.

    metrics: every school's rows of queries/school_metrics.sql. Returns one row per metric and
    year of the school: metric_id, metric_label, unit, school_year, value (NaN when its n is below
    min_n), is_suppressed, district_value (n-weighted mean of the district's published values,
    NaN when none is published).
    """
    columns = [
        "metric_id", "metric_label", "unit", "is_higher_better", "school_year",
        "value", "is_suppressed", "district_value",
    ]  # fmt: skip
    if metrics.empty:
        return pd.DataFrame(columns=columns)
    shown = suppress(metrics, min_n)
    district = published_mean(shown, min_n, groups=METRIC_GROUPS).rename(columns={"value": "district_value"})
    mine = shown[shown["school_id"] == school_id]
    merged = mine.merge(district[[*METRIC_GROUPS, "district_value"]], on=METRIC_GROUPS, how="left")
    return merged[columns].sort_values(["metric_id", "school_year"]).reset_index(drop=True)

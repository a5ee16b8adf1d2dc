"""A school's metrics over time beside the district's, suppressed: the values the School profile
charts, tables and hidden-value note are built from. No Streamlit here.

Metric values pass through atlas.domain.suppression before anything is built from them: a value whose
n is below the district's threshold is never shown, plotted, hovered or downloaded, and the
district figure shown beside the school's is the mean of the published values only (weighted by n,
or the simple mean of the schools when some n is not reported). A value whose n is not reported is
published and marked (is_n_reported False)."""

from __future__ import annotations

import pandas as pd

from atlas.domain.suppression import published_mean, suppress

METRIC_GROUPS = ["school_year", "metric_id"]


def metric_trends(metrics: pd.DataFrame, school_id: str, min_n: int) -> pd.DataFrame:
    """The school's values and the district figure per metric and school year, suppressed.

    metrics: every school's rows of queries/school_metrics.sql. Returns one row per metric and
    year of the school: metric_id, metric_label, unit, min_value and max_value (when metrics has
    them), school_year, value (NaN when its n is below min_n), is_suppressed, is_n_reported,
    district_value (mean of the district's published values, NaN when none is published) and
    district_is_weighted (False: the simple mean of the schools, some n not being reported).
    """
    columns = [
        "metric_id", "metric_label", "unit", "is_higher_better", "school_year",
        "value", "is_suppressed", "is_n_reported", "district_value", "district_is_weighted",
    ]  # fmt: skip
    columns[3:3] = [c for c in ("min_value", "max_value") if c in metrics.columns]
    if metrics.empty:
        return pd.DataFrame(columns=columns)
    shown = suppress(metrics, min_n)
    district = published_mean(shown, min_n, groups=METRIC_GROUPS).rename(
        columns={"value": "district_value", "is_weighted": "district_is_weighted"}
    )
    mine = shown[shown["school_id"] == school_id]
    merged = mine.merge(
        district[[*METRIC_GROUPS, "district_value", "district_is_weighted"]], on=METRIC_GROUPS, how="left"
    )
    return merged[columns].sort_values(["metric_id", "school_year"]).reset_index(drop=True)

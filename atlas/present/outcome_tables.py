"""Outcome tables as shown and downloaded: every school's values (hidden ones empty) and the group
figures, from values already protected by atlas.domain.outcomes. DataFrame in, DataFrame out."""

from __future__ import annotations

import pandas as pd

from atlas.domain import outcomes
from atlas.domain.filters import Filters
from atlas.domain.query.outcomes import metric_values, schools_by_need
from atlas.present.i18n import translate
from atlas.present.outcome_text import group_label, metric_decimals


def school_values_table(protected: pd.DataFrame, schools: pd.DataFrame, metric: pd.Series, lang: str) -> pd.DataFrame:
    """Every school's values as shown and downloaded: a hidden value is empty and says hidden; a value
    whose n is not reported has an empty n and says so. schools: school_id and school_name of every
    school in protected (outcomes_schools)."""
    protected = protected.merge(schools[["school_id", "school_name"]], on="school_id", how="left")
    return pd.DataFrame(
        {
            translate("outcomes.col_school", lang): protected["school_name"],
            translate("outcomes.col_school_id", lang): protected["school_id"],
            translate("outcomes.col_level", lang): [translate(f"levels.{v}", lang) for v in protected["level"]],
            translate("outcomes.col_region", lang): protected["region"],
            translate("outcomes.col_year", lang): protected["school_year"],
            metric["label"]: protected["value"].round(metric_decimals(metric)),
            translate("outcomes.col_n", lang): students(protected["n"]),
            translate("outcomes.col_hidden", lang): [
                translate("outcomes.yes", lang) if flag else "" for flag in protected["is_suppressed"]
            ],
            translate("outcomes.col_n_not_reported", lang): [
                "" if flag else translate("outcomes.yes", lang) for flag in protected["is_n_reported"]
            ],
        }
    )


def students(n: pd.Series) -> pd.Series:
    """A column of n as whole numbers, empty (NA) where it is not known."""
    return pd.to_numeric(n, errors="coerce").round().astype("Int64")


def totals_table(totals: pd.DataFrame, dimension: str | None, metric: pd.Series, lang: str) -> pd.DataFrame:
    """Group figures as shown and downloaded (empty where no value is published), each the mean
    of the published values of its schools, at the precision of a school's value: weighted by n, or
    the simple mean of the schools where some n is not reported (its n then empty, and the table
    says which)."""
    groups = (
        [group_label(dimension, v, lang) for v in totals[dimension]]
        if dimension
        else [group_label(None, None, lang)] * len(totals)
    )
    return pd.DataFrame(
        {
            translate("outcomes.col_group", lang): groups,
            translate("outcomes.col_year", lang): totals["school_year"],
            metric["label"]: totals["value"].round(metric_decimals(metric)),
            translate("outcomes.col_n", lang): students(totals["n"]),
            translate("outcomes.col_schools", lang): totals["n_schools"].astype(int),
            translate("outcomes.col_mean", lang): [
                translate("outcomes.mean_weighted" if flag else "outcomes.mean_simple", lang)
                for flag in totals["is_weighted"]
            ],
        }
    )


def groups_table(
    overall: pd.DataFrame, by_group: pd.DataFrame, dimension: str, metric: pd.Series, lang: str
) -> pd.DataFrame:
    """All schools in view, then each group, as one table."""
    return pd.concat(
        [totals_table(overall, None, metric, lang), totals_table(by_group, dimension, metric, lang)],
        ignore_index=True,
    )


def school_values_download(
    metric_id: str, filters: Filters, min_n: int, strategy_numbers: list[int], metric: pd.Series, lang: str
) -> pd.DataFrame:
    """Every school's values as the CSV has them (hidden ones empty), rebuilt from the cached query
    when the download button is clicked. The button keeps its function until the page runs again:
    one holding the protected values themselves kept half a million rows per visitor alive."""
    values = outcomes.prepare(metric_values(metric_id, filters), strategy_numbers)
    protected = outcomes.protect(values, min_n)
    return school_values_table(protected, schools_by_need(filters), metric, lang)

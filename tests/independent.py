"""Independent re-computations for page tests: plain SQL over the raw tables and pandas,
without the app's macros, so a page's figures are checked against a second derivation."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd


def active_partnerships(con: duckdb.DuckDBPyConnection, on_date: date) -> pd.DataFrame:
    return con.execute(
        """
        SELECT * FROM partnership
        WHERE status IN ('active', 'ended') AND start_date <= $d AND coalesce(end_date, DATE '9999-12-31') >= $d
        """,
        {"d": on_date},
    ).df()


def need_table(con: duckdb.DuckDBPyConnection, school_year: str) -> pd.DataFrame:
    """school_id, need_index, is_high_need computed in pandas from the brief's definition; a metric
    value whose n is below the suppression threshold is not reported (README, "Privacy: small numbers"); one
    whose n is not reported (NULL, a figure already public) counts."""
    schools = con.execute("SELECT school_id, district_id, frl_pct, el_pct, title_i_status FROM school").df()
    setting = con.execute("SELECT * FROM setting").df().iloc[0]
    metrics = con.execute(
        "SELECT school_id, metric_id, value, n FROM metric WHERE school_year = $y", {"y": school_year}
    ).df()
    metrics = metrics[metrics["n"].isna() | (metrics["n"] >= setting["suppression_min_n"])]
    # The setting's measures; need is where a measure is high, or low when higher is better.
    higher_better = dict(con.execute("SELECT metric_id, is_higher_better FROM metric_definition").fetchall())
    metrics = metrics.assign(
        value=[-v if higher_better[m] else v for m, v in zip(metrics["metric_id"], metrics["value"], strict=True)]
    )
    wide = metrics.pivot_table(index="school_id", columns="metric_id", values="value")
    schools = schools.set_index("school_id")
    parts = pd.DataFrame(index=schools.index)
    parts["frl"] = schools["frl_pct"]
    parts["el"] = schools["el_pct"]
    parts["chronic"] = wide.get(setting["need_metric_chronic_absence"])
    chosen = setting["need_metrics_proficiency"].split(",")
    parts["nonprof"] = wide[[c for c in chosen if c in wide]].mean(axis=1)  # −mean ranks as 100 − mean
    weights = {
        "frl": setting["need_weight_frl"],
        "el": setting["need_weight_el"],
        "chronic": setting["need_weight_chronic_absence"],
        "nonprof": setting["need_weight_non_proficiency"],
    }

    def percent_rank(column: pd.Series) -> pd.Series:
        ranked = column.groupby(schools["district_id"]).rank(method="min")
        counts = column.groupby(schools["district_id"]).transform("count")
        return ((ranked - 1) / (counts - 1)).where(counts > 1, 0.0).where(column.notna())

    ranks = parts.apply(percent_rank)
    weight_frame = ranks.notna() * pd.Series(weights)
    need = 100 * (ranks.fillna(0) * pd.Series(weights)).sum(axis=1) / weight_frame.sum(axis=1)
    need = need.where(weight_frame.sum(axis=1) > 0)
    need_pct = percent_rank(need)
    high = (need_pct >= 1 - setting["high_need_top_share"]).fillna(False)
    if setting["is_title_i_schoolwide_high_need"]:
        high |= schools["title_i_status"] == "schoolwide"
    return pd.DataFrame({"need_index": need, "is_high_need": high}).reset_index()


def covered_cells(con: duckdb.DuckDBPyConnection, framework_id: str, on_date: date) -> pd.DataFrame:
    """school_id, strategy_number, n_active, is_covered for every school × strategy."""
    active = active_partnerships(con, on_date)
    tags = con.execute(
        "SELECT ps.partnership_id, s.number AS strategy_number, s.coverage_target FROM partnership_strategy ps"
        " JOIN strategy s USING (strategy_id) WHERE s.framework_id = $f",
        {"f": framework_id},
    ).df()
    counts = active.merge(tags, on="partnership_id").groupby(["school_id", "strategy_number"]).size()
    schools = con.execute("SELECT school_id FROM school").df()
    strategies = con.execute(
        "SELECT number AS strategy_number, coverage_target FROM strategy WHERE framework_id = $f", {"f": framework_id}
    ).df()
    grid = schools.merge(strategies, how="cross")
    grid["n_active"] = [counts.get((s, n), 0) for s, n in zip(grid["school_id"], grid["strategy_number"], strict=True)]
    grid["is_covered"] = grid["n_active"] >= grid["coverage_target"]
    return grid

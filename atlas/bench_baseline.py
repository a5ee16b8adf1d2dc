"""The benchmark's baseline (``python -m atlas bench``, see ``atlas.bench``): the same coverage +
equity-gap calculation done the way a typical Streamlit app does it — tables exported to CSV once, then
pandas ``read_csv`` + groupby + merge — against the app's DuckDB query (``baseline_ratio``). Both must
give exactly the same figures: the pandas side follows the macros to the bit (see ``atlas.bench``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from atlas.bench_measure import median_ms, timed
from atlas.database import sql

NEED_DECIMALS = 6  # queries/macros/02_school_need.sql rounds the need index to this many decimals
BASELINE_TABLES = ("school", "metric", "partnership", "partnership_strategy", "strategy", "setting")

# Columns of the coverage + equity figures compared between DuckDB and pandas.
COVERAGE_FIGURES = [
    "strategy_number",
    "n_schools",
    "n_covered",
    "covered_pct",
    "n_high_need",
    "n_high_need_covered",
    "high_need_covered_pct",
    "other_covered_pct",
    "equity_gap_pct",
]


class BaselineMismatch(AssertionError):
    """The pandas baseline and the DuckDB query disagree on the coverage figures."""


def _quote(text: str) -> str:
    return text.replace("'", "''")


def export_csv(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """Every table the calculation needs, as CSV files (done once, not timed)."""
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for table in BASELINE_TABLES:
        path = folder / f"{table}.csv"
        con.execute(f"COPY {table} TO '{_quote(str(path))}' (HEADER, DELIMITER ',')")
        sizes[table] = path.stat().st_size
    return sizes


def read_csv_tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {
        "school": pd.read_csv(folder / "school.csv"),
        "metric": pd.read_csv(folder / "metric.csv"),
        "partnership": pd.read_csv(folder / "partnership.csv", parse_dates=["start_date", "end_date"]),
        "partnership_strategy": pd.read_csv(folder / "partnership_strategy.csv"),
        "strategy": pd.read_csv(folder / "strategy.csv"),
        "setting": pd.read_csv(folder / "setting.csv"),
    }


def _percent_rank(values: pd.Series, groups: pd.Series) -> pd.Series:
    """SQL percent_rank() within groups, over the non-null values: (rank − 1) ÷ (rows − 1), 0 for one row."""
    present = values.notna()
    ranked = values[present].groupby(groups[present]).rank(method="min")
    rows = values[present].groupby(groups[present]).transform("count")
    result = ((ranked - 1) / (rows - 1)).where(rows > 1, 0.0)
    return result.reindex(values.index)


def _round_half_away(values: pd.Series, digits: int) -> pd.Series:
    """DuckDB's round(DOUBLE, digits) for values >= 0: std::round(x · 10^digits) ÷ 10^digits, halves
    away from zero (numpy's round goes to even)."""
    scale = 10.0**digits
    scaled = values * scale
    floor = np.floor(scaled)
    return floor.where(scaled - floor < 0.5, floor + 1) / scale


def pandas_coverage(
    tables: dict[str, pd.DataFrame], framework_id: str, on_date: date, school_year: str
) -> pd.DataFrame:
    """Coverage and equity gap per strategy for every school, in pandas (see queries/macros)."""
    school = tables["school"].set_index("school_id")
    is_high_need = _high_need(school, tables["metric"], tables["setting"].iloc[0], school_year)
    cells = _coverage_cells(tables, school.index, is_high_need, framework_id, on_date)
    return _equity_by_strategy(cells)


def _high_need(school: pd.DataFrame, metric: pd.DataFrame, setting: pd.Series, school_year: str) -> pd.Series:
    """Need index: percentile ranks of four parts within the district, weighted mean, top share. Whether
    each school (school_id) is high-need."""
    year = metric[metric["school_year"] == school_year]
    chronic = year[year["metric_id"] == "chronic_absence_pct"].groupby("school_id")["value"].max()
    proficiency = (
        year[year["metric_id"].isin(["ela_proficiency_pct", "math_proficiency_pct"])]
        .groupby("school_id")["value"]
        .mean()
    )
    parts = pd.DataFrame(
        {
            "frl": school["frl_pct"],
            "el": school["el_pct"],
            "chronic_absence": chronic.reindex(school.index),
            "non_proficiency": 100 - proficiency.reindex(school.index),
        }
    )
    weights = pd.Series(
        {
            "frl": setting["need_weight_frl"],
            "el": setting["need_weight_el"],
            "chronic_absence": setting["need_weight_chronic_absence"],
            "non_proficiency": setting["need_weight_non_proficiency"],
        }
    )
    district = school["district_id"]
    ranks = pd.DataFrame({part: _percent_rank(parts[part], district) for part in parts.columns})
    # The weighted mean, rounded to NEED_DECIMALS as the macro does (so equal needs tie).
    weighted = sum((ranks[part] * weights[part]).fillna(0.0) for part in parts.columns)
    weight_sum = sum(ranks[part].notna() * weights[part] for part in parts.columns)
    need_index = _round_half_away(100 * weighted / weight_sum.where(weight_sum != 0), NEED_DECIMALS)
    need_percentile = _percent_rank(need_index, district)
    is_high_need = (need_percentile >= 1 - setting["high_need_top_share"]).fillna(False)
    if setting["is_title_i_schoolwide_high_need"]:
        is_high_need |= school["title_i_status"] == "schoolwide"
    return is_high_need


def _coverage_cells(
    tables: dict[str, pd.DataFrame], school_ids: pd.Index, is_high_need: pd.Series, framework_id: str, on_date: date
) -> pd.DataFrame:
    """Coverage: active partnerships per school and strategy against the strategy's target, one row per
    school and strategy with whether it is covered and whether the school is high-need."""
    partnership = tables["partnership"]
    day = pd.Timestamp(on_date)
    active = partnership[
        (partnership["status"] != "planned")
        & (partnership["start_date"] <= day)
        & (partnership["end_date"].isna() | (partnership["end_date"] >= day))
    ]
    strategy = tables["strategy"]
    strategy = strategy[strategy["framework_id"] == framework_id]
    tagged = active[["partnership_id", "school_id"]].merge(tables["partnership_strategy"], on="partnership_id")
    counts = tagged.groupby(["school_id", "strategy_id"]).size().rename("n_active").reset_index()
    cells = (
        pd.DataFrame({"school_id": school_ids})
        .merge(strategy[["strategy_id", "number", "coverage_target"]], how="cross")
        .merge(counts, on=["school_id", "strategy_id"], how="left")
    )
    cells["is_covered"] = cells["n_active"].fillna(0) >= cells["coverage_target"]
    cells["is_high_need"] = cells["school_id"].map(is_high_need).astype(bool)
    cells["high_covered"] = cells["is_covered"] & cells["is_high_need"]
    cells["other"] = ~cells["is_high_need"]
    cells["other_covered"] = cells["is_covered"] & cells["other"]
    return cells


def _equity_by_strategy(cells: pd.DataFrame) -> pd.DataFrame:
    """Equity: per strategy, % covered among high-need schools minus % among the rest (COVERAGE_FIGURES)."""
    result = cells.groupby("number").agg(
        n_schools=("school_id", "size"),
        n_covered=("is_covered", "sum"),
        n_high_need=("is_high_need", "sum"),
        n_high_need_covered=("high_covered", "sum"),
        n_other=("other", "sum"),
        n_other_covered=("other_covered", "sum"),
    )
    result["covered_pct"] = 100.0 * result["n_covered"] / result["n_schools"]
    result["high_need_covered_pct"] = (
        100.0 * result["n_high_need_covered"] / result["n_high_need"].where(result["n_high_need"] > 0)
    )
    result["other_covered_pct"] = 100.0 * result["n_other_covered"] / result["n_other"].where(result["n_other"] > 0)
    result["equity_gap_pct"] = result["high_need_covered_pct"] - result["other_covered_pct"]
    return result.reset_index().rename(columns={"number": "strategy_number"})[COVERAGE_FIGURES]


def coverage_figures(frame: pd.DataFrame) -> pd.DataFrame:
    """The compared columns, one row per strategy in order, with plain numpy dtypes."""
    figures = frame[COVERAGE_FIGURES].sort_values("strategy_number").reset_index(drop=True)
    return figures.astype({c: "int64" for c in COVERAGE_FIGURES if c.startswith("n_") or c == "strategy_number"})


def compare_figures(duck: pd.DataFrame, panda: pd.DataFrame) -> list[str]:
    """Differences between the two results (empty when they agree exactly)."""
    a, b = coverage_figures(duck), coverage_figures(panda)
    if len(a) != len(b) or list(a["strategy_number"]) != list(b["strategy_number"]):
        return [f"strategies differ: {list(a['strategy_number'])} vs {list(b['strategy_number'])}"]
    differences = []
    for column in COVERAGE_FIGURES[1:]:
        x, y = a[column].to_numpy(dtype=float), b[column].to_numpy(dtype=float)
        same = (x == y) | (np.isnan(x) & np.isnan(y))
        for i in np.flatnonzero(~same):
            differences.append(f"strategy {a['strategy_number'][i]} {column}: duckdb {x[i]!r}, pandas {y[i]!r}")
    return differences


def bench_baseline(con: duckdb.DuckDBPyConnection, params: dict, workdir: Path, repeats: int, log) -> dict:
    csv_dir = workdir / "csv"
    sizes = export_csv(con, csv_dir)
    filters = (params["framework_id"], params["on_date"], params["school_year"])
    everything = params | {"levels": (), "regions": (), "need_tier": "all"}

    duck_times, duck = timed(lambda: sql.execute(con, "strategy_coverage", **everything), repeats)
    read_times, tables = timed(lambda: read_csv_tables(csv_dir), repeats)
    compute_times, panda = timed(lambda: pandas_coverage(tables, *filters), repeats)
    total_times, _ = timed(lambda: pandas_coverage(read_csv_tables(csv_dir), *filters), repeats, warmup=0)
    differences = compare_figures(duck, panda)
    duck_ms, pandas_ms = median_ms(duck_times), median_ms(total_times)
    compute_ms = median_ms(compute_times)
    log(f"  baseline: duckdb {duck_ms} ms, pandas read_csv + compute {pandas_ms} ms (compute only {compute_ms} ms)")
    return {
        "baseline_ratio": round(pandas_ms / duck_ms, 1),
        "baseline": {
            "duckdb_ms": duck_ms,
            "pandas_ms": pandas_ms,
            "pandas_read_csv_ms": median_ms(read_times),
            "pandas_compute_only_ms": compute_ms,
            "ratio_compute_only": round(compute_ms / duck_ms, 1),
            "csv_bytes": sum(sizes.values()),
            "figures_agree": not differences,
            "differences": differences[:20],
            "strategies": len(duck),
        },
    }

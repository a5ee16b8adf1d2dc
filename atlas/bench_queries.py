"""The benchmark's queries (``python -m atlas bench``, see ``atlas.bench``): every query in
``queries/*.sql`` that reads, timed through ``atlas.database.sql.execute`` with parameters derived from
the default filters and the data (``queries``, ``queries_skipped``, ``queries_failed``)."""

from __future__ import annotations

import threading
import time

import duckdb

from atlas.app.ui import SCREEN_ROWS
from atlas.bench_measure import median_ms
from atlas.database import sql
from atlas.domain.filters import FilterOptions, Filters
from atlas.present.gaps_charts import MAX_MATRIX_ROWS

# Parameters whose default is NULL (no focus strategy, nothing typed in a search box).
NULLABLE_PARAMETERS = ("strategy_number", "name_part", "search")


def filter_options(con: duckdb.DuckDBPyConnection) -> FilterOptions:
    """The app's filter options (atlas.domain.query.common.filter_options), without Streamlit's cache."""
    values = sql.execute(con, "filter_options")
    by_filter = {name: tuple(group["value"]) for name, group in values.groupby("filter")}
    frameworks = sql.execute(con, "frameworks", lang="en")
    return FilterOptions(
        framework_ids=tuple(frameworks["framework_id"]),
        default_framework_id=frameworks["framework_id"].iloc[0],
        school_years=tuple(sorted(by_filter.get("school_year", ()), reverse=True)),
        levels=tuple(v for v in ("elementary", "middle", "high", "other") if v in by_filter.get("level", ())),
        regions=by_filter.get("region", ()),
    )


def derive_parameters(con: duckdb.DuckDBPyConnection, filters: Filters, lang: str = "en") -> dict:
    """Values for the query parameters the benchmark knows by name: the default filters, the
    language, the real state of a what-if scenario (nothing switched on, nothing added), and a
    school, partner, district and high school that have partnerships."""
    params: dict = {**filters.params(), "lang": lang, "switched_on": (), "added_cells": []}

    def first(query: str, **values):
        row = con.execute(query, values).fetchone()
        return row[0] if row else None

    params["school_id"] = first(
        "SELECT school_id FROM partnership GROUP BY school_id ORDER BY count(*) DESC, school_id LIMIT 1"
    ) or first("SELECT min(school_id) FROM school")
    params["partner_id"] = first(
        "SELECT partner_id FROM partnership GROUP BY partner_id ORDER BY count(*) DESC, partner_id LIMIT 1"
    ) or first("SELECT min(partner_id) FROM partner")
    params["district_id"] = first(
        "SELECT district_id FROM school GROUP BY district_id ORDER BY count(*) DESC, district_id LIMIT 1"
    )
    high_school = first(
        "SELECT feeder_high_school_id FROM school WHERE feeder_high_school_id IS NOT NULL"
        " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    )
    params["feeder_id"] = params["high_school_id"] = params["feeder_high_school_id"] = high_school
    params["metric_id"] = "chronic_absence_pct"
    params["strategy_id"] = first(
        "SELECT strategy_id FROM strategy WHERE framework_id = $f ORDER BY number LIMIT 1", f=filters.framework_id
    )
    params["year"] = params["in_year"] = filters.school_year
    params["fw_id"] = filters.framework_id
    params["presenting"] = False
    # The row limits the pages pass (they fetch what the screen shows; CSVs fetch everything).
    params["max_rows"] = SCREEN_ROWS
    params["max_schools"] = MAX_MATRIX_ROWS
    params["name_part"] = params["search"] = None  # nothing typed in the school picker or the data editor
    params["only_focus"] = False  # the map's partner layer: every partner, not only the focus strategy's
    setting = con.execute("SELECT * FROM setting").df()
    if len(setting):
        for column, value in setting.iloc[0].items():
            params.setdefault(column, value.item() if hasattr(value, "item") else value)
        params["radius_miles"] = params["travel_radius_miles"]
        params["min_n"] = params["suppression_min_n"]
    return {key: value for key, value in params.items() if key in NULLABLE_PARAMETERS or value is not None}


def parameter_from_data(con: duckdb.DuckDBPyConnection, name: str) -> tuple[object, str | None]:
    """A value for a parameter named like a column (scenario_id, session_ids …): the column's first
    value in the table that has it, or every value for a plural name. (value, None) or (None, reason)."""
    column = name[:-1] if name.endswith("_ids") else name
    tables = [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = $c AND table_schema = 'main'"
            " ORDER BY table_name",
            {"c": column},
        ).fetchall()
    ]
    if not tables:
        return None, f"cannot derive ${name} from the default filters or the data"
    owner = next((t for t in tables if column == f"{t}_id"), tables[0])
    values = [row[0] for row in con.execute(f'SELECT DISTINCT "{column}" FROM "{owner}" ORDER BY 1').fetchall()]
    if name.endswith("_ids"):
        return tuple(values), None
    if not values:
        return None, f"no row in table {owner} to take ${name} from"
    return values[0], None


def is_read_only(name: str) -> bool:
    """Whether a named query only reads (one statement, a query)."""
    statements = sql.script_statements(name)
    return len(statements) == 1 and statements[0].type == duckdb.StatementType.SELECT


def query_names() -> list[str]:
    return sorted(path.stem for path in sql.QUERIES_DIR.glob("*.sql"))


def run_limited(con: duckdb.DuckDBPyConnection, name: str, values: dict, timeout_s: float) -> tuple[float, object]:
    """Run a named query, interrupting it after timeout_s; (seconds, frame)."""
    timer = threading.Timer(timeout_s, con.interrupt)
    timer.start()
    try:
        started = time.perf_counter()
        frame = sql.execute(con, name, **values)
        return time.perf_counter() - started, frame
    finally:
        timer.cancel()


def bench_queries(
    con: duckdb.DuckDBPyConnection, params: dict, repeats: int, log, *, budget_s: float = 20, timeout_s: float = 120
) -> dict:
    """Median ms of every named query that reads; the others listed with the reason.

    Each query runs once uncounted, then `repeats` times — unless that first run took longer than
    budget_s, which then is its only time. A run still going after timeout_s is interrupted and the
    query reported in queries_failed."""
    medians, skipped, failed, rows = {}, {}, {}, {}
    names = query_names()
    for name in names:
        if not is_read_only(name):
            skipped[name] = "changes the database: not run (the import is timed as a whole, see import_seconds)"
            continue
        values, reasons = dict(params), []
        for missing in sorted(sql.query_parameters(name) - params.keys()):
            value, reason = parameter_from_data(con, missing)
            if reason:
                reasons.append(reason)
            else:
                values[missing] = value
        if reasons:
            skipped[name] = "; ".join(reasons)
            continue
        try:
            first, frame = run_limited(con, name, values, timeout_s)
            times = (
                [first] if first > budget_s else [run_limited(con, name, values, timeout_s)[0] for _ in range(repeats)]
            )
        except duckdb.InterruptException:
            failed[name] = f"did not finish within {timeout_s:.0f} s (interrupted)"
            log(f"  query {name}: FAILED {failed[name]}")
            continue
        except duckdb.Error as error:
            failed[name] = f"{type(error).__name__}: {error}".splitlines()[0]
            log(f"  query {name}: FAILED {failed[name]}")
            continue
        medians[name] = median_ms(times)
        rows[name] = len(frame)
        log(f"  query {name}: {medians[name]} ms ({rows[name]:,} rows)")
    return {
        "query_files": names,
        "queries": medians,
        "queries_skipped": skipped,
        "queries_failed": failed,
        "query_rows": rows,
    }

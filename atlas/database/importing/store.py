"""The importer's reads and writes on a DuckDB connection, all through the named SQL in
queries/data_*.sql.

Reads (lookups, current rows) work on any connection; writes (apply_checked, log rows) are
only ever run inside a change given to atlas.database.writes.write, on a private copy of the database.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from atlas.database import sql
from atlas.database.importing import kinds as k
from atlas.database.importing.codes import CODE_SYNONYMS, FUNDING, LEVELS, STATUSES, TITLE_I, UNITS
from atlas.database.importing.lookups import Lookups
from atlas.database.importing.mapping import normalise
from atlas.database.importing.validate import Checked
from atlas.database.sql import run_script

# ---- lookups -------------------------------------------------------------------------------------


def current_rows(con: duckdb.DuckDBPyConnection, kind: k.Kind | str) -> pd.DataFrame:
    kind = k.KINDS[kind] if isinstance(kind, str) else kind
    if kind.name == "metrics":  # text and numbers only; a million rows: 220 MB at peak, where .df() took 500
        return sql.execute_through_arrow(con, "data_rows_metrics")
    return sql.execute(con, f"data_rows_{kind.name}")


def current_strategies(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return sql.execute(con, "data_rows_partnership_strategies")


def load_lookups(con: duckdb.DuckDBPyConnection, kind: k.Kind | str, framework_id: str | None = None) -> Lookups:
    kind = k.KINDS[kind] if isinstance(kind, str) else kind
    frameworks = sql.execute(con, "frameworks", lang="en")
    if framework_id is None or framework_id not in set(frameworks["framework_id"]):
        framework_id = frameworks["framework_id"].iloc[0]
    framework = frameworks.set_index("framework_id").loc[framework_id]
    codes, allowed = _code_tables(con)
    refs, ref_ids, id_spellings = _reference_tables(con, codes, allowed)
    strategies = _strategy_spellings(con, framework_id)
    ranges = sql.execute(con, "data_metric_ranges")
    setting = sql.execute(con, "data_setting")
    districts = allowed.get("district", ())
    return Lookups(
        codes=codes,
        allowed=allowed,
        refs=refs,
        ref_ids=ref_ids,
        strategies=strategies,
        framework_id=framework_id,
        framework_name=str(framework["name"]),
        n_strategies=int(framework["n_strategies"]),
        metric_ranges={r.metric_id: (float(r.min_value), float(r.max_value), r.unit) for r in ranges.itertuples()},
        suppression_min_n=int(setting.iloc[0, 0]) if len(setting) else 10,
        existing=current_rows(con, kind),
        existing_strategies=current_strategies(con) if kind.name == "partnerships" else None,
        references=sql.execute(
            con, "data_metric_references" if kind.name == "metric_definitions" else "data_references"
        ),
        single_district_id=districts[0] if len(districts) == 1 else None,
        id_spellings=id_spellings,
        enrollments=_enrollments(con) if kind.name == "metrics" else {},
    )


def _enrollments(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = sql.execute(con, "data_school_enrollment").dropna()
    return {str(school): int(count) for school, count in zip(rows["school_id"], rows["enrollment"], strict=True)}


def _code_tables(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, dict[str, str]], dict[str, tuple[str, ...]]]:
    """Per code list: spelling → code (fixed lists and the database's), and the codes allowed."""
    codes: dict[str, dict[str, str]] = {}
    allowed: dict[str, tuple[str, ...]] = {}
    fixed = {"level": LEVELS, "title_i": TITLE_I, "status": STATUSES, "funding": FUNDING, "unit": UNITS}
    for name, values in fixed.items():
        table = {v: v for v in values}
        table.update({normalise(v): v for v in values})
        table.update(CODE_SYNONYMS.get(name, {}))
        codes[name] = table
        allowed[name] = values
    for name, group in sql.execute(con, "data_codes").groupby("list"):
        table = {}
        for code, spelling in zip(group["code"], group["spelling"], strict=True):
            if spelling:
                table.setdefault(spelling, code)
                table.setdefault(normalise(spelling), code)
        if name == "partner_type":
            ids = set(group["code"])
            table.update({s: c for s, c in _PARTNER_TYPE_WORDS.items() if c in ids and s not in table})
        codes[name] = table
        allowed[name] = tuple(sorted(set(group["code"])))
    return codes, allowed


def _reference_tables(
    con: duckdb.DuckDBPyConnection, codes: dict[str, dict[str, str]], allowed: dict[str, tuple[str, ...]]
) -> tuple[dict[str, dict[str, str]], dict[str, frozenset[str]], dict[str, dict[str, str]]]:
    """Per target (school, partner, district): name or id → id, the ids, and normalised id → id."""
    refs: dict[str, dict[str, str]] = {}
    ref_ids: dict[str, frozenset[str]] = {}
    id_spellings: dict[str, dict[str, str]] = {}
    people = sql.execute(con, "data_refs")
    for target in ("school", "partner"):
        rows = people[people["target"] == target]
        table = {}
        names = rows["name"].map(normalise)
        unique_names = names[~names.duplicated(keep=False)]
        table.update(dict(zip(unique_names, rows.loc[unique_names.index, "id"], strict=True)))
        table.update({i: i for i in rows["id"]})  # an id exactly; 'rb-e01' for RB-E01 is an error (id_spellings)
        refs[target] = table
        ref_ids[target] = frozenset(rows["id"])
        id_spellings[target] = {normalise(i): i for i in rows["id"]}
    refs["district"] = codes.get("district", {})
    ref_ids["district"] = frozenset(allowed.get("district", ()))
    return refs, ref_ids, id_spellings


def _strategy_spellings(con: duckdb.DuckDBPyConnection, framework_id: str) -> dict[str, str]:
    """The framework's strategies by id, number or short name → id."""
    spellings = sql.execute(con, "data_strategy_spellings", framework_id=framework_id)
    strategies: dict[str, str] = {}
    for row in spellings.itertuples():
        strategies[row.strategy_id] = row.strategy_id
        strategies[str(row.strategy_number)] = row.strategy_id
        strategies.setdefault(normalise(row.short_name), row.strategy_id)
    return strategies


# Everyday words for partner types (used only when the database has that type).
_PARTNER_TYPE_WORDS = {
    "hospital": "health",
    "clinic": "health",
    "health": "health",
    "salud": "health",
    "college": "higher_ed",
    "university": "higher_ed",
    "universidad": "higher_ed",
    "higher education": "higher_ed",
    "company": "business",
    "corporate": "business",
    "corporation": "business",
    "bank": "business",
    "financial": "business",
    "empresa": "business",
    "church": "faith_based",
    "faith": "faith_based",
    "congregation": "faith_based",
    "iglesia": "faith_based",
    "nonprofit": "social_service",
    "cbo": "social_service",
    "community based organization": "social_service",
    "youth": "youth",
    "youth organisation": "youth",
    "government": "government",
    "city": "government",
    "union": "labor_union",
    "museum": "other",
    "cultural": "other",
    "library": "other",
}


# ---- writes (inside write_atomically's fill) -------------------------------------------------------


def apply_checked(con: duckdb.DuckDBPyConnection, checked: Checked, framework_id: str) -> None:
    """Write checked rows into the table (upsert or replace), on a private copy. At DuckDB's own memory
    limit: a 200 MB cap saved 70 MB on a million-row import but made a national file's import of
    100,000 metric rows run out of memory (its upsert against 3.1 M rows cannot spill)."""
    kind = checked.kind
    incoming = checked.frame[list(kind.table_columns)].copy()
    for f in kind.fields:
        if f.type == k.DATE:
            incoming[f.name] = pd.to_datetime(incoming[f.name], errors="coerce")
        elif f.type in (k.TEXT, k.CODE, k.REF, k.YEAR):
            incoming[f.name] = incoming[f.name].astype(object).where(incoming[f.name].notna(), None)
    # As an Arrow table: DuckDB reads it column by column in place, where a frame's text and
    # nullable number columns were turned into Python objects row by row (1M rows: +130 MB).
    incoming = pa.Table.from_pandas(incoming, preserve_index=False)
    con.register("incoming", incoming)
    try:
        if kind.name == "partnerships":
            strategy_rows = (
                checked.strategies
                if checked.strategies is not None
                else pd.DataFrame({"partnership_id": pd.Series(dtype=object), "strategy_id": pd.Series(dtype=object)})
            )
            con.register("incoming_strategy", strategy_rows)
            try:
                run_script(
                    con,
                    "data_apply_partnerships",
                    mode=checked.mode,
                    strategies_provided=checked.strategies is not None,
                    framework_id=framework_id,
                )
            finally:
                con.unregister("incoming_strategy")
        else:
            run_script(con, f"data_apply_{kind.name}", mode=checked.mode)
    finally:
        con.unregister("incoming")


def saved_mappings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return sql.execute(con, "data_mappings")

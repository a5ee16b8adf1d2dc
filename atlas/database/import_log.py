"""The import log (table import_log): one row per write to the data, read by the Data page and by undo.

Below the importer and atlas.database.writes alike: both write and read it through these functions.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from atlas.database import sql


def insert_log(con: duckdb.DuckDBPyConnection, **values) -> int:
    fields = [
        "committed_at", "action", "kind", "mode", "file_name", "file_sha256", "mapping_name", "n_rows",
        "n_added", "n_changed", "n_removed", "committed_by", "snapshot_file", "undoes_import_id", "subject",
        "n_source",
    ]  # fmt: skip
    params = {name: values.get(name) for name in fields}
    for name in ("n_rows", "n_added", "n_changed", "n_removed"):
        params[name] = int(params[name] or 0)
    return int(sql.execute(con, "data_log_insert", **params).iloc[0, 0])


def read_log(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return sql.execute(con, "data_log")

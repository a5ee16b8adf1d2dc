"""What writing costs in the benchmark (``python -m atlas bench``, see ``atlas.bench``): building the
database with the synth command (``build_seconds``) and importing 100,000 metric rows into a copy of
it (``import_seconds``)."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

from atlas.bench_measure import rss_mb
from atlas.database.database_file import ROOT

IMPORT_ROWS = 100_000


def build_database(synth_arguments: list[str], path: Path, seed: int | None = None) -> dict:
    """Run the synth command (with a scale's synth_arguments) in a child process: its wall time is what a user waits."""
    command = [sys.executable, "-m", "atlas", "synth", *synth_arguments, "--out", str(path)]
    if seed is not None:
        command += ["--seed", str(seed)]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    with duckdb.connect(str(path), read_only=True) as con:
        counts = {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("district", "school", "partner", "partnership", "partnership_strategy", "metric")
        }
    return {
        "build_seconds": round(seconds, 2),
        "build_peak_rss_mb": rss_mb(resource.RUSAGE_CHILDREN),
        "rows": counts,
        "database_mb": round(path.stat().st_size / 2**20, 1),
    }


def metric_import_file(con: duckdb.DuckDBPyConnection, path: Path, n_rows: int = IMPORT_ROWS) -> int:
    """A metrics CSV of n_rows rows in the import template's columns: the newest years' values for
    every school, each moved by 0.1 (a district re-sending corrected figures); when the database
    has fewer rows than that, earlier school years follow (a district loading its history)."""
    rows = con.execute(
        """
        SELECT m.school_id, m.school_year, m.metric_id,
               CASE WHEN m.value - 0.1 >= d.min_value THEN round(m.value - 0.1, 2) ELSE round(m.value + 0.1, 2) END
                   AS value,
               m.n
        FROM metric AS m JOIN metric_definition AS d USING (metric_id)
        ORDER BY m.school_year DESC, m.school_id, m.metric_id
        LIMIT $n
        """,
        {"n": n_rows},
    ).df()
    parts, have, shift = [rows], len(rows), 0
    while have < n_rows and len(rows):
        shift += 5
        earlier = rows.head(n_rows - have).copy()
        start = earlier["school_year"].str[:4].astype(int) - shift
        earlier["school_year"] = start.astype(str) + "-" + ((start + 1) % 100).map("{:02d}".format)
        parts.append(earlier)
        have += len(earlier)
    frame = pd.concat(parts, ignore_index=True)
    frame.to_csv(path, index=False)
    return len(frame)


def bench_import(db_path: Path, workdir: Path, log) -> dict:
    """Time the importer (atlas.database.importing.import_file) on 100,000 metric rows, on a copy of the
    database: read, check, compare and commit (a new file swapped in, with an undo snapshot)."""
    try:
        from atlas.database import importing
    except ImportError:
        return {"import_seconds": None, "import_status": "pending: atlas.database.importing does not exist yet"}
    run_import = getattr(importing, "import_file", None)
    if run_import is None:
        return {"import_seconds": None, "import_status": "pending: atlas.database.importing has no import_file yet"}
    folder = workdir / "import"
    folder.mkdir(exist_ok=True)
    copy = folder / "atlas.duckdb"
    shutil.copyfile(db_path, copy)
    csv_path = folder / "metrics-import.csv"
    with duckdb.connect(str(copy), read_only=True) as con:
        n_rows = metric_import_file(con, csv_path)
    started = time.perf_counter()
    result = run_import(copy, "metrics", csv_path)
    seconds = time.perf_counter() - started
    report = {"import_seconds": round(seconds, 2), "import_rows": n_rows}
    if result.ok and result.import_id is not None:
        diff = result.diff
        report["import_status"] = f"ok: {diff.n_added:,} added, {diff.n_changed:,} changed"
    else:
        first = result.problems[0] if result.problems else None
        report["import_status"] = f"refused: {result.n_errors} problem(s), first: {first}"
    log(f"  import {n_rows:,} metric rows: {seconds:.1f} s ({report['import_status']})")
    shutil.rmtree(folder, ignore_errors=True)
    return report

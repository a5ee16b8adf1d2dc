"""Benchmark of one large import as the Data page does it: python -m atlas bench-import --rows 1000000

The demo district has 61 schools and 7 metrics, 1,880 values: too few keys for a million rows. So
first (not measured) schools are added until schools x metrics x BENCH_YEARS school years reach the
rows asked for, a large city's size (10,000 schools for 1,000,000 rows). Then a metrics CSV of that
many rows (every school, metric and year; the demo's own values among them, changed) is read,
checked and compared (prepare), previewed (the headline figures before and after, on a private
copy) and committed, in a fresh child process so that its peak resident memory (Linux's VmHWM)
is the import's alone, not the file generation's. Prints one JSON object: rows, seconds and peak
MB after each step. With --app the child runs the Data page itself (AppTest): upload, check with
its preview, commit.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MEMORY_TARGET_MB = 1024  # issue 18: committing 1,000,000 metric rows stays under 1 GB
BENCH_YEARS = 15  # school years 2011-12 to 2025-26
SEED = 18


def add_command(commands) -> None:
    bench = commands.add_parser("bench-import", help="peak memory and time of one large metrics import (as the app)")
    bench.add_argument("--rows", type=int, default=1_000_000, help="metric rows in the generated file")
    bench.add_argument("--db", help="database to import into (a copy is used; default: the demo district)")
    bench.add_argument("--workdir", help="keep the database copy and the CSV file in this folder")
    bench.add_argument(
        "--app", action="store_true", help="run the Data page itself (AppTest): upload, check, commit, as a user"
    )
    bench.add_argument("--child", nargs=2, metavar=("DB", "CSV"), help=argparse.SUPPRESS)
    bench.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.child:
        measured = measure_app if args.app else measure
        print(json.dumps(measured(Path(args.child[0]), Path(args.child[1]))))
        return 0
    folder = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="atlas-bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        report = prepare_and_measure(folder, args.rows, Path(args.db) if args.db else None, app=args.app)
    finally:
        if not args.workdir:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(report, indent=2))
    return 0 if report.get("status", "").startswith("ok") else 1


def prepare_and_measure(folder: Path, n_rows: int, db: Path | None, *, app: bool = False) -> dict:
    import duckdb

    from atlas.database.build import build_demo_database

    copy = folder / "atlas.duckdb"
    if db is None:
        build_demo_database(copy)
    else:
        shutil.copyfile(db, copy)
    add_schools(copy, folder, n_rows)
    csv_path = folder / "metrics-import.csv"
    with duckdb.connect(str(copy), read_only=True) as con:
        written = write_metrics_file(con, csv_path, n_rows)
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "atlas",
            "bench-import",
            *(["--app"] if app else []),
            "--child",
            str(copy),
            str(csv_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        return {"rows": written, "status": f"failed: {child.stderr.strip()[-2000:]}"}
    report = {"rows": written, "csv_mb": round(csv_path.stat().st_size / 2**20, 1), **json.loads(child.stdout)}
    report["peak_under_target"] = report["peak_rss_mb"] < MEMORY_TARGET_MB
    return report


def add_schools(db: Path, folder: Path, n_rows: int) -> None:
    """Enough schools (imported like a district's file) for n_rows distinct metric keys."""
    import duckdb
    import pandas as pd

    from atlas.database.importing import import_file

    with duckdb.connect(str(db), read_only=True) as con:
        have = con.execute("SELECT count(*) FROM school").fetchone()[0]
        n_metrics = con.execute("SELECT count(*) FROM metric_definition").fetchone()[0]
    needed = -(-n_rows // (n_metrics * BENCH_YEARS)) - have
    if needed <= 0:
        return
    levels = ("elementary", "middle", "high")
    schools = pd.DataFrame(
        {
            "school_id": [f"BENCH-{i:05d}" for i in range(1, needed + 1)],
            "name": [f"Bench School {i}" for i in range(1, needed + 1)],
            "level": [levels[i % 3] for i in range(needed)],
        }
    )
    path = folder / "bench-schools.csv"
    schools.to_csv(path, index=False)
    result = import_file(db, "schools", path)
    if not result.ok:
        raise RuntimeError(f"adding the benchmark's schools was refused: {result.problems[:3]}")


def write_metrics_file(con, path: Path, n_rows: int) -> int:
    """Every school x metric x school year (newest first) up to n_rows rows, in the template's
    columns; values drawn within each metric's range, n from 5 to 900 (some below suppression)."""
    import numpy as np
    import pandas as pd

    schools = [row[0] for row in con.execute("SELECT school_id FROM school ORDER BY school_id").fetchall()]
    metrics = con.execute("SELECT metric_id, min_value, max_value FROM metric_definition ORDER BY metric_id").df()
    years = [f"{start}-{(start + 1) % 100:02d}" for start in range(2025, 2025 - BENCH_YEARS, -1)]
    keys = pd.MultiIndex.from_product(
        [years, schools, metrics["metric_id"]], names=["school_year", "school_id", "metric_id"]
    )
    frame = keys[:n_rows].to_frame(index=False)[["school_id", "school_year", "metric_id"]]
    rng = np.random.default_rng(SEED)
    low = frame["metric_id"].map(dict(zip(metrics["metric_id"], metrics["min_value"], strict=True)))
    high = frame["metric_id"].map(dict(zip(metrics["metric_id"], metrics["max_value"], strict=True)))
    frame["value"] = (low + rng.random(len(frame)) * (high - low)).round(1)
    frame["n"] = rng.integers(5, 900, len(frame))
    frame.to_csv(path, index=False)
    return len(frame)


def measure(db: Path, csv_path: Path) -> dict:
    """Upload, read, check, preview and commit, holding what the Data page holds between its steps
    (the uploaded bytes, the table read from them, the prepared change) until the commit is done."""
    from atlas.bench import rss_mb
    from atlas.database.importing import commit, effect_on_figures, guess_mapping, prepare_import, read_table

    report: dict = {"start_rss_mb": rss_mb()}
    started = time.perf_counter()

    def step(name: str) -> None:
        report[f"{name}_seconds"] = round(time.perf_counter() - started, 2)
        report[f"{name}_peak_rss_mb"] = rss_mb()

    data = csv_path.read_bytes()
    table = read_table(data, csv_path.name)
    step("read")
    prepared = prepare_import(db, table, guess_mapping("metrics", table.header), file_bytes=data)
    step("prepare")
    if not prepared.ok:
        first = prepared.checked.problems[0] if prepared.checked.problems else None
        return {**report, "peak_rss_mb": rss_mb(), "status": f"refused: {prepared.checked.n_errors} problems: {first}"}
    effect_on_figures(db, prepared)
    step("preview")
    commit(db, prepared)
    step("commit")
    change = prepared.diff
    report["status"] = f"ok: {change.n_added:,} added, {change.n_changed:,} changed"
    report["seconds"] = report.pop("commit_seconds")
    report["peak_rss_mb"] = rss_mb()
    return report


def measure_app(db: Path, csv_path: Path) -> dict:
    """The same import through the Data page itself (AppTest, one process like a server): open the
    page, upload the file, check it (with its preview) and commit."""
    import os

    from streamlit.testing.v1 import AppTest

    from atlas.bench import rss_mb

    os.environ["ATLAS_DB"] = str(db)
    report: dict = {}
    started = time.perf_counter()

    def step(name: str, at) -> None:
        if at.exception:
            raise RuntimeError(f"the Data page failed at {name}: {at.exception}")
        report[f"{name}_seconds"] = round(time.perf_counter() - started, 2)
        report[f"{name}_peak_rss_mb"] = rss_mb()

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=1800)
    at.run()
    at.switch_page("pages/data.py").run()
    step("page", at)
    at.selectbox(key="data_kind").set_value("metrics").run()
    at.file_uploader(key="data_file_metrics").set_value((csv_path.name, csv_path.read_bytes(), "text/csv")).run()
    step("upload", at)
    at.button(key="data_check").click().run()
    step("check", at)
    if "data_commit_import" not in [button.key for button in at.button]:
        return {**report, "peak_rss_mb": rss_mb(), "status": f"refused: {[e.value[:300] for e in at.error]}"}
    at.button(key="data_commit_import").click().run()
    step("commit", at)
    report["status"] = "ok: " + " ".join(s.value[:200] for s in at.success)
    report["seconds"] = report.pop("commit_seconds")
    report["peak_rss_mb"] = rss_mb()
    return report

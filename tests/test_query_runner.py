"""The query runner (atlas.database.db): it only reads, caches by file identity, and bounds its caches."""

from __future__ import annotations

import hashlib
import shutil
import threading
from datetime import date

import duckdb
import pytest

from atlas.database import db
from atlas.database.build import write_atomically
from atlas.database.database_file import ROOT
from atlas.database.result_cache import ResultCache
from atlas.domain.filters import default_filters
from atlas.domain.query.common import filter_options
from atlas.domain.query.gaps import coverage_matrix, gaps_summary


def folder_state(folder) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


def test_the_query_path_never_writes_even_to_a_file_an_older_version_wrote(demo_db, tmp_path, monkeypatch):
    """A file whose recorded macros version is not this version's would be upgraded at start-up
    (atlas.database.upgrade.ensure_database); a query alone reads it as it is: same bytes, nothing added
    beside it, the old version still recorded."""
    old = tmp_path / "old.duckdb"
    shutil.copyfile(demo_db, old)
    with duckdb.connect(str(old)) as con:
        con.execute("UPDATE atlas_meta SET value = 'older' WHERE key = 'macros_version'")
    old.chmod(0o444)
    before = folder_state(tmp_path)
    monkeypatch.setenv("ATLAS_DB", str(old))
    db.clear_caches()
    filters = default_filters(filter_options(), date(2026, 1, 15))
    assert gaps_summary(filters)["n_schools"] == 61
    assert len(coverage_matrix(filters, "en")) > 100
    db.clear_caches()  # closes the connection: nothing of it may be left to write later
    assert folder_state(tmp_path) == before
    with duckdb.connect(str(old), read_only=True) as con:
        assert con.execute("SELECT value FROM atlas_meta WHERE key = 'macros_version'").fetchone() == ("older",)


def test_a_swapped_file_is_noticed_on_the_next_query_and_results_are_copies(demo_db, tmp_path, monkeypatch):
    path = tmp_path / "swapped.duckdb"
    shutil.copyfile(demo_db, path)
    monkeypatch.setenv("ATLAS_DB", str(path))
    first = db.run_query("outcomes_min_n")
    first.loc[0, "suppression_min_n"] = -1  # a copy: the cached frame is untouched
    assert db.run_query("outcomes_min_n")["suppression_min_n"].iloc[0] != -1

    write_atomically(path, lambda con: con.execute("UPDATE setting SET suppression_min_n = 7"), start_from=path)
    assert db.run_query("outcomes_min_n")["suppression_min_n"].iloc[0] == 7


def test_the_query_cache_holds_at_most_512_results():
    assert db.QUERY_CACHE_ENTRIES == 512 and db._query_results.max_entries == 512


def test_the_result_cache_evicts_the_oldest_and_releases_it():
    released = []
    cache = ResultCache(2, on_evict=released.append)
    for key in "abc":
        assert cache.get(key, lambda key=key: key.upper()) == key.upper()
    assert len(cache) == 2 and released == ["A"]
    assert cache.get("b", lambda: "recomputed") == "B"  # kept, and now the most recent
    cache.get("d", lambda: "D")
    assert released == ["A", "C"]
    cache.clear()
    assert sorted(released) == ["A", "B", "C", "D"]


def test_the_result_cache_computes_a_key_once_and_keeps_no_error():
    cache = ResultCache(4)
    calls = []
    started = threading.Event()
    finish = threading.Event()

    def slow():
        calls.append(1)
        started.set()
        finish.wait(timeout=10)
        return "value"

    results = []
    first = threading.Thread(target=lambda: results.append(cache.get("k", slow)))
    first.start()
    started.wait(timeout=10)
    second = threading.Thread(target=lambda: results.append(cache.get("k", slow)))
    second.start()
    finish.set()
    first.join()
    second.join()
    assert results == ["value", "value"] and len(calls) == 1

    with pytest.raises(ZeroDivisionError):
        cache.get("bad", lambda: 1 / 0)
    assert cache.get("bad", lambda: "fine") == "fine"


def test_the_data_layer_runs_without_streamlit():
    """The query runner, the database file, building and every query module import no Streamlit
    (their caches are plain Python), so the command line starts no Streamlit cache."""
    import subprocess
    import sys

    modules = [
        "atlas.database.db",
        "atlas.database.sql",
        "atlas.database.build",
        "atlas.database.database_file",
        "atlas.database.import_log",
    ]
    modules += [f"atlas.domain.query.{path.stem}" for path in sorted((ROOT / "atlas" / "query").glob("[a-z]*.py"))]
    code = f"import sys; import {', '.join(modules)}; print('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"

"""Committing a change whole or not at all, keeping a snapshot for undo, and undoing.

A change (an import, an edit in the app, a bulk tagging) is first *prepared*: checked and
compared against the database. Committing it:

1. takes the database's write lock (one writer at a time, across sessions and processes);
2. checks again if the file changed since the preview (another session committed meanwhile);
3. copies the current file into the snapshots folder next to it (for undo);
4. writes the change and its import_log row into a copy of the database and swaps the copy in
   with os.replace (atlas.build.write_atomically). Readers keep reading the old file until they
   reconnect; a failure anywhere leaves the database byte-for-byte as it was.

Undo restores the snapshot taken before the newest change not yet undone, carrying over the
import log and the saved mappings (history, not data).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from atlas import sql
from atlas.build import write_atomically
from atlas.db import connect_read_only, file_identity
from atlas.importing import diff as diffing
from atlas.importing import kinds as k
from atlas.importing import store
from atlas.importing.mapping import Mapping
from atlas.importing.readers import RawTable
from atlas.importing.validate import Checked, Problem, check

SNAPSHOTS_KEPT = 20


class Refused(Exception):
    """The change cannot be committed; problems say why."""

    def __init__(self, problems: list[Problem], n_errors: int | None = None):
        super().__init__(f"{n_errors or len(problems)} problem(s)")
        self.problems = problems
        self.n_errors = n_errors if n_errors is not None else len(problems)


class NothingToUndo(Exception):
    pass


class SnapshotMissing(Exception):
    pass


@dataclass
class Prepared:
    """A checked change, with what it will do, ready to commit."""

    action: str  # 'import', 'edit' or 'tag'
    checked: Checked
    diff: diffing.Diff
    framework_id: str
    base_identity: tuple  # the database file it was checked against
    table: RawTable | None = None  # the file (to check again if the database changed)
    mapping: Mapping | None = None
    file_sha256: str | None = None
    mapping_name: str | None = None
    lookups: object = None
    rebuild: Callable[[duckdb.DuckDBPyConnection], Prepared] | None = field(default=None, repr=False)

    @property
    def kind(self) -> str:
        return self.checked.kind.name

    @property
    def ok(self) -> bool:
        return self.checked.ok

    @property
    def n_rows(self) -> int:
        return len(self.checked.frame)

    def fill(self, con: duckdb.DuckDBPyConnection) -> None:
        store.apply_checked(con, self.checked, self.framework_id)


# ---- reading the live file -------------------------------------------------------------------------


@contextmanager
def read_connection(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the database file as it is now (see atlas.db.connect_read_only)."""
    con = connect_read_only(Path(path))
    try:
        yield con
    finally:
        con.close()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def default_framework(con: duckdb.DuckDBPyConnection) -> str:
    return str(sql.execute(con, "data_default_framework").iloc[0, 0])


# ---- preparing ------------------------------------------------------------------------------------


def prepare_import(
    path: Path,
    table: RawTable,
    mapping: Mapping,
    *,
    mode: str = "upsert",
    framework_id: str | None = None,
    file_bytes: bytes | None = None,
    action: str = "import",
) -> Prepared:
    """Check a file against the database and compare: nothing is written."""
    path = Path(path)
    with read_connection(path) as con:
        identity = tuple(file_identity(path))
        return _prepare_on(con, identity, table, mapping, mode, framework_id, file_bytes, action)


def _prepare_on(con, identity, table, mapping, mode, framework_id, file_bytes, action) -> Prepared:
    framework_id = framework_id or default_framework(con)
    lookups = store.load_lookups(con, mapping.kind, framework_id)
    checked = check(table, mapping, lookups, mode)
    changes = diffing.compare(checked, lookups) if checked.ok else _empty_diff(checked)
    return Prepared(
        action=action,
        checked=checked,
        diff=changes,
        framework_id=lookups.framework_id,
        base_identity=identity,
        table=table,
        mapping=mapping,
        file_sha256=sha256(file_bytes) if file_bytes is not None else None,
        mapping_name=mapping.name or None,
        lookups=lookups,
    )


def _empty_diff(checked: Checked) -> diffing.Diff:
    empty = pd.DataFrame(columns=list(checked.kind.table_columns))
    return diffing.Diff(empty, pd.DataFrame(columns=["field", "old", "new"]), empty, 0, 0, 0, 0)


def prepare_tagging(
    path: Path, partner_type_id: str, strategy_ids: list[str], framework_id: str, *, only_untagged: bool = True
) -> Prepared:
    """Tag every partnership with a partner of this type (by default only those with no
    strategy in the framework yet) with the given strategies of the framework."""
    path = Path(path)
    kind = k.PARTNERSHIPS
    with read_connection(path) as con:
        identity = tuple(file_identity(path))
        lookups = store.load_lookups(con, kind, framework_id)
        partners = store.current_rows(con, "partners")
    rows = lookups.existing
    of_type = set(partners.loc[partners["partner_type_id"] == partner_type_id, "partner_id"])
    chosen = rows[rows["partner_id"].isin(of_type)]
    tags = lookups.existing_strategies
    in_framework = tags[tags["framework_id"] == lookups.framework_id]
    if only_untagged:
        chosen = chosen[~chosen["partnership_id"].isin(set(in_framework["partnership_id"]))]
    frame = chosen[list(kind.table_columns)].copy().reset_index(drop=True)
    frame["_row"] = range(1, len(frame) + 1)
    keep = in_framework[in_framework["partnership_id"].isin(set(frame["partnership_id"]))]
    new_tags = pd.DataFrame(
        [(pid, sid) for pid in frame["partnership_id"] for sid in strategy_ids],
        columns=["partnership_id", "strategy_id"],
    )
    strategies = (
        pd.concat([keep[["partnership_id", "strategy_id"]], new_tags], ignore_index=True)
        .drop_duplicates()
        .reset_index(drop=True)
    )
    problems = []
    unknown = [s for s in strategy_ids if s not in set(lookups.strategies.values())]
    for strategy_id in unknown:
        problems.append(
            Problem(
                "unknown_strategy",
                None,
                "strategies",
                {"value": strategy_id, "framework": lookups.framework_name, "count": lookups.n_strategies},
            )
        )
    if not strategy_ids:
        problems.append(Problem("no_strategy_chosen"))
    checked = Checked(
        kind=kind,
        mode="upsert",
        file_name="",
        frame=frame,
        provided=("partnership_id", "strategies"),
        strategies=strategies,
        problems=problems,
        n_errors=len(problems),
        notes=[],
        n_read=len(frame),
    )
    changes = diffing.compare(checked, lookups) if checked.ok else _empty_diff(checked)
    return Prepared("tag", checked, changes, lookups.framework_id, identity, lookups=lookups)


# ---- committing -----------------------------------------------------------------------------------


def snapshots_dir(path: Path) -> Path:
    return Path(path).resolve().parent / "snapshots"


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """One writer at a time for this database file (all sessions and processes)."""
    folder = snapshots_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{Path(path).name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def commit(path: Path, prepared: Prepared, *, user: str | None = None) -> int:
    """Commit a prepared change whole or not at all; returns its import_log id.
    Raises Refused when the change (checked again if the database moved on) has problems."""
    path = Path(path)
    with write_lock(path):
        if tuple(file_identity(path)) != prepared.base_identity:
            prepared = _recheck(path, prepared)
        if not prepared.ok:
            raise Refused(prepared.checked.problems, prepared.checked.n_errors)
        now = datetime.now(UTC).replace(tzinfo=None)
        snapshot = _take_snapshot(path, prepared.kind, now)
        holder: dict[str, int] = {}

        def fill(con: duckdb.DuckDBPyConnection) -> None:
            prepared.fill(con)
            holder["id"] = store.insert_log(
                con,
                committed_at=now,
                action=prepared.action,
                kind=prepared.kind,
                mode=prepared.checked.mode,
                file_name=prepared.checked.file_name or None,
                file_sha256=prepared.file_sha256,
                mapping_name=prepared.mapping_name,
                n_rows=prepared.n_rows,
                n_added=prepared.diff.n_added,
                n_changed=prepared.diff.n_changed,
                n_removed=prepared.diff.n_removed,
                committed_by=user,
                snapshot_file=snapshot.name,
            )

        try:
            write_atomically(path, fill, start_from=path)
        except Exception:
            snapshot.unlink(missing_ok=True)
            raise
        _prune_snapshots(path)
    return holder["id"]


def _recheck(path: Path, prepared: Prepared) -> Prepared:
    """The database changed since the preview: check and compare again against it."""
    if prepared.action == "tag":
        raise Refused([Problem("database_moved_on")])
    with read_connection(path) as con:
        identity = tuple(file_identity(path))
        again = _prepare_on(
            con,
            identity,
            prepared.table,
            prepared.mapping,
            prepared.checked.mode,
            prepared.framework_id,
            None,
            prepared.action,
        )
    return replace(again, file_sha256=prepared.file_sha256, mapping_name=prepared.mapping_name)


def _take_snapshot(path: Path, kind: str, now: datetime) -> Path:
    folder = snapshots_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{path.stem}-{now:%Y%m%dT%H%M%S%f}-{kind}.duckdb"
    target = folder / name
    temp = folder / f".{name}.tmp"
    shutil.copyfile(path, temp)
    os.replace(temp, target)
    return target


def _prune_snapshots(path: Path) -> None:
    snapshots = sorted(snapshots_dir(path).glob(f"{path.stem}-*.duckdb"))
    for old in snapshots[:-SNAPSHOTS_KEPT]:
        old.unlink(missing_ok=True)


# ---- undo -------------------------------------------------------------------------------------------


def last_undoable(path: Path) -> pd.Series | None:
    """The newest change not yet undone (what Undo would revert), or None."""
    with read_connection(path) as con:
        log = store.read_log(con)
    return last_undoable_in(log)


def last_undoable_in(log: pd.DataFrame) -> pd.Series | None:
    """The newest change of an already read import log that is not undone, or None."""
    if log.empty:
        return None
    candidates = log[(log["action"] != "undo") & (~log["is_undone"].astype(bool))]
    return None if candidates.empty else candidates.sort_values("import_id").iloc[-1]


def undo_last(path: Path, *, user: str | None = None) -> int:
    """Restore the database as it was before the newest change not yet undone; returns the
    import_log id of the undo."""
    path = Path(path)
    with write_lock(path):
        with read_connection(path) as con:
            if not store.has_data_tables(con):
                raise NothingToUndo()
            carried_log = sql.execute(con, "data_log_all")
            carried_mapping = sql.execute(con, "data_mappings_all")
        target = last_undoable_in(carried_log)
        if target is None:
            raise NothingToUndo()
        snapshot = snapshots_dir(path) / str(target["snapshot_file"])
        if not target["snapshot_file"] or not snapshot.exists():
            raise SnapshotMissing(str(target["snapshot_file"]))
        holder: dict[str, int] = {}

        def fill(con: duckdb.DuckDBPyConnection) -> None:
            con.register("carried_log", carried_log)
            con.register("carried_mapping", carried_mapping)
            try:
                store.run_script(con, "data_carry_over")
            finally:
                con.unregister("carried_log")
                con.unregister("carried_mapping")
            store.run_script(con, "data_log_mark_undone", import_id=int(target["import_id"]))
            holder["id"] = store.insert_log(
                con,
                committed_at=datetime.now(UTC).replace(tzinfo=None),
                action="undo",
                kind=target["kind"],
                committed_by=user,
                undoes_import_id=int(target["import_id"]),
            )

        write_atomically(path, fill, start_from=snapshot)
    return holder["id"]


# ---- saved mappings -----------------------------------------------------------------------------------


def save_mapping(path: Path, name: str, mapping: Mapping, *, user: str | None = None) -> None:
    """Save a column mapping by name in the database (replacing one of the same name)."""
    from atlas.importing.mapping import to_toml

    path = Path(path)
    text = to_toml(replace(mapping, name=name))
    with write_lock(path):

        def fill(con: duckdb.DuckDBPyConnection) -> None:
            store.run_script(
                con,
                "data_mapping_save",
                mapping_name=name,
                kind=mapping.kind,
                mapping_toml=text,
                saved_at=datetime.now(UTC).replace(tzinfo=None),
                saved_by=user,
            )

        write_atomically(path, fill, start_from=path)


# ---- preview of the effect on headline figures -------------------------------------------------------


def effect_on_figures(path: Path, prepared: Prepared, *, on_date: date | None = None) -> pd.DataFrame:
    """Headline figures now and after the change (computed on a private copy with the change
    applied; the database itself is not touched). One row per figure: figure, before, after.
    Raises Refused when the database itself refuses the change (a constraint)."""
    path = Path(path)
    on_date = on_date or date.today()
    folder = Path(tempfile.mkdtemp(prefix="atlas-preview-"))
    preview = folder / "preview.duckdb"
    try:
        try:
            write_atomically(preview, prepared.fill, start_from=path)
        except duckdb.Error as error:
            raise Refused([Problem("database", params={"error": str(error).splitlines()[0][:300]})]) from error
        with read_connection(path) as con:
            before = _figures(con, prepared.framework_id, on_date)
            before_coverage = _coverage(con, prepared.framework_id, on_date)
        with duckdb.connect(str(preview), read_only=True) as con:
            after = _figures(con, prepared.framework_id, on_date)
            after_coverage = _coverage(con, prepared.framework_id, on_date)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows = [{"figure": name, "before": before[name], "after": after[name]} for name in before.index]
    coverage = before_coverage.merge(after_coverage, on="strategy_number", how="outer", suffixes=("_before", "_after"))
    for row in coverage.itertuples():
        rows.append(
            {
                "figure": f"strategy_{int(row.strategy_number)}",
                "before": _int(row.n_covered_before),
                "after": _int(row.n_covered_after),
            }
        )
    return pd.DataFrame(rows)


def _int(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def _figures(con, framework_id: str, on_date: date) -> pd.Series:
    year = sql.execute(con, "data_latest_year").iloc[0, 0]
    year = year if isinstance(year, str) else "0000-01"
    return sql.execute(con, "data_headline", framework_id=framework_id, on_date=on_date, school_year=year).iloc[0]


def _coverage(con, framework_id: str, on_date: date) -> pd.DataFrame:
    year = sql.execute(con, "data_latest_year").iloc[0, 0]
    year = year if isinstance(year, str) else "0000-01"
    frame = sql.execute(
        con,
        "strategy_coverage",
        framework_id=framework_id,
        on_date=on_date,
        school_year=year,
        levels=(),
        regions=(),
        need_tier="all",
        lang="en",
    )
    return frame[["strategy_number", "n_covered"]]

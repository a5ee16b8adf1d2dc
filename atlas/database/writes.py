"""The one path every write to the database file takes.

Imports, edits in the app, bulk tagging, undo, saved scenarios, community counts, saved column
mappings and a new district's file are each a Change given to write(), which:

1. refuses a writer who may not change data (a viewer once sign-in is configured, atlas.database.access)
   before anything is touched;
2. takes the file's write lock: one writer at a time, across sessions, threads and processes;
3. makes the change against the file as it is under the lock (an import previewed before
   another write is checked again);
4. for a data change, copies the file into the snapshots folder, for undo;
5. applies the change and its import_log row to a copy of the file and swaps the copy in
   (atlas.database.build.write_atomically): readers keep the old file until they reconnect, and a failure
   leaves the file as it was.

Undo (undo_last) reverts the newest data change not yet undone (an import, an edit or a bulk
tagging): the tables that change wrote (TABLES_WRITTEN) are restored from the snapshot taken
before it and every other table stays as it is now, so a community count or a scenario saved
later survives. Undo goes back one data change at a time, newest first, so when a change is
undone the tables it wrote hold what it left. A saved scenario, community count or mapping is
not something Undo reverts: deleting it is its undo, and is itself a logged write.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from atlas.database import access, import_log, sql
from atlas.database.build import table_order, write_atomically
from atlas.database.database_file import connect_read_only

SNAPSHOTS_KEPT = 20

# The tables each kind of change writes; undo restores exactly these. An import of schools or
# partners rewrites the partnerships (and metrics) that refer to them: DuckDB refuses to delete a
# row another table refers to, so queries/data_apply_*.sql set those aside and put them back.
TABLES_WRITTEN: dict[str, tuple[str, ...]] = {
    "schools": ("school", "partnership", "partnership_strategy", "metric"),
    "partners": ("partner", "partnership", "partnership_strategy"),
    "partnerships": ("partnership", "partnership_strategy"),
    "metrics": ("metric",),
    "metric_definitions": ("metric_definition", "metric"),  # values set aside and put back (a foreign key)
    "scenario": (
        "scenario",
        "scenario_partnership",
        "scenario_recommendation",
        "scenario_weight",
        "scenario_exclusion",
        "scenario_district",
    ),
    "community": ("community_session", "community_vote"),
    "mapping": ("import_mapping",),
    "district": (),  # a new file: every table
    "setting": ("setting",),
}
# What the Data page's Undo reverts: the district's data and its settings (a setting changes figures).
DATA_KINDS = ("schools", "partners", "partnerships", "metrics", "metric_definitions", "setting")
DATA_ACTIONS = ("import", "edit", "tag")


class NotAllowed(PermissionError):
    """The writer may not change data (sign-in is configured and they are not a signed-in editor)."""

    def __init__(self, actor: access.Access):
        who = actor.user or "nobody signed in"
        super().__init__(f"only a signed-in editor may change data ({who} is not one); nothing was written")
        self.actor = actor


class NothingToUndo(Exception):
    pass


class SnapshotMissing(Exception):
    pass


@dataclass(frozen=True)
class Change:
    """One write: what it is (action, kind), how to make it on a copy of the file (fill) and what
    the import log says about it (details: mode, file_name, file_sha256, mapping_name, n_rows,
    n_added, n_changed, n_removed, n_source; subject: the scenario, session or mapping it is about)."""

    action: str  # 'import', 'edit', 'tag', 'save', 'delete' or 'create'
    kind: str  # a key of TABLES_WRITTEN
    fill: Callable[[duckdb.DuckDBPyConnection], None] = field(repr=False)
    subject: str | None = None
    details: dict = field(default_factory=dict)

    @property
    def is_data_change(self) -> bool:
        return self.kind in DATA_KINDS and self.action in DATA_ACTIONS


# ---- who writes ------------------------------------------------------------------------------------


def acting(actor: access.Access | None) -> access.Access:
    """Who this write is by: actor, by default the local operator (the command line, scripts), who can
    change the file anyway. An editor's Access from the app holds only while the server's grant behind
    its token lives (atlas.database.access.vouched), so no widget, session-state value or Access made up in code
    lets a viewer write."""
    return access.vouched(actor or access.LOCAL)


def check_allowed(actor: access.Access | None) -> access.Access:
    writer = acting(actor)
    if not writer.can_edit:
        raise NotAllowed(writer)
    return writer


# ---- the lock and the snapshots ---------------------------------------------------------------------


def snapshots_dir(path: Path) -> Path:
    return Path(path).resolve().parent / "snapshots"


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """One writer at a time for this database file: every session, thread and process (flock on a
    file of its own, next to the snapshots)."""
    folder = snapshots_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{Path(path).name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _take_snapshot(path: Path, kind: str, now: datetime) -> Path:
    folder = snapshots_dir(path)
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


# ---- writing --------------------------------------------------------------------------------------------


def write(path: Path, change: Change | Callable[[Path], Change], actor: access.Access | None = None) -> int:
    """Make one change to the database file, whole or not at all; returns its import_log id.

    change: a Change, or a function making the Change from the file as it is under the lock.
    actor: who writes (the app passes atlas.app.auth.current_access(), with its grant); see acting().
    Raises NotAllowed, changing nothing, when the writer may not change data."""
    path = Path(path)
    writer = check_allowed(actor)
    with file_lock(path):
        if not isinstance(change, Change):
            change = change(path)
        if change.kind == "district":
            return _create(path, change, writer)
        now = _now()
        snapshot = _take_snapshot(path, change.kind, now) if change.is_data_change else None
        holder: dict[str, int] = {}

        def fill(con: duckdb.DuckDBPyConnection) -> None:
            change.fill(con)
            holder["id"] = _log(con, change, writer, now, snapshot)

        try:
            write_atomically(path, fill, start_from=path)
        except Exception:
            if snapshot is not None:
                snapshot.unlink(missing_ok=True)
            raise
        if snapshot is not None:
            _prune_snapshots(path)
    return holder["id"]


def _create(path: Path, change: Change, writer: access.Access) -> int:
    """A new database file (a new district): built from the schema, nothing to snapshot."""
    holder: dict[str, int] = {}

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        change.fill(con)
        holder["id"] = _log(con, change, writer, _now(), None)

    write_atomically(path, fill)
    return holder["id"]


def _log(con, change: Change, writer: access.Access, now: datetime, snapshot: Path | None, **more) -> int:
    return import_log.insert_log(
        con,
        committed_at=now,
        action=change.action,
        kind=change.kind,
        subject=change.subject,
        committed_by=writer.user,
        snapshot_file=snapshot.name if snapshot else None,
        **change.details,
        **more,
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def bring_up_to_date(path: Path, *, missing: Callable[[Path], None], outdated: Callable[[Path], None]) -> None:
    """Build the file when it is missing or upgrade it (atlas.database.upgrade.ensure_database), under the lock so
    that an upgrade never swaps in a copy taken before another writer's change."""
    with file_lock(path):
        if not Path(path).exists():
            missing(path)
        else:
            outdated(path)


# ---- undo -------------------------------------------------------------------------------------------------


def last_undoable_in(log: pd.DataFrame) -> pd.Series | None:
    """The newest data change (import, edit, tagging) of a read import log not yet undone, or None."""
    if log.empty:
        return None
    candidates = log[log["action"].isin(DATA_ACTIONS) & log["kind"].isin(DATA_KINDS) & ~log["is_undone"].astype(bool)]
    return None if candidates.empty else candidates.sort_values("import_id").iloc[-1]


def undo_last(path: Path, actor: access.Access | None = None) -> int:
    """Revert the newest data change not yet undone; returns the import_log id of the undo.
    Only the tables that change wrote go back to the snapshot taken before it."""
    path = Path(path)
    writer = check_allowed(actor)
    with file_lock(path):
        with connect_read_only(path) as con:
            log = import_log.read_log(con)
        target = last_undoable_in(log)
        if target is None:
            raise NothingToUndo()
        snapshot = snapshots_dir(path) / str(target["snapshot_file"])
        if not target["snapshot_file"] or not snapshot.exists():
            raise SnapshotMissing(str(target["snapshot_file"]))
        undone = int(target["import_id"])
        change = Change("undo", str(target["kind"]), lambda con: None)
        holder: dict[str, int] = {}

        def fill(con: duckdb.DuckDBPyConnection) -> None:
            restore_tables(con, snapshot, TABLES_WRITTEN[change.kind])
            sql.run_script(con, "data_log_mark_undone", import_id=undone)
            holder["id"] = _log(con, change, writer, _now(), None, undoes_import_id=undone)

        write_atomically(path, fill, start_from=path)
    return holder["id"]


def restore_tables(con: duckdb.DuckDBPyConnection, snapshot: Path, tables: tuple[str, ...]) -> None:
    """Give these tables the rows they have in the snapshot; every other table is left alone.
    Children are emptied before their parents and filled after them (foreign keys)."""
    ordered = [name for name in table_order() if name in tables]
    # Table names come from schema.sql (table_order), never from input: safe to write into the SQL.
    con.execute(f"ATTACH '{_quoted(snapshot)}' AS before_change (READ_ONLY)")
    try:
        for name in reversed(ordered):
            con.execute(f"DELETE FROM main.{name}")
        for name in ordered:
            con.execute(f"INSERT INTO main.{name} BY NAME SELECT * FROM before_change.main.{name}")
    finally:
        con.execute("DETACH before_change")


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")

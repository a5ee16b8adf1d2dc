"""Preparing a change to the data (an import, an edit in the app, a bulk tagging) and committing it.

A change is first *prepared*: checked and compared against the database, nothing written.
Committing it goes through atlas.database.writes.write, the one write path: the editor check, the write
lock, a second check if the file changed since the preview (another session committed meanwhile),
the snapshot for undo and the atomic swap with its import_log row. Undo and saved mappings are
writes of atlas.database.writes too; they are re-exported here for the importer's callers.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from atlas.database import access, import_log, sql, writes
from atlas.database.build import write_atomically
from atlas.database.database_file import connect_read_only, file_identity
from atlas.database.importing import diff as diffing
from atlas.database.importing import kinds as k
from atlas.database.importing import store
from atlas.database.importing.lookups import Lookups
from atlas.database.importing.mapping import Mapping, to_toml
from atlas.database.importing.problems import Problem
from atlas.database.importing.readers import RawTable
from atlas.database.importing.validate import Checked, check

# Kept importable from here: the importer's callers and tests use these names.
NothingToUndo = writes.NothingToUndo
SnapshotMissing = writes.SnapshotMissing
NotAllowed = writes.NotAllowed
snapshots_dir = writes.snapshots_dir
write_lock = writes.file_lock
last_undoable_in = writes.last_undoable_in


class Refused(Exception):
    """The change cannot be committed; problems say why."""

    def __init__(self, problems: list[Problem], n_errors: int | None = None):
        super().__init__(f"{n_errors or len(problems)} problem(s)")
        self.problems = problems
        self.n_errors = n_errors if n_errors is not None else len(problems)


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
    rebuild: Callable[[Path], Prepared] | None = field(default=None, repr=False)  # prepared again, on a moved file

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
    """A read-only connection to the database file as it is now (see atlas.database.database_file.connect_read_only)."""
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
    of_type = set(partners.loc[partners["partner_type_id"] == partner_type_id, "partner_id"])
    frame, strategies = _tagged_rows(lookups, of_type, strategy_ids, only_untagged)
    problems = _tagging_problems(lookups, strategy_ids)
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
    # Prepared again on a moved file: the partnerships are chosen again there.
    again = functools.partial(
        prepare_tagging,
        partner_type_id=partner_type_id,
        strategy_ids=strategy_ids,
        framework_id=framework_id,
        only_untagged=only_untagged,
    )
    return Prepared("tag", checked, changes, lookups.framework_id, identity, lookups=lookups, rebuild=again)


def _tagged_rows(
    lookups: Lookups, partner_ids: set[str], strategy_ids: list[str], only_untagged: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The partnerships with these partners (numbered as rows of a file), and their strategies
    in the framework: those they had and the ones given."""
    rows = lookups.existing
    chosen = rows[rows["partner_id"].isin(partner_ids)]
    tags = lookups.existing_strategies
    in_framework = tags[tags["framework_id"] == lookups.framework_id]
    if only_untagged:
        chosen = chosen[~chosen["partnership_id"].isin(set(in_framework["partnership_id"]))]
    frame = chosen[list(k.PARTNERSHIPS.table_columns)].copy().reset_index(drop=True)
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
    return frame, strategies


def _tagging_problems(lookups: Lookups, strategy_ids: list[str]) -> list[Problem]:
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
    return problems


# ---- committing (through atlas.database.writes, the one write path) -----------------------------------------


def writer(actor: access.Access | None, user: str | None) -> access.Access | None:
    """The app passes actor (atlas.app.auth.current_access()); scripts and the command line may name a
    user for the log instead. Inside a Streamlit session atlas.database.writes always checks the session's own."""
    return actor if actor is not None else (access.local(user) if user else None)


def commit(path: Path, prepared: Prepared, *, actor: access.Access | None = None, user: str | None = None) -> int:
    """Commit a prepared change whole or not at all (atlas.database.writes.write); returns its import_log id.
    Raises Refused when the change (checked again if the database moved on) has problems, and
    atlas.database.writes.NotAllowed when the writer may not change data."""

    def change_now(path: Path) -> writes.Change:
        current = prepared
        if tuple(file_identity(path)) != prepared.base_identity:
            current = _recheck(path, prepared)
        if not current.ok:
            raise Refused(current.checked.problems, current.checked.n_errors)
        return as_change(current)

    return writes.write(Path(path), change_now, writer(actor, user))


def as_change(prepared: Prepared) -> writes.Change:
    return writes.Change(
        prepared.action,
        prepared.kind,
        prepared.fill,
        details={
            "mode": prepared.checked.mode,
            "file_name": prepared.checked.file_name or None,
            "file_sha256": prepared.file_sha256,
            "mapping_name": prepared.mapping_name,
            "n_rows": prepared.n_rows,
            "n_added": prepared.diff.n_added,
            "n_changed": prepared.diff.n_changed,
            "n_removed": prepared.diff.n_removed,
            "n_source": prepared.checked.n_source,
        },
    )


def _recheck(path: Path, prepared: Prepared) -> Prepared:
    """The database changed since the preview: check and compare again against it."""
    if prepared.rebuild is not None:  # bulk tagging: choose the partnerships again
        return prepared.rebuild(path)
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


# ---- undo -------------------------------------------------------------------------------------------


def last_undoable(path: Path) -> pd.Series | None:
    """The newest data change not yet undone (what Undo would revert), or None."""
    with read_connection(path) as con:
        log = import_log.read_log(con)
    return last_undoable_in(log)


def undo_last(path: Path, *, actor: access.Access | None = None, user: str | None = None) -> int:
    """Revert the newest data change not yet undone (atlas.database.writes.undo_last: only the tables it
    wrote go back); returns the import_log id of the undo."""
    return writes.undo_last(Path(path), writer(actor, user))


# ---- saved mappings -----------------------------------------------------------------------------------


def save_mapping(
    path: Path, name: str, mapping: Mapping, *, actor: access.Access | None = None, user: str | None = None
) -> None:
    """Save a column mapping by name in the database (replacing one of the same name)."""
    text = to_toml(replace(mapping, name=name))

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        store.run_script(
            con,
            "data_mapping_save",
            mapping_name=name,
            kind=mapping.kind,
            mapping_toml=text,
            saved_at=datetime.now(UTC).replace(tzinfo=None),
            saved_by=writes.acting(writer(actor, user)).user,
        )

    change = writes.Change("save", "mapping", fill, subject=name, details={"mapping_name": name})
    writes.write(Path(path), change, writer(actor, user))


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

"""Importing a district's files: read (CSV/XLSX), map columns, check, preview, commit whole
or not at all, undo.

    result = import_file("data/atlas.duckdb", "metrics", "metrics.csv")          # upsert
    result = import_file(db, "schools", "schools.xlsx", mapping="data/mappings/x.toml",
                         mode="replace", dry_run=True)
    result.ok, result.problems, result.diff.n_added, result.import_id

The command line (python -m atlas import …), the Data page and the benchmark all go through
these functions. Modules: readers (files → text rows), mapping (their columns → our fields),
fields and kinds (what can be imported), wide (wide metric files, where n comes from), validate
(the rules), problems (every problem, kept compactly and grouped), diff (what changes), store
(SQL), transaction (atomic commit, snapshots, undo), measures (a district's own measures from the
app); atlas.present.import_templates (blank files to fill in) and atlas.present.import_messages
(problems in English and Spanish).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from atlas.database.importing.kinds import KINDS
from atlas.database.importing.mapping import Mapping, guess_mapping, load_mapping_file
from atlas.database.importing.problems import MAX_PROBLEMS, Problem, ProblemGroup, ProblemSet, problem_from_read_error
from atlas.database.importing.readers import Limits, RawTable, ReadError, check_file_size, read_path, read_table
from atlas.database.importing.transaction import (
    NothingToUndo,
    Prepared,
    Refused,
    SnapshotMissing,
    commit,
    effect_on_figures,
    last_undoable,
    prepare_import,
    prepare_tagging,
    read_connection,
    save_mapping,
    undo_last,
)

__all__ = [
    "KINDS",
    "MAX_PROBLEMS",
    "ImportResult",
    "Limits",
    "Mapping",
    "NothingToUndo",
    "Prepared",
    "Problem",
    "ProblemGroup",
    "ProblemSet",
    "RawTable",
    "ReadError",
    "Refused",
    "SnapshotMissing",
    "commit",
    "effect_on_figures",
    "guess_mapping",
    "import_file",
    "last_undoable",
    "load_mapping_file",
    "prepare_import",
    "prepare_tagging",
    "read_connection",
    "read_path",
    "read_table",
    "save_mapping",
    "undo_last",
]


@dataclass
class ImportResult:
    ok: bool
    problems: list[Problem] = field(default_factory=list)  # the first errors (MAX_PROBLEMS of them)
    n_errors: int = 0
    notes: list[Problem] = field(default_factory=list)
    prepared: Prepared | None = None
    import_id: int | None = None  # set when committed

    @property
    def diff(self):
        return self.prepared.diff if self.prepared else None

    @property
    def all_problems(self) -> ProblemSet:
        """Every error, grouped on demand (ProblemSet.groups) or row by row (ProblemSet.every_row)."""
        if self.prepared is not None and self.problems == self.prepared.checked.problems:
            return self.prepared.checked.all_problems
        return ProblemSet.of(self.problems)


def import_file(
    db_path: Path | str,
    kind: str,
    file_path: Path | str,
    *,
    mapping: Mapping | Path | str | None = None,
    mode: str = "upsert",
    dry_run: bool = False,
    user: str | None = None,
    framework_id: str | None = None,
    sheet: str | None = None,
    limits: Limits | None = None,
) -> ImportResult:
    """Read, check, compare and (unless dry_run or refused) commit one file.

    mapping: a Mapping, a mapping file path, or None to guess columns from the header.
    mode: 'upsert' (add new rows, update existing ones, keep the rest) or 'replace' (the file
    is the complete list: rows not in it are removed).
    limits: what the file may be (default: the upload's limits, atlas.database.importing.readers).
    """
    kind = kind.replace("-", "_")  # metric-definitions, as the command line writes it
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    file_path = Path(file_path)
    if isinstance(mapping, (str, Path)):
        mapping = load_mapping_file(Path(mapping))
    if mapping is not None and mapping.kind != kind:
        raise ValueError(f"the mapping is for {mapping.kind}, not {kind}")
    limits = limits or Limits()
    try:
        check_file_size(file_path.stat().st_size, limits)  # before reading it into memory
        data = file_path.read_bytes()
        table = read_table(data, file_path.name, sheet=sheet or (mapping.sheet if mapping else None), limits=limits)
    except ReadError as error:
        problem = problem_from_read_error(error)
        return ImportResult(ok=False, problems=[problem], n_errors=1)
    mapping = mapping or guess_mapping(kind, table.header)
    prepared = prepare_import(Path(db_path), table, mapping, mode=mode, framework_id=framework_id, file_bytes=data)
    checked = prepared.checked
    result = ImportResult(checked.ok, checked.problems, checked.n_errors, checked.notes, prepared)
    if not checked.ok or dry_run or prepared.diff.is_empty:
        return result
    try:
        result.import_id = commit(Path(db_path), prepared, user=user)
    except Refused as refused:
        result.ok = False
        result.problems = refused.problems
        result.n_errors = refused.n_errors
    return result

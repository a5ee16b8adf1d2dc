"""The one write path (atlas.database.writes) on a copy of the demo district: writes started at the same
moment in threads and in processes all land (none lost), undo restores only the tables the undone
change wrote, each kind of change writes only the tables it declares, and a viewer cannot write."""

from __future__ import annotations

import hashlib
import multiprocessing
import shutil
import sys
import threading
import types
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from atlas.app import auth
from atlas.database import writes
from atlas.database.build import table_order
from atlas.database.importing import (
    Mapping,
    commit,
    import_file,
    prepare_import,
    prepare_tagging,
    read_path,
    save_mapping,
)
from atlas.database.importing.mapping import guess_mapping
from atlas.domain import scenarios
from atlas.domain.filters import Filters
from atlas.domain.scenarios import CommunitySession, SavedScenario

ROUNDS = 10
# The rounds of the two concurrency tests in two tests of five, each on its own copy of the demo: the
# same 10 rounds (each a trial of its own, its names numbered), but no longer one 31 s (CPU) test
# that the last pytest worker ran alone at the end of the suite.
HALVES = [range(0, ROUNDS // 2), range(ROUNDS // 2, ROUNDS)]
HALF_IDS = ["rounds-0-4", "rounds-5-9"]
VIEWER = auth.Access(can_edit=False, sign_in_configured=True, user=None, method="password")
FILTERS = Filters(framework_id="nea-fscp-2", on_date=date(2025, 10, 1), school_year="2024-25")


@pytest.fixture
def db(demo_db, tmp_path):
    copy = tmp_path / "atlas.duckdb"
    shutil.copyfile(demo_db, copy)
    return copy


def rows(path: Path, query: str, params=None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(query, params or {}).fetchall()


def csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def session(session_id: str, votes: int) -> CommunitySession:
    return CommunitySession(
        session_id, "demo-riverbend", None, "nea-fscp-2", date(2025, 3, 4), "Library", {"nea-fscp-2:2": votes}
    )


def scenario(name: str) -> SavedScenario:
    return SavedScenario(name=name, filters=FILTERS, radius_miles=5.0, weight_source="district")


# ---- each kind of write, and how to find it in the file afterwards ---------------------------------


@dataclass
class Round:
    """The writes of one round of the concurrency test (every kind but undo), each a function
    that commits it, and the check that finds it in the file."""

    number: int
    db: Path
    folder: Path
    partner_types: list[str]

    def writes(self) -> dict:
        r = self.number
        return {
            "import": lambda: import_file(self.db, "schools", self.school_file()),
            "edit": lambda: commit(self.db, self.edit()),
            "tag": lambda: commit(self.db, self.tagging()),
            "scenario save": lambda: scenarios.save_scenario(self.db, scenario(f"round {r}")),
            "scenario delete": lambda: scenarios.delete_scenario(self.db, f"old {r}"),
            "community save": lambda: scenarios.save_community_session(self.db, session(f"round-{r}", r + 1)),
            "community delete": lambda: scenarios.delete_community_session(self.db, f"old-{r}"),
            "mapping save": lambda: save_mapping(self.db, f"mapping {r}", guess_mapping("schools", ["school_id"])),
        }

    def set_up(self) -> None:
        """What the round's deletes delete, saved before it starts."""
        scenarios.save_scenario(self.db, scenario(f"old {self.number}"))
        scenarios.save_community_session(self.db, session(f"old-{self.number}", 1))

    def school_file(self) -> Path:
        text = f"school_id,name,level\nCONC-{self.number},Round {self.number} School,elementary\n"
        return csv(self.folder, f"schools-{self.number}.csv", text)

    @property
    def edited(self) -> str:
        return f"RB-PS{self.number + 1:04d}"

    def edit(self):
        text = f"partnership_id,notes\n{self.edited},edited in round {self.number}\n"
        table = read_path(csv(self.folder, f"edit-{self.number}.csv", text))
        return prepare_import(self.db, table, guess_mapping("partnerships", table.header), action="edit")

    @property
    def tag(self) -> tuple[str, str]:
        """A (partner type, strategy) of its own: every partnership of the type gets the strategy."""
        return self.partner_types[self.number % len(self.partner_types)], f"nea-fscp-2:{self.number + 1}"

    def tagging(self):
        partner_type, strategy = self.tag
        return prepare_tagging(self.db, partner_type, [strategy], "nea-fscp-2", only_untagged=False)

    def missing(self) -> list[str]:
        """The writes of this round not found in the file."""
        r, db = self.number, self.db
        partner_type, strategy = self.tag
        found = {
            "import": rows(db, "SELECT count(*) FROM school WHERE school_id = $id", {"id": f"CONC-{r}"}) == [(1,)],
            "edit": rows(db, "SELECT notes FROM partnership WHERE partnership_id = $id", {"id": self.edited})
            == [(f"edited in round {r}",)],
            "tag": rows(
                db,
                "SELECT count(*) FROM partnership AS p JOIN partner USING (partner_id) WHERE partner_type_id = $type "
                "AND NOT EXISTS (SELECT 1 FROM partnership_strategy AS s WHERE s.partnership_id = p.partnership_id "
                "AND s.strategy_id = $strategy)",
                {"type": partner_type, "strategy": strategy},
            )
            == [(0,)],
            "scenario save": rows(db, "SELECT count(*) FROM scenario WHERE name = $n", {"n": f"round {r}"}) == [(1,)],
            "scenario delete": rows(db, "SELECT count(*) FROM scenario WHERE name = $n", {"n": f"old {r}"}) == [(0,)],
            "community save": rows(db, "SELECT votes FROM community_vote WHERE session_id = $id", {"id": f"round-{r}"})
            == [(r + 1,)],
            "community delete": rows(
                db, "SELECT count(*) FROM community_session WHERE session_id = $id", {"id": f"old-{r}"}
            )
            == [(0,)],
            "mapping save": rows(
                db, "SELECT count(*) FROM import_mapping WHERE mapping_name = $n", {"n": f"mapping {r}"}
            )
            == [(1,)],
        }
        return [kind for kind, ok in found.items() if not ok]


def all_at_once(functions: list) -> list:
    """Run the functions in threads released together; their results (an exception is a result)."""
    start = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index: int, function) -> None:
        start.wait()
        try:
            results[index] = function()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("numbers", HALVES, ids=HALF_IDS)
def test_every_kind_of_write_started_with_an_import_is_kept(db, tmp_path, numbers):
    partner_types = [t for (t,) in rows(db, "SELECT DISTINCT partner_type_id FROM partner ORDER BY 1")]
    log_before = rows(db, "SELECT count(*) FROM import_log")[0][0]
    trials, lost, committed = 0, [], 0
    for number in numbers:
        round_ = Round(number, db, tmp_path, partner_types)
        round_.set_up()
        kinds = round_.writes()
        results = all_at_once(list(kinds.values()))
        failures = [(kind, r) for kind, r in zip(kinds, results, strict=True) if isinstance(r, Exception)]
        assert not failures, failures
        trials += len(kinds)
        committed += len(kinds) + 2
        lost += [(number, kind) for kind in round_.missing()]
    # Every write of every round was found afterwards, and each has its row in the import log.
    assert (trials, lost) == (len(numbers) * 8, [])
    actions = rows(db, "SELECT action, kind, count(*) FROM import_log GROUP BY ALL ORDER BY ALL")
    assert rows(db, "SELECT count(*) FROM import_log")[0][0] == log_before + committed
    assert ("save", "community", 2 * len(numbers)) in actions and ("tag", "partnerships", len(numbers)) in actions
    assert rows(db, "SELECT count(*) FROM partnership WHERE notes LIKE 'edited in round %'") == [(len(numbers),)]


@pytest.mark.parametrize("numbers", HALVES, ids=HALF_IDS)
def test_undo_started_with_other_writes_reverts_exactly_one_data_change_and_keeps_the_rest(db, tmp_path, numbers):
    """Each round: a metrics import, then at the same moment a schools import, a scenario and a
    community save and an undo. The undo reverts whichever data change was newest when it ran; the
    log says which, and the file agrees; the saves are always kept."""
    for number in numbers:
        year = f"{1900 + number}-{(number + 1) % 100:02d}"
        metrics = csv(
            tmp_path,
            f"m{number}.csv",
            f"school_id,school_year,metric_id,value,n\nRB-E01,{year},attendance_rate_pct,90,100\n",
        )
        metric_id = import_file(db, "metrics", metrics).import_id
        school = csv(tmp_path, f"s{number}.csv", f"school_id,name,level\nUNDO-{number},U,high\n")
        results = all_at_once(
            [
                lambda school=school: import_file(db, "schools", school).import_id,
                lambda number=number: scenarios.save_scenario(db, scenario(f"kept {number}")),
                lambda number=number: scenarios.save_community_session(db, session(f"kept-{number}", 5)),
                lambda: writes.undo_last(db),
            ]
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        school_id, undo_id = results[0], results[3]
        undone = rows(db, "SELECT undoes_import_id FROM import_log WHERE import_id = $id", {"id": undo_id})[0][0]
        assert undone in (metric_id, school_id)
        has_metric = rows(db, "SELECT count(*) FROM metric WHERE school_year = $y", {"y": year}) == [(1,)]
        has_school = rows(db, "SELECT count(*) FROM school WHERE school_id = $s", {"s": f"UNDO-{number}"}) == [(1,)]
        assert (has_metric, has_school) == (undone != metric_id, undone != school_id)
        assert rows(db, "SELECT count(*) FROM scenario WHERE name = $n", {"n": f"kept {number}"}) == [(1,)]
        assert rows(db, "SELECT count(*) FROM community_session WHERE session_id = $s", {"s": f"kept-{number}"}) == [
            (1,)
        ]


def _write_in_a_process(db: str, kind: str, number: int, start) -> None:
    start.wait()
    if kind == "import":
        folder = Path(db).parent
        path = folder / f"process-{number}.csv"
        path.write_text(f"school_id,name,level\nPROC-{number},P,middle\n", encoding="utf-8")
        assert import_file(Path(db), "schools", path).import_id
    else:
        scenarios.save_community_session(Path(db), session(f"process-{number}", number + 1))


def test_writes_from_two_processes_at_the_same_moment_are_both_kept(db, monkeypatch):
    # A spawned process re-runs the parent's __main__; after an AppTest in this process that is the
    # test's app script (AppTest.from_function's cannot run alone), so the children get a blank one.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    context = multiprocessing.get_context("spawn")
    rounds = 4
    with context.Manager() as manager, context.Pool(2) as pool:
        for number in range(rounds):
            start = manager.Barrier(2)
            jobs = [
                pool.apply_async(_write_in_a_process, (str(db), kind, number, start)) for kind in ("import", "count")
            ]
            for job in jobs:
                job.get(timeout=300)
    assert rows(db, "SELECT count(*) FROM school WHERE school_id LIKE 'PROC-%'") == [(rounds,)]
    assert rows(db, "SELECT count(*) FROM community_session WHERE session_id LIKE 'process-%'") == [(rounds,)]


# ---- undo restores only what it undoes ---------------------------------------------------------------


def test_undo_of_an_earlier_import_keeps_a_later_community_count_scenario_and_mapping(db, tmp_path):
    before = rows(db, "SELECT * FROM school ORDER BY ALL")
    import_file(db, "schools", csv(tmp_path, "s.csv", "school_id,name,level\nNEW-1,New,elementary\n"))
    scenarios.save_community_session(db, session("after-import", 7))
    scenarios.save_scenario(db, scenario("after import"))
    save_mapping(db, "after import", Mapping(kind="schools", columns={"school_id": "Code"}))
    writes.undo_last(db)
    assert rows(db, "SELECT * FROM school ORDER BY ALL") == before
    assert rows(db, "SELECT votes FROM community_vote WHERE session_id = 'after-import'") == [(7,)]
    assert rows(db, "SELECT name FROM scenario") == [("after import",)]
    assert rows(db, "SELECT mapping_name FROM import_mapping") == [("after import",)]
    log = rows(db, "SELECT action, kind, is_undone FROM import_log ORDER BY import_id")
    assert log == [
        ("import", "schools", True),
        ("save", "community", False),
        ("save", "scenario", False),
        ("save", "mapping", False),
        ("undo", "schools", False),
    ]


def test_undo_passes_over_saves_to_the_newest_data_change_and_a_save_is_undone_by_deleting_it(db, tmp_path):
    import_file(db, "schools", csv(tmp_path, "s.csv", "school_id,name,level\nNEW-1,New,elementary\n"))
    scenarios.save_scenario(db, scenario("newest"))
    undo_id = writes.undo_last(db)
    assert rows(db, "SELECT undoes_import_id FROM import_log WHERE import_id = $id", {"id": undo_id}) == [(1,)]
    assert rows(db, "SELECT count(*) FROM school WHERE school_id = 'NEW-1'") == [(0,)]
    assert rows(db, "SELECT name FROM scenario") == [("newest",)]
    scenarios.delete_scenario(db, "newest")
    assert rows(db, "SELECT count(*) FROM scenario") == [(0,)]
    assert rows(db, "SELECT action, subject FROM import_log ORDER BY import_id DESC LIMIT 1") == [("delete", "newest")]
    with pytest.raises(writes.NothingToUndo):
        writes.undo_last(db)


def _contents(path: Path) -> dict[str, list]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in table_order()}


def test_each_kind_of_change_writes_only_the_tables_it_declares(db, tmp_path):
    """Undo relies on TABLES_WRITTEN: a change that wrote a table it does not declare could not be
    undone whole."""
    round_ = Round(3, db, tmp_path, ["business"])
    round_.set_up()
    changes = {
        "schools": round_.writes()["import"],
        "partners": lambda: import_file(
            db, "partners", csv(tmp_path, "p.csv", "partner_id,name,partner_type_id\nNP-1,N,youth\n")
        ),
        "partnerships": round_.writes()["edit"],
        "metrics": lambda: import_file(
            db,
            "metrics",
            csv(
                tmp_path,
                "m.csv",
                "school_id,school_year,metric_id,value,n\nRB-E01,1999-00,attendance_rate_pct,90,100\n",
            ),
        ),
        "scenario": round_.writes()["scenario save"],
        "community": round_.writes()["community save"],
        "mapping": round_.writes()["mapping save"],
    }
    for kind, change in changes.items():
        before = _contents(db)
        change()
        after = _contents(db)
        changed = {name for name in before if before[name] != after[name]} - {"import_log", "atlas_meta"}
        assert changed and changed <= set(writes.TABLES_WRITTEN[kind]), (kind, changed)


# ---- viewers cannot write -------------------------------------------------------------------------------


def file_state(path: Path) -> tuple:
    info = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), info.st_ino, info.st_mtime_ns


def test_the_write_path_refuses_a_viewer_and_changes_nothing(db, tmp_path):
    prepared = prepare_import(
        db,
        read_path(csv(tmp_path, "s.csv", "school_id,name,level\nV-1,V,high\n")),
        guess_mapping("schools", ["school_id", "name", "level"]),
    )
    import_file(db, "schools", csv(tmp_path, "t.csv", "school_id,name,level\nV-0,V,high\n"))  # something to undo
    scenarios.save_scenario(db, scenario("there"))
    scenarios.save_community_session(db, session("there", 3))
    before = file_state(db)
    attempts = {
        "import": lambda: commit(db, prepared, actor=VIEWER),
        "undo": lambda: writes.undo_last(db, VIEWER),
        "mapping": lambda: save_mapping(db, "m", Mapping(kind="schools"), actor=VIEWER),
        "scenario save": lambda: scenarios.save_scenario(db, scenario("x"), VIEWER),
        "scenario delete": lambda: scenarios.delete_scenario(db, "there", VIEWER),
        "community save": lambda: scenarios.save_community_session(db, session("x", 1), VIEWER),
        "community delete": lambda: scenarios.delete_community_session(db, "there", VIEWER),
        "any change": lambda: writes.write(db, writes.Change("save", "scenario", lambda con: None), VIEWER),
    }
    for name, attempt in attempts.items():
        with pytest.raises(writes.NotAllowed):
            attempt()
        assert file_state(db) == before, name

"""Importing good files: what lands in the database, committing whole or not at all while
other readers keep reading, snapshots and undo, saved mappings, bulk tagging and the command line."""

from __future__ import annotations

import hashlib
import shutil
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from atlas.__main__ import main
from atlas.database.importing import (
    Mapping,
    NothingToUndo,
    commit,
    import_file,
    prepare_import,
    prepare_tagging,
    read_path,
    save_mapping,
    undo_last,
)
from atlas.database.importing.mapping import from_toml, guess_mapping, to_toml
from atlas.database.importing.transaction import read_connection, snapshots_dir
from atlas.present.csv_export import csv_bytes
from atlas.present.import_templates import frame_xlsx, template_xlsx

DATA_TABLES = ("district", "school", "partner", "partnership", "partnership_strategy", "metric", "setting")


@pytest.fixture
def db(demo_db, tmp_path):
    copy = tmp_path / "atlas.duckdb"
    shutil.copyfile(demo_db, copy)
    return copy


def content(path: Path) -> dict[str, list]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in DATA_TABLES}


def one(path: Path, query: str, params=None):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(query, params or {}).fetchone()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_semicolons_latin1_and_thousands_separators_are_read_correctly(db, tmp_path):
    path = write(
        tmp_path / "escuelas.csv",
        "Código;Nombre de la escuela;Nivel;Matrícula;% FRL;Latitud;Longitud\n"
        'NEW-1;Escuela Peñasco;Primaria;"1,650";81.5%;36.70;-119.70\n'
        "NEW-2;Escuela Núñez;Secundaria;420;;;\n",
        encoding="cp1252",
    )
    mapping = guess_mapping("schools", read_path(path).header).with_column("school_id", "Código")
    result = import_file(db, "schools", path, mapping=mapping)
    assert result.ok, result.problems
    assert result.diff.n_added == 2
    rows = {
        r[0]: r[1:]
        for r in duckdb.connect(str(db), read_only=True)
        .execute("SELECT school_id, name, level, enrollment, frl_pct, latitude, district_id FROM school")
        .fetchall()
    }
    assert rows["NEW-1"] == ("Escuela Peñasco", "elementary", 1650, 81.5, 36.70, "demo-riverbend")
    assert rows["NEW-2"] == ("Escuela Núñez", "middle", 420, None, None, "demo-riverbend")


def test_common_column_names_are_recognised():
    header = ["DBN", "School Name", "School Level", "Total Enrollment", "% Poverty", "Lat", "Lng", "Zone"]
    mapping = guess_mapping("schools", header)
    assert mapping.columns == {
        "school_id": "DBN",
        "name": "School Name",
        "level": "School Level",
        "enrollment": "Total Enrollment",
        "frl_pct": "% Poverty",
        "latitude": "Lat",
        "longitude": "Lng",
        "region": "Zone",
    }


def test_formula_like_cells_are_stored_as_text_and_never_exported_as_formulas(db, tmp_path):
    path = write(
        tmp_path / "partners.csv",
        "partner_id,name,partner_type_id,contact_phone\n"
        'NEW-P1,"=HYPERLINK(""http://evil.example"",""click"")",business,+1 555 0100\n'
        "NEW-P2,@SUM(A1:A9),other,\n",
    )
    result = import_file(db, "partners", path)
    assert result.ok
    assert "formula_cells" in {n.code for n in result.notes}
    names = dict(
        duckdb.connect(str(db), read_only=True)
        .execute("SELECT partner_id, name FROM partner WHERE partner_id LIKE 'NEW-%'")
        .fetchall()
    )
    assert names == {"NEW-P1": '=HYPERLINK("http://evil.example","click")', "NEW-P2": "@SUM(A1:A9)"}
    frame = pd.DataFrame({"name": list(names.values())})
    exported = csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in exported and "'@SUM" in exported
    from openpyxl import load_workbook

    book = load_workbook(__import__("io").BytesIO(frame_xlsx(frame)))
    cells = [c for c in book.active["A"][1:]]
    assert [c.data_type for c in cells] == ["s", "s"]  # strings, not formulas ('f')
    assert cells[0].value.startswith("=HYPERLINK")


def test_upsert_updates_only_the_columns_in_the_file(db, tmp_path):
    before = one(db, "SELECT name, level, latitude, frl_pct FROM school WHERE school_id = 'RB-E01'")
    path = write(tmp_path / "enrollment.csv", "school_id,enrollment\nRB-E01,777\n")
    result = import_file(db, "schools", path)
    assert result.ok
    assert result.diff.n_changed == 1
    assert list(result.diff.changed["field"]) == ["enrollment"]
    assert one(db, "SELECT name, level, latitude, frl_pct FROM school WHERE school_id = 'RB-E01'") == before
    assert one(db, "SELECT enrollment FROM school WHERE school_id = 'RB-E01'") == (777,)


def test_partnerships_import_with_strategies_and_generated_ids(db, tmp_path):
    path = write(
        tmp_path / "ps.csv",
        "Partner,School,Status,Start,Strategies\n"
        "RB-P001,RB-E02,active,9/1/2025,Strategy 5; 6\n"
        "RB-P002,RB-E03,planned,,\n",
    )
    result = import_file(db, "partnerships", path)
    assert result.ok, [(p.code, p.row, p.column) for p in result.problems]
    assert "generated_ids" in {n.code for n in result.notes}
    tags = (
        duckdb.connect(str(db), read_only=True)
        .execute("SELECT strategy_id FROM partnership_strategy WHERE partnership_id = 'RB-P001@RB-E02' ORDER BY 1")
        .fetchall()
    )
    assert tags == [("nea-fscp-2:5",), ("nea-fscp-2:6",)]
    assert one(db, "SELECT count(*) FROM partnership_strategy WHERE partnership_id = 'RB-P002@RB-E03'") == (0,)
    # Importing the same file again changes nothing: the ids are made the same way.
    assert import_file(db, "partnerships", path, dry_run=True).diff.is_empty


def test_retagging_keeps_tags_of_other_frameworks(db, tmp_path):
    other = one(
        db,
        "SELECT count(*) FROM partnership_strategy ps JOIN strategy s USING (strategy_id) "
        "WHERE partnership_id = 'RB-PS0001' AND framework_id <> 'nea-fscp-2'",
    )
    assert other[0] > 0
    path = write(tmp_path / "tags.csv", "partnership_id,strategies\nRB-PS0001,1\n")
    result = import_file(db, "partnerships", path)
    assert result.ok
    (change,) = result.diff.changed.itertuples()
    assert change.field == "strategies" and change.new == "1"
    rows = (
        duckdb.connect(str(db), read_only=True)
        .execute(
            "SELECT framework_id, count(*) FROM partnership_strategy ps JOIN strategy s USING (strategy_id) "
            "WHERE partnership_id = 'RB-PS0001' GROUP BY ALL ORDER BY 1"
        )
        .fetchall()
    )
    assert ("nea-fscp-2", 1) in rows
    assert sum(n for f, n in rows if f != "nea-fscp-2") == other[0]


def test_replace_removes_rows_not_in_the_file(db, tmp_path):
    with duckdb.connect(str(db), read_only=True) as con:
        metrics = con.execute("SELECT * FROM metric WHERE school_year = '2025-26'").df()
        total = con.execute("SELECT count(*) FROM metric").fetchone()[0]
    path = tmp_path / "metrics.csv"
    metrics.to_csv(path, index=False)
    result = import_file(db, "metrics", path, mode="replace")
    assert result.ok
    assert (result.diff.n_added, result.diff.n_changed, result.diff.n_removed) == (0, 0, total - len(metrics))
    assert len(result.diff.removed) == min(total - len(metrics), 500)
    assert one(db, "SELECT count(*), count(DISTINCT school_year) FROM metric") == (len(metrics), 1)


def test_import_then_undo_restores_the_exact_previous_content(db, tmp_path):
    original = content(db)
    steps = [
        ("schools", "school_id,name,level,enrollment\nRB-E01,Renamed,elementary,1\nNEW-1,New,high,5\n"),
        ("partners", "partner_id,name,partner_type_id\nNEW-P1,New Partner,youth\n"),
        ("partnerships", "partnership_id,partner_id,school_id,status,start_date,end_date,strategies\n"
         "NEW-PS1,NEW-P1,NEW-1,active,2025-09-01,,2; 3\nRB-PS0001,RB-P014,RB-E19,ended,2019-08-10,2025-06-30,\n"),
        ("metrics", "school_id,school_year,metric_id,value,n\nNEW-1,2025-26,chronic_absence_pct,30,120\n"),
    ]  # fmt: skip
    states = [original]
    for kind, text in steps:
        result = import_file(db, kind, write(tmp_path / f"{kind}.csv", text), user="maria")
        assert result.ok, (kind, [(p.code, p.row, p.column) for p in result.problems])
        states.append(content(db))
    assert states[-1] != original
    for expected in reversed(states[:-1]):
        undo_last(db, user="maria")
        assert content(db) == expected
    with pytest.raises(NothingToUndo):
        undo_last(db)
    with duckdb.connect(str(db), read_only=True) as con:
        log = con.execute("SELECT action, kind, is_undone, committed_by FROM import_log ORDER BY import_id").fetchall()
    assert log[:4] == [(a, k, True, "maria") for a, k in [("import", s[0]) for s in steps]]
    assert [row[0] for row in log[4:]] == ["undo"] * 4


def test_a_failed_commit_leaves_the_file_untouched(db, tmp_path, monkeypatch):
    from atlas.database import import_log

    path = write(tmp_path / "s.csv", "school_id,name,level\nNEW-1,New,elementary\n")
    prepared = prepare_import(db, read_path(path), guess_mapping("schools", ["school_id", "name", "level"]))
    before = hashlib.sha256(db.read_bytes()).hexdigest()

    def broken(*args, **kwargs):
        raise duckdb.ConstraintException("disk on fire")

    monkeypatch.setattr(import_log, "insert_log", broken)
    with pytest.raises(duckdb.ConstraintException):
        commit(db, prepared)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not list(snapshots_dir(db).glob("*.duckdb"))
    assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]


def test_readers_in_threads_see_no_errors_during_a_commit_and_then_the_new_data(db, tmp_path):
    before = one(db, "SELECT count(*) FROM metric")[0]
    rows = "\n".join(f"RB-E01,{1900 + y}-{(y + 1) % 100:02d},attendance_rate_pct,90,100" for y in range(60))
    path = write(tmp_path / "m.csv", "school_id,school_year,metric_id,value,n\n" + rows + "\n")
    committed = threading.Event()
    seen: dict[int, list[int]] = {}
    errors: list[Exception] = []

    def reader(number: int) -> None:
        counts = seen.setdefault(number, [])
        after_commit = 0
        while after_commit < 5:
            done = committed.is_set()
            try:
                with read_connection(db) as con:
                    counts.append(con.execute("SELECT count(*) FROM metric").fetchone()[0])
            except Exception as error:  # any error at all fails the test
                errors.append(error)
                return
            if done:
                after_commit += 1

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    result = import_file(db, "metrics", path)
    committed.set()
    for thread in threads:
        thread.join(timeout=120)
    assert result.ok
    assert errors == []
    for counts in seen.values():
        assert set(counts) <= {before, before + 60}
        assert counts[-1] == before + 60
    assert one(db, "SELECT count(*) FROM metric")[0] == before + 60


def test_the_database_moving_on_after_a_preview_is_checked_again(db, tmp_path):
    first = write(tmp_path / "a.csv", "school_id,name,level\nNEW-1,One,elementary\n")
    second = write(
        tmp_path / "b.csv", "partnership_id,partner_id,school_id,status,start_date\nX,RB-P001,NEW-1,active,2025-09-01\n"
    )
    # Checked while NEW-1 does not exist: refused.
    prepared = prepare_import(db, read_path(second), guess_mapping("partnerships", read_path(second).header))
    assert not prepared.ok
    assert import_file(db, "schools", first).ok
    # Prepared against the old file; committing checks again against the new one.
    prepared_ok = prepare_import(db, read_path(second), guess_mapping("partnerships", read_path(second).header))
    assert prepared_ok.ok
    assert import_file(db, "schools", write(tmp_path / "c.csv", "school_id,name,level\nNEW-2,Two,high\n")).ok
    commit(db, prepared_ok)
    assert one(db, "SELECT school_id FROM partnership WHERE partnership_id = 'X'") == ("NEW-1",)


def test_a_large_valid_file_imports_whole(db, tmp_path):
    with duckdb.connect(str(db), read_only=True) as con:
        schools = [r[0] for r in con.execute("SELECT school_id FROM school ORDER BY 1").fetchall()]
    metric_ids = ["attendance_rate_pct", "chronic_absence_pct", "ela_proficiency_pct", "math_proficiency_pct"]
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(1960, 2020)]
    rows = [
        (school, year, metric, (i * 7) % 100, 20 + i % 400)
        for i, (school, year, metric) in enumerate((s, y, m) for s in schools for y in years for m in metric_ids)
    ]
    frame = pd.DataFrame(rows, columns=["School", "Year", "Metric", "Value", "Students"])
    path = tmp_path / "large.csv"
    frame.to_csv(path, index=False)
    result = import_file(db, "metrics", path)
    assert result.ok
    assert result.diff.n_added == len(rows) > 10_000
    assert one(db, "SELECT count(*) FROM metric WHERE school_year < '2020'")[0] == len(rows)


def test_saved_mappings_round_trip_and_survive_undo(db, tmp_path):
    mapping = Mapping(
        kind="metrics",
        columns={"school_id": "DBN", "value": "Total Grads - % of cohort", "n": "Total Cohort"},
        constants={"metric_id": "graduation_rate_pct"},
        values={"school_year": {"2006": "2009-10"}},
        filters={"Demographic": ["Total Cohort"]},
        scale={"value": 1.0},
        null_values=("s",),
        skip_when_blank=("value",),
        skip_unknown_ids=True,
        description='Quotes " and unicode — fine',
    )
    assert from_toml(to_toml(mapping)) == mapping
    import_file(db, "schools", write(tmp_path / "s.csv", "school_id,name,level\nNEW-1,One,elementary\n"))
    save_mapping(db, "graduation", mapping, user="maria")
    undo_last(db)
    with read_connection(db) as con:
        saved = con.execute("SELECT mapping_name, kind, saved_by, mapping_toml FROM import_mapping").fetchall()
    assert [(n, k, u) for n, k, u, _ in saved] == [("graduation", "metrics", "maria")]
    assert from_toml(saved[0][3]).columns == mapping.columns


def test_bulk_tagging_by_partner_type(db):
    with duckdb.connect(str(db), read_only=True) as con:
        untagged = con.execute(
            """SELECT p.partnership_id FROM partnership p JOIN partner r USING (partner_id)
               WHERE r.partner_type_id = 'social_service' AND NOT EXISTS (
                 SELECT 1 FROM partnership_strategy ps JOIN strategy s USING (strategy_id)
                 WHERE ps.partnership_id = p.partnership_id AND s.framework_id = 'nea-fscp-2')"""
        ).fetchall()
    assert untagged
    before = content(db)
    prepared = prepare_tagging(db, "social_service", ["nea-fscp-2:6", "nea-fscp-2:9"], "nea-fscp-2")
    assert prepared.ok and prepared.diff.n_changed == len(untagged)
    commit(db, prepared, user="ana")
    with duckdb.connect(str(db), read_only=True) as con:
        tags = con.execute(
            "SELECT partnership_id, strategy_id FROM partnership_strategy WHERE partnership_id IN "
            "(SELECT unnest($ids)) AND strategy_id LIKE 'nea-fscp-2:%' ORDER BY ALL",
            {"ids": [u[0] for u in untagged]},
        ).fetchall()
        action = con.execute("SELECT action, committed_by FROM import_log").fetchall()
    assert tags == sorted((u[0], s) for u in untagged for s in ("nea-fscp-2:6", "nea-fscp-2:9"))
    assert action == [("tag", "ana")]
    undo_last(db)
    assert content(db) == before


def test_templates_have_every_column_and_a_readme():
    from openpyxl import load_workbook

    book = load_workbook(__import__("io").BytesIO(template_xlsx("partnerships", "es")))
    assert book.sheetnames == ["partnerships", "README"]
    header = [c.value for c in book["partnerships"][1]]
    assert header[:3] == ["partnership_id", "partner_id", "school_id"] and header[-1] == "strategies"
    readme = "\n".join(str(c.value) for row in book["README"].iter_rows() for c in row if c.value)
    assert "Alianzas — plantilla de importación" in readme
    assert "estrategia sin etiquetar" in readme


def test_command_line_exit_codes(db, tmp_path, capsys):
    good = write(tmp_path / "good.csv", "school_id,name,level\nNEW-1,One,elementary\n")
    bad = Path(__file__).parent / "bad_inputs" / "schools_unknown_level.csv"
    assert main(["import", "schools", str(bad), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "schools_unknown_level.csv, row 3, column “level”" in err
    assert main(["import", "schools", str(good), "--db", str(db), "--dry-run"]) == 0
    assert "1 added" in capsys.readouterr().out
    assert one(db, "SELECT count(*) FROM school WHERE school_id = 'NEW-1'") == (0,)
    assert main(["import", "schools", str(good), "--db", str(db)]) == 0
    assert one(db, "SELECT count(*) FROM school WHERE school_id = 'NEW-1'") == (1,)
    assert main(["undo", "--db", str(db)]) == 0
    assert one(db, "SELECT count(*) FROM school WHERE school_id = 'NEW-1'") == (0,)
    assert main(["import", "schools", str(good), "--db", str(db), "--mapping", "nope.toml"]) == 2


def test_an_nces_school_directory_file_is_recognised(db, tmp_path):
    """Column names and codes of the NCES Common Core of Data school directory."""
    path = write(
        tmp_path / "ccd_sch_029.csv",
        "LEAID,NCESSCH,SCH_NAME,LSTREET1,LEVEL,TITLEI_STATUS,LAT,LON,MEMBER\n"
        "demo-riverbend,060000112233,Vista Elementary,1 Vista Way,Elementary,SWELIGSWPROG,36.70,-119.80,410\n"
        "demo-riverbend,060000112234,Ridge High,2 Ridge Rd,High,TGELGBTGPROG,36.71,-119.81,1210\n"
        "demo-riverbend,060000112235,Valley Pre-K,3 Valley St,Prekindergarten,NOTTITLE1ELIG,36.72,-119.82,90\n",
    )
    mapping = guess_mapping("schools", read_path(path).header)
    assert set(mapping.columns) == {
        "district_id", "school_id", "name", "address", "level", "title_i_status", "latitude", "longitude",
        "enrollment",
    }  # fmt: skip
    result = import_file(db, "schools", path)
    assert result.ok, [(p.code, p.row, p.column) for p in result.problems]
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT school_id, level, title_i_status, enrollment FROM school WHERE school_id LIKE '0600%' ORDER BY 1"
        ).fetchall()
    assert rows == [
        ("060000112233", "elementary", "schoolwide", 410),
        ("060000112234", "high", "targeted", 1210),
        ("060000112235", "other", "none", 90),
    ]


def test_a_database_built_before_the_import_tables_gets_them_on_first_import(db, tmp_path):
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE import_log")
        con.execute("DROP TABLE import_mapping")
    result = import_file(db, "schools", write(tmp_path / "s.csv", "school_id,name,level\nNEW-1,One,elementary\n"))
    assert result.ok and result.import_id == 1
    undo_last(db)
    assert one(db, "SELECT count(*) FROM school WHERE school_id = 'NEW-1'") == (0,)
    assert one(db, "SELECT count(*) FROM import_log") == (2,)

"""Imports are bounded and ids are compared as a person reads them: a file too large to import
(compressed or not) is refused before it is read, ids that differ only in case are a clear error,
exported cells cannot smuggle a formula, and the editors' passwords never reach git."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tomllib
import zipfile
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from atlas.__main__ import main
from atlas.database.importing import guess_mapping, import_file, readers
from atlas.database.importing.problems import problem_from_read_error
from atlas.present.csv_export import csv_bytes
from atlas.present.import_messages import message
from atlas.present.import_templates import frame_xlsx, template_xlsx

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(demo_db, tmp_path):
    copy = tmp_path / "atlas.duckdb"
    shutil.copyfile(demo_db, copy)
    return copy


# ---- exports and secrets ---------------------------------------------------------------------------


def test_exported_cells_starting_with_tab_or_carriage_return_are_defused():
    frame = pd.DataFrame({"name": ["\t=1+1", "\r=HYPERLINK(1)", "=2+2", "Plain", " =spaced"]})
    cells = [row[0] for row in csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"), newline=""))]
    assert cells == ["name", "'\t=1+1", "'\r=HYPERLINK(1)", "'=2+2", "Plain", " =spaced"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_streamlit_secrets_file_is_ignored_by_git():
    checked = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", ".streamlit/secrets.toml"], cwd=ROOT, check=False
    )
    assert checked.returncode == 0


# ---- files too large to import ---------------------------------------------------------------------


def bomb_xlsx(path: Path, unzipped_mb: int) -> Path:
    """A workbook (made from our own template, so every other part is real) whose sheet XML is
    unzipped_mb MB of one repeated row: a few hundred KB on disk."""
    source = zipfile.ZipFile(io.BytesIO(template_xlsx("metrics", "en")))
    row = b'<row><c t="inlineStr"><is><t>RB-E01</t></is></c></row>' * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for part in source.infolist():
            if part.filename == "xl/worksheets/sheet1.xml":
                with bomb.open(part.filename, "w") as sheet:
                    sheet.write(
                        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                    )
                    for _ in range(unzipped_mb * 2**20 // len(row)):
                        sheet.write(row)
                    sheet.write(b"</sheetData></worksheet>")
            else:
                bomb.writestr(part, source.read(part.filename))
    return path


@pytest.fixture
def no_workbook_opened(monkeypatch):
    """Fails the test if openpyxl is asked to open a workbook: a bomb must be refused before."""
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_zip_bomb_xlsx_is_refused_from_its_directory_without_being_unzipped(db, tmp_path, no_workbook_opened):
    path = bomb_xlsx(tmp_path / "metrics.xlsx", 48)
    assert path.stat().st_size < 2**20
    result = import_file(db, "metrics", path)
    assert not result.ok
    (problem,) = result.problems
    assert problem.code == "zip_bomb"
    assert problem.params["part"] == "xl/worksheets/sheet1.xml"
    assert message(problem, path.name, "en").startswith(
        "metrics.xlsx: This workbook’s part “xl/worksheets/sheet1.xml” is 0.1"
    )
    assert "but unzips to 48 MB" in message(problem, path.name, "en")
    assert "real workbooks stay under 100). It was not opened." in message(problem, path.name, "en")
    assert "se descomprime en 48 MB" in message(problem, path.name, "es")


def test_an_xlsx_that_unzips_past_the_limit_is_refused_before_it_is_opened(tmp_path, monkeypatch, no_workbook_opened):
    monkeypatch.setattr(readers, "MAX_UNZIPPED_MB", 8)
    path = bomb_xlsx(tmp_path / "metrics.xlsx", 9)
    with pytest.raises(readers.ReadError) as refused:
        readers.read_path(path)
    problem = problem_from_read_error(refused.value)
    assert problem.code == "unzipped_too_large"
    unzipped = sum(part.file_size for part in zipfile.ZipFile(path).infolist()) / 2**20
    assert 8 < unzipped < 9
    assert message(problem, path.name, "en") == (
        f"metrics.xlsx: This workbook unzips to {unzipped:.2f} MB; the limit is 8 MB. It was not opened. "
        "Save the sheet you need as CSV, or split it."
    )
    assert message(problem, path.name, "es").startswith(f"metrics.xlsx: Este libro se descomprime en {unzipped:.2f} MB")


def test_the_default_limits_take_a_million_row_metrics_file():
    # A long metrics file as a district writes it (12-character NCES school ids): a million rows.
    row = "060000000001,2024-25,chronic_absence_pct,18.5,420\r\n"
    assert len(row) * 1_000_000 < readers.MAX_FILE_MB * 2**20
    assert readers.MAX_ROWS >= 1_000_000
    # The app's upload limit is the same as the command line's.
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == readers.MAX_FILE_MB


def test_a_csv_with_more_rows_than_the_limit_is_refused_at_the_first_row_past_it(db, tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 30)
    lines = [
        "school_id,school_year,metric_id,value,n",
        "",
        *[f"RB-E01,{2000 + i}-{(i + 1) % 100:02d},chronic_absence_pct,10,50" for i in range(31)],
    ]
    path = tmp_path / "metrics.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(db, "metrics", path)
    assert not result.ok
    (problem,) = result.problems
    assert (problem.code, problem.row) == ("too_many_rows", 33)  # header row 1, a blank row 2, rows 3-33
    assert message(problem, path.name, "en") == (
        "metrics.csv, row 33: The file has more than 30 data rows (the limit); reading stopped here. "
        "Split it into smaller files, or on the command line raise the limit with --max-rows."
    )
    assert message(problem, path.name, "es").startswith("metrics.csv, fila 33: El archivo tiene más de 30 filas")
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # 30 rows: at the limit, read
    assert import_file(db, "metrics", path, dry_run=True).ok


def test_an_xlsx_with_more_rows_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 5)
    frame = pd.DataFrame({"school_id": ["RB-E01"] * 6, "name": [f"School {i}" for i in range(6)], "level": "high"})
    path = tmp_path / "schools.xlsx"
    path.write_bytes(frame_xlsx(frame))
    with pytest.raises(readers.ReadError) as refused:
        readers.read_path(path)
    assert (refused.value.code, refused.value.row, refused.value.params) == ("too_many_rows", 7, {"limit": "5"})


def test_the_command_line_has_the_upload_limits_and_flags_to_raise_them(db, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(readers, "MAX_FILE_MB", 0.001)  # 1 KB
    path = tmp_path / "metrics.csv"
    rows = [f"RB-E01,{2000 + i}-{(i + 1) % 100:02d},chronic_absence_pct,10,50" for i in range(40)]
    path.write_text("school_id,school_year,metric_id,value,n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["import", "metrics", str(path), "--db", str(db), "--dry-run"]) == 1
    size = f"{path.stat().st_size / 2**20:.2g}"
    assert f"error: metrics.csv: The file is {size} MB; the limit is 0.001 MB." in capsys.readouterr().err
    assert main(["import", "metrics", str(path), "--db", str(db), "--dry-run", "--max-mb", "1"]) == 0
    assert "Dry run, nothing written: 35 added, 5 changed" in capsys.readouterr().out  # the demo has 2021-26
    assert (
        main(["import", "metrics", str(path), "--db", str(db), "--dry-run", "--max-mb", "1", "--max-rows", "39"]) == 1
    )
    assert "error: metrics.csv, row 41: The file has more than 39 data rows" in capsys.readouterr().err
    assert main(["import", "metrics", str(path), "--db", str(db), "--max-mb", "1", "--max-rows", "40"]) == 0


# ---- ids that differ only in case ------------------------------------------------------------------


def import_text(db: Path, tmp_path: Path, kind: str, name: str, text: str, **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_file(db, kind, path, **options)


def messages(result, file_name: str, lang: str = "en") -> list[str]:
    return [message(problem, file_name, lang) for problem in result.problems]


def test_a_new_school_id_that_is_an_existing_one_in_other_case_is_refused(db, tmp_path):
    result = import_text(
        db, tmp_path, "schools", "schools.csv", "school_id,name,level\nrb-e01,Second Addams,elementary\n"
    )
    assert not result.ok and result.import_id is None
    assert messages(result, "schools.csv") == [
        "schools.csv, row 2, column “school_id”: school_id “rb-e01” differs only in case from “RB-E01”, already in "
        "the database: ids are compared without case, so this would be a second record of the same one. "
        "Write it as “RB-E01”."
    ]
    assert messages(result, "schools.csv", "es") == [
        "schools.csv, fila 2, columna “school_id”: school_id “rb-e01” difiere solo en mayúsculas y minúsculas de "
        "“RB-E01”, que ya está en la base de datos: los identificadores se comparan sin distinguirlas, así que "
        "sería un segundo registro del mismo. Escríbalo como “RB-E01”."
    ]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM school WHERE lower(school_id) = 'rb-e01'").fetchone() == (1,)


def test_two_rows_spelling_one_new_id_in_two_cases_are_refused(db, tmp_path):
    result = import_text(
        db,
        tmp_path,
        "partners",
        "partners.csv",
        "partner_id,name,partner_type_id\nNEW-P1,Acme,business\nRB-P001,Same as before,business\n"
        "new-p1,Acme again,business\n",
    )
    assert messages(result, "partners.csv") == [
        "partners.csv, row 4, column “partner_id”: partner_id “new-p1” differs only in case from “NEW-P1” on "
        "row 2: ids are compared without case, so both rows are the same one. Spell it the same way on both "
        "rows, or give them different ids."
    ]


def test_a_partnership_naming_a_school_in_other_case_is_refused_naming_both_spellings(db, tmp_path):
    result = import_text(
        db,
        tmp_path,
        "partnerships",
        "partnerships.csv",
        "partnership_id,partner_id,school_id,status\nNEW-PS1,RB-P001,Rb-E01,planned\nNEW-PS2,rb-p001,RB-E02,planned\n"
        "NEW-PS3,RB-P001,RB-E03,planned\n",
    )
    assert not result.ok
    assert messages(result, "partnerships.csv") == [
        "partnerships.csv, row 2, column “school_id”: “Rb-E01” is not an id in the database; “RB-E01” is (it "
        "differs only in case or punctuation). Write it exactly as “RB-E01”.",
        "partnerships.csv, row 3, column “partner_id”: “rb-p001” is not an id in the database; “RB-P001” is (it "
        "differs only in case or punctuation). Write it exactly as “RB-P001”.",
    ]
    assert messages(result, "partnerships.csv", "es")[0] == (
        "partnerships.csv, fila 2, columna “school_id”: “Rb-E01” no es un identificador de la base de datos; "
        "“RB-E01” sí lo es (difiere solo en mayúsculas, minúsculas o puntuación). Escríbalo exactamente como “RB-E01”."
    )


def test_metrics_and_feeders_naming_a_school_in_other_case_are_refused_even_when_unknown_ids_are_skipped(db, tmp_path):
    rows = [f"{school},2030-31,chronic_absence_pct,12,80" for school in ("RB-E01", "rb-e02", "NOPE-1")]
    text = "school_id,school_year,metric_id,value,n\n" + "\n".join(rows) + "\n"
    path = tmp_path / "metrics.csv"
    path.write_text(text, encoding="utf-8")
    mapping = replace(guess_mapping("metrics", readers.read_path(path).header), skip_unknown_ids=True)
    result = import_file(db, "metrics", path, mapping=mapping)
    assert [(p.code, p.row, p.column, p.params["existing"]) for p in result.problems] == [
        ("reference_case", 3, "school_id", "RB-E02")
    ]
    assert [n.code for n in result.notes if n.code == "skipped_unknown"] == ["skipped_unknown"]  # NOPE-1 only
    feeder = import_text(
        db,
        tmp_path,
        "schools",
        "schools.csv",
        "school_id,name,level,feeder_high_school_id\nNEW-H1,New High,high,\nNEW-M1,New Middle,middle,new-h1\n"
        "NEW-M2,Other Middle,middle,rb-h01\nNEW-M3,Third Middle,middle,NEW-H1\n",
    )
    assert [(p.code, p.row, p.params["existing"]) for p in feeder.problems] == [
        ("reference_case", 3, "NEW-H1"),
        ("reference_case", 4, "RB-H01"),
    ]


def test_ids_spelled_exactly_still_import_and_names_still_find_their_school(db, tmp_path):
    with duckdb.connect(str(db), read_only=True) as con:
        name = con.execute("SELECT name FROM school WHERE school_id = 'RB-E01'").fetchone()[0]
    result = import_text(
        db,
        tmp_path,
        "partnerships",
        "partnerships.csv",
        f"partnership_id,partner_id,school_id,status\nNEW-PS1,RB-P001,RB-E01,planned\nNEW-PS2,RB-P001,{name.upper()},planned\n",
    )
    assert result.ok, result.problems
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT school_id FROM partnership WHERE partnership_id LIKE 'NEW-PS%' ORDER BY 1"
        ).fetchall()
    assert rows == [("RB-E01",), ("RB-E01",)]


def test_the_data_page_refuses_a_zip_bomb_upload_in_the_page_language(db, tmp_path, monkeypatch, no_workbook_opened):
    from tests.test_app_data import file_hash, open_data_page

    monkeypatch.setenv("ATLAS_DB", str(db))
    before = file_hash(db)
    bomb = bomb_xlsx(tmp_path / "metricas.xlsx", 48).read_bytes()
    at = open_data_page(lang="es")
    at.selectbox(key="data_kind").set_value("metrics").run()
    at.file_uploader(key="data_file_metrics").set_value(("metricas.xlsx", bomb, "application/vnd.ms-excel")).run()
    assert not at.exception
    # The message is escaped for Markdown (the file name is the uploader's text): read it as shown.
    errors = [e.value.replace("\\", "") for e in at.error]
    assert len(errors) == 1
    assert errors[0].startswith("metricas.xlsx: La parte “xl/worksheets/sheet1.xml” de este libro ocupa 0.1")
    assert "se descomprime en 48 MB" in errors[0]
    assert file_hash(db) == before


def test_rows_are_read_in_chunks_with_their_spreadsheet_row_numbers(monkeypatch):
    monkeypatch.setattr(readers, "ROWS_PER_CHUNK", 2)
    text = (
        'Districts export\n\nid,name,level\nA1,Alpha,high\n,,\nB2,Beta\nC3,"Gamma, the third",middle,\nD4,Delta,other\n'
    )
    table = readers.read_table(text.encode("cp1252"), "schools.csv")
    assert (table.header_row, table.header, table.encoding) == (3, ["id", "name", "level"], "utf-8")
    assert table.rows == [
        ["A1", "Alpha", "high"],
        ["B2", "Beta", ""],
        ["C3", "Gamma, the third", "middle"],
        ["D4", "Delta", "other"],
    ]
    assert list(table.row_numbers) == [4, 6, 7, 8]
    assert table.first_rows(1) == [["A1", "Alpha", "high"]]
    assert table.ragged == []  # the extra cell of row 7 is empty


def test_an_import_writes_at_duckdbs_own_memory_limit(db, tmp_path, monkeypatch):
    """No memory cap while an import writes: under a 200 MB cap a national file's metrics import ran
    out of memory (python -m atlas bench --scale national)."""
    from atlas.database.importing import store

    seen: dict[str, str] = {}
    original = store.apply_checked

    def apply_and_look(con, checked, framework_id):
        default = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        original(con, checked, framework_id)
        seen["default"], seen["after"] = default, con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]

    monkeypatch.setattr(store, "apply_checked", apply_and_look)
    result = import_text(
        db,
        tmp_path,
        "metrics",
        "m.csv",
        "school_id,school_year,metric_id,value,n\nRB-E01,2025-26,attendance_rate_pct,91,300\n",
    )
    assert result.ok, result.problems
    assert seen["after"] == seen["default"]

"""Every import rule refuses its bad file (tests/bad_inputs/) with a message naming the file,
the spreadsheet row and the column, in English and Spanish — and leaves the database file
byte-for-byte unchanged. Encodings, delimiters, thousands separators and Excel row numbers are
read correctly; all problems are reported at once, up to a cap."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import duckdb
import pytest

from atlas.database.importing import MAX_PROBLEMS, import_file
from atlas.database.importing.transaction import snapshots_dir
from atlas.present.import_messages import message

BAD = Path(__file__).resolve().parent / "bad_inputs"

# file → (kind, expected problem code, spreadsheet row or None, column or None, text the message must hold)
CASES = {
    "schools_missing_column.csv": ("schools", "missing_column", None, "level", "“level” is missing"),
    "schools_bad_integer.csv": ("schools", "not_integer", 3, "enrollment", "“about 300” is not a whole number"),
    "schools_latitude_out_of_range.csv": ("schools", "out_of_range", 2, "latitude", "95.2 is outside"),
    "schools_percent_out_of_range.csv": ("schools", "out_of_range", 2, "frl_pct", "130 is outside"),
    "schools_negative_enrollment.csv": ("schools", "negative", 2, "enrollment", "-5 cannot be negative"),
    "schools_unknown_level.csv": ("schools", "unknown_code", 3, "level", "“Junior Academy” is not a known"),
    "schools_duplicate_id.csv": ("schools", "duplicate_key", 3, "school_id", "also on row 2"),
    "schools_half_coordinates.csv": ("schools", "half_coordinates", 2, "latitude", "both"),
    "partners_unknown_type.csv": ("partners", "unknown_code", 2, "partner_type_id", "“spaceship”"),
    "partnerships_unknown_status.csv": ("partnerships", "unknown_code", 2, "status", "“maybe”"),
    "partnerships_bad_date.csv": ("partnerships", "not_date", 2, "start_date", "“next fall” is not a date"),
    "partnerships_end_before_start.csv": ("partnerships", "end_before_start", 2, "end_date", "2023-06-30"),
    "partnerships_ended_without_end.csv": ("partnerships", "ended_without_end", 2, "end_date", "no end date"),
    "partnerships_unknown_school.csv": ("partnerships", "unknown_school", 3, "school_id", "“NOPE-9”"),
    "partnerships_unknown_partner.csv": ("partnerships", "unknown_partner", 2, "partner_id", "“NOPE-P9”"),
    "partnerships_unknown_strategy.csv": ("partnerships", "unknown_strategy", 2, "strategies", "“12”"),
    "metrics_n_zero.csv": ("metrics", "n_zero", 2, "n", "n is 0"),
    "metrics_value_out_of_range.csv": ("metrics", "metric_out_of_range", 2, "value", "140 is outside 0–100"),
    "metrics_bad_year.csv": ("metrics", "not_year", 2, "school_year", "“2025” is not a school year"),
    "metrics_unknown_metric.csv": ("metrics", "unknown_code", 2, "metric_id", "“happiness_index”"),
    "metrics_negative_n.csv": ("metrics", "negative", 2, "n", "-3 cannot be negative"),
    "empty.csv": ("schools", "empty_file", None, None, "The file is empty"),
    "header_only.csv": ("schools", "no_rows", None, None, "no data rows"),
    "wrong_delimiter.csv": ("schools", "wrong_delimiter", 2, None, "separated by semicolons"),
    "too_many_cells.csv": ("schools", "too_many_cells", 3, None, "4 cells but the header has 3"),
    "latin1_unknown_level.csv": ("schools", "unknown_code", 3, "level", "“Básica”"),
    "bom_bad_thousands.csv": ("schools", "not_integer", 3, "enrollment", "“1,23,4”"),
    "formula_in_number.csv": ("schools", "not_integer", 2, "enrollment", "“=1+1”"),
    "old_excel.xls": ("schools", "old_excel", None, None, "save it as .xlsx"),
}


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(demo_db, tmp_path):
    copy = tmp_path / "atlas.duckdb"
    shutil.copyfile(demo_db, copy)
    return copy


def assert_refused_untouched(db: Path, before: str, result) -> None:
    assert not result.ok
    assert result.import_id is None
    assert file_hash(db) == before
    snapshots = snapshots_dir(db)
    assert not snapshots.exists() or not list(snapshots.glob("*.duckdb"))


def test_every_rule_has_a_bad_file():
    assert sorted(p.name for p in BAD.iterdir() if p.suffix in (".csv", ".xls")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_refused_with_file_row_and_column(name, db):
    kind, code, row, column, text = CASES[name]
    before = file_hash(db)
    result = import_file(db, kind, BAD / name)
    assert_refused_untouched(db, before, result)
    matching = [p for p in result.problems if p.code == code]
    assert matching, [(p.code, p.row, p.column) for p in result.problems]
    problem = matching[0]
    assert problem.row == row
    assert problem.column == column
    english = message(problem, name, "en")
    assert english.startswith(name)
    if row is not None:
        assert f"row {row}" in english
    if column is not None:
        assert f"column “{column}”" in english
    assert text in english, english
    spanish = message(problem, name, "es")
    if row is not None:
        assert f"fila {row}" in spanish
    if column is not None:
        assert f"columna “{column}”" in spanish
    assert spanish != english


def test_dry_run_of_a_good_file_writes_nothing(db):
    before = file_hash(db)
    good = db.parent / "new.csv"
    good.write_text("school_id,name,level\nNEW-1,New School,elementary\n", encoding="utf-8")
    result = import_file(db, "schools", good, dry_run=True)
    assert result.ok and result.import_id is None
    assert result.diff.n_added == 1
    assert file_hash(db) == before


def test_all_problems_are_reported_at_once_up_to_a_cap(db, tmp_path):
    rows = [f"NEW-{i},School {i},elementary,{'lots' if i % 2 else 95}" for i in range(600)]
    bad = tmp_path / "many.csv"
    bad.write_text("school_id,name,level,latitude\n" + "\n".join(rows) + "\n", encoding="utf-8")
    before = file_hash(db)
    result = import_file(db, "schools", bad)
    assert_refused_untouched(db, before, result)
    # 300 'lots' (not a number) + 300 latitudes of 95 without a longitude → out of range and half coordinates.
    assert result.n_errors == 900
    assert len(result.problems) == MAX_PROBLEMS
    assert {p.code for p in result.problems} >= {"not_number"}
    rows_seen = sorted({p.row for p in result.problems})
    assert rows_seen[0] == 2


def test_problems_across_rules_in_one_file_are_all_listed(db, tmp_path):
    bad = tmp_path / "mixed.csv"
    bad.write_text(
        "school_id,name,level,enrollment,frl_pct\n"
        "NEW-1,One,elementary,10,50\n"
        "NEW-2,,middle,ten,50\n"
        "NEW-3,Three,castle,10,150\n",
        encoding="utf-8",
    )
    result = import_file(db, "schools", bad)
    found = {(p.code, p.row, p.column) for p in result.problems}
    assert found == {
        ("required_blank", 3, "name"),
        ("not_integer", 3, "enrollment"),
        ("unknown_code", 4, "level"),
        ("out_of_range", 4, "frl_pct"),
    }


def test_replace_that_would_remove_a_school_still_in_use_is_refused(db, tmp_path):
    with duckdb.connect(str(db), read_only=True) as con:
        schools = con.execute("SELECT * FROM school WHERE school_id <> 'RB-E01' ORDER BY school_id").df()
    path = tmp_path / "schools-without-e01.csv"
    schools.to_csv(path, index=False)
    before = file_hash(db)
    result = import_file(db, "schools", path, mode="replace")
    assert_refused_untouched(db, before, result)
    (problem,) = [p for p in result.problems if p.code == "school_still_used"]
    assert problem.params["value"] == "RB-E01"
    assert problem.params["partnerships"] > 0
    assert "RB-E01" in message(problem, path.name, "en")


def test_excel_rows_are_numbered_as_in_the_sheet(db, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Schools 2025"
    sheet.append(["Riverbend schools, exported 2025-10-01"])  # a title row above the header
    sheet.append([])
    sheet.append(["School ID", "School Name", "School Level", "Latitude", "Longitude"])  # row 3: header
    sheet.append(["NEW-1", "New School", "Elementary School", 36.7, -119.7])  # row 4
    sheet.append(["NEW-2", "Other School", "Middle School", 136.7, -119.7])  # row 5: latitude out of range
    readme = book.create_sheet("README", 0)  # an explanation sheet first: skipped
    readme.append(["Read me"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "schools.xlsx"
    path.write_bytes(buffer.getvalue())
    before = file_hash(db)
    result = import_file(db, "schools", path)
    assert_refused_untouched(db, before, result)
    (problem,) = result.problems
    assert (problem.code, problem.row, problem.column) == ("out_of_range", 5, "Latitude")
    assert message(problem, "schools.xlsx", "en").startswith("schools.xlsx, row 5, column “Latitude”")


def test_a_mapped_column_that_is_not_in_the_file_is_refused(db, tmp_path):
    from atlas.database.importing import Mapping

    path = tmp_path / "s.csv"
    path.write_text("id,nombre,nivel\nNEW-1,Uno,primaria\n", encoding="utf-8")
    mapping = Mapping(kind="schools", columns={"school_id": "id", "name": "Name", "level": "nivel"})
    before = file_hash(db)
    result = import_file(db, "schools", path, mapping=mapping)
    assert_refused_untouched(db, before, result)
    assert ("mapped_column_absent", "Name") in {(p.code, p.column) for p in result.problems}

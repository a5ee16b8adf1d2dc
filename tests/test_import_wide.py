"""A real district's metric files through the importer: wide files (one row per school, a column per
measure) in one pass, n from a column, the enrollment or not reported, a district's own measures,
and problems grouped. The files are the real NYC DOE ones in ../shared/data/real (or small files
derived from them); every count is checked against the raw file read here with pandas."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from atlas.__main__ import main
from atlas.database.districts import new_district_database
from atlas.database.importing import import_file
from atlas.database.importing.mapping import Mapping, from_toml, to_toml
from atlas.database.importing.measures import define_measures, prepare_measures
from atlas.database.importing.readers import read_path
from atlas.database.importing.wide import fraction_columns
from atlas.nyc import DEFAULT_RAW, SNAPSHOT
from atlas.present.import_messages import grouped_lines, problems_table

DIRECTORY = DEFAULT_RAW / "rb2661_NYC_Schools" / "2021_DOE_High_School_Directory.csv"
MEASURES = {"graduation_rate_pct": "graduation_rate", "attendance_rate_pct": "attendance_rate"}
MEASURES_CSV = """metric_id,label_en,label_es,unit,is_higher_better,min_value,max_value
college_career_rate_pct,College and career rate,Tasa de preparación universitaria y profesional,pct,yes,0,100
family_involvement_score,Family involvement score,Participación familiar,score,yes,0,99
poverty_pct,Students in poverty,Estudiantes en situación de pobreza,percent,no,0,100
"""


def query(db: Path, sql: str):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


USED = [
    "dbn", "school_name", "Latitude", "Longitude", "total_students",
    "graduation_rate", "attendance_rate", "college_career_rate", "pct_stu_safe",
]  # fmt: skip


@pytest.fixture(scope="module")
def directory() -> pd.DataFrame:
    """The raw directory as pandas reads it (the expected counts come from here, not the importer)."""
    return pd.read_csv(DIRECTORY, dtype=str, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def directory_file(directory, tmp_path_factory) -> Path:
    """The directory's columns these tests use, byte for byte as in the raw file (its 448 columns
    take seconds to read each time)."""
    path = tmp_path_factory.mktemp("directory") / "2021_DOE_High_School_Directory.csv"
    path.write_text(directory[USED].to_csv(index=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def district(directory_file, tmp_path_factory) -> Path:
    """A new district whose schools are the 2021 directory's 442 high schools, and its own measures."""
    folder = tmp_path_factory.mktemp("wide")
    db = folder / "district.duckdb"
    new_district_database(db, "nyc-hs", "NYC high schools", "NY")
    schools = Mapping(
        kind="schools",
        columns={"school_id": "dbn", "name": "school_name", "latitude": "Latitude", "longitude": "Longitude"},
        constants={"level": "high"},
        values={},
    ).with_column("enrollment", "total_students")
    assert import_file(db, "schools", directory_file, mapping=schools).ok
    (folder / "measures.csv").write_text(MEASURES_CSV, encoding="utf-8")
    assert main(["import", "metric-definitions", str(folder / "measures.csv"), "--db", str(db)]) == 0
    return db


def fresh(district: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(district.read_bytes())
    return copy


def wide_mapping(n: str, **more) -> Mapping:
    measures = {**MEASURES, "college_career_rate_pct": "college_career_rate"}
    return Mapping(
        kind="metrics",
        columns={"school_id": "dbn", **more},
        constants={"school_year": "2020-21"},
        metric_columns=measures,
        scale=dict.fromkeys(measures, 100.0),
        skip_when_blank=("value",),
        n_source=n,
    )


def test_a_wide_file_in_one_pass_with_n_not_reported(district, directory_file, directory, tmp_path):
    db = fresh(district, tmp_path)
    result = import_file(db, "metrics", directory_file, mapping=wide_mapping("not_reported"))
    assert result.ok, result.problems[:3]
    columns = {**MEASURES, "college_career_rate_pct": "college_career_rate"}
    expected = {m: int(directory[c].notna().sum()) for m, c in columns.items()}
    stored = dict(query(db, "SELECT metric_id, count(*) FROM metric GROUP BY metric_id"))
    assert stored == expected  # 415, 440, 412: the blank cells skipped, not refused
    skipped = {n.column: n.params["count"] for n in result.notes if n.code == "skipped_blank_measure"}
    assert skipped == {c: int(directory[c].isna().sum()) for c in columns.values()}  # one note per measure
    assert query(db, "SELECT count(*) FROM metric WHERE n IS NOT NULL") == [(0,)]
    science = directory.set_index("dbn").loc["10X445"]
    value = query(db, "SELECT value FROM metric WHERE school_id = '10X445' AND metric_id = 'graduation_rate_pct'")
    assert value[0][0] == pytest.approx(float(science["graduation_rate"]) * 100)
    assert query(db, "SELECT n_source FROM import_log WHERE kind = 'metrics'") == [("not_reported",)]
    assert any(n.code == "n_not_reported" for n in result.notes)


def test_n_from_the_enrollment_is_never_guessed(district, directory_file, directory, tmp_path):
    db = fresh(district, tmp_path)
    unknown = ["10X445", "02M475", "31R605"]  # three schools whose enrollment the district has not loaded
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE school SET enrollment = NULL WHERE school_id IN ('10X445', '02M475', '31R605')")
    result = import_file(db, "metrics", directory_file, mapping=wide_mapping("enrollment"))
    no_enrollment = directory[directory["dbn"].isin(unknown) | directory["total_students"].isna()]
    valued = no_enrollment[["graduation_rate", "attendance_rate", "college_career_rate"]].notna().sum(axis=1)
    assert result.n_errors == int(valued.sum()) > 0  # a school without enrollment: an error per value
    assert {p.code for p in result.problems} == {"n_no_enrollment"}
    assert {p.row for p in result.problems} == {int(i) + 2 for i in valued.index[valued > 0]}  # header: row 1
    assert {p.column for p in result.problems} == {"dbn"}
    assert query(db, "SELECT count(*) FROM metric") == [(0,)]  # refused whole

    known = directory[~directory.index.isin(no_enrollment.index)]
    (tmp_path / "known.csv").write_text(known.to_csv(index=False), encoding="utf-8")
    result = import_file(db, "metrics", tmp_path / "known.csv", mapping=wide_mapping("enrollment"))
    assert result.ok, result.problems[:3]
    enrollment = known.set_index("dbn")["total_students"].str.replace(",", "").astype(int)
    stored = dict(query(db, "SELECT school_id, n FROM metric WHERE metric_id = 'attendance_rate_pct'"))
    assert stored == {dbn: enrollment[dbn] for dbn in known.loc[known["attendance_rate"].notna(), "dbn"]}
    assert query(db, "SELECT n_source FROM import_log WHERE kind = 'metrics'") == [("enrollment",)]


def test_n_from_a_column_of_the_demographic_snapshot(district, directory, tmp_path):
    db = fresh(district, tmp_path)
    mapping = Mapping(
        kind="metrics",
        columns={"school_id": "DBN", "school_year": "Year", "n": "Total Enrollment"},
        metric_columns={"poverty_pct": "% Poverty"},
        skip_unknown_ids=True,
        n_source="column",
    )
    result = import_file(db, "metrics", DEFAULT_RAW / SNAPSHOT, mapping=mapping)
    assert result.ok, result.problems[:3]
    snapshot = pd.read_csv(DEFAULT_RAW / SNAPSHOT, dtype=str)
    ours = snapshot[snapshot["DBN"].isin(set(directory["dbn"]))]
    assert query(db, "SELECT count(*), count(DISTINCT school_id) FROM metric") == [(len(ours), ours["DBN"].nunique())]
    first = ours.iloc[0]
    row = query(
        db,
        f"SELECT value, n FROM metric WHERE school_id = '{first['DBN']}' AND school_year = '{first['Year']}'",
    )
    assert row == [(float(first["% Poverty"].rstrip("%")), int(first["Total Enrollment"].replace(",", "")))]
    assert query(db, "SELECT n_source FROM import_log WHERE kind = 'metrics'") == [("column",)]


def test_a_metrics_mapping_must_say_where_n_comes_from(district, directory_file, tmp_path):
    result = import_file(fresh(district, tmp_path), "metrics", directory_file, mapping=wide_mapping(""))
    assert not result.ok
    assert [p.code for p in result.problems] == ["n_source_missing"]
    lines = grouped_lines(result.all_problems, "en")
    assert "How many students is each value about (n)?" in lines[0] and "not reported" in lines[0]
    assert "¿De cuántos estudiantes" in grouped_lines(result.all_problems, "es")[0]


def test_the_issues_mapping_on_a_file_derived_from_a_real_one(district, directory, tmp_path, capsys):
    """The issue's exact TOML, on the directory's columns renamed as a school report names them,
    its blanks written NDA, and family_involvement_score defined first with metric-definitions."""
    db = fresh(district, tmp_path)
    report = pd.DataFrame(
        {
            "School_ID": directory["dbn"],
            "AVERAGE_STUDENT_ATTENDANCE": directory["attendance_rate"],  # a fraction
            "Graduation_Rate__": (directory["graduation_rate"].astype(float) * 100).round(1),  # a percent
            "Family_Involvement_Score": (directory["pct_stu_safe"].astype(float) * 99).round(0),
        }
    )
    (tmp_path / "report.csv").write_text(report.to_csv(index=False, na_rep="NDA"), encoding="utf-8")
    (tmp_path / "report.toml").write_text(ISSUE_TOML, encoding="utf-8")
    mapping = from_toml(ISSUE_TOML)
    assert from_toml(to_toml(mapping)) == mapping  # saved and reloaded identically
    table = read_path(tmp_path / "report.csv")
    assert fraction_columns(table, mapping) == ["attendance_rate_pct"]  # ×100 offered for this one only
    command = ["import", "metrics", str(tmp_path / "report.csv"), "--db", str(db), "--mapping"]
    assert main([*command, str(tmp_path / "report.toml")]) == 0
    stored = dict(query(db, "SELECT metric_id, count(*) FROM metric WHERE school_year = '2011-12' GROUP BY 1"))
    assert stored == {
        "attendance_rate_pct": int(directory["attendance_rate"].notna().sum()),
        "graduation_rate_pct": int(directory["graduation_rate"].notna().sum()),
        "family_involvement_score": int(directory["pct_stu_safe"].notna().sum()),
    }
    top = query(db, "SELECT max(value) FROM metric WHERE metric_id = 'attendance_rate_pct'")[0][0]
    assert 90 < top <= 100  # scaled ×100

    # Without the null codes, every NDA is a problem: one line per column, with its count and rows.
    (tmp_path / "strict.toml").write_text(ISSUE_TOML.replace('null_values = ["NDA"]\n', ""), encoding="utf-8")
    capsys.readouterr()
    assert main([*command, str(tmp_path / "strict.toml")]) == 1
    err = capsys.readouterr().err
    blank = int(directory["graduation_rate"].isna().sum())
    first = [str(i + 2) for i in directory.index[directory["graduation_rate"].isna()][:3]]
    assert f"Column “Graduation_Rate__”: “NDA” is not a number — {blank} rows: {', '.join(first)}, " in err


ISSUE_TOML = """kind = "metrics"
null_values = ["NDA"]
skip_when_blank = ["value"]
[columns]
school_id = "School_ID"
[constants]
school_year = "2011-12"
[metric_columns]                  # one column per measure
attendance_rate_pct = "AVERAGE_STUDENT_ATTENDANCE"
graduation_rate_pct = "Graduation_Rate__"
family_involvement_score = "Family_Involvement_Score"
[scale]
attendance_rate_pct = 100
[n]
source = "not_reported"           # or "column" (with [columns] n = "…"), or "enrollment"
"""


def test_500_identical_problems_are_one_line_and_500_rows_in_the_problem_file(district, directory, tmp_path):
    rows = pd.DataFrame({"School_ID": directory["dbn"].head(250).tolist() * 2})
    rows["school_year"] = ["2019-20"] * 250 + ["2020-21"] * 250
    rows["Family_Involvement_Score"] = "NDA"
    (tmp_path / "nda.csv").write_text(rows.to_csv(index=False), encoding="utf-8")
    mapping = Mapping(
        kind="metrics",
        columns={"school_id": "School_ID", "school_year": "school_year"},
        metric_columns={"family_involvement_score": "Family_Involvement_Score"},
        n_source="not_reported",
    )
    result = import_file(fresh(district, tmp_path), "metrics", tmp_path / "nda.csv", mapping=mapping)
    assert result.n_errors == 500 and len(result.problems) == 200  # shown one by one: the first 200
    groups = result.all_problems.groups()
    assert [(g.problem.code, g.problem.column, g.count) for g in groups] == [
        ("not_number", "Family_Involvement_Score", 500)
    ]
    assert grouped_lines(result.all_problems, "en") == [
        "Column “Family_Involvement_Score”: “NDA” is not a number — 500 rows: 2, 3, 4, 5, 6, 7, 8, 9, …"
    ]
    assert grouped_lines(result.all_problems, "es")[0].startswith("Columna “Family_Involvement_Score”: “NDA” no es")
    table = problems_table(result.all_problems, "nda.csv", "en")
    assert len(table) == 500 and table["Row"].tolist() == list(range(2, 502))


def test_a_measure_created_from_the_app(district, tmp_path):
    db = fresh(district, tmp_path)
    row = {"metric_id": "fam_score", "label_en": "Family", "label_es": "Familia", "unit": "score"}
    problems = prepare_measures(
        db, [{**row, "is_higher_better": True, "min_value": 5, "max_value": 1}]
    ).checked.problems
    assert [(p.code, p.row, p.column) for p in problems] == [("min_not_below_max", 2, "max_value")]
    define_measures(db, [{**row, "is_higher_better": True, "min_value": 0, "max_value": 99}], user="office")
    assert query(db, "SELECT unit, max_value FROM metric_definition WHERE metric_id = 'fam_score'") == [("score", 99)]


def test_a_districts_own_measures(district, tmp_path):
    db = fresh(district, tmp_path)
    units = dict(query(db, "SELECT metric_id, unit FROM metric_definition"))
    assert units["family_involvement_score"] == "score" and units["poverty_pct"] == "pct"  # "percent" read as pct
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "metric_id,label_en,label_es,unit,is_higher_better,min_value,max_value\n"
        "Family Score,Family,Familia,score,yes,0,99\n"
        "ok_id,OK,OK,furlongs,yes,0,99\n"
        "upside_down,Upside,Al revés,number,yes,10,1\n",
        encoding="utf-8",
    )
    result = import_file(db, "metric_definitions", bad)
    assert {(p.code, p.row, p.column) for p in result.problems} == {
        ("bad_measure_id", 2, "metric_id"),
        ("unknown_code", 3, "unit"),
        ("min_not_below_max", 4, "max_value"),
    }
    # A value outside the measure's range: refused with file, row and the measure's own column.
    values = tmp_path / "values.csv"
    values.write_text("School_ID,Family_Involvement_Score\n10X445,12\n10X442,120\n", encoding="utf-8")
    mapping = Mapping(
        kind="metrics",
        columns={"school_id": "School_ID"},
        constants={"school_year": "2020-21"},
        metric_columns={"family_involvement_score": "Family_Involvement_Score"},
        n_source="not_reported",
    )
    result = import_file(db, "metrics", values, mapping=mapping)
    assert [(p.code, p.row, p.column, p.params["value"]) for p in result.problems] == [
        ("metric_out_of_range", 3, "Family_Involvement_Score", "120")
    ]
    # An unknown measure: the message says how to add it.
    unknown = Mapping(**{**mapping.__dict__, "metric_columns": {"happiness_index": "Family_Involvement_Score"}})
    result = import_file(db, "metrics", values, mapping=unknown)
    assert [(p.code, p.column) for p in result.problems] == [("unknown_measure", "Family_Involvement_Score")]
    assert "metric-definitions" in grouped_lines(result.all_problems, "en")[0]
    long = tmp_path / "long.csv"
    long.write_text("school_id,school_year,metric_id,value,n\n10X445,2020-21,happiness_index,3,40\n", encoding="utf-8")
    result = import_file(db, "metrics", long)
    line = grouped_lines(result.all_problems, "en")[0]
    assert "“happiness_index” is not a known value for metric_id" in line and "metric-definitions" in line
    # Logged, undoable, and with a template like every kind.
    more = tmp_path / "more.csv"
    more.write_text(MEASURES_CSV.splitlines()[0] + "\nattendance_days,Days,Días,number,yes,0,200\n", encoding="utf-8")
    assert main(["import", "metric-definitions", str(more), "--db", str(db)]) == 0
    assert query(db, "SELECT action, n_added FROM import_log WHERE kind = 'metric_definitions'")[-1] == ("import", 1)
    assert main(["undo", "--db", str(db)]) == 0
    assert query(db, "SELECT count(*) FROM metric_definition WHERE metric_id = 'attendance_days'") == [(0,)]
    assert main(["template", "metric-definitions", str(tmp_path / "t.csv")]) == 0
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig").strip() == MEASURES_CSV.splitlines()[0]


def test_problems_found_apart_are_grouped_together():
    from atlas.database.importing.problems import Collector

    out = Collector()
    out.errors("not_number", pd.Series([5, 3]), "Score", pd.Series(["NDA", "NDA"]), field="value")
    out.error("not_number", row=9, column="Score", field="value", value="NDA")
    out.errors("not_number", pd.Series([4]), "Score", pd.Series(["n/a!"]), field="value")
    out.error("n_source_missing")
    problems = out.problem_set()
    assert [(g.problem.code, g.problem.row, g.count, list(g.rows)) for g in problems.groups()] == [
        ("n_source_missing", None, 1, [-1]),
        ("not_number", 3, 3, [3, 5, 9]),
        ("not_number", 4, 1, [4]),
    ]
    assert problems.n_groups() == 3 and [p.row for p in problems.first()] == [None, 3, 4, 5, 9]
    rows = problems.every_row(lambda p: p.params.get("value", p.code))
    assert rows["problem"].tolist() == ["n_source_missing", "NDA", "n/a!", "NDA", "NDA"]

"""A real district through the generic importer: NYC Community School District 10 (Bronx),
built from the public NYC DOE files in ../shared/data/real with the mapping files in
data/mappings and the partner-list preparation step (atlas.nyc). Every count is checked
against the raw files, read here independently with pandas."""

from __future__ import annotations

import json
import re

import duckdb
import pandas as pd
import pytest

from atlas import nyc

RAW = nyc.DEFAULT_RAW
LEVELS = {
    "Elementary": "elementary",
    "Junior High-Intermediate-Middle": "middle",
    "High school": "high",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nyc")
    report = nyc.prepare(RAW, folder / "prepared")
    db = folder / "nyc.duckdb"
    results = nyc.build_database(db, RAW, folder / "prepared")
    return report, results, db


@pytest.fixture(scope="module")
def raw_schools() -> pd.DataFrame:
    frame = pd.read_csv(RAW / nyc.SCHOOL_LOCATIONS, dtype=str)
    return frame[
        (frame["geographical_district_code"] == "10")
        & (frame["status_descriptions"] == "Open")
        & (frame["managed_by_name"] == "DOE")
    ]


def query(db, sql: str, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or {}).fetchall()


def test_every_step_imports(built):
    _, results, _ = built
    assert [step for step, _ in results] == [
        "schools", "demographics", "partners", "partnerships", "graduation", "math", "attendance",
    ]  # fmt: skip
    assert all(result.ok for _, result in results), [(s, r.problems[:3]) for s, r in results if not r.ok]


def test_schools_match_the_raw_directory(built, raw_schools):
    _, _, db = built
    expected = raw_schools.drop_duplicates("system_code")
    assert len(expected) == 87  # docs/nyc.md: 87 open DOE-run schools in CSD 10
    assert query(db, "SELECT count(*) FROM school") == [(87,)]
    assert {r[0] for r in query(db, "SELECT school_id FROM school")} == set(expected["system_code"])
    levels = expected["location_category_description"].map(lambda c: LEVELS.get(c, "other")).value_counts()
    assert dict(query(db, "SELECT level, count(*) FROM school GROUP BY level")) == levels.to_dict()
    science = expected.set_index("system_code").loc["10X445"]
    row = query(db, "SELECT name, latitude, longitude, region, district_id FROM school WHERE school_id = '10X445'")
    assert row == [
        (
            science["location_name"],
            float(science["latitude"]),
            float(science["longitude"]),
            science["nta_name"],
            "nyc-csd10",
        )
    ]


def test_demographics_update_the_schools_they_cover(built, raw_schools):
    _, results, db = built
    snapshot = pd.read_csv(RAW / nyc.SNAPSHOT, dtype=str)
    snapshot = snapshot[(snapshot["Year"] == "2017-18") & snapshot["DBN"].isin(raw_schools["system_code"])]
    demographics = dict(results)["demographics"]
    assert demographics.diff.n_changed == len(snapshot)
    assert query(db, "SELECT count(*) FROM school WHERE enrollment IS NOT NULL") == [(len(snapshot),)]
    sample = snapshot.set_index("DBN").loc["10X445"]
    assert query(db, "SELECT enrollment, frl_pct, el_pct FROM school WHERE school_id = '10X445'") == [
        (
            int(sample["Total Enrollment"]),
            float(sample["% Poverty"]),
            float(sample["% English Language Learners"]),
        )
    ]


def _raw_partner_cells() -> dict[str, str]:
    """Each district high school's eight partner cells, joined, from the raw directory."""
    directory = pd.read_csv(RAW / nyc.HS_DIRECTORY, dtype=str, encoding="utf-8-sig")
    directory = directory[directory["dbn"].str.startswith("10")]
    return {
        row["dbn"]: " | ".join(str(row[c]) for c in nyc.PARTNER_COLUMNS if isinstance(row[c], str))
        for _, row in directory.iterrows()
    }


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", re.sub(r"\([^)]*\)", "", text.lower()))


def test_partnerships_come_from_the_raw_partner_lists(built, raw_schools):
    report, _, db = built
    cells = _raw_partner_cells()
    # 27 district high schools are in the 2014 directory, all still open in 2019-20; 25 list partners.
    assert (report.directory_schools, report.with_partners) == (27, 25)
    assert set(cells) <= set(raw_schools["system_code"])
    rows = query(
        db,
        "SELECT p.school_id, r.name, r.partner_type_id, p.status, p.start_date::VARCHAR "
        "FROM partnership p JOIN partner r USING (partner_id)",
    )
    assert len(rows) == report.partnerships
    # Every partnership names an organisation written in that school's own partner cells.
    for school_id, name, _, status, start in rows:
        assert _plain(name) in _plain(cells[school_id]), (school_id, name)
        assert (status, start) == ("active", "2014-09-01")
    # Every short, capitalised entry of the raw lists (clearly an organisation) was imported.
    imported = {(s, _plain(n)) for s, n, *_ in rows}
    for dbn, text in cells.items():
        text = re.sub(r",\s*(Inc|LLC|LLP|Ltd|Corp)\b\.?", r" \1", text)  # 'Kaplan, Inc.' is one name
        for piece in re.split(r"[,;](?![^()]*\))|\|", text):
            piece = piece.strip()
            words = piece.split()
            if 0 < len(words) <= 4 and all(w[0].isupper() for w in words if w[0].isalpha()) and "." not in piece:
                assert (dbn, _plain(piece)) in imported, (dbn, piece)
    schools_with_partners = {s for s, *_ in rows}
    assert len(schools_with_partners) == 25
    # Partner ids are unique per organisation: no partner is listed twice at one school.
    assert query(db, "SELECT count(*) FROM (SELECT school_id, partner_id FROM partnership GROUP BY ALL)") == [
        (len(rows),)
    ]
    assert query(db, "SELECT count(*) FROM partner") == [(report.partners,)]


def test_bronx_science_partner_list_counted_by_hand(built):
    _, _, db = built
    # 10X445's raw lists: 2 community organisations, 1 hospital, 13 colleges, 6 cultural,
    # 2 non-profits, 2 corporations, 1 financial, 6 other = 33, all different.
    assert query(db, "SELECT count(*) FROM partnership WHERE school_id = '10X445'") == [(33,)]
    types = dict(
        query(
            db,
            "SELECT r.name, r.partner_type_id FROM partnership p JOIN partner r USING (partner_id) "
            "WHERE p.school_id = '10X445'",
        )
    )
    assert types["Kiwanis International"] == "service_club"
    assert types["Con Edison"] == "business"
    assert types["U.S. Department of State"] == "government"
    assert types["Columbia University"] == "higher_ed"
    assert types["Bronx Zoo"] == "other"
    assert types["The Hebrew Home for the Aged"] == "health"


def test_untagged_partnerships_are_strategy_not_yet_tagged(built):
    report, _, db = built
    assert query(db, "SELECT count(*) FROM partnership_strategy") == [(0,)]
    from atlas.database import sql

    with duckdb.connect(str(db), read_only=True) as con:
        by_type = sql.execute(con, "data_untagged_by_type", framework_id="nea-fscp-2", lang="en")
    assert int(by_type["n_untagged"].sum()) == report.partnerships


def test_metrics_match_the_raw_outcome_files(built, raw_schools):
    _, _, db = built
    district = set(raw_schools["system_code"])
    graduation = pd.read_csv(RAW / nyc.GRADUATION, dtype=str, encoding="utf-8-sig")
    graduation = graduation[
        (graduation["Demographic"] == "Total Cohort")
        & graduation["Cohort"].isin([str(y) for y in range(2001, 2007)])
        & graduation["DBN"].isin(district)
        & (graduation["Total Grads - % of cohort"] != "s")
    ]
    math = pd.read_csv(RAW / nyc.MATH, dtype=str, encoding="utf-8-sig")
    math = math[(math["Grade"] == "All Grades") & math["DBN"].isin(district) & (math["Level 3+4 %"] != "s")]
    records = json.loads((RAW / nyc.ATLAS_JSON).read_text(encoding="utf-8"))
    quality = {}
    for r in records:  # n = the latest enrollment, else the 2021-22 one; a school listed twice counts once
        demo = r.get("demo") or {}
        if r.get("dbn") in district and (demo.get("enrollment_latest") or demo.get("enrollment")) and r.get("quality"):
            quality.setdefault(r["dbn"], r["quality"])
    counts = dict(query(db, "SELECT metric_id, count(*) FROM metric GROUP BY metric_id"))
    assert counts["graduation_rate_pct"] == len(graduation)
    assert counts["math_proficiency_pct"] == len(math)
    assert counts["attendance_rate_pct"] == sum(q.get("attendance") is not None for q in quality.values())
    assert counts["chronic_absence_pct"] == sum(q.get("chronic_absent") is not None for q in quality.values())
    sample = graduation[(graduation["DBN"] == "10X445") & (graduation["Cohort"] == "2006")].iloc[0]
    assert query(
        db,
        "SELECT value, n FROM metric WHERE school_id = '10X445' AND metric_id = 'graduation_rate_pct' "
        "AND school_year = '2009-10'",
    ) == [(float(sample["Total Grads - % of cohort"]), int(sample["Total Cohort"]))]
    # Chronic absence is 100 × (1 − the share with more than 90 % attendance).
    dbn, values = next((d, q) for d, q in sorted(quality.items()) if q.get("chronic_absent") is not None)
    assert query(
        db, "SELECT value FROM metric WHERE school_id = $dbn AND metric_id = 'chronic_absence_pct'", {"dbn": dbn}
    ) == [(round(100 * (1 - values["chronic_absent"]), 1),)]


def test_partner_list_splitting():
    names, dropped = nyc.split_partner_list(
        "Acme, Inc., Museum of Modern Art (MoMA, New York), buildOn, the Bronx Opera Company, "
        "for attendance incentives; Bronx Arts Ensemble. Wave Hill"
    )
    assert names == [
        "Acme, Inc",
        "Museum of Modern Art (MoMA, New York)",
        "buildOn",
        "The Bronx Opera Company",
        "Bronx Arts Ensemble",
        "Wave Hill",
    ]
    assert dropped == ["for attendance incentives"]
    assert nyc.partner_key("JP Morgan Chase") == nyc.partner_key("JPMorgan Chase")
    assert nyc.partner_key("The Museum of Modern Art") == nyc.partner_key("Museum of Modern Art (MoMA)")

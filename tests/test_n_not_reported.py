"""Values whose n is not reported (NULL: figures already public, such as a state report card) and a
district's own measures, on the pages that read metric values: the tiny district with two measures of
its own — family_involvement_score (a score, 0–99) and school_counselors (a number) — and chronic
absence with Elm Elementary's n not reported. Every value with no n is published and says so; a value
with a small known n stays hidden; a group figure over a value with no n is the simple mean of the
schools' published values (checked against sums by hand and independent SQL); nothing shows None or
nan; the need index counts the public values; the packet builds."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from atlas.database import sql
from atlas.database.districts import new_district_database
from atlas.database.settings import change_setting
from atlas.present import packet, packet_pptx, packet_slides
from atlas.present.i18n import translate
from tests import independent
from tests.app_elements import APP, chart_titled, open_page, page_text, values
from tests.tiny_district import ON_DATE, YEAR, build_tiny_district

# family_involvement_score: E1 and E2 not reported (public), M1 n 40, H1 n 4 (hidden).
# school_counselors: no school reports an n.
MEASURES = [
    ("family_involvement_score", "Family involvement score", "Participación familiar", "score", True, 0, 99),
    ("school_counselors", "School counselors", "Orientadores escolares", "number", True, 0, 50),
]
VALUES = [
    ("E1", YEAR, "family_involvement_score", 62.0, None),
    ("E2", YEAR, "family_involvement_score", 71.5, None),
    ("M1", YEAR, "family_involvement_score", 55.0, 40),
    ("H1", YEAR, "family_involvement_score", 93.0, 4),
    ("E1", YEAR, "school_counselors", 2.0, None),
    ("E2", YEAR, "school_counselors", 3.0, None),
    ("M1", YEAR, "school_counselors", 4.0, None),
    ("H1", YEAR, "school_counselors", 6.0, None),
]
QUERY = {"date": ON_DATE.isoformat()}


@pytest.fixture(scope="module")
def district_file(tmp_path_factory):
    """Built once for the module: the tests only read it."""
    path = build_tiny_district(tmp_path_factory.mktemp("measures") / "tiny.duckdb")
    with duckdb.connect(str(path)) as con:
        con.executemany("INSERT INTO metric_definition VALUES (?, ?, ?, ?, ?, ?, ?)", MEASURES)
        con.executemany("INSERT INTO metric VALUES (?, ?, ?, ?, ?)", VALUES)
        con.execute("UPDATE metric SET n = NULL WHERE school_id = 'E1' AND metric_id = 'chronic_absence_pct'")
        sql.install_macros(con)  # refreshes the stored need, as every write does
    return path


@pytest.fixture
def district_db(district_file, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(district_file))
    return district_file


def no_none_or_nan(text: str) -> None:
    words = text.replace("nan_", "").split()
    assert not {"None", "nan", "NaN", "<NA>"} & {w.strip(".,:;()") for w in words}, text[:2000]


def hovers(chart: dict) -> str:
    return " ".join(str(v) for trace in chart["data"] for v in values(trace.get("customdata", [])) if v)


def test_outcomes_shows_values_with_no_n_and_simple_means(district_db):
    at = open_page(AppTest.from_file(APP, default_timeout=60), "pages/outcomes.py", query=QUERY)
    at.selectbox(key="outcome_metric").set_value("family_involvement_score").run()
    at.radio(key="outcome_group").set_value("level").run()
    assert not at.exception
    groups = next(d.value for d in at.dataframe if "Group" in d.value.columns).set_index("Group")
    label = "Family involvement score"
    # All schools: E1, E2 (no n) and M1 (n 40), H1 hidden → (62 + 71.5 + 55) / 3, not weighted.
    assert groups.loc["All schools in view", label] == 62.8
    assert pd.isna(groups.loc["All schools in view", "Students (n)"])
    assert groups.loc["All schools in view", "Mean"] == "Simple mean of schools (some n not reported)"
    captions = [c.value for c in at.caption]
    assert any("it is their simple mean (each school counts once)" in c for c in captions)
    assert not any("weighted by the number of students behind each value;" in c for c in captions)
    assert groups.loc["Elementary", label] == 66.8  # (62 + 71.5) / 2, one decimal on a 0–99 scale
    assert groups.loc["Middle", [label, "Students (n)", "Mean"]].tolist() == [55.0, 40, "Weighted by students"]
    assert pd.isna(groups.loc["High", label])  # only H1's hidden value
    schools = next(d.value for d in at.dataframe if "Hidden for privacy" in d.value.columns).set_index("School ID")
    assert schools.loc["E1", [label, "n not reported", "Hidden for privacy"]].tolist() == [62.0, "Yes", ""]
    assert pd.isna(schools.loc["E1", "Students (n)"])
    assert pd.isna(schools.loc["H1", label]) and schools.loc["H1", "Hidden for privacy"] == "Yes"
    text = page_text(at)
    assert "have no reported n" in text and "* n not reported for 2 of these values" in text
    chart = chart_titled(at, "Family involvement score by level (simple means where n is not reported)")
    assert chart["layout"]["yaxis"]["title"]["text"] == "Family involvement score (0–99)"
    assert "Simple mean of the 3 schools whose values are published" in hovers(chart)
    heatmap = chart_titled(at, "Family involvement score by school and year")
    assert "62.0*" in values(heatmap["data"][0]["text"])[0] + values(heatmap["data"][0]["text"])[1]
    assert "n not reported" in hovers(heatmap) and "93" not in json.dumps(heatmap)
    no_none_or_nan(text + hovers(chart) + hovers(heatmap))
    # A number measure with no n anywhere: every figure a simple mean.
    at.selectbox(key="outcome_metric").set_value("school_counselors").run()
    assert not at.exception
    groups = next(d.value for d in at.dataframe if "Group" in d.value.columns).set_index("Group")
    assert groups.loc["All schools in view", "School counselors"] == 3.8  # (2 + 3 + 4 + 6) / 4
    no_none_or_nan(page_text(at))


def test_school_profile_marks_values_with_no_n(district_db):
    at = open_page(AppTest.from_file(APP, default_timeout=60), "pages/school.py", query={**QUERY, "school": "E1"})
    table = at.dataframe[-1].value.set_index("Measure")
    row = table.loc["Family involvement score"]
    assert row["This school"] == 62.0 and row["District"] == 62.8  # the simple mean, as on Outcomes
    assert row["Note"] == (
        "n not reported (a figure already public): shown as published; "
        "District: simple mean of the schools (some n not reported)"
    )
    # Chronic absence: E1's n not reported, the others n 50 → the district figure is a simple mean.
    assert table.loc["Chronic absence", "District"] == 16.2  # (20 + 10 + 30 + 5) / 4 = 16.25
    assert table.loc["ELA proficiency", "Note"] == ""  # every n known: weighted, no note
    text = page_text(at)
    assert "Shown as published, with no reported n" in text and "School counselors 2024-25" in text
    assert "the district figure is the simple mean" in text
    # The need index counts E1's public chronic absence (it would be "too few students" if hidden).
    assert "Chronic absenteeism: higher than at 67%" in text
    figure = json.loads(at.get("plotly_chart")[-1].proto.spec)
    titles = [a["text"] for a in figure["layout"]["annotations"]]
    assert "Family involvement score (0–99)" in titles and "School counselors" in titles
    axis_titles = [v["title"]["text"] for k, v in figure["layout"].items() if k.startswith("yaxis") and "title" in v]
    assert "Score" in axis_titles and "Number" in axis_titles
    no_none_or_nan(text)


def test_the_need_index_counts_values_with_no_n(district_db):
    with duckdb.connect(str(district_db), read_only=True) as con:
        expected = independent.need_table(con, YEAR).set_index("school_id")
        stored = con.execute("SELECT school_id, need_index FROM school_need($y)", {"y": YEAR}).df()
        e1 = con.execute("SELECT chronic_absence_percentile FROM school_need($y) WHERE school_id = 'E1'", {"y": YEAR})
        assert e1.fetchone()[0] == pytest.approx(2 / 3)  # E1's 20 % (n not reported) ranked among 5, 10, 20, 30
    for row in stored.itertuples():
        assert row.need_index == pytest.approx(expected.loc[row.school_id, "need_index"], nan_ok=True)


def test_the_packet_builds_and_says_some_n_is_not_reported(district_db, monkeypatch):
    blank = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(blank, format="PNG")
    monkeypatch.setattr(packet_slides, "render_png", lambda figure, width, height: blank.getvalue())
    slides = packet_slides.collect("en", packet.default_filters(ON_DATE), lambda done, text: None)
    assert packet_pptx.write_pptx(slides, "en")[:2] == b"PK"  # a zip: the file is written
    assert translate("packet.note_n_not_reported", "en") in slides[-1].lines
    no_none_or_nan(" ".join(text for slide in slides for text in slide.texts()))


def test_the_district_chooses_the_measures_of_the_need_index(district_file, tmp_path, monkeypatch):
    """Its own score plays chronic absence (higher is better, so a low score is need) and ELA alone
    plays proficiency: the stored need follows, as worked out independently, and the profile names it."""
    db = shutil.copy(district_file, tmp_path / "own-measures.duckdb")
    change_setting(db, "need_metric_chronic_absence", "family_involvement_score")
    change_setting(db, "need_metrics_proficiency", " ela_proficiency_pct ")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT need_metrics_proficiency FROM setting").fetchone()[0] == "ela_proficiency_pct"
        expected = independent.need_table(con, YEAR).set_index("school_id")
        stored = con.execute(
            "SELECT school_id, need_index, chronic_absence_percentile FROM school_need($y)", {"y": YEAR}
        ).df()
    absence = dict(zip(stored["school_id"], stored["chronic_absence_percentile"], strict=True))
    # Scores E2 71.5, E1 62, M1 55 (no n, no n, n 40); H1's 93 rests on 4 students: left out.
    assert [absence["E2"], absence["E1"], absence["M1"]] == [0, 0.5, 1] and pd.isna(absence["H1"])
    for row in stored.itertuples():
        assert row.need_index == pytest.approx(expected.loc[row.school_id, "need_index"], nan_ok=True)
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = open_page(AppTest.from_file(APP, default_timeout=60), "pages/school.py", query={**QUERY, "school": "M1"})
    text = page_text(at)
    assert "Chronic absenteeism (as Family involvement score): the highest in the district" in text
    assert "Students not yet proficient (as ELA proficiency)" in text


# ---- real files: NYC Community School District 10's high schools --------------------------------------

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real"
DIRECTORY_2021 = REAL / "rb2661_NYC_Schools" / "2021_DOE_High_School_Directory.csv"
GRADUATION = REAL / "imranchowdhuryiut_Analyzing-NYC-High-School-Data" / "graduation.csv"
MIN_N_NYC = 70  # the district's threshold here: two of the 2006 cohorts (62 and 67 students) are hidden


@pytest.fixture(scope="module")
def nyc_raw():
    """The raw files read independently: the 2021 directory's rates (fractions, no n: public figures)
    and the 2006 cohort's graduation rates with their cohort sizes, for CSD 10's high schools."""
    directory = pd.read_csv(DIRECTORY_2021, dtype=str, encoding="utf-8-sig")
    directory = directory[directory["dbn"].str[:2] == "10"]
    cohort = pd.read_csv(GRADUATION, dtype=str, encoding="utf-8-sig")
    cohort = cohort[(cohort["Demographic"] == "Total Cohort") & (cohort["Cohort"] == "2006")]
    cohort = cohort[cohort["DBN"].isin(directory["dbn"]) & (cohort["Total Grads - % of cohort"] != "s")]
    cohort = cohort.assign(
        n=cohort["Total Cohort"].str.replace(",", "").astype(int),
        value=cohort["Total Grads - % of cohort"].astype(float),
    )
    return directory, cohort


@pytest.fixture(scope="module")
def nyc_file(nyc_raw, tmp_path_factory):
    """A new district (as `python -m atlas new-district` makes it) with those schools; graduation rates
    of 2009-10 with their n and of 2020-21 with n not reported; college and career rate, a measure of
    the district's own, n not reported."""
    directory, cohort = nyc_raw
    path = new_district_database(tmp_path_factory.mktemp("nyc") / "csd10.duckdb", "3600087", "CSD 10", "NY")
    schools = [
        (dbn, "3600087", name, "high") for dbn, name in zip(directory["dbn"], directory["school_name"], strict=True)
    ]
    rows = [(r.DBN, "2009-10", "graduation_rate_pct", r.value, r.n) for r in cohort.itertuples()]
    for column, measure in (("graduation_rate", "graduation_rate_pct"), ("college_career_rate", "college_career_pct")):
        present = directory[directory[column].notna()]
        rows += [
            (d, "2020-21", measure, 100 * float(v), None) for d, v in zip(present["dbn"], present[column], strict=True)
        ]
    with duckdb.connect(str(path)) as con:
        con.executemany("INSERT INTO school (school_id, district_id, name, level) VALUES (?, ?, ?, ?)", schools)
        con.execute(
            "INSERT INTO metric_definition VALUES ('college_career_pct', 'College and career rate',"
            " 'Tasa de preparación universitaria y profesional', 'pct', true, 0, 100)"
        )
        con.executemany("INSERT INTO metric VALUES (?, ?, ?, ?, ?)", rows)
        con.execute("UPDATE setting SET suppression_min_n = $n", {"n": MIN_N_NYC})
        sql.install_macros(con)
    return path


def test_real_public_figures_beside_real_counts(nyc_file, nyc_raw, monkeypatch):
    """Graduation: 2009-10 weighted by the real cohort sizes, the cohorts under the threshold hidden;
    2020-21 (the 2021 directory: no n) every value shown and marked, the simple mean of the schools —
    each checked against the raw files; the district's own measure the same."""
    directory, cohort = nyc_raw
    monkeypatch.setenv("ATLAS_DB", str(nyc_file))
    at = open_page(AppTest.from_file(APP, default_timeout=60), "pages/outcomes.py", query={"date": "2021-01-15"})
    at.selectbox(key="outcome_metric").set_value("graduation_rate_pct").run()
    assert not at.exception
    groups = next(d.value for d in at.dataframe if "Group" in d.value.columns).set_index(["Group", "School year"])
    shown = cohort[cohort["n"] >= MIN_N_NYC]
    weighted = (shown["value"] * shown["n"]).sum() / shown["n"].sum()
    all_schools = groups.loc["All schools in view"]
    assert all_schools.loc["2009-10", "Graduation rate"] == round(weighted, 1)
    assert all_schools.loc["2009-10", ["Students (n)", "Mean"]].tolist() == [shown["n"].sum(), "Weighted by students"]
    simple = 100 * directory["graduation_rate"].astype(float).mean()
    assert all_schools.loc["2020-21", "Graduation rate"] == round(simple, 1)
    assert all_schools.loc["2020-21", "Mean"] == "Simple mean of schools (some n not reported)"
    assert all_schools.loc["2020-21", "Schools with a published value"] == directory["graduation_rate"].notna().sum()
    table = next(d.value for d in at.dataframe if "Hidden for privacy" in d.value.columns)
    by_year = table.groupby("School year")
    assert (by_year.get_group("2020-21")["n not reported"] == "Yes").all()
    assert (by_year.get_group("2009-10")["Hidden for privacy"] == "Yes").sum() == (cohort["n"] < MIN_N_NYC).sum() == 2
    no_none_or_nan(page_text(at))
    at.selectbox(key="outcome_metric").set_value("college_career_pct").run()
    groups = next(d.value for d in at.dataframe if "Group" in d.value.columns).set_index("Group")
    expected = 100 * directory["college_career_rate"].astype(float).mean()
    assert groups.loc["All schools in view", "College and career rate"] == round(expected, 1)

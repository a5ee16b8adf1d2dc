"""The School profile page in AppTest on the demo district: the deep link, facts, partners,
gaps and nearby partners checked against independent SQL; small-n values absent from every
element and download, and the district figure a mean of the published values only; private fields only outside
presentation mode and never in a download; a bad id gives a message, not an exception."""

from __future__ import annotations

import base64
import io
import math
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.domain.privacy import PRIVATE_COLUMNS
from tests import independent
from tests.app_elements import APP, DEMO_DAY, charts, headlines, open_page, page_text, record_downloads

NEA = "nea-fscp-2"
YEAR = "2025-26"


@pytest.fixture
def con(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as connection:
        yield connection


def open_profile(app, school: str | None = None, **query) -> AppTest:
    if school is not None:
        query["school"] = school
    return open_page(app, "pages/school.py", query=query)


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


# ---- independent SQL -----------------------------------------------------------------------------

HIDDEN_SQL = """
-- Every metric value the page must not show: those whose own n is below the threshold.
SELECT school_id, school_year, metric_id, value, n
FROM metric
WHERE school_id = $school AND n < (SELECT suppression_min_n FROM setting)
ORDER BY metric_id, school_year
"""

DISTRICT_SQL = """
-- The district figure: the published values (n at or above the threshold) weighted by their n.
SELECT school_year, metric_id, sum(value * n) / sum(n) AS value
FROM metric WHERE n >= (SELECT suppression_min_n FROM setting) GROUP BY ALL
"""

NEARBY_SQL = """
-- Partners with an active partnership at another school tagged with a strategy the school lacks.
SELECT DISTINCT pr.partner_id, pr.name, pr.latitude, pr.longitude
FROM partnership AS p
JOIN partnership_strategy AS ps USING (partnership_id)
JOIN partner AS pr USING (partner_id)
WHERE p.school_id <> $school
  AND p.status <> 'planned' AND p.start_date <= $d AND (p.end_date IS NULL OR p.end_date >= $d)
  AND list_contains($missing, ps.strategy_id)
  AND pr.latitude IS NOT NULL
"""


def hidden_cells(con, school: str) -> pd.DataFrame:
    return con.execute(HIDDEN_SQL, {"school": school}).df()


def uncovered(con, school: str, on_date: date, framework: str = NEA) -> list[str]:
    cells = independent.covered_cells(con, framework, on_date)
    mine = cells[(cells["school_id"] == school) & ~cells["is_covered"]]
    return [f"{framework}:{n}" for n in mine["strategy_number"]]


def miles(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance (haversine, Earth radius 3958.8 miles)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 3958.8 * math.asin(math.sqrt(a))


def series(figure: dict, school_name: str, metric_label: str) -> dict[str, float]:
    """The school's plotted values of one metric: school year -> value (NaN where absent)."""
    (trace,) = [
        t for t in figure["data"] if t["name"] == school_name and t["hovertemplate"].startswith(f"{metric_label} ·")
    ]
    y = trace["y"]
    if isinstance(y, dict):
        y = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
    return {x: (float("nan") if v is None else v) for x, v in zip(trace["x"], y, strict=True)}


# ---- the deep link and the facts -------------------------------------------------------------


def test_deep_link_shows_the_school_and_its_facts(app, con):
    at = open_profile(app, "RB-E25")
    assert at.title[0].value == "Aspen Elementary School"
    assert at.selectbox(key="school_pick").value == "RB-E25"
    school = con.execute("SELECT * FROM school WHERE school_id = 'RB-E25'").df().iloc[0]
    need = independent.need_table(con, YEAR).set_index("school_id").loc["RB-E25"]
    covered = independent.covered_cells(con, NEA, DEMO_DAY)
    n_covered = int(covered[covered["school_id"] == "RB-E25"]["is_covered"].sum())
    assert tiles(at) == {
        "Enrollment": f"{school['enrollment']:,}",
        "Free/reduced lunch": f"{school['frl_pct']:.0f}%",
        "English learners": f"{school['el_pct']:.0f}%",
        "Need index (0–100)": f"{need['need_index']:.0f}",
        "Strategies covered": f"{n_covered} of 10",
    }
    assert bool(need["is_high_need"])
    captions = " ".join(c.value for c in at.caption)
    assert "Elementary · grades K-5 · South region · Title I schoolwide" in captions
    assert "Feeds into Del Rio High School." in captions
    assert headlines(at) == [
        "Aspen Elementary School is a high-need school with no active partnership: 0 of 10 strategies are covered."
    ]
    # The need index's parts, in words, the highest first.
    assert "Free or reduced-price lunch: the highest in the district." in markdown_text(at)


def test_partnerships_match_the_database(app, con):
    at = open_profile(app, "RB-E17")
    expected = con.execute(
        "SELECT pr.name, p.status FROM partnership AS p JOIN partner AS pr USING (partner_id)"
        " WHERE p.school_id = 'RB-E17'"
    ).df()
    table = at.dataframe[0].value
    assert sorted(table["Partner"]) == sorted(expected["name"])
    active = independent.active_partnerships(con, DEMO_DAY)
    n_active = int((active["school_id"] == "RB-E17").sum())
    assert (table["Status"] == "Active").sum() == n_active > 0
    assert list(table["Status"][:n_active]) == ["Active"] * n_active  # active first
    # Private columns are on screen for staff, under their own names so privacy rules find them.
    assert set(table.columns) >= PRIVATE_COLUMNS


def test_private_fields_never_downloaded_and_hidden_when_presenting(app, con, monkeypatch):
    downloads = record_downloads(monkeypatch)
    at = open_profile(app, "RB-E17", present="1")
    private_values = [
        value
        for row in con.execute(
            "SELECT pr.contact_name, pr.contact_email, pr.contact_phone, p.notes FROM partnership AS p"
            " JOIN partner AS pr USING (partner_id) WHERE p.school_id = 'RB-E17'"
        ).fetchall()
        for value in row
        if value
    ]
    assert private_values
    text = page_text(at)
    assert not [value for value in private_values if value in text]
    assert "partnerships-RB-E17" in downloads
    for data in downloads.values():
        csv = data.decode("utf-8-sig")
        assert not [value for value in private_values if value in csv]
        assert not PRIVATE_COLUMNS & set(pd.read_csv(io.StringIO(csv)).columns)


def test_gaps_are_every_uncovered_strategy_highest_priority_first(app, con):
    at = open_profile(app, "RB-M06")
    missing = uncovered(con, "RB-M06", DEMO_DAY)
    assert missing
    items = [line for line in markdown_text(at).splitlines() if line[:1].isdigit() and ". **" in line]
    assert len(items) == len(missing)
    numbers = [int(item.split("**")[1].split(" ·")[0]) for item in items]
    # Every strategy weighs 1 in the demo: equal priorities, listed by strategy number.
    assert numbers == sorted(int(s.split(":")[1]) for s in missing)
    assert "Every gap here has priority" in " ".join(c.value for c in at.caption)


def test_nearby_partners_match_an_independent_haversine(app, con):
    at = open_profile(app, "RB-E25")
    school = con.execute("SELECT latitude, longitude FROM school WHERE school_id = 'RB-E25'").fetchone()
    radius = con.execute("SELECT travel_radius_miles FROM setting").fetchone()[0]
    candidates = con.execute(
        NEARBY_SQL, {"school": "RB-E25", "d": DEMO_DAY, "missing": uncovered(con, "RB-E25", DEMO_DAY)}
    ).df()
    candidates["miles"] = [
        miles(*school, lat, lon) for lat, lon in zip(candidates.latitude, candidates.longitude, strict=True)
    ]
    expected = candidates[candidates["miles"] <= radius].sort_values(["miles", "name"])
    (table,) = [d.value for d in at.dataframe if "Miles away" in d.value.columns]
    assert list(table["Partner"]) == list(expected["name"])
    assert list(table["Miles away"]) == pytest.approx(list(expected["miles"].round(1)))
    assert (table["Miles away"] <= radius).all() and len(table) > 5


# ---- small-n suppression -----------------------------------------------------------------------


@pytest.mark.parametrize("school", ["RB-E25", "RB-O03", "RB-O01"])
def test_suppressed_values_appear_nowhere(app, con, monkeypatch, school):
    downloads = record_downloads(monkeypatch)
    at = open_profile(app, school)
    hidden = hidden_cells(con, school)
    assert len(hidden) > 0
    name = at.title[0].value
    labels = dict(con.execute("SELECT metric_id, label_en FROM metric_definition").fetchall())
    (figure,) = charts(at)
    table = at.dataframe[-1].value  # the values-as-a-table, last on the page
    csv = pd.read_csv(io.StringIO(downloads[f"outcomes-{school}"].decode("utf-8-sig")))
    for cell in hidden.itertuples():
        label = labels[cell.metric_id]
        # Not plotted (so not hovered either) ...
        assert math.isnan(series(figure, name, label)[cell.school_year]), cell
        # ... not in the table, and not downloaded; the reason is given in words.
        for frame in (table, csv):
            row = frame[(frame["Measure"] == label) & (frame["School year"] == cell.school_year)]
            assert len(row) == 1 and pd.isna(row["This school"].iloc[0]), cell
            assert row["Note"].iloc[0] == "Suppressed: too few students"
    # Values that are shown match the database, rounded to the measure's precision.
    values = con.execute("SELECT metric_id, school_year, value FROM metric WHERE school_id = $s", {"s": school}).df()
    shown = table.dropna(subset=["This school"])
    assert len(shown) == len(values) - len(hidden)
    by_cell = {(labels[m], y): v for m, y, v in values.itertuples(index=False)}
    for row in shown.itertuples(index=False):
        places = 2 if row[0] == "Family survey score" else 1  # a 1–5 score has two decimals, as on Outcomes
        assert row[2] == pytest.approx(round(by_cell[(row[0], row[1])], places))
    note = " ".join(c.value for c in at.caption)
    assert "Not shown, to protect students' privacy (fewer than 10 students)" in note
    # A panel with none of the school's values says so in words.
    empty_panels = {
        label for label in table["Measure"].unique() if table.loc[table["Measure"] == label, "This school"].isna().all()
    }
    notes = [a["text"] for a in figure["layout"]["annotations"] if "not shown (privacy)" in a["text"]]
    assert len(notes) == len(empty_panels)


def test_district_figures_match_independent_sql(app, con):
    at = open_profile(app, "RB-H02")
    district = con.execute(DISTRICT_SQL).df()
    labels = dict(con.execute("SELECT metric_id, label_en FROM metric_definition").fetchall())
    expected = {(labels[m], y): v for y, m, v in district.itertuples(index=False)}
    table = at.dataframe[-1].value
    for row in table.itertuples(index=False):
        places = 2 if row[0] == "Family survey score" else 1  # a 1–5 score has two decimals, as on Outcomes
        assert row[3] == pytest.approx(round(expected[(row[0], row[1])], places)), row


def test_a_need_part_resting_on_a_small_n_is_not_shown(app):
    # RB-O03's 2025-26 proficiency rests on 7 students: left out of its need index, and the profile says why.
    at = open_profile(app, "RB-O03")
    text = markdown_text(at)
    assert "Students not yet proficient (ELA and math): too few students to report, so left out of the index." in text
    assert "Students not yet proficient (ELA and math): higher than" not in text
    assert "Students not yet proficient (ELA and math): the highest" not in text


# ---- other filters ----------------------------------------------------------------------------


def test_a_past_date_and_year(app, con):
    at = open_profile(app, "RB-E04", date="2022-01-15", year="2021-22")
    covered = independent.covered_cells(con, NEA, date(2022, 1, 15))
    n_covered = int(covered[covered["school_id"] == "RB-E04"]["is_covered"].sum())
    assert tiles(at)["Strategies covered"] == f"{n_covered} of 10"
    need = independent.need_table(con, "2021-22").set_index("school_id").loc["RB-E04", "need_index"]
    assert tiles(at)["Need index (0–100)"] == f"{need:.0f}"
    # Outcomes run up to the chosen year: one school year only.
    assert set(at.dataframe[-1].value["School year"]) == {"2021-22"}


def test_another_framework(app, con):
    at = open_profile(app, "RB-E04", framework="epstein-six")
    covered = independent.covered_cells(con, "epstein-six", DEMO_DAY)
    n_covered = int(covered[covered["school_id"] == "RB-E04"]["is_covered"].sum())
    assert tiles(at)["Strategies covered"] == f"{n_covered} of 6"


# ---- choosing a school -------------------------------------------------------------------------


def test_an_unknown_school_id_gives_a_message(app):
    at = open_profile(app, "NOPE-1")
    # The note names the link's key, not its value: a link's text is not the app's to show.
    assert [w.value for w in at.warning] == ["The link's value for “school” was not recognised and was ignored."]
    assert "NOPE-1" not in "".join(m.value for m in at.markdown)
    assert at.selectbox(key="school_pick").value is None
    assert at.title[0].value == "School profile"
    assert at.get("plotly_chart") == []


def test_no_school_chosen_asks_for_one(app):
    at = open_profile(app)
    assert at.warning == []
    assert "Choose a school above" in at.info[0].value


def test_picking_a_school_updates_the_link(app):
    at = open_profile(app, "RB-E25", level="middle")
    at.selectbox(key="school_pick").set_value("RB-H01").run()
    assert not at.exception
    assert at.title[0].value == at.selectbox(key="school_pick").format_func("RB-H01")
    assert at.query_params["school"] == "RB-H01" and at.query_params["level"] == "middle"
    assert "elementary and" in " ".join(c.value for c in at.caption)  # a high school's feeder pattern


def test_spanish(app):
    at = open_profile(app, "RB-E25", lang="es")
    assert tiles(at)["Estrategias cubiertas"] == "0 de 10"
    assert "es una escuela de alta necesidad" in headlines(at)[0]
    (figure,) = charts(at)
    assert figure["layout"]["title"]["text"] == "Resultados de esta escuela por ciclo escolar, frente al distrito"


def test_gap_ranks_are_within_the_schools_own_district(tmp_path):
    """In a database of several districts a school's gaps are ranked among its district's gaps."""
    from atlas import synth
    from atlas.database import sql

    db = tmp_path / "three-districts.duckdb"
    synth.synthesize(db, 90, seed=5, n_districts=3)
    with duckdb.connect(str(db), read_only=True) as con:
        year = con.execute("SELECT max(school_year) FROM metric").fetchone()[0]
        schools = con.execute("SELECT school_id, district_id FROM school").df()
        assert schools["district_id"].nunique() == 3
        cells = independent.covered_cells(con, NEA, DEMO_DAY)
        weights = con.execute(
            "SELECT number AS strategy_number, priority_weight FROM strategy WHERE framework_id = $f", {"f": NEA}
        ).df()
        gaps = (
            cells[~cells["is_covered"]]
            .merge(independent.need_table(con, year), on="school_id")
            .merge(weights, on="strategy_number")
            .merge(schools, on="school_id")
        )
        gaps["priority"] = gaps["need_index"].fillna(0) * gaps["priority_weight"]
        school_id = gaps.sort_values("school_id")["school_id"].iloc[0]
        district = gaps[gaps["district_id"] == schools.set_index("school_id").loc[school_id, "district_id"]]
        district = district.sort_values(["priority", "school_id", "strategy_number"], ascending=[False, True, True])
        district["rank"] = range(1, len(district) + 1)
        expected = district[district["school_id"] == school_id]
        result = sql.execute(
            con, "school_gaps", school_id=school_id, framework_id=NEA, on_date=DEMO_DAY, school_year=year, lang="en"
        )
    assert len(district) < len(gaps)  # the other districts' gaps are left out
    assert result["n_district_gaps"].tolist() == [len(district)] * len(expected)
    assert sorted(result["priority_rank"]) == sorted(expected["rank"])
    assert sorted(result["strategy_number"]) == sorted(expected["strategy_number"])


def test_the_picker_searches_when_there_are_too_many_schools_to_list(tmp_path, monkeypatch):
    """Above PICKER_ROWS schools the picker lists the first by name and a search box finds the rest;
    a deep link to a school beyond the list still opens it."""
    from atlas import synth
    from atlas.domain.query.school import PICKER_ROWS

    db = tmp_path / "many-schools.duckdb"
    synth.synthesize(db, PICKER_ROWS + 200, seed=9, n_districts=2)
    monkeypatch.setenv("ATLAS_DB", str(db))
    with duckdb.connect(str(db), read_only=True) as con:
        schools = con.execute("SELECT school_id, name FROM school ORDER BY name, school_id").df()
    at = open_profile(AppTest.from_file(APP, default_timeout=60))
    picker = at.selectbox(key="school_pick")
    assert list(picker.options) == schools["name"].head(PICKER_ROWS).tolist()
    assert f"1,000 of {len(schools):,} schools are listed" in page_text(at)

    last = schools.iloc[-1]
    word = last["name"].split()[0]
    matching = schools[schools["name"].str.lower().str.contains(word.lower(), regex=False)]
    at.text_input(key="school_search").input(word).run()
    assert list(at.selectbox(key="school_pick").options) == matching["name"].head(PICKER_ROWS).tolist()
    at.selectbox(key="school_pick").set_value(last["school_id"]).run()
    assert not at.exception
    assert at.title[0].value == last["name"]
    assert at.query_params["school"] == last["school_id"]

    deep = open_profile(AppTest.from_file(APP, default_timeout=60), school=last["school_id"])
    assert deep.title[0].value == last["name"]

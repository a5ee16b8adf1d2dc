"""The Outcomes page, run with AppTest on the demo district: group figures checked against
independent n-weighted means, and small-n suppression checked cell by cell in every element a
user could see or download (charts, hovers, tables, CSV) on the demo's small cells: the
independent-study school RB-O03 (tests, graduation, survey) and the 2021-22 family survey."""

from __future__ import annotations

import io
import json
import math
import re
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.domain import outcomes
from tests import independent
from tests.app_elements import APP, chart_titled, open_page, page_text, record_downloads, values

PAGE = "pages/outcomes.py"
NEA = "nea-fscp-2"
MIN_N = 10
LABELS = {
    "family_survey_score": "Family survey score",
    "ela_proficiency_pct": "ELA proficiency",
    "graduation_rate_pct": "Graduation rate",
}


@pytest.fixture
def downloads(monkeypatch):
    return record_downloads(monkeypatch)


def open_outcomes(at, metric=None, group=None, **filters):
    """Open the page with the shared filters set, then pick its metric and grouping."""
    open_page(at, PAGE, **filters)
    if metric:
        at.selectbox(key="outcome_metric").set_value(metric).run()
    if group:
        at.radio(key="outcome_group").set_value(group).run()
    assert not at.exception
    return at


def raw_values(demo_db, metric: str, levels=(), regions=(), need_tier="all") -> pd.DataFrame:
    """The metric's raw values for the schools in scope, with level, region and need tier."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        year = con.execute("SELECT max(school_year) FROM metric").fetchone()[0]
        values_ = con.execute(
            """SELECT m.school_id, s.name, s.level, s.region, m.school_year, m.value, m.n
               FROM metric m JOIN school s USING (school_id) WHERE m.metric_id = $m""",
            {"m": metric},
        ).df()
        need = independent.need_table(con, year)
    values_ = values_.merge(need, on="school_id")
    values_["need_tier"] = values_["is_high_need"].map({True: "high", False: "other"})
    if levels:
        values_ = values_[values_["level"].isin(levels)]
    if regions:
        values_ = values_[values_["region"].isin(regions)]
    if need_tier != "all":
        values_ = values_[values_["need_tier"] == need_tier]
    return values_.reset_index(drop=True)


def weighted_means(frame: pd.DataFrame, by: list[str], places: int = 1) -> pd.DataFrame:
    """The n-weighted mean of each group's published values (n >= MIN_N), rounded as the page shows it."""
    published = frame[frame["n"] >= MIN_N]
    grouped = published.assign(weighted=published["value"] * published["n"]).groupby(by)
    totals = grouped.agg(weighted=("weighted", "sum"), n=("n", "sum")).reset_index()
    totals["mean"] = np.round(totals["weighted"] / totals["n"], places)
    return totals


def lines(figure: dict) -> dict[str, dict[str, float]]:
    """Each line trace of a trend chart: name → {school year: value} (NaN where hidden)."""
    return {
        trace["name"]: dict(zip(values(trace["x"]), values(trace["y"]), strict=True))
        for trace in figure["data"]
        if trace.get("mode") == "lines+markers"
    }


def close(a: float, b: float) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return abs(a - b) < 1e-9


def school_table(at, metric_label: str) -> pd.DataFrame:
    table = next(d.value for d in at.dataframe if "Hidden for privacy" in d.value.columns)
    return table.rename(columns={metric_label: "value", "School ID": "school_id", "School year": "school_year"})


def check_hidden_cells(at, downloads, raw: pd.DataFrame, metric_label: str, metric_title: str) -> pd.DataFrame:
    """Every value with n < MIN_N is absent from the heatmap (value, text and hover), the table
    and the CSV; returns the page's table with its hidden flags."""
    small = raw[raw["n"] < MIN_N]
    assert len(small) > 0
    table = school_table(at, metric_label)
    shown = table.set_index(["school_id", "school_year"])
    exported = pd.read_csv(io.BytesIO(downloads[f"{metric_title}-schools"]), encoding="utf-8-sig")
    exported = exported.rename(columns={metric_label: "value", "School ID": "school_id", "School year": "school_year"})
    exported = exported.set_index(["school_id", "school_year"])
    heatmap = chart_titled(at, f"{metric_label} by school and year")
    cells, hidden_layer = heatmap["data"][0], heatmap["data"][1]
    rows, years = values(cells["y"]), values(cells["x"])
    z = values(cells["z"])  # a hidden cell has no number: NaN (null in the chart)
    for cell in small.itertuples():
        key = (cell.school_id, cell.school_year)
        assert pd.isna(shown.loc[key, "value"]) and shown.loc[key, "Hidden for privacy"] == "Yes"
        assert pd.isna(exported.loc[key, "value"]) and exported.loc[key, "Hidden for privacy"] == "Yes"
        i, j = rows.index(cell.school_id), years.index(cell.school_year)
        assert pd.isna(z[i][j]) and cells["text"][i][j] == ""
        assert hidden_layer["text"][i][j] == "hidden"
        assert cells["customdata"][i][j] == f"<b>{cell.name}</b> · {cell.school_year}<br>Hidden: fewer than 10 students"
    # Every cell the page hides shows no value in the heatmap; every other cell shows its value.
    for school_id, year, flag in zip(
        table["school_id"], table["school_year"], table["Hidden for privacy"], strict=True
    ):
        i, j = rows.index(school_id), years.index(year)
        assert pd.isna(z[i][j]) == (flag == "Yes")
    return table


def numbers_in(text: str) -> set[float]:
    return {float(token) for token in re.findall(r"\d+(?:\.\d+)?", text)}


def check_not_anywhere(at, raw: pd.DataFrame, table: pd.DataFrame) -> set[float]:
    """No hidden value appears anywhere on the page — chart data or text, hovers, tables, labels —
    unless a match would be a coincidence: values equal to a shown school value of the metric,
    to a group figure as the page rounds it (a line's hover says 44.5% for a level whose mean is
    44.4987…), or a whole number are not distinctive and are left to the cell-by-cell checks.
    Returns the distinctive values checked."""
    hidden = table[table["Hidden for privacy"] == "Yes"][["school_id", "school_year"]]
    hidden_raw = raw.merge(hidden, on=["school_id", "school_year"])
    shown_raw = raw.merge(hidden, on=["school_id", "school_year"], how="left", indicator=True)
    coincidences = set(shown_raw.loc[shown_raw["_merge"] == "left_only", "value"].round(6))
    for chart in charts_with_lines(at):
        for trace in chart["data"]:
            group_figures = [v for v in values(trace["y"]) if v is not None and v == v]
            coincidences |= {round(v, places) for v in group_figures for places in (1, 2)}
    distinctive = {v for v in hidden_raw["value"].round(6) if v not in coincidences and v != int(v)}
    numbers = numbers_in(page_text(at))
    for chart in at.get("plotly_chart"):  # typed arrays hold numbers the text does not show
        for trace in json.loads(chart.proto.spec)["data"]:
            for column in ("x", "y", "z", "customdata"):
                if isinstance(trace.get(column), dict):
                    numbers |= {v for v in np.ravel(values(trace[column])).tolist() if v == v}  # 2-D too
    for frame in at.dataframe:
        for column in frame.value.select_dtypes("number"):
            numbers |= set(frame.value[column].dropna())
    assert not distinctive & {round(n, 6) for n in numbers}
    return distinctive


def charts_with_lines(at) -> list[dict]:
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return [f for f in figures if any(t.get("mode") == "lines+markers" for t in f["data"])]


def test_default_group_figures_match_independent_weighted_means(app, demo_db):
    at = open_outcomes(app)
    assert at.selectbox(key="outcome_metric").value == "chronic_absence_pct"
    raw = raw_values(demo_db, "chronic_absence_pct")
    shown = lines(chart_titled(at, "Chronic absenteeism by level"))
    expected = weighted_means(raw, ["level", "school_year"])
    labels = {"elementary": "Elementary", "middle": "Middle", "high": "High", "other": "Other"}
    for row in expected.itertuples():
        assert close(shown[labels[row.level]][row.school_year], row.mean)
    for row in weighted_means(raw, ["school_year"]).itertuples():
        assert close(shown["All schools in view"][row.school_year], row.mean)
    assert len(at.get("plotly_chart")) == 3
    assert any("not proof" in caption.value for caption in at.caption)
    # Both tables show student counts with thousands separators.
    for table in at.dataframe:
        columns = json.loads(table.proto.columns)
        assert columns["Students (n)"]["type_config"]["format"] == "localized"


@pytest.mark.parametrize("present", [False, True], ids=["desk", "presentation"])
def test_family_survey_small_cells_are_hidden_everywhere(app, demo_db, downloads, present):
    if present:
        app.query_params["present"] = "1"
    at = open_outcomes(app, metric="family_survey_score")
    raw = raw_values(demo_db, "family_survey_score")
    assert ((raw["n"] < MIN_N) & (raw["school_year"] == "2021-22")).sum() >= 20  # the first online survey
    table = check_hidden_cells(at, downloads, raw, "Family survey score", "family_survey_score")
    check_not_anywhere(at, raw, table)
    # Group figures are n-weighted means of the published values only (two decimals for a 1–5 score).
    shown = lines(chart_titled(at, "Family survey score by level"))
    for row in weighted_means(raw, ["school_year"], places=2).itertuples():
        assert close(shown["All schools in view"][row.school_year], row.mean)


@pytest.mark.parametrize("metric", ["ela_proficiency_pct", "graduation_rate_pct"])
def test_small_school_results_hidden_everywhere(app, demo_db, downloads, metric):
    """RB-O03, the independent-study school, has n < 10 in every year for tests and graduation."""
    at = open_outcomes(app, metric=metric)
    raw = raw_values(demo_db, metric)
    small = raw[raw["n"] < MIN_N]
    assert set(small["school_id"]) == {"RB-O03"} and len(small) == 5
    table = check_hidden_cells(at, downloads, raw, LABELS[metric], metric)
    checked = check_not_anywhere(at, raw, table)
    # Some of its values equal another school's (one decimal): those are covered cell by cell only.
    assert checked & set(small["value"].round(6))


@pytest.mark.parametrize("metric", ["family_survey_score", "ela_proficiency_pct", "graduation_rate_pct"])
def test_exactly_the_small_values_are_hidden_whatever_the_grouping(app, demo_db, metric):
    """A value is hidden iff its own n < 10, in every grouping (no complementary suppression: the
    group figures leave hidden values out, so they cannot give one away)."""
    at = open_outcomes(app, metric=metric)
    raw = raw_values(demo_db, metric)
    small = set(raw.loc[raw["n"] < MIN_N, ["school_id", "school_year"]].itertuples(index=False, name=None))
    for group in outcomes.GROUP_DIMENSIONS:
        at.radio(key="outcome_group").set_value(group).run()
        table = school_table(at, LABELS[metric])
        hidden = table.loc[table["Hidden for privacy"] == "Yes", ["school_id", "school_year"]]
        assert set(hidden.itertuples(index=False, name=None)) == small, group
        assert table.loc[table["Hidden for privacy"] != "Yes", "value"].notna().all()


def test_groups_by_region_for_high_need_schools(app, demo_db):
    at = open_outcomes(app, metric="attendance_rate_pct", group="region", need_tier="high")
    raw = raw_values(demo_db, "attendance_rate_pct", need_tier="high")
    shown = lines(chart_titled(at, "Attendance rate by region"))
    expected = weighted_means(raw, ["region", "school_year"])
    assert set(shown) == {*expected["region"], "All schools in view"}
    for row in expected.itertuples():
        assert close(shown[row.region][row.school_year], row.mean)


def test_groups_by_need_with_the_level_filter(app, demo_db):
    at = open_outcomes(app, metric="math_proficiency_pct", group="need_tier", levels=["middle", "high"])
    raw = raw_values(demo_db, "math_proficiency_pct", levels=["middle", "high"])
    shown = lines(chart_titled(at, "Math proficiency by need"))
    names = {"high": "High-need schools", "other": "Other schools"}
    for row in weighted_means(raw, ["need_tier", "school_year"]).itertuples():
        assert close(shown[names[row.need_tier]][row.school_year], row.mean)


def test_schools_with_and_without_the_focus_strategy(app, demo_db):
    at = open_outcomes(app, strategy_pick=6)
    raw = raw_values(demo_db, "chronic_absence_pct")
    with duckdb.connect(str(demo_db), read_only=True) as con:
        with_strategy = []
        for year in sorted(raw["school_year"].unique()):
            mid_year = date(int(year[:4]) + 1, 1, 15)
            cells = independent.covered_cells(con, NEA, mid_year)
            covered = cells[(cells["strategy_number"] == 6) & cells["is_covered"]]["school_id"]
            with_strategy += [(year, school) for school in covered]
    members = pd.DataFrame(with_strategy, columns=["school_year", "school_id"]).assign(has=True)
    raw = raw.merge(members, on=["school_year", "school_id"], how="left").fillna({"has": False})
    shown = lines(chart_titled(at, "Chronic absenteeism: schools with and without Strategy 6"))
    for row in weighted_means(raw, ["has", "school_year"]).itertuples():
        assert close(shown["With the strategy" if row.has else "Without it"][row.school_year], row.mean)
    assert "Strategy 6" in " ".join(c.value for c in at.caption)


def test_a_metric_with_no_values_in_view_shows_a_message(app):
    at = open_outcomes(app, metric="graduation_rate_pct", levels=["elementary"])
    assert "No Graduation rate values for the schools in view" in at.info[0].value
    assert len(at.get("plotly_chart")) == 0


def test_no_school_matches_shows_a_message(tiny_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(tiny_db))
    at = open_outcomes(AppTest.from_file(APP, default_timeout=60), levels=["other"], need_tier="high")
    assert "values for the schools in view" in at.info[0].value

"""The attacker (tests/suppression_attack.py) against the demo district: over every level × region ×
need-tier filter choice, every grouping and strategy of the Outcomes page, its CSVs and every School
profile, no value hidden for a small n can be worked out by differencing — while the same attacker
does recover hidden values from figures that include them (the old rule: 23 of the 43 from these
views, RB-O03's graduation rates among them). Nor does any need figure (index, part percentiles,
high-need flag) move when the hidden values change: the need ranks published values only.

The numbers come from the app's functions that build what is shown; test_the_frames_are_what_the_page_shows
checks a sample against the page run in AppTest (charts, hovers, tables)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.database import sql
from atlas.domain import outcomes
from atlas.domain.suppression import published_mean
from atlas.present import outcome_tables
from atlas.present.i18n import translate
from tests import suppression_attack as attacker
from tests.app_elements import chart_titled, values

APP = str(Path(__file__).resolve().parent.parent / "app.py")
METRICS = ["ela_proficiency_pct", "math_proficiency_pct", "family_survey_score", "graduation_rate_pct"]
MIN_N = 10


def single_choices(regions, school_year):
    """Each level, region and need tier on its own or all of them (5 × 4 × 3 views in the demo)."""
    return [v for v in attacker.filter_views(regions, school_year) if len(v.levels) <= 1 and len(v.regions) <= 1]


# One test a metric (the attacker's figures of one metric never meet another's): as one test it was
# 24 s of CPU that one pytest worker ran alone; the four share the two workers.
@pytest.mark.parametrize("metric_id", METRICS)
def test_no_hidden_value_can_be_worked_out(demo_db, metric_id):
    found = attacker.collect(demo_db, [metric_id], single_choices)[metric_id]
    with duckdb.connect(str(demo_db), read_only=True) as con:
        small = con.execute("SELECT metric_id, count(*) FROM metric WHERE n < 10 GROUP BY ALL").fetchall()
    assert sum(count for metric, count in small if metric in METRICS) == 43  # every small cell of the demo
    # A value hidden in one view is hidden in every view and page; the hidden ones are the small ones.
    assert found.inconsistent == set()
    hidden = {key for key, (value, _) in found.cells.items() if value != value}
    assert hidden == {key for key, (_, n) in found.cells.items() if n < MIN_N}
    assert len(found.figures) > 100
    result = attacker.solve(found, attacker.true_values(demo_db, metric_id))
    # Every figure's n and number of schools are exactly those of its published values ...
    assert result.unexplained == 0
    # ... so no system of them determines any hidden value.
    assert (result.hidden, result.determined, result.recovered) == (len(hidden), [], {}), metric_id


def leaky_frames(values, min_n, numbers):
    """Figures as the old rule made them: hidden values included (complementary suppression aside)."""
    protected = outcomes.protect(values, min_n)
    everything = protected.assign(value=values["value"].astype(float), is_suppressed=False)
    frames = [(published_mean(everything, min_n, groups=["school_year"], count_as="n_schools"), None)]
    for dimension in outcomes.GROUP_DIMENSIONS:
        groups = ["school_year", dimension]
        frames.append((published_mean(everything, min_n, groups=groups, count_as="n_schools"), dimension))
    return protected, frames


def test_the_attacker_recovers_values_from_figures_that_include_them(demo_db):
    def few_views(regions, school_year):
        return [v for v in single_choices(regions, school_year) if not v.regions and v.need_tier == "all"]

    results = attacker.attack(demo_db, ["graduation_rate_pct"], few_views, frames_of=leaky_frames)
    result = results["graduation_rate_pct"]
    # RB-O03 (n 6–8) is the only "other" school with a graduation rate: its level's figure is its value.
    years = ("2021-22", "2022-23", "2023-24", "2024-25", "2025-26")
    assert sorted(result.recovered) == [("RB-O03", year) for year in years]
    assert result.recovered[("RB-O03", "2025-26")][0] == pytest.approx(result.recovered[("RB-O03", "2025-26")][1])


def test_the_frames_are_what_the_page_shows(demo_db, monkeypatch):
    """A sample: graduation by region for high schools; the page's lines, hovers and group table are
    the frames the attacker reads (rounded to one decimal as shown)."""
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.multiselect(key="levels").set_value(["high"]).run()
    at.switch_page("pages/outcomes.py").run()
    at.selectbox(key="outcome_metric").set_value("graduation_rate_pct").run()
    at.radio(key="outcome_group").set_value("region").run()
    assert not at.exception
    filters = attacker.Filters("nea-fscp-2", attacker.date(2026, 1, 15), "2025-26", levels=("high",))
    numbers = list(range(1, 11))
    raw = attacker.metric_values("graduation_rate_pct", filters)
    protected, frames = attacker.page_frames(outcomes.prepare(raw, numbers), MIN_N, numbers)
    by_region = next(totals for totals, column in frames if column == "region")
    chart = chart_titled(at, "Graduation rate by region")
    words = re.escape(translate("outcomes.hover_n", "en", schools="SCHOOLS", n="STUDENTS"))
    hover = re.compile(words.replace("SCHOOLS", r"(\d+)").replace("STUDENTS", r"([\d,]+)"))
    checked = 0
    for trace in chart["data"]:
        if trace["name"] == "All schools in view":
            continue
        rows = by_region[by_region["region"] == trace["name"]]
        assert values(trace["y"]) == pytest.approx(rows["value"].round(1).tolist(), nan_ok=True)
        for text, row in zip(values(trace["customdata"]), rows.itertuples(), strict=True):
            if row.is_suppressed:
                assert text == ""
                continue
            schools, n = hover.search(text).groups()
            assert (int(schools), int(n.replace(",", ""))) == (row.n_schools, row.n)
            checked += 1
    assert checked >= 10
    overall = next(totals for totals, column in frames if column is None)
    metric = pd.Series({"label": "Graduation rate", "unit": "pct"})
    expected = outcome_tables.groups_table(overall, by_region, "region", metric, "en")
    page_table = next(d.value for d in at.dataframe if "Group" in d.value.columns)
    pd.testing.assert_frame_equal(page_table.reset_index(drop=True), expected, check_dtype=False)
    heatmap = chart_titled(at, "Graduation rate by school and year")
    z = np.array(values(heatmap["data"][0]["z"]), dtype=float)
    assert np.isnan(z).sum() == int(protected["is_suppressed"].sum())
    assert json.dumps(chart).count("Mean of the") >= checked


@pytest.mark.parametrize("hidden_value", ["0", "100", "100 - value"])
def test_no_need_figure_moves_with_a_hidden_value(demo_db, tmp_path, hidden_value):
    """The need index and its parts' percentiles are shown (School profile, map, need tiers, packet):
    with every hidden value changed — to either end of the scale or mirrored — every school's need,
    each part's percentile and the high-need flags stay exactly the same, in every school year."""
    need_sql = "SELECT * FROM stored_school_need ORDER BY school_year NULLS LAST, school_id"
    changed_db = shutil.copy(demo_db, tmp_path / "changed.duckdb")
    with duckdb.connect(str(changed_db)) as con:
        as_given = con.execute(need_sql).fetchall()
        hidden = con.execute(
            f"UPDATE metric SET value = {hidden_value} WHERE n < (SELECT suppression_min_n FROM setting)"
        ).fetchone()[0]
        sql.install_macros(con)  # refreshes the stored need, as every write does
        changed = con.execute(need_sql).fetchall()
    assert hidden == 43
    assert len(as_given) == 61 * 6  # five school years with metrics and one without
    assert changed == as_given


NOT_REPORTED_METRICS = ["graduation_rate_pct", "family_survey_score"]


@pytest.fixture
def null_n_db(demo_db, tmp_path):
    """The demo with every third school's n not reported (NULL: figures already public) for two
    metrics — each of those schools' values with n >= 10; the small ones stay small, so hidden."""
    changed = shutil.copy(demo_db, tmp_path / "null-n.duckdb")
    with duckdb.connect(str(changed)) as con:
        con.execute(
            """UPDATE metric SET n = NULL
               WHERE metric_id IN ('graduation_rate_pct', 'family_survey_score') AND n >= 10
                 AND school_id IN (SELECT school_id FROM (SELECT school_id, row_number() OVER (ORDER BY school_id) AS k
                                                        FROM school) WHERE k % 3 = 0)"""
        )
        sql.install_macros(con)  # refreshes the stored need, as every write does
    return changed


def level_views(regions, school_year):
    """Each level on its own, and all of them (no region or need choice): 5 views."""
    return [v for v in single_choices(regions, school_year) if not v.regions and v.need_tier == "all"]


def some_profiles(school_ids):
    """Every fifth school's profile and RB-O03's (the district figure beside a school is the same on
    every profile of the district; the cells a profile shows are on the Outcomes page too)."""
    return sorted(set(school_ids[::5]) | {"RB-O03"})


def test_values_with_n_not_reported_reveal_no_hidden_value(null_n_db):
    """Schools whose n is not reported are published (never hidden) beside schools whose small values
    are hidden; the figures over them are simple means of the published values — the attacker, who
    knows which figures are simple means, still works out none of the hidden values."""
    with duckdb.connect(str(null_n_db), read_only=True) as con:
        unreported, small = con.execute(
            "SELECT count(*) FILTER (WHERE n IS NULL), count(*) FILTER (WHERE n < 10) FROM metric"
            " WHERE metric_id IN ('graduation_rate_pct', 'family_survey_score')"
        ).fetchone()
    assert unreported > 50 and small > 10
    published = attacker.collect(null_n_db, NOT_REPORTED_METRICS, level_views, profiles=some_profiles)
    for metric_id in NOT_REPORTED_METRICS:
        found = published[metric_id]
        assert found.inconsistent == set()
        hidden = {key for key, (value, _) in found.cells.items() if value != value}
        assert hidden == {key for key, (_, n) in found.cells.items() if n == n and n < MIN_N}
        assert all(value == value for value, n in found.cells.values() if n != n)  # n not reported: shown
        simple = [key for key in found.figures if not key[4]]
        assert len(simple) > 20  # figures over values with no n: simple means
        result = attacker.solve(found, attacker.true_values(null_n_db, metric_id))
        assert result.unexplained == 0
        assert (result.hidden, result.determined, result.recovered) == (len(hidden), [], {}), metric_id


def test_the_attacker_solves_simple_means_that_include_hidden_values(null_n_db):
    """The same attacker against figures that let hidden values into the simple means: it recovers
    them (so the test above would see a leak through a simple mean)."""
    results = attacker.attack(
        null_n_db, ["graduation_rate_pct"], level_views, frames_of=leaky_frames, profiles=some_profiles
    )
    years = ("2021-22", "2022-23", "2023-24", "2024-25", "2025-26")
    assert sorted(results["graduation_rate_pct"].recovered) == [("RB-O03", year) for year in years]

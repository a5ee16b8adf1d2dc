"""The Partners builders and queries on the hand-made tiny district (tests/tiny_district.py)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from atlas import partner_figures as pf
from atlas import sql
from atlas.privacy import PRIVATE_COLUMNS
from atlas.ui import csv_bytes
from tests.tiny_district import ON_DATE, YEAR

ALL = {
    "framework_id": "fw",
    "on_date": ON_DATE,
    "school_year": YEAR,
    "levels": [],
    "regions": [],
    "need_tier": "all",
    "strategy_number": None,
}


@pytest.fixture
def directory(tiny_con):
    return sql.execute(tiny_con, "partners_directory", **ALL, lang="en")


def test_directory_by_hand(directory):
    rows = directory.set_index("partner_id")
    # A: P1 (E1, 30 students) and P6 (E2, 50; status 'ended' but it ends after the date) are active,
    # P2 ended before the date. B: P4 active (ends on the date), P3 planned, P5 not started yet.
    assert rows.loc["A", ["n_active", "n_schools_served", "students_served", "n_ended", "n_planned"]].tolist() == [
        2,
        2,
        80,
        1,
        0,
    ]
    assert rows.loc["B", ["n_active", "n_schools_served", "students_served", "n_ended", "n_planned"]].tolist() == [
        1,
        1,
        500,
        0,
        1,
    ]
    assert list(rows.loc["A", "strategy_numbers"]) == [1, 2]
    assert list(rows.loc["C", "strategy_numbers"]) == [2]
    assert rows["first_year"].tolist() == [2020, 2023, 2024]
    assert rows["years_active"].tolist() == [5.0, 2.0, 1.0]
    table = pf.directory_table(directory, "en").set_index("Partner ID")
    assert table["MOU"].tolist() == ["Signed (2 of 2)", "Signed (1 of 1)", "Not signed (0 of 1)"]


def test_filters_and_focus_strategy(tiny_con):
    elementary = sql.execute(tiny_con, "partners_directory", **{**ALL, "levels": ["elementary"]}, lang="en")
    assert elementary["partner_id"].tolist() == ["A"]  # only Alpha works with E1 and E2
    focus = sql.execute(tiny_con, "partners_directory", **{**ALL, "strategy_number": 1}, lang="es")
    assert focus["partner_id"].tolist() == ["A", "B"]
    assert focus["partner_type"].tolist() == ["Hospital / salud", "Empresa"]


def test_contacts_stay_out_of_the_csv(directory):
    table = pf.directory_table(directory, "en")
    assert {"contact_name", "contact_email", "contact_phone"} <= set(table.columns)
    exported = csv_bytes(table).decode("utf-8-sig")
    assert "ann@example.org" not in exported and "Ann Private" not in exported
    assert not any(column in exported for column in PRIVATE_COLUMNS)


def test_counts_by_type_include_empty_types(directory, tiny_con):
    types = sql.execute(tiny_con, "partners_types", lang="en")
    extra = pd.concat([types, pd.DataFrame({"partner_type_id": ["union"], "partner_type": ["Labor union"]})])
    counts = pf.type_counts(directory, extra).set_index("partner_type_id")
    assert counts.loc["business", ["n_active", "n_inactive"]].tolist() == [2, 0]
    assert counts.loc["union", "n_partners"] == 0
    strategies = sql.execute(tiny_con, "strategies", framework_id="fw", lang="en")
    assert pf.strategy_counts(directory, strategies)["n_partners"].tolist() == [2, 3]


def test_search():
    frame = pd.DataFrame(
        {"name": ["Alpha Clinic", "Beta Bank"], "partner_type": ["Health", "Business"], "languages": ["Hmong", None]}
    )
    assert pf.search(frame, "hmong")["name"].tolist() == ["Alpha Clinic"]
    assert pf.search(frame, " BANK ")["name"].tolist() == ["Beta Bank"]
    assert len(pf.search(frame, "")) == 2


def test_partner_map_is_offline_and_says_what_it_shows(tiny_con):
    partner = sql.execute(tiny_con, "partners_partner", partner_id="B", lang="en").iloc[0]
    rows = sql.execute(tiny_con, "partners_partnerships", partner_id="B", framework_id="fw", on_date=ON_DATE)
    schools = sql.execute(tiny_con, "partners_school_points")
    boundary = pd.DataFrame(
        {
            "geojson": [
                '{"type": "Polygon", "coordinates": [[[-119.8, 36.6], [-119.6, 36.6], [-119.7, 36.8], [-119.8, 36.6]]]}'
            ]
        }
    )
    figure = pf.partner_map(partner, rows, schools, ON_DATE, "en", boundary=boundary)
    assert "http" not in json.dumps(figure.to_plotly_json()["layout"])
    assert {trace.type for trace in figure.data} == {"scattermap"}
    names = [trace.name for trace in figure.data if trace.name]
    assert names == ["Other schools", "School: active", "School: planned", "School: not started yet", "The partner"]
    assert figure.layout.map.layers[0].type == "line"
    table = pf.partnerships_table(rows, ON_DATE, "en")
    assert sorted(table["Status"]) == ["active", "not started yet", "planned"]
    assert "notes" in table.columns  # private: dropped by show_table in presentation and by every CSV
    assert "private note" not in csv_bytes(table).decode("utf-8-sig")


def test_wrap_label():
    assert (
        pf.wrap_label("7 · One-to-one family–educator relationships")
        == "7 · One-to-one<br>family–educator relationships"
    )
    assert pf.wrap_label("2 · Listening") == "2 · Listening"


@pytest.mark.parametrize("presenting", [False, True], ids=["desk", "presenting"])
def test_a_state_sized_directory_keeps_its_count_labels_inside_the_figure(directory, tiny_con, presenting):
    """Thousands of partners make long labels ("2,182 (1,007 not active)", "1,917"): the right
    margins grow to hold them (they were clipped at the figure's edge on a state's directory)."""
    from atlas.figures import font_size

    # 700 copies of the tiny directory (partners counted once each), every other one idle.
    idle = directory.assign(n_active=0, strategy_numbers=[[] for _ in range(len(directory))])
    copies = [(idle if k % 2 else directory).assign(partner_id=directory["partner_id"] + f"-{k}") for k in range(700)]
    big = pd.concat(copies, ignore_index=True)
    size = font_size(presenting)
    types = sql.execute(tiny_con, "partners_types", lang="en")
    by_type = pf.partners_by_type_chart(big, types, "en", presenting)
    longest = max(by_type.data[-1].text, key=len)
    assert "not active)" in longest and longest.startswith("1,")  # e.g. "1,400 (700 not active)"
    assert by_type.layout.margin.r >= len(longest) * size * 0.5
    strategies = sql.execute(tiny_con, "strategies", framework_id="fw", lang="en")
    by_strategy = pf.partners_by_strategy_chart(big, strategies, "en", presenting)
    widest = max(by_strategy.data[0].text, key=len)
    assert len(widest) == 5  # e.g. "1,050"
    assert by_strategy.layout.margin.r >= len(widest) * size * 0.5

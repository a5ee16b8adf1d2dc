"""The Partners builders and queries on the hand-made tiny district (tests/tiny_district.py)."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest

from atlas.database import sql
from atlas.domain import partner_directory
from atlas.domain.privacy import PRIVATE_COLUMNS
from atlas.present import partner_charts, partner_figures, partner_sentences, partner_tables
from atlas.present.csv_export import csv_bytes
from tests.tiny_district import ON_DATE, YEAR

ALL = {
    "framework_id": "fw",
    "on_date": ON_DATE,
    "school_year": YEAR,
    "levels": [],
    "regions": [],
    "need_tier": "all",
    "strategy_number": None,
    "search": None,  # nothing typed in the directory's search box
    "max_rows": None,  # every partner found
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
    table = partner_tables.directory_table(directory, "en").set_index("Partner ID")
    assert table["MOU"].tolist() == ["Signed (2 of 2)", "Signed (1 of 1)", "Not signed (0 of 1)"]


def test_filters_and_focus_strategy(tiny_con):
    elementary = sql.execute(tiny_con, "partners_directory", **{**ALL, "levels": ["elementary"]}, lang="en")
    assert elementary["partner_id"].tolist() == ["A"]  # only Alpha works with E1 and E2
    focus = sql.execute(tiny_con, "partners_directory", **{**ALL, "strategy_number": 1}, lang="es")
    assert focus["partner_id"].tolist() == ["A", "B"]
    assert focus["partner_type"].tolist() == ["Hospital / salud", "Empresa"]


def test_contacts_stay_out_of_the_csv(directory):
    table = partner_tables.directory_table(directory, "en")
    assert {"contact_name", "contact_email", "contact_phone"} <= set(table.columns)
    exported = csv_bytes(table).decode("utf-8-sig")
    assert "ann@example.org" not in exported and "Ann Private" not in exported
    assert not any(column in exported for column in PRIVATE_COLUMNS)


def expected_counts(directory: pd.DataFrame) -> dict:
    """The figures the page shows, worked out from the whole directory in pandas."""
    capacity = directory["capacity_schools"].astype("Float64")
    return {
        "by_type": {
            type_id: (int((rows["n_active"] > 0).sum()), int((rows["n_active"] == 0).sum()))
            for type_id, rows in directory.groupby("partner_type_id")
        },
        "active_partnerships": int(directory["n_active"].sum()),
        "signed": int(directory["n_active_mou_signed"].sum()),
        "full": int(((directory["n_schools_served"] >= capacity) & (capacity > 0)).fillna(False).sum()),
        "by_strategy": directory["strategy_numbers"].explode().dropna().astype(int).value_counts().to_dict(),
    }


@pytest.mark.parametrize(
    "filters",
    [{}, {"levels": ["elementary"]}, {"strategy_number": 1}, {"strategy_number": 2, "regions": ["North"]}],
    ids=["all", "elementary", "focus 1", "focus 2 north"],
)
def test_counts_in_sql_match_the_directory(tiny_con, filters):
    """The counts by type and by strategy and the findings' totals (SQL) are those of the
    directory's rows, counted in pandas."""
    params = {**ALL, **filters, "lang": "en"}
    directory = sql.execute(tiny_con, "partners_directory", **params)
    expected = expected_counts(directory)
    counts = sql.execute(tiny_con, "partners_counts", **params).iloc[0]
    assert counts["n_partners"] == len(directory)
    assert counts["n_working"] == (directory["n_active"] > 0).sum()
    by_type = partner_directory.type_counts(counts)
    nonzero = by_type[by_type["n_partners"] > 0]
    pairs = zip(nonzero["n_active"], nonzero["n_inactive"], strict=True)
    assert dict(zip(nonzero["partner_type_id"], pairs, strict=True)) == expected["by_type"]
    assert counts["n_active_partnerships"] == expected["active_partnerships"]
    assert counts["n_active_mou_signed"] == expected["signed"]
    assert counts["n_full"] == expected["full"]
    by_strategy = {row["strategy_number"]: row["n_partners"] for row in counts["by_strategy"]}
    assert by_strategy == expected["by_strategy"]


def test_counts_by_type_include_empty_types(tiny_db):
    with duckdb.connect(str(tiny_db)) as con:
        con.execute("INSERT INTO partner_type VALUES ('union', 'Labor union', 'Sindicato')")
        counts = sql.execute(con, "partners_counts", **ALL, lang="en").iloc[0]
        strategies = sql.execute(con, "strategies", framework_id="fw", lang="en")
    table = partner_directory.type_counts(counts).set_index("partner_type_id")
    assert table.loc["business", ["n_active", "n_inactive"]].tolist() == [2, 0]
    assert table.loc["union", "n_partners"] == 0
    assert list(table.index) == ["business", "health", "union"]  # most partners first
    assert partner_directory.strategy_counts(counts, strategies)["n_partners"].tolist() == [2, 3]
    working = "3 of 3 partners have an active partnership with the schools in view."
    assert partner_sentences.directory_findings(counts, "en")[0] == working


def test_no_partner_no_findings(tiny_con):
    counts = sql.execute(tiny_con, "partners_counts", **{**ALL, "levels": ["other"]}, lang="en").iloc[0]
    assert counts["n_partners"] == 0
    assert partner_sentences.directory_findings(counts, "en") == []
    assert partner_directory.type_counts(counts)["n_partners"].tolist() == [0, 0]
    assert list(counts["by_strategy"]) == []


def search(con, text, lang="en") -> list[str]:
    """The names partners_directory finds for text (as the page passes it: blank is None)."""
    found = sql.execute(con, "partners_directory", **{**ALL, "search": text}, lang=lang)
    return found["name"].tolist()


def test_search_in_sql(tiny_db):
    """The search finds name, type label or languages, ignoring case, accented letters too; like
    the former pandas search (casefold of "name type languages") except that case is folded by
    DuckDB's lower(): "strasse" no longer finds "Straße"."""
    with duckdb.connect(str(tiny_db)) as con:
        con.execute("UPDATE partner SET name = 'Élan Grocer' WHERE partner_id = 'C'")
        assert search(con, None) == ["Alpha Clinic", "Beta Bank", "Élan Grocer"]
        assert search(con, "hmong") == []
        assert search(con, "spanish") == ["Alpha Clinic"]  # languages
        assert search(con, "BANK") == ["Beta Bank"]
        assert search(con, "business") == ["Beta Bank", "Élan Grocer"]  # the type's label
        assert search(con, "élan") == search(con, "ÉLAN") == ["Élan Grocer"]
        assert search(con, "elan") == []  # accents are not ignored
        assert search(con, "clinic hospital") == ["Alpha Clinic"]  # "name type languages" as one text
        assert search(con, "%") == search(con, "_") == []  # no wildcard
        assert search(con, "empresa", lang="es") == ["Beta Bank", "Élan Grocer"]  # the label in the language
        con.execute("UPDATE partner SET name = 'Straße Bank' WHERE partner_id = 'B'")
        assert search(con, "STRASSE") == []  # the deliberate difference (casefold gave "strasse")
        assert search(con, "STRAßE") == ["Straße Bank"]


def test_directory_lists_the_first_rows_and_counts_every_match(tiny_con):
    first = sql.execute(tiny_con, "partners_directory", **{**ALL, "max_rows": 2}, lang="en")
    assert first["name"].tolist() == ["Alpha Clinic", "Beta Bank"]
    assert first["n_matching"].tolist() == [3, 3]
    assert partner_directory.n_matching(first) == 3
    every = sql.execute(tiny_con, "partners_directory", **ALL, lang="en")
    # The figures of the rows fetched are those of the whole directory's rows.
    pd.testing.assert_frame_equal(first, every.head(2), check_dtype=False)
    nothing = sql.execute(tiny_con, "partners_directory", **{**ALL, "search": "zzz"}, lang="en")
    assert partner_directory.n_matching(nothing) == 0


def test_picker_keeps_the_chosen_partner(tiny_con):
    found = sql.execute(tiny_con, "partners_directory", **{**ALL, "search": "bank"}, lang="en")
    chosen = sql.execute(tiny_con, "partners_directory_partner", **ALL, partner_id="C")
    assert chosen.to_dict("records") == [{"partner_id": "C", "name": "Gamma Grocer"}]
    assert partner_directory.picker_partners(found, chosen)["partner_id"].tolist() == ["C", "B"]
    assert partner_directory.picker_partners(found)["partner_id"].tolist() == ["B"]
    again = sql.execute(tiny_con, "partners_directory_partner", **ALL, partner_id="B")
    assert partner_directory.picker_partners(found, again)["partner_id"].tolist() == ["B"]  # listed once
    # Not in the directory of the filters (C works with no elementary school), or unknown: no row.
    elementary = {**ALL, "levels": ["elementary"]}
    assert sql.execute(tiny_con, "partners_directory_partner", **elementary, partner_id="C").empty
    assert sql.execute(tiny_con, "partners_directory_partner", **ALL, partner_id="nobody").empty
    focus = {**ALL, "strategy_number": 1}  # C delivers strategy 2 only
    assert sql.execute(tiny_con, "partners_directory_partner", **focus, partner_id="C").empty
    assert not sql.execute(tiny_con, "partners_directory_partner", **focus, partner_id="B").empty


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
    figure = partner_figures.partner_map(partner, rows, schools, ON_DATE, "en", boundary_rows=boundary)
    assert "http" not in json.dumps(figure.to_plotly_json()["layout"])
    assert {trace.type for trace in figure.data} == {"scattermap"}
    names = [trace.name for trace in figure.data if trace.name]
    assert names == ["Other schools", "School: active", "School: planned", "School: not started yet", "The partner"]
    assert figure.layout.map.layers[0].type == "line"
    table = partner_tables.partnerships_table(rows, ON_DATE, "en")
    assert sorted(table["Status"]) == ["active", "not started yet", "planned"]
    assert "notes" in table.columns  # private: dropped by show_table in presentation and by every CSV
    assert "private note" not in csv_bytes(table).decode("utf-8-sig")


def test_wrap_label():
    assert (
        partner_charts.wrap_label("7 · One-to-one family–educator relationships")
        == "7 · One-to-one<br>family–educator relationships"
    )
    assert partner_charts.wrap_label("2 · Listening") == "2 · Listening"


@pytest.mark.parametrize("presenting", [False, True], ids=["desk", "presenting"])
def test_a_state_sized_directory_keeps_its_count_labels_inside_the_figure(tiny_con, presenting):
    """Thousands of partners make long labels ("2,182 (1,007 not active)", "1,917"): the right
    margins grow to hold them (they were clipped at the figure's edge on a state's directory)."""
    from atlas.present.figures import font_size

    # A state's directory: 1,400 partners of each type, every other one idle.
    types = pd.DataFrame({"partner_type_id": ["health", "business"], "partner_type": ["Hospital / health", "Business"]})
    by_strategy = [{"strategy_number": 1, "n_partners": 700}, {"strategy_number": 2, "n_partners": 1_050}]
    big = pd.Series(
        {"by_type": types.assign(n_active=700, n_inactive=700).to_dict("records"), "by_strategy": by_strategy}
    )
    size = font_size(presenting)
    by_type = partner_charts.partners_by_type_chart(big, "en", presenting)
    longest = max(by_type.data[-1].text, key=len)
    assert "not active)" in longest and longest.startswith("1,")  # e.g. "1,400 (700 not active)"
    assert by_type.layout.margin.r >= len(longest) * size * 0.5
    strategies = sql.execute(tiny_con, "strategies", framework_id="fw", lang="en")
    by_strategy = partner_charts.partners_by_strategy_chart(big, strategies, "en", presenting)
    widest = max(by_strategy.data[0].text, key=len)
    assert len(widest) == 5  # e.g. "1,050"
    assert by_strategy.layout.margin.r >= len(widest) * size * 0.5

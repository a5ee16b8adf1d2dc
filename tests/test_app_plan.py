"""The Plan page with AppTest on the demo district: every recommended match is checked against
the rules with independent SQL and arithmetic; controls change the list; scenarios are saved
and reopened; presentation mode shows results without controls."""

from __future__ import annotations

import math
from datetime import date

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas import synth
from tests import independent
from tests.app_elements import APP, DEMO_DAY, open_page

PLAN = "pages/plan.py"


@pytest.fixture
def app_timeout():
    return 120  # recommendations over every partner and school


# A table is found by a column only it has (AppTest does not expose a dataframe's key).
MATCHES, BEFORE_AFTER = "Rank", "Covered after"


def table(at: AppTest, column: str) -> pd.DataFrame:
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise KeyError(column)


def match_keys(db, matches: pd.DataFrame) -> list[str]:
    """The accept-list values ('partner_id|school_id|strategy_id') of rows of the matches table."""
    with duckdb.connect(str(db), read_only=True) as con:
        partners = dict(con.execute("SELECT name, partner_id FROM partner").fetchall())
        schools = dict(con.execute("SELECT name, school_id FROM school").fetchall())
    return [
        f"{partners[p]}|{schools[s]}|nea-fscp-2:{label.split(' · ')[0]}"
        for p, s, label in zip(matches["Partner"], matches["School"], matches["Strategy"], strict=True)
    ]


def planned_ids(db, count: int) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT partnership_id FROM partnership WHERE status = 'planned' ORDER BY 1").fetchall()
    return [r[0] for r in rows[:count]]


def miles(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 3958.8 * math.asin(math.sqrt(a))


def check_rules(demo_db, matches: pd.DataFrame, on_date: date, radius: float) -> None:
    """Every shown match obeys the brief's rules, checked without the app's macros."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        partners = con.execute("SELECT partner_id, name, latitude, longitude, capacity_schools FROM partner").df()
        schools = con.execute("SELECT school_id, name, latitude, longitude FROM school").df()
        tags = con.execute(
            "SELECT ps.partnership_id, st.number AS strategy_number FROM partnership_strategy ps"
            " JOIN strategy st USING (strategy_id) WHERE st.framework_id = 'nea-fscp-2'"
        ).df()
        active = independent.active_partnerships(con, on_date)
        cells = independent.covered_cells(con, "nea-fscp-2", on_date)
    partners = partners.set_index("name")
    schools = schools.set_index("name")
    delivering = active[active["status"] == "active"].merge(tags, on="partnership_id")
    delivers = set(zip(delivering["partner_id"], delivering["strategy_number"], strict=True))
    covered = set(cells.loc[cells["is_covered"], ["school_id", "strategy_number"]].itertuples(index=False, name=None))
    served = active.groupby("partner_id")["school_id"].agg(set).to_dict()
    new_schools: dict[str, set[str]] = {}
    cells_seen = set()
    for row in matches.itertuples(index=False):
        partner, school = partners.loc[row.Partner], schools.loc[row.School]
        number = int(row.Strategy.split(" · ")[0])
        assert (partner["partner_id"], number) in delivers, row
        assert (school["school_id"], number) not in covered, row
        distance = miles(partner["latitude"], partner["longitude"], school["latitude"], school["longitude"])
        assert distance <= radius + 1e-9, row
        assert round(distance, 1) == pytest.approx(row[4]), row  # the Distance (miles) column
        assert (school["school_id"], number) not in cells_seen
        cells_seen.add((school["school_id"], number))
        if school["school_id"] not in served.get(partner["partner_id"], set()):
            new_schools.setdefault(partner["partner_id"], set()).add(school["school_id"])
    for partner_id, picked in new_schools.items():
        capacity = partners.set_index("partner_id").loc[partner_id, "capacity_schools"]
        room = 1 if pd.isna(capacity) else int(capacity) - len(served.get(partner_id, set()))
        assert len(picked) <= room, partner_id


def test_every_recommended_match_follows_the_rules(app, demo_db):
    at = open_page(app, PLAN)
    assert at.title[0].value == "Plan: which partner do we ask next?"
    matches = table(at, MATCHES)
    assert len(matches) > 50
    assert list(matches.columns[:5]) == ["Rank", "Partner", "School", "Strategy", "Distance (miles)"]
    check_rules(demo_db, matches, DEMO_DAY, 5.0)
    # Highest need-weighted gap first, and every row explained.
    score = matches["Need-weighted gap closed"]
    assert score.is_monotonic_decreasing
    assert matches["Why"].str.contains(" already runs Strategy ").all()
    headlines = [m.value for m in at.markdown if "atlas-headline" in m.value]
    assert any(f"{len(matches)} recommended matches" in h for h in headlines)
    assert len(at.get("plotly_chart")) == 1  # matches per strategy


def test_radius_weights_and_exclusions_update_the_list(app, demo_db):
    at = open_page(app, PLAN)
    before = table(at, MATCHES)
    at.number_input(key="plan_radius").set_value(2.0).run()
    near = table(at, MATCHES)
    assert 0 < len(near) < len(before)
    check_rules(demo_db, near, DEMO_DAY, 2.0)

    top_partner = near["Partner"].iloc[0]
    assert top_partner in at.multiselect(key="plan_excluded_partners").options  # shown by name
    with duckdb.connect(str(demo_db), read_only=True) as con:
        (partner_id,) = con.execute("SELECT partner_id FROM partner WHERE name = $n", {"n": top_partner}).fetchone()
    at.multiselect(key="plan_excluded_partners").select(partner_id).run()
    assert top_partner not in set(table(at, MATCHES)["Partner"])

    at.number_input(key="plan_weight_nea-fscp-2:6").set_value(0.0).run()
    assert at.selectbox(key="plan_weight_source").value == "custom"
    weighted = table(at, MATCHES)
    assert not weighted["Strategy"].str.startswith("6 · ").any()


def test_scenario_before_and_after(app, demo_db):
    at = open_page(app, PLAN)
    first_match = match_keys(demo_db, table(at, MATCHES).head(1))
    at.session_state["plan_tab"] = "Before and after"
    at.run()
    assert not at.exception
    both = table(at, BEFORE_AFTER)
    assert (both["Covered after"] >= both["Covered before"]).all()
    assert (both["Covered after"] > both["Covered before"]).any()
    assert len(at.get("plotly_chart")) == 1
    # Nothing switched on: after equals before.
    at.toggle(key="plan_all_planned").set_value(False).run()
    at.toggle(key="plan_all_matches").set_value(False).run()
    nothing = table(at, BEFORE_AFTER)
    assert (nothing["Covered after"] == nothing["Covered before"]).all()
    assert "0 planned partnerships switched on, 0 recommended matches accepted" in " ".join(c.value for c in at.caption)
    # The first recommended match alone: exactly one more school covered, for its strategy.
    at.multiselect(key="plan_accepted").set_value(first_match).run()
    one = table(at, BEFORE_AFTER)
    gained = one.set_index("Strategy")["Covered after"] - one.set_index("Strategy")["Covered before"]
    number = first_match[0].rsplit(":", 1)[1]
    assert gained[gained > 0].index.tolist() == [s for s in gained.index if s.startswith(f"{number} · ")]
    assert gained.sum() == 1


def test_saved_scenario_reopens_identically(writable_app, demo_db):
    at = open_page(writable_app, PLAN)
    at.number_input(key="plan_radius").set_value(3.0).run()
    chosen_matches = match_keys(demo_db, table(at, MATCHES).head(3))
    at.session_state["plan_tab"] = "Before and after"
    at.run()
    at.toggle(key="plan_all_matches").set_value(False).run()
    at.multiselect(key="plan_accepted").set_value(chosen_matches).run()
    at.toggle(key="plan_all_planned").set_value(False).run()
    at.multiselect(key="plan_switched_on").set_value(planned_ids(demo_db, 2)).run()
    saved_view = table(at, BEFORE_AFTER)
    at.text_input(key="plan_scenario_name").input("Three near matches").run()
    at.button(key="plan_save").click().run()
    assert not at.exception
    assert "Saved “Three near matches”." in [s.value for s in at.success]

    # Change everything, then reopen.
    at.number_input(key="plan_radius").set_value(8.0).run()
    at.toggle(key="plan_all_matches").set_value(True).run()
    at.toggle(key="plan_all_planned").set_value(True).run()
    assert not table(at, BEFORE_AFTER).equals(saved_view)
    at.selectbox(key="plan_open_name").select("Three near matches").run()
    at.button(key="plan_open").click().run()
    assert not at.exception
    assert at.number_input(key="plan_radius").value == 3.0
    assert at.toggle(key="plan_all_matches").value is False
    assert sorted(at.multiselect(key="plan_accepted").value) == sorted(chosen_matches)
    assert sorted(at.multiselect(key="plan_switched_on").value) == planned_ids(demo_db, 2)
    pd.testing.assert_frame_equal(table(at, BEFORE_AFTER), saved_view)

    at.button(key="plan_delete").click().run()
    assert "No saved scenario yet." in [c.value for c in at.caption]


@pytest.fixture(scope="module")
def three_districts(tmp_path_factory):
    """A state agency's file: three synthetic districts of different sizes."""
    path = tmp_path_factory.mktemp("state") / "three-districts.duckdb"
    synth.synthesize(path, 400, seed=11, n_districts=3, state="CA")
    return path


def test_a_many_district_file_is_planned_one_district_at_a_time(three_districts, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(three_districts))
    with duckdb.connect(str(three_districts), read_only=True) as con:
        sizes = con.execute(
            "SELECT district_id, count(*) AS n FROM school GROUP BY ALL ORDER BY n DESC, district_id"
        ).fetchall()
        names = {
            district_id: set(names)
            for district_id, names in con.execute("SELECT district_id, list(name) FROM school GROUP BY ALL").fetchall()
        }
    at = open_page(AppTest.from_file(APP, default_timeout=120), PLAN, query={"date": DEMO_DAY.isoformat()})
    picker = at.selectbox(key="plan_district")
    assert picker.options == [picker.format_func(district_id) for district_id, _ in sizes]  # largest first
    assert picker.value == sizes[0][0]
    assert "This file holds 3 districts" in " ".join(c.value for c in at.caption)
    largest = table(at, MATCHES)
    assert len(largest) > 0 and set(largest["School"]) <= names[sizes[0][0]]
    # "Leave out these partners" lists the partners near the district planned, every recommended one
    # among them, not the whole file's (a national file's list held 61,000 names).
    listed = at.multiselect(key="plan_excluded_partners").options  # shown by name
    with duckdb.connect(str(three_districts), read_only=True) as con:
        n_delivering = con.execute(
            """SELECT count(DISTINCT p.partner_id)
               FROM partnership AS p
               JOIN partnership_strategy USING (partnership_id)
               JOIN strategy AS st USING (strategy_id)
               JOIN framework AS f USING (framework_id)
               WHERE f.is_default AND p.status = 'active' AND p.start_date <= $day
                 AND (p.end_date IS NULL OR p.end_date >= $day)""",
            {"day": DEMO_DAY},
        ).fetchone()[0]
    assert set(largest["Partner"]) <= set(listed)
    assert 0 < len(listed) < n_delivering

    smallest = sizes[-1][0]
    picker.set_value(smallest).run()
    assert not at.exception
    matches = table(at, MATCHES)
    assert len(matches) > 0 and set(matches["School"]) <= names[smallest]
    assert not set(largest["School"]) <= names[smallest]  # the check above can fail

    # A district remembered from a database since replaced: the largest is planned again (in
    # presentation mode too, where the district is only named).
    again = AppTest.from_file(APP, default_timeout=120)
    again.query_params["present"] = "1"
    again.session_state["plan_kept_plan_district"] = "no-such-district"
    again = open_page(again, PLAN)
    assert f"District: {picker.format_func(sizes[0][0])}" in [c.value for c in again.caption]


def test_presentation_mode_shows_results_not_controls(app):
    app.query_params["present"] = "1"
    at = open_page(app, PLAN)
    keys = {w.key for w in [*at.number_input, *at.multiselect, *at.selectbox, *at.toggle, *at.button]}
    assert not {k for k in keys if k and k.startswith("plan_")}
    assert any("Within 5.0 miles" in c.value for c in at.caption)
    assert len(table(at, MATCHES)) > 0
    assert "notes" not in table(at, MATCHES).columns


def test_spanish(app):
    app.query_params["lang"] = "es"
    at = open_page(app, PLAN)
    assert at.title[0].value == "Plan: ¿a qué aliado le pedimos apoyo ahora?"
    matches = table(at, "Orden")
    assert "Por qué" in matches.columns
    assert matches["Por qué"].str.contains(" ya realiza la Estrategia ").all()

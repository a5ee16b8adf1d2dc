"""The Community priorities view with AppTest: record the room's choices, save them with date
and place, and see them become the Plan's strategy weights and change its recommendations."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app_elements import APP, open_page

COMMUNITY = "pages/community.py"
PLAN = "pages/plan.py"
STRATEGIES = [f"nea-fscp-2:{n}" for n in range(1, 11)]


@pytest.fixture
def app_timeout():
    return 120  # the Plan page's recommendations


def count(at: AppTest, votes: dict[int, int]) -> None:
    for number, n in votes.items():
        at.number_input(key=f"community_votes_nea-fscp-2:{number}").set_value(n).run()


def matches_table(at: AppTest) -> pd.DataFrame:
    return next(f.value for f in at.dataframe if "Rank" in f.value.columns)


def test_votes_become_weights_and_change_the_recommendations(writable_app):
    at = open_page(writable_app, PLAN)
    default_matches = matches_table(at)

    at.switch_page(COMMUNITY).run()
    assert at.title[0].value == "What matters most to our community?"
    at.text_input(key="community_place").input("Riverbend Public Library").run()
    at.date_input(key="community_held_on").set_value(date(2026, 10, 3)).run()
    count(at, {4: 30, 6: 15, 9: 6})
    assert any("51 choices counted" in m.value for m in at.markdown)
    weights = next(f.value for f in at.dataframe if "Weight in the Plan" in f.value.columns)
    assert weights["Weight in the Plan"].tolist() == [1.0, 1.0, 1.0, 3.0, 1.0, 2.0, 1.0, 1.0, 1.4, 1.0]
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert bars["text"] == ["0", "6 (12%)", "0", "0", "15 (29%)", "0", "30 (59%)", "0", "0", "0"]  # 10 … 1

    at.button(key="community_use").click().run()
    assert not at.exception, [e.value for e in at.exception]
    # On the Plan page now, with the conversation's weights.
    assert at.title[0].value == "Plan: which partner do we ask next?"
    source = at.selectbox(key="plan_weight_source")
    assert source.value.startswith("community:")
    assert "Riverbend Public Library" in source.format_func(source.value)
    shown = [at.number_input(key=f"plan_weight_{sid}").value for sid in STRATEGIES]
    assert shown == [1.0, 1.0, 1.0, 3.0, 1.0, 2.0, 1.0, 1.0, 1.4, 1.0]
    weighted = matches_table(at)
    assert not weighted.equals(default_matches)
    # Strategy 4, the room's first choice, now leads the list.
    assert weighted["Strategy"].iloc[0].startswith("4 · ")
    assert not default_matches["Strategy"].iloc[0].startswith("4 · ")

    # Back to the district's weights: the first list again. (AppTest reruns the page it was last
    # switched to, so name the Plan page again.)
    at.switch_page(PLAN)
    at.selectbox(key="plan_weight_source").select("district").run()
    pd.testing.assert_frame_equal(matches_table(at), default_matches)


def test_saved_conversations_are_listed_reopened_and_deleted(writable_app):
    at = open_page(writable_app, COMMUNITY)
    assert "No conversation has been saved yet." in [c.value for c in at.caption]
    at.selectbox(key="community_scope").select("RB-E01").run()
    at.text_input(key="community_place").input("Jane Addams gym").run()
    count(at, {2: 12, 7: 4})
    at.button(key="community_save").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Saved 16 choices (Jane Addams gym, ")
    sessions = next(f.value for f in at.dataframe if "Place" in f.value.columns)
    assert sessions[["Place", "About", "Choices"]].values.tolist() == [
        ["Jane Addams gym", "Jane Addams Elementary School", 16]
    ]
    assert len(at.get("plotly_chart")) == 2  # this count and all conversations so far

    at.button(key="community_new").click().run()
    assert at.number_input(key="community_votes_nea-fscp-2:2").value == 0
    assert at.text_input(key="community_place").value == ""
    at.button(key="community_open").click().run()
    assert at.number_input(key="community_votes_nea-fscp-2:2").value == 12
    assert at.number_input(key="community_votes_nea-fscp-2:7").value == 4
    assert at.text_input(key="community_place").value == "Jane Addams gym"

    # Counting on and saving again updates the same conversation.
    count(at, {7: 5})
    at.button(key="community_save").click().run()
    sessions = next(f.value for f in at.dataframe if "Place" in f.value.columns)
    assert sessions["Choices"].tolist() == [17]

    at.button(key="community_delete").click().run()
    assert "No conversation has been saved yet." in [c.value for c in at.caption]


def test_in_presentation_mode_the_room_can_count_but_not_manage(writable_app):
    writable_app.query_params["present"] = "1"
    at = open_page(writable_app, COMMUNITY)
    keys = {w.key for w in [*at.number_input, *at.button]}
    assert {f"community_votes_{sid}" for sid in STRATEGIES} <= keys
    assert {"community_save", "community_use"} <= keys
    assert "community_new" not in keys and "community_delete" not in keys
    count(at, {1: 3})
    at.button(key="community_save").click().run()
    assert not at.exception
    assert "community_delete" not in {w.key for w in at.button}


def test_spanish(writable_app):
    writable_app.query_params["lang"] = "es"
    at = open_page(writable_app, COMMUNITY)
    assert at.title[0].value == "¿Qué es lo más importante para nuestra comunidad?"
    assert at.number_input(key="community_votes_nea-fscp-2:2").label == "2 · Escuchar a la comunidad"


def test_the_scope_picker_searches_when_there_are_too_many_schools_to_list(tmp_path, monkeypatch):
    """Above PICKER_ROWS schools the scope picker lists the first by name and a search box finds
    the rest; a count about a school beyond the list is saved about that school."""
    import duckdb

    from atlas import synth
    from atlas.domain.query.school import PICKER_ROWS

    db = tmp_path / "many-schools.duckdb"
    synth.synthesize(db, PICKER_ROWS + 200, seed=9, n_districts=2)
    monkeypatch.setenv("ATLAS_DB", str(db))
    with duckdb.connect(str(db), read_only=True) as con:
        schools = con.execute("SELECT school_id, name FROM school ORDER BY name, school_id").df()
    at = open_page(AppTest.from_file(APP, default_timeout=60), COMMUNITY)
    assert list(at.selectbox(key="community_scope").options) == [
        "The whole district",
        *schools["name"].head(PICKER_ROWS),
    ]
    assert any(c.value.startswith(f"1,000 of {len(schools):,} schools are listed") for c in at.caption)

    last = schools.iloc[-1]
    word = last["name"].split()[0]
    matching = schools[schools["name"].str.lower().str.contains(word.lower(), regex=False)]
    at.text_input(key="community_school_search").input(word).run()
    assert list(at.selectbox(key="community_scope").options)[1:] == matching["name"].head(PICKER_ROWS).tolist()
    at.selectbox(key="community_scope").set_value(last["school_id"]).run()
    count(at, {3: 7})
    at.button(key="community_save").click().run()
    assert not at.exception
    sessions = next(f.value for f in at.dataframe if "Place" in f.value.columns)
    assert sessions[["About", "Choices"]].values.tolist() == [[last["name"], 7]]

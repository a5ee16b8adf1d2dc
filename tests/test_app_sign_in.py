"""Sign-in with AppTest on a copy of the demo district: with sign-in configured a viewer finds no
write widget on the Data, Plan and Community pages, cannot become an editor by setting session
state, and cannot write even through a call that claims to be an editor; failed sign-ins are
counted on the server per user name, so a reload (a new session) does not reset the lockout."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.app import auth
from atlas.app.auth import hash_password
from atlas.database import access
from tests.app_elements import APP, open_page

PASSWORD = "correct horse"
SECRETS = {"atlas": {"editors": {"maria": hash_password(PASSWORD, iterations=1_000)}}}


@pytest.fixture
def db(writable_db):
    return writable_db


@pytest.fixture
def clock(monkeypatch):
    """The sign-in clock, moved by hand; the server's sign-in records start empty."""
    now = [1_000.0]
    monkeypatch.setattr(access, "now", lambda: now[0])
    monkeypatch.setattr(access, "FAILURES", {})
    monkeypatch.setattr(access, "GRANTS", {})
    return now


def file_state(path: Path) -> tuple:
    info = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), info.st_ino, info.st_mtime_ns


def open_signed(page: str, **session) -> AppTest:
    """Open page in a new session of the app with sign-in configured and session state set."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in SECRETS.items():
        at.secrets[key] = value
    for key, value in session.items():
        at.session_state[key] = value
    return open_page(at, page)


def button_keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key}


def sign_in(at: AppTest, user: str, password: str) -> None:
    at.text_input(key="data_sign_in_user").input(user)
    at.text_input(key="data_sign_in_password").input(password)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def is_editor(at: AppTest) -> bool:
    return "Import a file" in [tab.label for tab in at.tabs]


# Session-state values a viewer might set by hand to pass for an editor.
FORGED = {"atlas_editor": "maria", "atlas_sign_in_token": "maria", "data_sign_in_user": "maria"}


def test_a_viewer_finds_no_write_widget_and_forged_session_state_does_not_make_an_editor(db, clock):
    before = file_state(db)
    data = open_signed("pages/data.py", **FORGED)
    assert not is_editor(data)
    assert [tab.label for tab in data.tabs] == ["Data quality", "History and undo", "Districts"]

    community = open_signed("pages/community.py", **FORGED)
    assert not button_keys(community) & {"community_save", "community_use", "community_delete"}
    assert any("sign in on the Data page" in c.value for c in community.caption)

    plan = open_signed("pages/plan.py", **FORGED)
    plan.session_state["plan_tab"] = "Before and after"
    plan.run()
    assert not plan.exception
    assert not button_keys(plan) & {"plan_save", "plan_delete"}
    assert plan.text_input(key="plan_scenario_name").disabled
    assert file_state(db) == before


def test_once_signed_in_the_editor_can_save_a_count(db, clock):
    at = open_signed("pages/data.py")
    sign_in(at, "maria", PASSWORD)
    assert is_editor(at)
    at.switch_page("pages/community.py").run()
    assert {"community_save", "community_use"} <= button_keys(at)
    at.number_input(key="community_votes_nea-fscp-2:2").set_value(3).run()
    at.button(key="community_save").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Saved 3 choices")


def test_a_button_drawn_for_an_editor_whose_sign_in_has_ended_writes_nothing(db, clock):
    """The page drew the save and delete buttons while the editor was signed in; the sign-in ends on the
    server (signed out elsewhere, expired) before the click: the write path refuses, the page says so."""
    at = open_signed("pages/data.py")
    sign_in(at, "maria", PASSWORD)
    at.switch_page("pages/community.py").run()
    at.number_input(key="community_votes_nea-fscp-2:2").set_value(4).run()
    at.button(key="community_save").click().run()
    assert at.success[0].value.startswith("Saved 4 choices")
    at.number_input(key="community_votes_nea-fscp-2:2").set_value(9).run()
    before = file_state(db)
    access.GRANTS.clear()
    at.button(key="community_save").click().run()
    assert not at.exception
    assert any("Only a signed-in editor can change data: nothing was saved" in e for e in errors(at))
    assert file_state(db) == before
    assert "community_save" not in button_keys(at)


def _write_claiming_to_be_an_editor() -> None:
    """A page that passes a made-up editor to the write path (as a bug or a trick might)."""
    import streamlit as st

    from atlas.app import auth
    from atlas.database import writes
    from atlas.database.db import database_path
    from atlas.domain import scenarios

    forged = auth.Access(can_edit=True, sign_in_configured=True, user="maria", method="password")
    attempts = {
        "community": lambda: scenarios.save_community_session(
            database_path(),
            scenarios.CommunitySession("forged", "demo-riverbend", None, "nea-fscp-2", st.session_state.day, "x", {}),
            forged,
        ),
        "scenario delete": lambda: scenarios.delete_scenario(database_path(), "anything", forged),
        "undo": lambda: writes.undo_last(database_path(), forged),
    }
    for name, attempt in attempts.items():
        try:
            attempt()
            st.write(f"{name}: written")
        except writes.NotAllowed as refused:
            st.write(f"{name}: refused ({refused})")


def test_inside_a_session_the_write_path_takes_the_signed_in_user_not_the_argument(db, clock):
    from datetime import date

    before = file_state(db)
    at = AppTest.from_function(_write_claiming_to_be_an_editor, default_timeout=60)
    for key, value in SECRETS.items():
        at.secrets[key] = value
    at.session_state["day"] = date(2025, 3, 4)
    at.session_state["atlas_editor"] = "maria"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    lines = [m.value for m in at.markdown]
    assert [line.split(":")[0] for line in lines] == ["community", "scenario delete", "undo"]
    assert all("refused (only a signed-in editor may change data" in line for line in lines), lines
    assert file_state(db) == before


def test_the_lockout_is_kept_on_the_server_per_user_name_and_survives_a_reload(db, clock):
    first = open_signed("pages/data.py")
    for _ in range(auth.MAX_FAILURES - 1):
        sign_in(first, "maria", "wrong")
        assert any("do not match an editor" in e for e in errors(first))
    sign_in(first, "maria", "wrong")
    assert any("try again in 30 seconds" in e for e in errors(first))

    reloaded = open_signed("pages/data.py")  # a new session, as a reload makes
    sign_in(reloaded, "maria", PASSWORD)
    assert not is_editor(reloaded)
    assert any("Too many failed sign-ins for this user name" in e for e in errors(reloaded))

    clock[0] += 29
    sign_in(reloaded, "maria", PASSWORD)
    assert not is_editor(reloaded)
    clock[0] += 2
    sign_in(reloaded, "maria", PASSWORD)
    assert is_editor(reloaded)


def test_each_failure_past_the_limit_doubles_the_wait_and_other_names_are_not_locked(clock, monkeypatch):
    monkeypatch.setattr(auth, "password_editors", lambda: SECRETS["atlas"]["editors"])
    for _ in range(auth.MAX_FAILURES):
        assert not auth.sign_in("maria", "wrong").ok
    assert auth.seconds_locked("maria") == 30
    assert auth.seconds_locked("ana") == 0
    assert auth.sign_in("maria", PASSWORD).wait_seconds == 30  # refused unchecked while locked
    clock[0] += 30
    assert auth.sign_in("maria", "wrong").wait_seconds == 60
    clock[0] += 60
    assert auth.sign_in("maria", "wrong").wait_seconds == 120
    clock[0] += 10 * auth.MAX_LOCK_SECONDS
    for _ in range(10):
        auth.sign_in("maria", "wrong")
        clock[0] += auth.MAX_LOCK_SECONDS
    assert auth.sign_in("maria", "wrong").wait_seconds == auth.MAX_LOCK_SECONDS

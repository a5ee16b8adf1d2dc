"""Shared fixtures: the tiny hand-made district and the bundled demo district."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from atlas.database.build import build_demo_database
from atlas.present.figures import CHECK_FIGURES_VARIABLE
from tests.app_elements import APP, DEMO_DAY
from tests.tiny_district import build_tiny_district

# Every figure a test makes (in this process and in the app servers it starts) is checked by
# Plotly property by property; the app skips the check (atlas.present.figures.build_figure).
os.environ[CHECK_FIGURES_VARIABLE] = "1"


@pytest.fixture(scope="session")
def tiny_district_file(tmp_path_factory):
    """The tiny district built once per test session (0.2 s of CPU a build, for some 60 tests):
    tests take copies of it (tiny_db), never this file."""
    return build_tiny_district(tmp_path_factory.mktemp("tiny") / "tiny.duckdb")


@pytest.fixture
def tiny_db(tiny_district_file, tmp_path):
    """A private copy of the tiny district, for the test to read or change."""
    copy = tmp_path / "tiny.duckdb"
    shutil.copyfile(tiny_district_file, copy)
    return copy


@pytest.fixture
def tiny_con(tiny_db):
    with duckdb.connect(str(tiny_db), read_only=True) as con:
        yield con


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The demo district built once per test session (read-only use only)."""
    return build_demo_database(tmp_path_factory.mktemp("demo") / "demo.duckdb")


@pytest.fixture(scope="session")
def app_server(demo_db):
    """One Streamlit server on the demo district for the browser tests that only read (started
    at the first such test). A deep link on a freshly started server takes a path of its own:
    tests/test_browser.py starts fresh servers for that."""
    from tests.browser import running_app  # Playwright is only imported when a browser test runs

    with running_app(demo_db) as base:
        yield base


@pytest.fixture(scope="module")
def _module_chromium():
    # One Chromium per test module, not per session: while Playwright's sync API runs, this thread
    # looks as if an asyncio loop were running, and asyncio.run (kaleido, AppTest) fails in it.
    from tests.browser import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture
def browser(_module_chromium):
    """Headless Chromium (Debian's); the pages a test opens are closed after it."""
    before = list(_module_chromium.contexts)
    yield _module_chromium
    for context in _module_chromium.contexts:
        if not any(context is old for old in before):
            context.close()


@pytest.fixture
def app_timeout():
    """Seconds one AppTest run may take; a module whose pages are slower overrides this fixture."""
    return 60


@pytest.fixture
def new_app(demo_db, monkeypatch, app_timeout):
    """A maker of fresh AppTests of the whole app on the demo district (read-only), each opened on
    no date at all: the app's own default (today)."""
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    return lambda: AppTest.from_file(APP, default_timeout=app_timeout)


@pytest.fixture
def app(new_app):
    """The app on the demo district, its date set to DEMO_DAY (by the link's date value, as a
    shared link would), so values compared with independent SQL on DEMO_DAY do not move with
    the calendar."""
    at = new_app()
    at.query_params["date"] = DEMO_DAY.isoformat()
    return at


@pytest.fixture
def writable_db(demo_db, tmp_path, monkeypatch):
    """A private copy of the demo district the app opens, for tests that save."""
    copy = tmp_path / "atlas.duckdb"
    shutil.copyfile(demo_db, copy)
    monkeypatch.setenv("ATLAS_DB", str(copy))
    return copy


@pytest.fixture
def writable_app(writable_db, app_timeout):
    """The app on a private copy of the demo district, on DEMO_DAY."""
    at = AppTest.from_file(APP, default_timeout=app_timeout)
    at.query_params["date"] = DEMO_DAY.isoformat()
    return at

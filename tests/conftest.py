"""Shared fixtures: the tiny hand-made district and the bundled demo district."""

from __future__ import annotations

import os

import duckdb
import pytest

from atlas.build import build_demo_database
from atlas.figures import CHECK_FIGURES_VARIABLE
from tests.tiny_district import build_tiny_district

# Every figure a test makes (in this process and in the app servers it starts) is checked by
# Plotly property by property; the app skips the check (atlas.figures.build_figure).
os.environ[CHECK_FIGURES_VARIABLE] = "1"


@pytest.fixture
def tiny_db(tmp_path):
    return build_tiny_district(tmp_path / "tiny.duckdb")


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

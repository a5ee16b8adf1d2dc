"""Every value a link can carry is checked: a malformed, hostile or unknown value is ignored with a
note in the page's language (naming the key, never echoing the value) and the page shows its
default view, with no exception.

Each URL parameter is fed every value of HOSTILE on a page that reads it, alone (test_each_key_alone)
and together with every other key the page reads (test_every_key_a_page_reads_at_once): the shell's
filter, language, presentation and district-file keys are read on every page; school, partner and step by their page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from atlas.app.navigation import PAGES
from atlas.app.shell import FILTER_KEYS
from atlas.domain import link_values
from atlas.present.i18n import translate
from tests.app_elements import APP, page_text

HOSTILE = {
    "double quote": '"',
    "single quote": "'",
    "sql": "' OR 1=1 --",
    "100 KB": "x" * 100_000,
    "NUL": "\x00",
    "control characters": "a\x01\x08\x1b[31m\x7f\r\nb",
    "superscript two": "²",
    "5,000 digits": "9" * 5_000,
    "markdown link": "[x](http://evil.example)",
    "markdown image": "![x](http://203.0.113.9/x.png)",
    "markdown bold": "**b**",
    "html link": '<a href="http://evil.example">x</a>',
    "html image": '<img src="http://203.0.113.9/x.png">',
    "katex": "$x^2$",
}
SHELL_KEYS = ("framework", "date", "year", "level", "region", "need", "strategy", "lang", "present", "district")
PAGE_KEYS = {"pages/school.py": ("school",), "pages/partners.py": ("partner",), "pages/story.py": ("step",)}
SCRIPTS = [spec.script for spec in PAGES]
# Streamlit drops a whole query string longer than this (streamlit.runtime.state.query_params): ten
# 100 KB values at once never reach the app, which then opens in its default view without a note.
QUERY_LIMIT = 524_288


@pytest.fixture
def app_timeout():
    return 120  # every page, with every hostile value at once


@pytest.fixture(scope="module")
def defaults(demo_db):
    """The session state of a page opened with no query: the default view."""
    import os

    old = os.environ.get("ATLAS_DB")
    os.environ["ATLAS_DB"] = str(demo_db)
    try:
        at = AppTest.from_file(APP, default_timeout=120).run()
    finally:
        os.environ.pop("ATLAS_DB") if old is None else os.environ.__setitem__("ATLAS_DB", old)
    return {key: at.session_state[key] for key in (*FILTER_KEYS, "lang", "present")}


def open_with(new_app, script: str, query: dict[str, str]) -> AppTest:
    """The page opened by a link: its first run (each page's file name is its URL path)."""
    at = new_app()
    at.query_params.update(query)
    if script != "pages/overview.py":
        at.switch_page(script)
    return at.run()


def notes(at) -> list[str]:
    return [w.value for w in at.warning]


def note(key: str) -> str:
    return translate("common.link_value_ignored", "en", name=key)


def assert_ignored(at, script: str, keys: tuple[str, ...], value: str, defaults: dict) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]  # the shell's "something went wrong" included
    assert {note(key) for key in keys} <= set(notes(at)), notes(at)
    assert {key: at.session_state[key] for key in defaults} == defaults
    if len(value) >= 3:  # never echoed (one character could be on the page for other reasons)
        assert value not in page_text(at)
    if script == "pages/school.py":
        assert at.title[0].value == "School profile" and at.selectbox(key="school_pick").value is None
    if script == "pages/partners.py":
        assert at.selectbox(key="partner_pick").value is None
    if script == "pages/story.py":
        assert at.query_params["step"] == "1"


def at_once_queries() -> list[tuple[str, dict[str, str]]]:
    """(page, query) of the links that carry every key a page reads at once, a hostile value each.

    Two links a page, the values rotated over the keys (the page's key k in its run j gets value
    number (k + 9 j) mod 14), so that — checked by test_the_at_once_links_cover_every_value:
    - every page is opened with every hostile value (on some key), and every key it reads set;
    - every shell key gets every hostile value on some page (the shell reads them the same way on
      every page, before the page runs), so every (shell key, value) pair is checked at once too;
    - a page's own key (school, partner, step) gets two values at once here and every value alone
      on its page in test_each_key_alone.
    The keys of one link carry different values, so no link passes Streamlit's QUERY_LIMIT and
    every note is checked (with one value on every key, ten 100 KB values went past the limit).
    Before, each page got 14 links (one value on every key): 140 runs where these are 20."""
    names = list(HOSTILE)
    queries = []
    for page, script in enumerate(SCRIPTS):
        keys = SHELL_KEYS + PAGE_KEYS.get(script, ())
        for run in (2 * page, 2 * page + 1):
            queries.append((script, {key: HOSTILE[names[(k + 9 * run) % len(names)]] for k, key in enumerate(keys)}))
    return queries


AT_ONCE = at_once_queries()


def test_the_at_once_links_cover_every_value():
    """The guard for the claim in at_once_queries: a shorter sweep fails here, not silently."""
    for script in SCRIPTS:
        queries = [query for page, query in AT_ONCE if page == script]
        assert {key for query in queries for key in query} == set(SHELL_KEYS + PAGE_KEYS.get(script, ()))
        assert {value for query in queries for value in query.values()} == set(HOSTILE.values())
    for key in SHELL_KEYS:
        assert {query[key] for _, query in AT_ONCE} == set(HOSTILE.values())
    assert all(sum(map(len, query.values())) < QUERY_LIMIT for _, query in AT_ONCE)


@pytest.mark.parametrize(
    ("script", "query"), AT_ONCE, ids=[f"{script}-{i % 2}" for i, (script, _) in enumerate(AT_ONCE)]
)
def test_every_key_a_page_reads_at_once(new_app, defaults, script, query):
    at = open_with(new_app, script, query)
    assert_ignored(at, script, tuple(query), "", defaults)
    for value in query.values():
        if len(value) >= 3:  # never echoed (one character could be on the page for other reasons)
            assert value not in page_text(at), value


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_link_past_streamlits_query_limit_opens_the_default_view(new_app, defaults, script):
    """Every key a page reads at 100 KB at once: Streamlit drops the whole query string, and the
    page opens in its default view, without a note and without an exception."""
    keys = SHELL_KEYS + PAGE_KEYS.get(script, ())
    value = HOSTILE["100 KB"]
    assert len(keys) * len(value) >= QUERY_LIMIT
    at = open_with(new_app, script, dict.fromkeys(keys, value))
    assert_ignored(at, script, (), value, defaults)
    assert notes(at) == []


@pytest.mark.parametrize(
    ("script", "key"),
    [("pages/overview.py", key) for key in SHELL_KEYS]
    + [(script, key) for script, keys in PAGE_KEYS.items() for key in keys],
)
@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_key_alone(new_app, defaults, script, key, name):
    at = open_with(new_app, script, {key: HOSTILE[name]})
    assert_ignored(at, script, (key,), HOSTILE[name], defaults)
    assert notes(at) == [note(key)]


def test_good_values_are_taken_without_a_note(new_app):
    query = {"framework": "epstein-six", "date": "2025-01-15", "level": "middle", "strategy": "2", "lang": "es"}
    at = open_with(new_app, "pages/story.py", {**query, "step": "3", "present": "1"})
    assert not at.exception and not notes(at)
    assert at.session_state["framework_id"] == "epstein-six" and at.session_state["strategy_number"] == 2
    assert at.session_state["lang"] == "es" and at.session_state["present"] is True
    assert at.query_params["step"] == "3"


def test_a_partly_known_list_keeps_its_known_items_and_notes_the_rest(new_app):
    at = open_with(new_app, "pages/overview.py", {"level": "middle,<b>x</b>"})
    assert notes(at) == [note("level")] and at.session_state["levels"] == ["middle"]


def test_spanish_note(new_app):
    at = open_with(new_app, "pages/story.py", {"lang": "es", "step": "²"})
    assert notes(at) == [translate("common.link_value_ignored", "es", name="step")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("7", 7), ("0007", 7), ("²", None), ("٣", None), ("9" * 5000, None), ("10000", None), ("7\n", None), ("", None)],
)
def test_whole_number_takes_ascii_digits_only(raw, expected):
    assert link_values.whole_number(raw, 1, 9999) == expected


@pytest.mark.parametrize("raw", ["2025-02-30", "20250115", "2025-W03-1", "1800-01-01", "9999-12-31", "2025-01-15\n"])
def test_iso_date_is_strict(raw):
    assert link_values.iso_date(raw) is None

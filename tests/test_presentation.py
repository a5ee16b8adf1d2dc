"""Presentation mode on every page: no private field (partner contacts, partnership notes) and no
edit or import control anywhere on screen; the story view steps through its screens; and, in a
real browser at 1280×720, chart text is at least 18 px, the Overview's headline and chart fit on
one screen, and every page is screenshotted in both languages (test-artifacts/screenshots/)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyarrow as pa
import pytest
from playwright.sync_api import expect
from streamlit.testing.v1 import AppTest

from atlas.app.navigation import PAGES
from atlas.present.i18n import translate
from tests.browser import ConsoleLog, chromium, screenshot, wait_for_charts, wait_for_run
from tests.test_browser import MIN_CHARTS

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"
# Pages that show more with a query parameter: open them on a school and a partner that have
# partnership notes and contacts, so there is something private to leak.
DEEP_PARAMS = {"school": {"school": "RB-M10"}, "partners": {"partner": "RB-P069"}}
MIN_PRIVATE_LENGTH = 5


def page_id(spec) -> str:
    return spec.url_path or "overview"


# ---- reading everything an AppTest run put on screen ---------------------------------------


# Plotly attributes that hold words people read (the others hold enumerated values: 'text' as a
# hoverinfo, 'h' as an orientation, colours, fonts).
PLOTLY_TEXT_KEYS = frozenset(
    {"text", "hovertext", "hovertemplate", "texttemplate", "name", "ticktext", "labels", "x", "y", "customdata"}
)


def element_texts(at: AppTest, *, words_only: bool = False) -> list[str]:
    """Every string of every element in the run, main area and sidebar: labels, values, options,
    help, markdown, table headers and cells (decoded from Arrow), chart titles, labels and data.
    words_only: of a chart, only the attributes people read (not enumerated settings)."""
    texts: list[str] = []
    _walk(at._tree, texts, words_only)
    return [text for text in texts if text.strip()]


def _walk(node, texts: list[str], words_only: bool) -> None:
    proto = getattr(node, "proto", None)
    if proto is not None:
        _proto_texts(proto, texts, words_only)
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            _walk(child, texts, words_only)


# Proto fields that hold machine values (ids, widget types, icons, formats), not text people read.
INTERNAL_FIELDS = frozenset({"id", "form_id", "type", "icon", "format", "theme", "selection_mode", "config", "mime"})


def _proto_texts(message, texts: list[str], words_only: bool = False) -> None:
    for field, value in message.ListFields():
        if field.name in INTERNAL_FIELDS:
            continue
        if field.name == "spec" and isinstance(value, str) and value.startswith("{"):
            _json_texts(json.loads(value), texts, words_only)  # a Plotly figure
        elif field.name == "data" and isinstance(value, bytes) and value:
            texts.extend(_arrow_texts(value))  # a table
        elif field.type == field.TYPE_MESSAGE:
            for item in value if _repeated(field) else [value]:
                _proto_texts(item, texts, words_only)
        elif field.type == field.TYPE_STRING:
            for text in value if _repeated(field) else [value]:
                _string_texts(text, texts, words_only)


def _string_texts(text: str, texts: list[str], words_only: bool) -> None:
    """A string field; one holding JSON (a table's column configuration: labels, help, options)
    gives its decoded strings, so each is read on its own, with its accents unescaped."""
    if text.startswith(("{", "[")):
        try:
            decoded = json.loads(text)
        except ValueError:
            decoded = None
        if isinstance(decoded, dict | list):
            _config_texts(decoded, texts, words_only)
            return
    texts.append(text)


def _config_texts(value, texts: list[str], words_only: bool) -> None:
    if isinstance(value, str):
        texts.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not (words_only and key in INTERNAL_FIELDS):
                _config_texts(item, texts, words_only)
    elif isinstance(value, list):
        for item in value:
            _config_texts(item, texts, words_only)


def _repeated(field) -> bool:
    if hasattr(field, "is_repeated"):  # protobuf ≥ 5
        return field.is_repeated
    return field.label == field.LABEL_REPEATED


def _json_texts(value, texts: list[str], words_only: bool = False, readable: bool = True) -> None:
    if isinstance(value, str):
        if readable:
            texts.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _json_texts(item, texts, words_only, not words_only or key in PLOTLY_TEXT_KEYS)
    elif isinstance(value, list):
        for item in value:
            _json_texts(item, texts, words_only, readable or isinstance(item, dict))


def _arrow_texts(data: bytes) -> list[str]:
    try:
        table = pa.ipc.open_stream(io.BytesIO(data)).read_all()
    except pa.ArrowInvalid:
        return []
    frame = table.to_pandas()
    texts = [str(c) for c in frame.columns]
    for column in frame.columns:
        texts.extend(str(v) for v in frame[column].tolist() if isinstance(v, str))
    return texts


def private_values() -> dict[str, str]:
    """value → kind, for the demo district's partner contacts and partnership notes."""
    values = {}
    with (DEMO / "partners.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            for kind in ("contact_name", "contact_email", "contact_phone"):
                values[row[kind]] = kind
    with (DEMO / "partnerships.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["notes"].strip():
                values[row["notes"]] = "notes"
    return {v: k for v, k in values.items() if len(v.strip()) >= MIN_PRIVATE_LENGTH}


def leaks(texts: list[str], private: dict[str, str]) -> list[str]:
    everything = "\n".join(texts).casefold()
    return sorted(f"{kind}: {value}" for value, kind in private.items() if value.casefold() in everything)


def edit_controls(at: AppTest) -> list[str]:
    """Controls that change or import data: file uploaders, editable tables, form submit buttons."""
    found = [f"file_uploader {u.label!r}" for u in at.get("file_uploader")]
    found += [f"camera_input {c.label!r}" for c in at.get("camera_input")]
    for table in at.get("arrow_data_frame"):
        if getattr(table.proto, "editing_mode", 0):
            found.append("data_editor")
    for button in at.get("button"):
        if button.proto.is_form_submitter:
            found.append(f"form submit {button.proto.label!r}")
    return found


def run_page(demo_db, monkeypatch, spec, *, lang="en", presenting=True, extra=None) -> AppTest:
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=120)
    if presenting:
        at.query_params["present"] = "1"
    if lang != "en":
        at.query_params["lang"] = lang
    at.run()
    if spec.url_path:
        at.switch_page(spec.script)
        for key, value in (extra or {}).items():
            at.query_params[key] = value
        at.run()
    return at


# ---- AppTest ------------------------------------------------------------------------------


def test_the_scan_finds_private_values_when_they_are_shown():
    """The scanner itself: a contact in a table, in a table's column help (sent as JSON, with
    accents escaped) and in a chart is found."""
    private = private_values()
    email = next(v for v, k in private.items() if k == "contact_email")
    name = next(v for v, k in private.items() if k == "contact_name" and not v.isascii())
    note = next(v for v, k in private.items() if k == "notes")

    def script(email, name, note):
        import pandas as pd
        import plotly.graph_objects as go
        import streamlit as st

        st.dataframe(pd.DataFrame({"who": [email]}), column_config={"who": st.column_config.TextColumn(help=name)})
        st.plotly_chart(go.Figure(go.Bar(x=[1], y=[2], hovertext=[note])))

    at = AppTest.from_function(script, args=(email, name, note)).run()
    expected = sorted([f"contact_email: {email}", f"contact_name: {name}", f"notes: {note}"])
    assert leaks(element_texts(at), private) == expected
    assert leaks(element_texts(at, words_only=True), private) == expected


@pytest.mark.parametrize("spec", PAGES, ids=page_id)
def test_presentation_mode_hides_private_fields_and_edit_controls(spec, demo_db, monkeypatch):
    private = private_values()
    at = run_page(demo_db, monkeypatch, spec, extra=DEEP_PARAMS.get(spec.url_path))
    assert not at.exception, [e.value for e in at.exception]
    texts = element_texts(at)
    assert texts, "the page showed nothing"
    assert leaks(texts, private) == []
    assert edit_controls(at) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_story_steps_forward_and_back(lang, demo_db, monkeypatch):
    story_spec = next(spec for spec in PAGES if spec.url_path == "story")
    at = run_page(demo_db, monkeypatch, story_spec, lang=lang)
    seen = []
    for step in range(1, 5):
        assert not at.exception, [e.value for e in at.exception]
        headlines = [m.value for m in at.markdown if "atlas-headline" in m.value]
        assert len(headlines) == 1  # one idea per screen
        assert len(at.get("plotly_chart")) == 1  # and one chart
        seen.append(headlines[0])
        if step < 4:
            at.button(key="story_next").click().run()
    assert at.query_params["step"] == "4"
    assert at.button(key="story_next").disabled
    assert len(set(seen)) == 4
    at.button(key="story_previous").click().run()
    assert at.query_params["step"] == "3"
    assert [m.value for m in at.markdown if "atlas-headline" in m.value] == [seen[2]]


def test_story_opens_at_the_step_in_the_url(demo_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/story.py")
    at.query_params["step"] = "3"
    at.run()
    assert not at.exception
    assert any("3" in m.value and "atlas-step" in m.value for m in at.markdown)


def test_presenting_overview_shows_one_headline(demo_db, monkeypatch):
    at = run_page(demo_db, monkeypatch, PAGES[0])
    assert len([m for m in at.markdown if "atlas-headline" in m.value]) == 1
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["font"]["size"] >= 18


# ---- in the browser -----------------------------------------------------------------------

# Chart text: every visible SVG text of every Plotly chart, its computed size and any scaling.
CHART_TEXT_JS = """() => [...document.querySelectorAll('.js-plotly-plot .main-svg text')]
  .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
  .map(t => ({text: t.textContent.trim().slice(0, 40), size: parseFloat(getComputedStyle(t).fontSize),
              transform: t.getAttribute('transform') || ''}))"""
SCALE = re.compile(r"scale\(([\d.]+)")


def settle(page) -> None:
    """Wait until the run has finished and every chart is drawn (Streamlit shows skeletons first)."""
    wait_for_run(page, timeout=120_000)
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=60_000)
    wait_for_charts(page)


def small_chart_text(page) -> list[str]:
    small = []
    for item in page.evaluate(CHART_TEXT_JS):
        scale = SCALE.search(item["transform"])
        effective = item["size"] * (float(scale.group(1)) if scale else 1.0)
        if effective < 18:
            small.append(f"{item['text']!r} {effective:.1f}px")
    return small


# Metric tiles: a label cut short ("High-need schools with a …") or a value in body-text size.
METRIC_PROBLEMS_JS = """() => [
  ...[...document.querySelectorAll('[data-testid="stMetricLabel"] p')]
     .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => 'label cut: ' + e.textContent),
  ...[...document.querySelectorAll('[data-testid="stMetricValue"] p')]
     .filter(e => parseFloat(getComputedStyle(e).fontSize) < 36)
     .map(e => 'value small: ' + e.textContent + ' ' + getComputedStyle(e).fontSize)]"""


def presenting_screens(lang: str):
    """(name, URL path and query, page, language) of every screen presenting in lang: every page,
    and every story step."""
    for spec in PAGES:
        for step in range(1, 5) if spec.url_path == "story" else [None]:
            query = f"present=1&lang={lang}" + (f"&step={step}" if step else "")
            for key, value in DEEP_PARAMS.get(spec.url_path, {}).items():
                query += f"&{key}={value}"
            name = f"present-{page_id(spec)}{f'-step{step}' if step else ''}-{lang}-1280x720"
            yield name, f"{spec.url_path}?{query}", spec, lang


def overview_fits_one_screen(page, lang: str) -> None:
    """The title, one headline and the whole chart above the fold at 1280×720; the sidebar is
    collapsed."""
    expect(page.get_by_role("heading", name=translate("overview.title", lang))).to_be_visible()
    chart = page.locator(".js-plotly-plot").first
    expect(chart).to_be_visible(timeout=20_000)
    headline = page.locator(".atlas-headline")
    expect(headline).to_have_count(1)
    assert headline.bounding_box()["y"] >= 0
    box = chart.bounding_box()
    assert box["y"] + box["height"] <= 720, box
    expect(page.get_by_test_id("stSidebarContent")).not_to_be_in_viewport()


# One test a language: each draws 13 screens in Chromium (about 28 s of CPU), so the two pytest
# workers can share them; as one test it was the suite's longest (57 s of CPU) and ran last alone.
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_page_presenting_at_projector_size(app_server, lang):
    """Screenshots of every page (and every story step) in presentation mode at 1280×720 in
    English and in Spanish; the page's charts drawn (tests/test_browser.py's MIN_CHARTS) with text
    ≥ 18 px; no exception, no console error, no request going anywhere but the app's server (the
    deep-link test checks the same for every page in normal mode); metric tiles with whole labels
    and large values; the Overview fits one screen."""
    problems: dict[str, list[str]] = {}
    screens = list(presenting_screens(lang))
    with chromium() as browser:
        # Each screen stays open, its console and requests still recorded, until the next one
        # has been drawn: late fetches (fonts, map glyphs and tiles) have seconds to show up.
        previous = None
        for name, path, spec, lang in screens:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            console = ConsoleLog(page, app_server)
            page.goto(f"{app_server}/{path}")
            settle(page)
            expect(page.locator('[data-testid="stException"]'), name).to_have_count(0)
            if MIN_CHARTS.get(spec.url_path):
                charts = page.locator(".js-plotly-plot .main-svg")
                expect(charts.nth(MIN_CHARTS[spec.url_path] - 1), name).to_be_visible(timeout=20_000)
            if not spec.url_path:
                overview_fits_one_screen(page, lang)
            screenshot(page, name)
            found = small_chart_text(page)[:8] + page.evaluate(METRIC_PROBLEMS_JS)
            if previous:
                close_screen(*previous, problems)
            previous = (name, page, console, found)
        previous[1].wait_for_load_state("networkidle")  # the last screen's late fetches
        close_screen(*previous, problems)
    assert len(screens) == len(PAGES) + 3  # the story's four steps count as four screens
    assert problems == {}


def close_screen(name, page, console, found, problems) -> None:
    found = found + console.errors + console.remote_requests[:5]
    if found:
        problems[name] = found
    page.close()

"""Accessibility: text colours of the theme, the palette and the app's CSS meet WCAG AA on their
backgrounds; every chart on every page has a title and axis titles in words; every table has
headers; the story and packet charts carry their values as text (not colour alone)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from atlas.app import shell
from atlas.app.navigation import PAGES
from atlas.present import palette
from tests.test_presentation import DEEP_PARAMS, page_id, run_page

ROOT = Path(__file__).resolve().parent.parent
AA_TEXT = 4.5


def luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


def test_theme_text_meets_aa():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        assert contrast(theme["textColor"], background) >= AA_TEXT
    assert contrast(theme["primaryColor"], theme["backgroundColor"]) >= AA_TEXT  # links, focus


def test_palette_text_colours_meet_aa_on_white():
    # Colours used for text: black (all chart text) and grey (the lightest grey allowed for text).
    for colour in (palette.BLACK, palette.GREY):
        assert contrast(colour, "#FFFFFF") >= AA_TEXT


def test_css_text_colours_meet_aa():
    colours = re.findall(r"color:\s*(#[0-9A-Fa-f]{3,6})", shell._BASE_CSS + shell._PRESENTING_CSS)
    assert colours
    for colour in colours:
        full = colour if len(colour) == 7 else "#" + "".join(c * 2 for c in colour[1:])
        assert contrast(full, "#FFFFFF") >= AA_TEXT, colour


def chart_problems(spec: dict) -> list[str]:
    layout = spec.get("layout", {})
    problems = []
    title = layout.get("title", {})
    if not (title.get("text") if isinstance(title, dict) else title):
        problems.append("no title")
    traces = spec.get("data", [])
    if all(t.get("type", "scatter") in {"scattermap", "choroplethmap", "pie"} for t in traces):
        return problems  # a map or a pie has no axes
    for name, axis in layout.items():
        if not isinstance(axis, dict):
            continue
        shown = axis.get("visible", True) is not False and axis.get("showticklabels", True) is not False
        if re.fullmatch(r"[xy]axis\d*", name) and shown and not axis.get("matches"):
            used = any(t.get(f"{name[0]}axis", name[0]) == name[0] + name[5:] for t in traces)
            title = axis.get("title") or {}
            text = title.get("text") if isinstance(title, dict) else title
            if used and not text:
                problems.append(f"{name} has no title")
    return problems


@pytest.mark.parametrize("spec", PAGES, ids=page_id)
def test_charts_have_titles_and_tables_have_headers(spec, demo_db, monkeypatch):
    found = {}
    for presenting in (False, True):
        at = run_page(demo_db, monkeypatch, spec, presenting=presenting, extra=DEEP_PARAMS.get(spec.url_path))
        assert not at.exception, [e.value for e in at.exception]
        for index, chart in enumerate(at.get("plotly_chart")):
            problems = chart_problems(json.loads(chart.proto.spec))
            if problems:
                found[f"chart {index} presenting={presenting}"] = problems
        for index, table in enumerate(at.dataframe):
            columns = [str(c) for c in table.value.columns]
            if not columns or any(not c.strip() or c.isdigit() for c in columns):
                found[f"table {index}"] = columns
    assert found == {}

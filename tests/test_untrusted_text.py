"""Names, notes and labels from the data are shown as the text they are on every page: with a
school, a partner, a district, a region, a zone, a partner type and a metric whose names carry
Markdown, HTML, KaTeX, directives and Plotly template syntax (tests/untrusted.py), no Markdown
source and no figure holds any of it unescaped. The same in a real browser:
tests/test_browser_untrusted.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.app.navigation import PAGES
from tests.untrusted import PARTNER, RAW_MARKDOWN, RAW_PLOTLY, SCHOOL, nasty_database

APP = str(Path(__file__).resolve().parent.parent / "app.py")
# The fields of an element that Streamlit renders as Markdown (a body, a label, a tooltip); options
# of a select box, values and tables are plain text.
MARKDOWN_FIELDS = {"body", "label", "help", "placeholder", "caption", "tooltip"}
# (page, query, widget values): every page as opened, then the views that show more names.
OPENED = [(spec.script, {}, {}) for spec in PAGES] + [
    ("pages/school.py", {"school": SCHOOL}, {}),
    ("pages/school.py", {"school": SCHOOL, "lang": "es"}, {}),
    ("pages/partners.py", {"partner": PARTNER}, {}),
    ("pages/partners.py", {"partner": PARTNER, "lang": "es", "present": "1"}, {}),
    ("pages/map.py", {"school": SCHOOL}, {"map_show_partners": True, "map_shade_zones": True}),
    ("pages/outcomes.py", {}, {"outcome_group": "region", "outcome_metric": "chronic_absence_pct"}),
    ("pages/plan.py", {}, {"plan_tab": "Bundles"}),
    ("pages/plan.py", {}, {"plan_tab": "Before and after"}),
    *[("pages/data.py", {}, {"data_tab": tab}) for tab in ("Edit partnerships", "Tag strategies", "Data quality")],
    *[("pages/story.py", {"step": str(step)}, {}) for step in range(1, 5)],
]


@pytest.fixture(scope="module")
def nasty_db(demo_db, tmp_path_factory):
    return nasty_database(demo_db, tmp_path_factory.mktemp("nasty") / "nasty.duckdb")


def markdown_sources(at) -> list[str]:
    """Every text of the page that Streamlit renders as Markdown, sidebar and main, blocks included."""
    found = []

    def fields(message):
        for descriptor, value in message.ListFields():
            if descriptor.type == descriptor.TYPE_MESSAGE:
                for item in [value] if hasattr(value, "ListFields") else value:
                    fields(item)
            elif descriptor.name in MARKDOWN_FIELDS and isinstance(value, str):
                found.append(value)

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and node.type not in ("arrow_data_frame", "plotly_chart"):
            fields(proto)
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    return found


def figure_strings(spec) -> list[str]:
    """Every string of a figure's JSON (titles, annotations, hover texts and templates, data)."""
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, dict):
        return [s for value in spec.values() for s in figure_strings(value)]
    if isinstance(spec, list):
        return [s for value in spec for s in figure_strings(value)]
    return []


@pytest.mark.parametrize(("script", "query", "widgets"), OPENED, ids=[f"{s}-{q}-{w}" for s, q, w in OPENED])
def test_no_page_interprets_text_from_the_data(nasty_db, monkeypatch, script, query, widgets):
    monkeypatch.setenv("ATLAS_DB", str(nasty_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query)
    for key, value in widgets.items():
        at.session_state[key] = value
    if script != "pages/overview.py":
        at.switch_page(script)
    at.run()
    assert not at.exception and not at.error

    sources = markdown_sources(at)
    leaks = [(raw, text) for text in sources for raw in RAW_MARKDOWN if re.search(raw, text)]
    assert not leaks, leaks
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    texts = [text for figure in figures for text in figure_strings(figure)]
    leaks = [(raw, text) for text in texts for raw in RAW_PLOTLY if re.search(raw, text)]
    assert not leaks, leaks
    # Not vacuous: the district's name is in the sidebar of every page, escaped.
    assert any("District \\*\\*b\\*\\* \\$x^2\\$" in text for text in sources)

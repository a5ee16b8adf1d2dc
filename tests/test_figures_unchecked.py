"""The app makes its figures without Plotly's property checks (atlas.present.figures.build_figure); the
rest of the suite makes them checked. Here: the checks are on in tests, and every page sends the
browser the same charts either way."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.io
import pytest
from streamlit.testing.v1 import AppTest

from atlas.app.navigation import PAGES
from atlas.present import packet, story
from atlas.present.figures import CHECK_FIGURES_VARIABLE, build_figure
from atlas.present.i18n import translate

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_the_suite_checks_every_figure():
    with pytest.raises(ValueError, match="colour"):
        build_figure([{"type": "bar", "x": [1], "colour": "red"}], {}, presenting=False)


def test_an_unchecked_figure_is_not_checked(monkeypatch):
    monkeypatch.delenv(CHECK_FIGURES_VARIABLE)
    build_figure([{"type": "bar", "x": [1], "colour": "red"}], {}, presenting=False)


def page_charts(page: str, query: dict[str, str], tab: tuple[str, str] | None = None) -> list[dict]:
    """The charts a page sends; tab: (its key, the message key of its label) to open another tab."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    at.switch_page(page)
    at.run()
    if tab:
        at.session_state[tab[0]] = translate(tab[1], query.get("lang", "en"))
        at.run()
    assert not at.exception, at.exception
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


# Views on a tab a page does not open first (only the open tab runs).
OTHER_TABS = [("pages/gaps.py", ("gaps_tab", "gaps.tab_continuity"))]


@pytest.mark.parametrize("query", [{}, {"lang": "es", "present": "1"}], ids=["desk-en", "present-es"])
def test_every_page_sends_the_same_charts_unchecked(demo_db, monkeypatch, query):
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    n_charts = 0
    for page, tab in [*((spec.script, None) for spec in PAGES), *OTHER_TABS]:
        checked = page_charts(page, query, tab)
        with monkeypatch.context() as unchecked:
            unchecked.delenv(CHECK_FIGURES_VARIABLE)
            assert page_charts(page, query, tab) == checked, (page, tab)
        n_charts += len(checked)
    assert n_charts >= 11  # the pages draw their charts (a page that drew none would pass vacuously)


def test_the_packet_charts_are_the_same_unchecked(demo_db, monkeypatch):
    """The packet's charts go to kaleido as figures, not through a page: each story step's figure,
    made unchecked, has the same JSON."""
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    filters = packet.default_filters()

    def step_figures() -> list[dict]:
        steps = [story.build_step(key, filters, "es", presenting=True) for key in story.STEPS]
        return [json.loads(plotly.io.to_json(step.figure)) for step in steps if step.figure is not None]

    checked = step_figures()
    monkeypatch.delenv(CHECK_FIGURES_VARIABLE)
    assert step_figures() == checked
    assert len(checked) == len(story.STEPS)

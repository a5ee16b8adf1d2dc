"""The whole app in a real browser: every page opened by its deep link on a freshly started
server, no exception boxes, no console errors, charts drawn, screenshots saved to
test-artifacts/screenshots/ at desktop and projector sizes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from atlas.i18n import translate
from atlas.navigation import PAGES
from tests.browser import ConsoleLog, chromium, running_app, screenshot, wait_for_run

pytestmark = pytest.mark.browser

SIZES = [(1440, 900), (1280, 720)]
# Plotly charts each page must draw with the demo district's default filters.
MIN_CHARTS = {"": 1}
# The story draws one chart per step (step 1 on a deep link).
MIN_CHARTS["story"] = 1
MIN_CHARTS["plan"] = 1  # recommended matches per strategy, on the first tab
MIN_CHARTS["community"] = 1  # the choices counted in the room
MIN_CHARTS["map"] = 1  # the school map (the School profile shows charts once a school is chosen)
MIN_CHARTS["gaps"] = 2  # the school × strategy matrix and the feeder-continuity view
MIN_CHARTS["partners"] = 2  # partners by type and by strategy
MIN_CHARTS["outcomes"] = 3  # trend by group, with vs without a strategy, every school by year


def page_name(spec) -> str:
    return spec.url_path or "overview"


@pytest.mark.parametrize("spec", PAGES, ids=page_name)
def test_deep_link_on_a_fresh_server(spec, demo_db):
    with running_app(demo_db) as base, chromium() as browser:
        for width, height in SIZES:
            page = browser.new_page(viewport={"width": width, "height": height})
            console = ConsoleLog(page)
            page.goto(f"{base}/{spec.url_path}")
            wait_for_run(page)
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
            # app.py ran (not the bare page script): its sidebar and navigation are there,
            # with page titles rather than file names.
            expect(page.get_by_text("Language · Idioma")).to_be_visible()
            if len(PAGES) > 1:  # Streamlit shows no menu for a single page
                nav = page.get_by_test_id("stSidebarNav")
                for other in PAGES:
                    expect(nav.get_by_text(translate(other.title_key, "en"), exact=True)).to_be_visible()
            charts = page.locator(".js-plotly-plot .main-svg")
            if MIN_CHARTS.get(spec.url_path):
                expect(charts.first).to_be_visible(timeout=20_000)
                assert charts.count() >= MIN_CHARTS[spec.url_path]
            page.wait_for_timeout(800)  # the map's WebGL layer paints after its SVG
            screenshot(page, f"{page_name(spec)}-{width}x{height}")
            assert console.errors == []
            assert console.remote_requests == []
            page.close()


def test_presentation_mode_in_spanish_at_projector_size(demo_db):
    with running_app(demo_db) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        console = ConsoleLog(page)
        page.goto(f"{base}/?present=1&lang=es")
        wait_for_run(page)
        expect(page.get_by_role("heading", name="¿Dónde dejan vacíos nuestras alianzas?")).to_be_visible()
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        screenshot(page, "overview-present-es-1280x720")
        assert console.errors == []

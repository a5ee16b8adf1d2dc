"""The whole app in a real browser: every page opened by its deep link, no exception boxes, no
console errors, no request leaving the app's server, charts drawn, screenshots saved to
test-artifacts/screenshots/ at desktop and projector sizes.

A deep link on a freshly started server takes a path of its own (docs/architecture.md: "Why the pages/ folder
needs one line of care"): Streamlit runs the page script without app.py until some session has
called st.navigation, and page_context() then draws the shell itself. That path is the same
code for every page, so it is proven in the browser on fresh servers for COLD_PAGES; the other
pages are opened by their deep links on one shared server. (AppTest takes the same path on every
page it reaches with switch_page, so the AppTest tests run it for every page too.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from atlas.app.navigation import PAGES
from atlas.present.i18n import translate
from tests.browser import ConsoleLog, resize, running_app, screenshot, wait_for_charts, wait_for_run

pytestmark = pytest.mark.browser

# Every page is opened at the first size, then the window is resized to the second one and
# every check is made again (a second page load per size would cost a full run of the page).
SIZES = [(1440, 900), (1280, 720)]
# Plotly charts each page must draw with the demo district's default filters.
MIN_CHARTS = {"": 1}
# The story draws one chart per step (step 1 on a deep link).
MIN_CHARTS["story"] = 1
MIN_CHARTS["plan"] = 1  # recommended matches per strategy, on the first tab
MIN_CHARTS["community"] = 1  # the choices counted in the room
MIN_CHARTS["map"] = 1  # the school map (the School profile shows charts once a school is chosen)
MIN_CHARTS["gaps"] = 1  # the school × strategy matrix (the feeder-continuity view is on the second tab)
MIN_CHARTS["partners"] = 2  # partners by type and by strategy
MIN_CHARTS["outcomes"] = 3  # trend by group, with vs without a strategy, every school by year

# Deep links opened on a freshly started server: the map (the heaviest page: WebGL, the longest
# first run) and the data page (forms, uploader and editable tables, no chart).
COLD_PAGES = ("map", "data")


def page_name(spec) -> str:
    return spec.url_path or "overview"


def check_deep_link(browser, base: str, spec) -> None:
    """Open the page by its URL in a new session and check it at every size in SIZES."""
    width, height = SIZES[0]
    page = browser.new_page(viewport={"width": width, "height": height})
    console = ConsoleLog(page, base)
    page.goto(f"{base}/{spec.url_path}")
    wait_for_run(page)
    for width, height in SIZES:
        if page.viewport_size != {"width": width, "height": height}:
            resize(page, width, height)
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
        wait_for_charts(page)
        screenshot(page, f"{page_name(spec)}-{width}x{height}")
    assert console.errors == []
    assert console.remote_requests == []
    page.close()


@pytest.mark.parametrize("spec", [spec for spec in PAGES if spec.url_path in COLD_PAGES], ids=page_name)
def test_deep_link_on_a_fresh_server(spec, demo_db, browser):
    with running_app(demo_db) as base:
        check_deep_link(browser, base, spec)


@pytest.mark.parametrize("spec", [spec for spec in PAGES if spec.url_path not in COLD_PAGES], ids=page_name)
def test_deep_link(spec, app_server, browser):
    check_deep_link(browser, app_server, spec)


def test_the_fresh_server_pages_are_deep_links():
    """COLD_PAGES name real pages other than the default one (a link to / runs app.py anyway), so
    the fresh-server test cannot silently run on no page."""
    deep_links = {spec.url_path for spec in PAGES} - {""}
    assert COLD_PAGES
    assert set(COLD_PAGES) <= deep_links

"""The Map and School profile pages in a real browser (Debian's Chromium), offline-safe: click a
school marker on the WebGL map and land on its profile with the shared filters kept; no request
ever leaves 127.0.0.1; no console errors; screenshots at desktop and projector sizes."""

from __future__ import annotations

import re

import duckdb
import pytest
from playwright.sync_api import Page, expect

from atlas import synth
from tests.browser import (
    MAPS_IDLE,
    ConsoleLog,
    running_app,
    screenshot,
    wait_for_run,
    wait_until_quiet,
)

pytestmark = pytest.mark.browser

# The map is drawn when every MapLibre map on the page has loaded its style and sources and has
# a layer for every trace of the figure Streamlit last sent (a rerun replaces the traces).
MAP_READY = """() => {
    const charts = [...document.querySelectorAll('.js-plotly-plot')].filter(gd => gd._fullLayout && gd._fullLayout.map);
    return charts.length > 0 && charts.every(gd => {
        const map = gd._fullLayout.map._subplot.map;
        const layers = map.getStyle().layers.map(layer => layer.id).join(' ');
        return map.loaded() && gd._fullData.every(trace => layers.includes(`plotly-trace-layer-${trace.uid}`));
    });
}"""

# Where a longitude/latitude is on the screen, from the map's own projection.
SCREEN_POINT = """([lon, lat]) => {
    const gd = document.querySelector('.js-plotly-plot');
    const map = gd._fullLayout.map._subplot.map;
    const point = map.project([lon, lat]);
    const box = map.getCanvas().getBoundingClientRect();
    return [box.left + point.x, box.top + point.y];
}"""

# [longitude, latitude] of the area of schools drawn largest (the one with the most schools).
LARGEST_AREA = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    const areas = gd._fullData.find(trace => trace.meta && trace.meta.layer === 'areas' && trace.marker.coloraxis);
    const sizes = Array.from(areas.marker.size);
    const i = sizes.indexOf(Math.max(...sizes));
    return [areas.lon[i], areas.lat[i]];
}"""

# Streamlit's frontend, opened on a deep link such as /map, first probes /map/_stcore/… for a
# base path; the 404 it gets is logged by Chromium as a console error. Harmless, and only these.
BASE_PATH_PROBE = re.compile(r"/[a-z]+/_stcore/(health|host-config)$")


class Network:
    """Every request that leaves the app's server, and 404s other than the base-path probe."""

    def __init__(self, page: Page, base: str):
        self.outside: list[str] = []
        self.not_found: list[str] = []
        page.on("request", lambda request: self._on_request(request.url, base))
        page.on("response", self._on_response)

    def _on_request(self, url: str, base: str) -> None:
        if not url.startswith((base, "data:", "blob:")):
            self.outside.append(url)

    def _on_response(self, response) -> None:
        if response.status == 404 and not BASE_PATH_PROBE.search(response.url):
            self.not_found.append(response.url)


def console_errors(console: ConsoleLog, network: Network) -> list[str]:
    """Console errors, less the 404 lines of the base-path probe (when no other 404 happened)."""
    probe_line = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    if network.not_found:
        return console.errors
    return [error for error in console.errors if error != probe_line]


def wait_for_map(page: Page) -> None:
    wait_for_run(page)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
    page.wait_for_function(MAP_READY, timeout=30_000)
    page.evaluate(MAPS_IDLE)


def school_location(database, school_id: str) -> tuple[float, float]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("SELECT longitude, latitude FROM school WHERE school_id = $s", {"s": school_id}).fetchone()


def test_click_a_school_on_the_map_and_land_on_its_profile(demo_db, app_server, browser):
    lon_lat = school_location(demo_db, "RB-E25")
    base = app_server
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    console, network = ConsoleLog(page), Network(page, base)
    page.goto(f"{base}/map?level=elementary&region=South&strategy=6")
    wait_for_map(page)
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    wait_for_map(page)
    screenshot(page, "map-before-click-1440x900")
    x, y = page.evaluate(SCREEN_POINT, list(lon_lat))
    page.mouse.move(x, y)
    expect(page.locator(".hoverlayer .hovertext").first).to_contain_text("Aspen Elementary School")
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(r"/school\?.*school=RB-E25"), timeout=30_000)
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Aspen Elementary School")).to_be_visible()
    # The shared filters travelled with the click: in the URL and in the sidebar.
    for kept in ("level=elementary", "region=South", "strategy=6"):
        assert kept in page.url
    expect(page.get_by_test_id("stSidebar").get_by_text("Elementary", exact=True)).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
    screenshot(page, "school-after-click-1440x900")
    assert network.outside == []
    assert network.not_found == []
    assert console_errors(console, network) == []


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1280, 720)])
def test_map_with_partners_and_the_profile_offline_and_presenting(app_server, browser, width, height):
    size = f"{width}x{height}"
    base = app_server
    page = browser.new_page(viewport={"width": width, "height": height})
    console, network = ConsoleLog(page), Network(page, base)
    page.goto(f"{base}/map?strategy=6")
    wait_for_map(page)
    page.get_by_test_id("stCheckbox").filter(has=page.get_by_role("switch", name="Partners")).click()
    expect(page.locator(".js-plotly-plot .legend").first).to_contain_text("Partners by type", timeout=30_000)
    wait_for_map(page)
    screenshot(page, f"map-partners-{size}")
    for path, name in [("map?present=1", "map-present"), ("school?school=RB-O03&present=1", "school-present")]:
        page.goto(f"{base}/{path}")
        wait_for_map(page) if path.startswith("map") else wait_for_run(page)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        screenshot(page, f"{name}-{size}")
    assert network.outside == []
    assert network.not_found == []
    assert console_errors(console, network) == []


def test_a_state_database_draws_areas_that_say_what_they_hold(tmp_path, browser):
    """3,000 schools: the map draws areas, says so above the map, an area's hover gives its
    averages, and a click on it opens no profile."""
    database = tmp_path / "state.duckdb"
    synth.synthesize(database, 3_000, seed=5, state="TX")
    with running_app(database) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        console, network = ConsoleLog(page), Network(page, base)
        page.goto(f"{base}/map?strategy=6")
        wait_for_map(page)
        chart = page.locator(".js-plotly-plot").first
        chart.scroll_into_view_if_needed()
        wait_for_map(page)
        expect(chart.locator(".gtitle-subtitle")).to_contain_text("schools are shown as")
        screenshot(page, "map-areas-1280x720")
        x, y = page.evaluate(SCREEN_POINT, page.evaluate(LARGEST_AREA))
        page.mouse.move(x, y)
        hover = page.locator(".hoverlayer .hovertext").first
        expect(hover).to_contain_text("schools")
        expect(hover).to_contain_text("strategies covered on average")
        expect(hover).to_contain_text("Narrow the filters")
        page.mouse.click(x, y)
        # The click may select the area (a rerun) or not, as the chart takes it: either way no profile opens.
        wait_until_quiet(page)
        assert "/map" in page.url and "school=" not in page.url
        expect(page.get_by_role("heading", name="Where our schools and partners are")).to_be_visible()
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        assert network.outside == []
        assert network.not_found == []
        assert console_errors(console, network) == []

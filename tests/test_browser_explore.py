"""The Coverage gaps and Partners pages in a real browser (Debian's Chromium): a click on a
matrix cell lands on that school's profile; in presentation mode no contact detail reaches the
browser; no request leaves the app's server; no console errors but the deep-link probe. (Every
page presenting at 1280×720, in both languages, is checked by tests/test_presentation.py.)"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser import ConsoleLog, screenshot, wait_for_run

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
# Streamlit's frontend, opened on a deep link such as /gaps, first probes /gaps/_stcore/… for a
# base path; Chromium logs the 404 it gets as a console error. Harmless, and only these.
BASE_PATH_PROBE = re.compile(r"/[a-z]+/_stcore/(health|host-config)$")
PROBE_LINE = "Failed to load resource: the server responded with a status of 404 (Not Found)"

# The coverage matrix once Plotly has drawn it (undefined before), and where the centre of its first
# cell (highest-need school, strategy 1) is on screen.
MATRIX = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => g._fullLayout && g.layout.title && g.layout.title.text.startsWith('Which strategies'))"""
FIRST_CELL = f"""() => {{
    const gd = ({MATRIX})();
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const box = gd.getBoundingClientRect();
    return [box.left + xa._offset + xa.l2p(0), box.top + ya._offset + ya.l2p(0), gd.data[0].y[0]];
}}"""


class Traffic:
    """Requests that leave the app's server, and 404s other than the base-path probe."""

    def __init__(self, page: Page, base: str):
        self.outside: list[str] = []
        self.not_found: list[str] = []
        page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:")) else self.outside.append(r.url))
        page.on("response", self._on_response)

    def _on_response(self, response) -> None:
        if response.status == 404 and not BASE_PATH_PROBE.search(response.url):
            self.not_found.append(response.url)

    def errors(self, console: ConsoleLog) -> list[str]:
        if self.not_found:
            return console.errors
        return [error for error in console.errors if error != PROBE_LINE]


def test_click_a_matrix_cell_to_open_the_school(app_server, browser):
    base = app_server
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    console, traffic = ConsoleLog(page), Traffic(page, base)
    page.goto(f"{base}/gaps?level=elementary")
    wait_for_run(page)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
    page.wait_for_function(MATRIX, timeout=20_000)  # the matrix drawn, not just the first chart
    x, y, school_id = page.evaluate(FIRST_CELL)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(rf"/school\?.*school={school_id}"), timeout=20_000)
    wait_for_run(page)
    assert "level=elementary" in page.url  # the shared filters travel with the click
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "gaps-click-to-school-1440x1400")
    assert traffic.outside == []
    assert traffic.errors(console) == []


def test_presentation_mode_sends_no_contact_to_the_browser(app_server, browser):
    with (ROOT / "data" / "demo" / "partners.csv").open(encoding="utf-8") as file:
        contacts = [
            row[column] for row in csv.DictReader(file) for column in ("contact_name", "contact_email", "contact_phone")
        ]
    base = app_server
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    console, traffic = ConsoleLog(page), Traffic(page, base)
    page.goto(f"{base}/partners?present=1&partner=RB-P001")
    wait_for_run(page)
    expect(page.get_by_text("Riverbend Savings & Loan").first).to_be_visible()
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
    html = page.content()
    assert [contact for contact in contacts if contact and contact in html] == []
    screenshot(page, "partners-present-1280x720")
    assert traffic.outside == []
    assert traffic.errors(console) == []

"""Offline: the exports work with no request leaving 127.0.0.1 — a table's CSV, a chart's PNG
from its toolbar, and the board packet from the sidebar. Every page's own requests are checked
by the deep-link and presentation browser tests (ConsoleLog.remote_requests). `make test` runs
the suite under `unshare -n` (loopback only) where the machine allows, so a hidden dependency on
the internet fails there too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import ConsoleLog, is_local, runs_started, wait_for_rerun, wait_for_run, wait_until_quiet

pytestmark = pytest.mark.browser


def test_is_local():
    assert is_local("http://127.0.0.1:8501/_stcore/health")
    assert is_local("data:image/png;base64,AAAA")
    assert not is_local("https://tile.openstreetmap.org/1/1/1.png")
    assert not is_local("https://cdn.plot.ly/plotly-3.7.0.js")


def test_exports_work_offline(app_server, browser, tmp_path):
    """CSV of a table, PNG of a chart (Plotly's toolbar, drawn in the browser) and the board
    packet (kaleido in the server), with every request staying on this machine."""
    base = app_server
    page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    console = ConsoleLog(page)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base)
    wait_for_run(page)

    runs_before_csv = runs_started(page)
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Download CSV").first.click()
    csv_path = tmp_path / csv_download.value.suggested_filename
    csv_download.value.save_as(csv_path)
    assert csv_path.suffix == ".csv" and "Strategy" in csv_path.read_text(encoding="utf-8-sig")

    chart = page.locator(".js-plotly-plot").first
    expect(chart).to_be_visible(timeout=20_000)
    chart.hover()
    with page.expect_download(timeout=60_000) as png_download:
        chart.locator(
            '.modebar-btn[data-title="Download plot as a PNG"], .modebar-btn[data-title*="png"]'
        ).first.click()
    png_path = tmp_path / png_download.value.suggested_filename
    png_download.value.save_as(png_path)
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # The CSV button reran the app when clicked: that run must have finished before the packet
    # button is clicked, or the click lands while the sidebar is being redrawn.
    wait_for_rerun(page, runs_before_csv)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Board packet", exact=True).click()
    make_button = sidebar.get_by_role("button", name="Make the board packet")
    expect(make_button).to_be_enabled()
    wait_until_quiet(page)
    make_button.click()
    download_button = sidebar.get_by_role("button", name="Download the packet (PPTX)")
    expect(download_button).to_be_visible(timeout=180_000)
    with page.expect_download() as packet_download:
        download_button.click()
    packet_path = tmp_path / packet_download.value.suggested_filename
    packet_download.value.save_as(packet_path)
    assert packet_path.suffix == ".pptx" and packet_path.read_bytes()[:2] == b"PK"
    assert [url for url in requests if not is_local(url)] == []
    assert console.errors == []


class _Page:
    """Enough of a Playwright page to feed ConsoleLog requests."""

    def __init__(self):
        self.handlers = {}

    def on(self, event, handler):
        self.handlers[event] = handler

    def request(self, url: str) -> None:
        self.handlers["request"](type("Request", (), {"url": url}))


def test_console_log_records_requests_that_leave():
    urls = [
        "http://127.0.0.1:8501/_stcore/health",
        "http://127.0.0.1:8502/static/app.js",  # another local server: on this machine, not the app's
        "https://tile.openstreetmap.org/1/1/1.png",
        "data:image/png;base64,AAAA",
        "blob:http://127.0.0.1:8501/1234",
    ]
    anywhere, app_only = _Page(), _Page()
    leaving_machine = ConsoleLog(anywhere)
    leaving_app = ConsoleLog(app_only, "http://127.0.0.1:8501")
    for url in urls:
        anywhere.request(url)
        app_only.request(url)
    assert leaving_machine.remote_requests == ["https://tile.openstreetmap.org/1/1/1.png"]
    assert leaving_app.remote_requests == urls[1:3]

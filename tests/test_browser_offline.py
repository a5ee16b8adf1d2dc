"""Offline: every page, opened in a real browser, makes no request that leaves 127.0.0.1 (no tile
server, font, script or usage statistics), and the exports work — a table's CSV, a chart's PNG
from its toolbar, and the board packet from the sidebar. `make test` runs this under `unshare -n`
(loopback only) where the machine allows, so a hidden dependency on the internet fails here."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from atlas.navigation import PAGES
from tests.browser import ConsoleLog, chromium, running_app, wait_for_run
from tests.test_presentation import DEEP_PARAMS, page_id, settle

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or parsed.hostname in LOCAL_HOSTS


def test_is_local():
    assert is_local("http://127.0.0.1:8501/_stcore/health")
    assert is_local("data:image/png;base64,AAAA")
    assert not is_local("https://tile.openstreetmap.org/1/1/1.png")
    assert not is_local("https://cdn.plot.ly/plotly-3.7.0.js")


def test_every_page_stays_on_this_machine(demo_db):
    remote: dict[str, list[str]] = {}
    with running_app(demo_db) as base, chromium() as browser:
        for presenting in ("", "present=1&"):
            for lang in ("en", "es"):
                for spec in PAGES:
                    page = browser.new_page(viewport={"width": 1280, "height": 720})
                    requests: list[str] = []
                    page.on("request", lambda request, requests=requests: requests.append(request.url))
                    query = presenting + f"lang={lang}"
                    for key, value in DEEP_PARAMS.get(spec.url_path, {}).items():
                        query += f"&{key}={value}"
                    page.goto(f"{base}/{spec.url_path}?{query}")
                    settle(page)
                    page.wait_for_timeout(1000)  # late fetches: fonts, map glyphs and tiles
                    outside = [url for url in requests if not is_local(url)]
                    if outside:
                        remote[f"{page_id(spec)} {query}"] = sorted(set(outside))[:5]
                    page.close()
    assert remote == {}


def test_exports_work_offline(demo_db, tmp_path):
    """CSV of a table, PNG of a chart (Plotly's toolbar, drawn in the browser) and the board
    packet (kaleido in the server), with every request staying on this machine."""
    with running_app(demo_db) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
        console = ConsoleLog(page)
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base)
        wait_for_run(page)

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

        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text("Board packet", exact=True).click()
        sidebar.get_by_role("button", name="Make the board packet").click()
        download_button = sidebar.get_by_role("button", name="Download the packet (PPTX)")
        expect(download_button).to_be_visible(timeout=180_000)
        with page.expect_download() as packet_download:
            download_button.click()
        packet_path = tmp_path / packet_download.value.suggested_filename
        packet_download.value.save_as(packet_path)
        assert packet_path.suffix == ".pptx" and packet_path.read_bytes()[:2] == b"PK"
        assert [url for url in requests if not is_local(url)] == []
        assert console.errors == []

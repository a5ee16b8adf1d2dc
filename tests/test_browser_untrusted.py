"""In Chromium: names from the data with Markdown, HTML and KaTeX in them (tests/untrusted.py), and
links whose values are Markdown, create no link out of the app, no image from elsewhere, no
formula, and no request to any address but the app's own server."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser import ConsoleLog, running_app, wait_for_charts, wait_for_run
from tests.untrusted import PARTNER, SCHOOL, nasty_database

pytestmark = pytest.mark.browser

# The app's pages with the names in view, and the two hostile links of issue 18.
PATHS = [
    "/",
    "/gaps",
    "/outcomes",
    f"/school?school={SCHOOL}",
    f"/partners?partner={PARTNER}",
    "/school?school=" + quote("x” … please [sign in again here](http://evil.example/login)"),
    "/school?school=" + quote("![x](http://203.0.113.9/x.png)"),
    "/partners?partner=" + quote('<a href="http://evil.example/p">p</a><img src="http://203.0.113.9/p.png">'),
]

# Every <a> (HTML or SVG) and <img> whose address leaves the page's origin, and every KaTeX formula. A
# data: image drawn by the page and a contact's e-mail address (a mailto: link, no request) stay.
OUTSIDE = """() => {
    const outside = value => {
        if (!value) return false;
        const url = new URL(value, location.href);
        return !['data:', 'blob:', 'mailto:'].includes(url.protocol) && url.origin !== location.origin;
    };
    const links = [...document.querySelectorAll('a')]
        .map(a => a.getAttribute('href') || a.getAttribute('xlink:href'))
        .filter(outside);
    const images = [...document.querySelectorAll('img, image')]
        .map(img => img.getAttribute('src') || img.getAttribute('href') || img.getAttribute('xlink:href'))
        .filter(outside);
    return {links, images, formulas: document.querySelectorAll('.katex').length};
}"""


@pytest.fixture(scope="module")
def nasty_server(demo_db, tmp_path_factory):
    with running_app(nasty_database(demo_db, tmp_path_factory.mktemp("nasty") / "nasty.duckdb")) as base:
        yield base


@pytest.mark.parametrize("path", PATHS)
def test_no_link_image_formula_or_request_leaves_the_app(nasty_server, browser, path):
    page = browser.new_page(viewport={"width": 1440, "height": 2400})
    console = ConsoleLog(page, nasty_server)
    page.goto(nasty_server + path)
    wait_for_run(page)
    wait_for_charts(page)
    found = page.evaluate(OUTSIDE)
    assert found == {"links": [], "images": [], "formulas": 0}
    assert console.remote_requests == []
    # Not vacuous: the names are on the page, as text.
    if SCHOOL in path or PARTNER in path or path in ("/", "/gaps"):
        assert "**b** $x^2$" in page.inner_text("body")

"""Running the real app in headless Chromium (Debian's /usr/bin/chromium, never a
downloaded browser): a server on a free port, a page that records console errors,
and helpers to wait for a Streamlit run to finish."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page, expect, sync_playwright

# A busy 2-core machine can take several seconds to draw a page: wait up to 20 s.
expect.set_options(timeout=20_000)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]

# Console messages that are not errors of the app, each with the reason it is harmless.
KNOWN_HARMLESS_CONSOLE = (
    # Chromium's WebGL fallback in a GPU-less container (maps draw with SwiftShader).
    "Automatic fallback to software WebGL has been deprecated",
    "GroupMarkerNotSet",
)


# On a deep link such as /map, Streamlit's frontend first probes the server under the page's
# own path (/map/_stcore/health, /map/_stcore/host-config), gets 404 and falls back to the
# root. Only these exact probe URLs are ignored.
KNOWN_HARMLESS_404 = re.compile(r"^http://127\.0\.0\.1:\d+/[a-z_-]+/_stcore/(health|host-config)$")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_app(database: Path):
    """A fresh Streamlit server on the given database; yields its base URL."""
    port = free_port()
    env = {**os.environ, "ATLAS_DB": str(database)}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]
    # The server's output goes to a file, not a pipe: a server kept for a whole session would
    # block once an unread pipe filled up.
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base, server, log)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_healthy(base: str, server: subprocess.Popen, log, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"streamlit exited: {log.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


@contextmanager
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or parsed.hostname in LOCAL_HOSTS


class ConsoleLog:
    """Collects console errors and uncaught page errors (minus the known-harmless ones), and
    every request that would leave this machine (tile servers, fonts, CDNs, statistics) — or,
    given the app's base URL, every request that goes anywhere but the app's own server."""

    def __init__(self, page: Page, base: str | None = None):
        self.errors: list[str] = []
        self.remote_requests: list[str] = []
        self._base = base
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("request", self._on_request)

    def _on_request(self, request) -> None:
        url = request.url
        if self._base is None:
            leaves = not is_local(url)
        else:
            leaves = not url.startswith((self._base + "/", "data:", "blob:")) and url != self._base
        if leaves:
            self.remote_requests.append(url)

    def _on_console(self, message) -> None:
        if message.type != "error" or any(known in message.text for known in KNOWN_HARMLESS_CONSOLE):
            return
        url = (message.location or {}).get("url", "")
        if KNOWN_HARMLESS_404.search(url):
            return
        self.errors.append(f"{message.text} ({url})" if url else message.text)


def wait_for_run(page: Page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=timeout)


# Counts the script runs the page has started (the app's script state turning to "running"),
# from the first call on, so a test can wait for the rerun its click caused even when that run
# started and ended between two looks. Returns the count so far.
COUNT_RUNS = """() => {
    if (window.atlasRunsStarted === undefined) {
        window.atlasRunsStarted = 0;
        const app = document.querySelector('[data-testid="stApp"]');
        new MutationObserver(() => {
            if (app.getAttribute('data-test-script-state') === 'running') window.atlasRunsStarted += 1;
        }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
    }
    return window.atlasRunsStarted;
}"""


def runs_started(page: Page) -> int:
    """How many script runs the page has started since the first call (which starts counting)."""
    return page.evaluate(COUNT_RUNS)


def wait_for_rerun(page: Page, since: int, timeout: float = 30_000) -> None:
    """Wait until a run started after runs_started returned since, and has finished."""
    page.wait_for_function("since => window.atlasRunsStarted > since", arg=since, timeout=timeout)
    wait_for_run(page, timeout)


# Resolves true once no script run has been going for `quiet` ms (false after `limit` ms): a click
# that lands while a rerun redraws its button can be lost, so a test clicks only a quiet page.
QUIET = """([quiet, limit]) => new Promise(resolve => {
    const app = document.querySelector('[data-testid="stApp"]');
    let timer = null;
    const observer = new MutationObserver(() => arm());
    const done = value => { clearTimeout(timer); observer.disconnect(); resolve(value); };
    const arm = () => {
        clearTimeout(timer);
        if (app.getAttribute('data-test-script-state') !== 'running') timer = setTimeout(() => done(true), quiet);
    };
    observer.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
    setTimeout(() => done(false), limit);
    arm();
})"""


def wait_until_quiet(page: Page, quiet_ms: int = 750, limit_ms: int = 60_000) -> None:
    """Wait until the app has run no script for quiet_ms (a rerun that a click or a link started
    has come and gone)."""
    assert page.evaluate(QUIET, [quiet_ms, limit_ms]), f"the app was still rerunning after {limit_ms} ms"


# Per Plotly chart, whether it is as wide as its element (a chart drawn to the container's width).
CHARTS_FILL = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .map(gd => gd._fullLayout !== undefined && Math.abs(gd._fullLayout.width - gd.clientWidth) <= 1)"""


def resize(page: Page, width: int, height: int, timeout: float = 30_000) -> None:
    """Set the viewport and wait until every chart that filled its container's width fills it
    again (Streamlit and Plotly lay the charts out again after a resize)."""
    filled = page.evaluate(CHARTS_FILL)
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_function(
        f"""filled => {{
            const now = ({CHARTS_FILL})();
            return now.length === filled.length && now.every((fills, i) => fills || !filled[i]);
        }}""",
        arg=filled,
        timeout=timeout,
    )


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


# Every MapLibre map on the page (Plotly's map subplots) has loaded its style and sources and
# has a layer for every trace of the figure Streamlit last sent. True when there is no map.
MAPS_READY = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(gd => gd._fullLayout && gd._fullLayout.map)
    .every(gd => {
        const map = gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map;
        if (!map || !map.loaded()) return false;
        const layers = map.getStyle().layers.map(layer => layer.id).join(' ');
        return gd._fullData.every(trace => layers.includes(`plotly-trace-layer-${trace.uid}`));
    })"""

# Resolves once every map has repainted and gone idle (its WebGL canvas is drawn).
MAPS_IDLE = """() => Promise.all([...document.querySelectorAll('.js-plotly-plot')]
    .filter(gd => gd._fullLayout && gd._fullLayout.map)
    .map(gd => new Promise(resolve => {
        const map = gd._fullLayout.map._subplot.map;
        map.once('idle', resolve);
        map.triggerRepaint();
    })))"""


def wait_for_charts(page: Page, timeout: float = 60_000) -> None:
    """Wait until the page's Plotly charts are drawn: their SVG visible and every map (WebGL,
    drawn after its SVG) painted and idle."""
    charts = page.locator(".js-plotly-plot")
    if charts.count():
        expect(charts.locator(".main-svg").first).to_be_visible(timeout=timeout)
        page.wait_for_function(MAPS_READY, timeout=timeout)
        page.evaluate(MAPS_IDLE)

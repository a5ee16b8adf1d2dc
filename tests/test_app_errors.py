"""An unexpected error on a page: the viewer gets a short message in their language, never a
traceback; the server's log gets the traceback."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.app.views import partners
from atlas.present.i18n import translate
from tests.app_elements import page_text

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SECRET = "/srv/atlas/secret_path.py line 42"


def failing_counts(*args, **kwargs):
    raise ValueError(f"boom at {SECRET}")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_failing_page_shows_a_short_message_and_logs_the_traceback(demo_db, monkeypatch, caplog, lang):
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    monkeypatch.setattr(partners, "counts", failing_counts)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    with caplog.at_level(logging.ERROR, logger="atlas.app.shell"):
        at.switch_page("pages/partners.py").run()

    assert not at.exception
    assert [e.value for e in at.error] == [translate("shell.unexpected_error", lang)]
    shown = page_text(at)
    for leak in ("Traceback", "ValueError", "boom", SECRET, "failing_counts", ".py"):
        assert leak not in shown
    logged = [r for r in caplog.records if r.name == "atlas.app.shell"]
    assert len(logged) == 1 and logged[0].levelno == logging.ERROR
    assert "ValueError: boom at " + SECRET in caplog.text and "failing_counts" in caplog.text  # the traceback


def test_streamlit_shows_no_error_details_to_viewers():
    """Errors the page cannot catch (in Streamlit itself) still show no traceback: the value
    Streamlit 1.67 documents for that is "none"."""
    with (ROOT / ".streamlit" / "config.toml").open("rb") as file:
        config = tomllib.load(file)
    assert config["client"]["showErrorDetails"] == "none"


def test_st_stop_still_stops_a_page_quietly(demo_db, monkeypatch):
    """st.stop (a BaseException) passes through the shell's catch: the School page without a
    school stops after its prompt, with no error message."""
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/school.py").run()
    assert not at.exception and not at.error
    assert at.info[0].value == translate("school.choose", "en")

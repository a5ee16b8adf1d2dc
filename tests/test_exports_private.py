"""No private field (atlas.domain.privacy.PRIVATE_COLUMNS: partner contacts, partnership notes) in any
export: every download every page offers (CSV and the Plan's workbook), run outside presentation
mode where private fields are on screen, carries neither a private column nor a private value."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from atlas.app.navigation import PAGES
from atlas.domain.privacy import PRIVATE_COLUMNS
from tests.test_presentation import DEEP_PARAMS, page_id, private_values

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def export_text(data: bytes) -> str:
    """A download's text: a CSV as it is, a workbook (zip) as the text of its parts."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return data.decode("utf-8-sig")


@pytest.mark.parametrize("spec", PAGES, ids=page_id)
def test_no_export_carries_a_private_field(spec, demo_db, monkeypatch):
    recorded: dict[str, bytes] = {}
    original = st.download_button

    def recording_button(label, data, *args, file_name=None, **kwargs):
        made = data() if callable(data) else data
        recorded[file_name] = made if isinstance(made, bytes) else str(made).encode()
        return original(label, data, *args, file_name=file_name, **kwargs)

    monkeypatch.setattr(st, "download_button", recording_button)
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=120).run()
    if spec.url_path:
        at.switch_page(spec.script)
        for key, value in DEEP_PARAMS.get(spec.url_path, {}).items():
            at.query_params[key] = value
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    private = private_values()
    for file_name, data in recorded.items():
        text = export_text(data)
        header = text.splitlines()[0].split(",") if text else []
        assert not PRIVATE_COLUMNS & {column.strip('"') for column in header}, file_name
        assert [value for value in private if value.casefold() in text.casefold()] == [], file_name
    if spec.url_path == "school":  # the partnerships table shows contacts on screen, never in its CSV
        assert any(name.startswith("partnerships-") for name in recorded)

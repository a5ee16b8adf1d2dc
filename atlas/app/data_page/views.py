"""What the Data page's sections share: the database file it reads and changes, the message a
section leaves for the next run (flash), and sections whose content is drawn only when opened.

The Data page (atlas.app.views.data) draws its sections in order: sign-in (sign_in_view), import with
column mapping (import_view), the check, preview and commit of an import or of the partnership
editor's edits (preview_view), bulk strategy tagging (tagging_view), the data-quality report
(quality_view) and the history with undo (history_view). Domain work is in atlas.database.importing; these
modules only draw."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from atlas.database.db import database_path

FLASH = "data_flash"


def db_path() -> Path:
    """The district database the Data page reads and changes (made ready by the app shell's start)."""
    return database_path()


def flash(kind: str, text: str) -> None:
    """A message ("success", "error" or "info") shown at the top of the page after the rerun."""
    st.session_state[FLASH] = (kind, text)


def show_flash() -> None:
    """The message flash() left for this run, if any (shown once)."""
    kind, text = st.session_state.pop(FLASH, (None, None))
    if kind == "success":
        st.success(text, icon=":material/check_circle:")
    elif kind == "error":
        st.error(text, icon=":material/error:")
    elif kind == "info":
        st.info(text, icon=":material/info:")


def lazy_expander(label: str, *, key: str):
    """An expander whose content the caller draws only when it is .open: opening it reruns the
    page. The lists below took most of the page's time, drawn on every run though mostly closed."""
    return st.expander(label, key=key, on_change="rerun")

"""Which district file this browser session reads and changes, and switching it without a restart.

The server knows a list of files (atlas.database.districts). A session keeps the key of its choice in
session state (SESSION_FILE_KEY), never a path: every run the shell turns the key back into a path
through the listing (use_session_file) and makes it the run's file (atlas.database.database_file), so
two sessions on two files never read each other's data (every cache is keyed on the file). A key the
listing no longer holds falls back to the default file.

Switching resets what belongs to the old file (its filters, a checked import, the page's picks) as if
the app were opened afresh, keeping the language, presentation mode and sign-in.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from atlas.app.auth import SESSION_TOKEN
from atlas.database import database_file, districts
from atlas.present.i18n import translate

SESSION_FILE_KEY = "atlas_district_file"
PICKER_KEY = "district_pick"
# Kept when switching: the language, presentation mode, the sign-in and the choice itself.
KEPT_ON_SWITCH = frozenset({"lang", "present", SESSION_TOKEN, SESSION_FILE_KEY, PICKER_KEY})
KEPT_URL_KEYS = ("lang", "present")
URL_KEY = "district"  # ?district=<key>: a link reopens the same district file (a key of the listing only)


def session_file_key() -> str:
    return st.session_state.get(SESSION_FILE_KEY, districts.DEFAULT_KEY)


def _session_file() -> Path | None:
    """The current session's file, for a widget's callback (it runs before the shell): None outside a run."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    key = st.session_state.get(SESSION_FILE_KEY)
    return districts.resolve(key) if key else None


database_file.follow_sessions(_session_file)


def seed_from_url(query: dict[str, str]) -> bool:
    """On a session's first run: the file the link names (?district=<key>), when the listing holds it.
    False when the link names a file the listing does not hold (it is ignored: the default file)."""
    key = query.get(URL_KEY)
    if key is None:
        return True
    if key != districts.DEFAULT_KEY and districts.resolve(key) is not None:
        st.session_state[SESSION_FILE_KEY] = key
        return True
    return False


def use_session_file() -> Path:
    """Make the session's chosen file this run's database file (the default when it chose none or its
    file is gone); returns its path."""
    key = session_file_key()
    path = districts.resolve(key) if key != districts.DEFAULT_KEY else None
    if path is None:
        st.session_state[SESSION_FILE_KEY] = districts.DEFAULT_KEY
        path = database_file.default_database_path()
    database_file.use_database_file(path)
    return path


def switch_to(key: str) -> bool:
    """Make key (a key of the listing) this session's file, forgetting the old file's state; False for a key
    the listing does not hold (nothing changes)."""
    if key != districts.DEFAULT_KEY and districts.resolve(key) is None:
        return False
    if key == session_file_key():
        return True
    for name in list(st.session_state):
        if name not in KEPT_ON_SWITCH:
            del st.session_state[name]
    for name in list(st.query_params):
        if name not in KEPT_URL_KEYS:
            del st.query_params[name]
    st.session_state[SESSION_FILE_KEY] = key
    return True


def file_label(file: districts.DistrictFile, lang: str) -> str:
    return translate("setup.default_file", lang, name=file.path.name) if file.is_default else file.path.name


def picker(lang: str, *, key: str = PICKER_KEY, always: bool = False) -> None:
    """A selectbox of the district files, when the server knows more than one (always: even with one).
    Choosing one switches this session to it."""
    files = districts.district_files()
    if len(files) < 2 and not always:
        return
    keys = [file.key for file in files]
    labels = {file.key: file_label(file, lang) for file in files}
    st.session_state[key] = session_file_key()  # the widget shows the session's file, whatever it showed before
    st.selectbox(
        translate("setup.file_picker", lang),
        keys,
        format_func=labels.get,
        key=key,
        help=translate("setup.file_picker_help", lang),
        on_change=_picked,
        args=(key,),
    )


def _picked(key: str) -> None:
    switch_to(st.session_state[key])

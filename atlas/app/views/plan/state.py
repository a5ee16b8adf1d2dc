"""What the Plan page keeps in the session: widget values while another page is shown, and a
message left by a button's callback for the next run to show."""

import streamlit as st

from atlas.app import ui

KEPT = "plan_kept_"


def remember(key: str, default):
    """The widget's value, kept while another page is shown (atlas.app.ui.remember)."""
    return ui.remember(key, default, KEPT)


def keep(key: str, value) -> None:
    """Set a widget's value and its kept copy."""
    st.session_state[key] = value
    st.session_state[KEPT + key] = value


def flash(kind: str, text: str) -> None:
    """A message ('success', 'error' or 'warning') for the next run to show."""
    st.session_state["plan_flash"] = (kind, text)


def show_flash() -> None:
    flashed = st.session_state.pop("plan_flash", None)
    if flashed:
        {"success": st.success, "error": st.error}.get(flashed[0], st.warning)(flashed[1])

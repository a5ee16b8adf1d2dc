"""Links between pages: a school's profile opened from a table or a chart.

The profile page (pages/school.py) is opened with ?school=<id>; the shared filters travel
with the link so a new tab (or the switched page) opens the same view."""

from __future__ import annotations

from urllib.parse import quote_plus, urlencode

from atlas.app.navigation import PAGES

SCHOOL_PAGE = "pages/school.py"
PARTNER_PAGE = "pages/partners.py"


def has_page(script: str) -> bool:
    """Whether the app's navigation holds the page (pages are added by different people)."""
    return any(spec.script == script for spec in PAGES)


def open_school_profile(school_id: str) -> None:
    """Switch this session to the school's profile, keeping the view. A page switch asked for by
    the script resets every widget, the sidebar's filters included; the URL holds the view (the
    shell rewrites it on every run), so it travels with the switch and the shell seeds the
    widgets from it again."""
    import streamlit as st

    from atlas.app.shell import SEEDED_KEY

    query = {k: v for k, v in st.query_params.to_dict().items() if k not in ("school", "partner")}
    st.session_state.pop(SEEDED_KEY, None)
    st.switch_page(SCHOOL_PAGE, query_params={**query, "school": school_id})


def _url_path(script: str) -> str:
    return next(spec.url_path for spec in PAGES if spec.script == script)


def school_urls(school_ids: list[str], query: dict[str, str]) -> list[str]:
    """A relative link to each school's profile carrying the current query (filters, language).
    The shared part is encoded once: a table of a thousand rows links each one."""
    params = {k: v for k, v in query.items() if k not in ("school", "partner")}
    start = f"{_url_path(SCHOOL_PAGE)}?{urlencode({**params, 'school': ''})}"  # ends "school="
    return [start + quote_plus(school_id) for school_id in school_ids]


def partner_url(partner_id: str, query: dict[str, str]) -> str:
    """A relative link to a partner's detail on the Partners page."""
    params = {k: v for k, v in query.items() if k not in ("school", "partner")}
    return f"{_url_path(PARTNER_PAGE)}?{urlencode({**params, 'partner': partner_id})}"

"""What a page shows when the district's data has parts missing: the sentence that says what is
missing and how to add it (atlas.present.missing_data), with a link to the Data page, in place of a
chart or a table of nothing; and the note under a need figure that says which parts the need index
uses, or that it cannot be computed."""

from __future__ import annotations

import streamlit as st

from atlas.app import links
from atlas.app.page_context import current_language, t
from atlas.domain.filters import Filters
from atlas.domain.query.parts import DistrictParts, district_parts
from atlas.present import missing_data

DATA_PAGE = "pages/data.py"


def parts(filters: Filters) -> DistrictParts:
    """What the database holds (cached with the page's other queries)."""
    return district_parts(filters)


def data_page_link() -> None:
    """A link to the Data page, where every missing part is added (when the app has that page)."""
    if links.has_page(DATA_PAGE):
        st.page_link(DATA_PAGE, label=t("missing.go_to_data"), icon=":material/upload_file:")


def missing(district: DistrictParts, what: str) -> None:
    """Say what is missing ('schools', 'partners', 'partnerships', 'tags', 'metrics') and link to the
    Data page."""
    st.info(missing_data.missing_message(district, what, current_language()), icon=":material/playlist_add:")
    data_page_link()


def show_first_missing(district: DistrictParts, *, upto: str = "tags") -> bool:
    """Show the first missing part of schools → partners → partnerships → tags (stopping after
    `upto`); True when something was missing (the page then has nothing to draw from it)."""
    order = ("schools", "partners", "partnerships", "tags")
    what = district.first_missing
    if what is None or order.index(what) > order.index(upto):
        return False
    missing(district, what)
    return True


def need_note(district: DistrictParts, filters: Filters, *, warn: bool = False) -> None:
    """Which parts the need index uses when some are missing, or that it cannot be computed; as a
    warning where the page ranks by need (warn), otherwise as a caption. Nothing when all are there."""
    lang = current_language()
    note = missing_data.need_note(district, filters.school_year, lang)
    if note is None:
        unknown = missing_data.need_unknown_note(district, lang)
        if unknown:
            st.caption(unknown)
        return
    if warn or not district.has_need:
        st.warning(note, icon=":material/help:")
    else:
        st.caption(note)

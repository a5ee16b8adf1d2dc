"""The Data page's Districts tab: switch this browser tab to another district file the server knows, and
start a new, empty district (an editor only; atlas.database.districts.create_district checks the input
and writes through the one write path)."""

from __future__ import annotations

import streamlit as st

from atlas.app import auth, district_files
from atlas.app.data_page.views import flash
from atlas.app.page_context import PageContext, t
from atlas.database import districts, writes
from atlas.present import escape


def districts_section(context: PageContext, access: auth.Access) -> None:
    district_files.picker(context.lang, key="data_district_pick", always=True)
    st.caption(t("setup.files_folder"))
    st.subheader(t("setup.new_district"), anchor=False)
    st.caption(t("setup.new_district_help"))
    if not access.can_edit:
        st.info(t("setup.editors_create"), icon=":material/lock:")
        return
    with st.form("data_new_district", clear_on_submit=False):
        name = st.text_input(
            t("setup.district_name"), key="data_new_district_name", max_chars=districts.MAX_NAME_LENGTH
        )
        state = st.text_input(t("setup.district_state"), key="data_new_district_state", max_chars=2)
        district_id = st.text_input(t("setup.district_id"), key="data_new_district_id", max_chars=40)
        if st.form_submit_button(t("setup.create"), icon=":material/add:"):
            _create(district_id, name, state, access)


def _create(district_id: str, name: str, state: str, access: auth.Access) -> None:
    """Create the district and switch this tab to it; say why when nothing was created."""
    problems = districts.check_new_district(district_id, name, state)
    if not problems:
        try:
            path = districts.create_district(district_id, name, state, actor=access)
        except writes.NotAllowed:
            problems = ["not_allowed"]
        except districts.DistrictExists:
            problems = ["id_exists"]
    if problems:
        lines = [t("common.not_allowed") if p == "not_allowed" else t(f"setup.problem_{p}") for p in problems]
        st.error("\n".join([t("setup.not_created"), *(f"- {line}" for line in lines)]), icon=":material/error:")
        return
    district_files.switch_to(path.name)
    flash("success", t("setup.created", name=escape.markdown(name.strip())))
    st.rerun()

"""Every assumption atlas/app/pages_folder.py makes about Streamlit's internals, checked on the
installed version: if an upgrade changes one, this fails and names it (see that module's note)."""

from __future__ import annotations

import inspect
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime import pages_manager
from streamlit.runtime.scriptrunner import get_script_run_ctx, script_runner
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
from streamlit.testing.v1 import AppTest

from atlas.app import pages_folder

ROOT = Path(__file__).resolve().parent.parent


def test_streamlit_still_runs_a_pages_folder_without_the_entry_script():
    """The reason for the module: a pages/ folder beside app.py is found by its bare existence
    (no setting turns that off) and, until st.navigation runs, the page runs in app.py's place.
    If this fails, Streamlit changed the rule: see whether the workaround is still needed."""
    manager = inspect.getsource(pages_manager.PagesManager.__init__)
    assert 'self.main_script_parent / "pages"' in manager and ".exists()" in manager
    runner = inspect.getsource(script_runner)
    assert "if PagesManager.uses_pages_directory:\n" in runner and "_mpa_v1(self._main_script_path)" in runner
    assert (ROOT / "pages").is_dir() and (ROOT / "app.py").is_file()


def test_the_run_context_can_still_draw_as_the_entry_script():
    assert callable(get_script_run_ctx)
    assert inspect.isfunction(ScriptRunContext.run_with_active_hash)
    assert list(inspect.signature(ScriptRunContext.run_with_active_hash).parameters) == ["self", "page_hash"]
    assert isinstance(pages_manager.PagesManager.main_script_hash, property)
    # A widget's id still depends on the script hash active when it is drawn.
    assert "active_script_hash" in inspect.getsource(st.elements.lib.utils.compute_and_register_element_id)


def _one_widget_drawn_three_ways():
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from atlas.app.pages_folder import as_app_script

    way = st.session_state.get("way", "by app")
    if way == "by app":
        st.text_input("shell", key="shell")
        return
    with get_script_run_ctx().run_with_active_hash("a-page-hash"):
        if way == "as app":
            with as_app_script():
                st.text_input("shell", key="shell")
        else:
            st.text_input("shell", key="shell")


def test_a_widget_drawn_as_the_entry_script_gets_the_entry_scripts_id():
    at = AppTest.from_function(_one_widget_drawn_three_ways)
    ids = {}
    for way in ("by app", "as app", "by page"):
        at.session_state["way"] = way
        ids[way] = at.run().text_input(key="shell").id
    assert ids["as app"] == ids["by app"]
    assert ids["by page"] != ids["by app"]


def test_a_page_knows_whether_app_py_ran_it():
    assert pages_folder.running_without_app()
    with pages_folder.page_run_by_app():
        assert not pages_folder.running_without_app()
    assert pages_folder.running_without_app()


def test_st_page_is_still_the_page_type_navigation_returns():
    assert StreamlitPage is st.Page

"""The Data page, drawn by render() (pages/data.py is two lines that call it).

Data: the setup checklist, import district files (check, preview, commit whole or not at all), edit
partnerships, tag strategies in bulk, the data-quality report, the history with undo, and the districts
(switch this tab to another district file, start a new one).

Everyone may look at the data-quality report and the history; importing, editing, tagging and
undo need the editor role when sign-in is configured. Presentation mode shows no edit controls.
"""

import streamlit as st

from atlas.app import setup_view
from atlas.app.data_page import (
    district_view,
    editor_view,
    history_view,
    import_view,
    quality_view,
    sign_in_view,
    tagging_view,
    views,
)
from atlas.app.page_context import t
from atlas.app.shell import guarded, page_context


@guarded
def render() -> None:
    """Draw the Data page."""
    context = page_context()
    st.title(t("data.title_present") if context.presenting else t("data.title"))
    views.show_flash()

    if context.presenting:
        st.caption(t("data.presenting"))
        quality_view.quality_section(context)
        st.stop()

    access = sign_in_view.access_panel()
    setup_view.data_page_checklist(context)
    # Each tab: its label, what draws it, and what says whether it holds unsaved work (None: never).
    if access.can_edit:
        sections = [
            ("data.tab_import", lambda: import_view.import_section(context, access), import_view.import_in_progress),
            ("data.tab_edit", lambda: editor_view.editor_section(context, access), editor_view.has_unsaved_edits),
            ("data.tab_tag", lambda: tagging_view.tagging_section(context, access), None),
            ("data.tab_quality", lambda: quality_view.quality_section(context), None),
            ("data.tab_history", lambda: history_view.history_section(context, access, can_undo=True), None),
            ("setup.tab_districts", lambda: district_view.districts_section(context, access), None),
        ]
    else:
        sections = [
            ("data.tab_quality", lambda: quality_view.quality_section(context), None),
            ("data.tab_history", lambda: history_view.history_section(context, access, can_undo=False), None),
            ("setup.tab_districts", lambda: district_view.districts_section(context, access), None),
        ]
    # Only the open tab runs: the others took most of the page's time (the editor's table above all),
    # and choosing another tab reruns the page. A hidden tab holding unsaved work (an uploaded file,
    # edits in the table) runs too: Streamlit forgets the widgets a run does not draw.
    tabs = st.tabs([t(label) for label, _, _ in sections], key="data_tab", on_change="rerun")
    for tab, (_, draw, holds_work) in zip(tabs, sections, strict=True):
        if tab.open or (holds_work is not None and holds_work()):
            with tab:
                draw()

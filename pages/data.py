"""Data: import district files (check, preview, commit whole or not at all), edit partnerships,
tag strategies in bulk, the data-quality report, and the history with undo.

Everyone may look at the data-quality report and the history; importing, editing, tagging and
undo need the editor role when sign-in is configured. Presentation mode shows no edit controls."""

import streamlit as st

from atlas.i18n import t
from atlas.importing import editor_view, views
from atlas.shell import page_context

context = page_context()
st.title(t("data.title_present") if context.presenting else t("data.title"))
views.show_flash()

if context.presenting:
    st.caption(t("data.presenting"))
    views.quality_section(context)
    st.stop()

access = views.access_panel()
if access.can_edit:
    tab_import, tab_edit, tab_tag, tab_quality, tab_history = st.tabs(
        [t("data.tab_import"), t("data.tab_edit"), t("data.tab_tag"), t("data.tab_quality"), t("data.tab_history")]
    )
    with tab_import:
        views.import_section(context, access)
    with tab_edit:
        editor_view.editor_section(context, access)
    with tab_tag:
        views.tagging_section(context, access)
else:
    tab_quality, tab_history = st.tabs([t("data.tab_quality"), t("data.tab_history")])
with tab_quality:
    views.quality_section(context)
with tab_history:
    views.history_section(context, access, can_undo=access.can_edit)

"""The setup checklist (Overview and Data page): each step of a district's data with its state in numbers
and a button to the next step (the Data page's import with that kind chosen, or its strategy tagging)."""

from __future__ import annotations

import functools

import streamlit as st

from atlas.app import auth
from atlas.app.page_context import PageContext, t
from atlas.domain.query.setup import (
    MISSING,
    PARTIAL,
    STEPS,
    SetupCounts,
    is_incomplete,
    needs_attention,
    setup_counts,
    step_states,
)
from atlas.present import setup_text
from atlas.present.i18n import format_number
from atlas.present.import_templates import template_csv

DATA_PAGE = "pages/data.py"
ICONS = {
    "done": ":material/check_circle:",
    "partial": ":material/pending:",
    "missing": ":material/radio_button_unchecked:",
    "optional": ":material/remove_circle_outline:",
}


def setup_state(context: PageContext) -> tuple[SetupCounts, dict[str, str]]:
    """The checklist's counts and each step's state, for the current file."""
    counts = setup_counts(context.filters.framework_id)
    return counts, step_states(counts)


def checklist(context: PageContext, counts: SetupCounts, states: dict[str, str], *, on_data_page: bool) -> None:
    """The checklist, one line per step; the first step still to do has the primary button."""
    where = "data" if on_data_page else "overview"
    lang = context.lang
    first = True
    with st.container(border=True, key=f"setup_checklist_{where}"):
        st.subheader(t("setup.title"), anchor=False)
        st.caption(t("setup.intro"))
        for step in STEPS:
            state = states[step]
            actions = setup_text.next_steps(step, state, counts, lang)
            cols = st.columns([2, 5, 3], vertical_alignment="center")
            cols[0].markdown(
                f"{ICONS[state]} **{setup_text.step_label(step, lang)}**  \n{setup_text.state_label(state, lang)}"
            )
            cols[1].markdown(setup_text.step_sentence(step, state, counts, lang))  # our words and numbers only
            for index, (label, target, help_text) in enumerate(actions):
                if target is None:
                    cols[2].caption(label)
                    continue
                clicked = cols[2].button(
                    label,
                    key=f"setup_{where}_{step}_{index}",
                    type="primary" if first else "secondary",
                    help=help_text,
                    width="stretch",
                )
                first = False
                if clicked:
                    _go(target, on_data_page)
            if state == MISSING and actions and (actions[0][1] or "").startswith("import:"):
                kind = actions[0][1].split(":", 1)[1]
                cols[2].download_button(
                    t("setup.template"),
                    functools.partial(template_csv, kind),
                    file_name=f"{kind}-template.csv",
                    mime="text/csv",
                    key=f"setup_{where}_{step}_template",
                    icon=":material/download:",
                    type="tertiary",
                )


def data_page_checklist(context: PageContext) -> None:
    """On the Data page: the checklist while a step is missing; folded in an expander while a step only has
    gaps; else one line saying setup is complete."""
    counts, states = setup_state(context)
    if is_incomplete(states):
        checklist(context, counts, states, on_data_page=True)
    elif needs_attention(states):  # every step has data, some with gaps: folded away
        n_partial = sum(state == PARTIAL for state in states.values())
        with st.expander(t("setup.complete_with_gaps", count=format_number(n_partial, context.lang))):
            checklist(context, counts, states, on_data_page=True)
    else:
        st.caption(t("setup.complete"))


def _go(target: str, on_data_page: bool) -> None:
    """Open the Data page's import with the kind chosen, or its tagging (tabs only an editor has: a viewer
    lands on the page, which asks them to sign in)."""
    editing = auth.current_access().can_edit
    if target.startswith("import:"):
        st.session_state["data_kind"] = target.split(":", 1)[1]
        if editing:
            st.session_state["data_tab"] = t("data.tab_import")
    elif target == "tag" and editing:
        st.session_state["data_tab"] = t("data.tab_tag")
    if on_data_page:
        st.rerun()
    st.switch_page(DATA_PAGE)

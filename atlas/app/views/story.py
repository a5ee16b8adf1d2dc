"""The Story page, drawn by render() (pages/story.py is two lines that call it).

Story: the key screens one at a time (overview → map → gaps → plan), each one idea with a
plain-language headline and one chart, with Previous / Next buttons for a presenter.
"""

import streamlit as st

from atlas.app import next_step, ui
from atlas.app.page_context import t
from atlas.app.shell import guarded, page_context
from atlas.domain import link_values
from atlas.present import story


def _move(delta: int) -> None:
    st.session_state["story_step"] = min(max(st.session_state["story_step"] + delta, 1), len(story.STEPS))


@guarded
def render() -> None:
    """Draw the Story page."""
    context = page_context()
    lang = context.lang
    # A district without schools has no story yet; one without partnerships tells it with a word on what to load.
    parts = next_step.parts(context.filters)
    if not parts.n_schools:
        next_step.missing(parts, "schools")
        st.stop()

    # The step lives in the URL (?step=2), so a link can open the story where the presenter is.
    if "story_step" not in st.session_state:
        linked = st.query_params.get("step")
        number = link_values.whole_number(linked, 1, len(story.STEPS))
        if linked is not None and number is None:
            ui.ignored_link_value("step")
        st.session_state["story_step"] = number or 1

    number = st.session_state["story_step"]
    st.query_params["step"] = str(number)
    key = story.STEPS[number - 1]
    # One screen at 1280×720 in presentation mode: headline, chart and the buttons above the fold.
    step = story.build_step(key, context.filters, lang, context.presenting, height=430 if context.presenting else None)

    st.markdown(
        f"<p class='atlas-step'>{t('story.step_of', step=number, total=len(story.STEPS), name=step.name)}</p>",
        unsafe_allow_html=True,
    )
    if not context.presenting:
        next_step.show_first_missing(parts)
    ui.headline(step.headline)
    if step.figure is not None:
        ui.show_chart(step.figure, key=f"story_chart_{key}", file_name=f"story-{number}-{key}")

    back, _, forward = st.columns([1, 3, 1])
    back.button(
        t("story.previous"),
        key="story_previous",
        icon=":material/arrow_back:",
        on_click=_move,
        args=(-1,),
        disabled=number == 1,
        width="stretch",
    )
    forward.button(
        t("story.next"),
        key="story_next",
        icon=":material/arrow_forward:",
        on_click=_move,
        args=(1,),
        disabled=number == len(story.STEPS),
        width="stretch",
    )

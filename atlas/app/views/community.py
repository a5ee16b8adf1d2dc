"""The Community priorities page, drawn by render() (pages/community.py is two lines that call it).

Community priorities: a view for the room of a community conversation (framework strategy 2,
"listening to the community"). A facilitator counts how many people chose each strategy, for
the whole district or one school, and saves the count with its date and place; the results
become strategy weights in the Plan.

Presentation mode: this view is meant to be projected while the room counts, so the counting
inputs, the chart and the save button stay (large, nothing private on it). What is desk work
is hidden: the conversation's details collapse into one line, and earlier conversations can
be looked at but not reopened or deleted.
"""

from collections.abc import Callable
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from atlas.app import auth, ui
from atlas.app.page_context import t
from atlas.app.shell import guarded, page_context
from atlas.database import writes
from atlas.database.db import database_path
from atlas.domain import planning, scenarios
from atlas.domain.query import plan as q
from atlas.domain.query.common import district, strategies
from atlas.domain.query.school import PICKER_ROWS, school_list
from atlas.present import plan_figures, strategy_axis
from atlas.present.i18n import format_date, format_number, translate

KEPT = "community_kept_"  # where a widget's value is kept while another page is shown


def vote_key(strategy_id: str) -> str:
    return f"community_votes_{strategy_id}"


@guarded
def render() -> None:
    """Draw the Community priorities page."""
    context = page_context()
    lang = context.lang
    framework_id = context.filters.framework_id
    presenting = context.presenting
    access = auth.current_access()  # saving and deleting counts need an editor (checked again on writing)

    strategy_table = strategies(framework_id, lang)
    strategy_ids = tuple(strategy_table["strategy_id"])
    sessions = q.community_sessions(framework_id)

    remember("community_session_id", scenarios.new_session_id())  # the conversation being counted
    scope = remember("community_scope", "")
    held_on = remember("community_held_on", date.today())
    place = remember("community_place", "")
    votes = {sid: int(remember(vote_key(sid), 0)) for sid in strategy_ids}

    show_large_type()
    show_title_and_messages(presenting)
    school_names, scope = show_details(scope, presenting, lang)
    label_scope = partial(scope_label, school_names=school_names, lang=lang)
    st.caption(
        t(
            "community.summary",
            place=place or t("community.no_place"),
            day=format_date(held_on, lang),
            scope=label_scope(scope),
        )
    )

    show_tally_inputs(strategy_table)
    tally = strategy_table[["strategy_id", "strategy_number", "short_name"]].assign(
        votes=[votes[sid] for sid in strategy_ids]
    )
    show_total_and_buttons(tally, strategy_ids, framework_id, lang, presenting, access)
    ui.show_chart(
        plan_figures.community_chart(tally, lang, presenting), key="community_chart", file_name="community-votes"
    )
    show_weights(tally)
    show_past_sessions(sessions, strategy_ids, framework_id, lang, presenting, access, label_scope)


def remember(key: str, default):
    """The widget's value, kept while another page is shown (atlas.app.ui.remember)."""
    return ui.remember(key, default, KEPT)


def set_state(values: dict) -> None:
    state = st.session_state
    for key, value in values.items():
        state[key] = value
        state[KEPT + key] = value


def scope_label(value: str, *, school_names: dict, lang: str) -> str:
    # Also a format_func, which AppTest calls outside a script run: the language is passed.
    return school_names.get(value) or translate("community.scope_district", lang)


# Widget callbacks: they run before the next script run, with what that run's render() passed.


def new_count(strategy_ids: tuple) -> None:
    set_state(
        {
            "community_session_id": scenarios.new_session_id(),
            "community_place": "",
            "community_held_on": date.today(),
            **{vote_key(sid): 0 for sid in strategy_ids},
        }
    )


def continue_count(chosen: str, sessions: pd.DataFrame, framework_id: str, lang: str) -> None:
    row = sessions[sessions["session_id"] == chosen].iloc[0]
    counted = q.community_votes(framework_id, lang, (chosen,))
    set_state(
        {
            "community_session_id": chosen,
            "community_scope": row["school_id"] if isinstance(row["school_id"], str) else "",
            "community_held_on": pd.Timestamp(row["held_on"]).date(),
            "community_place": row["place"],
            **{vote_key(sid): int(n) for sid, n in zip(counted["strategy_id"], counted["votes"], strict=True)},
        }
    )


def save_count(strategy_ids: tuple, framework_id: str, lang: str, access: auth.Access) -> bool:
    state = st.session_state
    try:
        save_session(strategy_ids, framework_id, access)
    except writes.NotAllowed:
        state["community_refused"] = t("common.not_allowed")
        return False
    total = sum(int(state[vote_key(sid)]) for sid in strategy_ids)
    state["community_flash"] = t(
        "community.saved_ok",
        count=format_number(total, lang),
        place=state["community_place"] or t("community.no_place"),
        day=format_date(state["community_held_on"], lang),
    )
    return True


def save_session(strategy_ids: tuple, framework_id: str, access: auth.Access) -> None:
    state = st.session_state
    scenarios.save_community_session(
        database_path(),
        scenarios.CommunitySession(
            session_id=state["community_session_id"],
            district_id=district()["district_id"],
            school_id=state["community_scope"] or None,
            framework_id=framework_id,
            held_on=state["community_held_on"],
            place=state["community_place"],
            votes={sid: int(state[vote_key(sid)]) for sid in strategy_ids},
        ),
        access,
    )


def use_in_plan(strategy_ids: tuple, framework_id: str, lang: str, access: auth.Access) -> None:
    if not save_count(strategy_ids, framework_id, lang, access):
        return
    state = st.session_state
    state["plan_pending_weight_source"] = f"community:{state['community_session_id']}"
    state["community_go_to_plan"] = True


def delete_session(chosen: str, day: str, strategy_ids: tuple, access: auth.Access) -> None:
    state = st.session_state
    try:
        scenarios.delete_community_session(database_path(), chosen, access)
    except writes.NotAllowed:
        state["community_refused"] = t("common.not_allowed")
        return
    if state.get("community_session_id") == chosen:
        new_count(strategy_ids)
    state["community_flash"] = t("community.deleted", day=day)


# What the page draws, top to bottom.


def show_large_type() -> None:
    """Large type for a projector: the counting inputs get big numbers and big +/- buttons."""
    st.html(
        """<style>
        .st-key-community_tally input { font-size: 2rem; height: 3.2rem; font-weight: 600; }
        .st-key-community_tally [data-testid="stNumberInputStepUp"],
        .st-key-community_tally [data-testid="stNumberInputStepDown"] { width: 3.2rem; height: 3.2rem; }
        .st-key-community_tally [data-testid="stNumberInputStepUp"] svg,
        .st-key-community_tally [data-testid="stNumberInputStepDown"] svg { width: 1.6rem; height: 1.6rem; }
        .st-key-community_tally label p { font-size: 1.1rem; font-weight: 600; }
        </style>"""
    )


def show_title_and_messages(presenting: bool) -> None:
    """The title, and what the last callback left to say (saved, deleted, or not allowed)."""
    state = st.session_state
    st.title(t("community.title"))
    if not presenting:
        st.caption(t("community.intro"))

    flashed = state.pop("community_flash", None)
    if flashed:
        st.success(flashed)
    refused = state.pop("community_refused", None)
    if refused:
        st.error(refused, icon=":material/lock:")


def show_details(scope: str, presenting: bool, lang: str) -> tuple[dict, str]:
    """The conversation's school, date and place; returns the listed schools' names and the scope kept."""
    with st.expander(t("community.details"), expanded=not presenting, icon=":material/event:"):
        columns = st.columns([2, 1, 2])
        # The schools a count can be about: the first PICKER_ROWS by name and the chosen one (a national
        # file has 100,000: one list of them was a picker nobody could use); a search box finds the others.
        listed = ui.searchable(
            columns[0],
            key="community_school_search",
            find=lambda text: school_list(text, scope or None, PICKER_ROWS),
            max_rows=PICKER_ROWS,
        )
        school_names = dict(zip(listed["school_id"], listed["name"], strict=True))
        if scope and scope not in school_names:  # a school since removed from the file
            st.session_state["community_scope"] = scope = ""
        columns[0].selectbox(
            t("community.scope"),
            ["", *school_names],
            format_func=partial(scope_label, school_names=school_names, lang=lang),
            key="community_scope",
        )
        columns[1].date_input(t("community.held_on"), key="community_held_on", format="YYYY-MM-DD")
        columns[2].text_input(
            t("community.place"), key="community_place", placeholder=t("community.place_placeholder"), max_chars=120
        )
    return school_names, scope


def show_tally_inputs(strategy_table: pd.DataFrame) -> None:
    """One number input per strategy, five to a row when there are many."""
    st.subheader(t("community.count_title"))
    st.caption(t("community.count_help"))
    with st.container(key="community_tally"):
        per_row = 5 if len(strategy_table) > 6 else max(1, len(strategy_table))
        rows = list(strategy_table.itertuples(index=False))
        for start in range(0, len(rows), per_row):
            columns = st.columns(per_row, vertical_alignment="bottom")  # inputs line up under labels of 1–3 lines
            for column, row in zip(columns, rows[start : start + per_row], strict=False):
                column.number_input(
                    f"{row.strategy_number} · {row.short_name}",
                    min_value=0,
                    max_value=100_000,
                    step=1,
                    key=vote_key(row.strategy_id),
                )


def show_total_and_buttons(
    tally: pd.DataFrame, strategy_ids: tuple, framework_id: str, lang: str, presenting: bool, access: auth.Access
) -> None:
    """The total, and save / use in the Plan (editors) and new count (not while presenting)."""
    st.markdown(f"**{t('community.total', count=format_number(int(tally['votes'].sum()), lang))}**")
    buttons = st.columns([1, 1, 2])
    saving = (strategy_ids, framework_id, lang, access)
    if access.can_edit:
        buttons[0].button(
            t("community.save"),
            key="community_save",
            type="primary",
            on_click=save_count,
            args=saving,
            icon=":material/save:",
        )
        buttons[2].button(
            t("community.use_in_plan"), key="community_use", on_click=use_in_plan, args=saving, icon=":material/route:"
        )
    else:
        st.caption(t("common.sign_in_to_save"))
    if not presenting:
        buttons[1].button(
            t("community.new_count"),
            key="community_new",
            on_click=new_count,
            args=(strategy_ids,),
            icon=":material/restart_alt:",
        )
    # A flag, not the button's return value: a callback's effect survives the app shell's rerun.
    if st.session_state.pop("community_go_to_plan", False):
        st.switch_page("pages/plan.py")


def show_weights(tally: pd.DataFrame) -> None:
    """The strategy weights the count gives the Plan."""
    st.subheader(t("community.weights_title"))
    weights = planning.community_weights(tally)
    weights_table = pd.DataFrame(
        {
            t("community.col_strategy"): strategy_axis.strategy_labels(tally),
            t("community.col_votes"): tally["votes"],
            t("community.col_weight"): [weights[sid] for sid in tally["strategy_id"]],
        }
    )
    ui.show_table(weights_table, key="community_weights", file_name="community-weights")
    st.caption(t("community.weights_caption"))


def show_past_sessions(
    sessions: pd.DataFrame,
    strategy_ids: tuple,
    framework_id: str,
    lang: str,
    presenting: bool,
    access: auth.Access,
    label_scope: Callable[[str], str],
) -> None:
    """Earlier conversations: their table and combined chart; outside presentation, open or delete one."""
    st.subheader(t("community.past_title"))
    if sessions.empty:
        st.caption(t("community.past_none"))
        return
    listed = pd.DataFrame(
        {
            t("community.col_held_on"): [format_date(pd.Timestamp(d).date(), lang) for d in sessions["held_on"]],
            t("community.col_place"): [p or t("community.no_place") for p in sessions["place"]],
            t("community.col_scope"): [label_scope(s if isinstance(s, str) else "") for s in sessions["school_id"]],
            t("community.col_total_votes"): sessions["total_votes"],
        }
    )
    ui.show_table(listed, key="community_sessions", file_name="community-conversations")
    combined = q.community_votes(framework_id, lang, tuple(sessions["session_id"]))
    ui.show_chart(
        plan_figures.community_chart(combined, lang, presenting, title=t("community.saved_chart_title")),
        key="community_saved_chart",
        file_name="community-votes-all",
    )
    if not presenting:
        show_past_picker(sessions, strategy_ids, framework_id, lang, access, label_scope)


def show_past_picker(
    sessions: pd.DataFrame,
    strategy_ids: tuple,
    framework_id: str,
    lang: str,
    access: auth.Access,
    label_scope: Callable[[str], str],
) -> None:
    """Pick an earlier conversation to count on (open) or, for editors, to delete."""
    state = st.session_state
    days = {
        row.session_id: " · ".join(
            (
                format_date(pd.Timestamp(row.held_on).date(), lang),
                row.place or t("community.no_place"),
                label_scope(row.school_id if isinstance(row.school_id, str) else ""),
            )
        )
        for row in sessions.itertuples(index=False)
    }
    if state.get("community_past") not in days:
        state["community_past"] = next(iter(days))
    chosen = st.selectbox(t("community.past_pick"), list(days), format_func=days.get, key="community_past")
    actions = st.columns([1, 1, 3])
    actions[0].button(
        t("community.open"),
        key="community_open",
        on_click=continue_count,
        args=(chosen, sessions, framework_id, lang),
    )
    if access.can_edit:
        actions[1].button(
            t("community.delete"),
            key="community_delete",
            on_click=delete_session,
            args=(chosen, days[chosen].split(" · ")[0], strategy_ids, access),
            icon=":material/delete:",
        )

"""Saved scenarios on the Plan page: save the current one under a name (editors), open one (its
filters and settings fill the page), delete one (editors). The buttons' callbacks run before the
next run draws anything and leave a message for it (state.flash)."""

import pandas as pd
import streamlit as st

from atlas.app import auth
from atlas.app.page_context import t
from atlas.app.views.plan.controls import Choices
from atlas.app.views.plan.state import flash, keep, remember
from atlas.database import writes
from atlas.database.db import database_path
from atlas.domain import scenarios
from atlas.domain.filters import FilterOptions
from atlas.domain.query import plan as q
from atlas.present.i18n import format_date, translate


def draw(current: scenarios.SavedScenario, access: auth.Access, options: FilterOptions, lang: str) -> None:
    """The name box and save button on the left, the saved scenarios to open or delete on the right.
    current: the scenario on the page, with no name yet."""
    st.subheader(t("plan.saved_title"))
    saved = q.saved_scenarios()
    left, right = st.columns(2)
    with left:
        remember("plan_scenario_name", "")
        if not access.can_edit:
            st.caption(t("common.sign_in_to_save"))
        st.text_input(t("plan.scenario_name"), key="plan_scenario_name", max_chars=80, disabled=not access.can_edit)
        if access.can_edit:
            st.button(t("plan.save"), key="plan_save", on_click=save, args=(current, access), icon=":material/save:")
    with right:
        if saved.empty:
            st.caption(t("plan.no_saved"))
        else:
            _open_or_delete(saved, access, options, lang)


def _open_or_delete(saved: pd.DataFrame, access: auth.Access, options: FilterOptions, lang: str) -> None:
    days = {row.name: format_date(pd.Timestamp(row.saved_at).date(), lang) for row in saved.itertuples(index=False)}
    if st.session_state.get("plan_open_name") not in days:
        st.session_state["plan_open_name"] = next(iter(days))
    name = st.selectbox(
        t("plan.open_pick"),
        list(days),
        format_func=lambda n: translate("plan.saved_label", lang, name=n, day=days[n]),
        key="plan_open_name",
    )
    buttons = st.columns(2)
    buttons[0].button(
        t("plan.open"), key="plan_open", on_click=open_saved, args=(name, options), icon=":material/folder_open:"
    )
    if access.can_edit:
        buttons[1].button(
            t("plan.delete"), key="plan_delete", on_click=delete, args=(name, access), icon=":material/delete:"
        )


def unnamed(filters, choices: Choices, scenario: scenarios.Scenario) -> scenarios.SavedScenario:
    """The page's scenario and settings, to be named when saved."""
    return scenarios.SavedScenario(
        name="",
        filters=filters,
        radius_miles=choices.radius,
        weight_source=choices.source,
        weights=choices.weights,
        excluded_partner_ids=tuple(choices.excluded_partners),
        excluded_school_ids=tuple(choices.excluded_schools),
        scenario=scenario,
    )


def save(saved: scenarios.SavedScenario, access: auth.Access) -> None:
    name = st.session_state.get("plan_scenario_name", "").strip()
    if not name:
        flash("warning", t("plan.name_needed"))
        return
    named = scenarios.SavedScenario(**{**saved.__dict__, "name": name})
    try:
        scenarios.save_scenario(database_path(), named, access)
    except writes.NotAllowed:
        flash("error", t("common.not_allowed"))
        return
    flash("success", t("plan.saved_ok", name=name))


def delete(name: str, access: auth.Access) -> None:
    try:
        scenarios.delete_scenario(database_path(), name, access)
    except writes.NotAllowed:
        flash("error", t("common.not_allowed"))
        return
    flash("success", t("plan.deleted", name=name))


def open_saved(name: str, options: FilterOptions) -> None:
    """The saved scenario's filters (those this file still offers) and settings fill the page."""
    saved = scenarios.load_scenario(name)
    if saved is None:
        return
    state = st.session_state
    chosen = saved.filters
    if chosen.framework_id in options.framework_ids:
        state["framework_id"] = chosen.framework_id
    if chosen.school_year in options.school_years:
        state["school_year"] = chosen.school_year
    state["on_date"] = chosen.on_date
    state["levels"] = [v for v in chosen.levels if v in options.levels]
    state["regions"] = [v for v in chosen.regions if v in options.regions]
    state["need_tier"] = chosen.need_tier
    state["strategy_pick"] = chosen.strategy_number or 0
    if chosen.districts:
        keep("plan_district", chosen.districts[0])
    values = {
        "plan_radius": saved.radius_miles,
        "plan_weight_source": saved.weight_source,
        "plan_excluded_partners": list(saved.excluded_partner_ids),
        "plan_excluded_schools": list(saved.excluded_school_ids),
        "plan_all_planned": False,
        "plan_switched_on": list(saved.scenario.switched_on),
        "plan_all_matches": False,
        "plan_accepted": ["|".join(item) for item in saved.scenario.accepted],
        "plan_scenario_name": saved.name,
        **{f"plan_weight_{sid}": float(w) for sid, w in saved.weights.items()},
    }
    for key, value in values.items():
        keep(key, value)
    flash("success", t("plan.opened", name=name))

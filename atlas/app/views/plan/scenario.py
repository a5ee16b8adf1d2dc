"""The Plan page's scenario tab: which planned partnerships and recommended matches to switch on,
and coverage and feeder continuity before and after. Both are worked out only for this tab and
for the export when it is clicked, not on every view of the page."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from atlas.app import ui
from atlas.app.page_context import t
from atlas.app.views.plan.controls import Scope
from atlas.app.views.plan.recommendations import Recommendations
from atlas.app.views.plan.state import remember
from atlas.database.db import warm
from atlas.domain import planning, scenarios
from atlas.domain.query import plan as q
from atlas.present import plan_figures, plan_tables, plan_text
from atlas.present.i18n import format_number


@dataclass(frozen=True)
class ScenarioChoices:
    """The scenario's toggles and lists as the widgets hold them."""

    all_planned: bool  # every planned partnership in scope switched on
    all_matches: bool  # every recommended match accepted
    switched_on: list[str]  # else these planned partnerships
    accepted_keys: list[str]  # else these matches, 'partner_id|school_id|strategy_id'

    def scenario(self, planned: pd.DataFrame, match_keys: list[str]) -> scenarios.Scenario:
        """The scenario the choices describe, given the planned partnerships in scope and the
        recommended matches ('partner_id|school_id|strategy_id')."""
        planned_ids = tuple(planned["partnership_id"])
        in_scope = set(planned_ids)
        chosen = tuple(p for p in self.switched_on if p in in_scope)
        return scenarios.Scenario(
            switched_on=planned_ids if self.all_planned else chosen,
            accepted=tuple(tuple(k.split("|")) for k in (match_keys if self.all_matches else self.accepted_keys)),
        )


def remembered() -> ScenarioChoices:
    all_planned = remember("plan_all_planned", True)
    all_matches = remember("plan_all_matches", True)
    switched_on = list(remember("plan_switched_on", []))
    accepted_keys = list(remember("plan_accepted", []))
    return ScenarioChoices(all_planned, all_matches, switched_on, accepted_keys)


def keys_of(matches: pd.DataFrame) -> list[str]:
    """'partner_id|school_id|strategy_id' of each match (the accepted list's values)."""
    return ["|".join(item) for item in planning.match_triples(matches)]


def draw(recommendations: Recommendations, choices: ScenarioChoices, scope: Scope, presenting: bool):
    """The tab, but for the saved scenarios; returns the scenario shown."""
    filters, lang = recommendations.filters, recommendations.lang
    # The planned partnerships and the saved scenarios (listed at the end) need nothing chosen
    # here: they are read while the matches are made.
    warm(lambda: q.planned_partnerships(filters), *([] if presenting else [q.saved_scenarios]))
    matches, _ = recommendations.matches()
    match_keys = keys_of(matches)
    planned = q.planned_partnerships(filters)
    scenario = choices.scenario(planned, match_keys)
    st.session_state["plan_switched_on"] = [p for p in choices.switched_on if p in set(planned["partnership_id"])]
    result = scenarios.evaluate(filters, lang, scenario)
    for sentence in plan_text.scenario_headlines(scenario, result, lang):
        ui.headline(sentence)
    if not presenting:
        st.caption(t("plan.scenario_intro"))
        left, right = st.columns(2)
        with left:
            _planned_picker(planned)
        with right:
            _matches_picker(matches, match_keys, choices.accepted_keys, scope)
    st.caption(
        t(
            "plan.scenario_counts",
            planned=format_number(len(scenario.switched_on), lang),
            matches=format_number(len(scenario.accepted), lang),
        )
    )
    _before_after(result, lang, presenting)
    return scenario


def _planned_picker(planned: pd.DataFrame) -> None:
    """All planned partnerships, or those picked."""
    st.toggle(t("plan.all_planned", count=len(planned)), key="plan_all_planned")
    if st.session_state["plan_all_planned"]:
        return
    labels = {
        row.partnership_id: (
            t(
                "plan.planned_label",
                partner=row.partner_name,
                school=row.school_name,
                numbers=", ".join(map(str, row.strategy_numbers)),
            )
            if len(row.strategy_numbers)
            else t("plan.planned_label_none", partner=row.partner_name, school=row.school_name)
        )
        for row in planned.itertuples(index=False)
    }
    st.multiselect(
        t("plan.pick_planned"), list(labels), format_func=labels.get, key="plan_switched_on", placeholder=t("plan.none")
    )


def _matches_picker(matches: pd.DataFrame, match_keys: list[str], accepted_keys: list[str], scope: Scope) -> None:
    """All recommended matches, or those picked (saved choices that are no longer recommended stay)."""
    st.toggle(t("plan.all_matches", count=len(matches)), key="plan_all_matches")
    if st.session_state["plan_all_matches"]:
        return
    strategy_table = scope.strategy_table
    numbers = dict(zip(strategy_table["strategy_id"], strategy_table["strategy_number"], strict=True))
    labels = {
        key: t(
            "plan.match_label",
            rank=row.rank,
            partner=row.partner_name,
            school=row.school_name,
            number=row.strategy_number,
        )
        for key, row in zip(match_keys, matches.itertuples(index=False), strict=True)
    }
    for key in accepted_keys:  # saved choices that are not among today's matches
        if key not in labels:
            partner_id, school_id, strategy_id = key.split("|")
            labels[key] = t(
                "plan.match_label_saved",
                partner=scope.partner_names.get(partner_id, partner_id),
                school=scope.school_names.get(school_id, school_id),
                number=numbers.get(strategy_id, strategy_id),
            )
    st.multiselect(
        t("plan.pick_matches"), list(labels), format_func=labels.get, key="plan_accepted", placeholder=t("plan.none")
    )


def _before_after(result: scenarios.ScenarioResult, lang: str, presenting: bool) -> None:
    """The before/after chart and table, then the feeder patterns that become continuous."""
    ui.show_chart(
        plan_figures.before_after_chart(result.before_after, lang, presenting),
        key="plan_before_after_chart",
        file_name="plan-before-after",
    )
    ui.show_table(
        plan_tables.before_after_table(result.before_after, lang),
        key="plan_before_after",
        file_name="plan-before-after",
    )
    st.subheader(t("plan.feeder_title"))
    st.caption(
        t(
            "plan.feeder_summary",
            before=format_number(result.n_continuous_before, lang),
            after=format_number(result.n_continuous_after, lang),
        )
    )
    if result.feeder_changes.empty:
        st.info(t("plan.feeder_none"))
    else:
        ui.show_table(plan_tables.feeder_table(result.feeder_changes, lang), key="plan_feeder", file_name="plan-feeder")

"""The Plan page's export: an XLSX of the plan with the scenario's before and after and a sheet of
the settings used, built when the button is clicked."""

import functools
from datetime import date

import streamlit as st

from atlas.app.page_context import t
from atlas.app.views.plan import controls
from atlas.app.views.plan.controls import Choices, Scope
from atlas.app.views.plan.recommendations import Recommendations
from atlas.app.views.plan.scenario import ScenarioChoices, keys_of
from atlas.domain import planning, scenarios
from atlas.domain.query import plan as q
from atlas.domain.query.common import district
from atlas.present import plan_tables, plan_workbook
from atlas.present.i18n import format_number, translate


def draw(recommendations: Recommendations, scenario_choices: ScenarioChoices, scope: Scope, choices: Choices) -> None:
    st.subheader(t("plan.export_title"))
    filters = recommendations.filters
    plan_district = "-".join(filters.districts) or district()["district_id"]
    st.download_button(
        t("plan.download_xlsx"),
        # Built on click, in Streamlit's download thread: only values of this run are read, no widget state.
        functools.partial(
            workbook, recommendations, scenario_choices, settings_rows(scope, choices), t("plan.sheet_settings")
        ),
        file_name=f"plan-{plan_district}-{date.today().isoformat()}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="plan_xlsx",
        icon=":material/download:",
    )
    st.caption(t("plan.export_caption"))


def settings_rows(scope: Scope, choices: Choices) -> list[tuple[str, str]]:
    """(setting, value) of the settings sheet, in the page's language."""
    filters, lang = scope.filters, scope.lang
    numbers = dict(zip(scope.strategy_table["strategy_id"], scope.strategy_table["strategy_number"], strict=True))
    weights = ", ".join(f"{numbers[sid]}: {format_number(w, lang, 2)}" for sid, w in choices.weights.items())
    return [
        *([(t("plan.setting_district"), ", ".join(filters.districts))] if filters.districts else []),
        (t("plan.setting_framework"), filters.framework_id),
        (t("plan.setting_date"), filters.on_date.isoformat()),
        (t("plan.setting_year"), filters.school_year),
        (t("plan.setting_radius"), format_number(choices.radius, lang, 1)),
        (t("plan.setting_weight_source"), controls.source_label(choices.source, scope.sessions, lang)),
        (t("plan.setting_weights"), weights),
        (t("plan.setting_excluded_partners"), ", ".join(scope.partner_names[p] for p in choices.excluded_partners)),
        (t("plan.setting_excluded_schools"), ", ".join(scope.school_names[s] for s in choices.excluded_schools)),
    ]


def workbook(
    recommendations: Recommendations,
    scenario_choices: ScenarioChoices,
    fixed_rows: list[tuple[str, str]],
    settings_title: str,
) -> bytes:
    """The plan's XLSX with the scenario's before and after."""
    filters, lang = recommendations.filters, recommendations.lang
    matches, n_candidates = recommendations.matches()
    bundles, members = recommendations.bundles()
    scenario = scenario_choices.scenario(q.planned_partnerships(filters), keys_of(matches))
    result = scenarios.evaluate(filters, lang, scenario)
    plan = planning.Plan(recommendations.settings, matches, bundles, members, scenario, result, n_candidates)
    rows = [
        *fixed_rows,
        (translate("plan.setting_planned", lang), format_number(len(scenario.switched_on), lang)),
        (translate("plan.setting_accepted", lang), format_number(len(scenario.accepted), lang)),
    ]
    return plan_workbook.plan_workbook(plan_tables.plan_tables(plan, lang), rows, settings_title)

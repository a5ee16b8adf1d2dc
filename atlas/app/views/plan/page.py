"""The Plan page, top to bottom: the district and the controls, the tab that is open (matches,
bundles or the scenario with the saved scenarios), then the export. Presentation mode shows the
results with the settings in one sentence; the controls, scenario choices, saving and the export
are for the desk."""

import streamlit as st

from atlas.app import auth, next_step, ui
from atlas.app.page_context import t
from atlas.app.shell import guarded, page_context
from atlas.app.views.plan import bundles, controls, district, export, matches, saved, scenario
from atlas.app.views.plan.recommendations import Recommendations
from atlas.app.views.plan.state import remember, show_flash
from atlas.database.db import database_path, file_identity, warm
from atlas.domain.query import plan as q


@guarded
def render() -> None:
    """Draw the Plan page."""
    context = page_context()
    lang, presenting = context.lang, context.presenting
    access = auth.current_access()  # saving and deleting scenarios need an editor (checked again on writing)

    st.title(t("plan.title"))
    if not presenting:
        st.caption(t("plan.intro"))
    filters = district.planned(context.filters, lang, presenting)

    radius = float(remember("plan_radius", q.default_radius_miles()))
    # The candidates query takes most of the page's time: it starts now and runs while the controls are
    # drawn; the matches and bundles below find its result in the query cache.
    warm(lambda: q.plan_candidates(filters, radius, lang))
    schools = q.plan_schools(filters)
    if _nothing_to_plan(filters):
        st.stop()
    if schools.empty:
        ui.empty_state(t("common.no_schools"))
        st.stop()
    scope = controls.read_scope(filters, lang, radius, schools)
    choices = controls.remembered_choices(scope, radius)
    controls.draw(scope, choices, presenting)
    recommendations = Recommendations(file_identity(database_path()), filters, lang, choices.settings)
    scenario_choices = scenario.remembered()
    show_flash()

    # Only the open tab runs (a map drawn in a hidden tab would start with no size).
    tab_matches, tab_bundles, tab_scenario = st.tabs(
        [t("plan.tab_matches"), t("plan.tab_bundles"), t("plan.tab_scenario")], key="plan_tab", on_change="rerun"
    )
    if tab_matches.open:
        with tab_matches:
            matches.draw(recommendations.matches()[0], scope.strategy_table, lang, presenting)
    if tab_bundles.open:
        with tab_bundles:
            bundles.draw(*recommendations.bundles(), schools, filters, lang, presenting)
    if tab_scenario.open:
        with tab_scenario:
            shown = scenario.draw(recommendations, scenario_choices, scope, presenting)
            if not presenting:
                saved.draw(saved.unnamed(filters, choices, shown), access, context.options, lang)

    if not presenting:
        export.draw(recommendations, scenario_choices, scope, choices)


def _nothing_to_plan(filters) -> bool:
    """Say what is missing when the district has no schools, or no partner running a tagged strategy
    (the Plan suggests only partners that already do: "try a larger radius" would be no help then);
    else which parts the need index uses when some are missing. True when there is nothing to plan."""
    parts = next_step.parts(filters)
    if not parts.n_schools:
        next_step.missing(parts, "schools")
        return True
    if parts.first_missing is not None:
        what = "no_partners_plan" if parts.first_missing == "partners" else "no_running_plan"
        next_step.missing(parts, what)
        return True
    next_step.need_note(parts, filters, warn=True)
    return False

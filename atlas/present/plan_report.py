"""The plan as people read it: the recommendations with their explanations (the Plan page, the
board packet) and the board packet's Plan section. The choosing is atlas.domain.planning's; the words
are atlas.present.plan_text's. No Streamlit here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from atlas.domain import planning
from atlas.domain.filters import Filters
from atlas.domain.planning import Plan, PlanSettings
from atlas.domain.query import plan as q
from atlas.domain.scenarios import Scenario
from atlas.present import plan_figures
from atlas.present.i18n import translate
from atlas.present.plan_tables import plan_tables
from atlas.present.plan_text import explained_bundles, explained_matches, headlines


def recommend(filters: Filters, lang: str, settings: PlanSettings):
    """(matches, bundles, bundle_members, n_candidates) for the schools in scope, explained."""
    scored, n_candidates = planning.scored_candidates(filters, lang, settings)
    matches = explained_matches(planning.choose_from_scored(scored), lang)
    bundles, members = planning.bundles_of(scored, filters, settings)
    return matches, explained_bundles(bundles, lang, settings.radius_miles), members, n_candidates


def recommend_matches(filters: Filters, lang: str, settings: PlanSettings) -> tuple[pd.DataFrame, int]:
    """(matches, n_candidates): recommend's matches alone, for a view that shows no bundle."""
    scored, n_candidates = planning.scored_candidates(filters, lang, settings)
    return explained_matches(planning.choose_from_scored(scored), lang), n_candidates


def recommend_bundles(filters: Filters, lang: str, settings: PlanSettings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(bundles, bundle_members): recommend's bundles alone, for a view that shows no match."""
    scored, _ = planning.scored_candidates(filters, lang, settings)
    bundles, members = planning.bundles_of(scored, filters, settings)
    return explained_bundles(bundles, lang, settings.radius_miles), members


def explained_plan(
    filters: Filters, lang: str, settings: PlanSettings | None = None, scenario: Scenario | None = None
) -> Plan:
    """planning.build_plan with each match and bundle explained in lang."""
    plan = planning.build_plan(filters, lang, settings, scenario)
    return dataclasses.replace(
        plan,
        matches=explained_matches(plan.matches, lang),
        bundles=explained_bundles(plan.bundles, lang, plan.settings.radius_miles),
    )


@dataclass(frozen=True)
class PlanSection:
    """The Plan section of the board packet: sentences, tables with headings in the language,
    and figures."""

    headlines: list[str]
    tables: dict[str, pd.DataFrame]  # title → table
    figures: dict[str, go.Figure]  # title → figure


def plan_section(
    filters: Filters,
    lang: str,
    presenting: bool = True,
    settings: PlanSettings | None = None,
    scenario: Scenario | None = None,
) -> PlanSection:
    """For the board packet: the plan with the district's settings (or those given) and, unless a
    scenario is given, every planned partnership and every recommended match switched on."""
    plan = explained_plan(filters, lang, settings, scenario)
    figures = {
        translate("plan.before_after_title", lang): plan_figures.before_after_chart(
            plan.result.before_after, lang, presenting
        ),
    }
    if len(plan.bundles):
        figures[translate("plan.bundle_map_title", lang)] = plan_figures.bundle_map(
            plan.bundles,
            plan.bundle_members,
            q.plan_schools(filters),
            q.planned_boundary_rows(filters),
            lang,
            presenting,
        )
    return PlanSection(headlines(plan, lang), plan_tables(plan, lang), figures)

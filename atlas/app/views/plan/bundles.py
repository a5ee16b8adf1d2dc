"""The Plan page's bundles tab: one partner for several schools near each other, on a map (the
first few, or one picked) and in a table."""

import pandas as pd
import streamlit as st

from atlas.app import ui
from atlas.app.page_context import t
from atlas.app.views.plan.state import remember
from atlas.domain.filters import Filters
from atlas.domain.query import plan as q
from atlas.present import plan_figures, plan_tables, plan_text
from atlas.present.i18n import translate

TOP = 6  # bundles the map shows unless one is picked


def draw(
    bundles: pd.DataFrame, members: pd.DataFrame, schools: pd.DataFrame, filters: Filters, lang: str, presenting: bool
) -> None:
    for sentence in plan_text.bundles_headlines(bundles, lang):
        ui.headline(sentence)
    st.caption(t("plan.bundles_caption"))
    if bundles.empty:
        ui.empty_state(t("plan.bundles_none"))
        return
    top = min(TOP, len(bundles))
    choices = [0, *bundles["bundle"]]
    if remember("plan_bundle_pick", 0) not in choices:
        st.session_state["plan_bundle_pick"] = 0
    pick = 0 if presenting else _pick(bundles, choices, top, lang)
    shown = bundles.head(top) if pick == 0 else bundles[bundles["bundle"] == pick]
    ui.show_chart(
        plan_figures.bundle_map(shown, members, schools, q.planned_boundary_rows(filters), lang, presenting),
        key="plan_bundle_map",
        file_name="plan-bundles-map",
    )
    ui.show_table(
        plan_tables.bundles_table(bundles, lang),
        key="plan_bundles",
        file_name="plan-bundles",
        column_config={t("plan.col_why"): st.column_config.TextColumn(width="large")},
    )


def _pick(bundles: pd.DataFrame, choices: list[int], top: int, lang: str) -> int:
    """The bundle to show on the map: 0 for the first `top`, else a bundle number."""
    labels = {
        b.bundle: t(
            "plan.map_bundle_long",
            bundle=b.bundle,
            partner=b.partner_name,
            number=b.strategy_number,
            n=b.n_schools,
        )
        for b in bundles.itertuples(index=False)
    }
    return st.selectbox(
        t("plan.bundle_pick"),
        choices,
        format_func=lambda n: labels.get(n) or translate("plan.bundle_top", lang, n=top),
        key="plan_bundle_pick",
    )

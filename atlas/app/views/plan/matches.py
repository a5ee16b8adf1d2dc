"""The Plan page's first tab: the recommended matches, a chart of them per strategy, and the table."""

import pandas as pd
import streamlit as st

from atlas.app import ui
from atlas.app.page_context import t
from atlas.present import plan_figures, plan_tables, plan_text


def draw(matches: pd.DataFrame, strategy_table: pd.DataFrame, lang: str, presenting: bool) -> None:
    for sentence in plan_text.matches_headlines(matches, lang):
        ui.headline(sentence)
    if len(matches):
        ui.show_chart(
            plan_figures.matches_chart(matches, strategy_table, lang, presenting),
            key="plan_matches_chart",
            file_name="plan-matches-per-strategy",
        )
    ui.show_table(
        plan_tables.matches_table(matches, lang),
        key="plan_matches",
        file_name="plan-matches",
        column_config={t("plan.col_why"): st.column_config.TextColumn(width="large")},
    )
    st.caption(t("plan.matches_caption"))

"""The district to plan. A state agency's file holds many districts: a plan is made for one
district at a time (its schools and the partners within reach of them; planning a whole state at
once took half a minute)."""

import pandas as pd
import streamlit as st

from atlas.app import ui
from atlas.app.page_context import t
from atlas.app.views.plan.state import keep, remember
from atlas.domain.filters import Filters
from atlas.domain.query import plan as q
from atlas.domain.query.common import district
from atlas.present import escape
from atlas.present.i18n import format_number, translate

PICKER_ROWS = 1_000  # districts the picker lists; more, and a search box narrows the list


def planned(filters: Filters, lang: str, presenting: bool) -> Filters:
    """filters narrowed to the district picked, when the file holds more than one."""
    n_districts = int(district()["n_districts"])
    if n_districts > 1:
        filters = filters.with_(districts=(picker(n_districts, lang, presenting),))
    return filters


def picker(n_districts: int, lang: str, presenting: bool) -> str:
    """The district to plan, largest first; above PICKER_ROWS districts a search box narrows the list.
    In presentation mode the chosen district is kept and only named."""
    largest = str(district()["district_id"])
    chosen = remember("plan_district", largest)
    listed = q.plan_districts(None, chosen, PICKER_ROWS)
    if chosen not in set(listed["district_id"]):  # remembered from a database since replaced
        chosen = largest
        keep("plan_district", largest)
        listed = q.plan_districts(None, chosen, PICKER_ROWS)
    if presenting:
        st.caption(f"{t('plan.setting_district')}: {escape.markdown(labels(listed, lang)[chosen])}")
        return chosen
    column = st.columns([2, 3])[0]
    if n_districts > PICKER_ROWS:
        listed = ui.list_search(
            column,
            key="plan_district_search",
            first=listed,
            total=n_districts,
            find=lambda text: q.plan_districts(text, chosen, PICKER_ROWS),
            texts="plan.district_search",
        )
    options = labels(listed, lang)
    picked = column.selectbox(t("plan.district"), list(options), format_func=options.get, key="plan_district")
    column.caption(t("plan.district_caption", n=format_number(n_districts, lang)))
    return picked


def labels(rows: pd.DataFrame, lang: str) -> dict[str, str]:
    """district_id → 'name (state), n schools'."""
    return {
        row.district_id: translate(
            "plan.district_option", lang, name=row.name, state=row.state, n=format_number(row.n_schools, lang)
        )
        for row in rows.itertuples()
    }

"""The Plan page's controls: travel radius, where the strategy weights come from (the district,
a community conversation, or the user's own), the weights, and partners or schools left out.
Presentation mode shows the settings in one sentence instead."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from atlas.app.page_context import t
from atlas.app.views.plan.state import keep, remember
from atlas.domain import planning
from atlas.domain.filters import Filters
from atlas.domain.query import plan as q
from atlas.domain.query.common import strategies
from atlas.present.i18n import format_date, format_number, translate


@dataclass(frozen=True)
class Scope:
    """What the controls offer, read once a run."""

    filters: Filters
    lang: str
    schools: pd.DataFrame  # plan_schools: the schools in scope
    strategy_table: pd.DataFrame  # the framework's strategies
    sessions: pd.DataFrame  # community conversations, a weight source each
    partner_names: dict[str, str]  # partner_id → name of the partners that could be recommended
    school_names: dict[str, str]  # school_id → name

    @property
    def strategy_ids(self) -> list[str]:
        return list(self.strategy_table["strategy_id"])


@dataclass(frozen=True)
class Choices:
    """What the controls are set to."""

    radius: float
    source: str  # 'district', 'custom', 'community:all' or 'community:<session_id>'
    weights: dict[str, float]  # strategy_id → weight
    excluded_partners: list[str]
    excluded_schools: list[str]

    @property
    def settings(self) -> planning.PlanSettings:
        return planning.PlanSettings(
            self.radius, self.weights, tuple(self.excluded_partners), tuple(self.excluded_schools)
        )


def read_scope(filters: Filters, lang: str, radius: float, schools: pd.DataFrame) -> Scope:
    strategy_table = strategies(filters.framework_id, lang)
    sessions = q.community_sessions(filters.framework_id)
    partners = q.plan_partners(filters, radius)
    # tolist(): zipping the Arrow-backed columns themselves steps through them one value at a time (a
    # national file lists 60,000 partners).
    return Scope(
        filters=filters,
        lang=lang,
        schools=schools,
        strategy_table=strategy_table,
        sessions=sessions,
        partner_names=dict(zip(partners["partner_id"].tolist(), partners["partner_name"].tolist(), strict=True)),
        school_names=dict(zip(schools["school_id"].tolist(), schools["school_name"].tolist(), strict=True)),
    )


def remembered_choices(scope: Scope, radius: float) -> Choices:
    """The settings as the widgets hold them (or kept while another page was shown), after a weight
    source sent by the Community page and with what no longer exists dropped."""
    state = st.session_state
    sources = weight_sources(scope.sessions)
    pending = state.pop("plan_pending_weight_source", None)  # sent by the Community page
    if pending in sources:
        state["plan_weight_source"] = pending
        set_weights(weights_of(pending, scope), scope.strategy_ids)
    source = remember("plan_weight_source", "district")
    if source not in sources:  # a deleted session, or another framework's
        state["plan_weight_source"] = source = "district"
        set_weights(weights_of(source, scope), scope.strategy_ids)
    start = weights_of(source, scope) if source != "custom" else planning.district_weights(scope.strategy_table)
    weights = {sid: float(remember(f"plan_weight_{sid}", start.get(sid, 1.0))) for sid in scope.strategy_ids}
    excluded_partners = [p for p in remember("plan_excluded_partners", []) if p in scope.partner_names]
    excluded_schools = [s for s in remember("plan_excluded_schools", []) if s in scope.school_names]
    state["plan_excluded_partners"], state["plan_excluded_schools"] = excluded_partners, excluded_schools
    return Choices(radius, source, weights, excluded_partners, excluded_schools)


def weight_sources(sessions: pd.DataFrame) -> list[str]:
    """The district's weights, every conversation together and each one, then the user's own."""
    sources = ["district"]
    if len(sessions):
        sources += ["community:all", *(f"community:{s}" for s in sessions["session_id"])]
    return [*sources, "custom"]


def source_label(source: str, sessions: pd.DataFrame, lang: str) -> str:
    # A format_func: AppTest calls it outside a script run, so the language is passed, not read.
    if source in ("district", "custom", "community:all"):
        key = {"district": "plan.source_district", "custom": "plan.source_custom"}.get(source)
        return translate(key or "plan.source_community_all", lang)
    row = sessions[sessions["session_id"] == source.removeprefix("community:")].iloc[0]
    place = row["place"] or translate("community.no_place", lang)
    day = format_date(pd.Timestamp(row["held_on"]).date(), lang)
    return translate("plan.source_community", lang, place=place, day=day)


def weights_of(source: str, scope: Scope) -> dict[str, float]:
    """The weights a source gives (for 'custom', the district's)."""
    if source.startswith("community:"):
        sessions = scope.sessions
        chosen = tuple(sessions["session_id"]) if source == "community:all" else (source.removeprefix("community:"),)
        return planning.community_weights(q.community_votes(scope.filters.framework_id, scope.lang, chosen))
    return planning.district_weights(scope.strategy_table)


def set_weights(values: dict[str, float], strategy_ids: list[str]) -> None:
    for strategy_id in strategy_ids:
        keep(f"plan_weight_{strategy_id}", float(values.get(strategy_id, 1.0)))


def on_source_change(scope: Scope) -> None:
    """A weight source picked: its weights fill the weight boxes."""
    source = st.session_state["plan_weight_source"]
    if source != "custom":
        set_weights(weights_of(source, scope), scope.strategy_ids)


def on_weight_edit() -> None:
    """A weight edited by hand: the weights are the user's own."""
    st.session_state["plan_weight_source"] = "custom"


def draw(scope: Scope, choices: Choices, presenting: bool) -> None:
    """The controls at the desk; in presentation mode, one sentence."""
    lang = scope.lang
    if presenting:
        st.caption(
            t(
                "plan.settings_summary",
                radius=format_number(choices.radius, lang, 1),
                source=source_label(choices.source, scope.sessions, lang),
                partners=format_number(len(choices.excluded_partners), lang),
                schools=format_number(len(choices.excluded_schools), lang),
            )
        )
        return
    with st.container(border=True):
        columns = st.columns([1, 1.3, 2, 2], vertical_alignment="bottom")
        columns[0].number_input(
            t("plan.radius"), min_value=0.5, max_value=50.0, step=0.5, key="plan_radius", help=t("plan.radius_help")
        )
        columns[1].selectbox(
            t("plan.weight_source"),
            weight_sources(scope.sessions),
            format_func=lambda source: source_label(source, scope.sessions, lang),
            key="plan_weight_source",
            on_change=on_source_change,
            args=(scope,),
        )
        columns[2].multiselect(
            t("plan.exclude_partners"),
            list(scope.partner_names),
            format_func=scope.partner_names.get,
            key="plan_excluded_partners",
            placeholder=t("plan.nobody"),
        )
        columns[3].multiselect(
            t("plan.exclude_schools"),
            list(scope.school_names),
            format_func=scope.school_names.get,
            key="plan_excluded_schools",
            placeholder=t("plan.none"),
        )
        _weight_boxes(scope.strategy_table)


def _weight_boxes(strategy_table: pd.DataFrame) -> None:
    with st.expander(t("plan.weights_title"), icon=":material/balance:"):
        st.caption(t("plan.weights_help"))
        columns = st.columns(5)
        for index, row in enumerate(strategy_table.itertuples(index=False)):
            columns[index % 5].number_input(
                f"{row.strategy_number} · {row.short_name}",
                min_value=0.0,
                max_value=10.0,
                step=0.5,
                key=f"plan_weight_{row.strategy_id}",
                on_change=on_weight_edit,
            )

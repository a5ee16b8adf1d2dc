"""The Plan page, drawn by render() (pages/plan.py is two lines that call it).

Plan: which partner do we ask next, for which schools? Recommended matches, bundles, a
scenario's before and after, saved scenarios and the plan's export.

Presentation mode shows the results with the settings in one sentence; the controls (radius,
weights, exclusions, scenario choices, saving) are for the desk.
"""

from datetime import date

import pandas as pd
import streamlit as st

from atlas import auth, escape, plan_figures, planning, scenarios, ui, writes
from atlas.db import database_path, ensure_database, file_identity, warm
from atlas.i18n import format_date, format_number, t, translate
from atlas.query import plan as q
from atlas.query.common import district, strategies
from atlas.shell import guarded, page_context

PICKER_ROWS = 1_000  # districts the picker lists; more, and a search box narrows the list
KEPT = "plan_kept_"


def remember(key: str, default):
    """Streamlit forgets a widget's value when another page is shown: keep a copy."""
    state = st.session_state
    if key not in state:
        state[key] = state.get(KEPT + key, default)
    state[KEPT + key] = state[key]
    return state[key]


# Matches and bundles are worked out apart, each only for a view that shows it, and kept until the
# settings or the database file change.
@st.cache_data(max_entries=16, show_spinner=False)
def recommended_matches(identity, filters, lang: str, settings: planning.PlanSettings):
    """planning.recommend_matches: (matches, n_candidates)."""
    return planning.recommend_matches(filters, lang, settings)


@st.cache_data(max_entries=16, show_spinner=False)
def recommended_bundles(identity, filters, lang: str, settings: planning.PlanSettings):
    """planning.recommend_bundles: (bundles, bundle_members)."""
    return planning.recommend_bundles(filters, lang, settings)


def flash(kind: str, text: str) -> None:
    st.session_state["plan_flash"] = (kind, text)


@guarded
def render() -> None:
    """Draw the Plan page."""
    context = page_context()
    lang = context.lang
    filters = context.filters
    presenting = context.presenting
    state = st.session_state
    access = auth.current_access()  # saving and deleting scenarios need an editor (checked again on writing)

    def district_labels(rows: pd.DataFrame) -> dict[str, str]:
        return {
            row.district_id: translate(
                "plan.district_option", lang, name=row.name, state=row.state, n=format_number(row.n_schools, lang)
            )
            for row in rows.itertuples()
        }

    def district_picker(n_districts: int) -> str:
        """The district to plan, largest first; above PICKER_ROWS districts a search box narrows the list.
        In presentation mode the chosen district is kept and only named."""
        largest = str(district()["district_id"])
        chosen = remember("plan_district", largest)
        listed = q.plan_districts(None, chosen, PICKER_ROWS)
        if chosen not in set(listed["district_id"]):  # remembered from a database since replaced
            chosen = state["plan_district"] = state[KEPT + "plan_district"] = largest
            listed = q.plan_districts(None, chosen, PICKER_ROWS)
        if presenting:
            st.caption(f"{t('plan.setting_district')}: {escape.markdown(district_labels(listed)[chosen])}")
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
        labels = district_labels(listed)
        picked = column.selectbox(t("plan.district"), list(labels), format_func=labels.get, key="plan_district")
        column.caption(t("plan.district_caption", n=format_number(n_districts, lang)))
        return picked

    st.title(t("plan.title"))
    if not presenting:
        st.caption(t("plan.intro"))

    # A state agency's file holds many districts: a plan is made for one district at a time (its schools
    # and the partners within reach of them; planning a whole state at once took half a minute).
    n_districts = int(district()["n_districts"])
    if n_districts > 1:
        filters = filters.with_(districts=(district_picker(n_districts),))

    radius = float(remember("plan_radius", q.default_radius_miles()))
    # The candidates query takes most of the page's time: it starts now and runs while the controls are
    # drawn; the matches and bundles below find its result in the query cache.
    warm(lambda: q.plan_candidates(filters, radius, lang))
    schools = q.plan_schools(filters)
    if schools.empty:
        ui.empty_state(t("common.no_schools"))
        st.stop()

    strategy_table = strategies(filters.framework_id, lang)
    strategy_ids = list(strategy_table["strategy_id"])
    sessions = q.community_sessions(filters.framework_id)
    partners = q.plan_partners(filters, radius)
    # tolist(): zipping the Arrow-backed columns themselves steps through them one value at a time (a
    # national file lists 60,000 partners).
    partner_names = dict(zip(partners["partner_id"].tolist(), partners["partner_name"].tolist(), strict=True))
    school_names = dict(zip(schools["school_id"].tolist(), schools["school_name"].tolist(), strict=True))

    # ---- strategy weights and where they come from ---------------------------------------------

    def source_label(source: str) -> str:
        # A format_func: AppTest calls it outside a script run, so the language is passed, not read.
        if source in ("district", "custom", "community:all"):
            key = {"district": "plan.source_district", "custom": "plan.source_custom"}.get(source)
            return translate(key or "plan.source_community_all", lang)
        row = sessions[sessions["session_id"] == source.removeprefix("community:")].iloc[0]
        place = row["place"] or translate("community.no_place", lang)
        day = format_date(pd.Timestamp(row["held_on"]).date(), lang)
        return translate("plan.source_community", lang, place=place, day=day)

    sources = ["district"]
    if len(sessions):
        sources += ["community:all", *(f"community:{s}" for s in sessions["session_id"])]
    sources.append("custom")

    def weights_of(source: str) -> dict[str, float]:
        if source.startswith("community:"):
            chosen = (
                tuple(sessions["session_id"]) if source == "community:all" else (source.removeprefix("community:"),)
            )
            return planning.community_weights(q.community_votes(filters.framework_id, lang, chosen))
        return planning.district_weights(strategy_table)

    def set_weights(values: dict[str, float]) -> None:
        for strategy_id in strategy_ids:
            state[f"plan_weight_{strategy_id}"] = float(values.get(strategy_id, 1.0))
            state[KEPT + f"plan_weight_{strategy_id}"] = state[f"plan_weight_{strategy_id}"]

    def on_source_change() -> None:
        if state["plan_weight_source"] != "custom":
            set_weights(weights_of(state["plan_weight_source"]))

    def on_weight_edit() -> None:
        state["plan_weight_source"] = "custom"

    pending = state.pop("plan_pending_weight_source", None)  # sent by the Community page
    if pending in sources:
        state["plan_weight_source"] = pending
        set_weights(weights_of(pending))
    source = remember("plan_weight_source", "district")
    if source not in sources:  # a deleted session, or another framework's
        state["plan_weight_source"] = source = "district"
        set_weights(weights_of(source))
    start_weights = weights_of(source) if source != "custom" else planning.district_weights(strategy_table)
    weights = {sid: float(remember(f"plan_weight_{sid}", start_weights.get(sid, 1.0))) for sid in strategy_ids}

    excluded_partners = [p for p in remember("plan_excluded_partners", []) if p in partner_names]
    excluded_schools = [s for s in remember("plan_excluded_schools", []) if s in school_names]
    state["plan_excluded_partners"], state["plan_excluded_schools"] = excluded_partners, excluded_schools

    # ---- actions (callbacks run before the next run draws anything) --------------------------------

    def open_scenario(name: str) -> None:
        saved = scenarios.load_scenario(name)
        if saved is None:
            return
        chosen = saved.filters
        options = context.options
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
            state["plan_district"] = state[KEPT + "plan_district"] = chosen.districts[0]
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
            state[key] = value
            state[KEPT + key] = value
        flash("success", t("plan.opened", name=name))

    def delete_scenario(name: str) -> None:
        try:
            scenarios.delete_scenario(database_path(), name, access)
        except writes.NotAllowed:
            flash("error", t("common.not_allowed"))
            return
        flash("success", t("plan.deleted", name=name))

    def save_scenario(saved: scenarios.SavedScenario) -> None:
        name = state.get("plan_scenario_name", "").strip()
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

    # ---- controls ----------------------------------------------------------------------------------

    if not presenting:
        with st.container(border=True):
            columns = st.columns([1, 1.3, 2, 2], vertical_alignment="bottom")
            columns[0].number_input(
                t("plan.radius"), min_value=0.5, max_value=50.0, step=0.5, key="plan_radius", help=t("plan.radius_help")
            )
            columns[1].selectbox(
                t("plan.weight_source"),
                sources,
                format_func=source_label,
                key="plan_weight_source",
                on_change=on_source_change,
            )
            columns[2].multiselect(
                t("plan.exclude_partners"),
                list(partner_names),
                format_func=partner_names.get,
                key="plan_excluded_partners",
                placeholder=t("plan.nobody"),
            )
            columns[3].multiselect(
                t("plan.exclude_schools"),
                list(school_names),
                format_func=school_names.get,
                key="plan_excluded_schools",
                placeholder=t("plan.none"),
            )
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
    else:
        st.caption(
            t(
                "plan.settings_summary",
                radius=format_number(radius, lang, 1),
                source=source_label(source),
                partners=format_number(len(excluded_partners), lang),
                schools=format_number(len(excluded_schools), lang),
            )
        )

    settings = planning.PlanSettings(radius, weights, tuple(excluded_partners), tuple(excluded_schools))
    identity = file_identity(ensure_database())

    def matches_and_count() -> tuple[pd.DataFrame, int]:
        return recommended_matches(identity, filters, lang, settings)

    def bundles_and_members() -> tuple[pd.DataFrame, pd.DataFrame]:
        return recommended_bundles(identity, filters, lang, settings)

    # ---- the scenario ------------------------------------------------------------------------------
    # Its before and after (coverage and feeder continuity, each worked out twice) are computed only for
    # the tab that shows them and for the export when it is clicked, not on every view of the page.

    all_planned = remember("plan_all_planned", True)
    all_matches = remember("plan_all_matches", True)
    kept_switched_on = list(remember("plan_switched_on", []))
    accepted_keys = list(remember("plan_accepted", []))

    def scenario_of(planned: pd.DataFrame, match_keys: list[str]) -> scenarios.Scenario:
        """The scenario the toggles and lists describe, given the planned partnerships in scope and
        the recommended matches ('partner_id|school_id|strategy_id')."""
        planned_ids = tuple(planned["partnership_id"])
        in_scope = set(planned_ids)
        chosen = tuple(p for p in kept_switched_on if p in in_scope)
        return scenarios.Scenario(
            switched_on=planned_ids if all_planned else chosen,
            accepted=tuple(tuple(k.split("|")) for k in (match_keys if all_matches else accepted_keys)),
        )

    def keys_of(matches: pd.DataFrame) -> list[str]:
        return ["|".join(item) for item in planning.match_triples(matches)]

    flashed = state.pop("plan_flash", None)
    if flashed:
        {"success": st.success, "error": st.error}.get(flashed[0], st.warning)(flashed[1])

    # Only the open tab runs (a map drawn in a hidden tab would start with no size).
    tab_matches, tab_bundles, tab_scenario = st.tabs(
        [t("plan.tab_matches"), t("plan.tab_bundles"), t("plan.tab_scenario")], key="plan_tab", on_change="rerun"
    )

    if tab_matches.open:
        with tab_matches:
            matches, _ = matches_and_count()
            for sentence in planning.matches_headlines(matches, lang):
                ui.headline(sentence)
            if len(matches):
                ui.show_chart(
                    plan_figures.matches_chart(matches, strategy_table, lang, presenting),
                    key="plan_matches_chart",
                    file_name="plan-matches-per-strategy",
                )
            ui.show_table(
                planning.matches_table(matches, lang),
                key="plan_matches",
                file_name="plan-matches",
                column_config={t("plan.col_why"): st.column_config.TextColumn(width="large")},
            )
            st.caption(t("plan.matches_caption"))

    if tab_bundles.open:
        with tab_bundles:
            bundles, members = bundles_and_members()
            for sentence in planning.bundles_headlines(bundles, lang):
                ui.headline(sentence)
            st.caption(t("plan.bundles_caption"))
            if bundles.empty:
                ui.empty_state(t("plan.bundles_none"))
            else:
                top = min(6, len(bundles))
                choices = [0, *bundles["bundle"]]
                if remember("plan_bundle_pick", 0) not in choices:
                    state["plan_bundle_pick"] = 0
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
                pick = (
                    st.selectbox(
                        t("plan.bundle_pick"),
                        choices,
                        format_func=lambda n: labels.get(n) or translate("plan.bundle_top", lang, n=top),
                        key="plan_bundle_pick",
                    )
                    if not presenting
                    else 0
                )
                shown = bundles.head(top) if pick == 0 else bundles[bundles["bundle"] == pick]
                ui.show_chart(
                    plan_figures.bundle_map(
                        shown, members, schools, q.planned_boundary_rows(filters), lang, presenting
                    ),
                    key="plan_bundle_map",
                    file_name="plan-bundles-map",
                )
                ui.show_table(
                    planning.bundles_table(bundles, lang),
                    key="plan_bundles",
                    file_name="plan-bundles",
                    column_config={t("plan.col_why"): st.column_config.TextColumn(width="large")},
                )

    if tab_scenario.open:
        with tab_scenario:
            # The planned partnerships and the saved scenarios (listed at the end) need nothing chosen
            # here: they are read while the matches are made.
            warm(lambda: q.planned_partnerships(filters), *([] if presenting else [q.saved_scenarios]))
            matches, _ = matches_and_count()
            match_keys = keys_of(matches)
            planned = q.planned_partnerships(filters)
            scenario = scenario_of(planned, match_keys)
            state["plan_switched_on"] = [p for p in kept_switched_on if p in set(planned["partnership_id"])]
            result = scenarios.evaluate(filters, lang, scenario)
            for sentence in planning.scenario_headlines(scenario, result, lang):
                ui.headline(sentence)
            if not presenting:
                st.caption(t("plan.scenario_intro"))
                left, right = st.columns(2)
                with left:
                    st.toggle(t("plan.all_planned", count=len(planned)), key="plan_all_planned")
                    if not state["plan_all_planned"]:
                        planned_labels = {
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
                            t("plan.pick_planned"),
                            list(planned_labels),
                            format_func=planned_labels.get,
                            key="plan_switched_on",
                            placeholder=t("plan.none"),
                        )
                with right:
                    st.toggle(t("plan.all_matches", count=len(matches)), key="plan_all_matches")
                    if not state["plan_all_matches"]:
                        numbers = dict(
                            zip(strategy_table["strategy_id"], strategy_table["strategy_number"], strict=True)
                        )
                        match_labels = {
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
                            if key not in match_labels:
                                partner_id, school_id, strategy_id = key.split("|")
                                match_labels[key] = t(
                                    "plan.match_label_saved",
                                    partner=partner_names.get(partner_id, partner_id),
                                    school=school_names.get(school_id, school_id),
                                    number=numbers.get(strategy_id, strategy_id),
                                )
                        st.multiselect(
                            t("plan.pick_matches"),
                            list(match_labels),
                            format_func=match_labels.get,
                            key="plan_accepted",
                            placeholder=t("plan.none"),
                        )
            st.caption(
                t(
                    "plan.scenario_counts",
                    planned=format_number(len(scenario.switched_on), lang),
                    matches=format_number(len(scenario.accepted), lang),
                )
            )
            ui.show_chart(
                plan_figures.before_after_chart(result.before_after, lang, presenting),
                key="plan_before_after_chart",
                file_name="plan-before-after",
            )
            ui.show_table(
                planning.before_after_table(result.before_after, lang),
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
                ui.show_table(
                    planning.feeder_table(result.feeder_changes, lang), key="plan_feeder", file_name="plan-feeder"
                )

            if not presenting:
                st.subheader(t("plan.saved_title"))
                saved = q.saved_scenarios()
                left, right = st.columns(2)
                with left:
                    remember("plan_scenario_name", "")
                    if not access.can_edit:
                        st.caption(t("common.sign_in_to_save"))
                    st.text_input(
                        t("plan.scenario_name"), key="plan_scenario_name", max_chars=80, disabled=not access.can_edit
                    )
                    current = scenarios.SavedScenario(
                        name="",
                        filters=filters,
                        radius_miles=radius,
                        weight_source=source,
                        weights=weights,
                        excluded_partner_ids=tuple(excluded_partners),
                        excluded_school_ids=tuple(excluded_schools),
                        scenario=scenario,
                    )
                    if access.can_edit:
                        st.button(
                            t("plan.save"),
                            key="plan_save",
                            on_click=save_scenario,
                            args=(current,),
                            icon=":material/save:",
                        )
                with right:
                    if saved.empty:
                        st.caption(t("plan.no_saved"))
                    else:
                        days = {
                            row.name: format_date(pd.Timestamp(row.saved_at).date(), lang)
                            for row in saved.itertuples(index=False)
                        }
                        if state.get("plan_open_name") not in days:
                            state["plan_open_name"] = next(iter(days))
                        name = st.selectbox(
                            t("plan.open_pick"),
                            list(days),
                            format_func=lambda n: translate("plan.saved_label", lang, name=n, day=days[n]),
                            key="plan_open_name",
                        )
                        buttons = st.columns(2)
                        buttons[0].button(
                            t("plan.open"),
                            key="plan_open",
                            on_click=open_scenario,
                            args=(name,),
                            icon=":material/folder_open:",
                        )
                        if access.can_edit:
                            buttons[1].button(
                                t("plan.delete"),
                                key="plan_delete",
                                on_click=delete_scenario,
                                args=(name,),
                                icon=":material/delete:",
                            )

    # ---- export ------------------------------------------------------------------------------------

    def export_workbook(fixed_rows: list[tuple[str, str]], settings_title: str) -> bytes:
        """The plan's XLSX with the scenario's before and after, built when the button is clicked (in
        Streamlit's download thread: only values of this run are read, no widget state)."""
        matches, n_candidates = matches_and_count()
        bundles, members = bundles_and_members()
        scenario = scenario_of(q.planned_partnerships(filters), keys_of(matches))
        result = scenarios.evaluate(filters, lang, scenario)
        plan = planning.Plan(settings, matches, bundles, members, scenario, result, n_candidates)
        rows = [
            *fixed_rows,
            (translate("plan.setting_planned", lang), format_number(len(scenario.switched_on), lang)),
            (translate("plan.setting_accepted", lang), format_number(len(scenario.accepted), lang)),
        ]
        return planning.plan_workbook(planning.plan_tables(plan, lang), rows, settings_title)

    if not presenting:
        st.subheader(t("plan.export_title"))
        strategy_labels = dict(zip(strategy_table["strategy_id"], strategy_table["strategy_number"], strict=True))
        settings_rows = [
            *([(t("plan.setting_district"), ", ".join(filters.districts))] if filters.districts else []),
            (t("plan.setting_framework"), filters.framework_id),
            (t("plan.setting_date"), filters.on_date.isoformat()),
            (t("plan.setting_year"), filters.school_year),
            (t("plan.setting_radius"), format_number(radius, lang, 1)),
            (t("plan.setting_weight_source"), source_label(source)),
            (
                t("plan.setting_weights"),
                ", ".join(f"{strategy_labels[sid]}: {format_number(w, lang, 2)}" for sid, w in weights.items()),
            ),
            (t("plan.setting_excluded_partners"), ", ".join(partner_names[p] for p in excluded_partners)),
            (t("plan.setting_excluded_schools"), ", ".join(school_names[s] for s in excluded_schools)),
        ]
        settings_title = t("plan.sheet_settings")
        plan_district = "-".join(filters.districts) or district()["district_id"]
        st.download_button(
            t("plan.download_xlsx"),
            lambda: export_workbook(settings_rows, settings_title),  # built on click
            file_name=f"plan-{plan_district}-{date.today().isoformat()}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="plan_xlsx",
            icon=":material/download:",
        )
        st.caption(t("plan.export_caption"))

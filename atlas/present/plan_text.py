"""The plan in words, in the page's language: why each match and each bundle, and the sentences
that sum the plan up (the page's headlines, the board packet, the story). No Streamlit here."""

from __future__ import annotations

import pandas as pd
import pyarrow.compute as pc

from atlas.domain import frames
from atlas.domain.planning import Plan
from atlas.domain.scenarios import Scenario, ScenarioResult
from atlas.present.figures import strategy_label
from atlas.present.i18n import fill_each, format_number, number_texts, templates, translate


def explain_matches(matches: pd.DataFrame, lang: str) -> list[str]:
    """Why each match, in words: what the partner already does, why the school, and its room.
    Every row at once (see i18n.fill_each): a national plan explains tens of thousands."""
    text = templates(_WHY_KEYS, lang)
    partner = matches["partner_name"]
    number = number_texts(matches["strategy_number"], lang)
    strategy = [
        strategy_label(n, name)
        for n, name in zip(matches["strategy_number"].tolist(), matches["short_name"].tolist(), strict=True)
    ]
    runs = matches["n_strategy_schools"].to_numpy()
    delivers = pc.if_else(
        runs == 1,
        fill_each(text["plan.why_runs_one"], partner=partner, strategy=strategy),
        fill_each(text["plan.why_runs_many"], partner=partner, strategy=strategy, count=number_texts(runs, lang)),
    )
    need = matches["need_index"].astype(float)
    need_clause = pc.if_else(
        matches["is_high_need"].to_numpy(dtype=bool),
        text["plan.why_high_need"],
        pc.if_else(
            need.notna().to_numpy(),
            fill_each(text["plan.why_need_index"], need=number_texts(need, lang)),
            text["plan.why_no_need_data"],
        ),
    )
    gap_clause = pc.if_else(
        matches["n_active"].to_numpy() == 0,
        fill_each(text["plan.why_no_partner"], number=number),
        fill_each(
            text["plan.why_short"],
            number=number,
            active=number_texts(matches["n_active"], lang),
            target=number_texts(matches["coverage_target"], lang),
        ),
    )
    school = fill_each(
        text["plan.why_school"],
        school=matches["school_name"],
        distance=number_texts(matches["distance_miles"].astype(float), lang, 1),
        need=need_clause,
        gap=gap_clause,
    )
    spare = matches["spare_capacity"].to_numpy()
    room = pc.if_else(
        matches["is_serving_school"].to_numpy(dtype=bool),
        fill_each(text["plan.why_already_there"], partner=partner),
        pc.if_else(
            ~matches["is_capacity_known"].to_numpy(dtype=bool),
            text["plan.why_capacity_unknown"],
            pc.if_else(
                spare == 1,
                fill_each(text["plan.why_room_one"], partner=partner),
                fill_each(text["plan.why_room_many"], partner=partner, spare=number_texts(spare, lang)),
            ),
        ),
    )
    return fill_each("{delivers}; {school} {room}", delivers=delivers, school=school, room=room).to_pylist()


# The messages explain_matches fills for each of a thousand matches (see i18n.templates).
_WHY_KEYS = (
    "plan.why_runs_one",
    "plan.why_runs_many",
    "plan.why_high_need",
    "plan.why_need_index",
    "plan.why_no_need_data",
    "plan.why_no_partner",
    "plan.why_short",
    "plan.why_school",
    "plan.why_already_there",
    "plan.why_capacity_unknown",
    "plan.why_room_one",
    "plan.why_room_many",
)


def explain_bundle(row, lang: str, radius_miles: float) -> str:
    number = int(row["strategy_number"])
    names = list(row["school_names"])
    joined = _join(names, lang)
    return translate(
        "plan.bundle_why",
        lang,
        partner=row["partner_name"],
        strategy=strategy_label(number, row["short_name"]),
        count=format_number(int(row["n_strategy_schools"]), lang),
        schools=joined,
        radius=format_number(radius_miles, lang, 1),
        number=number,
        high=format_number(int(row["n_high_need"]), lang),
        n=format_number(len(names), lang),
    )


def _join(names: list[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    word = translate("plan.and", lang)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def explained_matches(matches: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The matches with an explanation column (explain_matches)."""
    matches["explanation"] = explain_matches(matches, lang)
    return matches


def explained_bundles(bundles: pd.DataFrame, lang: str, radius_miles: float) -> pd.DataFrame:
    """The bundles with an explanation column (explain_bundle)."""
    bundles["explanation"] = [explain_bundle(row, lang, radius_miles) for row in frames.records(bundles)]
    return bundles


# ---- sentences about the whole plan ------------------------------------------------------------


def headlines(plan: Plan, lang: str) -> list[str]:
    """Plain-language sentences about the plan, most important first: the matches, the bundles,
    then what the scenario changes."""
    return [sentence for part in section_headlines(plan, lang).values() for sentence in part]


def section_headlines(plan: Plan, lang: str) -> dict[str, list[str]]:
    """The sentences of each part of the plan: 'matches', 'bundles' and 'scenario'."""
    return {
        "matches": matches_headlines(plan.matches, lang),
        "bundles": bundles_headlines(plan.bundles, lang),
        "scenario": scenario_headlines(plan.scenario, plan.result, lang),
    }


def matches_headlines(matches: pd.DataFrame, lang: str) -> list[str]:
    """The sentence about the recommended matches."""
    if not len(matches):
        return [translate("plan.headline_no_matches", lang)]
    high = matches[matches["is_high_need"].astype(bool)]
    return [
        translate(
            "plan.headline_matches",
            lang,
            matches=format_number(len(matches), lang),
            partners=format_number(matches["partner_id"].nunique(), lang),
            schools=format_number(matches["school_id"].nunique(), lang),
            high=format_number(high["school_id"].nunique(), lang),
        )
    ]


def bundles_headlines(bundles: pd.DataFrame, lang: str) -> list[str]:
    """The sentence about the bundles (none when there is no bundle)."""
    if not len(bundles):
        return []
    return [
        translate(
            "plan.headline_bundles",
            lang,
            bundles=format_number(len(bundles), lang),
            schools=format_number(int(bundles["n_schools"].sum()), lang),
        )
    ]


def scenario_headlines(scenario: Scenario, result: ScenarioResult, lang: str) -> list[str]:
    """The sentences about what the scenario changes: the strategy gaining the most high-need
    schools, and the feeder patterns that become continuous."""
    sentences: list[str] = []
    table = result.before_after
    if not len(table) or scenario.is_empty:
        return sentences
    gained = table["n_high_need_covered_after"] - table["n_high_need_covered_before"]
    best = table.assign(gained=gained).sort_values(["gained", "strategy_number"], ascending=[False, True]).iloc[0]
    if best["gained"] > 0:
        sentences.append(
            translate(
                "plan.headline_after",
                lang,
                strategy=strategy_label(int(best["strategy_number"]), best["short_name"]),
                before=format_number(int(best["n_high_need_covered_before"]), lang),
                after=format_number(int(best["n_high_need_covered_after"]), lang),
                total=format_number(int(best["n_high_need"]), lang),
            )
        )
    changes = result.feeder_changes
    if len(changes):
        sentences.append(
            translate(
                "plan.headline_feeder",
                lang,
                count=format_number(len(changes), lang),
                patterns=format_number(changes["feeder_id"].nunique(), lang),
            )
        )
    return sentences

"""The plan's tables for people, headed in the page's language: the page, its downloads, the
XLSX export and the board packet show these. No Streamlit here."""

from __future__ import annotations

import pandas as pd

from atlas.domain.planning import Plan
from atlas.present.figures import strategy_label
from atlas.present.i18n import translate


def matches_table(matches: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "rank": matches["rank"],
            "partner": matches["partner_name"],
            "school": matches["school_name"],
            "strategy": _labels(matches),
            "distance_miles": matches["distance_miles"].astype(float).round(1),
            "need_index": matches["need_index"].astype(float).round(0),
            "high_need": _yes_no(matches["is_high_need"], lang),
            "score": matches["score"].astype(float).round(1),
            "why": matches["explanation"],
        }
    )
    return _headed(frame, lang)


def bundles_table(bundles: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "bundle": bundles["bundle"],
            "partner": bundles["partner_name"],
            "strategy": _labels(bundles),
            "n_schools": bundles["n_schools"],
            "n_high_need": bundles["n_high_need"],
            "schools": [", ".join(names) for names in bundles["school_names"]],
            "score": bundles["score"].astype(float).round(1),
            "why": bundles["explanation"],
        }
    )
    return _headed(frame, lang)


def before_after_table(before_after: pd.DataFrame, lang: str) -> pd.DataFrame:
    rows = before_after
    frame = pd.DataFrame(
        {
            "strategy": _labels(rows),
            "n_schools": rows["n_schools"],
            "n_covered_before": rows["n_covered_before"],
            "n_covered_after": rows["n_covered_after"],
            "covered_pct_before": rows["covered_pct_before"].astype(float).round(1),
            "covered_pct_after": rows["covered_pct_after"].astype(float).round(1),
            "n_high_need": rows["n_high_need"],
            "n_high_need_covered_before": rows["n_high_need_covered_before"],
            "n_high_need_covered_after": rows["n_high_need_covered_after"],
            "equity_gap_pct_before": rows["equity_gap_pct_before"].astype(float).round(1),
            "equity_gap_pct_after": rows["equity_gap_pct_after"].astype(float).round(1),
        }
    )
    return _headed(frame, lang)


def feeder_table(changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "feeder": changes["feeder_name"],
            "strategy": _labels(changes),
            "before": [_stops(v, lang) for v in changes["stops_after_before"]],
            "after": [translate("plan.feeder_continuous", lang)] * len(changes),
        }
    )
    return _headed(frame, lang)


def _labels(frame: pd.DataFrame) -> list[str]:
    # tolist(): iterating an Arrow-backed text column itself goes one value at a time.
    numbers, names = frame["strategy_number"].tolist(), frame["short_name"].tolist()
    return [strategy_label(int(n), s) for n, s in zip(numbers, names, strict=True)]


def _stops(value, lang: str) -> str:
    if isinstance(value, str):
        return translate("plan.feeder_stops_after", lang, level=translate(f"levels.{value}", lang))
    return translate("plan.feeder_gap", lang)


def _yes_no(values: pd.Series, lang: str) -> list[str]:
    words = {True: translate("plan.yes", lang), False: translate("plan.no", lang)}
    return [words[bool(value)] for value in values.tolist()]


def _headed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(columns=lambda c: translate(f"plan.col_{c}", lang))


def plan_tables(plan: Plan, lang: str) -> dict[str, pd.DataFrame]:
    """The plan's tables for people, keyed by their title in lang (also the XLSX sheet names)."""
    return {
        translate("plan.sheet_matches", lang): matches_table(plan.matches, lang),
        translate("plan.sheet_bundles", lang): bundles_table(plan.bundles, lang),
        translate("plan.sheet_before_after", lang): before_after_table(plan.result.before_after, lang),
        translate("plan.sheet_feeder", lang): feeder_table(plan.result.feeder_changes, lang),
    }

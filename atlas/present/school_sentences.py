"""The School profile in sentences: its need, grades, region, feeder pattern and summary, why each
gap is one, and which values are hidden. No Streamlit here."""

from __future__ import annotations

import pandas as pd

from atlas.present import escape
from atlas.present.figures import strategy_label
from atlas.present.i18n import count_phrase, format_date, format_number, format_percent, is_missing, translate


def need_sentences(facts: pd.Series, parts: pd.DataFrame, lang: str) -> list[str]:
    """Why the school's need index is what it is: the index and tier, then each part in words."""
    if pd.isna(facts["need_index"]):
        return [translate("school.need_none", lang)]
    reasons = []
    if facts["is_high_need_by_index"]:
        reasons.append(translate("school.high_need_by_index", lang))
    if facts["is_high_need_by_title_i"]:
        reasons.append(translate("school.high_need_by_title_i", lang))
    index = format_number(facts["need_index"], lang)
    if reasons:
        first = translate("school.need_high", lang, index=index, reasons=translate("school.and", lang).join(reasons))
    else:
        first = translate("school.need_not_high", lang, index=index)
    sentences = [first]
    for row in parts.itertuples():
        label = part_label(facts, row.part, lang)
        if row.small_n:
            sentences.append(translate("school.part_suppressed", lang, part=label))
        elif not row.shown:
            sentences.append(translate("school.part_not_reported", lang, part=label))
        elif row.percentile >= 1:
            sentences.append(translate("school.part_highest", lang, part=label))
        else:
            sentences.append(
                translate("school.part_rank", lang, part=label, share=format_percent(100 * row.percentile, lang))
            )
    return sentences


def part_label(facts: pd.Series, part: str, lang: str) -> str:
    """A need part's name: 'Chronic absenteeism', or the district's own measure that plays the part
    (setting.need_metric_chronic_absence, need_metrics_proficiency; escaped: imported text)."""
    measure = facts.get(f"{part.removeprefix('non_')}_measure")
    name = (measure.get(lang) or measure.get("en")) if isinstance(measure, dict) else None
    if name:
        return translate(f"school.part_{part}_measure", lang, measure=escape.markdown(name))
    return translate(f"school.part_{part}", lang)


def grades_text(grades, lang: str) -> str:
    """'grades K-5' (escaped for Markdown: from the district's file), or that the file does not say."""
    if is_missing(grades) or not str(grades).strip():
        return translate("school.grades_not_reported", lang)
    return translate("school.grades", lang, grades=escape.markdown(grades))


def region_text(region, lang: str) -> str:
    """'North region' (escaped for Markdown: from the district's file), or that the file does not say."""
    if is_missing(region) or not str(region).strip():
        return translate("school.region_not_reported", lang)
    return translate("school.region", lang, region=escape.markdown(region))


def feeder_sentence(facts: pd.Series, lang: str) -> str | None:
    """Where the school sits in its feeder pattern; None for a school outside the patterns (level
    'other'), and a sentence saying so when the district's file does not name its high school."""
    if facts["level"] == "other":
        return None
    if is_missing(facts["feeder_high_school_id"]) or not str(facts["feeder_high_school_id"]).strip():
        return translate("school.feeder_not_reported", lang)
    if facts["level"] == "high":
        return translate(
            "school.feeder_high",
            lang,
            elementary=format_number(facts["n_pattern_elementary"], lang),
            middle=format_number(facts["n_pattern_middle"], lang),
        )
    return translate("school.feeder_into", lang, name=facts["feeder_name"] or facts["feeder_high_school_id"])


def summary_sentence(facts: pd.Series, lang: str) -> str:
    """The one sentence a reader should keep: need, partnerships and coverage."""
    key = "school.summary_high_need" if facts["is_high_need"] else "school.summary"
    if facts["n_active_partnerships"] == 0:
        key += "_no_partner"
    return translate(
        key,
        lang,
        name=facts["name"],
        partnerships=count_phrase("school.n_partnerships", facts["n_active_partnerships"], lang),
        partners=count_phrase("school.n_partners", facts["n_active_partners"], lang),
        covered=format_number(facts["n_covered"], lang),
        total=format_number(facts["n_strategies"], lang),
    )


def gap_reason(row, lang: str) -> str:
    """Why an uncovered strategy is a gap at the school, in words (no trailing full stop)."""
    if row.n_active == 0:
        parts = [translate("school.gap_no_active", lang)]
    else:
        parts = [
            translate(
                "school.gap_below_target",
                lang,
                active=format_number(row.n_active, lang),
                target=format_number(row.coverage_target, lang),
            )
        ]
    if row.n_ended and pd.notna(row.last_end_date):
        parts.append(translate("school.gap_ended", lang, day=format_date(pd.Timestamp(row.last_end_date).date(), lang)))
    if row.n_planned:
        parts.append(count_phrase("school.gap_planned", row.n_planned, lang))
    parts.append(
        translate(
            "school.gap_district",
            lang,
            covered=format_number(row.n_schools_covered, lang),
            total=format_number(row.n_schools, lang),
        )
    )
    return "; ".join(parts)


def gap_rank(row, lang: str) -> str:
    """Where the gap ranks: its priority and its place among all the district's gaps."""
    return translate(
        "school.gap_rank",
        lang,
        priority=format_number(row.priority, lang),
        rank=format_number(row.priority_rank, lang),
        total=format_number(row.n_district_gaps, lang),
    )


def gaps_intro(gaps: pd.DataFrame, lang: str) -> str:
    """How priority is worked out at this school; when every gap has the same priority (all
    weights equal), that priority and the ranks it takes in the district."""
    ranks = {
        "first": format_number(gaps["priority_rank"].min(), lang),
        "last": format_number(gaps["priority_rank"].max(), lang),
        "total": format_number(gaps["n_district_gaps"].iloc[0], lang),
    }
    if gaps["need_index"].isna().all():  # no priority to state: never "need index 0"
        return translate("missing.school_gaps_need_unknown", lang, **ranks)
    need = format_number(gaps["need_index"].iloc[0], lang)
    if gaps["priority"].nunique() == 1:
        weight = gaps["priority_weight"].iloc[0]
        return translate(
            "school.gaps_intro_same",
            lang,
            priority=format_number(gaps["priority"].iloc[0], lang),
            need=need,
            weight=format_number(weight, lang, 1 if weight % 1 else 0),
            **ranks,
        )
    return translate("school.gaps_intro", lang, need=need)


def gap_items(gaps: pd.DataFrame, lang: str) -> list[str]:
    """One Markdown line per gap, highest priority first: the strategy in bold, its rank (unless
    every gap shares one priority or the need is unknown: gaps_intro then says so once) and why it is a gap."""
    same = gaps["priority"].nunique() == 1 or gaps["need_index"].isna().all()
    items = []
    for row in gaps.itertuples():
        label = f"**{escape.markdown(strategy_label(row.strategy_number, row.short_name))}**"
        reason = escape.markdown(gap_reason(row, lang))
        items.append(f"{label}: {reason}." if same else f"{label} — {gap_rank(row, lang)}: {reason}.")
    return items


def suppressed_note(trends: pd.DataFrame, lang: str, min_n: int) -> str | None:
    """Which of the school's values are hidden and why, in words (None when none is)."""
    hidden = trends[trends["is_suppressed"]]
    if hidden.empty:
        return None
    items = [f"{row.metric_label} {row.school_year}" for row in hidden.itertuples()]
    return translate("school.suppressed_note", lang, min_n=format_number(min_n, lang), items=", ".join(items))


def n_not_reported_note(trends: pd.DataFrame, lang: str) -> str | None:
    """Which of the school's values have no reported n (shown as published), in words; None when none."""
    unreported = trends[~trends["is_n_reported"].astype(bool) & ~trends["is_suppressed"].astype(bool)]
    if unreported.empty:
        return None
    items = [f"{row.metric_label} {row.school_year}" for row in unreported.itertuples()]
    return translate("school.n_not_reported_note", lang, items=", ".join(items))


def district_simple_note(trends: pd.DataFrame, lang: str) -> str | None:
    """Which district figures are simple means of the schools (some n not reported); None when none."""
    simple = trends[trends["district_is_weighted"].eq(False) & trends["district_value"].notna()]
    if simple.empty:
        return None
    items = [f"{row.metric_label} {row.school_year}" for row in simple.itertuples()]
    return translate("school.district_simple_note", lang, items=", ".join(items))

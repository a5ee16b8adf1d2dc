"""The Coverage gaps page in sentences: why each gap ranks where it does, the priority list as
Markdown, one finding per feeder pattern and the page's headline findings. No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from atlas.domain import frames
from atlas.present import escape
from atlas.present.figures import strategy_label
from atlas.present.gaps_grid import LEVELS, patterns_by_stops
from atlas.present.i18n import format_number, is_missing, templates, translate

# The columns of a gap priority_reason reads.
REASON_COLUMNS = (
    "need_index",
    "is_high_need",
    "n_active",
    "coverage_target",
    "n_ended",
    "n_planned",
    "priority_weight",
)


def priority_reason(gap: Mapping, lang: str) -> str:
    """Why a gap ranks where it does, in one sentence:
    'High-need (need 96), no active partner for this strategy, 2 ended partnerships, 1 planned.'"""
    text = templates(_REASON_KEYS, lang)
    need = gap["need_index"]
    if is_missing(need):
        parts = [text["gaps.why_no_need"]]
    else:
        key = "gaps.why_high_need" if gap["is_high_need"] else "gaps.why_need"
        parts = [text[key].format(need=format_number(need, lang))]
    if gap["n_active"] == 0:
        parts.append(text["gaps.why_no_partner"])
    else:
        parts.append(
            text["gaps.why_below_target"].format(
                active=format_number(gap["n_active"], lang), target=format_number(gap["coverage_target"], lang)
            )
        )
    if gap["n_ended"]:
        key = "gaps.why_ended_one" if gap["n_ended"] == 1 else "gaps.why_ended_many"
        parts.append(text[key].format(n=format_number(gap["n_ended"], lang)))
    if gap["n_planned"]:
        key = "gaps.why_planned_one" if gap["n_planned"] == 1 else "gaps.why_planned_many"
        parts.append(text[key].format(n=format_number(gap["n_planned"], lang)))
    if gap["priority_weight"] != 1:
        parts.append(text["gaps.why_weight"].format(weight=format_number(gap["priority_weight"], lang, 1)))
    sentence = ", ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "."


# The messages priority_reason fills for each of a thousand gaps (see i18n.templates).
_REASON_KEYS = (
    "gaps.why_no_need",
    "gaps.why_high_need",
    "gaps.why_need",
    "gaps.why_no_partner",
    "gaps.why_below_target",
    "gaps.why_ended_one",
    "gaps.why_ended_many",
    "gaps.why_planned_one",
    "gaps.why_planned_many",
    "gaps.why_weight",
)


def priority_reasons(gaps: pd.DataFrame, lang: str) -> list[str]:
    """priority_reason of each gap, each different reason written once: a thousand gaps have a
    few hundred (the same school, counts and weight)."""
    written: dict[tuple, str] = {}
    reasons = []
    for gap in frames.rows(gaps[list(REASON_COLUMNS)]):
        reason = written.get(gap)
        if reason is None:
            reason = written[gap] = priority_reason(gap._asdict(), lang)
        reasons.append(reason)
    return reasons


def priority_list_markdown(gaps: pd.DataFrame, lang: str, limit: int = 10) -> str:
    """The first gaps as a numbered Markdown list that wraps in a narrow column:
    '**1.** **John Muir Elementary School** — 1 · Agreeing on core values / High-need (need 97), …'
    (the rank is bold text, not a Markdown list number, which would renumber 6, 14, 22 as 6, 7, 8)."""
    lines = []
    for gap in frames.records(gaps.head(limit)):
        strategy = strategy_label(gap["strategy_number"], gap["short_name"])
        school, reason = escape.markdown(gap["school_name"]), escape.markdown(priority_reason(gap, lang))
        lines.append(f"**{int(gap['priority_rank'])}.** **{school}** — {escape.markdown(strategy)}  \n{reason}")
    return "\n\n".join(lines)


def continuity_findings(continuity: pd.DataFrame, lang: str, limit: int | None = None) -> list[str]:
    """One sentence per feeder pattern (the first `limit` patterns), the pattern where most
    strategies stop first: 'Riverbend High School: all 10 strategies stop after elementary school.'"""
    kept = patterns_by_stops(continuity)[:limit]
    by_pattern: dict[str, list[dict]] = {feeder_id: [] for feeder_id in kept}
    columns = ["feeder_id", "feeder_name", "strategy_number", "stops_after"]
    columns += [f"is_{level}_present" for level in LEVELS]
    for row in frames.records(continuity.loc[continuity["feeder_id"].isin(kept), columns]):
        by_pattern[row["feeder_id"]].append(row)
    findings = []
    for feeder_id in kept:
        rows = by_pattern[feeder_id]
        name = rows[0]["feeder_name"] or feeder_id
        total = len(rows)
        parts = []
        for level in ("elementary", "middle"):
            stopping = [r["strategy_number"] for r in rows if r["stops_after"] == level]
            if not stopping:
                continue
            if len(stopping) == total and total > 1:
                parts.append(translate(f"gaps.all_stop_after_{level}", lang, n=format_number(total, lang)))
            elif len(stopping) > 1:
                parts.append(translate(f"gaps.some_stop_after_{level}", lang, strategies=_number_list(stopping, lang)))
            else:
                parts.append(translate(f"gaps.one_stops_after_{level}", lang, strategy=str(int(stopping[0]))))
        nowhere = [
            r["strategy_number"]
            for r in rows
            if not (r["is_elementary_present"] or r["is_middle_present"] or r["is_high_present"])
        ]
        if nowhere:
            key = "gaps.missing_everywhere_one" if len(nowhere) == 1 else "gaps.missing_everywhere_many"
            parts.append(translate(key, lang, strategies=_number_list(nowhere, lang)))
        text = "; ".join(parts) if parts else translate("gaps.all_continue", lang)
        findings.append(translate("gaps.pattern_finding", lang, pattern=name, text=text))
    return findings


def _number_list(numbers, lang: str) -> str:
    values = [str(int(n)) for n in sorted(numbers)]
    if len(values) == 1:
        return values[0]
    return f"{', '.join(values[:-1])} {translate('gaps.and', lang)} {values[-1]}"


def gap_findings(summary: Mapping, gaps: pd.DataFrame, lang: str) -> list[str]:
    """The page's plain-language findings: how many cells are open, and the school at the top of
    the priority list. summary: the page's counts (atlas.domain.query.gaps.gaps_summary); gaps: the
    priority list, at least its first row."""
    findings = []
    if summary["n_cells"]:
        findings.append(
            translate(
                "gaps.finding_open_cells",
                lang,
                open=format_number(int(summary["n_open"]), lang),
                total=format_number(int(summary["n_cells"]), lang),
                planned=format_number(int(summary["n_open_planned"]), lang),
            )
        )
    if not gaps.empty:
        top = gaps.iloc[0]
        findings.append(
            translate(
                "gaps.finding_top_school",
                lang,
                school=top["school_name"],
                need=format_number(top["need_index"], lang),
                open=format_number(int(top["n_school_open"]), lang),
                total=format_number(int(summary["n_strategies"]), lang),
            )
        )
    return findings

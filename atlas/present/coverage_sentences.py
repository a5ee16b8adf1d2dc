"""Strategy coverage in plain language: the sentences a board hears.

Each function returns finished sentences in the requested language, chosen so the most
important gap comes first.
"""

from __future__ import annotations

import pandas as pd

from atlas.domain import frames
from atlas.present.figures import strategy_label
from atlas.present.i18n import format_number, format_percent, translate


def coverage_findings(coverage: pd.DataFrame, lang: str, limit: int = 3) -> list[str]:
    """Sentences about the strategies that leave the most high-need schools uncovered, the
    strategy the partnerships miss most unequally, and the least covered strategy."""
    findings: list[str] = []
    missing = coverage.assign(n_missing=coverage["n_high_need"] - coverage["n_high_need_covered"])
    worst_first = missing[missing["n_missing"] > 0].sort_values(
        ["n_missing", "strategy_number"], ascending=[False, True]
    )
    for row in frames.rows(worst_first.head(limit - 1)):
        findings.append(
            translate(
                "headlines.high_need_uncovered",
                lang,
                missing=format_number(row.n_missing, lang),
                total=format_number(row.n_high_need, lang),
                strategy=strategy_label(row.strategy_number, row.short_name),
            )
        )
    gaps = coverage.dropna(subset=["equity_gap_pct"])
    if not gaps.empty and gaps["equity_gap_pct"].min() < 0:
        row = gaps.sort_values(["equity_gap_pct", "strategy_number"]).iloc[0]
        findings.append(
            translate(
                "headlines.equity_gap",
                lang,
                strategy=strategy_label(row.strategy_number, row.short_name),
                high=format_percent(row.high_need_covered_pct, lang),
                other=format_percent(row.other_covered_pct, lang),
            )
        )
    if not coverage.empty:
        row = coverage.sort_values(["covered_pct", "strategy_number"]).iloc[0]
        findings.append(
            translate(
                "headlines.least_covered",
                lang,
                strategy=strategy_label(row.strategy_number, row.short_name),
                covered=format_number(row.n_covered, lang),
                total=format_number(row.n_schools, lang),
            )
        )
    return list(dict.fromkeys(findings))  # a strategy can top two lists: say it once

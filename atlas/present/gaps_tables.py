"""The Coverage gaps page's tables as shown and downloaded: the matrix (one row per school), the
priority list and the feeder continuity. DataFrame in, DataFrame out; no Streamlit here."""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas.present.figures import strategy_label
from atlas.present.gaps_grid import LEVELS, STATES, matrix_schools
from atlas.present.gaps_sentences import priority_reasons
from atlas.present.i18n import format_number, translate


def matrix_table(matrix: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The matrix as a wide table for download: one row per school, one column per strategy
    whose value is the cell's state in words and its active partnerships."""
    schools = matrix_schools(matrix)
    states = {state: translate(f"gaps.state_{state}", lang) for state in STATES}
    cell_text = matrix.assign(
        cell=[
            f"{states[s]} ({translate('gaps.n_active', lang, n=format_number(a, lang))})"
            for s, a in zip(matrix["state"], matrix["n_active"], strict=True)
        ],
        column=[strategy_label(n, s) for n, s in zip(matrix["strategy_number"], matrix["short_name"], strict=True)],
    )
    order = list(dict.fromkeys(cell_text.sort_values("strategy_number")["column"]))
    wide = cell_text.pivot(index="school_id", columns="column", values="cell")[order]
    table = schools.assign(
        need_index=schools["need_index"].round(1),
        level=[translate(f"levels.{v}", lang) for v in schools["level"]],
    ).merge(wide, left_on="school_id", right_index=True)
    return table.rename(
        columns={
            "school_id": translate("gaps.col_school_id", lang),
            "school_name": translate("gaps.col_school", lang),
            "level": translate("gaps.col_level", lang),
            "region": translate("gaps.col_region", lang),
            "need_index": translate("gaps.col_need", lang),
            "is_high_need": translate("gaps.col_high_need", lang),
        }
    )


def priority_table(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The priority-gap list as shown and downloaded: rank, school, strategy, need, priority, why."""
    return pd.DataFrame(
        {
            translate("gaps.col_rank", lang): gaps["priority_rank"].astype(int),
            translate("gaps.col_school", lang): gaps["school_name"],
            translate("gaps.col_strategy", lang): [
                strategy_label(n, s)
                for n, s in zip(gaps["strategy_number"].tolist(), gaps["short_name"].tolist(), strict=True)
            ],
            translate("gaps.col_need", lang): gaps["need_index"].round(0),
            translate("gaps.col_why", lang): priority_reasons(gaps, lang),
            translate("gaps.col_school_id", lang): gaps["school_id"],
        }
    )


def continuity_table(continuity: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The continuity view as a table for download: one row per (feeder pattern, strategy)."""

    counts = continuity[[f"n_{level}{part}" for level in LEVELS for part in ("", "_covered")]]
    number_text = {n: format_number(n, lang) for n in np.unique(counts.to_numpy()).tolist()}

    def fraction(covered: pd.Series, total: pd.Series) -> list[str]:
        # Each count formatted once: a state's table has tens of thousands of cells.
        return [
            f"{number_text[c]}/{number_text[n]}" if n else "—"
            for c, n in zip(covered.tolist(), total.tolist(), strict=True)
        ]

    stops = {
        "elementary": translate("levels.elementary", lang),
        "middle": translate("levels.middle", lang),
    }
    return pd.DataFrame(
        {
            translate("gaps.col_feeder", lang): continuity["feeder_name"],
            translate("gaps.col_strategy", lang): [
                strategy_label(n, s)
                for n, s in zip(continuity["strategy_number"].tolist(), continuity["short_name"].tolist(), strict=True)
            ],
            translate("levels.elementary", lang): fraction(
                continuity["n_elementary_covered"], continuity["n_elementary"]
            ),
            translate("levels.middle", lang): fraction(continuity["n_middle_covered"], continuity["n_middle"]),
            translate("levels.high", lang): fraction(continuity["n_high_covered"], continuity["n_high"]),
            translate("gaps.col_continuous", lang): continuity["is_continuous"].astype(bool),
            translate("gaps.col_stops_after", lang): [
                stops.get(v, "") if isinstance(v, str) else "" for v in continuity["stops_after"].tolist()
            ],
        }
    )

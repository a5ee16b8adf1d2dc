"""The parts of a school's need index, most influential first, each ranked from published values
only. No Streamlit here."""

from __future__ import annotations

import pandas as pd

from atlas.present.i18n import is_missing

NEED_PARTS = ("frl", "el", "chronic_absence", "non_proficiency")


def need_parts(facts: pd.Series, min_n: int) -> pd.DataFrame:
    """The parts of the school's need index, most influential first: part, percentile (0–1, the
    share of the district's schools below it), shown, and small_n. Every percentile is ranked from
    published values only (queries/macros/02_school_need.sql). A part without one is listed last, not
    shown: small_n when its values all rest on fewer than min_n students (left out of the index to
    protect them), otherwise because the district's data has no value for it."""
    n_behind = {"chronic_absence": facts["chronic_absence_n"], "non_proficiency": facts["proficiency_n"]}
    rows = []
    for part in NEED_PARTS:
        percentile = facts[f"{part}_percentile"]
        if not is_missing(percentile):
            rows.append({"part": part, "percentile": float(percentile), "shown": True, "small_n": False})
        else:
            n = n_behind.get(part)
            small_n = not is_missing(n) and n < min_n
            rows.append({"part": part, "percentile": float("nan"), "shown": False, "small_n": small_n})
    frame = pd.DataFrame(rows, columns=["part", "percentile", "shown", "small_n"])
    return frame.sort_values(
        ["shown", "percentile"], ascending=[False, False], kind="stable", na_position="last"
    ).reset_index(drop=True)

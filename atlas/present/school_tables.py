"""The School profile's tables as shown and downloaded: its gaps, its metrics, its partnerships and
the partners nearby. DataFrame in, DataFrame out; no Streamlit here."""

from __future__ import annotations

import pandas as pd

from atlas.present.figures import strategy_label
from atlas.present.i18n import format_date, format_number, is_missing, partnership_dates, translate
from atlas.present.outcome_text import metric_decimals
from atlas.present.school_sentences import gap_reason


def gap_table(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The school's uncovered strategies, highest priority first, each with its reason (for CSV)."""
    return pd.DataFrame(
        {
            translate("school.col_rank", lang): range(1, len(gaps) + 1),
            translate("school.col_strategy", lang): [
                strategy_label(n, s) for n, s in zip(gaps["strategy_number"], gaps["short_name"], strict=True)
            ],
            translate("school.col_priority", lang): gaps["priority"].round(0),
            translate("school.col_district_rank", lang): gaps["priority_rank"],
            translate("school.col_why", lang): [_capitalised(gap_reason(row, lang)) for row in gaps.itertuples()],
        }
    )


def metric_table(trends: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The chart's values as a table (and CSV), each at its measure's precision: suppressed values
    are empty, with the reason; a value whose n is not reported says so, and so does a district
    figure that is the simple mean of the schools."""
    places = [metric_decimals(row) for row in trends.to_dict("records")]
    return pd.DataFrame(
        {
            translate("school.col_metric", lang): trends["metric_label"],
            translate("school.col_year", lang): trends["school_year"],
            translate("school.col_school_value", lang): _rounded(trends["value"], places),
            translate("school.col_district_value", lang): _rounded(trends["district_value"], places),
            translate("school.col_note", lang): [_note(row, lang) for row in trends.to_dict("records")],
        }
    )


def _rounded(values: pd.Series, places: list[int]) -> list[float]:
    return [round(float(v), p) if not is_missing(v) else float("nan") for v, p in zip(values, places, strict=True)]


def _note(row: dict, lang: str) -> str:
    """Why a value is missing or how to read it: hidden, n not reported, a simple-mean district figure."""
    notes = []
    if row["is_suppressed"]:
        notes.append(translate("school.reason_small", lang))
    elif not row.get("is_n_reported", True):
        notes.append(translate("school.reason_n_not_reported", lang))
    weighted = row.get("district_is_weighted", True)
    if not is_missing(weighted) and not weighted:  # missing: no published district value
        notes.append(translate("school.reason_district_simple", lang))
    return "; ".join(notes)


# Columns of queries/school_partnerships.sql shown, in order; PRIVATE ones keep their names so
# atlas.domain.privacy recognises them (the page labels them with column_config).
PARTNERSHIP_COLUMNS = (
    "partner_name", "partner_type", "status_text", "strategies", "start_date", "end_date", "students_served",
    "is_mou_signed", "evaluation_measure", "contact_name", "contact_email", "contact_phone", "notes",
)  # fmt: skip


PRIVATE_LABELS = ("contact_name", "contact_email", "contact_phone", "notes")


def partnership_table(partnerships: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The school's partnerships with a status in words ("Active", "Planned", "Ended", or
    "Not active on the date"), public columns named in lang, private ones under their own names."""
    status = []
    for row in partnerships.itertuples():
        if row.is_active:
            status.append(translate("school.status_active", lang))
        elif row.status == "planned":
            status.append(translate("school.status_planned", lang))
        elif row.status == "ended" and pd.notna(row.end_date):
            status.append(
                translate("school.status_ended", lang, day=format_date(pd.Timestamp(row.end_date).date(), lang))
            )
        else:
            status.append(translate("school.status_inactive", lang))
    table = partnerships.assign(
        status_text=status,
        start_date=partnership_dates(partnerships["start_date"], partnerships["status"], lang),
        end_date=partnership_dates(partnerships["end_date"], partnerships["status"], lang),
    )[list(PARTNERSHIP_COLUMNS)].copy()
    return table.rename(
        columns={c: translate(f"school.col_{c}", lang) for c in PARTNERSHIP_COLUMNS if c not in PRIVATE_LABELS}
    )


def nearby_table(nearby: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Nearby partners who deliver missing strategies elsewhere, nearest first, named in lang."""
    spare = [
        translate("school.unknown", lang) if pd.isna(v) else format_number(v, lang) for v in nearby["spare_capacity"]
    ]
    return pd.DataFrame(
        {
            translate("school.col_partner_name", lang): nearby["partner_name"],
            translate("school.col_distance", lang): nearby["distance_miles"].round(1),
            translate("school.col_missing_strategies", lang): nearby["strategies"],
            translate("school.col_spare", lang): spare,
            translate("school.col_partner_type", lang): nearby["partner_type"],
            translate("school.col_languages", lang): nearby["languages"],
            translate("school.col_schools_now", lang): nearby["n_active_schools"],
            translate("school.col_works_here", lang): [
                translate("school.yes" if v else "school.no", lang) for v in nearby["works_here"]
            ],
        }
    )


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]

"""The Partners page's tables as shown and downloaded: the directory and one partner's partnerships.

DataFrame in, DataFrame out; no Streamlit here. Private columns (atlas.domain.privacy.PRIVATE_COLUMNS)
keep their raw names in every table built here, so atlas.app.ui.show_table and
atlas.present.csv_export.csv_bytes recognise and drop them."""

from __future__ import annotations

from datetime import date

import pandas as pd

from atlas.domain.partner_directory import CONTACT_COLUMNS
from atlas.domain.partnerships import partnership_state
from atlas.present.i18n import format_number, not_reported, partnership_dates, translate
from atlas.present.partner_sentences import strategy_numbers_text


def mou_status(n_active: int, n_signed: int, lang: str) -> str:
    """'Signed (3 of 3)', 'Partly signed (1 of 3)', 'Not signed (0 of 2)' or 'No active partnership'."""
    if not n_active:
        return translate("partners.mou_no_active", lang)
    key = "mou_signed" if n_signed == n_active else "mou_none" if n_signed == 0 else "mou_partly"
    return translate(f"partners.{key}", lang, signed=format_number(n_signed, lang), total=format_number(n_active, lang))


def directory_table(directory: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The directory as shown and downloaded. Contact columns keep their raw (private) names."""
    table = pd.DataFrame(
        {
            translate("partners.col_name", lang): directory["name"],
            translate("partners.col_type", lang): directory["partner_type"],
            translate("partners.col_strategies", lang): [
                strategy_numbers_text(v) for v in directory["strategy_numbers"]
            ],
            translate("partners.col_schools", lang): directory["n_schools_served"].astype(int),
            translate("partners.col_students", lang): directory["students_served"].astype(int),
            translate("partners.col_mou", lang): [
                mou_status(a, s, lang)
                for a, s in zip(directory["n_active"], directory["n_active_mou_signed"], strict=True)
            ],
            translate("partners.col_since", lang): directory["first_year"].astype("Int64"),
            translate("partners.col_years", lang): directory["years_active"].astype(float),
            translate("partners.col_active", lang): directory["n_active"].astype(int),
            translate("partners.col_planned", lang): directory["n_planned"].astype(int),
            translate("partners.col_ended", lang): directory["n_ended"].astype(int),
            translate("partners.col_capacity", lang): directory["capacity_schools"].astype("Int64"),
            translate("partners.col_languages", lang): directory["languages"],
            translate("partners.col_partner_id", lang): directory["partner_id"],
        }
    )
    for column in CONTACT_COLUMNS:
        table[column] = directory[column].to_numpy()
    return table


def partnerships_table(partnerships: pd.DataFrame, on_date: date, lang: str) -> pd.DataFrame:
    """One partner's partnerships as shown and downloaded; notes keep their raw (private) name."""
    states = (
        partnerships.apply(partnership_state, axis=1, on_date=on_date) if len(partnerships) else pd.Series(dtype=str)
    )
    yes, no = translate("partners.yes", lang), translate("partners.no", lang)
    table = pd.DataFrame(
        {
            translate("partners.col_school", lang): partnerships["school_name"],
            translate("partners.col_state", lang): [translate(f"partners.state_{s}", lang) for s in states],
            translate("partners.col_strategies", lang): [
                strategy_numbers_text(v) for v in partnerships["strategy_numbers"]
            ],
            translate("partners.col_start", lang): partnership_dates(
                partnerships["start_date"], partnerships["status"], lang
            ),
            translate("partners.col_end", lang): partnership_dates(
                partnerships["end_date"], partnerships["status"], lang
            ),
            translate("partners.col_students", lang): partnerships["students_served"].astype("Int64"),
            translate("partners.col_cost", lang): partnerships["annual_cost_usd"].astype(float),
            translate("partners.col_funding", lang): [
                translate(f"partners.funding_{f}", lang) if isinstance(f, str) else not_reported(lang)
                for f in partnerships["funding_source"]
            ],
            translate("partners.col_mou_signed", lang): [yes if v else no for v in partnerships["is_mou_signed"]],
            translate("partners.col_evaluation", lang): partnerships["evaluation_measure"],
            translate("partners.col_school_id", lang): partnerships["school_id"],
        }
    )
    table["notes"] = partnerships["notes"].to_numpy()
    return table

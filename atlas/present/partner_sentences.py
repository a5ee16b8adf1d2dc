"""The Partners page in words: its findings, and one partner's contact line and header facts.
No Streamlit here."""

from __future__ import annotations

import pandas as pd

from atlas.domain.partner_directory import CONTACT_COLUMNS
from atlas.present import escape
from atlas.present.i18n import format_number, is_missing, not_reported, translate


def directory_findings(counts: pd.Series, lang: str) -> list[str]:
    """How many partners are working, how many active partnerships have a signed MOU, and how
    many partners are at capacity (they cannot take another school). counts: the directory counted
    (queries/partners_counts.sql)."""
    findings = []
    if not counts["n_partners"]:
        return findings
    findings.append(
        translate(
            "partners.finding_working",
            lang,
            working=format_number(int(counts["n_working"]), lang),
            total=format_number(int(counts["n_partners"]), lang),
        )
    )
    if counts["n_active_partnerships"]:
        findings.append(
            translate(
                "partners.finding_mou",
                lang,
                signed=format_number(int(counts["n_active_mou_signed"]), lang),
                total=format_number(int(counts["n_active_partnerships"]), lang),
            )
        )
    if counts["n_full"]:
        findings.append(translate("partners.finding_full", lang, n=format_number(int(counts["n_full"]), lang)))
    return findings


def contact_line(partner: pd.Series, lang: str) -> str:
    """The partner's contact name, e-mail and phone (those recorded), escaped for Markdown, or that none
    is recorded."""
    recorded = [
        escape.markdown(str(partner[c]))
        for c in CONTACT_COLUMNS
        if not is_missing(partner[c]) and str(partner[c]).strip()
    ]
    return " · ".join(recorded) if recorded else translate("partners.no_contact", lang)


def _text_or_not_reported(value, lang: str) -> str:
    return not_reported(lang) if is_missing(value) or not str(value).strip() else str(value)


def partner_facts(partner: pd.Series, partnerships: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs for the partner's header: type, languages, capacity in use, address."""
    serving = int(partnerships.loc[partnerships["is_active"].astype(bool), "school_id"].nunique())
    capacity = partner["capacity_schools"]
    if is_missing(capacity):
        capacity_text = translate("partners.capacity_unknown", lang, serving=format_number(serving, lang))
    else:
        capacity_text = translate(
            "partners.capacity_text", lang, serving=format_number(serving, lang), capacity=format_number(capacity, lang)
        )
    return [
        (translate("partners.col_type", lang), partner["partner_type"]),
        (translate("partners.col_languages", lang), _text_or_not_reported(partner["languages"], lang)),
        (translate("partners.col_capacity", lang), capacity_text),
        (translate("partners.col_address", lang), _text_or_not_reported(partner["address"], lang)),
    ]


def strategy_numbers_text(numbers) -> str:
    """Strategy numbers as '1, 3, 5', or '—' when there are none."""
    return ", ".join(str(int(n)) for n in numbers) if numbers is not None and len(numbers) else "—"

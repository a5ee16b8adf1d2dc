"""Blank files to fill in (CSV, and Excel with a README sheet explaining every column) and an
export of current rows as .xlsx that can never run a formula. (A new empty district database:
atlas.database.districts.new_district_database.)"""

from __future__ import annotations

import io

import pandas as pd

from atlas.database.importing import kinds as k
from atlas.database.importing.codes import FUNDING, LEVELS, STATUSES, TITLE_I
from atlas.present.csv_export import csv_bytes
from atlas.present.i18n import translate

_TYPE_KEYS = {
    k.TEXT: "type_text",
    k.INT: "type_int",
    k.NUMBER: "type_number",
    k.PERCENT: "type_percent",
    k.MONEY: "type_money",
    k.DATE: "type_date",
    k.BOOL: "type_bool",
    k.CODE: "type_code",
    k.REF: "type_ref",
    k.YEAR: "type_year",
    k.STRATEGIES: "type_strategies",
}
_FIXED_CODES = {"level": LEVELS, "title_i": TITLE_I, "status": STATUSES, "funding": FUNDING}


def template_csv(kind: str) -> bytes:
    """The header row of a kind's file (UTF-8 with BOM so Excel opens it correctly)."""
    return csv_bytes(pd.DataFrame(columns=list(k.KINDS[kind].field_names)))


def readme_rows(kind: str, lang: str) -> pd.DataFrame:
    """One row per column: name, required, type, allowed values, example, what it is."""
    spec = k.KINDS[kind]
    rows = []
    for f in spec.fields:
        allowed = ", ".join(_FIXED_CODES[f.codes]) if f.codes in _FIXED_CODES else ""
        if f.codes == "partner_type":
            allowed = translate("data.allowed_partner_types", lang)
        elif f.codes == "metric":
            allowed = translate("data.allowed_metrics", lang)
        elif f.type == k.STRATEGIES:
            allowed = translate("data.allowed_strategies", lang)
        if f.minimum is not None and f.maximum is not None:
            allowed = f"{f.minimum:g} – {f.maximum:g}"
        elif f.minimum == 0:
            allowed = "≥ 0"
        rows.append(
            {
                translate("data.readme_column", lang): f.name,
                translate("data.readme_required", lang): translate(
                    "data.yes" if f.required and f.name not in _GENERATED.get(kind, ()) else "data.no", lang
                ),
                translate("data.readme_type", lang): translate(f"data.{_TYPE_KEYS[f.type]}", lang),
                translate("data.readme_allowed", lang): allowed,
                translate("data.readme_example", lang): f.example,
                translate("data.readme_meaning", lang): translate(f"data.field_{f.name}", lang)
                + (" " + translate("data.private_field", lang) if f.private else ""),
            }
        )
    return pd.DataFrame(rows)


_GENERATED = {"partners": ("partner_id",), "partnerships": ("partnership_id",)}


def template_xlsx(kind: str, lang: str = "en") -> bytes:
    """An .xlsx workbook: a data sheet with the header (bold, frozen) and a README sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    spec = k.KINDS[kind]
    book = Workbook()
    data = book.active
    data.title = kind
    data.append(list(spec.field_names))
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    for index, name in enumerate(spec.field_names, start=1):
        data.column_dimensions[data.cell(row=1, column=index).column_letter].width = max(12, len(name) + 4)
    readme = book.create_sheet("README")
    readme.append([translate(f"data.template_title_{kind}", lang)])
    readme["A1"].font = Font(bold=True, size=14)
    for line in translate("data.template_intro", lang).split("\n"):
        readme.append([line])
    readme.append([])
    table = readme_rows(kind, lang)
    readme.append(list(table.columns))
    for cell in readme[readme.max_row]:
        cell.font = Font(bold=True)
    for row in table.itertuples(index=False):
        _append_text_row(readme, list(row))
    for letter, width in zip("ABCDEF", (24, 10, 22, 34, 22, 80), strict=True):
        readme.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def frame_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """Rows as an .xlsx sheet. Every text cell is written as text, so a value such as
    '=HYPERLINK(…)' stays a string in Excel and never becomes a formula."""
    from openpyxl import Workbook

    from atlas.domain.privacy import without_private_columns

    public = without_private_columns(frame)
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append([str(c) for c in public.columns])
    for row in public.itertuples(index=False):
        _append_text_row(ws, list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append_text_row(ws, values: list) -> None:
    ws.append([None if _missing(v) else v for v in values])
    for cell, value in zip(ws[ws.max_row], values, strict=False):
        if isinstance(value, str):
            cell.value = value
            cell.data_type = "s"  # openpyxl would otherwise store '=…' as a formula


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False

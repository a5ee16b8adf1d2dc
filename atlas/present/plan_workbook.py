"""The plan's XLSX export: one sheet per table and a sheet of the settings used (openpyxl)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

import pandas as pd

from atlas.domain.privacy import without_private_columns


def plan_workbook(
    tables: Mapping[str, pd.DataFrame], settings_rows: Iterable[tuple[str, str]] = (), settings_title: str = "Settings"
) -> bytes:
    """An XLSX file with one sheet per table (private columns dropped; text that would start a
    formula stored as text) and, when given, a sheet of the settings used."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    sheets = dict(tables)
    settings_rows = list(settings_rows)
    for title, frame in sheets.items():
        sheet = book.create_sheet(_sheet_title(title))
        public = without_private_columns(frame)
        sheet.append([str(c) for c in public.columns])
        for values in public.itertuples(index=False):
            sheet.append([_cell(v) for v in values])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(public.columns, start=1):
            width = max([len(str(column)), *(len(str(v)) for v in public[column].head(200))], default=8)
            sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
        sheet.freeze_panes = "A2"
        _as_text(sheet)
    if settings_rows:
        sheet = book.create_sheet(_sheet_title(settings_title))
        for key, value in settings_rows:
            sheet.append([key, value])
        _as_text(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return " ".join(title.split())[:31].rstrip()


def _cell(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    if isinstance(value, tuple | list):
        return ", ".join(map(str, value))
    return value


def _as_text(sheet) -> None:
    # openpyxl turns a string starting with '=' into a formula: keep every string a string.
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"

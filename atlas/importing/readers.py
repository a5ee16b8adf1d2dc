"""Reading a district's file into rows of text: CSV (any common encoding and delimiter) and
Excel .xlsx.

Everything comes back as text, exactly as the user typed it; typing and checking happen in
atlas.importing.validate. Row numbers are the ones the user sees in a spreadsheet: the header
is row 1, so the first data row is row 2 (an Excel sheet keeps its own row numbers).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv", "")
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}  # keys data.delim_<name>
# Sheets that explain a workbook rather than hold data (our templates have one).
EXPLANATION_SHEETS = frozenset({"readme", "read me", "instructions", "instrucciones", "léame", "leame", "notes"})


class ReadError(Exception):
    """The file cannot be read at all. code is a message key (data.problem_<code>)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class RawTable:
    file_name: str
    header: list[str]
    rows: list[list[str]]  # each padded to the header's length
    row_numbers: list[int]  # spreadsheet row number of each row
    encoding: str = "utf-8"
    delimiter: str | None = None  # None for spreadsheets
    sheet: str | None = None
    header_row: int = 1
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (row number, cells) of rows longer than the header

    @property
    def n_rows(self) -> int:
        return len(self.rows)


def read_table(data: bytes, file_name: str, *, sheet: str | None = None) -> RawTable:
    """The file's header and rows. Raises ReadError for an empty or unreadable file."""
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xls":
        raise ReadError("old_excel")
    if suffix in SPREADSHEET_SUFFIXES or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, file_name, sheet)
    return _read_text(data, file_name)


def read_path(path: Path, *, sheet: str | None = None) -> RawTable:
    path = Path(path)
    return read_table(path.read_bytes(), path.name, sheet=sheet)


# ---- CSV -------------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding: a BOM decides; else UTF-8 if it decodes; else Windows-1252 (the
    superset of Latin-1 that Excel on Windows writes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter under which the header (the first line with two or more filled cells) is
    the file's first line, is widest, and has the most following lines of its width."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", (False, False, 0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        filled = [sum(1 for cell in row if cell.strip()) for row in rows]
        header = next((i for i, n in enumerate(filled) if n >= 2), None)
        if header is None:
            continue
        width = len(rows[header])
        consistent = sum(1 for row in rows[header + 1 :] if len(row) == width)
        score = (True, header == 0, width, consistent)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_text(data: bytes, file_name: str) -> RawTable:
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise ReadError("empty_file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("not_text")
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    records = list(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1))
    header_at = _header_position(records)
    if header_at is None:
        raise ReadError("empty_file")
    header_row, first = records[header_at]
    header = [cell.strip() for cell in first]
    rows: list[list[str]] = []
    numbers: list[int] = []
    ragged: list[tuple[int, int]] = []
    width = len(header)
    for record_number, record in records[header_at + 1 :]:
        cells = len(record)
        if cells > width:
            if "".join(record[width:]).strip():
                ragged.append((record_number, cells))
            record = record[:width]
        if not "".join(record).strip():
            continue  # a blank row: skipped, its number kept free
        rows.append(record if cells >= width else record + [""] * (width - cells))
        numbers.append(record_number)
    return RawTable(file_name, header, rows, numbers, encoding, delimiter, None, header_row, ragged)


def _header_position(records: list[tuple[int, list[str]]]) -> int | None:
    """The header is the first row with two or more filled cells (among the first ten non-blank
    rows), so a title line above it ('Schools, exported 2025-10-01') is passed over."""
    candidates = list(islice((i for i, (_, cells) in enumerate(records) if "".join(cells).strip()), 10))
    if not candidates:
        return None
    return next((i for i in candidates if sum(1 for c in records[i][1] if c.strip()) >= 2), candidates[0])


# ---- Excel -----------------------------------------------------------------------------------


def _read_xlsx(data: bytes, file_name: str, sheet: str | None) -> RawTable:
    import zipfile

    from openpyxl import load_workbook

    try:
        # data_only: a formula cell gives the value Excel last calculated, never the formula.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ReadError("bad_excel", error=str(error)[:200]) from error
    try:
        worksheet = _pick_sheet(book, sheet)
        records = [
            (row_number, [_cell_text(value) for value in values])
            for row_number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
        ]
        header_at = _header_position(records)
        if header_at is None:
            raise ReadError("empty_file")
        header_row, cells = records[header_at]
        while cells and not cells[-1]:
            cells = cells[:-1]
        header = [cell.strip() for cell in cells]
        rows: list[list[str]] = []
        numbers: list[int] = []
        for row_number, cells in records[header_at + 1 :]:
            if not any(cells):
                continue
            cells = cells[: len(header)]
            rows.append(cells + [""] * (len(header) - len(cells)))
            numbers.append(row_number)
        title = worksheet.title
    finally:
        book.close()
    return RawTable(file_name, header, rows, numbers, "xlsx", None, title, header_row)


def sheet_names(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _pick_sheet(book, wanted: str | None):
    if wanted:
        if wanted not in book.sheetnames:
            raise ReadError("no_such_sheet", sheet=wanted, sheets=", ".join(book.sheetnames))
        return book[wanted]
    for name in book.sheetnames:
        if name.strip().lower() not in EXPLANATION_SHEETS:
            return book[name]
    return book[book.sheetnames[0]]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)

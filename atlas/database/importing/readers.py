"""Reading a district's file into rows of text: CSV (any common encoding and delimiter) and
Excel .xlsx.

Everything comes back as text, exactly as the user typed it; typing and checking happen in
atlas.database.importing.validate. Row numbers are the ones the user sees in a spreadsheet: the header
is row 1, so the first data row is row 2 (an Excel sheet keeps its own row numbers).

Reading is bounded (Limits): a file larger than the upload limit, an .xlsx whose parts unzip to
more than MAX_UNZIPPED_MB (checked from the zip's directory, before anything is unzipped) and a
file with more than MAX_ROWS data rows are refused. Rows are kept as columns of Arrow strings, a
chunk at a time: a million rows of a metrics file take tens of MB, not a gigabyte of Python lists.
"""

from __future__ import annotations

import csv
import io
import zipfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv", "")
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}  # keys data.delim_<name>
# Sheets that explain a workbook rather than hold data (our templates have one).
EXPLANATION_SHEETS = frozenset({"readme", "read me", "instructions", "instrucciones", "léame", "leame", "notes"})

# Limits. A long metrics file (id, year, metric, value, n) is 45-80 bytes a
# row as CSV and about 190 bytes a row as sheet XML, so a million rows fit every limit.
MAX_FILE_MB = 100  # the upload limit too (.streamlit/config.toml server.maxUploadSize): 1M CSV rows ≈ 45-80 MB
MAX_ROWS = 1_048_575  # Excel's own sheet limit (1,048,576 rows less the header); 1M rows commit in < 1 GB
MAX_UNZIPPED_MB = 400  # all parts of an .xlsx unzipped: 1M rows of a 5-column sheet ≈ 190 MB of XML
MAX_RATIO = 100  # real sheets compress 5-15 times (identical cells: 11); a zip bomb's parts, hundreds
RATIO_CHECKED_FROM_MB = 1  # a small part may compress well without harm
ROWS_PER_CHUNK = 50_000  # rows turned into Arrow columns at a time (a chunk of Python lists: ~15 MB)


class ReadError(Exception):
    """The file cannot be read at all. code is a message key (data.problem_<code>); row: the
    spreadsheet row the problem is on, if one."""

    def __init__(self, code: str, *, row: int | None = None, **params):
        super().__init__(code)
        self.code = code
        self.row = row
        self.params = params


def _limit(name: str):
    return field(default_factory=lambda: globals()[name])  # read when used: tests lower the constants


@dataclass(frozen=True)
class Limits:
    """What a file may be. The command line raises them with --max-mb and --max-rows."""

    max_file_mb: float = _limit("MAX_FILE_MB")
    max_rows: int = _limit("MAX_ROWS")
    max_unzipped_mb: float = _limit("MAX_UNZIPPED_MB")
    max_ratio: float = _limit("MAX_RATIO")

    def raised(self, max_mb: float | None = None, max_rows: int | None = None) -> Limits:
        """These limits with the file size and row count given (None: unchanged); a larger file
        size lets an .xlsx unzip to proportionally more."""
        if max_mb is None and max_rows is None:
            return self
        scale = max(1.0, (max_mb or self.max_file_mb) / self.max_file_mb)
        return Limits(
            max_mb or self.max_file_mb, max_rows or self.max_rows, self.max_unzipped_mb * scale, self.max_ratio
        )


@dataclass
class RawTable:
    file_name: str
    header: list[str]
    cells: pd.DataFrame | list[list[str]]  # a text column per header position (lists are converted)
    row_numbers: list[int] | np.ndarray  # spreadsheet row number of each row
    encoding: str = "utf-8"
    delimiter: str | None = None  # None for spreadsheets
    sheet: str | None = None
    header_row: int = 1
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (row number, cells) of rows longer than the header

    def __post_init__(self):
        if not isinstance(self.cells, pd.DataFrame):
            self.cells = _columns([list(self.cells)], len(self.header))

    @property
    def n_rows(self) -> int:
        return len(self.cells)

    @property
    def rows(self) -> list[list[str]]:
        """Each row's cells as a list, padded to the header's length (for small tables)."""
        return self.first_rows(self.n_rows)

    def first_rows(self, count: int) -> list[list[str]]:
        return self.cells.head(count).to_numpy(dtype=object).tolist()


def _columns(chunks: list[list[list[str]]], width: int) -> pd.DataFrame:
    """Rows (in chunks) as a frame of Arrow string columns 0, 1, … width-1."""
    parts = [pd.DataFrame(chunk, columns=range(width), dtype="string") for chunk in chunks if chunk]
    if not parts:
        return pd.DataFrame({i: pd.Series(dtype="string") for i in range(width)})
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def read_table(data: bytes, file_name: str, *, sheet: str | None = None, limits: Limits | None = None) -> RawTable:
    """The file's header and rows. Raises ReadError for an empty, unreadable or too large file."""
    limits = limits or Limits()
    check_file_size(len(data), limits)
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xls":
        raise ReadError("old_excel")
    if suffix in SPREADSHEET_SUFFIXES or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, file_name, sheet, limits)
    return _read_text(data, file_name, limits)


def read_path(path: Path, *, sheet: str | None = None, limits: Limits | None = None) -> RawTable:
    path = Path(path)
    check_file_size(path.stat().st_size, limits or Limits())
    return read_table(path.read_bytes(), path.name, sheet=sheet, limits=limits)


def check_file_size(n_bytes: int, limits: Limits) -> None:
    if n_bytes > limits.max_file_mb * 2**20:
        raise ReadError("file_too_large", size=_megabytes(n_bytes), limit=_megabytes(limits.max_file_mb * 2**20))


def _megabytes(n_bytes: float) -> str:
    megabytes = n_bytes / 2**20
    return f"{megabytes:,.2f}".rstrip("0").rstrip(".") if megabytes >= 1 else f"{megabytes:.2g}"


class _Rows:
    """Data rows gathered a chunk at a time into Arrow columns, refused past limits.max_rows."""

    def __init__(self, width: int, limits: Limits):
        self.width = width
        self.limits = limits
        self.chunks: list[list[list[str]]] = [[]]
        self.row_numbers = array("q")  # 8 bytes a row, where a list of ints takes 36

    def add(self, row_number: int, cells: list[str]) -> None:
        if len(self.row_numbers) >= self.limits.max_rows:
            raise ReadError("too_many_rows", row=row_number, limit=f"{self.limits.max_rows:,}")
        chunk = self.chunks[-1]
        if len(chunk) >= ROWS_PER_CHUNK:
            self.chunks[-1] = _columns([chunk], self.width)  # type: ignore[list-item]
            chunk = []
            self.chunks.append(chunk)
        chunk.append(cells)
        self.row_numbers.append(row_number)

    def frame(self) -> pd.DataFrame:
        frames = [c if isinstance(c, pd.DataFrame) else _columns([c], self.width) for c in self.chunks]
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)

    @property
    def numbers(self) -> np.ndarray:
        return np.frombuffer(self.row_numbers, dtype=np.int64) if self.row_numbers else np.zeros(0, dtype=np.int64)


def _split_header(records: Iterable[tuple[int, list[str]]]):
    """(header position's record, the records after it) — the header is found among the first
    ten non-blank records; the rest are read as they come."""
    records = iter(records)
    head: list[tuple[int, list[str]]] = []
    non_blank = 0
    for record in records:
        head.append(record)
        non_blank += bool("".join(record[1]).strip())
        if non_blank >= 10:
            break
    header_at = _header_position(head)
    if header_at is None:
        raise ReadError("empty_file")

    def rest() -> Iterator[tuple[int, list[str]]]:
        yield from head[header_at + 1 :]
        yield from records

    return head[header_at], rest()


# ---- CSV -------------------------------------------------------------------------------------


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


def _read_text(data: bytes, file_name: str, limits: Limits) -> RawTable:
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise ReadError("empty_file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("not_text")
    encoding = text_encoding(data)
    # Decoded as it is read (no copy of the whole text); the delimiter from the first 64 KB.
    delimiter = sniff_delimiter(data[:65536].decode(encoding, errors="ignore"))
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")
    records = enumerate(csv.reader(stream, delimiter=delimiter), start=1)
    (header_row, first), rest = _split_header(records)
    header = [cell.strip() for cell in first]
    width = len(header)
    rows = _Rows(width, limits)
    ragged: list[tuple[int, int]] = []
    for record_number, record in rest:
        cells = len(record)
        if cells > width:
            if "".join(record[width:]).strip():
                ragged.append((record_number, cells))
            record = record[:width]
        if not "".join(record).strip():
            continue  # a blank row: skipped, its number kept free
        rows.add(record_number, record if cells >= width else record + [""] * (width - cells))
    return RawTable(file_name, header, rows.frame(), rows.numbers, encoding, delimiter, None, header_row, ragged)


def text_encoding(data: bytes) -> str:
    """The text's encoding: a BOM decides; else UTF-8 if it decodes; else Windows-1252 (the
    superset of Latin-1 that Excel on Windows writes); else Latin-1. The text is not kept."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _header_position(records: list[tuple[int, list[str]]]) -> int | None:
    """The header is the first row with two or more filled cells (among the first ten non-blank
    rows), so a title line above it ('Schools, exported 2025-10-01') is passed over."""
    candidates = list(islice((i for i, (_, cells) in enumerate(records) if "".join(cells).strip()), 10))
    if not candidates:
        return None
    return next((i for i in candidates if sum(1 for c in records[i][1] if c.strip()) >= 2), candidates[0])


# ---- Excel -----------------------------------------------------------------------------------


def _read_xlsx(data: bytes, file_name: str, sheet: str | None, limits: Limits) -> RawTable:
    from openpyxl import load_workbook

    check_unzipped_size(data, limits)
    try:
        # data_only: a formula cell gives the value Excel last calculated, never the formula.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ReadError("bad_excel", error=str(error)[:200]) from error
    try:
        worksheet = _pick_sheet(book, sheet)
        records = (
            (row_number, [_cell_text(value) for value in values])
            for row_number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
        )
        (header_row, cells), rest = _split_header(records)
        while cells and not cells[-1]:
            cells = cells[:-1]
        header = [cell.strip() for cell in cells]
        rows = _Rows(len(header), limits)
        for row_number, cells in rest:
            if not any(cells):
                continue
            cells = cells[: len(header)]
            rows.add(row_number, cells + [""] * (len(header) - len(cells)))
        title = worksheet.title
    finally:
        book.close()
    return RawTable(file_name, header, rows.frame(), rows.numbers, "xlsx", None, title, header_row)


def check_unzipped_size(data: bytes, limits: Limits) -> None:
    """Refuse a workbook whose parts unzip to more than the limit, or one part of which is
    compressed like a zip bomb, from the sizes in the zip's directory: nothing is unzipped. (A
    part cannot unzip to more than its stated size: zipfile stops there and the CRC check fails.)"""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile as error:
        raise ReadError("bad_excel", error=str(error)[:200]) from error
    total = sum(part.file_size for part in parts)
    if total > limits.max_unzipped_mb * 2**20:
        raise ReadError("unzipped_too_large", size=_megabytes(total), limit=_megabytes(limits.max_unzipped_mb * 2**20))
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_CHECKED_FROM_MB * 2**20 and ratio > limits.max_ratio:
            raise ReadError(
                "zip_bomb",
                part=part.filename,
                size=_megabytes(part.file_size),
                compressed=_megabytes(part.compress_size),
                ratio=f"{ratio:,.0f}",
                limit=f"{limits.max_ratio:,.0f}",
            )


def sheet_names(data: bytes, limits: Limits | None = None) -> list[str]:
    from openpyxl import load_workbook

    check_file_size(len(data), limits or Limits())
    check_unzipped_size(data, limits or Limits())
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

"""Checking a file before anything is written: every cell typed, every rule applied, every
problem reported with its spreadsheet row and column — all of them (up to a cap), not just
the first.

Input: a RawTable (atlas.importing.readers), a Mapping, and Lookups read from the database.
Output: a Checked value holding the typed rows (merged with the database's current values for
columns the file does not provide), the problems that refuse the import, and notes that do not.
Work is done column by column with pandas, so 100,000 rows check in about a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from atlas.importing import kinds as k
from atlas.importing.mapping import Mapping, normalise
from atlas.importing.readers import DELIMITER_NAMES, RawTable

MAX_PROBLEMS = 200  # problems kept for display (the first rows of the file); all are counted
_COLLECTED = MAX_PROBLEMS * 10  # problems gathered before sorting by row and keeping MAX_PROBLEMS
NULL_TOKENS = frozenset({"", "na", "n/a", "#n/a", "null", "nan", "#value!", "#ref!", "#div/0!"})
FORMULA_PREFIXES = ("=", "+", "-", "@")
MAX_ALLOWED_SHOWN = 14


@dataclass(frozen=True)
class Problem:
    """One thing wrong (severity 'error': refuses the import) or worth knowing ('note').
    row: the spreadsheet row (None: the whole file); column: the user's column name."""

    code: str
    row: int | None = None
    column: str | None = None
    params: dict = field(default_factory=dict)
    severity: str = "error"


@dataclass
class Lookups:
    """What the checks need from the database."""

    codes: dict[str, dict[str, str]]  # list name → {normalised spelling: code}
    allowed: dict[str, tuple[str, ...]]  # list name → codes, for messages
    refs: dict[str, dict[str, str]]  # 'school'/'partner'/'district' → {id or normalised name: id}
    ref_ids: dict[str, frozenset[str]]  # 'school'/'partner'/'district' → ids
    strategies: dict[str, str]  # normalised spelling → strategy_id (active framework)
    framework_id: str
    framework_name: str
    n_strategies: int
    metric_ranges: dict[str, tuple[float, float, str]]  # metric_id → (min, max, unit)
    suppression_min_n: int
    existing: pd.DataFrame  # the kind's current table
    existing_strategies: pd.DataFrame | None  # partnership_id, strategy_id, framework_id
    references: pd.DataFrame  # id, n_partnerships, n_metrics, n_feeding (who uses each school/partner)
    single_district_id: str | None
    # 'school'/'partner' → {id normalised (no case, accents or punctuation): id}: a reference is
    # matched to an id exactly; one that matches only this way is an error naming both spellings.
    id_spellings: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Checked:
    kind: k.Kind
    mode: str
    file_name: str
    frame: pd.DataFrame  # typed rows in table columns (merged with current values), plus _row
    provided: tuple[str, ...]  # fields the file (or a constant) provides
    strategies: pd.DataFrame | None  # partnership_id, strategy_id when the file tags strategies
    problems: list[Problem]  # errors, capped at MAX_PROBLEMS
    n_errors: int  # all errors, counted past the cap
    notes: list[Problem]
    n_read: int  # data rows in the file
    n_skipped: int = 0

    @property
    def ok(self) -> bool:
        return self.n_errors == 0


class _Collector:
    def __init__(self):
        self.problems: list[Problem] = []
        self.n_errors = 0
        self.notes: list[Problem] = []

    def error(self, code: str, row=None, column=None, **params) -> None:
        self.n_errors += 1
        if len(self.problems) < _COLLECTED:
            self.problems.append(Problem(code, _int_or_none(row), column, params))

    def errors(self, code: str, rows: pd.Series, column: str, values: pd.Series | None = None, **params) -> None:
        """One error per row in rows (a Series of row numbers); values gives {value} per row."""
        count = len(rows)
        if not count:
            return
        room = max(0, _COLLECTED - len(self.problems))
        for position in range(min(count, room)):
            extra = {"value": _shown(values.iloc[position])} if values is not None else {}
            self.problems.append(Problem(code, _int_or_none(rows.iloc[position]), column, {**params, **extra}))
        self.n_errors += count

    def note(self, code: str, row=None, column=None, **params) -> None:
        self.notes.append(Problem(code, _int_or_none(row), column, params, "note"))


def _int_or_none(value):
    return None if value is None or pd.isna(value) else int(value)


def _shown(value) -> str:
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


# ---- the check --------------------------------------------------------------------------------


def check(table: RawTable, mapping: Mapping, lookups: Lookups, mode: str = "upsert") -> Checked:
    kind = k.KINDS[mapping.kind]
    out = _Collector()
    if mode not in ("upsert", "replace"):
        raise ValueError(mode)
    if table.delimiter:
        out.note("read_as", encoding=table.encoding, delimiter=DELIMITER_NAMES[table.delimiter])
    if not table.n_rows:
        out.error("no_rows", row=None)
        return _empty(kind, mode, table, out)

    raw = table.cells.set_axis(_unique_header(table.header), axis=1)  # a view: no copy of a large file
    raw.columns = table.header if len(set(table.header)) == len(table.header) else raw.columns
    raw["_row"] = np.asarray(table.row_numbers, dtype=np.int64)
    _structure_problems(table, out)

    # Mapped columns that are not in the file.
    for field_name, column in mapping.columns.items():
        if column not in raw.columns:
            out.error("mapped_column_absent", column=column, field=field_name)
    columns = {f: c for f, c in mapping.columns.items() if c in raw.columns}

    # Row filters from the mapping.
    keep = pd.Series(True, index=raw.index)
    for column, wanted in mapping.filters.items():
        if column not in raw.columns:
            out.error("mapped_column_absent", column=column, field="filters")
            continue
        keep &= raw[column].fillna("").str.strip().isin(wanted)
    n_filtered = int((~keep).sum())
    if n_filtered:
        out.note("skipped_filter", count=n_filtered)
    raw = raw[keep].reset_index(drop=True)
    n_skipped = n_filtered

    provided = [f.name for f in kind.fields if f.name in columns or f.name in mapping.constants]
    generated = _generated_key(kind, provided)
    if generated:
        out.note("generated_ids", field=generated[0], source=generated[1])
        provided.append(kind.key[0])

    # Cells → typed values, one field at a time; errors are reported after skipping rows.
    typed = pd.DataFrame(index=raw.index)
    typed["_row"] = raw["_row"]
    blank_in_file: dict[str, pd.Series] = {}
    parsed: list[tuple[k.Field, str, pd.Series, pd.Series | None]] = []  # field, column, text, bad
    strategy_text = None
    formula_cells = []
    other_spellings: dict[str, pd.Series] = {}  # reference field → the id a bad cell names in other case
    for f in kind.fields:
        if f.name not in columns and f.name not in mapping.constants:
            continue
        their_column = columns.get(f.name, f.name)
        if f.name in columns:
            text = raw[columns[f.name]].fillna("").astype(str)
        else:
            text = pd.Series([str(mapping.constants[f.name])] * len(raw), index=raw.index, dtype=object).astype(str)
        text = _clean(text, mapping.null_values)
        text = _translate_values(text, mapping.values.get(f.name))
        blank = text == ""
        blank_in_file[f.name] = blank
        if f.type == k.TEXT:
            starts = text.str[:1].isin(FORMULA_PREFIXES) & ~blank
            if starts.any():
                first = starts.idxmax()
                formula_cells.append((int(starts.sum()), int(raw.at[first, "_row"]), their_column))
        if f.type == k.STRATEGIES:
            strategy_text = (their_column, text)
            continue
        values, bad = _parse(f, text, lookups, raw, columns, kind, mapping)
        if f.name in mapping.scale and values is not None:
            values = values * mapping.scale[f.name]
        typed[f.name] = values
        has_bad = bad is not None and bool(bad.any())
        if f.type == k.REF and has_bad:
            spelled = _other_spellings(f, text, lookups, raw, columns, kind).where(bad)
            if spelled.notna().any():
                other_spellings[f.name] = spelled
        parsed.append((f, their_column, text if has_bad else None, bad if has_bad else None))  # text: for messages
    if formula_cells:
        out.note(
            "formula_cells",
            count=sum(c for c, _, _ in formula_cells),
            row=formula_cells[0][1],
            column=formula_cells[0][2],
        )

    # Rows the mapping says to skip (blank cells, unknown ids) and exact repeats it merges.
    skip = pd.Series(False, index=typed.index)
    for field_name in mapping.skip_when_blank:
        if field_name in blank_in_file:
            skipped = blank_in_file[field_name] & ~skip
            if skipped.any():
                out.note("skipped_blank", count=int(skipped.sum()), field=field_name)
            skip |= blank_in_file[field_name]
    if mapping.skip_unknown_ids:
        unknown = _unknown_id_rows(kind, typed, raw, columns, lookups) & ~skip
        unknown &= ~_case_variants(kind, typed, lookups, other_spellings)  # an error, not an unknown id
        if unknown.any():
            out.note("skipped_unknown", count=int(unknown.sum()), field=_unknown_id_field(kind))
        skip |= unknown
    if mapping.identical_duplicates == "merge":
        used = [c for c in columns.values() if c in raw.columns]
        if used:
            repeated = raw.duplicated(subset=used, keep="first") & ~skip
            if repeated.any():
                out.note("merged_duplicates", count=int(repeated.sum()))
            skip |= repeated
    n_skipped += int(skip.sum())
    kept = ~skip
    for f, their_column, text, bad in parsed:
        if bad is not None and (bad & kept).any():
            rows = bad & kept
            if f.name in other_spellings:
                spelled = other_spellings[f.name].where(kept)
                _errors_each("reference_case", raw, spelled, text, their_column, out, field=f.name)
                rows &= spelled.isna()
            out.errors(
                _bad_code(f), raw.loc[rows, "_row"], their_column, text[rows], field=f.name, **_bad_params(f, lookups)
            )
    typed = typed[kept].reset_index(drop=True)
    blank_in_file = {name: series[kept].reset_index(drop=True) for name, series in blank_in_file.items()}
    strategies = None
    if strategy_text is not None:
        their_column, text = strategy_text
        strategies = _parse_strategies(text[kept].reset_index(drop=True), typed["_row"], their_column, lookups, out)

    if generated:
        typed[kind.key[0]] = _generated_values(kind, typed)
        blank_in_file[kind.key[0]] = typed[kind.key[0]].isna()

    if typed.empty:
        out.error("nothing_left", row=None, count=n_skipped)
        return _empty(kind, mode, table, out, n_skipped)
    _check_id_case(kind, typed, columns, lookups, out)

    merged, is_new = _merge_with_existing(kind, typed, provided, lookups)
    _check_required(kind, merged, provided, is_new, blank_in_file, columns, mapping, lookups, out)
    _check_duplicates(kind, merged, columns, out)
    _check_rows(kind, merged, columns, lookups, out)
    if mode == "replace":
        _check_removals(kind, merged, lookups, out)
    _notes_on_values(kind, merged, typed, columns, lookups, out)

    strategy_rows = None
    if strategies is not None:
        ids = merged[kind.key[0]].reset_index(drop=True)
        strategy_rows = (
            pd.DataFrame({"partnership_id": ids, "strategy_id": strategies})
            .explode("strategy_id")
            .dropna()
            .drop_duplicates()
            .reset_index(drop=True)
        )
    problems = _first_problems(out.problems)
    return Checked(
        kind=kind,
        mode=mode,
        file_name=table.file_name,
        frame=merged,
        provided=tuple(dict.fromkeys(provided)),
        strategies=strategy_rows,
        problems=problems,
        n_errors=out.n_errors,
        notes=out.notes,
        n_read=table.n_rows,
        n_skipped=n_skipped,
    )


def problem_from_read_error(error) -> Problem:
    return Problem(error.code, getattr(error, "row", None), None, error.params)


def _first_problems(problems: list[Problem]) -> list[Problem]:
    """Whole-file problems first, then by row (stable: a row's problems in column order)."""
    return sorted(problems, key=lambda p: (p.row is not None, p.row or 0))[:MAX_PROBLEMS]


def _empty(kind, mode, table, out, n_skipped=0) -> Checked:
    return Checked(
        kind,
        mode,
        table.file_name,
        pd.DataFrame(columns=[*kind.table_columns, "_row"]),
        (),
        None,
        _first_problems(out.problems),
        out.n_errors,
        out.notes,
        table.n_rows,
        n_skipped,
    )


def _unique_header(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for name in header:
        count = seen.get(name, 0)
        seen[name] = count + 1
        names.append(name if count == 0 else f"{name} ({count + 1})")
    return names


def _structure_problems(table: RawTable, out: _Collector) -> None:
    """Rows that do not fit the header: a row longer than the header (an unquoted separator
    in a value) and rows that did not split at all (separated by another character)."""
    for row_number, cells in table.ragged[:_COLLECTED]:
        out.error("too_many_cells", row=row_number, cells=cells, expected=len(table.header))
    out.n_errors += max(0, len(table.ragged) - _COLLECTED)
    if table.delimiter is not None and len(table.header) >= 2:
        cells = table.cells
        # A row that did not split: only its first cell is filled.
        alone = (cells.iloc[:, 0] != "") & (cells.iloc[:, 1:] == "").all(axis=1)
        numbers = np.asarray(table.row_numbers)
        for position in np.flatnonzero(alone.to_numpy(dtype=bool)):
            row_number, first = int(numbers[position]), cells.iat[position, 0]
            other = next((d for d in DELIMITER_NAMES if d != table.delimiter and d in first), None)
            if other is not None:
                out.error(
                    "wrong_delimiter",
                    row=row_number,
                    found=DELIMITER_NAMES[other],
                    expected=DELIMITER_NAMES[table.delimiter],
                )
    for index, name in enumerate(table.header):
        if not name:
            out.note("blank_header", column=str(index + 1))
        elif table.header.index(name) != index:
            out.note("duplicate_header", column=name)


# ---- cleaning and parsing ---------------------------------------------------------------------


def _clean(text: pd.Series, null_values: tuple[str, ...]) -> pd.Series:
    text = text.str.replace("\u00a0", " ", regex=False).str.strip()
    nulls = NULL_TOKENS | {v.strip().lower() for v in null_values}
    return text.mask(text.str.lower().isin(nulls), "")


def _translate_values(text: pd.Series, table: dict[str, str] | None) -> pd.Series:
    if not table:
        return text
    exact = text.map(table)
    by_norm = {normalise(a): b for a, b in table.items()}
    loose = _map_unique(text, lambda v: by_norm.get(normalise(v)))
    return exact.fillna(loose).fillna(text).astype(str)


_INT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.0*)?$")
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")


def _parse(f: k.Field, text: pd.Series, lookups: Lookups, raw, columns, kind, mapping):
    """Typed values and a mask of cells that could not be read (None: nothing can be bad)."""
    blank = text == ""
    if f.type == k.TEXT:
        return text.where(~blank, None).astype(object), None
    if f.type == k.INT:
        ok = text.str.match(_INT) | blank
        values = pd.to_numeric(text.where(ok & ~blank).str.replace(",", "", regex=False), errors="coerce")
        return values.round().astype("Int64"), ~ok
    if f.type in (k.NUMBER, k.PERCENT, k.MONEY):
        cleaned = text.str.replace(r"^\$|^\(\$?|\)$", "", regex=True) if f.type == k.MONEY else text
        cleaned = cleaned.str.replace(r"\s*%$", "", regex=True)
        cleaned = cleaned.str.replace(r"^([+-]?)\$", r"\1", regex=True)
        ok = (cleaned.str.match(_NUMBER) & cleaned.str.contains(r"\d", regex=True)) | blank
        values = pd.to_numeric(cleaned.where(ok & ~blank).str.replace(",", "", regex=False), errors="coerce")
        return values.astype("Float64"), ~ok
    if f.type == k.DATE:
        values = _map_unique(text, _parse_date)
        bad = values.isna() & ~blank
        return values.astype(object).where(~values.isna(), None), bad
    if f.type == k.BOOL:
        values = _map_unique(text, _parse_bool)
        bad = values.isna() & ~blank
        return values.astype("boolean"), bad
    if f.type == k.YEAR:
        values = _map_unique(text, _parse_year)
        return values.astype(object).where(~values.isna(), None), values.isna() & ~blank
    if f.type == k.CODE:
        table = lookups.codes.get(f.codes, {})
        values = _map_unique(text, lambda v: table.get(v) or table.get(normalise(v)))
        return values.astype(object).where(~values.isna(), None), values.isna() & ~blank
    if f.type == k.REF:
        table = lookups.refs.get(f.ref, {})
        if kind.name == "schools" and f.name == "feeder_high_school_id" and "school_id" in columns:
            table = {**table, **_ids_in_file(raw, columns)}
        values = _map_unique(text, lambda v: table.get(v) or table.get(normalise(v)))  # an id, or a name
        return values.astype(object).where(~values.isna(), None), values.isna() & ~blank
    raise ValueError(f.type)


def _ids_in_file(raw: pd.DataFrame, columns: dict[str, str]) -> dict[str, str]:
    """A schools file's own ids (a school's feeder may be a high school of the same file)."""
    return {str(v).strip(): str(v).strip() for v in pd.unique(raw[columns["school_id"]].dropna())}


def _other_spellings(f: k.Field, text: pd.Series, lookups: Lookups, raw, columns, kind) -> pd.Series:
    """For each cell of a reference, the id it names once case, accents and punctuation are set
    aside ('Rb-E01' → 'RB-E01'), else None."""
    spellings = dict(lookups.id_spellings.get(f.ref, {}))
    if kind.name == "schools" and f.name == "feeder_high_school_id" and "school_id" in columns:
        spellings.update({normalise(v): v for v in _ids_in_file(raw, columns)})
    return _map_unique(text, lambda v: spellings.get(normalise(v)) if v else None)


def _map_unique(text: pd.Series, parse) -> pd.Series:
    """parse() applied once per distinct cell text (ids, codes and years repeat a lot). Through
    factorize, not Series.map: no Python string is made per row (a million of them left hundreds
    of MB of freed but unreturned memory behind)."""
    codes, distinct = pd.factorize(text)
    parsed = np.empty(len(distinct) + 1, dtype=object)  # the last one (None) for code -1, a missing cell
    parsed[:-1] = [parse(value) for value in distinct]
    return pd.Series(parsed[codes], index=text.index, dtype=object)


def _parse_bool(text: str):
    norm = normalise(text)
    return True if norm in k.TRUE_WORDS else (False if norm in k.FALSE_WORDS else None)


def _bad_code(f: k.Field) -> str:
    return {
        k.INT: "not_integer",
        k.NUMBER: "not_number",
        k.PERCENT: "not_number",
        k.MONEY: "not_number",
        k.DATE: "not_date",
        k.BOOL: "not_bool",
        k.YEAR: "not_year",
        k.CODE: "unknown_code",
    }.get(f.type) or f"unknown_{f.ref}"


def _bad_params(f: k.Field, lookups: Lookups) -> dict:
    if f.type == k.CODE:
        allowed = lookups.allowed.get(f.codes, ())
        shown = ", ".join(allowed[:MAX_ALLOWED_SHOWN]) + (", …" if len(allowed) > MAX_ALLOWED_SHOWN else "")
        return {"allowed": shown}
    return {}


_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d", "%d-%b-%Y", "%d-%b-%y", "%b %d, %Y", "%B %d, %Y")


def _parse_date(text: str):
    if not text:
        return None
    from datetime import datetime

    candidate = text.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$", candidate):
        candidate = candidate[:10]
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(candidate, pattern).date()
        except ValueError:
            continue
    return None


_YEAR = re.compile(r"^(?:sy\s*)?(\d{4})\s*[-/–—]\s*(\d{2}|\d{4})$", re.IGNORECASE)


def _parse_year(text: str):
    if not text:
        return None
    candidate = text.strip()
    match = _YEAR.match(candidate)
    if match:
        first, second = int(match.group(1)), match.group(2)
    elif re.fullmatch(r"\d{8}", candidate):
        first, second = int(candidate[:4]), candidate[4:]
    else:
        return None
    second_full = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
    if second_full % 100 != (first + 1) % 100 or (len(second) == 4 and second_full != first + 1):
        return None
    return f"{first}-{(first + 1) % 100:02d}"


def _parse_strategies(text: pd.Series, rows: pd.Series, column: str, lookups: Lookups, out: _Collector) -> pd.Series:
    """Each cell → a list of strategy ids of the active framework (an empty list: untagged)."""
    results = []
    for position, cell in enumerate(text):
        found: list[str] = []
        for token in re.split(r"[;,|/\n]+", cell):
            token = token.strip()
            if not token:
                continue
            strategy_id = _strategy_id(token, lookups)
            if strategy_id is None:
                out.error(
                    "unknown_strategy",
                    row=rows.iloc[position],
                    column=column,
                    value=_shown(token),
                    framework=lookups.framework_name,
                    count=lookups.n_strategies,
                )
            elif strategy_id not in found:
                found.append(strategy_id)
        results.append(found)
    return pd.Series(results, index=text.index, dtype=object)


def _strategy_id(token: str, lookups: Lookups) -> str | None:
    if token in lookups.strategies:
        return lookups.strategies[token]
    norm = normalise(token)
    match = re.fullmatch(r"(?:strategy|estrategia|s|standard|type|pillar)?\s*(\d+)", norm)
    if match:
        return lookups.strategies.get(match.group(1))
    return lookups.strategies.get(norm)


# ---- keys, merging, rules ------------------------------------------------------------------------


def _generated_key(kind: k.Kind, provided: list[str]) -> tuple[str, str] | None:
    """(key field, what it is made from) when the key can be made from other fields."""
    if kind.name == "partners" and "partner_id" not in provided and "name" in provided:
        return ("partner_id", "name")
    if (
        kind.name == "partnerships"
        and "partnership_id" not in provided
        and {"partner_id", "school_id"} <= set(provided)
    ):
        return ("partnership_id", "partner_id + school_id")
    return None


def slug(text: str) -> str:
    return "-".join(normalise(text).split())[:60]


def _generated_values(kind: k.Kind, typed: pd.DataFrame) -> pd.Series:
    if kind.name == "partners":
        return typed["name"].map(lambda v: slug(v) if isinstance(v, str) and v else None)
    return typed.apply(
        lambda r: f"{r['partner_id']}@{r['school_id']}" if r["partner_id"] and r["school_id"] else None, axis=1
    )


def _unknown_id_field(kind: k.Kind) -> str:
    return kind.key[0] if kind.name in ("schools", "partners") else "school_id"


def _unknown_id_rows(kind, typed, raw, columns, lookups) -> pd.Series:
    """Rows about a school (or partner) the database does not have, for skip_unknown_ids."""
    name = _unknown_id_field(kind)
    if name not in typed:
        return pd.Series(False, index=typed.index)
    if kind.name in ("schools", "partners"):
        ids = lookups.ref_ids["school" if kind.name == "schools" else "partner"]
        return ~typed[name].isin(ids)
    return (
        typed[name].isna() & (raw[columns[name]].fillna("").str.strip() != "")
        if name in columns
        else (typed[name].isna())
    )


def _merge_with_existing(kind: k.Kind, typed: pd.DataFrame, provided: list[str], lookups: Lookups):
    """Rows in table columns: the file's values where it provides them, else the database's
    current values (existing rows) or the field defaults (new rows). Returns (frame, is_new)."""
    existing = lookups.existing
    frame = typed.copy()
    key = list(kind.key)
    if not set(key) <= set(frame.columns):
        for name in key:
            if name not in frame:
                frame[name] = None
    key_frame = frame[key].astype(object)
    if len(existing):
        index = pd.MultiIndex.from_frame(existing[key].astype({n: object for n in key if not _is_text(existing[n])}))
        positions = index.get_indexer(pd.MultiIndex.from_frame(key_frame))
    else:
        positions = np.full(len(frame), -1)
    is_new = pd.Series(positions < 0, index=frame.index)
    for f in kind.fields:
        if f.type == k.STRATEGIES or f.name in provided:
            continue
        if len(existing) and f.name in existing:
            current = existing[f.name].to_numpy(dtype=object)
            values = pd.Series([current[p] if p >= 0 else None for p in positions], index=frame.index, dtype=object)
        else:
            values = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        default = f.default
        if f.name == "district_id" and lookups.single_district_id:
            default = lookups.single_district_id
        if default is not None:
            values = values.where(~is_new, default)
        frame[f.name] = values
    ordered = [*kind.table_columns, "_row"]
    return frame[ordered], is_new


def _errors_each(code: str, raw: pd.DataFrame, existing: pd.Series, text: pd.Series, column: str, out, **params):
    """One error per row where existing (the id as the database spells it) is set."""
    positions = np.flatnonzero(existing.notna().to_numpy())
    for position in positions[:_COLLECTED]:
        out.error(
            code,
            row=raw["_row"].iat[position],
            column=column,
            value=_shown(text.iat[position]),
            existing=existing.iat[position],
            **params,
        )
    out.n_errors += max(0, len(positions) - _COLLECTED)


def _key_ids(kind: k.Kind, lookups: Lookups) -> pd.Series:
    """The database's ids of a kind whose key is one id (schools, partners, partnerships)."""
    key = kind.key[0]
    existing = lookups.existing
    return existing[key].dropna().astype(str) if len(existing) and key in existing else pd.Series(dtype=object)


def _case_variants(kind: k.Kind, typed: pd.DataFrame, lookups: Lookups, other_spellings) -> pd.Series:
    """Rows whose id (or school reference) names a known one in other case: not unknown ids."""
    name = _unknown_id_field(kind)
    if name in other_spellings:
        return other_spellings[name].notna()
    if len(kind.key) == 1 and name in typed:
        known = _key_ids(kind, lookups)
        folded = set(known.str.casefold())
        ids = typed[name].astype(object)
        return ids.notna() & ~ids.isin(set(known)) & ids.map(lambda v: isinstance(v, str) and v.casefold() in folded)
    return pd.Series(False, index=typed.index)


def _check_id_case(kind: k.Kind, typed: pd.DataFrame, columns, lookups: Lookups, out: _Collector) -> None:
    """Ids are compared without case: a new id that is an existing one in other case, or two
    rows of the file spelling one id two ways, would make two records of one thing."""
    if len(kind.key) != 1 or kind.key[0] not in typed:
        return
    key = kind.key[0]
    column = columns.get(key, key)
    rows = typed[typed[key].notna()]
    ids = rows[key].astype(str)
    folded = ids.str.casefold()
    known = _key_ids(kind, lookups)
    by_fold = dict(zip(known.str.casefold(), known, strict=True))
    existing = folded.map(by_fold).where(~ids.isin(set(known)))
    _errors_each("id_case_existing", rows, existing, ids, column, out, field=key)
    first = ids.groupby(folded, sort=False).transform("first")
    first_row = rows["_row"].groupby(folded, sort=False).transform("first")
    twice = (first != ids) & existing.isna()
    for position in np.flatnonzero(twice.to_numpy())[:_COLLECTED]:
        out.error(
            "id_case_twice",
            row=rows["_row"].iat[position],
            column=column,
            field=key,
            value=_shown(ids.iat[position]),
            other=first.iat[position],
            other_row=int(first_row.iat[position]),
        )
    out.n_errors += max(0, int(twice.sum()) - _COLLECTED)


def _is_text(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.StringDtype)


def _check_required(kind, frame, provided, is_new, blank_in_file, columns, mapping, lookups, out) -> None:
    for f in kind.fields:
        required = f.required or (f.name == "district_id")
        if not required:
            continue
        column = columns.get(f.name, f.name)
        if f.name not in provided:
            missing_new = frame[f.name].isna() & is_new
            if missing_new.any():
                out.error("missing_column", row=None, column=f.name, field=f.name, count=int(missing_new.sum()))
            continue
        blank = frame[f.name].isna() & blank_in_file.get(f.name, frame[f.name].isna())
        out.errors("required_blank", frame.loc[blank, "_row"], column, field=f.name)


def _check_duplicates(kind, frame, columns, out) -> None:
    key = list(kind.key)
    complete = frame[key].notna().all(axis=1)
    subset = frame[complete]
    repeated = subset.duplicated(subset=key, keep="first")
    if not repeated.any():
        return
    first_row = subset.drop_duplicates(subset=key, keep="first").set_index(key)["_row"]
    column = columns.get(key[0], key[0]) if len(key) == 1 else " + ".join(columns.get(n, n) for n in key)
    for _, row in subset[repeated].iterrows():
        value = " / ".join(str(row[n]) for n in key)
        other = first_row.loc[tuple(row[n] for n in key)] if len(key) > 1 else first_row.loc[row[key[0]]]
        out.error(
            "duplicate_key", row=row["_row"], column=column, field=" + ".join(key), value=value, other_row=int(other)
        )


def _check_rows(kind, frame, columns, lookups, out) -> None:
    def col(name):
        return columns.get(name, name)

    for f in kind.fields:
        if f.name not in frame or f.type not in (k.INT, k.NUMBER, k.PERCENT, k.MONEY):
            continue
        values = pd.to_numeric(frame[f.name], errors="coerce")
        if f.minimum is not None and f.maximum is not None:
            bad = (values < f.minimum) | (values > f.maximum)
            out.errors(
                "out_of_range",
                frame.loc[bad.fillna(False), "_row"],
                col(f.name),
                values[bad.fillna(False)].map(_number_text),
                field=f.name,
                minimum=_number_text(f.minimum),
                maximum=_number_text(f.maximum),
            )
        elif f.minimum == 0:
            bad = (values < 0).fillna(False)
            out.errors("negative", frame.loc[bad, "_row"], col(f.name), values[bad].map(_number_text), field=f.name)
    if {"latitude", "longitude"} <= set(frame.columns):
        half = frame["latitude"].isna() != frame["longitude"].isna()
        out.errors("half_coordinates", frame.loc[half, "_row"], col("latitude"))
    if kind.name == "partnerships":
        start = frame["start_date"]
        end = frame["end_date"]
        both = start.notna() & end.notna()
        before = pd.Series(
            [bool(b) and e < st for b, st, e in zip(both, start, end, strict=True)], index=frame.index, dtype=bool
        )
        for _, row in frame[before].iterrows():
            out.error(
                "end_before_start",
                row=row["_row"],
                column=col("end_date"),
                start=str(row["start_date"]),
                end=str(row["end_date"]),
            )
        ended = (frame["status"] == "ended") & end.isna()
        out.errors("ended_without_end", frame.loc[ended, "_row"], col("end_date"))
        unstarted = frame["status"].isin(["active", "ended"]) & start.isna()
        out.errors(
            "started_without_start",
            frame.loc[unstarted, "_row"],
            col("start_date"),
            frame.loc[unstarted, "status"],
            field="start_date",
        )
    if kind.name == "metrics":
        ranges = lookups.metric_ranges
        values = pd.to_numeric(frame["value"], errors="coerce")
        low = frame["metric_id"].map(lambda m: ranges.get(m, (None,))[0]).astype(float)
        high = frame["metric_id"].map(lambda m: ranges.get(m, (None, None))[1]).astype(float)
        outside = ((values < low) | (values > high)).fillna(False)
        for position in np.flatnonzero(outside.to_numpy())[:_COLLECTED]:
            row = frame.iloc[position]
            out.error(
                "metric_out_of_range",
                row=row["_row"],
                column=col("value"),
                value=_number_text(values.iloc[position]),
                minimum=_number_text(low.iloc[position]),
                maximum=_number_text(high.iloc[position]),
                metric=row["metric_id"],
            )
        out.n_errors += max(0, int(outside.sum()) - _COLLECTED)
        zero = (pd.to_numeric(frame["n"], errors="coerce") == 0) & values.notna()
        out.errors("n_zero", frame.loc[zero.fillna(False), "_row"], col("n"))


def _check_removals(kind, frame, lookups, out) -> None:
    """Replace mode: rows of the table missing from the file will be removed; refuse when
    something else still refers to them."""
    if kind.name not in ("schools", "partners") or not len(lookups.existing):
        return
    key = kind.key[0]
    removed = set(lookups.existing[key]) - set(frame[key].dropna())
    if not removed:
        return
    refs = lookups.references.set_index("id")
    kept = set(frame[key].dropna())
    for removed_id in sorted(removed):
        if removed_id not in refs.index:
            continue
        ref = refs.loc[removed_id]
        n_feeding = 0
        if kind.name == "schools":
            feeders = frame.loc[frame["feeder_high_school_id"] == removed_id, "school_id"]
            n_feeding = int(feeders.isin(kept).sum())
        if ref["n_partnerships"] or ref["n_metrics"] or n_feeding:
            out.error(
                f"{kind.table}_still_used",
                row=None,
                column=key,
                value=removed_id,
                partnerships=int(ref["n_partnerships"]),
                metrics=int(ref["n_metrics"]),
                feeding=n_feeding,
            )


def _notes_on_values(kind, frame, typed, columns, lookups, out) -> None:
    for f in kind.fields:
        if f.type == k.PERCENT and f.name in columns and f.name in typed:
            values = pd.to_numeric(typed[f.name], errors="coerce").dropna()
            if len(values) >= 3 and values.max() <= 1 and values.max() > 0:
                out.note("looks_like_fraction", column=columns[f.name])
    if kind.name == "metrics":
        pct = frame["metric_id"].map(lambda m: lookups.metric_ranges.get(m, (0, 0, ""))[2] == "pct")
        values = pd.to_numeric(frame.loc[pct, "value"], errors="coerce").dropna()
        if len(values) >= 3 and 0 < values.max() <= 1:
            out.note("looks_like_fraction", column=columns.get("value", "value"))
        small = (pd.to_numeric(frame["n"], errors="coerce") < lookups.suppression_min_n).fillna(False)
        if small.any():
            out.note("below_suppression", count=int(small.sum()), threshold=lookups.suppression_min_n)


def _number_text(value) -> str:
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def today() -> date:
    return date.today()

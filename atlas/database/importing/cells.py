"""Cells to typed values: blanks and null words cleaned, the mapping's value translations applied,
then each column parsed by its field's type (numbers, dates, yes/no, school years, codes, ids or
names of schools and partners, strategy lists), with a mask of the cells that could not be read."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from atlas.database.importing import kinds as k
from atlas.database.importing.codes import FALSE_WORDS, TRUE_WORDS
from atlas.database.importing.lookups import Lookups
from atlas.database.importing.mapping import normalise
from atlas.database.importing.problems import Collector, shown_value

NULL_TOKENS = frozenset({"", "na", "n/a", "#n/a", "null", "nan", "#value!", "#ref!", "#div/0!"})
MAX_ALLOWED_SHOWN = 14  # allowed codes a message lists


def clean_cells(text: pd.Series, null_values: tuple[str, ...]) -> pd.Series:
    text = text.str.replace("\u00a0", " ", regex=False).str.strip()
    nulls = NULL_TOKENS | {v.strip().lower() for v in null_values}
    return text.mask(text.str.lower().isin(nulls), "")


def translate_values(text: pd.Series, table: dict[str, str] | None) -> pd.Series:
    if not table:
        return text
    exact = text.map(table)
    by_norm = {normalise(a): b for a, b in table.items()}
    loose = _map_unique(text, lambda v: by_norm.get(normalise(v)))
    return exact.fillna(loose).fillna(text).astype(str)


_INT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.0*)?$")
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")


def parse_cells(f: k.Field, text: pd.Series, lookups: Lookups, raw, columns, kind, mapping):
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


def reference_spellings(f: k.Field, text: pd.Series, lookups: Lookups, raw, columns, kind) -> pd.Series:
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
    return True if norm in TRUE_WORDS else (False if norm in FALSE_WORDS else None)


def bad_code(f: k.Field) -> str:
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


def bad_params(f: k.Field, lookups: Lookups) -> dict:
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


def parse_strategies(text: pd.Series, rows: pd.Series, column: str, lookups: Lookups, out: Collector) -> pd.Series:
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
                    value=shown_value(token),
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

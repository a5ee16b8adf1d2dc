"""English and Spanish: message catalogues and number/date formatting.

Catalogues are TOML files in atlas/present/locales/, one per area of the app; a key
`overview.title` is the entry `title` of overview.toml, written as
`title = { en = "…", es = "…" }`. Placeholders use str.format: "{count} schools".

Numbers follow the conventions of US English and US Spanish (CLDR es-US), the
Spanish most families in US districts read: 1,234.5 in both; Spanish puts a space
before the percent sign ("45 %") and writes dates as "22 de noviembre de 2026".
"""

from __future__ import annotations

import string
import tomllib
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"

_MONTHS_ES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message: key → {language: text}."""
    messages: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALES_DIR.glob("*.toml")):
        with path.open("rb") as file:
            for key, texts in tomllib.load(file).items():
                messages[f"{path.stem}.{key}"] = texts
    return messages


def translate(key: str, lang: str, **values) -> str:
    """The message for key in lang, with {placeholders} filled. A missing key raises KeyError
    (a test checks that every key used exists in both languages)."""
    texts = catalogue()[key]
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


@cache
def templates(keys: tuple[str, ...], lang: str) -> dict[str, str]:
    """The messages of keys in lang, unfilled (fill them with str.format): for builders that fill
    the same few messages for every row of a long table, looked up once per language."""
    return {key: translate(key, lang) for key in keys}


def fill_each(template: str, **values) -> pa.Array:
    """template.format for every row of a table at once: each value is a column of text (a pyarrow
    array, a pandas column or a list, one row each) or one text for every row; at least one is a column.
    For the long tables whose rows each get a sentence: str.format row by row took 10 ms for the
    Plan page's thousand matches."""
    pieces = []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        if literal:
            pieces.append(literal)
        if field is not None:
            if spec or conversion:
                raise ValueError(f"{template!r}: fill_each fills plain {{placeholders}} only")
            value = values[field]
            pieces.append(value if isinstance(value, str) else pa.array(value, type=pa.string()))
    return pc.binary_join_element_wise(*pieces, "")


def number_texts(values, lang: str, decimals: int = 0) -> pa.Array:
    """format_number for a column of numbers (a pandas column or a numpy array), each distinct value
    formatted once."""
    values = values.tolist()
    text = {value: format_number(value, lang, decimals) for value in set(values)}
    return pa.array([text[value] for value in values], type=pa.string())


def is_missing(value) -> bool:
    """Whether a single value is absent from the data: None, NaN, pandas' NA or NaT. A nullable
    column (INTEGER, DATE) comes back from DuckDB with pd.NA, whose comparisons raise, so
    `value != value` is no test for it."""
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


def not_reported(lang: str) -> str:
    """What a page shows in place of a value the district's data does not have."""
    return translate("common.not_reported", lang)


def format_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """1,234.5; a missing value is said in words ("not reported")."""
    if is_missing(value):
        return not_reported(lang)
    return f"{value:,.{decimals}f}"


def format_percent(value: float | None, lang: str, decimals: int = 0) -> str:
    """value is already 0–100; a missing value is said in words."""
    if is_missing(value):
        return not_reported(lang)
    number = format_number(value, lang, decimals)
    return f"{number}\u00a0%" if lang == "es" else f"{number}%"


def count_phrase(key: str, count: int, lang: str) -> str:
    """ "1 school" or "3 schools": the catalogue's key_one entry for one, key for any other count."""
    if count == 1:
        return translate(f"{key}_one", lang)
    return translate(key, lang, count=format_number(count, lang))


def format_date(day: date | None, lang: str) -> str:
    """November 22, 2026 / 22 de noviembre de 2026; a missing date is said in words."""
    if is_missing(day):
        return not_reported(lang)
    if lang == "es":
        return f"{day.day} de {_MONTHS_ES[day.month - 1]} de {day.year}"
    return f"{day:%B} {day.day}, {day.year}"


def partnership_dates(days: pd.Series, statuses: pd.Series, lang: str) -> list[str]:
    """A table's start (or end) dates as YYYY-MM-DD text; a missing one in words, never "None":
    "not started" for a planned partnership, empty for any other (an end not yet set)."""
    not_started = translate("common.not_started", lang)
    return [
        (not_started if status == "planned" else "") if is_missing(day) else f"{pd.Timestamp(day):%Y-%m-%d}"
        for day, status in zip(days, statuses, strict=True)
    ]

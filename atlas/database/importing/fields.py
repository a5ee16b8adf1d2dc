"""The building blocks of an importable kind: field types, a field (a column of the kind's table,
with its rules and the names districts use for it) and a kind (its table, key and fields)."""

from __future__ import annotations

from dataclasses import dataclass

# Field types. Each has a parser in atlas.database.importing.cells.
TEXT = "text"
INT = "int"  # a count: 1,234 is fine, 12.5 is not
NUMBER = "number"  # a decimal number
PERCENT = "percent"  # 0–100, a trailing % allowed
MONEY = "money"  # US dollars: $1,200.50
DATE = "date"
BOOL = "bool"
CODE = "code"  # one of a list of codes (ids, labels and synonyms accepted)
REF = "ref"  # the id (or unique name) of a school or partner
YEAR = "year"  # a school year written 2024-25
STRATEGIES = "strategies"  # a list of strategies of the active framework


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    codes: str | None = None  # lookup list for CODE fields (see atlas.database.importing.lookups)
    ref: str | None = None  # 'school' or 'partner' for REF fields
    default: object = None  # value given to new rows when the column is not in the file
    synonyms: tuple[str, ...] = ()  # column names seen in district files (compared normalised)
    example: str = ""
    private: bool = False


@dataclass(frozen=True)
class Kind:
    name: str  # 'schools'
    table: str  # 'school'
    key: tuple[str, ...]
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def table_columns(self) -> tuple[str, ...]:
        """The fields stored in the kind's own table (strategies live in partnership_strategy)."""
        return tuple(f.name for f in self.fields if f.type != STRATEGIES)

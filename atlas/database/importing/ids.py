"""A file's rows and their ids: keys made from other fields, rows about unknown schools or partners,
rows merged with the database's current values, and ids compared without case."""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas.database.importing import kinds as k
from atlas.database.importing.lookups import Lookups
from atlas.database.importing.mapping import normalise
from atlas.database.importing.problems import Collector


def generated_key(kind: k.Kind, provided: list[str]) -> tuple[str, str] | None:
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


def generated_values(kind: k.Kind, typed: pd.DataFrame) -> pd.Series:
    if kind.name == "partners":
        return typed["name"].map(lambda v: slug(v) if isinstance(v, str) and v else None)
    return typed.apply(
        lambda r: f"{r['partner_id']}@{r['school_id']}" if r["partner_id"] and r["school_id"] else None, axis=1
    )


def unknown_id_field(kind: k.Kind) -> str:
    return kind.key[0] if kind.name in ("schools", "partners") else "school_id"


def unknown_id_rows(kind, typed, raw, columns, lookups) -> pd.Series:
    """Rows about a school (or partner) the database does not have, for skip_unknown_ids."""
    name = unknown_id_field(kind)
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


def merge_with_existing(kind: k.Kind, typed: pd.DataFrame, provided: list[str], lookups: Lookups):
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


def errors_each(code: str, raw: pd.DataFrame, existing: pd.Series, text: pd.Series, column: str, out, **params):
    """One error per row where existing (the id as the database spells it) is set."""
    named = existing.notna().to_numpy()
    if not named.any():
        return
    out.errors(
        code,
        raw["_row"][named],
        column,
        text[named],
        each={"existing": existing[named].astype(object)},
        **params,
    )


def _key_ids(kind: k.Kind, lookups: Lookups) -> pd.Series:
    """The database's ids of a kind whose key is one id (schools, partners, partnerships)."""
    key = kind.key[0]
    existing = lookups.existing
    return existing[key].dropna().astype(str) if len(existing) and key in existing else pd.Series(dtype=object)


def case_variants(kind: k.Kind, typed: pd.DataFrame, lookups: Lookups, other_spellings) -> pd.Series:
    """Rows whose id (or school reference) names a known one in other case: not unknown ids."""
    name = unknown_id_field(kind)
    if name in other_spellings:
        return other_spellings[name].notna()
    if len(kind.key) == 1 and name in typed:
        known = _key_ids(kind, lookups)
        folded = set(known.str.casefold())
        ids = typed[name].astype(object)
        return ids.notna() & ~ids.isin(set(known)) & ids.map(lambda v: isinstance(v, str) and v.casefold() in folded)
    return pd.Series(False, index=typed.index)


def check_id_case(kind: k.Kind, typed: pd.DataFrame, columns, lookups: Lookups, out: Collector) -> None:
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
    errors_each("id_case_existing", rows, existing, ids, column, out, field=key)
    first = ids.groupby(folded, sort=False).transform("first")
    first_row = rows["_row"].groupby(folded, sort=False).transform("first")
    twice = ((first != ids) & existing.isna()).to_numpy()
    out.errors(
        "id_case_twice",
        rows["_row"][twice],
        column,
        ids[twice],
        each={"other": first[twice].astype(object), "other_row": first_row[twice].astype("int64")},
        field=key,
    )


def _is_text(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.StringDtype)

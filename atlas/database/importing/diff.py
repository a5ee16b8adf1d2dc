"""What an import will change: rows added, rows changed (each change as old → new) and rows
removed, compared with the database's current content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from atlas.database.importing import kinds as k
from atlas.database.importing.lookups import Lookups
from atlas.database.importing.validate import Checked

MAX_SHOWN = 500  # rows of each table kept for the preview (all are counted)


@dataclass
class Diff:
    added: pd.DataFrame  # new rows, table columns
    changed: pd.DataFrame  # one row per changed cell: key, field, old, new
    removed: pd.DataFrame  # rows that replace mode removes
    n_added: int
    n_changed: int  # rows with at least one changed cell
    n_removed: int
    n_unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.n_added or self.n_changed or self.n_removed)


def canonical(value) -> str:
    """A value as comparable text: 12 == 12.0, a date == its ISO text, None == NaN == ''."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, (int, float)) or (hasattr(value, "__float__") and not isinstance(value, str)):
        number = float(value)
        return str(int(number)) if number.is_integer() else f"{number:.10g}"
    return str(value)


def _canonical_series(values: pd.Series) -> pd.Series:
    """canonical() of each value, computed once per distinct value."""
    if isinstance(values.dtype, pd.StringDtype):
        return values.fillna("")  # text already: kept in its Arrow buffers, not copied string by string
    values = values.astype(object)
    missing = values.isna()
    table = {value: canonical(value) for value in pd.unique(values[~missing])}
    return values.map(table).where(~missing, "")


def _is_missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _same(new: pd.Series, old: pd.Series, field_type: str) -> pd.Series:
    """Cell by cell: equal values (numbers within 1e-9, dates by day, missing == missing)."""
    if field_type in (k.INT, k.NUMBER, k.PERCENT, k.MONEY):
        a = pd.to_numeric(new, errors="coerce").astype(float).to_numpy()
        b = pd.to_numeric(old, errors="coerce").astype(float).to_numpy()
        both_missing = np.isnan(a) & np.isnan(b)
        close = np.isclose(a, b, rtol=0, atol=1e-9)
        return pd.Series(both_missing | close, index=new.index)
    if field_type == k.DATE:
        a = pd.to_datetime(new, errors="coerce")
        b = pd.to_datetime(old, errors="coerce")
        return pd.Series((a.isna() & b.isna()) | (a == b), index=new.index)
    return _canonical_series(new) == _canonical_series(old)


def compare(checked: Checked, lookups: Lookups) -> Diff:
    """What the checked rows change. Rows are matched to the database's by key positions, and only
    the changes shown are spelled out: a million changed values are counted, not turned into text
    (a set of their keys and their old and new texts took 500 MB)."""
    kind = checked.kind
    key = list(kind.key)
    existing = lookups.existing
    incoming = checked.frame
    fields = [f for f in checked.provided if f in kind.table_columns and f not in key]

    positions = _positions(incoming[key], existing[key] if len(existing) else None)
    is_new = positions < 0
    added = incoming.iloc[np.flatnonzero(is_new)[:MAX_SHOWN]][list(kind.table_columns)]  # those shown
    matched = np.flatnonzero(~is_new)
    at = positions[matched]
    changes = []
    changed_rows = np.zeros(len(matched), dtype=bool)
    for name in fields:
        new = incoming[name].iloc[matched].reset_index(drop=True)
        old = existing[name].iloc[at].reset_index(drop=True) if len(matched) else new.head(0)
        differs = ~_same(new, old, kind.field(name).type).to_numpy(dtype=bool)
        if differs.any():
            changed_rows |= differs
            shown = _first_by_key(incoming[key].iloc[matched[differs]], MAX_SHOWN * 4, sort=len(key) > 1)
            where = np.flatnonzero(differs)[shown]
            part = incoming[key].iloc[matched[where]].reset_index(drop=True)
            part["field"] = name
            part["old"] = old.iloc[where].map(canonical).to_numpy(dtype=object)
            part["new"] = new.iloc[where].map(canonical).to_numpy(dtype=object)
            changes.append(part)
    n_changed = int(changed_rows.sum())

    if kind.name == "partnerships" and checked.strategies is not None and lookups.existing_strategies is not None:
        ids = incoming["partnership_id"].iloc[matched]
        tag_changes = _tag_changes(checked, lookups, set(ids))
        if len(tag_changes):
            changes.append(tag_changes)
            n_changed += int((ids.isin(set(tag_changes["partnership_id"])).to_numpy() & ~changed_rows).sum())

    changed = pd.concat(changes, ignore_index=True) if changes else pd.DataFrame(columns=[*key, "field", "old", "new"])
    if len(key) > 1:
        changed = changed.sort_values(key, kind="stable")

    if checked.mode == "replace" and len(existing):
        gone = _positions(existing[key], incoming[key]) < 0
        removed = existing.loc[gone, list(kind.table_columns)]
    else:
        removed = existing.head(0)[list(kind.table_columns)] if len(existing.columns) else pd.DataFrame()

    return Diff(
        added=added,
        changed=changed.head(MAX_SHOWN * 4),
        removed=removed.head(MAX_SHOWN),
        n_added=int(is_new.sum()),
        n_changed=n_changed,
        n_removed=len(removed),
        n_unchanged=len(matched) - n_changed,
    )


def _positions(keys: pd.DataFrame, table: pd.DataFrame | None) -> np.ndarray:
    """For each row of keys, the position of the row of table with the same key values
    (compared as canonical text), or -1."""
    if table is None or not len(table):
        return np.full(len(keys), -1)
    if len(keys.columns) == 1:
        index = pd.Index(_canonical_series(table.iloc[:, 0]))
        return index.get_indexer(_canonical_series(keys.iloc[:, 0]))
    index = pd.MultiIndex.from_arrays([_canonical_series(table[name]) for name in table.columns])
    return index.get_indexer(pd.MultiIndex.from_arrays([_canonical_series(keys[name]) for name in keys.columns]))


def _first_by_key(keys: pd.DataFrame, count: int, *, sort: bool) -> np.ndarray:
    """Positions of the first count rows, in key order when sort (else in file order)."""
    if not sort:
        return np.arange(min(count, len(keys)))
    order = keys.reset_index(drop=True).sort_values(list(keys.columns), kind="stable").index.to_numpy()
    return order[:count]


def strategy_numbers(lookups: Lookups) -> dict[str, str]:
    """strategy_id → its number, as text (for showing tags as '1; 6')."""
    return {sid: spelling for spelling, sid in lookups.strategies.items() if spelling.isdigit()}


def _tag_changes(checked: Checked, lookups: Lookups, existing_ids: set[str]) -> pd.DataFrame:
    numbers = strategy_numbers(lookups)
    current = lookups.existing_strategies
    current = current[current["framework_id"] == lookups.framework_id]

    def label(ids) -> str:
        return "; ".join(sorted((numbers.get(i, i) for i in ids), key=lambda v: (len(v), v)))

    old = current.groupby("partnership_id")["strategy_id"].apply(set)
    new = checked.strategies.groupby("partnership_id")["strategy_id"].apply(set)
    rows = []
    for partnership_id in sorted(existing_ids):
        before = old.get(partnership_id, set())
        after = new.get(partnership_id, set())
        if before != after:
            rows.append(
                {"partnership_id": partnership_id, "field": "strategies", "old": label(before), "new": label(after)}
            )
    return pd.DataFrame(rows, columns=["partnership_id", "field", "old", "new"])


def tags_text(checked: Checked, lookups: Lookups) -> pd.Series:
    """Each incoming partnership's strategies as '1; 6' (for the preview of added rows)."""
    if checked.strategies is None:
        return pd.Series(dtype=object)
    numbers = strategy_numbers(lookups)
    return checked.strategies.groupby("partnership_id")["strategy_id"].apply(
        lambda ids: "; ".join(sorted((numbers.get(i, i) for i in ids), key=lambda v: (len(v), v)))
    )


def field_type(kind: k.Kind, name: str) -> str:
    return kind.field(name).type

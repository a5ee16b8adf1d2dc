"""The rules a file's typed rows must follow, per kind: required values, one row per key, ranges,
dates in order, metric values in their metric's range, removals nothing still refers to; and the
notes worth telling (percentages that look like fractions, counts below the suppression threshold)."""

from __future__ import annotations

import pandas as pd

from atlas.database.importing import kinds as k
from atlas.database.importing import wide


def check_required(kind, frame, provided, is_new, blank_in_file, columns, mapping, lookups, out) -> None:
    for f in kind.fields:
        required = f.required or (f.name == "district_id")
        if not required or (kind.name == "metrics" and f.name == "n" and not mapping.provides("n")):
            continue  # a metrics file that does not say where n comes from is asked that (n_source_missing)
        column = columns.get(f.name, f.name)
        if f.name not in provided:
            missing_new = frame[f.name].isna() & is_new
            if missing_new.any():
                out.error("missing_column", row=None, column=f.name, field=f.name, count=int(missing_new.sum()))
            continue
        blank = frame[f.name].isna() & blank_in_file.get(f.name, frame[f.name].isna())
        out.errors("required_blank", frame.loc[blank, "_row"], column, field=f.name)


def check_duplicates(kind, frame, columns, out) -> None:
    key = list(kind.key)
    complete = frame[key].notna().all(axis=1)
    subset = frame[complete]
    repeated = subset.duplicated(subset=key, keep="first")
    if not repeated.any():
        return
    first_row = subset.groupby(key, sort=False, dropna=False)["_row"].transform("first")
    column = columns.get(key[0], key[0]) if len(key) == 1 else " + ".join(columns.get(n, n) for n in key)
    twice = subset[repeated]
    value = twice[key[0]].astype(str)
    for name in key[1:]:
        value = value + " / " + twice[name].astype(str)
    out.errors(
        "duplicate_key",
        twice["_row"],
        column,
        value,
        each={"other_row": first_row[repeated].astype("int64")},
        field=" + ".join(key),
    )


def check_rows(kind, frame, columns, lookups, out) -> None:
    """Each row's values: numbers in their field's range, coordinates in pairs, and the rules of
    partnerships (dates) and metrics (values in the metric's range)."""

    def col(name):
        return columns.get(name, name)

    _check_ranges(kind, frame, col, out)
    if {"latitude", "longitude"} <= set(frame.columns):
        half = frame["latitude"].isna() != frame["longitude"].isna()
        out.errors("half_coordinates", frame.loc[half, "_row"], col("latitude"))
    if kind.name == "partnerships":
        _check_partnership_dates(frame, col, out)
    if kind.name == "metrics":
        _check_metric_values(frame, col, lookups, out)
    if kind.name == "metric_definitions":
        _check_measures(frame, col, lookups, out)


MEASURE_ID = r"[a-z][a-z0-9_]{0,59}"  # a measure's id: lower case letters, digits and _ (attendance_rate_pct)


def _check_measures(frame, col, lookups, out) -> None:
    """A district's own measures: an id of the usual form, a minimum below the maximum, and a range
    that still holds the values already stored for the measure."""
    ids = frame["metric_id"].astype(str)
    bad_id = frame["metric_id"].notna() & ~ids.str.fullmatch(MEASURE_ID)
    out.errors("bad_measure_id", frame.loc[bad_id, "_row"], col("metric_id"), ids[bad_id])
    low = pd.to_numeric(frame["min_value"], errors="coerce")
    high = pd.to_numeric(frame["max_value"], errors="coerce")
    reversed_range = (low >= high).fillna(False)
    out.errors(
        "min_not_below_max",
        frame.loc[reversed_range, "_row"],
        col("max_value"),
        high[reversed_range].map(_number_text),
        each={"minimum": low[reversed_range].map(_number_text)},
    )
    stored = lookups.references.set_index("id") if len(lookups.references) else None
    if stored is None:
        return
    lowest = ids.map(stored["lowest"]).astype(float)
    highest = ids.map(stored["highest"]).astype(float)
    cut = ((lowest < low) | (highest > high)).fillna(False) & ~reversed_range
    out.errors(
        "range_cuts_values",
        frame.loc[cut, "_row"],
        col("min_value"),
        ids[cut],
        each={"lowest": lowest[cut].map(_number_text), "highest": highest[cut].map(_number_text)},
    )


def _check_ranges(kind, frame, col, out) -> None:
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


def _check_partnership_dates(frame, col, out) -> None:
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


def _check_metric_values(frame, col, lookups, out) -> None:
    ranges = lookups.metric_ranges
    values = pd.to_numeric(frame["value"], errors="coerce")
    low = frame["metric_id"].map(lambda m: ranges.get(m, (None,))[0]).astype(float)
    high = frame["metric_id"].map(lambda m: ranges.get(m, (None, None))[1]).astype(float)
    outside = ((values < low) | (values > high)).fillna(False)
    for metric_id in pd.unique(frame.loc[outside, "metric_id"]):
        rows = outside & (frame["metric_id"] == metric_id)
        low_value, high_value = ranges[metric_id][:2]
        out.errors(
            "metric_out_of_range",
            frame.loc[rows, "_row"],
            col("value"),
            values[rows].map(_number_text),
            minimum=_number_text(low_value),
            maximum=_number_text(high_value),
            metric=metric_id,
        )
    zero = (pd.to_numeric(frame["n"], errors="coerce") == 0) & values.notna()
    out.errors("n_zero", frame.loc[zero.fillna(False), "_row"], col("n"))


def check_removals(kind, frame, lookups, out) -> None:
    """Replace mode: rows of the table missing from the file will be removed; refuse when
    something else still refers to them."""
    if kind.name not in ("schools", "partners", "metric_definitions") or not len(lookups.existing):
        return
    key = kind.key[0]
    removed = set(lookups.existing[key]) - set(frame[key].dropna())
    if not removed:
        return
    if kind.name == "metric_definitions":
        used = lookups.references.set_index("id")["n_metrics"]
        for removed_id in sorted(i for i in removed if used.get(i, 0)):
            out.error("metric_definition_still_used", column=key, value=removed_id, metrics=int(used[removed_id]))
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


def notes_on_values(kind, frame, typed, columns, lookups, out, melted=None) -> None:
    """Notes: percentages that look like fractions (per measure of a wide file), small counts."""
    for f in kind.fields:
        if f.type == k.PERCENT and f.name in columns and f.name in typed:
            values = pd.to_numeric(typed[f.name], errors="coerce").dropna()
            if len(values) >= 3 and values.max() <= 1 and values.max() > 0:
                out.note("looks_like_fraction", column=columns[f.name])
    if kind.name == "metrics" and melted is not None:
        wide.fraction_notes(frame, lookups, melted, out)
    elif kind.name == "metrics":
        pct = frame["metric_id"].map(lambda m: lookups.metric_ranges.get(m, (0, 0, ""))[2] == "pct")
        values = pd.to_numeric(frame.loc[pct, "value"], errors="coerce").dropna()
        if len(values) >= 3 and 0 < values.max() <= 1:
            out.note("looks_like_fraction", column=columns.get("value", "value"))
    if kind.name == "metrics":
        small = (pd.to_numeric(frame["n"], errors="coerce") < lookups.suppression_min_n).fillna(False)
        if small.any():
            out.note("below_suppression", count=int(small.sum()), threshold=lookups.suppression_min_n)


def _number_text(value) -> str:
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"

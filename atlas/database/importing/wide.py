"""A wide metrics file (one row per school, a column per measure) as the long file the checks read
(one row per school and measure), and which of a file's columns hold only fractions (0–1).

The Data page's form calls as_long() before atlas.database.importing.transaction.prepare_import, so
a mapping with [metric_columns] imports in one pass. (A stop-gap written with the form: when the
import engine melts wide files itself, as_long() may go; it leaves a long mapping unchanged.)

Each long row keeps its spreadsheet row number; the measure's value is in a column named "value",
already multiplied by the measure's [scale] factor when it reads as a number (a cell that does not
is left as it is, and the checks name it).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from atlas.database.importing.mapping import Mapping
from atlas.database.importing.readers import RawTable

MEASURE_COLUMN = "metric_id"
VALUE_COLUMN = "value"
KEPT_FIELDS = ("school_id", "school_year", "n")  # fields a wide file's row gives to each of its measures


def as_long(table: RawTable, mapping: Mapping) -> tuple[RawTable, Mapping]:
    """The file and mapping as one row per school and measure; a long mapping is returned as it is."""
    if not mapping.metric_columns:
        return table, mapping
    position = {name: index for index, name in enumerate(table.header)}
    kept = {f: c for f, c in mapping.columns.items() if f in KEPT_FIELDS and c in position}
    blocks = []
    for measure, column in mapping.metric_columns.items():
        if column not in position:
            continue
        block = pd.DataFrame({c: table.cells[position[c]] for c in dict.fromkeys(kept.values())})
        block[MEASURE_COLUMN] = measure
        values = table.cells[position[column]]
        block[VALUE_COLUMN] = scaled(values, mapping.scale.get(measure), mapping.null_values)
        block["_row"] = np.asarray(table.row_numbers)
        blocks.append(block)
    header = [*dict.fromkeys(kept.values()), MEASURE_COLUMN, VALUE_COLUMN]
    frame = pd.concat(blocks, ignore_index=True) if blocks else pd.DataFrame(columns=[*header, "_row"])
    rows = frame.pop("_row").to_numpy(dtype=np.int64)
    cells = frame.set_axis(range(len(header)), axis=1).astype("string")
    long_table = replace(table, header=header, cells=cells, row_numbers=rows, ragged=[])
    columns = {**kept, "metric_id": MEASURE_COLUMN, "value": VALUE_COLUMN}
    scale = {f: factor for f, factor in mapping.scale.items() if f in KEPT_FIELDS}
    return long_table, replace(mapping, columns=columns, metric_columns={}, scale=scale)


def numbers(cells: pd.Series, null_values: tuple[str, ...] = ()) -> pd.Series:
    """The cells read as numbers (NaN: blank, a "no value" code, or not a number)."""
    text = cells.fillna("").astype(str).str.strip()
    text = text.where(~text.isin(null_values), "")
    return pd.to_numeric(text.str.replace(",", "", regex=False).str.rstrip("%"), errors="coerce")


def scaled(cells: pd.Series, factor: float | None, null_values: tuple[str, ...] = ()) -> pd.Series:
    """The cells with every number multiplied by factor (rounded to 10 significant digits, so
    0.89999998 × 100 reads 89.999998); other cells as they are."""
    if not factor or factor == 1:
        return cells
    read = numbers(cells, null_values)
    product = (read * factor).map(lambda v: f"{v:.10g}", na_action="ignore")
    return product.where(read.notna(), cells)


def only_fractions(cells: pd.Series, null_values: tuple[str, ...] = ()) -> bool:
    """Whether every number in the cells is between 0 and 1 (and there is at least one): such a
    column is likely a fraction to be shown as a percent (×100)."""
    read = numbers(cells, null_values).dropna()
    return bool(len(read)) and bool(read.between(0, 1).all())

"""Column mapping: which of the user's columns fills each of our fields, plus the few
transformations a real file needs (fixed values, code translations, row filters, scaling).

A mapping is saved as TOML, either shipped in the repository (data/mappings/*.toml) or saved
by name in the database (table import_mapping). Example::

    kind = "metrics"
    description = "NYC DOE graduation outcomes, Total Cohort"
    null_values = ["s"]                  # cells meaning "no value" (besides blank)
    skip_when_blank = ["value"]          # rows whose value is blank are skipped, not refused
    skip_unknown_ids = true              # rows for schools not in the database are skipped
    identical_duplicates = "merge"       # a row repeated exactly is kept once

    [columns]                            # our field = their column
    school_id = "DBN"
    value = "Total Grads - % of cohort"

    [constants]                          # our field = one value for every row
    metric_id = "graduation_rate_pct"

    [values.school_year]                 # their value = our value
    "2006" = "2009-10"

    [filters]                            # keep only rows whose column holds one of these values
    Demographic = ["Total Cohort"]

    [scale]                              # multiply after parsing (fractions 0–1 → percent)
    value = 100

    [n]                                  # where each value's n comes from (metrics only):
    source = "column"                    # "column" ([columns] n), "enrollment" (the school's),
                                         # or "not_reported" (figures already public)

A wide metrics file (one row per school, a column per measure) names its measures instead of
metric_id and value; [scale] then takes a measure's id::

    [metric_columns]                     # our measure = their column
    attendance_rate_pct = "AVERAGE_STUDENT_ATTENDANCE"
    family_involvement_score = "Family_Involvement_Score"
    [scale]
    attendance_rate_pct = 100
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from atlas.database.importing.kinds import KINDS, Kind

MAPPINGS_DIR = Path(__file__).resolve().parent.parent.parent.parent / "data" / "mappings"
DUPLICATE_POLICIES = ("error", "merge")
N_SOURCES = ("column", "enrollment", "not_reported")  # where a metric's n comes from


@dataclass(frozen=True)
class Mapping:
    kind: str
    columns: dict[str, str] = field(default_factory=dict)  # field → their column
    constants: dict[str, str] = field(default_factory=dict)  # field → value for every row
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field → {their value: ours}
    filters: dict[str, list[str]] = field(default_factory=dict)  # their column → values to keep
    scale: dict[str, float] = field(default_factory=dict)  # field (or measure, wide file) → factor
    metric_columns: dict[str, str] = field(default_factory=dict)  # wide metrics: measure id → their column
    n_source: str = ""  # metrics: one of N_SOURCES; "" = as the columns/constants say (older mappings)
    null_values: tuple[str, ...] = ()
    skip_when_blank: tuple[str, ...] = ()
    skip_unknown_ids: bool = False
    identical_duplicates: str = "error"
    sheet: str | None = None
    name: str = ""
    description: str = ""

    def with_column(self, field_name: str, column: str | None) -> Mapping:
        columns = {k: v for k, v in self.columns.items() if k != field_name}
        if column:
            columns[field_name] = column
        return replace(self, columns=columns)

    def with_constant(self, field_name: str, value: str | None) -> Mapping:
        constants = {k: v for k, v in self.constants.items() if k != field_name}
        if value not in (None, ""):
            constants[field_name] = value
        return replace(self, constants=constants)

    def provides(self, field_name: str) -> bool:
        if self.metric_columns and field_name in ("metric_id", "value"):
            return True
        if field_name == "n" and self.n_source in ("enrollment", "not_reported"):
            return True
        return field_name in self.columns or field_name in self.constants


class MappingError(ValueError):
    pass


# ---- guessing -------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lower case, accents removed, '%' read as 'percent', '#' as 'number', other punctuation
    as spaces: 'Nombre de la Escuela ' and 'nombre_de_la_escuela' compare equal."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = text.lower().replace("%", " percent ").replace("#", " number ").replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def guess_mapping(kind: Kind | str, header: list[str]) -> Mapping:
    """Each field matched to the column whose name equals the field's name or one of its
    synonyms (exact names first, so 'school_id' beats 'school'); each column used once."""
    kind = KINDS[kind] if isinstance(kind, str) else kind
    by_name = {}
    for column in header:
        by_name.setdefault(normalise(column), column)
    columns: dict[str, str] = {}
    used: set[str] = set()
    # Pass 1: the field's own name; pass 2: synonyms in the order listed.
    for pass_number in (1, 2):
        for f in kind.fields:
            if f.name in columns:
                continue
            candidates = [normalise(f.name)] if pass_number == 1 else [normalise(s) for s in f.synonyms]
            for candidate in candidates:
                column = by_name.get(candidate)
                if column is not None and column not in used:
                    columns[f.name] = column
                    used.add(column)
                    break
    return Mapping(kind=kind.name, columns=columns)


# ---- TOML ------------------------------------------------------------------------------------


def from_toml(text: str, *, name: str = "") -> Mapping:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"not a valid mapping file: {error}") from error
    kind_name = data.get("kind")
    if kind_name not in KINDS:
        raise MappingError(f"mapping kind must be one of {', '.join(KINDS)}, not {kind_name!r}")
    kind = KINDS[kind_name]
    known = set(kind.field_names)
    metric_columns = {str(k): str(v) for k, v in data.get("metric_columns", {}).items()}
    if metric_columns and kind_name != "metrics":
        raise MappingError("[metric_columns] is for a metrics file only")
    n_source = str(data.get("n", {}).get("source", ""))
    if n_source and n_source not in N_SOURCES:
        raise MappingError(f"[n] source must be one of {', '.join(N_SOURCES)}, not {n_source!r}")
    for section in ("columns", "constants", "values", "scale"):
        allowed = known | set(metric_columns) if section == "scale" else known
        unknown = set(data.get(section, {})) - allowed
        if unknown:
            raise MappingError(f"[{section}] names unknown fields for {kind_name}: {', '.join(sorted(unknown))}")
    policy = data.get("identical_duplicates", "error")
    if policy not in DUPLICATE_POLICIES:
        raise MappingError(f"identical_duplicates must be one of {DUPLICATE_POLICIES}")
    filters = {
        column: [str(v) for v in (vals if isinstance(vals, list) else [vals])]
        for column, vals in data.get("filters", {}).items()
    }
    return Mapping(
        kind=kind_name,
        columns={k: str(v) for k, v in data.get("columns", {}).items()},
        constants={k: str(v) for k, v in data.get("constants", {}).items()},
        values={k: {str(a): str(b) for a, b in v.items()} for k, v in data.get("values", {}).items()},
        filters=filters,
        scale={k: float(v) for k, v in data.get("scale", {}).items()},
        metric_columns=metric_columns,
        n_source=n_source,
        null_values=tuple(str(v) for v in data.get("null_values", ())),
        skip_when_blank=tuple(data.get("skip_when_blank", ())),
        skip_unknown_ids=bool(data.get("skip_unknown_ids", False)),
        identical_duplicates=policy,
        sheet=data.get("sheet"),
        name=data.get("name", name),
        description=data.get("description", ""),
    )


def to_toml(mapping: Mapping) -> str:
    """The mapping as TOML (strings written as JSON strings, which TOML reads the same)."""

    def s(value) -> str:
        return json.dumps(str(value), ensure_ascii=False)

    lines = [f"kind = {s(mapping.kind)}"]
    if mapping.name:
        lines.append(f"name = {s(mapping.name)}")
    if mapping.description:
        lines.append(f"description = {s(mapping.description)}")
    if mapping.sheet:
        lines.append(f"sheet = {s(mapping.sheet)}")
    if mapping.null_values:
        lines.append(f"null_values = [{', '.join(s(v) for v in mapping.null_values)}]")
    if mapping.skip_when_blank:
        lines.append(f"skip_when_blank = [{', '.join(s(v) for v in mapping.skip_when_blank)}]")
    if mapping.skip_unknown_ids:
        lines.append("skip_unknown_ids = true")
    if mapping.identical_duplicates != "error":
        lines.append(f"identical_duplicates = {s(mapping.identical_duplicates)}")
    for section in ("columns", "constants", "metric_columns", "scale"):
        entries = getattr(mapping, section)
        if entries:
            lines += ["", f"[{section}]"]
            lines += [f"{s(k)} = {v if section == 'scale' else s(v)}" for k, v in entries.items()]
    for field_name, table in mapping.values.items():
        lines += ["", f"[values.{s(field_name)}]"]
        lines += [f"{s(k)} = {s(v)}" for k, v in table.items()]
    if mapping.filters:
        lines += ["", "[filters]"]
        lines += [f"{s(k)} = [{', '.join(s(v) for v in vals)}]" for k, vals in mapping.filters.items()]
    if mapping.n_source:
        lines += ["", "[n]", f"source = {s(mapping.n_source)}"]
    return "\n".join(lines) + "\n"


def load_mapping_file(path: Path) -> Mapping:
    path = Path(path)
    return from_toml(path.read_text(encoding="utf-8"), name=path.stem)


def shipped_mappings(kind: str | None = None) -> dict[str, Path]:
    """Mapping files in data/mappings/, by name (file stem), optionally only one kind's."""
    found = {}
    for path in sorted(MAPPINGS_DIR.glob("*.toml")):
        try:
            mapping = load_mapping_file(path)
        except MappingError:
            continue
        if kind is None or mapping.kind == kind:
            found[path.stem] = path
    return found

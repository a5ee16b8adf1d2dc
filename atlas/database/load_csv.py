"""Loading the bundled CSV files (frameworks, reference lists, demo district) into DuckDB.

Every file is read with DuckDB's read_csv and an explicit column list, so nothing is guessed
and no value is ever formatted into SQL: file paths, framework ids and column types travel
as parameters. Tables are filled in foreign-key order.

Layout under the data folder (``root``)::

    frameworks/frameworks.csv          framework_id,is_default,source,name_en,name_es
    frameworks/<framework_id>.csv      number,short_name_en,short_name_es,description_en,description_es,
                                       coverage_target,priority_weight
    reference/partner_types.csv        partner_type_id,label_en,label_es
    reference/metric_definitions.csv   metric_id,label_en,label_es,unit,is_higher_better,min_value,max_value
    demo/district.csv, schools.csv, partners.csv, partnerships.csv, partnership_strategies.csv, metrics.csv
    demo/boundary.geojson, zones.geojson   GeoJSON FeatureCollections (a zone's properties name its school_id)
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

LANGUAGES = ("en", "es")

FRAMEWORK_COLUMNS = {
    "framework_id": "VARCHAR",
    "is_default": "BOOLEAN",
    "source": "VARCHAR",
    "name_en": "VARCHAR",
    "name_es": "VARCHAR",
}
STRATEGY_COLUMNS = {
    "number": "INTEGER",
    "short_name_en": "VARCHAR",
    "short_name_es": "VARCHAR",
    "description_en": "VARCHAR",
    "description_es": "VARCHAR",
    "coverage_target": "INTEGER",
    "priority_weight": "DOUBLE",
}
PARTNER_TYPE_COLUMNS = {"partner_type_id": "VARCHAR", "label_en": "VARCHAR", "label_es": "VARCHAR"}
METRIC_DEFINITION_COLUMNS = {
    "metric_id": "VARCHAR",
    "label_en": "VARCHAR",
    "label_es": "VARCHAR",
    "unit": "VARCHAR",
    "is_higher_better": "BOOLEAN",
    "min_value": "DOUBLE",
    "max_value": "DOUBLE",
}

# Demo tables in foreign-key order: (table, file, columns in schema order).
DEMO_TABLES = [
    (
        "district",
        "district.csv",
        {"district_id": "VARCHAR", "name": "VARCHAR", "state": "VARCHAR", "is_fictional": "BOOLEAN"},
    ),
    (
        "school",
        "schools.csv",
        {
            "school_id": "VARCHAR",
            "district_id": "VARCHAR",
            "name": "VARCHAR",
            "level": "VARCHAR",
            "grades": "VARCHAR",
            "address": "VARCHAR",
            "latitude": "DOUBLE",
            "longitude": "DOUBLE",
            "enrollment": "INTEGER",
            "title_i_status": "VARCHAR",
            "frl_pct": "DOUBLE",
            "el_pct": "DOUBLE",
            "region": "VARCHAR",
            "feeder_high_school_id": "VARCHAR",
        },
    ),
    (
        "partner",
        "partners.csv",
        {
            "partner_id": "VARCHAR",
            "name": "VARCHAR",
            "partner_type_id": "VARCHAR",
            "address": "VARCHAR",
            "latitude": "DOUBLE",
            "longitude": "DOUBLE",
            "contact_name": "VARCHAR",
            "contact_email": "VARCHAR",
            "contact_phone": "VARCHAR",
            "capacity_schools": "INTEGER",
            "languages": "VARCHAR",
        },
    ),
    (
        "partnership",
        "partnerships.csv",
        {
            "partnership_id": "VARCHAR",
            "partner_id": "VARCHAR",
            "school_id": "VARCHAR",
            "status": "VARCHAR",
            "start_date": "DATE",
            "end_date": "DATE",
            "students_served": "INTEGER",
            "annual_cost_usd": "DECIMAL(12, 2)",
            "funding_source": "VARCHAR",
            "is_mou_signed": "BOOLEAN",
            "evaluation_measure": "VARCHAR",
            "notes": "VARCHAR",
        },
    ),
    ("partnership_strategy", "partnership_strategies.csv", {"partnership_id": "VARCHAR", "strategy_id": "VARCHAR"}),
    (
        "metric",
        "metrics.csv",
        {"school_id": "VARCHAR", "school_year": "VARCHAR", "metric_id": "VARCHAR", "value": "DOUBLE", "n": "INTEGER"},
    ),
]

# read_csv with a fixed dialect; $path and $columns are bound as parameters.
_READ = "read_csv($path, header = true, delim = ',', quote = '\"', escape = '\"', columns = $columns)"


def _insert(con: duckdb.DuckDBPyConnection, table: str, select: str, path: Path, columns: dict, **params) -> None:
    """INSERT INTO table SELECT <select> FROM the CSV file. table and select are code constants."""
    con.execute(
        f"INSERT INTO {table} SELECT {select} FROM {_READ}",
        {"path": str(path), "columns": columns, **params},
    )


def load_frameworks(con: duckdb.DuckDBPyConnection, frameworks_dir: Path) -> list[str]:
    """framework, framework_text, strategy and strategy_text from frameworks.csv and one CSV per
    framework (strategy_id = '<framework_id>:<number>'). Returns the framework ids loaded."""
    index = Path(frameworks_dir) / "frameworks.csv"
    _insert(con, "framework", "framework_id, is_default, source", index, FRAMEWORK_COLUMNS)
    for lang in LANGUAGES:
        _insert(con, "framework_text", f"framework_id, $lang, name_{lang}", index, FRAMEWORK_COLUMNS, lang=lang)
    framework_ids = [
        row[0]
        for row in con.execute(
            f"SELECT framework_id FROM {_READ}", {"path": str(index), "columns": FRAMEWORK_COLUMNS}
        ).fetchall()
    ]
    for framework_id in framework_ids:
        load_strategies(con, framework_id, Path(frameworks_dir) / f"{framework_id}.csv")
    return framework_ids


def load_strategies(con: duckdb.DuckDBPyConnection, framework_id: str, path: Path) -> None:
    """One framework's strategies and their texts in each language."""
    strategy_id = "$framework_id || ':' || number"
    _insert(
        con,
        "strategy",
        f"{strategy_id}, $framework_id, number, coverage_target, priority_weight",
        path,
        STRATEGY_COLUMNS,
        framework_id=framework_id,
    )
    for lang in LANGUAGES:
        _insert(
            con,
            "strategy_text",
            f"{strategy_id}, $lang, short_name_{lang}, description_{lang}",
            path,
            STRATEGY_COLUMNS,
            framework_id=framework_id,
            lang=lang,
        )


def load_reference(con: duckdb.DuckDBPyConnection, reference_dir: Path) -> None:
    """Partner types and metric definitions."""
    reference_dir = Path(reference_dir)
    _insert(con, "partner_type", "*", reference_dir / "partner_types.csv", PARTNER_TYPE_COLUMNS)
    _insert(con, "metric_definition", "*", reference_dir / "metric_definitions.csv", METRIC_DEFINITION_COLUMNS)


def load_demo(con: duckdb.DuckDBPyConnection, demo_dir: Path) -> None:
    """The demo district's tables, in foreign-key order."""
    for table, file_name, columns in DEMO_TABLES:
        _insert(con, table, "*", Path(demo_dir) / file_name, columns)
    load_geometry(con, demo_dir)


# Map geometry files: (geo_feature.kind, file). A missing file is skipped: the map then shows no boundary or zones.
GEOMETRY_FILES = [("boundary", "boundary.geojson"), ("zone", "zones.geojson")]


def load_geometry(con: duckdb.DuckDBPyConnection, demo_dir: Path) -> None:
    """The district boundary and attendance zones into geo_feature, one row per GeoJSON feature,
    its geometry kept as GeoJSON text. Values travel as parameters."""
    demo_dir = Path(demo_dir)
    district_columns = DEMO_TABLES[0][2]
    (district_id,) = con.execute(
        f"SELECT district_id FROM {_READ}", {"path": str(demo_dir / "district.csv"), "columns": district_columns}
    ).fetchone()
    rows = []
    for kind, file_name in GEOMETRY_FILES:
        path = demo_dir / file_name
        if not path.exists():
            continue
        for number, feature in enumerate(json.loads(path.read_text(encoding="utf-8"))["features"]):
            properties = feature.get("properties") or {}
            school_id = properties.get("school_id") if kind == "zone" else None
            geometry = json.dumps(feature["geometry"], separators=(",", ":"))
            feature_id = f"{district_id}:{kind}:{school_id or number + 1}"
            rows.append((feature_id, district_id, kind, school_id, properties.get("name"), geometry))
    if rows:
        con.executemany("INSERT INTO geo_feature VALUES (?, ?, ?, ?, ?, ?)", rows)


def insert_default_setting(con: duckdb.DuckDBPyConnection) -> None:
    """The single setting row, every column at its default (kept if one exists already)."""
    con.execute("INSERT INTO setting (setting_id) VALUES (1) ON CONFLICT DO NOTHING")


def load_reference_and_demo(con: duckdb.DuckDBPyConnection, root: Path, demo_dir: Path | None = None) -> None:
    """Fill an empty schema from the data folder root: frameworks, reference lists, the demo
    district (root/demo unless demo_dir is given) and the default setting row."""
    root = Path(root)
    load_frameworks(con, root / "frameworks")
    load_reference(con, root / "reference")
    load_demo(con, demo_dir or root / "demo")
    insert_default_setting(con)

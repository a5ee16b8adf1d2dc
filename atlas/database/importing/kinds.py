"""What can be imported: the five kinds of file (a district's own measures among them), their
fields, types, rules and the column names districts commonly use for each field.

A kind's fields are the columns of its table (plus `strategies` for partnerships, which
fill partnership_strategy). Field names equal schema column names, so a mapping file, a
template header and the database all speak the same names.
"""

from __future__ import annotations

from atlas.database.importing.fields import (
    BOOL,
    CODE,
    DATE,
    INT,
    MONEY,
    NUMBER,
    PERCENT,
    REF,
    STRATEGIES,
    TEXT,
    YEAR,
    Field,
    Kind,
)

_LAT = Field("latitude", NUMBER, minimum=-90, maximum=90, synonyms=("lat", "y", "latitud"), example="36.7468")
_LON = Field(
    "longitude",
    NUMBER,
    minimum=-180,
    maximum=180,
    synonyms=("lon", "lng", "long", "x", "longitud"),
    example="-119.7726",
)
_ADDRESS = Field(
    "address",
    TEXT,
    synonyms=(
        "street address",
        "location address",
        "lstreet1",
        "primary address",
        "primary address line 1",
        "direccion",
    ),
    example="649 Olive Ave, Riverbend, CA 93792",
)

SCHOOLS = Kind(
    "schools",
    "school",
    ("school_id",),
    (
        Field(
            "school_id",
            TEXT,
            required=True,
            synonyms=(
                "school id",
                "id",
                "nces id",
                "ncessch",
                "nces school id",
                "dbn",
                "system code",
                "school code",
                "code",
                "cds code",
                "state school id",
                "st schid",
                "site id",
                "school number",
                "id escuela",
                "codigo",
                "codigo de escuela",
                "clave",
            ),
            example="RB-E01",
        ),
        Field(
            "district_id",
            REF,
            ref="district",
            synonyms=("district id", "leaid", "lea id", "nces district id", "district code"),
            example="0612345",
        ),
        Field(
            "name",
            TEXT,
            required=True,
            synonyms=(
                "school name",
                "school",
                "sch name",
                "location name",
                "site name",
                "nombre",
                "escuela",
                "nombre de la escuela",
                "nombre escuela",
            ),
            example="Addams Elementary School",
        ),
        Field(
            "level",
            CODE,
            required=True,
            codes="level",
            synonyms=(
                "school level",
                "school type",
                "type",
                "category",
                "location category description",
                "location category",
                "grade level",
                "nivel",
            ),
            example="elementary",
        ),
        Field(
            "grades",
            TEXT,
            synonyms=("grade span", "grade range", "grades served", "grades final text", "grados"),
            example="K-5",
        ),
        _ADDRESS,
        _LAT,
        _LON,
        Field(
            "enrollment",
            INT,
            minimum=0,
            synonyms=("total enrollment", "students", "total students", "member", "membership", "total", "matricula"),
            example="621",
        ),
        Field(
            "title_i_status",
            CODE,
            codes="title_i",
            default="none",
            synonyms=("title i", "title 1", "titlei status", "title i status", "title i school", "titulo i"),
            example="schoolwide",
        ),
        Field(
            "frl_pct",
            PERCENT,
            minimum=0,
            maximum=100,
            synonyms=(
                "frl",
                "frl percent",
                "frpl",
                "free reduced lunch",
                "free or reduced price lunch",
                "percent frl",
                "poverty",
                "percent poverty",
                "low income",
                "economically disadvantaged",
            ),
            example="36.2",
        ),
        Field(
            "el_pct",
            PERCENT,
            minimum=0,
            maximum=100,
            synonyms=(
                "el",
                "ell",
                "el percent",
                "ell percent",
                "english learners",
                "english language learners",
                "percent english language learners",
                "percent ell",
            ),
            example="7.9",
        ),
        Field("region", TEXT, synonyms=("zone", "area", "cluster", "region name", "zona", "region"), example="North"),
        Field(
            "feeder_high_school_id",
            REF,
            ref="school",
            synonyms=("feeder", "feeds into", "feeder high school", "feeder high school id", "high school feeder"),
            example="RB-H01",
        ),
    ),
)

PARTNERS = Kind(
    "partners",
    "partner",
    ("partner_id",),
    (
        Field(
            "partner_id",
            TEXT,
            required=True,
            synonyms=("partner id", "id", "organization id", "vendor id", "code"),
            example="RB-P001",
        ),
        Field(
            "name",
            TEXT,
            required=True,
            synonyms=("partner name", "partner", "organization", "organization name", "agency", "nombre"),
            example="Riverbend Savings & Loan",
        ),
        Field(
            "partner_type_id",
            CODE,
            required=True,
            codes="partner_type",
            synonyms=("partner type", "type", "category", "sector", "organization type", "tipo"),
            example="business",
        ),
        _ADDRESS,
        _LAT,
        _LON,
        Field("contact_name", TEXT, synonyms=("contact", "contact person", "contacto"), private=True),
        Field("contact_email", TEXT, synonyms=("email", "e-mail", "contact e-mail", "correo"), private=True),
        Field("contact_phone", TEXT, synonyms=("phone", "telephone", "phone number", "telefono"), private=True),
        Field(
            "capacity_schools",
            INT,
            minimum=0,
            synonyms=("capacity", "max schools", "schools it can serve", "capacidad"),
            example="3",
        ),
        Field("languages", TEXT, synonyms=("languages spoken", "language", "idiomas"), example="English; Spanish"),
    ),
)

PARTNERSHIPS = Kind(
    "partnerships",
    "partnership",
    ("partnership_id",),
    (
        Field(
            "partnership_id",
            TEXT,
            required=True,
            synonyms=("partnership id", "id", "agreement id", "program id"),
            example="RB-PS0001",
        ),
        Field(
            "partner_id",
            REF,
            required=True,
            ref="partner",
            synonyms=("partner", "partner id", "partner name", "organization", "agency", "socio"),
            example="RB-P014",
        ),
        Field(
            "school_id",
            REF,
            required=True,
            ref="school",
            synonyms=("school", "school id", "school name", "site", "dbn", "escuela"),
            example="RB-E19",
        ),
        Field(
            "status", CODE, required=True, codes="status", synonyms=("partnership status", "estado"), example="active"
        ),
        Field("start_date", DATE, synonyms=("start", "started", "begin date", "fecha de inicio"), example="2024-09-01"),
        Field("end_date", DATE, synonyms=("end", "ended", "end date", "fecha de fin"), example=""),
        Field(
            "students_served",
            INT,
            minimum=0,
            synonyms=("students", "students served", "number of students", "estudiantes"),
            example="120",
        ),
        Field(
            "annual_cost_usd",
            MONEY,
            minimum=0,
            synonyms=("annual cost", "cost", "budget", "amount", "costo"),
            example="12000.00",
        ),
        Field(
            "funding_source",
            CODE,
            codes="funding",
            synonyms=("funding", "fund", "funded by", "financiamiento"),
            example="title_i",
        ),
        Field(
            "is_mou_signed",
            BOOL,
            default=False,
            synonyms=("mou", "mou signed", "signed mou", "agreement signed", "memorandum signed"),
            example="yes",
        ),
        Field(
            "evaluation_measure",
            TEXT,
            synonyms=("evaluation", "outcome measure", "measure", "evaluacion"),
            example="Attendance rate",
        ),
        Field("notes", TEXT, synonyms=("note", "comments", "comment", "notas"), private=True),
        Field(
            "strategies",
            STRATEGIES,
            synonyms=("strategy", "strategies", "nea strategies", "strategy numbers", "estrategias"),
            example="5; 6",
        ),
    ),
)

METRICS = Kind(
    "metrics",
    "metric",
    ("school_id", "school_year", "metric_id"),
    (
        Field(
            "school_id",
            REF,
            required=True,
            ref="school",
            synonyms=("school", "school id", "dbn", "school code", "escuela"),
            example="RB-E01",
        ),
        Field(
            "school_year",
            YEAR,
            required=True,
            synonyms=("year", "school year", "schoolyear", "sy", "academic year", "ciclo escolar"),
            example="2024-25",
        ),
        Field(
            "metric_id",
            CODE,
            required=True,
            codes="metric",
            synonyms=("metric", "measure", "indicator", "metric name", "indicador"),
            example="chronic_absence_pct",
        ),
        Field("value", NUMBER, required=True, synonyms=("rate", "percent", "score", "result", "valor"), example="18.5"),
        Field(
            "n",
            INT,
            required=True,
            minimum=0,
            synonyms=("count", "n count", "denominator", "number tested", "students", "total cohort", "n students"),
            example="420",
        ),
    ),
)

# A district's own measures (metric_definition): what a metric is, before its values are imported.
_LABEL = ("label", "name", "measure name", "metric name")
METRIC_DEFINITIONS = Kind(
    "metric_definitions",
    "metric_definition",
    ("metric_id",),
    (
        Field(
            "metric_id",
            TEXT,
            required=True,
            synonyms=("metric", "measure", "id", "measure id"),
            example="family_involvement_score",
        ),
        Field("label_en", TEXT, required=True, synonyms=(*_LABEL, "english label"), example="Family involvement score"),
        Field(
            "label_es",
            TEXT,
            required=True,
            synonyms=("spanish label", "etiqueta", "nombre"),
            example="Participación familiar",
        ),
        Field("unit", CODE, required=True, codes="unit", synonyms=("units", "unidad"), example="score"),
        Field("is_higher_better", BOOL, required=True, synonyms=("higher is better", "higher better"), example="yes"),
        Field("min_value", NUMBER, required=True, synonyms=("min", "minimum", "lowest"), example="0"),
        Field("max_value", NUMBER, required=True, synonyms=("max", "maximum", "highest"), example="99"),
    ),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in (SCHOOLS, PARTNERS, PARTNERSHIPS, METRICS, METRIC_DEFINITIONS)}

__all__ = [
    "BOOL", "CODE", "DATE", "INT", "KINDS", "METRICS", "METRIC_DEFINITIONS", "MONEY", "NUMBER", "PARTNERS",
    "PARTNERSHIPS", "PERCENT", "REF", "SCHOOLS", "STRATEGIES", "TEXT", "YEAR", "Field", "Kind",
]  # fmt: skip

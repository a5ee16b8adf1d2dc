"""A five-school district small enough to work out every figure by hand.

Framework 'fw' has two strategies: fw:1 (target 1, weight 1) and fw:2 (target 2, weight 2).
Metrics are for 2024-25; the reference date is 2025-01-15.

school  level       region  frl  el  chronic  ELA/math  title I     enrollment
E1      elementary  North   90   30  20       40/20     none        100
E2      elementary  South   50   10  10       60/60     schoolwide  200
M1      middle      North   70   20  30       50/50     none        300
H1      high        North   30   10   5       80/70     none        400
O1      other       South   -    -    -       -         none        -      (no metrics at all)

Partnerships (P2 ended before the date, P3 planned, P5 starts after it, P4 ends on it,
P6 has status 'ended' but its end date is after the reference date):
P1 A→E1 active  2024-09-01..         fw:1      30 students
P2 A→M1 ended   2020-01-01..2024-06-30 fw:1
P3 B→M1 planned                       fw:2
P4 B→H1 active  2023-01-01..2025-01-15 fw:1,fw:2 500 students
P5 B→H1 active  2025-02-01..         fw:2
P6 A→E2 ended   2022-01-01..2025-06-30 fw:2     50 students
P7 C→H1 active  2024-01-01..         fw:2     100 students
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from atlas.database.build import write_atomically

ON_DATE = date(2025, 1, 15)
YEAR = "2024-25"

_ROWS = {
    "district": [("D1", "Tiny District", "CA", True)],
    "school": [
        # school_id, district, name, level, grades, address, lat, lon, enrollment, title I, frl, el, region, feeder
        ("E1", "D1", "Elm Elementary", "elementary", "K-5", None, 36.70, -119.70, 100, "none", 90, 30, "North", "H1"),
        (
            "E2",
            "D1",
            "Oak Elementary",
            "elementary",
            "K-5",
            None,
            36.71,
            -119.71,
            200,
            "schoolwide",
            50,
            10,
            "South",
            "H1",
        ),
        ("M1", "D1", "Maple Middle", "middle", "6-8", None, 36.72, -119.72, 300, "none", 70, 20, "North", "H1"),
        ("H1", "D1", "Hill High", "high", "9-12", None, 36.73, -119.73, 400, "none", 30, 10, "North", "H1"),
        ("O1", "D1", "Open Academy", "other", "K-12", None, None, None, None, "none", None, None, "South", None),
    ],
    "partner_type": [("health", "Hospital / health", "Hospital / salud"), ("business", "Business", "Empresa")],
    "partner": [
        (
            "A",
            "Alpha Clinic",
            "health",
            None,
            36.70,
            -119.70,
            "Ann Private",
            "ann@example.org",
            "555-0100",
            3,
            "English; Spanish",
        ),
        ("B", "Beta Bank", "business", None, 36.73, -119.73, None, None, None, 1, "English"),
        ("C", "Gamma Grocer", "business", None, 36.74, -119.74, None, None, None, None, None),
    ],
    "framework": [("fw", True, "hand-made")],
    "framework_text": [("fw", "en", "Tiny framework"), ("fw", "es", "Marco pequeño")],
    "strategy": [("fw:1", "fw", 1, 1, 1.0), ("fw:2", "fw", 2, 2, 2.0)],
    "strategy_text": [
        ("fw:1", "en", "Listening", "Listen to families."),
        ("fw:1", "es", "Escuchar", "Escuchar a las familias."),
        ("fw:2", "en", "Outreach", "Reach high-need families."),
    ],
    "partnership": [
        # id, partner, school, status, start, end, students, cost, funding, mou, evaluation, notes
        ("P1", "A", "E1", "active", "2024-09-01", None, 30, 0, "in_kind", True, None, None),
        ("P2", "A", "M1", "ended", "2020-01-01", "2024-06-30", None, None, None, False, None, None),
        ("P3", "B", "M1", "planned", None, None, None, None, None, False, None, None),
        ("P4", "B", "H1", "active", "2023-01-01", "2025-01-15", 500, 1000, "grant", True, None, "private note"),
        ("P5", "B", "H1", "active", "2025-02-01", None, None, None, None, False, None, None),
        ("P6", "A", "E2", "ended", "2022-01-01", "2025-06-30", 50, None, None, True, None, None),
        ("P7", "C", "H1", "active", "2024-01-01", None, 100, None, None, False, None, None),
    ],
    "partnership_strategy": [
        ("P1", "fw:1"),
        ("P2", "fw:1"),
        ("P3", "fw:2"),
        ("P4", "fw:1"),
        ("P4", "fw:2"),
        ("P5", "fw:2"),
        ("P6", "fw:2"),
        ("P7", "fw:2"),
    ],
    "metric_definition": [
        ("chronic_absence_pct", "Chronic absence", "Ausentismo crónico", "pct", False, 0, 100),
        ("ela_proficiency_pct", "ELA proficiency", "Dominio de lectura", "pct", True, 0, 100),
        ("math_proficiency_pct", "Math proficiency", "Dominio de matemáticas", "pct", True, 0, 100),
    ],
    "metric": [
        (school, YEAR, metric, value, 50)
        for school, chronic, ela, math in [
            ("E1", 20, 40, 20),
            ("E2", 10, 60, 60),
            ("M1", 30, 50, 50),
            ("H1", 5, 80, 70),
        ]
        for metric, value in [
            ("chronic_absence_pct", chronic),
            ("ela_proficiency_pct", ela),
            ("math_proficiency_pct", math),
        ]
    ],
}


def _fill(con) -> None:
    for table, rows in _ROWS.items():
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    con.execute("INSERT INTO setting (setting_id) VALUES (1)")


def build_tiny_district(path: Path) -> Path:
    write_atomically(path, _fill)
    return path

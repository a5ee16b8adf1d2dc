"""A district laid out along one north–south line, so every distance in the Plan tests is a
whole number of miles and every recommendation can be worked out by hand.

Framework 'fw': fw:1 (target 1, weight 1) and fw:2 (target 1, weight 2). Reference date
2025-01-15. Need comes from FRL % alone (no metrics): need index = 100 × the FRL percentile.

school  level       miles north  FRL  need  high-need  feeder
S1      elementary   0           90   100   yes        S4
S2      elementary   1           80    75   yes        S4
S3      middle       2           70    50   no         S4
S4      high         8           60    25   no         S4
S5      high        20           50     0   no         S5
S6      other       (no location, no FRL: no need, never matched)

partner  miles  capacity  partnerships (strategy)                      serves today  spare
A         0.5   2         P1 A→S3 active fw:1                          S3            1
B         8     unknown   P2 B→S4 active fw:1, fw:2                    S4            1 (unknown)
C         1.5   5         P3 C→S1 ended 2020–2023 fw:2; P4 C→S5 active fw:1  S5      4
D         1     3         P5 D→S2 planned fw:2                         —             3
E         2     1         P7 E→S5 active fw:2                          S5            0
F         1     4         P6 F→S4 active fw:2                          S4            3
G         0     3         P8 G→S4 status 'ended' but ends 2025-06-30, fw:2  S4       2

Uncovered cells: fw:1 at S1, S2, S6; fw:2 at S1, S2, S3, S6.
Partners delivering a strategy today: fw:1 A, B, C; fw:2 B, E, F. Not C for fw:2 (ended),
not D (planned only), not G (its partnership is marked ended, even though its end date is later).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from atlas.database.build import write_atomically
from atlas.domain.filters import Filters

ON_DATE = date(2025, 1, 15)
YEAR = "2024-25"
FILTERS = Filters(framework_id="fw", on_date=ON_DATE, school_year=YEAR)

LATITUDE_0 = 36.70
LONGITUDE = -119.70
MILES_PER_DEGREE = 69.0933  # of latitude, on the sphere distance_miles uses (3,958.8-mile radius)


def latitude(miles_north: float) -> float:
    return LATITUDE_0 + miles_north / MILES_PER_DEGREE


_SCHOOLS = [
    # id, level, miles north, frl, feeder
    ("S1", "Aspen Elementary", "elementary", 0, 90, "S4"),
    ("S2", "Birch Elementary", "elementary", 1, 80, "S4"),
    ("S3", "Cedar Middle", "middle", 2, 70, "S4"),
    ("S4", "Dune High", "high", 8, 60, "S4"),
    ("S5", "Far High", "high", 20, 50, "S5"),
]
_PARTNERS = [
    # id, name, miles north, capacity
    ("A", "Alder Clinic", 0.5, 2),
    ("B", "Birch Bank", 8, None),
    ("C", "Cedar Church", 1.5, 5),
    ("D", "Dogwood Dads Club", 1, 3),
    ("E", "Elm Eatery", 2, 1),
    ("F", "Fir Foundation", 1, 4),
    ("G", "Ginkgo Grocers", 0, 3),
]
_PARTNERSHIPS = [
    # id, partner, school, status, start, end, strategies
    ("P1", "A", "S3", "active", "2024-09-01", None, ["fw:1"]),
    ("P2", "B", "S4", "active", "2023-01-01", None, ["fw:1", "fw:2"]),
    ("P3", "C", "S1", "ended", "2020-01-01", "2023-06-30", ["fw:2"]),
    ("P4", "C", "S5", "active", "2024-01-01", None, ["fw:1"]),
    ("P5", "D", "S2", "planned", None, None, ["fw:2"]),
    ("P6", "F", "S4", "active", "2024-01-01", None, ["fw:2"]),
    ("P7", "E", "S5", "active", "2024-01-01", None, ["fw:2"]),
    ("P8", "G", "S4", "ended", "2024-01-01", "2025-06-30", ["fw:2"]),
]


def _fill(con) -> None:
    con.execute("INSERT INTO district VALUES ('D', 'Line District', 'CA', true)")
    for school_id, name, level, miles, frl, feeder in _SCHOOLS:
        con.execute(
            "INSERT INTO school VALUES (?, 'D', ?, ?, NULL, NULL, ?, ?, 300, 'none', ?, NULL, 'North', ?)",
            [school_id, name, level, latitude(miles), LONGITUDE, frl, feeder],
        )
    con.execute(
        "INSERT INTO school VALUES ('S6', 'D', 'Open Program', 'other', NULL, NULL, NULL, NULL, NULL, 'none',"
        " NULL, NULL, 'North', NULL)"
    )
    con.execute("INSERT INTO partner_type VALUES ('other', 'Other', 'Otro')")
    for partner_id, name, miles, capacity in _PARTNERS:
        con.execute(
            "INSERT INTO partner VALUES (?, ?, 'other', NULL, ?, ?, 'Private Person', 'p@example.org', NULL, ?, NULL)",
            [partner_id, name, latitude(miles), LONGITUDE, capacity],
        )
    con.execute("INSERT INTO framework VALUES ('fw', true, 'hand-made')")
    con.execute("INSERT INTO framework_text VALUES ('fw', 'en', 'Line framework'), ('fw', 'es', 'Marco lineal')")
    con.execute("INSERT INTO strategy VALUES ('fw:1', 'fw', 1, 1, 1.0), ('fw:2', 'fw', 2, 1, 2.0)")
    con.execute(
        "INSERT INTO strategy_text VALUES ('fw:1', 'en', 'Listening', 'Listen.'),"
        " ('fw:1', 'es', 'Escuchar', 'Escuchar.'), ('fw:2', 'en', 'Outreach', 'Reach out.'),"
        " ('fw:2', 'es', 'Alcance', 'Llegar.')"
    )
    for partnership_id, partner_id, school_id, status, start, end, strategy_ids in _PARTNERSHIPS:
        con.execute(
            "INSERT INTO partnership VALUES (?, ?, ?, ?, ?, ?, 50, NULL, NULL, false, NULL, 'private note')",
            [partnership_id, partner_id, school_id, status, start, end],
        )
        for strategy_id in strategy_ids:
            con.execute("INSERT INTO partnership_strategy VALUES (?, ?)", [partnership_id, strategy_id])
    con.execute("INSERT INTO setting (setting_id) VALUES (1)")


def build_plan_district(path: Path) -> Path:
    write_atomically(path, _fill)
    return path

"""The bundled demo district: Riverbend Unified School District, CA (fictional).

Run ``python -m atlas.demo [--out data/demo]``. Every random choice comes from one
``random.Random(SEED)`` (SEED = 20261122), drawn in a fixed order; nothing iterates over a
set or depends on hashing, so the files are byte-identical on every run.

The district: 61 schools (38 elementary, 12 middle, 8 high, 3 other) in 8 feeder patterns
(one per high school) and 3 regions. The South region is clearly poorer: high FRL and EL,
Title I schoolwide, high chronic absence, low proficiency. About 150 partners of all twelve
types, about 400 partnerships, five school years of metrics (2021-22 … 2025-26).

The story, as of 2026-11-22 (AS_OF), for a board to find:

* Real gaps everywhere, and four high-need South elementary schools (the four highest FRL)
  with almost nothing: 0–1 active partnerships each, some ended ones (support that went
  away) and planned ones that would close the gap if switched on.
* NEA Strategy 4 (relevant, on-site professional development) is covered at only six
  schools, under 15 % of the district.
* Strategy 6 (targeted outreach to high-needs communities) is covered far better at
  low-need schools than at high-need ones: a negative equity gap.
* Riverbend High's feeder pattern (RB-H04) loses its support after elementary school: its
  elementary schools are well covered, its middle schools and high school have almost no
  active partnerships.
* A few partners serve three or four neighbouring schools (bundle candidates); some
  partners are at full capacity.
* Small-n metric cells (n < 10, about 2 % of rows): the tiny independent-study school's
  test, graduation and survey results, and the 2021-22 family survey, the first one online,
  which few families answered at many schools.

Partnerships are tagged with NEA strategies chosen from the partner's type; the other three
frameworks' tags follow data/frameworks/crosswalk.csv. Five partnerships are left untagged.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

SEED = 20261122
AS_OF = date(2026, 11, 22)
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "demo"
CROSSWALK = ROOT / "data" / "frameworks" / "crosswalk.csv"

DISTRICT = ("demo-riverbend", "Riverbend Unified School District", "CA", True)
DISTRICT_ID = DISTRICT[0]
CITY = "Riverbend, CA"
NEA = "nea-fscp-2"
OTHER_FRAMEWORKS = ("pta-standards", "epstein-six", "community-schools")
SCHOOL_YEARS = ("2021-22", "2022-23", "2023-24", "2024-25", "2025-26")

# ---------------------------------------------------------------------------------------
# Geometry: plane coordinates in miles east (x) and north (y) of the district's centre.

ORIGIN_LAT, ORIGIN_LON = 36.75, -119.78
MILES_PER_DEG_LAT = 69.05
MILES_PER_DEG_LON = 69.17 * math.cos(math.radians(ORIGIN_LAT))

# The district boundary: a convex polygon, counter-clockwise, about 21 × 17 miles.
BOUNDARY_MILES = [
    (-10.6, -3.0),
    (-9.8, -6.6),
    (-6.2, -8.2),
    (-1.0, -8.7),
    (4.6, -8.2),
    (8.9, -6.5),
    (10.7, -2.4),
    (10.5, 3.4),
    (8.7, 7.0),
    (3.9, 8.5),
    (-2.2, 8.6),
    (-7.4, 7.6),
    (-10.1, 4.2),
]


def to_lat_lon(x: float, y: float) -> tuple[float, float]:
    """Plane miles to (latitude, longitude), rounded to 5 decimals."""
    return (
        round(ORIGIN_LAT + y / MILES_PER_DEG_LAT, 5),
        round(ORIGIN_LON + x / MILES_PER_DEG_LON, 5),
    )


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def edge_margin(polygon: list[tuple[float, float]], x: float, y: float) -> float:
    """Signed distance from (x, y) to the nearest edge of a convex CCW polygon (> 0 inside)."""
    margins = []
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        length = math.hypot(x2 - x1, y2 - y1)
        margins.append(((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)) / length)
    return min(margins)


def clip_half_plane(polygon, a, b, c):
    """Sutherland–Hodgman: the part of a convex polygon where a·x + b·y <= c."""
    result = []
    for p, q in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        fp, fq = a * p[0] + b * p[1] - c, a * q[0] + b * q[1] - c
        if fp <= 0:
            result.append(p)
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            result.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return result


def voronoi_cell(site, others, boundary):
    """The part of the boundary closer to site than to any of the other sites."""
    cell = list(boundary)
    for other in others:
        a, b = 2 * (other[0] - site[0]), 2 * (other[1] - site[1])
        c = other[0] ** 2 + other[1] ** 2 - site[0] ** 2 - site[1] ** 2
        cell = clip_half_plane(cell, a, b, c)
    return cell


# ---------------------------------------------------------------------------------------
# Schools

# (high school id, region, pattern centre in miles, elementary schools, middle schools)
PATTERNS = [
    ("RB-H01", "North", (-6.6, 4.6), 5, 1),
    ("RB-H02", "North", (0.0, 5.2), 4, 2),
    ("RB-H03", "North", (6.4, 4.4), 5, 1),
    ("RB-H04", "Central", (-4.4, 0.2), 5, 2),
    ("RB-H05", "Central", (4.4, -0.2), 5, 1),
    ("RB-H06", "South", (-6.4, -4.6), 5, 2),
    ("RB-H07", "South", (0.0, -5.3), 5, 2),
    ("RB-H08", "South", (6.2, -4.5), 4, 1),
]
BROKEN_FEEDER = "RB-H04"  # support stops after elementary school here
N_NEARLY_EMPTY = 4

HIGH_NAMES = {
    "RB-H01": "Westview High School",
    "RB-H02": "North Valley High School",
    "RB-H03": "Sierra Crest High School",
    "RB-H04": "Riverbend High School",
    "RB-H05": "Eastlake High School",
    "RB-H06": "Del Rio High School",
    "RB-H07": "Southgate High School",
    "RB-H08": "Mission Oak High School",
}
ELEMENTARY_NAMES = [
    "Jane Addams", "Birch Lane", "Cesar Chavez", "Dolores Huerta", "Lincoln", "Oak Grove",
    "Sequoia", "Sycamore", "Willow Creek", "Manzanita", "Mary McLeod Bethune", "Roosevelt",
    "Jefferson", "Kings Canyon", "Sierra Vista", "Valley Oak", "Cottonwood", "Redwood",
    "Hillcrest", "Lakeview", "Orchard Park", "Pinecrest", "Madrone", "Juniper", "Aspen",
    "Emerson", "Sally Ride", "Ellen Ochoa", "Frederick Douglass", "Harriet Tubman",
    "John Muir", "Maya Angelou", "Rosa Parks", "Fremont", "Riverside", "Meadowbrook",
    "Sunnyside", "Jacaranda",
]  # fmt: skip
MIDDLE_NAMES = [
    "Washington", "Kennedy", "Foothill", "Thurgood Marshall", "Sojourner Truth",
    "Ansel Adams", "Amelia Earhart", "Cedar Ridge", "Larkspur", "Granite Peak",
    "Mark Twain", "Buena Vista",
]  # fmt: skip
# (id, name, grades, region, feeder, centre in miles, enrollment range, FRL)
OTHER_SCHOOLS = [
    ("RB-O01", "Pathways Continuation High School", "10-12", "South", None, (1.8, -3.4), (150, 220), 88.0),
    ("RB-O02", "Riverbend STEAM Magnet Academy", "K-8", "Central", "RB-H05", (1.2, 0.9), (360, 400), 46.0),
    ("RB-O03", "Riverbend Independent Study Academy", "K-12", "North", None, (-1.8, 2.6), (80, 95), 41.0),
]  # fmt: skip
REGION_FRL = {"North": 29.0, "Central": 57.0, "South": 79.0}
REGION_ZIPS = {"North": ("93791", "93792"), "Central": ("93793", "93794"), "South": ("93795", "93796")}
STREETS = [
    "Olive Ave", "Cedar Ave", "Shields Ave", "Maple St", "Orchard Ln", "Mission Blvd",
    "Kings River Rd", "Sierra Ave", "Walnut St", "Belmont Ave", "Hawthorne Dr", "Valley View Rd",
    "Palm Ave", "Chestnut Ave", "Ashlan Ave", "Willow Ave", "Clinton Ave", "McKinley Ave",
    "Tulare St", "Ventura Ave", "Church Ave", "Jensen Ave", "Fig Garden Dr", "Harvest Way",
    "Sunset Ave", "Lakeview Dr", "Riverbend Pkwy", "Canal St", "Vineyard Rd", "Alder Ct",
]  # fmt: skip


@dataclass
class School:
    school_id: str
    name: str
    level: str
    grades: str
    region: str
    feeder: str | None
    xy: tuple[float, float]
    enrollment: int
    frl: float
    el: float = 0.0
    title_i: str = "none"
    address: str = ""

    @property
    def is_needy(self) -> bool:
        return self.title_i == "schoolwide" or self.frl >= 72


def place(rng, centre, spread, taken, min_gap):
    """A point near centre, inside the boundary, at least min_gap miles from taken points."""
    for attempt in range(2000):
        gap = min_gap if attempt < 1500 else min_gap / 2
        xy = (centre[0] + rng.uniform(-spread[0], spread[0]), centre[1] + rng.uniform(-spread[1], spread[1]))
        if edge_margin(BOUNDARY_MILES, *xy) < 0.8:
            continue
        if all(distance(xy, t) >= gap for t in taken):
            return xy
    raise RuntimeError("no room to place a school")


def address(rng, region: str) -> str:
    return f"{rng.randint(100, 4999)} {rng.choice(STREETS)}, {CITY} {rng.choice(REGION_ZIPS[region])}"


def title_i_status(level: str, frl: float) -> str:
    if frl >= (80 if level == "high" else 75):
        return "schoolwide"
    return "targeted" if frl >= 45 else "none"


def make_schools(rng: random.Random) -> list[School]:
    schools: list[School] = []
    taken: list[tuple[float, float]] = []
    n_elem = n_mid = 0
    for high_id, region, centre, elem_count, mid_count in PATTERNS:
        offset = rng.uniform(-4, 4)
        spread = (3.2, 2.0) if region == "Central" else (2.5, 2.0)
        elems = []
        for _ in range(elem_count):
            n_elem += 1
            xy = place(rng, centre, spread, taken, 1.0)
            frl = REGION_FRL[region] + offset + rng.uniform(-10, 10)
            name = f"{ELEMENTARY_NAMES[n_elem - 1]} Elementary School"
            grades = "TK-5" if rng.random() < 0.3 else "K-5"
            elems.append(
                School(f"RB-E{n_elem:02d}", name, "elementary", grades, region, high_id, xy, rng.randint(300, 700), frl)
            )
            taken.append(xy)
        mean_frl = sum(s.frl for s in elems) / len(elems)
        schools += elems
        for _ in range(mid_count):
            n_mid += 1
            xy = place(rng, centre, (spread[0] * 0.8, spread[1] * 0.8), taken, 1.0)
            frl = mean_frl - 3 + rng.uniform(-3, 3)
            name = f"{MIDDLE_NAMES[n_mid - 1]} Middle School"
            schools.append(
                School(f"RB-M{n_mid:02d}", name, "middle", "6-8", region, high_id, xy, rng.randint(600, 1100), frl)
            )
            taken.append(xy)
        xy = place(rng, centre, (1.0, 1.0), taken, 0.8)
        frl = mean_frl - 6 + rng.uniform(-3, 3)
        schools.append(
            School(high_id, HIGH_NAMES[high_id], "high", "9-12", region, high_id, xy, rng.randint(1200, 2400), frl)
        )
        taken.append(xy)
    for school_id, name, grades, region, feeder, centre, size, frl in OTHER_SCHOOLS:
        xy = place(rng, centre, (0.5, 0.5), taken, 0.6)
        schools.append(School(school_id, name, "other", grades, region, feeder, xy, rng.randint(*size), frl))
        taken.append(xy)
    mark_nearly_empty_need(rng, schools)
    for school in schools:
        finish_school(rng, school)
    return sorted(schools, key=lambda s: s.school_id)


def nearly_empty_ids(schools: list[School]) -> list[str]:
    """The South elementary schools with the highest FRL: the ones left with almost nothing."""
    south = [s for s in schools if s.level == "elementary" and s.region == "South"]
    south.sort(key=lambda s: (-s.frl, s.school_id))
    return sorted(s.school_id for s in south[:N_NEARLY_EMPTY])


def mark_nearly_empty_need(rng: random.Random, schools: list[School]) -> None:
    """Make the nearly-empty schools unmistakably high-need (FRL 90 or more)."""
    chosen = nearly_empty_ids(schools)
    for school in schools:
        if school.school_id in chosen:
            school.frl = max(school.frl, 90 + rng.uniform(0, 5))


def finish_school(rng: random.Random, school: School) -> None:
    school.frl = round(min(97.0, max(5.0, school.frl)), 1)
    school.el = round(min(75.0, max(1.0, 0.42 * school.frl - 6 + rng.uniform(-5, 5))), 1)
    school.title_i = title_i_status(school.level, school.frl)
    school.address = address(rng, school.region)


def school_rows(schools: list[School]) -> list[list]:
    rows = []
    for s in schools:
        lat, lon = to_lat_lon(*s.xy)
        rows.append([
            s.school_id, DISTRICT_ID, s.name, s.level, s.grades, s.address, f"{lat:.5f}", f"{lon:.5f}",
            s.enrollment, s.title_i, f"{s.frl:.1f}", f"{s.el:.1f}", s.region, s.feeder,
        ])  # fmt: skip
    return rows


# ---------------------------------------------------------------------------------------
# Partners

PARTNER_TYPES = [
    "business", "health", "higher_ed", "service_club", "social_service", "youth",
    "public_housing", "labor_union", "tenant_group", "faith_based", "government", "other",
]  # fmt: skip
# name, region (None = chosen by type), languages (None = chosen at random)
PARTNER_NAMES: dict[str, list[tuple[str, str | None, str | None]]] = {
    "business": [
        ("Riverbend Savings & Loan", "Central", None),
        ("Valley Fresh Markets", None, None),
        ("Central Valley Ag Supply", "South", None),
        ("Tower Street Bakery", "Central", None),
        ("Kings River Credit Union", None, None),
        ("Riverbend Auto Group", "North", None),
        ("Sunrise Dental Associates", "North", None),
        ("Golden State Tire & Service", None, None),
        ("Orchard Lane Coffee Roasters", "North", None),
        ("Sierra Foothill Construction", "North", None),
        ("Paletería La Esperanza", "South", "Spanish; English"),
        ("Westside Hardware", None, None),
        ("Delta Logistics", "South", None),
        ("Blossom Trail Nursery", None, None),
        ("Riverbend Print & Copy", "Central", None),
        ("Mendoza Family Tortillería", "South", "Spanish; English"),
        ("Valley Tech Solutions", "North", None),
        ("Fig Tree Books", "North", None),
        ("Shields Avenue Pharmacy", "Central", None),
        ("Nguyen Brothers Market", "South", "English; Vietnamese"),
        ("Sandhu Trucking", "South", "English; Punjabi"),
        ("Harvest Moon Restaurant", None, None),
        ("Riverbend Chamber of Commerce", "Central", None),
        ("Cedar Street Veterinary Clinic", "North", None),
    ],
    "health": [
        ("Riverbend Community Health Center", "South", "English; Spanish; Hmong"),
        ("Riverbend Regional Medical Center", "Central", None),
        ("Clínica Sierra Linda", "South", "Spanish; English"),
        ("Southside Family Health Clinic", "South", None),
        ("Mindful Valley Counseling", "North", None),
        ("Smile Bus Mobile Dental", None, None),
        ("Kings Vision Care", None, None),
        ("Central Valley Asthma Coalition", "Central", None),
        ("Riverbend Women's & Family Clinic", "Central", None),
        ("Valley Mobile Vision", None, None),
    ],
    "higher_ed": [
        ("Riverbend City College", "Central", None),
        ("California State University, Riverbend", "North", None),
        ("Sierra Valley College of Nursing", "North", None),
        ("San Joaquin Valley Teachers College", "Central", None),
        ("Kings Canyon Community College", "South", None),
        ("Central Valley Institute of Technology", "North", None),
    ],
    "service_club": [
        ("Valley Rotary Club", "North", None),
        ("Riverbend Sunrise Rotary", "Central", None),
        ("Riverbend Lions Club", None, None),
        ("Kiwanis Club of Riverbend", "North", None),
        ("Optimist Club of South Riverbend", "South", None),
        ("Soroptimist International of Riverbend", None, None),
        ("Exchange Club of Riverbend", None, None),
        ("Riverbend Junior League", "North", None),
        ("North Riverbend Lions Club", "North", None),
        ("Altrusa Club of Riverbend", None, None),
        ("Riverbend Elks Lodge 1822", "Central", None),
        ("Knights of Columbus Council 4417", "South", "English; Spanish"),
    ],
    "social_service": [
        ("Riverbend Family Resource Center", "South", "English; Spanish"),
        ("Valley Food Bank", None, None),
        ("Catholic Charities of Riverbend", "Central", "English; Spanish; Vietnamese"),
        ("Hmong Family Services of Riverbend", None, "English; Hmong"),
        ("Centro Latino de Riverbend", "South", "Spanish; English"),
        ("Punjabi Community Services Network", "South", "English; Punjabi"),
        ("Southeast Asian Family Alliance", None, "English; Hmong; Vietnamese"),
        ("Riverbend Legal Aid", "Central", None),
        ("Families First Home Visiting", None, None),
        ("Valley Crisis Center", None, None),
        ("Healthy Start Collaborative", "South", None),
        ("Riverbend Refugee Resettlement", "Central", None),
        ("Foster Youth Alliance", None, None),
        ("Literacy Volunteers of Riverbend", None, None),
        ("Mi Familia Resource Center", "South", "Spanish; English"),
        ("Second Chance Housing Services", "Central", None),
    ],
    "youth": [
        ("Boys & Girls Club of Riverbend", "South", None),
        ("Riverbend YMCA", "Central", None),
        ("Girl Scouts of the Sierra Valley", None, None),
        ("Sierra Valley Scouts Council", None, None),
        ("Big Brothers Big Sisters of Riverbend", None, None),
        ("Riverbend Youth Soccer League", None, None),
        ("4-H Club of Riverbend County", "North", None),
        ("Southside Youth Boxing Club", "South", None),
        ("Valley Youth Orchestra", "North", None),
        ("Police Activities League of Riverbend", None, None),
        ("Hmong Youth Leadership Council", None, "English; Hmong"),
        ("Ballet Folklórico Juvenil Xóchitl", "South", "Spanish; English"),
        ("Teen Tech Makers", "North", None),
        ("Riverbend Little League", None, None),
        ("Camp Fire Sierra Valley", None, None),
        ("Youth Leadership Riverbend", None, None),
    ],
    "public_housing": [
        ("Riverbend Housing Authority", "Central", None),
        ("Cedar Courts Apartments", "South", None),
        ("Sunset Gardens Family Housing", "South", None),
        ("Southgate Terrace Housing Community", "South", None),
        ("Parkside Village Housing", "Central", None),
        ("Las Palmas Family Housing", "South", "Spanish; English"),
    ],
    "labor_union": [
        ("Riverbend Teachers Association", "Central", None),
        ("Service Employees Local 3021", "Central", None),
        ("Central Valley Building Trades Council", "South", None),
        ("Electrical Workers Local 1178", "Central", None),
        ("Valley Farmworkers Union Local 14", "South", "Spanish; English"),
        ("Classified School Employees Chapter 842", None, None),
    ],
    "tenant_group": [
        ("Mariposa Homes Resident Council", "South", None),
        ("Southgate Tenants United", "South", "English; Spanish"),
        ("Olive Street Tenants Association", "Central", None),
        ("Parkside Village Residents Association", "Central", None),
        ("Las Palmas Neighbors Council", "South", "Spanish; English"),
        ("Westview Mobile Home Residents", "North", None),
        ("Tower District Renters Union", "Central", None),
        ("Cedar Courts Resident Council", "South", None),
        ("Eastgate Apartments Tenants Committee", None, None),
        ("Sunnyside Renters Alliance", None, None),
    ],
    "faith_based": [
        ("St. Anne's Parish", "Central", "English; Spanish"),
        ("Iglesia Bautista Nueva Vida", "South", "Spanish; English"),
        ("First Presbyterian Church of Riverbend", "North", None),
        ("Guru Nanak Sikh Temple of Riverbend", "South", "English; Punjabi"),
        ("Hmong Christian Alliance Church", None, "English; Hmong"),
        ("Temple Beth Shalom", "North", None),
        ("Islamic Center of Riverbend", "Central", None),
        ("Grace Lutheran Church", "North", None),
        ("Mount Zion Missionary Baptist Church", "South", None),
        ("Our Lady of Guadalupe Parish", "South", "Spanish; English"),
        ("Lao Buddhist Temple of Riverbend", None, None),
        ("St. Thomas Vietnamese Catholic Community", None, "English; Vietnamese"),
        ("Riverbend Friends Meeting", "North", None),
        ("Bethel AME Church", "Central", None),
        ("Calvary Chapel Riverbend", None, None),
        ("St. Mark's Episcopal Church", "North", None),
        ("Templo La Hermosa", "South", "Spanish; English"),
        ("Riverbend Interfaith Council", None, None),
        ("New Hope Community Church", None, None),
        ("Sacred Heart Parish", None, "English; Spanish"),
    ],
    "government": [
        ("Riverbend Public Library", "Central", None),
        ("Riverbend Public Library – Southgate Branch", "South", None),
        ("Riverbend Public Library – North Branch", "North", None),
        ("Riverbend Parks & Recreation", None, None),
        ("Riverbend County Department of Public Health", "Central", None),
        ("Riverbend County Behavioral Health", "Central", None),
        ("Riverbend Police Department", None, None),
        ("Riverbend Fire Department", None, None),
        ("Riverbend County Department of Social Services", "South", None),
        ("Riverbend Transit", "Central", None),
        ("City of Riverbend Office of Neighborhoods", "Central", None),
        ("Riverbend County Probation Youth Services", None, None),
    ],
    "other": [
        ("Riverbend Museum of Art", "Central", None),
        ("Valley Discovery Science Museum", "North", None),
        ("Riverbend Historical Society", None, None),
        ("Hmong Cultural Center of Riverbend", None, "English; Hmong"),
        ("Casa de la Cultura Riverbend", "South", "Spanish; English"),
        ("Riverbend Zoo", None, None),
        ("Valley Botanical Garden", "North", None),
        ("Punjabi Cultural Association", None, "English; Punjabi"),
        ("Riverbend Symphony", "North", None),
        ("Vietnamese American Cultural Center", None, "English; Vietnamese"),
        ("Riverbend Community Theater", None, None),
        ("Sierra Nature Center", "North", None),
    ],
}
TYPE_REGIONS = {  # where partners of a type tend to be: North, Central, South
    "business": (4, 4, 2), "health": (2, 5, 3), "higher_ed": (4, 5, 1), "service_club": (5, 3, 2),
    "social_service": (2, 3, 5), "youth": (3, 3, 4), "public_housing": (0, 3, 7), "labor_union": (0, 6, 4),
    "tenant_group": (1, 4, 5), "faith_based": (3, 3, 4), "government": (3, 4, 3), "other": (3, 5, 2),
}  # fmt: skip
TYPE_CAPACITY = {  # weights of a partner's capacity 1..6 by type
    "business": (2, 3, 3, 2, 1, 1), "health": (1, 1, 2, 3, 3, 3), "higher_ed": (1, 1, 2, 2, 3, 3),
    "service_club": (2, 3, 3, 2, 1, 1), "social_service": (1, 2, 3, 3, 2, 2), "youth": (1, 2, 3, 3, 2, 2),
    "public_housing": (3, 3, 2, 1, 0, 0), "labor_union": (3, 3, 2, 1, 1, 0), "tenant_group": (4, 3, 1, 0, 0, 0),
    "faith_based": (3, 3, 2, 1, 1, 0), "government": (1, 1, 2, 2, 3, 4), "other": (1, 2, 2, 3, 2, 2),
}  # fmt: skip
RANDOM_LANGUAGES = (
    ("English", 30), ("English; Spanish", 45), ("English; Spanish; Hmong", 10),
    ("English; Spanish; Punjabi", 6), ("English; Spanish; Vietnamese", 5), ("English; Hmong", 4),
)  # fmt: skip
CONTACT_FIRST = [
    "Marisol", "Tou", "Harpreet", "Linh", "DeShawn", "Guadalupe", "Yer", "Baljit", "Thanh",
    "Rosalind", "Efraín", "Pa Houa", "Imogen", "Anselmo", "Xiong", "Juniper", "Cornelius",
    "Esperanza", "Navdeep", "Quang", "Winifred", "Leticia", "Bao", "Thaddeus", "Maribel",
    "Ignatius", "Kalani", "Dolores", "Rupinder", "Evangeline", "Osvaldo", "Mai Nou",
    "Percival", "Yesenia", "Hieu", "Octavia", "Gurpreet", "Florencio", "Zenobia", "Mateo",
]  # fmt: skip
CONTACT_LAST = [
    "Quintanilla", "Vang", "Sandhu", "Nguyen", "Whitfield", "Okafor", "Thao", "Gill", "Tran",
    "Castellanos", "Lindqvist", "Her", "Dhaliwal", "Pham", "Abernathy", "Villaseñor", "Moua",
    "Grewal", "Kowalczyk", "Arredondo", "Fairbanks", "Lor", "Bhullar", "Huynh", "Zamudio",
    "Pettigrew", "Xiong", "Oyelaran", "Montemayor", "Yang", "Sokolova", "Espinoza",
]  # fmt: skip
HUBS = [  # partners that serve a cluster of neighbouring schools: (name, schools, capacity full?)
    ("Tower Street Bakery", 3, True),
    ("Valley Rotary Club", 4, False),
    ("Iglesia Bautista Nueva Vida", 3, True),
    ("Boys & Girls Club of Riverbend", 4, False),
    ("Riverbend Public Library – North Branch", 3, False),
]


@dataclass
class Partner:
    partner_id: str
    name: str
    type: str
    region: str
    xy: tuple[float, float]
    languages: str
    max_schools: int
    contact: tuple[str, str, str]
    address: str = ""
    capacity: int | None = None


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def make_contact(rng: random.Random, index: int, seen: set) -> tuple[str, str, str]:
    """A distinctive fictional contact: double surname, example.org email, 555-01xx phone."""
    while True:
        first, last1, last2 = rng.choice(CONTACT_FIRST), rng.choice(CONTACT_LAST), rng.choice(CONTACT_LAST)
        if last1 != last2 and (first, last1, last2) not in seen:
            break
    seen.add((first, last1, last2))
    name = f"{first} {last1}-{last2}"
    email = f"{ascii_slug(first)}.{ascii_slug(last1)}{ascii_slug(last2)}@example.org"
    area = "559" if index < 100 else "209"
    return name, email, f"{area}-555-01{index % 100:02d}"


def partner_location(rng, region: str, schools: list[School]) -> tuple[float, float]:
    anchors = [s for s in schools if s.region == region and s.level != "other"]
    while True:
        anchor = rng.choice(anchors)
        radius, angle = rng.uniform(0.2, 1.3), rng.uniform(0, 2 * math.pi)
        xy = (anchor.xy[0] + radius * math.cos(angle), anchor.xy[1] + radius * math.sin(angle))
        if edge_margin(BOUNDARY_MILES, *xy) > 0.3:
            return xy


def make_partners(rng: random.Random, schools: list[School]) -> list[Partner]:
    partners, seen = [], set()
    regions = ("North", "Central", "South")
    for partner_type in PARTNER_TYPES:
        for name, region, languages in PARTNER_NAMES[partner_type]:
            index = len(partners)
            region = region or rng.choices(regions, TYPE_REGIONS[partner_type])[0]
            if languages is None:
                options, weights = zip(*RANDOM_LANGUAGES, strict=True)
                languages = rng.choices(options, weights)[0]
            partner = Partner(
                partner_id=f"RB-P{index + 1:03d}",
                name=name,
                type=partner_type,
                region=region,
                xy=partner_location(rng, region, schools),
                languages=languages,
                max_schools=rng.choices(range(1, 7), TYPE_CAPACITY[partner_type])[0],
                contact=make_contact(rng, index, seen),
            )
            partner.address = address(rng, region)
            partners.append(partner)
    return partners


def partner_rows(partners: list[Partner]) -> list[list]:
    rows = []
    for p in partners:
        lat, lon = to_lat_lon(*p.xy)
        rows.append([
            p.partner_id, p.name, p.type, p.address, f"{lat:.5f}", f"{lon:.5f}", *p.contact, p.capacity, p.languages,
        ])  # fmt: skip
    return rows


# ---------------------------------------------------------------------------------------
# Partnerships

LEVEL_PREFERENCE = {  # how likely a partner type works with a school level
    "elementary": {"higher_ed": 0.4, "labor_union": 0.3, "health": 1.3, "social_service": 1.2},
    "middle": {"youth": 1.6, "higher_ed": 0.8, "labor_union": 0.5, "public_housing": 0.7},
    "high": {"higher_ed": 2.2, "business": 1.6, "labor_union": 1.5, "youth": 1.2, "tenant_group": 0.4},
    "other": {"social_service": 1.6, "youth": 1.3, "higher_ed": 1.2, "tenant_group": 0.3},
}
WIDE_TYPES = ("health", "higher_ed", "government")  # partners that travel across the district
TYPE_STRATEGIES = {  # NEA strategy weights by partner type
    "business": {5: 3, 10: 3, 8: 2, 3: 1},
    "health": {6: 3, 7: 2, 5: 2, 2: 1},
    "higher_ed": {3: 3, 8: 2, 10: 2, 4: 2},
    "service_club": {5: 3, 10: 2, 1: 1, 8: 1},
    "social_service": {6: 3, 2: 2, 9: 2, 7: 1},
    "youth": {10: 3, 7: 2, 8: 2, 5: 1},
    "public_housing": {6: 3, 2: 2, 9: 1},
    "labor_union": {10: 3, 1: 2, 5: 2},
    "tenant_group": {2: 3, 6: 3, 1: 1},
    "faith_based": {9: 3, 2: 3, 6: 2, 1: 1},
    "government": {3: 2, 5: 2, 10: 2, 7: 2},
    "other": {10: 3, 8: 2, 9: 2},
}
STUDENTS_SERVED = {
    "business": (20, 120), "health": (40, 260), "higher_ed": (15, 90), "service_club": (20, 150),
    "social_service": (25, 180), "youth": (30, 200), "public_housing": (15, 80), "labor_union": (10, 60),
    "tenant_group": (10, 70), "faith_based": (20, 120), "government": (50, 400), "other": (60, 500),
}  # fmt: skip
FUNDING = {
    "business": {"in_kind": 5, "partner_funded": 4, "general_fund": 1},
    "health": {"partner_funded": 3, "grant": 3, "other_federal": 2, "title_i": 1, "general_fund": 1},
    "higher_ed": {"partner_funded": 4, "grant": 3, "general_fund": 3},
    "service_club": {"in_kind": 6, "partner_funded": 4},
    "social_service": {"grant": 4, "title_i": 2, "other_federal": 2, "general_fund": 2},
    "youth": {"grant": 3, "general_fund": 3, "title_i": 2, "partner_funded": 2},
    "public_housing": {"in_kind": 5, "other_federal": 5},
    "labor_union": {"in_kind": 6, "partner_funded": 4},
    "tenant_group": {"in_kind": 1},
    "faith_based": {"in_kind": 8, "partner_funded": 2},
    "government": {"in_kind": 5, "general_fund": 3, "other_federal": 2},
    "other": {"grant": 4, "general_fund": 3, "partner_funded": 3},
}
EVALUATION_MEASURES = {  # by the partnership's first NEA strategy
    1: ["Family survey score"], 2: ["Family survey score"], 3: ["Chronic absence rate", "Math proficiency"],
    4: ["ELA proficiency"], 5: ["Attendance rate"], 6: ["Chronic absence rate", "Attendance rate"],
    7: ["ELA proficiency", "Family survey score"], 8: ["Math proficiency", "ELA proficiency"],
    9: ["Family survey score"], 10: ["Suspensions per 100", "Attendance rate"],
}  # fmt: skip
NOTE_TEXTS = [
    "{who} asked to move sessions to Thursday afternoons; confirm the room with the office.",
    "Coordinator on leave until spring; {who} is covering in the meantime.",
    "Invoice for last semester still open; {who} following up with the business office.",
    "Families asked for interpretation at evening events; {who} checking volunteers.",
    "Partner wants signed photo releases before any social media posts, says {who}.",
    "Renewal depends on a grant decision expected in March; {who} tracking it.",
    "Volunteers still need fingerprint clearance before they can start, per {who}.",
    "Bus for field trips not yet approved by transportation; {who} to escalate.",
    "Great turnout at the fall family night; {who} says the partner wants to expand.",
    "Principal changed mid-year; {who} to re-introduce the partner to the new principal.",
    "Partner lost its site lead; {who} thinks they may pull back next year.",
    "Data-sharing agreement pending legal review; {who} has the draft.",
]
NOTE_WRITERS = [
    "Ms. Varga", "Mr. Ochoa", "Dr. Lee", "Ms. Khang", "Mr. Brandt", "Ms. Dhillon", "Mr. Truong", "Ms. Abara",
]  # fmt: skip


@dataclass
class Partnership:
    partner: Partner
    school: School
    status: str
    nea: list[int] = field(default_factory=list)
    partnership_id: str = ""
    start: date | None = None
    end: date | None = None
    students: int | None = None
    cost: float | None = None
    funding: str | None = None
    mou: bool = False
    evaluation: str | None = None
    notes: str | None = None


def plan_counts(rng: random.Random, schools: list[School]) -> dict[str, dict[str, int]]:
    """How many active, ended and planned partnerships each school gets."""
    empty = nearly_empty_ids(schools)
    counts = {}
    for s in schools:
        if s.school_id in empty:
            n_active = 0 if empty.index(s.school_id) < 2 else 1
            counts[s.school_id] = {"active": n_active, "ended": 2 - n_active, "planned": 1 + (n_active == 0)}
        elif s.feeder == BROKEN_FEEDER and s.level in ("middle", "high"):
            counts[s.school_id] = {"active": int(s.level == "high"), "ended": 1, "planned": 1}
        elif s.feeder == BROKEN_FEEDER and s.level == "elementary":
            counts[s.school_id] = {"active": rng.randint(7, 9), "ended": rng.randint(0, 1), "planned": 0}
        else:
            counts[s.school_id] = ordinary_counts(rng, s)
    return counts


def ordinary_counts(rng: random.Random, s: School) -> dict[str, int]:
    low, high = {"elementary": (3, 8), "middle": (3, 7), "high": (5, 9), "other": (1, 3)}[s.level]
    if s.is_needy:
        low = max(2, low - 1)
    return {
        "active": rng.randint(low, high),
        "ended": rng.randint(1, 2) if s.is_needy else rng.choice((0, 1, 1, 2, 2)),
        "planned": rng.randint(1, 2) if s.is_needy else rng.choice((0, 0, 1, 1, 0)),
    }


def is_special(school: School, empty: list[str]) -> bool:
    return school.school_id in empty or (school.feeder == BROKEN_FEEDER and school.level != "elementary")


def make_hub_partnerships(partners, schools, counts, empty) -> list[Partnership]:
    """Hub partners take one active slot at each of their nearest ordinary schools."""
    result = []
    by_name = {p.name: p for p in partners}
    for name, n_schools, is_full in HUBS:
        hub = by_name[name]
        nearby = [s for s in schools if not is_special(s, empty) and counts[s.school_id]["active"] > 0]
        nearby.sort(key=lambda s: (distance(s.xy, hub.xy), s.school_id))
        for school in nearby[:n_schools]:
            counts[school.school_id]["active"] -= 1
            result.append(Partnership(hub, school, "active"))
        hub.max_schools = n_schools if is_full else n_schools + 2
    return result


def pick_partner(rng, school, status, partners, used, load) -> Partner:
    candidates, weights = [], []
    for p in partners:
        if (p.partner_id, school.school_id) in used:
            continue
        if status == "active" and load.get(p.partner_id, 0) >= p.max_schools:
            continue
        scale = 5.0 if p.type in WIDE_TYPES else 2.0
        preference = LEVEL_PREFERENCE[school.level].get(p.type, 1.0)
        candidates.append(p)
        weights.append(preference * math.exp(-distance(p.xy, school.xy) / scale))
    return rng.choices(candidates, weights)[0]


def make_partnership_list(rng, schools, partners) -> list[Partnership]:
    empty = nearly_empty_ids(schools)
    counts = plan_counts(rng, schools)
    result = make_hub_partnerships(partners, schools, counts, empty)
    used = {(p.partner.partner_id, p.school.school_id) for p in result}
    load: dict[str, int] = {}
    for p in result:
        load[p.partner.partner_id] = load.get(p.partner.partner_id, 0) + 1
    for school in schools:
        for status in ("active", "ended", "planned"):
            for _ in range(counts[school.school_id][status]):
                partner = pick_partner(rng, school, status, partners, used, load)
                used.add((partner.partner_id, school.school_id))
                if status == "active":
                    load[partner.partner_id] = load.get(partner.partner_id, 0) + 1
                result.append(Partnership(partner, school, status))
    return result


def weighted_sample(rng: random.Random, weights: dict[int, int], k: int) -> list[int]:
    pool = dict(weights)
    chosen = []
    while pool and len(chosen) < k:
        options = sorted(pool)
        pick = rng.choices(options, [pool[o] for o in options])[0]
        chosen.append(pick)
        del pool[pick]
    return chosen


def tag_strategies(rng: random.Random, p: Partnership) -> None:
    """1–3 NEA strategies from the partner's type; Strategy 6 skewed towards low-need schools."""
    k = rng.choices((1, 2, 3), (4, 4, 2))[0]
    weights = {n: w for n, w in TYPE_STRATEGIES[p.partner.type].items() if n != 4}
    tags = weighted_sample(rng, weights, k)
    if p.status == "active" and p.school.is_needy and 6 in tags and rng.random() < 0.75:
        tags.remove(6)
    elif p.status == "active" and not p.school.is_needy and 6 not in tags and len(tags) < 3 and rng.random() < 0.25:
        tags.append(6)
    if not tags:
        tags = weighted_sample(rng, {n: w for n, w in weights.items() if n != 6}, 1)
    p.nea = sorted(tags)


def tag_story_strategies(rng: random.Random, partnerships: list[Partnership], empty: list[str]) -> None:
    """Strategy 4 at six low-need schools only; gap-closing plans; five untagged partnerships."""
    active = [p for p in partnerships if p.status == "active"]
    with_college = sorted({p.school.school_id for p in active if p.partner.type == "higher_ed"})
    low_need = sorted({p.school.school_id for p in active if not p.school.is_needy and not is_special(p.school, empty)})
    preferred = rng.sample([s for s in low_need if s in with_college], 4)
    chosen = preferred + rng.sample([s for s in low_need if s not in preferred], 2)
    for school_id in chosen:
        options = [p for p in active if p.school.school_id == school_id]
        options.sort(key=lambda p: (p.partner.type != "higher_ed", p.partner.partner_id))
        add_tags(options[0], (4,))
    for p in partnerships:
        if p.status == "planned" and p.school.school_id in empty:
            p.nea = sorted(rng.sample((2, 6, 7, 9), 2))
        elif p.status == "planned" and p.school.feeder == BROKEN_FEEDER and p.school.level != "elementary":
            p.nea = sorted(rng.sample((5, 7, 8, 10), 2))
    needy_planned = [p for p in partnerships if p.status == "planned" and p.school.is_needy]
    needy_ended = [p for p in partnerships if p.status == "ended" and p.school.is_needy]
    for p in rng.sample(needy_planned, 3) + rng.sample(needy_ended, 2):
        add_tags(p, (4, 6))
    untag_a_few(rng, active, empty)


def add_tags(p: Partnership, extra: tuple[int, ...]) -> None:
    """Add NEA strategies, dropping the partnership's last ones to stay within three."""
    kept = [n for n in p.nea if n not in extra][: 3 - len(extra)]
    p.nea = sorted(kept + list(extra))


def untag_a_few(rng: random.Random, active: list[Partnership], empty: list[str]) -> None:
    hubs = [name for name, _, _ in HUBS]
    ordinary = [
        p
        for p in active
        if not is_special(p.school, empty)
        and p.partner.name not in hubs
        and 4 not in p.nea
        and p.school.feeder != BROKEN_FEEDER
    ]
    for p in rng.sample(ordinary, 5):
        p.nea = []


def random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def school_year_start(rng: random.Random, year: int) -> date:
    """A start date in the school year that begins in August of year."""
    if rng.random() < 0.6:
        return random_date(rng, date(year, 8, 10), date(year, 9, 30))
    return random_date(rng, date(year, 10, 1), date(year + 1, 5, 15))


def set_dates(rng: random.Random, p: Partnership, empty: list[str]) -> None:
    if p.status == "active":
        p.start = school_year_start(rng, rng.choice(range(2019, 2027)))
        if p.start > date(2026, 9, 30):
            p.start = random_date(rng, date(2026, 8, 10), date(2026, 9, 30))
        if rng.random() < 0.1:
            p.end = date(rng.choice((2027, 2028)), 6, 30)
    elif p.status == "ended":
        recent = p.school.school_id in empty or p.school.feeder == BROKEN_FEEDER
        year = rng.choice((2022, 2023)) if recent else rng.choice(range(2019, 2025))
        p.start = school_year_start(rng, year)
        p.end = date(min(2026, p.start.year + rng.randint(1, 3)), 6, 30)
        if recent:
            p.end = date(rng.choice((2025, 2026)), 6, 30)
        if p.end <= p.start:
            p.end = date(p.start.year + 1, 6, 30)
    elif rng.random() < 0.6:
        p.start = random_date(rng, date(2027, 1, 4), date(2027, 8, 16))


def note_code(rng: random.Random, taken: set[int]) -> str:
    """A four-character code no other note has, so each private note is unique."""
    while (code := rng.randint(0x1000, 0xFFFF)) in taken:
        pass
    taken.add(code)
    return f"{code:04X}"


def set_money_and_more(rng: random.Random, p: Partnership, note_codes: set[int]) -> None:
    low, high = STUDENTS_SERVED[p.partner.type]
    if p.status != "planned" or rng.random() < 0.7:
        p.students = min(p.school.enrollment, rng.randint(low, high))
    options = sorted(FUNDING[p.partner.type])
    p.funding = rng.choices(options, [FUNDING[p.partner.type][o] for o in options])[0]
    if p.funding == "title_i" and p.school.title_i == "none":
        p.funding = "general_fund"
    p.cost = 0.0 if p.funding == "in_kind" else round(math.exp(rng.uniform(math.log(1500), math.log(60000))), -2)
    p.mou = rng.random() < {"active": 0.8, "ended": 0.85, "planned": 0.1}[p.status]
    p.evaluation = evaluation_measure(rng, p)
    if rng.random() < 0.65:
        text = rng.choice(NOTE_TEXTS).format(who=rng.choice(NOTE_WRITERS))
        p.notes = f"{text} (internal ref RBN-{note_code(rng, note_codes)})"


def evaluation_measure(rng: random.Random, p: Partnership) -> str | None:
    if not p.nea or rng.random() < 0.25:
        return None
    measures = list(EVALUATION_MEASURES[p.nea[0]])
    if p.school.level == "high" and 10 in p.nea:
        measures.append("Graduation rate")
    return rng.choice(measures)


def set_capacities(rng: random.Random, partners: list[Partner], partnerships: list[Partnership]) -> None:
    """Capacity never below the schools a partner serves now; some partners exactly full."""
    serving: dict[str, int] = {}
    for p in partnerships:
        if p.status == "active":
            serving[p.partner.partner_id] = serving.get(p.partner.partner_id, 0) + 1
    hubs = {name: full for name, _, full in HUBS}
    for partner in partners:
        now = serving.get(partner.partner_id, 0)
        if partner.name in hubs:
            partner.capacity = partner.max_schools
        elif rng.random() < 0.04:
            partner.capacity = None
        elif now > 0 and rng.random() < 0.15:
            partner.capacity = now
        else:
            partner.capacity = min(6, max(1, now + rng.randint(1, 2), partner.max_schools))


def make_partnerships(rng: random.Random, schools: list[School], partners: list[Partner]) -> list[Partnership]:
    empty = nearly_empty_ids(schools)
    partnerships = make_partnership_list(rng, schools, partners)
    for p in partnerships:
        tag_strategies(rng, p)
    tag_story_strategies(rng, partnerships, empty)
    note_codes: set[int] = set()
    for p in partnerships:
        set_dates(rng, p, empty)
        set_money_and_more(rng, p, note_codes)
    set_capacities(rng, partners, partnerships)
    partnerships.sort(key=lambda p: (p.start or date(9999, 1, 1), p.school.school_id, p.partner.partner_id))
    for number, p in enumerate(partnerships, start=1):
        p.partnership_id = f"RB-PS{number:04d}"
    return partnerships


def partnership_rows(partnerships: list[Partnership]) -> list[list]:
    rows = []
    for p in partnerships:
        cost = None if p.cost is None else f"{p.cost:.2f}"
        rows.append([
            p.partnership_id, p.partner.partner_id, p.school.school_id, p.status, p.start, p.end,
            p.students, cost, p.funding, p.mou, p.evaluation, p.notes,
        ])  # fmt: skip
    return rows


def read_crosswalk(path: Path) -> dict[int, list[tuple[str, int]]]:
    crosswalk: dict[int, list[tuple[str, int]]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            crosswalk.setdefault(int(row["nea_number"]), []).append((row["framework_id"], int(row["number"])))
    return crosswalk


def strategy_rows(partnerships: list[Partnership], crosswalk) -> list[list]:
    """NEA tags plus the crosswalked tags of the other frameworks, in a fixed order."""
    rows = []
    for p in sorted(partnerships, key=lambda p: p.partnership_id):
        tags = [(NEA, n) for n in p.nea]
        for n in p.nea:
            tags += crosswalk.get(n, [])
        order = (NEA, *OTHER_FRAMEWORKS)
        for framework, number in sorted(set(tags), key=lambda t: (order.index(t[0]), t[1])):
            rows.append([p.partnership_id, f"{framework}:{number}"])
    return rows


# ---------------------------------------------------------------------------------------
# Metrics


@dataclass
class SchoolTrend:
    """A school's own small deviations, drawn once so its years move together."""

    chronic: float
    proficiency: float
    survey: float
    growth: float
    response: float


YEAR_CHRONIC = (1.45, 1.32, 1.16, 1.06, 1.0)  # chronic absence peaked after the pandemic
YEAR_PROFICIENCY = (-4.0, -2.6, -1.2, -0.4, 0.0)
YEAR_SUSPENSIONS = (0.8, 1.12, 1.06, 1.0, 0.95)
YEAR_SURVEY_RESPONSE = (0.1, 0.45, 0.75, 0.9, 1.0)  # few families answered the first online survey, 2021-22
TESTED_SHARE = {"elementary": 0.5, "middle": 1.0, "high": 0.25}
OTHER_METRIC_SHAPE = {  # tested share, cohort share, proficiency shift, chronic shift
    "RB-O01": (0.33, 0.3, -14.0, 18.0),
    "RB-O02": (0.67, None, 6.0, -2.0),
    "RB-O03": (0.08, 0.08, -8.0, 6.0),
}


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def metric_rows(rng: random.Random, schools: list[School]) -> list[list]:
    rows = []
    for school in schools:
        trend = SchoolTrend(
            chronic=rng.uniform(-3, 3),
            proficiency=rng.uniform(-5, 5),
            survey=rng.uniform(-0.12, 0.12),
            growth=rng.uniform(-0.02, 0.02),
            response=rng.uniform(0.8, 1.2),
        )
        for t, year in enumerate(SCHOOL_YEARS):
            for metric_id, value, n in school_year_metrics(rng, school, trend, t):
                rows.append([school.school_id, year, metric_id, f"{value:.1f}", n])
    return rows


def school_year_metrics(rng, school: School, trend: SchoolTrend, t: int):
    enrolled = round(school.enrollment * (1 + trend.growth * (t - 4)))
    tested_share, cohort_share, prof_shift, chronic_shift = OTHER_METRIC_SHAPE.get(
        school.school_id, (TESTED_SHARE.get(school.level, 0.5), 0.24, 0.0, 0.0)
    )
    level_chronic = {"elementary": 0.0, "middle": 2.0, "high": 4.0, "other": 0.0}[school.level]
    chronic = (6 + 0.28 * school.frl + level_chronic + chronic_shift + trend.chronic) * YEAR_CHRONIC[t]
    chronic = clamp(chronic + rng.uniform(-0.8, 0.8), 1, 80)
    attendance = clamp(97.6 - 0.27 * chronic + rng.uniform(-0.4, 0.4), 60, 99.5)
    level_prof = {"elementary": 0.0, "middle": -2.0, "high": 3.0, "other": 0.0}[school.level]
    ela = 78 - 0.55 * school.frl + level_prof + prof_shift + trend.proficiency + YEAR_PROFICIENCY[t]
    ela = clamp(ela + rng.uniform(-1.5, 1.5), 2, 98)
    math_extra = 4.0 if school.level == "middle" else 0.0
    maths = clamp(ela - 8 - math_extra + rng.uniform(-2, 2), 1, 98)
    tested = round(enrolled * tested_share * rng.uniform(0.95, 0.99))
    yield "attendance_rate_pct", attendance, enrolled
    yield "chronic_absence_pct", chronic, enrolled
    yield "ela_proficiency_pct", ela, tested
    yield "math_proficiency_pct", maths, tested
    yield "suspensions_per_100", suspensions(rng, school, t), enrolled
    if school.level == "high" or (school.level == "other" and cohort_share and school.grades.endswith("12")):
        yield graduation(rng, school, enrolled, cohort_share, t)
    yield family_survey(rng, school, trend, enrolled, t)


def suspensions(rng: random.Random, school: School, t: int) -> float:
    base = {"elementary": 0.4 + 0.05 * school.frl, "middle": 2.0 + 0.12 * school.frl, "high": 1.5 + 0.09 * school.frl}
    value = base.get(school.level, 3.0 + 0.1 * school.frl) * YEAR_SUSPENSIONS[t]
    return clamp(value + rng.uniform(-0.5, 0.5), 0, 100)


def graduation(rng, school: School, enrolled: int, cohort_share: float, t: int):
    if school.level == "high":
        value = 97 - 0.18 * school.frl + 0.3 * t
    else:
        value = 62 + 1.0 * t if school.school_id == "RB-O01" else 78 + 0.8 * t
    cohort = max(3, round(enrolled * cohort_share * rng.uniform(0.9, 1.0)))
    return "graduation_rate_pct", clamp(value + rng.uniform(-2, 2), 30, 99.5), cohort


def family_survey(rng, school: School, trend: SchoolTrend, enrolled: int, t: int):
    score = clamp(4.3 - 0.008 * school.frl + trend.survey + 0.03 * t + rng.uniform(-0.08, 0.08), 1, 5)
    rate = (0.3 - 0.17 * school.frl / 100) * trend.response * YEAR_SURVEY_RESPONSE[t]
    if school.level != "elementary":
        rate *= 0.5
    return "family_survey_score", score, max(2, round(enrolled * rate))


# ---------------------------------------------------------------------------------------
# GeoJSON


def ring(points: list[tuple[float, float]]) -> list[list[float]]:
    """A closed counter-clockwise ring of [lon, lat] for plane points."""
    coordinates = []
    for xy in points:
        lat, lon = to_lat_lon(*xy)
        if not coordinates or coordinates[-1] != [lon, lat]:
            coordinates.append([lon, lat])
    if len(coordinates) > 1 and coordinates[-1] == coordinates[0]:
        coordinates.pop()
    return coordinates + coordinates[:1]


def boundary_geojson() -> dict:
    feature = {
        "type": "Feature",
        "properties": {"name": DISTRICT[1]},
        "geometry": {"type": "Polygon", "coordinates": [ring(BOUNDARY_MILES)]},
    }
    return {"type": "FeatureCollection", "features": [feature]}


def zones_geojson(schools: list[School]) -> dict:
    """Elementary attendance zones: the Voronoi cells of the elementary schools, clipped to the boundary."""
    elementary = [s for s in schools if s.level == "elementary"]
    features = []
    for school in elementary:
        others = [o.xy for o in elementary if o.school_id != school.school_id]
        cell = voronoi_cell(school.xy, others, BOUNDARY_MILES)
        features.append({
            "type": "Feature",
            "properties": {"school_id": school.school_id, "name": school.name, "region": school.region},
            "geometry": {"type": "Polygon", "coordinates": [ring(cell)]},
        })  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------------------------------
# Writing


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([csv_value(v) for v in row] for row in rows)


def write_json(path: Path, data: dict) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")


SCHOOL_HEADER = [
    "school_id", "district_id", "name", "level", "grades", "address", "latitude", "longitude", "enrollment",
    "title_i_status", "frl_pct", "el_pct", "region", "feeder_high_school_id",
]  # fmt: skip
PARTNER_HEADER = [
    "partner_id", "name", "partner_type_id", "address", "latitude", "longitude", "contact_name", "contact_email",
    "contact_phone", "capacity_schools", "languages",
]  # fmt: skip
PARTNERSHIP_HEADER = [
    "partnership_id", "partner_id", "school_id", "status", "start_date", "end_date", "students_served",
    "annual_cost_usd", "funding_source", "is_mou_signed", "evaluation_measure", "notes",
]  # fmt: skip


def generate(out: Path = DEFAULT_OUT, crosswalk_path: Path = CROSSWALK) -> None:
    """Write the demo district's CSV and GeoJSON files into out."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    schools = make_schools(rng)
    partners = make_partners(rng, schools)
    partnerships = make_partnerships(rng, schools, partners)
    metrics = metric_rows(rng, schools)
    write_csv(out / "district.csv", ["district_id", "name", "state", "is_fictional"], [list(DISTRICT)])
    write_csv(out / "schools.csv", SCHOOL_HEADER, school_rows(schools))
    write_csv(out / "partners.csv", PARTNER_HEADER, partner_rows(partners))
    write_csv(out / "partnerships.csv", PARTNERSHIP_HEADER, partnership_rows(partnerships))
    strategies = strategy_rows(partnerships, read_crosswalk(crosswalk_path))
    write_csv(out / "partnership_strategies.csv", ["partnership_id", "strategy_id"], strategies)
    write_csv(out / "metrics.csv", ["school_id", "school_year", "metric_id", "value", "n"], metrics)
    write_json(out / "boundary.geojson", boundary_geojson())
    write_json(out / "zones.geojson", zones_geojson(schools))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m atlas.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: data/demo)")
    args = parser.parse_args(argv)
    generate(Path(args.out))
    print(f"Wrote the demo district to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

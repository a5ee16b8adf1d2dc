"""Synthetic databases of any size, for the benchmark and for trying the app at state or
national scale: ``python -m atlas synth --schools N --out PATH [--seed S] [--districts D] [--state XX]``.

Every value is fictional (``district.is_fictional`` is true) and every random draw comes from one
``numpy.random.Generator(PCG64(seed))`` in a fixed order, so a seed always gives the same rows.
The random numbers are drawn with vectorised numpy; DuckDB turns them into rows (ids, names,
dates) and writes the file with ``atlas.database.build.write_atomically``. Frameworks, partner types and
metric definitions come from ``data/frameworks`` and ``data/reference`` (``atlas.database.load_csv``).

What N schools give (about; counts are random but scale linearly with N):

============================  ==================================================================
districts                     N / 7 — log-normal sizes: most have 1–10 schools, a few hundreds
                              (``--districts D`` fixes the number: ``--districts 1`` is one large district)
schools                       exactly N: 53 % elementary, 17 % middle, 21 % high, 10 % 'other' (a
                              one-school district is one K-12 school); every district of two or more
                              schools has a high school, and its other schools feed one (feeder patterns)
partners                      1.2 × N, located in their district, twelve types
partnerships                  1.4 × N (70 % active, 18 % ended, 12 % planned), fewer at high-need schools
partnership_strategy          10 × N: 1–3 default-framework strategies per partnership, the other
                              frameworks' tags through data/frameworks/crosswalk.csv
metric                        31 × N: five school years × 6–7 metrics; small schools give small n
geo_feature                   one boundary per district (a 12-sided polygon around it); no attendance zones
============================  ==================================================================

Need is correlated the way real data is: free/reduced lunch % varies by district and by region
within a district; English learners, chronic absence and suspensions rise with it; proficiency,
attendance, graduation and family-survey scores fall with it; Title I schoolwide follows FRL ≥ 40 %.
A few schools have no coordinates and some metric cells have n below 10, as in real files.
100,000 schools build in about 20 s on two cores, most of it DuckDB checking the keys of the
three million metric rows.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from atlas.database.build import write_atomically
from atlas.database.database_file import ROOT

DEFAULT_SEED = 20261122
AS_OF = date(2026, 11, 22)  # dates are laid out around this day, so a seed gives the same file every day
SCHOOL_YEARS = ("2021-22", "2022-23", "2023-24", "2024-25", "2025-26")
DATA = ROOT / "data"
CROSSWALK = DATA / "frameworks" / "crosswalk.csv"
CROSSWALK_FROM = "nea-fscp-2"  # crosswalk.csv maps this framework's strategy numbers to the others

# (state, latitude, longitude of its middle, weight ≈ thousands of public schools)
STATES = [
    ("CA", 36.8, -119.4, 10.3), ("TX", 31.0, -99.3, 9.0), ("NY", 42.9, -75.5, 4.8), ("IL", 40.0, -89.2, 4.4),
    ("FL", 28.6, -82.4, 4.3), ("OH", 40.3, -82.8, 3.6), ("PA", 40.9, -77.8, 3.0), ("MI", 44.3, -85.4, 3.5),
    ("NJ", 40.1, -74.5, 2.5), ("GA", 32.7, -83.4, 2.3), ("NC", 35.5, -79.4, 2.7), ("MO", 38.4, -92.5, 2.4),
    ("WI", 44.6, -89.9, 2.2), ("MN", 46.3, -94.3, 2.4), ("AZ", 34.3, -111.7, 2.4), ("WA", 47.4, -120.5, 2.4),
    ("VA", 37.5, -78.8, 2.1), ("IN", 39.9, -86.3, 1.9), ("CO", 39.0, -105.5, 1.9), ("OK", 35.6, -97.5, 1.8),
    ("MA", 42.3, -71.8, 1.8), ("TN", 35.9, -86.4, 1.9), ("KS", 38.5, -98.4, 1.3), ("LA", 31.1, -92.0, 1.4),
    ("AL", 32.8, -86.8, 1.5), ("SC", 33.9, -80.9, 1.3), ("KY", 37.5, -85.3, 1.5), ("IA", 42.1, -93.5, 1.3),
    ("OR", 44.0, -120.5, 1.3), ("AR", 34.9, -92.4, 1.1), ("MS", 32.7, -89.7, 1.0), ("NE", 41.5, -99.8, 1.0),
    ("CT", 41.6, -72.7, 1.0), ("UT", 39.3, -111.7, 1.1), ("NM", 34.4, -106.1, 0.9), ("MD", 39.0, -76.8, 1.4),
    ("NV", 39.3, -116.6, 0.7), ("ID", 44.4, -114.6, 0.8), ("WV", 38.6, -80.6, 0.7), ("ME", 45.4, -69.2, 0.6),
    ("MT", 47.0, -109.6, 0.8), ("SD", 44.4, -100.2, 0.7), ("ND", 47.5, -100.5, 0.5), ("NH", 43.7, -71.6, 0.5),
    ("VT", 44.0, -72.7, 0.3), ("RI", 41.7, -71.5, 0.3), ("DE", 39.0, -75.5, 0.2), ("WY", 43.0, -107.5, 0.4),
    ("AK", 61.4, -152.3, 0.5), ("HI", 20.8, -156.3, 0.3), ("DC", 38.9, -77.0, 0.2),
]  # fmt: skip

LEVELS = ("elementary", "middle", "high", "other")
GRADES = ("K-5", "6-8", "9-12", "K-12")
KINDS = ("Elementary", "Middle School", "High School", "Academy")
REGIONS = ("North", "South", "East", "West", "Central")
NAME_WORDS = (
    "Cedar", "Maple", "Oak", "Willow", "Pine", "Aspen", "Birch", "Laurel", "Magnolia", "Sycamore",
    "Lincoln", "Washington", "Jefferson", "Roosevelt", "Franklin", "Madison", "Garfield", "Hamilton",
    "Riverside", "Lakeview", "Hillcrest", "Fairview", "Valley", "Meadow", "Prairie", "Canyon", "Harbor",
    "Summit", "Brookside", "Parkside", "Westwood", "Eastgate", "Northridge", "Southfield", "Sunrise",
    "Mesa", "Bayview", "Highland", "Glenwood", "Ridgeway", "Chavez", "King", "Tubman", "Douglass",
    "Carver", "Keller", "Earhart", "Curie", "Sequoia", "Redwood",
)  # fmt: skip
DISTRICT_KINDS = ("Unified School District", "School District", "Public Schools", "Independent School District")
PARTNER_KINDS = {
    "business": "Company",
    "health": "Health Center",
    "higher_ed": "College",
    "service_club": "Rotary Club",
    "social_service": "Family Services",
    "youth": "Youth League",
    "public_housing": "Housing Authority",
    "labor_union": "Workers Local",
    "tenant_group": "Tenants Association",
    "faith_based": "Community Church",
    "government": "County Office",
    "other": "Museum",
}
PARTNER_TYPE_WEIGHT = {
    "business": 18, "health": 10, "higher_ed": 7, "service_club": 8, "social_service": 12, "youth": 14,
    "public_housing": 3, "labor_union": 3, "tenant_group": 2, "faith_based": 12, "government": 6, "other": 5,
}  # fmt: skip
LANGUAGE_SETS = ("English", "English; Spanish", "English; Spanish; Vietnamese", "English; Chinese", "Spanish")
FUNDING = ("title_i", "other_federal", "general_fund", "grant", "partner_funded", "in_kind")
FUNDING_WEIGHT = (20, 8, 20, 22, 15, 15)
# Relative weight of each default-framework strategy number (1-based) when tagging a partnership:
# on-site professional development (4) is rare, collaborations (5) and connecting students (10) common.
STRATEGY_WEIGHT = (1.0, 1.1, 0.8, 0.35, 1.4, 0.9, 1.0, 0.8, 0.9, 1.3)

# Metric ids, in the order of the value arrays below.
METRICS = (
    "attendance_rate_pct", "chronic_absence_pct", "ela_proficiency_pct", "math_proficiency_pct",
    "suspensions_per_100", "graduation_rate_pct", "family_survey_score",
)  # fmt: skip
YEAR_CHRONIC = np.array([1.55, 1.45, 1.25, 1.10, 1.00])  # chronic absence after the pandemic, easing
YEAR_PROFICIENCY = np.array([-3.0, -2.0, -1.0, 0.0, 0.5])
YEAR_SUSPENSIONS = np.array([0.8, 1.1, 1.05, 1.0, 0.95])
YEAR_SURVEY_RESPONSE = np.array([0.6, 0.75, 0.85, 0.95, 1.0])
TESTED_SHARE = np.array([0.5, 0.97, 0.3, 0.5])  # by level: grades 3–5 of K-5, all of 6–8, grade 11 of 9–12


def synthesize(
    path: Path,
    n_schools: int,
    *,
    seed: int = DEFAULT_SEED,
    n_districts: int | None = None,
    state: str | None = None,
) -> dict[str, int]:
    """Write a synthetic database of n_schools schools to path (atomically). Returns row counts.

    n_districts: a fixed number of districts (default: as many as realistic sizes give).
    state: put every district in this state (default: spread over the states by school counts).
    """
    if n_schools < 1:
        raise ValueError("n_schools must be at least 1")
    if n_districts is not None and not 1 <= n_districts <= n_schools:
        raise ValueError("n_districts must be between 1 and n_schools")
    states = [s for s in STATES if s[0] == state] if state else STATES
    if not states:
        raise ValueError(f"unknown state {state!r}")
    rng = np.random.Generator(np.random.PCG64(seed))
    tables = _draw(rng, n_schools, n_districts, states)

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        from atlas.database.load_csv import insert_default_setting, load_frameworks, load_reference

        load_frameworks(con, DATA / "frameworks")
        load_reference(con, DATA / "reference")
        insert_default_setting(con)
        _insert(con, tables, states)
        con.execute(
            "INSERT INTO atlas_meta VALUES ('source', $source)",
            {"source": f"synthetic: python -m atlas synth --schools {n_schools} --seed {seed}"},
        )

    write_atomically(Path(path), fill)
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("district", "school", "partner", "partnership", "partnership_strategy", "metric")
        }


# ---------------------------------------------------------------------------------------
# Random draws (numpy, fixed order)


def _district_sizes(rng: np.random.Generator, n_schools: int, n_districts: int | None) -> np.ndarray:
    if n_districts is None:
        # Log-normal sizes (mean ≈ 7): many one- to ten-school districts, a few with hundreds.
        sizes = np.empty(0, dtype=np.int64)
        while sizes.sum() < n_schools:
            sizes = np.concatenate([sizes, 1 + np.floor(rng.lognormal(0.9, 1.4, 1 + n_schools // 6)).astype(np.int64)])
        ends = np.cumsum(sizes)
        k = int(np.searchsorted(ends, n_schools)) + 1
        sizes = sizes[:k]
        sizes[-1] -= ends[k - 1] - n_schools
        return sizes
    raw = 1 + np.floor(rng.lognormal(0.9, 1.4, n_districts))
    extra = rng.multinomial(n_schools - n_districts, raw / raw.sum())
    return 1 + extra


def _draw(rng: np.random.Generator, n_schools: int, n_districts: int | None, states: list) -> dict[str, pd.DataFrame]:
    sizes = _district_sizes(rng, n_schools, n_districts)
    n_d = len(sizes)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])

    # Districts: state, centre, income and language mix, how engaged with partners.
    weights = np.array([s[3] for s in states])
    d_state = rng.choice(len(states), n_d, p=weights / weights.sum())
    d_lat = np.array([s[1] for s in states])[d_state] + rng.normal(0, 1.2, n_d)
    d_lon = np.array([s[2] for s in states])[d_state] + rng.normal(0, 1.8, n_d)
    d_frl = 100 * rng.beta(2.2, 2.2, n_d)
    d_el = rng.lognormal(0, 0.6, n_d)
    d_engaged = rng.gamma(4.0, 0.25, n_d)
    d_regions = np.clip(1 + sizes // 12, 1, len(REGIONS))
    d_region_shift = rng.normal(0, 8, (n_d, len(REGIONS)))
    district = pd.DataFrame({
        "i": np.arange(n_d), "state": d_state, "word": rng.integers(0, len(NAME_WORDS), n_d),
        "kind": rng.integers(0, len(DISTRICT_KINDS), n_d),
        "boundary": _boundaries(d_lat, d_lon, 0.03 * np.sqrt(sizes) * 2.5 + 0.04),
    })  # fmt: skip

    # Schools, district by district: levels by position (high schools first), then need.
    s_d = np.repeat(np.arange(n_d), sizes)
    pos = np.arange(n_schools) - first[s_d]
    n_high = np.where(sizes >= 2, np.maximum(1, np.round(0.19 * sizes)), 0)
    n_mid = np.round(0.17 * sizes)
    n_other = np.where(sizes == 1, 1, rng.binomial(sizes, 0.06))
    n_mid = np.minimum(n_mid, sizes - n_high)
    n_other = np.minimum(n_other, sizes - n_high - n_mid)
    p = pos
    level = np.select(
        [p < n_high[s_d], p < (n_high + n_mid)[s_d], p < (n_high + n_mid + n_other)[s_d]], [2, 1, 3], default=0
    )
    region = np.floor(rng.random(n_schools) * d_regions[s_d]).astype(np.int64)
    frl = np.clip(d_frl[s_d] + d_region_shift[s_d, region] + rng.normal(0, 10, n_schools), 1, 99)
    el = np.clip(0.3 * frl * d_el[s_d] + rng.normal(0, 3, n_schools), 0, 95)
    base_enrollment = np.array([450, 650, 1000, 220])[level]
    enrollment = np.maximum(15, np.round(base_enrollment * rng.lognormal(-0.08, 0.4, n_schools))).astype(np.int64)
    u = rng.random(n_schools)
    title_i = np.where(
        (frl >= 40) & (u < 0.75), 0, np.where((frl >= 25) & (u < 0.6), 1, 2)
    )  # 0 schoolwide, 1 targeted, 2 none
    spread = 0.03 * np.sqrt(sizes)[s_d]
    lat = np.clip(d_lat[s_d] + rng.normal(0, 1, n_schools) * spread, -89, 89)
    lon = np.clip(d_lon[s_d] + rng.normal(0, 1, n_schools) * spread, -179, 179)
    no_location = rng.random(n_schools) < 0.002  # a few schools with no coordinates, as in real files

    # Feeder pattern: each elementary and middle school feeds a high school of its district.
    is_high = level == 2
    high_index = np.flatnonzero(is_high)  # ordered by district, like the schools
    high_count = np.bincount(s_d[is_high], minlength=n_d)
    high_first = np.concatenate([[0], np.cumsum(high_count)[:-1]])
    pick = high_first[s_d] + np.floor(rng.random(n_schools) * high_count[s_d]).astype(np.int64)
    feeder = np.where(is_high, np.arange(n_schools), -1)
    feeds = (level < 2) & (high_count[s_d] > 0)
    feeder[feeds] = high_index[pick[feeds]]
    school = pd.DataFrame({
        "i": np.arange(n_schools), "d": s_d, "level": level, "word": rng.integers(0, len(NAME_WORDS), n_schools),
        "street": rng.integers(0, len(NAME_WORDS), n_schools), "house": rng.integers(100, 9900, n_schools),
        "lat": np.where(no_location, np.nan, np.round(lat, 5)), "lon": np.where(no_location, np.nan, np.round(lon, 5)),
        "enrollment": enrollment, "title_i": title_i, "frl": np.round(frl, 1), "el": np.round(el, 1),
        "region": region, "feeder": feeder,
    })  # fmt: skip

    # Partners: about 1.2 per school, in their district.
    p_count = np.maximum(1, np.round(1.2 * sizes * rng.uniform(0.7, 1.3, n_d))).astype(np.int64)
    n_p = int(p_count.sum())
    p_first = np.concatenate([[0], np.cumsum(p_count)[:-1]])
    p_d = np.repeat(np.arange(n_d), p_count)
    type_ids = list(PARTNER_KINDS)
    type_w = np.array([PARTNER_TYPE_WEIGHT[t] for t in type_ids], dtype=float)
    p_spread = 0.04 * np.sqrt(sizes)[p_d]
    capacity = 1 + rng.poisson(2.0, n_p)
    partner = pd.DataFrame({
        "i": np.arange(n_p), "d": p_d, "type": rng.choice(len(type_ids), n_p, p=type_w / type_w.sum()),
        "word": rng.integers(0, len(NAME_WORDS), n_p),
        "lat": np.round(np.clip(d_lat[p_d] + rng.normal(0, 1, n_p) * p_spread, -89, 89), 5),
        "lon": np.round(np.clip(d_lon[p_d] + rng.normal(0, 1, n_p) * p_spread, -179, 179), 5),
        "capacity": np.where(rng.random(n_p) < 0.15, -1, capacity),
        "languages": rng.choice(len(LANGUAGE_SETS), n_p, p=[0.5, 0.35, 0.05, 0.05, 0.05]),
        "has_contact": rng.random(n_p) < 0.8,
    })  # fmt: skip

    # Partnerships: Poisson per school, fewer where need is high; the partner is from the district.
    rate = 1.4 * d_engaged[s_d] * (1.15 - 0.3 * frl / 100)
    per_school = rng.poisson(rate)
    n_r = int(per_school.sum())
    r_s = np.repeat(np.arange(n_schools), per_school)
    r_d = s_d[r_s]
    r_partner = p_first[r_d] + np.floor(rng.random(n_r) * p_count[r_d]).astype(np.int64)
    status = rng.choice(3, n_r, p=[0.70, 0.18, 0.12])  # 0 active, 1 ended, 2 planned
    as_of = np.datetime64(AS_OF.isoformat(), "D")
    start_active = as_of - rng.integers(30, 3400, n_r)
    start_ended = as_of - rng.integers(540, 4000, n_r)
    end_ended = np.minimum(start_ended + rng.integers(120, 1500, n_r), as_of - 1)
    start_planned = as_of + rng.integers(30, 300, n_r)
    end_active = as_of + rng.integers(30, 700, n_r)
    start = np.select([status == 0, status == 1], [start_active, start_ended], start_planned)
    has_start = (status != 2) | (rng.random(n_r) < 0.4)
    end = np.select([status == 1, (status == 0) & (rng.random(n_r) < 0.25)], [end_ended, end_active], as_of)
    has_end = (status == 1) | ((status == 0) & (end != as_of))
    funding = rng.choice(len(FUNDING), n_r, p=np.array(FUNDING_WEIGHT) / sum(FUNDING_WEIGHT))
    cost = np.where(np.isin(funding, [4, 5]), 0.0, np.round(rng.lognormal(8.3, 0.9, n_r), 2))
    served = np.round(enrollment[r_s] * rng.uniform(0.03, 0.4, n_r)).astype(np.int64)
    partnership = pd.DataFrame({
        "i": np.arange(n_r), "partner": r_partner, "school": r_s, "status": status,
        "start_date": pd.Series(start.astype("datetime64[s]")).where(has_start),
        "end_date": pd.Series(end.astype("datetime64[s]")).where(has_end),
        "served": np.where((status == 2) | (rng.random(n_r) < 0.1), -1, served),
        "cost": np.where(rng.random(n_r) < 0.2, np.nan, cost), "funding": np.where(rng.random(n_r) < 0.1, -1, funding),
        "mou": rng.random(n_r) < np.where(status == 0, 0.6, 0.4),
        "evaluation": np.where(rng.random(n_r) < 0.45, rng.integers(0, len(METRICS), n_r), -1),
        "has_note": rng.random(n_r) < 0.1,
    })  # fmt: skip

    # Strategy tags: 1–3 distinct default-framework strategies per partnership (Gumbel top-k),
    # 1 % left untagged.
    k = rng.choice(4, n_r, p=[0.01, 0.55, 0.34, 0.10])
    keys = np.log(np.array(STRATEGY_WEIGHT)) + rng.gumbel(size=(n_r, len(STRATEGY_WEIGHT)))
    order = np.argsort(-keys, axis=1)
    chosen = np.arange(3)[None, :] < k[:, None]
    tag_r = np.repeat(np.arange(n_r), 3).reshape(n_r, 3)[chosen]
    tag = pd.DataFrame({"r": tag_r, "number": order[:, :3][chosen] + 1})

    # Metrics: five years × seven metrics per school, masked to the ones a school reports.
    years = len(SCHOOL_YEARS)
    t = np.arange(years)[None, :]
    growth = rng.normal(0, 0.02, n_schools)[:, None]
    enrolled = np.maximum(5, np.round(enrollment[:, None] * (1 + growth * (t - 4))))
    level_chronic = np.array([0.0, 2.0, 4.0, 0.0])[level][:, None]
    chronic = (6 + 0.28 * frl[:, None] + level_chronic + rng.normal(0, 3, (n_schools, 1))) * YEAR_CHRONIC
    chronic = np.clip(chronic + rng.uniform(-0.8, 0.8, (n_schools, years)), 1, 80)
    attendance = np.clip(97.6 - 0.27 * chronic + rng.uniform(-0.4, 0.4, (n_schools, years)), 60, 99.5)
    level_prof = np.array([0.0, -2.0, 3.0, 0.0])[level][:, None]
    ela = 78 - 0.55 * frl[:, None] + level_prof + rng.normal(0, 5, (n_schools, 1)) + YEAR_PROFICIENCY
    ela = np.clip(ela + rng.uniform(-1.5, 1.5, (n_schools, years)), 2, 98)
    maths = np.clip(
        ela - 8 - 4 * (level == 1)[:, None] + rng.uniform(-2, 2, (n_schools, years)), 1, 98
    )  # middle school maths dips
    tested = np.round(enrolled * TESTED_SHARE[level][:, None] * rng.uniform(0.95, 0.99, (n_schools, years)))
    susp_base = np.array([0.4, 2.0, 1.5, 3.0])[level] + np.array([0.05, 0.12, 0.09, 0.1])[level] * frl
    suspensions = np.clip(susp_base[:, None] * YEAR_SUSPENSIONS + rng.uniform(-0.5, 0.5, (n_schools, years)), 0, 100)
    graduation = np.clip(97 - 0.18 * frl[:, None] + 0.3 * t + rng.uniform(-2, 2, (n_schools, years)), 30, 99.5)
    cohort = np.maximum(3, np.round(enrolled * 0.24 * rng.uniform(0.9, 1.0, (n_schools, years))))
    survey_shift = rng.normal(0, 0.15, (n_schools, 1))
    survey = 4.3 - 0.008 * frl[:, None] + survey_shift + 0.03 * t + rng.uniform(-0.08, 0.08, (n_schools, years))
    survey = np.clip(survey, 1, 5)
    response = (0.3 - 0.17 * frl / 100) * np.where(level == 0, 1.0, 0.5) * rng.uniform(0.5, 1.5, n_schools)
    responses = np.maximum(2, np.round(enrolled * response[:, None] * YEAR_SURVEY_RESPONSE))
    values = np.stack([attendance, chronic, ela, maths, suspensions, graduation, survey], axis=2)
    counts = np.stack([enrolled, enrolled, tested, tested, enrolled, cohort, responses], axis=2)
    reports = np.ones((n_schools, years, len(METRICS)), dtype=bool)
    no_tests = (level == 3) & (rng.random(n_schools) < 0.3)  # e.g. early-learning centres
    reports[no_tests, :, 2:4] = False
    reports[:, :, 5] = (level == 2)[:, None] | ((level == 3) & (rng.random(n_schools) < 0.3))[:, None]
    s_i, y_i, m_i = np.nonzero(reports)
    value = values[s_i, y_i, m_i]
    metric = pd.DataFrame({
        "s": s_i, "y": y_i, "m": m_i,
        "value": np.where(m_i == METRICS.index("family_survey_score"), np.round(value, 2), np.round(value, 1)),
        "n": counts[s_i, y_i, m_i].astype(np.int64),
    })  # fmt: skip
    return {
        "district": district,
        "school": school,
        "partner": partner,
        "partnership": partnership,
        "tag": tag,
        "metric": metric,
    }


def _boundaries(lat: np.ndarray, lon: np.ndarray, radius_deg: np.ndarray, vertices: int = 12) -> list[str]:
    """A district boundary: a closed 12-sided GeoJSON polygon around the district's centre."""
    angle = np.linspace(0, 2 * np.pi, vertices + 1)[None, :]
    lats = np.clip(lat[:, None] + radius_deg[:, None] * np.sin(angle), -89.9, 89.9)
    stretch = 1 / np.maximum(np.cos(np.radians(lat)), 0.2)
    lons = np.clip(lon[:, None] + (radius_deg * stretch)[:, None] * np.cos(angle), -179.9, 179.9)
    lats[:, -1], lons[:, -1] = lats[:, 0], lons[:, 0]
    rings = np.round(np.stack([lons, lats], axis=2), 4).tolist()
    return [json.dumps({"type": "Polygon", "coordinates": [ring]}, separators=(",", ":")) for ring in rings]


# ---------------------------------------------------------------------------------------
# Rows (DuckDB): ids, names and labels from the drawn numbers


def _insert(con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame], states: list) -> None:
    for name, frame in tables.items():
        con.register(f"synth_{name}", frame)
    words = list(NAME_WORDS)
    con.execute(
        """
        INSERT INTO district
        SELECT printf('syn-d%05d', i), $words[word + 1] || ' ' || $kinds[kind + 1], $states[state + 1], true
        FROM synth_district ORDER BY i
        """,
        {"words": words, "kinds": list(DISTRICT_KINDS), "states": [s[0] for s in states]},
    )
    con.execute(
        """
        INSERT INTO geo_feature
        SELECT printf('syn-d%05d', i) || ':boundary', printf('syn-d%05d', i), 'boundary', NULL,
               $words[word + 1] || ' ' || $kinds[kind + 1], boundary
        FROM synth_district ORDER BY i
        """,
        {"words": words, "kinds": list(DISTRICT_KINDS)},
    )
    con.execute(
        """
        INSERT INTO school
        SELECT printf('syn-s%07d', i), printf('syn-d%05d', d),
               $words[word + 1] || ' ' || $kinds[level + 1], $levels[level + 1], $grades[level + 1],
               house || ' ' || $words[street + 1] || ' Ave', lat, lon, enrollment,
               ['schoolwide', 'targeted', 'none'][title_i + 1], frl, el, $regions[region + 1],
               CASE WHEN feeder >= 0 THEN printf('syn-s%07d', feeder) END
        FROM synth_school ORDER BY i
        """,
        {
            "words": words,
            "kinds": list(KINDS),
            "levels": list(LEVELS),
            "grades": list(GRADES),
            "regions": list(REGIONS),
        },
    )
    con.execute(
        """
        INSERT INTO partner
        SELECT printf('syn-p%07d', i), $words[word + 1] || ' ' || $kinds[type + 1], $types[type + 1],
               NULL, lat, lon,
               CASE WHEN has_contact THEN 'Contact ' || i END,
               CASE WHEN has_contact THEN printf('contact%d@example.org', i) END,
               CASE WHEN has_contact THEN printf('555-%04d', i % 10000) END,
               CASE WHEN capacity >= 0 THEN capacity END, $languages[languages + 1]
        FROM synth_partner ORDER BY i
        """,
        {
            "words": words,
            "kinds": list(PARTNER_KINDS.values()),
            "types": list(PARTNER_KINDS),
            "languages": list(LANGUAGE_SETS),
        },
    )
    con.execute(
        """
        INSERT INTO partnership
        SELECT printf('syn-r%08d', i), printf('syn-p%07d', partner), printf('syn-s%07d', school),
               ['active', 'ended', 'planned'][status + 1], start_date::DATE, end_date::DATE,
               CASE WHEN served >= 0 THEN served END, cost::DECIMAL(12, 2),
               CASE WHEN funding >= 0 THEN $funding[funding + 1] END, mou,
               CASE WHEN evaluation >= 0 THEN $metrics[evaluation + 1] END,
               CASE WHEN has_note THEN 'Synthetic note ' || i END
        FROM synth_partnership ORDER BY i
        """,
        {"funding": list(FUNDING), "metrics": list(METRICS)},
    )
    # Tags in the default framework, then the other frameworks' tags through the crosswalk.
    con.execute(
        """
        INSERT INTO partnership_strategy
        WITH nea AS (
            SELECT printf('syn-r%08d', t.r) AS partnership_id, t.number
            FROM synth_tag AS t
        ),
        crosswalk AS (
            SELECT * FROM read_csv($crosswalk, header = true,
                                   columns = {'nea_number': 'INTEGER', 'framework_id': 'VARCHAR', 'number': 'INTEGER'})
        )
        SELECT nea.partnership_id, st.strategy_id
        FROM nea JOIN strategy AS st ON st.framework_id = $from AND st.number = nea.number
        UNION
        SELECT nea.partnership_id, st.strategy_id
        FROM nea JOIN crosswalk AS c ON c.nea_number = nea.number
        JOIN strategy AS st ON st.framework_id = c.framework_id AND st.number = c.number
        ORDER BY 1, 2
        """,
        {"crosswalk": str(CROSSWALK), "from": CROSSWALK_FROM},
    )
    con.execute(
        """
        INSERT INTO metric
        SELECT printf('syn-s%07d', s), $years[y + 1], $metrics[m + 1], value, n
        FROM synth_metric ORDER BY s, y, m
        """,
        {"years": list(SCHOOL_YEARS), "metrics": list(METRICS)},
    )
    for name in tables:
        con.unregister(f"synth_{name}")


def run(args: argparse.Namespace) -> int:
    """The ``python -m atlas synth`` command (arguments in atlas/__main__.py)."""
    import time

    seed = DEFAULT_SEED if args.seed is None else args.seed
    started = time.perf_counter()
    counts = synthesize(Path(args.out), args.schools, seed=seed, n_districts=args.districts, state=args.state)
    summary = ", ".join(f"{n:,} {table}" for table, n in counts.items())
    print(f"Wrote {args.out} in {time.perf_counter() - started:.1f} s: {summary}")
    return 0

"""The random numbers of a synthetic database (``atlas.synth``): every table's values drawn with
vectorised numpy from one generator, in a fixed order, so a seed always gives the same rows. Each part
draws after the one before it (districts, schools, partners, partnerships, tags, metrics); numbers,
not rows: ``atlas.synth`` turns them into ids, names and labels with DuckDB.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

AS_OF = date(2026, 11, 22)  # dates are laid out around this day, so a seed gives the same file every day
SCHOOL_YEARS = ("2021-22", "2022-23", "2023-24", "2024-25", "2025-26")

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


@dataclass(frozen=True)
class _Districts:
    """The drawn districts: one entry per district in each array, and the district table's frame."""

    sizes: np.ndarray  # schools per district
    first: np.ndarray  # index of each district's first school
    lat: np.ndarray
    lon: np.ndarray
    frl: np.ndarray
    el: np.ndarray
    engaged: np.ndarray  # how much the district works with partners
    regions: np.ndarray  # number of regions
    region_shift: np.ndarray  # FRL shift per region, (districts, regions)
    frame: pd.DataFrame


@dataclass(frozen=True)
class _Schools:
    """The drawn schools: one entry per school in each array, and the school table's frame."""

    district: np.ndarray
    level: np.ndarray  # index into LEVELS
    frl: np.ndarray
    enrollment: np.ndarray
    frame: pd.DataFrame


@dataclass(frozen=True)
class _Partners:
    """The drawn partners: how many per district, the first one's index, and the partner table's frame."""

    count: np.ndarray
    first: np.ndarray
    frame: pd.DataFrame


def draw(rng: np.random.Generator, n_schools: int, n_districts: int | None, states: list) -> dict[str, pd.DataFrame]:
    """Every table's random numbers, drawn in a fixed order: each part draws after the one before it."""
    districts = _draw_districts(rng, _district_sizes(rng, n_schools, n_districts), states)
    schools = _draw_schools(rng, districts, n_schools)
    partners = _draw_partners(rng, districts)
    partnership = _draw_partnerships(rng, districts, schools, partners)
    return {
        "district": districts.frame,
        "school": schools.frame,
        "partner": partners.frame,
        "partnership": partnership,
        "tag": _draw_tags(rng, len(partnership)),
        "metric": _draw_metrics(rng, schools),
    }


def _draw_districts(rng: np.random.Generator, sizes: np.ndarray, states: list) -> _Districts:
    """Districts: state, centre, income and language mix, how engaged with partners."""
    n_d = len(sizes)
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
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return _Districts(sizes, first, d_lat, d_lon, d_frl, d_el, d_engaged, d_regions, d_region_shift, district)


def _school_levels(rng: np.random.Generator, districts: _Districts, n_schools: int) -> tuple[np.ndarray, np.ndarray]:
    """Each school's district and level, by its position in the district (high schools first): (district, level)."""
    sizes = districts.sizes
    s_d = np.repeat(np.arange(len(sizes)), sizes)
    pos = np.arange(n_schools) - districts.first[s_d]
    n_high = np.where(sizes >= 2, np.maximum(1, np.round(0.19 * sizes)), 0)
    n_mid = np.round(0.17 * sizes)
    n_other = np.where(sizes == 1, 1, rng.binomial(sizes, 0.06))
    n_mid = np.minimum(n_mid, sizes - n_high)
    n_other = np.minimum(n_other, sizes - n_high - n_mid)
    level = np.select(
        [pos < n_high[s_d], pos < (n_high + n_mid)[s_d], pos < (n_high + n_mid + n_other)[s_d]], [2, 1, 3], default=0
    )
    return s_d, level


def _draw_schools(rng: np.random.Generator, districts: _Districts, n_schools: int) -> _Schools:
    """Schools, district by district: levels, then need, size, Title I, location and feeder pattern."""
    s_d, level = _school_levels(rng, districts, n_schools)
    region = np.floor(rng.random(n_schools) * districts.regions[s_d]).astype(np.int64)
    frl = np.clip(districts.frl[s_d] + districts.region_shift[s_d, region] + rng.normal(0, 10, n_schools), 1, 99)
    el = np.clip(0.3 * frl * districts.el[s_d] + rng.normal(0, 3, n_schools), 0, 95)
    base_enrollment = np.array([450, 650, 1000, 220])[level]
    enrollment = np.maximum(15, np.round(base_enrollment * rng.lognormal(-0.08, 0.4, n_schools))).astype(np.int64)
    u = rng.random(n_schools)
    title_i = np.where(
        (frl >= 40) & (u < 0.75), 0, np.where((frl >= 25) & (u < 0.6), 1, 2)
    )  # 0 schoolwide, 1 targeted, 2 none
    spread = 0.03 * np.sqrt(districts.sizes)[s_d]
    lat = np.clip(districts.lat[s_d] + rng.normal(0, 1, n_schools) * spread, -89, 89)
    lon = np.clip(districts.lon[s_d] + rng.normal(0, 1, n_schools) * spread, -179, 179)
    no_location = rng.random(n_schools) < 0.002  # a few schools with no coordinates, as in real files
    feeder = _feeders(rng, s_d, level, len(districts.sizes))
    school = pd.DataFrame({
        "i": np.arange(n_schools), "d": s_d, "level": level, "word": rng.integers(0, len(NAME_WORDS), n_schools),
        "street": rng.integers(0, len(NAME_WORDS), n_schools), "house": rng.integers(100, 9900, n_schools),
        "lat": np.where(no_location, np.nan, np.round(lat, 5)), "lon": np.where(no_location, np.nan, np.round(lon, 5)),
        "enrollment": enrollment, "title_i": title_i, "frl": np.round(frl, 1), "el": np.round(el, 1),
        "region": region, "feeder": feeder,
    })  # fmt: skip
    return _Schools(s_d, level, frl, enrollment, school)


def _feeders(rng: np.random.Generator, s_d: np.ndarray, level: np.ndarray, n_d: int) -> np.ndarray:
    """Feeder pattern: each elementary and middle school feeds a high school of its district (-1: none;
    a high school is its own)."""
    n_schools = len(level)
    is_high = level == 2
    high_index = np.flatnonzero(is_high)  # ordered by district, like the schools
    high_count = np.bincount(s_d[is_high], minlength=n_d)
    high_first = np.concatenate([[0], np.cumsum(high_count)[:-1]])
    pick = high_first[s_d] + np.floor(rng.random(n_schools) * high_count[s_d]).astype(np.int64)
    feeder = np.where(is_high, np.arange(n_schools), -1)
    feeds = (level < 2) & (high_count[s_d] > 0)
    feeder[feeds] = high_index[pick[feeds]]
    return feeder


def _draw_partners(rng: np.random.Generator, districts: _Districts) -> _Partners:
    """Partners: about 1.2 per school, in their district."""
    sizes, n_d = districts.sizes, len(districts.sizes)
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
        "lat": np.round(np.clip(districts.lat[p_d] + rng.normal(0, 1, n_p) * p_spread, -89, 89), 5),
        "lon": np.round(np.clip(districts.lon[p_d] + rng.normal(0, 1, n_p) * p_spread, -179, 179), 5),
        "capacity": np.where(rng.random(n_p) < 0.15, -1, capacity),
        "languages": rng.choice(len(LANGUAGE_SETS), n_p, p=[0.5, 0.35, 0.05, 0.05, 0.05]),
        "has_contact": rng.random(n_p) < 0.8,
    })  # fmt: skip
    return _Partners(p_count, p_first, partner)


def _draw_partnerships(
    rng: np.random.Generator, districts: _Districts, schools: _Schools, partners: _Partners
) -> pd.DataFrame:
    """Partnerships: Poisson per school, fewer where need is high; the partner is from the district."""
    rate = 1.4 * districts.engaged[schools.district] * (1.15 - 0.3 * schools.frl / 100)
    per_school = rng.poisson(rate)
    n_r = int(per_school.sum())
    r_s = np.repeat(np.arange(len(schools.level)), per_school)
    r_d = schools.district[r_s]
    r_partner = partners.first[r_d] + np.floor(rng.random(n_r) * partners.count[r_d]).astype(np.int64)
    status = rng.choice(3, n_r, p=[0.70, 0.18, 0.12])  # 0 active, 1 ended, 2 planned
    start, has_start, end, has_end = _partnership_dates(rng, status)
    funding = rng.choice(len(FUNDING), n_r, p=np.array(FUNDING_WEIGHT) / sum(FUNDING_WEIGHT))
    cost = np.where(np.isin(funding, [4, 5]), 0.0, np.round(rng.lognormal(8.3, 0.9, n_r), 2))
    served = np.round(schools.enrollment[r_s] * rng.uniform(0.03, 0.4, n_r)).astype(np.int64)
    return pd.DataFrame({
        "i": np.arange(n_r), "partner": r_partner, "school": r_s, "status": status,
        "start_date": pd.Series(start.astype("datetime64[s]")).where(has_start),
        "end_date": pd.Series(end.astype("datetime64[s]")).where(has_end),
        "served": np.where((status == 2) | (rng.random(n_r) < 0.1), -1, served),
        "cost": np.where(rng.random(n_r) < 0.2, np.nan, cost), "funding": np.where(rng.random(n_r) < 0.1, -1, funding),
        "mou": rng.random(n_r) < np.where(status == 0, 0.6, 0.4),
        "evaluation": np.where(rng.random(n_r) < 0.45, rng.integers(0, len(METRICS), n_r), -1),
        "has_note": rng.random(n_r) < 0.1,
    })  # fmt: skip


def _partnership_dates(rng: np.random.Generator, status: np.ndarray) -> tuple[np.ndarray, ...]:
    """Start and end days around AS_OF by status (0 active, 1 ended, 2 planned): (start, has_start, end, has_end)."""
    n_r = len(status)
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
    return start, has_start, end, has_end


def _draw_tags(rng: np.random.Generator, n_r: int) -> pd.DataFrame:
    """Strategy tags: 1–3 distinct default-framework strategies per partnership (Gumbel top-k), 1 % left untagged."""
    k = rng.choice(4, n_r, p=[0.01, 0.55, 0.34, 0.10])
    keys = np.log(np.array(STRATEGY_WEIGHT)) + rng.gumbel(size=(n_r, len(STRATEGY_WEIGHT)))
    order = np.argsort(-keys, axis=1)
    chosen = np.arange(3)[None, :] < k[:, None]
    tag_r = np.repeat(np.arange(n_r), 3).reshape(n_r, 3)[chosen]
    return pd.DataFrame({"r": tag_r, "number": order[:, :3][chosen] + 1})


def _draw_metrics(rng: np.random.Generator, schools: _Schools) -> pd.DataFrame:
    """Metrics: five years × seven metrics per school, masked to the ones a school reports."""
    level = schools.level
    n_schools = len(level)
    values, counts = _metric_values(rng, level, schools.frl, schools.enrollment)
    reports = np.ones((n_schools, len(SCHOOL_YEARS), len(METRICS)), dtype=bool)
    no_tests = (level == 3) & (rng.random(n_schools) < 0.3)  # e.g. early-learning centres
    reports[no_tests, :, 2:4] = False
    reports[:, :, 5] = (level == 2)[:, None] | ((level == 3) & (rng.random(n_schools) < 0.3))[:, None]
    s_i, y_i, m_i = np.nonzero(reports)
    value = values[s_i, y_i, m_i]
    return pd.DataFrame({
        "s": s_i, "y": y_i, "m": m_i,
        "value": np.where(m_i == METRICS.index("family_survey_score"), np.round(value, 2), np.round(value, 1)),
        "n": counts[s_i, y_i, m_i].astype(np.int64),
    })  # fmt: skip


def _metric_values(
    rng: np.random.Generator, level: np.ndarray, frl: np.ndarray, enrollment: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every metric's value and n for every school and year, in METRICS order: (values, counts), each
    (schools, years, metrics). Need moves them: chronic absence and suspensions up, the rest down."""
    n_schools, years = len(level), len(SCHOOL_YEARS)
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
    return values, counts


def _boundaries(lat: np.ndarray, lon: np.ndarray, radius_deg: np.ndarray, vertices: int = 12) -> list[str]:
    """A district boundary: a closed 12-sided GeoJSON polygon around the district's centre."""
    angle = np.linspace(0, 2 * np.pi, vertices + 1)[None, :]
    lats = np.clip(lat[:, None] + radius_deg[:, None] * np.sin(angle), -89.9, 89.9)
    stretch = 1 / np.maximum(np.cos(np.radians(lat)), 0.2)
    lons = np.clip(lon[:, None] + (radius_deg * stretch)[:, None] * np.cos(angle), -179.9, 179.9)
    lats[:, -1], lons[:, -1] = lats[:, 0], lons[:, 0]
    rings = np.round(np.stack([lons, lats], axis=2), 4).tolist()
    return [json.dumps({"type": "Polygon", "coordinates": [ring]}, separators=(",", ":")) for ring in rings]

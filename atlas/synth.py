"""Synthetic databases of any size, for the benchmark and for trying the app at state or
national scale: ``python -m atlas synth --schools N --out PATH [--seed S] [--districts D] [--state XX]``.

Every value is fictional (``district.is_fictional`` is true) and every random draw comes from one
``numpy.random.Generator(PCG64(seed))`` in a fixed order, so a seed always gives the same rows.
The random numbers are drawn with vectorised numpy (``atlas.synth_draw``); DuckDB turns them into rows (ids, names,
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
import functools
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from atlas.database.build import write_atomically
from atlas.database.database_file import ROOT
from atlas.synth_draw import AS_OF as AS_OF  # re-exported: callers lay their dates out around it
from atlas.synth_draw import (
    DISTRICT_KINDS,
    FUNDING,
    GRADES,
    KINDS,
    LANGUAGE_SETS,
    LEVELS,
    METRICS,
    NAME_WORDS,
    PARTNER_KINDS,
    REGIONS,
    SCHOOL_YEARS,
    STATES,
    draw,
)

DEFAULT_SEED = 20261122
DATA = ROOT / "data"
CROSSWALK = DATA / "frameworks" / "crosswalk.csv"
CROSSWALK_FROM = "nea-fscp-2"  # crosswalk.csv maps this framework's strategy numbers to the others


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
    tables = draw(rng, n_schools, n_districts, states)
    source = f"synthetic: python -m atlas synth --schools {n_schools} --seed {seed}"
    write_atomically(Path(path), functools.partial(_fill, tables=tables, states=states, source=source))
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("district", "school", "partner", "partnership", "partnership_strategy", "metric")
        }


def _fill(con: duckdb.DuckDBPyConnection, *, tables: dict[str, pd.DataFrame], states: list, source: str) -> None:
    """The new file's contents: reference data, default settings, the drawn rows and where they came from."""
    from atlas.database.load_csv import insert_default_setting, load_frameworks, load_reference

    load_frameworks(con, DATA / "frameworks")
    load_reference(con, DATA / "reference")
    insert_default_setting(con)
    _insert(con, tables, states)
    con.execute("INSERT INTO atlas_meta VALUES ('source', $source)", {"source": source})


# ---------------------------------------------------------------------------------------
# Rows (DuckDB): ids, names and labels from the drawn numbers


def _insert(con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame], states: list) -> None:
    """The drawn tables as rows, each table in turn (the frames are registered as synth_<name>)."""
    for name, frame in tables.items():
        con.register(f"synth_{name}", frame)
    _insert_districts(con, states)
    _insert_schools(con)
    _insert_partners(con)
    _insert_partnerships(con)
    _insert_strategy_tags(con)
    _insert_metrics(con)
    for name in tables:
        con.unregister(f"synth_{name}")


def _insert_districts(con: duckdb.DuckDBPyConnection, states: list) -> None:
    """Districts and their boundaries."""
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


def _insert_schools(con: duckdb.DuckDBPyConnection) -> None:
    """Schools, with their feeder high school."""
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
            "words": list(NAME_WORDS),
            "kinds": list(KINDS),
            "levels": list(LEVELS),
            "grades": list(GRADES),
            "regions": list(REGIONS),
        },
    )


def _insert_partners(con: duckdb.DuckDBPyConnection) -> None:
    """Partners, with a contact for most."""
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
            "words": list(NAME_WORDS),
            "kinds": list(PARTNER_KINDS.values()),
            "types": list(PARTNER_KINDS),
            "languages": list(LANGUAGE_SETS),
        },
    )


def _insert_partnerships(con: duckdb.DuckDBPyConnection) -> None:
    """Partnerships between a partner and a school."""
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


def _insert_strategy_tags(con: duckdb.DuckDBPyConnection) -> None:
    """Tags in the default framework, then the other frameworks' tags through the crosswalk."""
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


def _insert_metrics(con: duckdb.DuckDBPyConnection) -> None:
    """Metric values: school, year, metric, value, n."""
    con.execute(
        """
        INSERT INTO metric
        SELECT printf('syn-s%07d', s), $years[y + 1], $metrics[m + 1], value, n
        FROM synth_metric ORDER BY s, y, m
        """,
        {"years": list(SCHOOL_YEARS), "metrics": list(METRICS)},
    )


def run(args: argparse.Namespace) -> int:
    """The ``python -m atlas synth`` command (arguments in atlas/__main__.py)."""
    import time

    seed = DEFAULT_SEED if args.seed is None else args.seed
    started = time.perf_counter()
    counts = synthesize(Path(args.out), args.schools, seed=seed, n_districts=args.districts, state=args.state)
    summary = ", ".join(f"{n:,} {table}" for table, n in counts.items())
    print(f"Wrote {args.out} in {time.perf_counter() - started:.1f} s: {summary}")
    return 0

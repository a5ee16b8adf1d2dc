"""A real district: New York City Community School District 10 (Bronx), from public NYC DOE files.

Almost everything goes through the generic importer with mapping files shipped in
data/mappings/nyc-csd10-*.toml. One source needs preparing first, because it is free text:
the 2014-15 High School Directory lists each high school's partners in eight columns
(partner_cbo, partner_hospital, …) as comma-separated names. prepare() splits those lists into
organisations, gives each a partner type (data/mappings/nyc-csd10-partner-types.toml) and writes
importable partners.csv and partnerships.csv. It also turns the attendance figures of the NYC
Schools Atlas compilation (schools.json, not a CSV) into a metrics CSV.

    python -m atlas prepare-nyc                              # writes the prepared CSVs (see --out)
    python -m atlas prepare-nyc --db data/nyc-csd10.duckdb   # … and builds a database from all of it

See docs/nyc.md for the sources, the steps and what the data do and do not say.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from atlas.database.database_file import ROOT
from atlas.database.importing.mapping import load_mapping_file, normalise
from atlas.database.importing.readers import read_path

DEFAULT_RAW = ROOT.parent / "shared" / "data" / "real"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "atlas-nyc-csd10"  # prepared CSVs: derived, not committed
MAPPINGS = ROOT / "data" / "mappings"
DISTRICT = {"id": "nyc-csd10", "name": "NYC Community School District 10 (Bronx)", "state": "NY"}

SCHOOL_LOCATIONS = "adelphi-ed-tech_nycschools/school_locations.csv"
HS_DIRECTORY = "imranchowdhuryiut_Analyzing-NYC-High-School-Data/hs_directory.csv"
GRADUATION = "imranchowdhuryiut_Analyzing-NYC-High-School-Data/graduation.csv"
MATH = "imranchowdhuryiut_Analyzing-NYC-High-School-Data/math_test_results.csv"
SNAPSHOT = "rb2661_NYC_Schools/2013_-_2018_Demographic_Snapshot_School.csv"
ATLAS_JSON = "joshgreenman1973_nyc-schools-atlas/schools.json"

PARTNER_COLUMNS = (
    "partner_cbo", "partner_hospital", "partner_highered", "partner_cultural",
    "partner_nonprofit", "partner_corporate", "partner_financial", "partner_other",
)  # fmt: skip
# The directory is the 2014-15 edition: its partnerships are dated from the start of that year.
DIRECTORY_START = "2014-09-01"
ATTENDANCE_YEAR = "2023-24"  # see docs/nyc.md: the compilation's file is named for 2023-24

# Company-form words that a comma split tears off a name ('Acme, Inc.').
_SUFFIX = re.compile(r"^(inc|incorporated|llc|llp|ltd|corp|corporation|co|l\.?l\.?c|l\.?p|pllc)\.?$", re.IGNORECASE)
# Commas, semicolons and sentence ends ('Bronx Arts Ensemble. Wave Hill') outside parentheses.
_SPLIT = re.compile(r"(?:[,;]|(?<=[a-z]{2})\.\s+(?=[A-Z]))(?![^()]*\))")
# A sentence, not a name, starts with one of these ('For young women who …').
_SENTENCE_START = frozenset(
    ["for", "and", "to", "with", "by", "in", "we", "our", "who", "which", "that", "through", "from", "at", "on", "as"]
)
# Words a name may have in lower case ('Museum of the City of New York').
_SMALL_WORDS = frozenset(
    ["of", "the", "and", "for", "at", "in", "on", "to", "with", "a", "an", "&", "de", "la", "del", "y"]
)
MAX_NAME = 120
MAX_WORDS = 12  # 'The Cooper Union for the Advancement of Science and Art' has 9


@dataclass
class Report:
    schools: int = 0
    directory_schools: int = 0  # district schools listed in the High School Directory
    with_partners: int = 0  # … with at least one partner
    not_in_district: list[str] = field(default_factory=list)  # directory DBNs of district 10 not imported
    names_found: int = 0  # school–partner mentions
    dropped: list[str] = field(default_factory=list)  # fragments that are not organisation names
    partners: int = 0
    partnerships: int = 0
    attendance_rows: int = 0
    files: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"District 10 schools (open, DOE-run, 2019-20): {self.schools}",
            f"High School Directory schools in the district: {self.directory_schools} "
            f"({self.with_partners} list partners)",
            "Directory schools of district 10 not open in 2019-20 (left out): "
            + (", ".join(self.not_in_district) or "—"),
            f"Partner mentions: {self.names_found}; fragments dropped as not names: {len(self.dropped)}",
            f"Partners: {self.partners}; partnerships: {self.partnerships}",
            f"Attendance rows ({ATTENDANCE_YEAR}): {self.attendance_rows}",
            *(f"wrote {path}" for path in self.files),
        ]


# ---- partner names ------------------------------------------------------------------------------


def split_partner_list(cell: str) -> tuple[list[str], list[str]]:
    """Organisation names in a free-text cell, and the fragments dropped.

    Split on commas and semicolons outside parentheses; a company suffix ('Inc.') rejoins the
    name before it; fragments that start in lower case ('for attendance incentives') or are
    long narratives are not names."""
    names: list[str] = []
    dropped: list[str] = []
    for piece in _SPLIT.split(cell or ""):
        piece = " ".join(piece.split()).strip(" .")
        if not piece:
            continue
        if _SUFFIX.match(piece) and names:
            names[-1] = f"{names[-1]}, {piece}"
            continue
        if _not_a_name(piece):
            dropped.append(piece)
            continue
        if piece.startswith("the "):
            piece = "The " + piece[4:]
        names.append(piece)
    return names, dropped


def _not_a_name(piece: str) -> bool:
    """A fragment of a sentence rather than an organisation: most of its words are in lower case
    ('for attendance incentives', 'Dreams are created'; 'buildOn' and 'iMentor' are names, as in
    'the Bronx Opera Company'), it starts like a sentence ('For young women who …'), or it is long."""
    words = re.sub(r"\([^)]*\)", " ", piece).split()
    content = [w for w in words if w.lower() not in _SMALL_WORDS and any(c.isalpha() for c in w)]
    lower = sum(1 for w in content if w == w.lower())
    return (
        not content
        or lower > len(content) - lower
        or words[0].lower() in _SENTENCE_START
        or len(piece) > MAX_NAME
        or len(words) > MAX_WORDS
    )


def partner_key(name: str) -> str:
    """Names that differ only in case, punctuation, spacing, a leading 'The' or a parenthesised
    abbreviation are the same organisation: 'JP Morgan Chase' = 'JPMorgan Chase',
    'Museum of Modern Art (MoMA)' = 'The Museum of Modern Art'."""
    text = normalise(re.sub(r"\([^)]*\)", " ", name))
    text = re.sub(r"^the ", "", text)
    return text.replace(" ", "")


def partner_id(name: str) -> str:
    text = normalise(re.sub(r"\([^)]*\)", " ", name))
    text = re.sub(r"^the ", "", text)
    return "nyc-" + "-".join(text.split())[:60]


def load_type_rules(path: Path | None = None) -> tuple[dict[str, str], list[tuple[re.Pattern, str]]]:
    with open(path or MAPPINGS / "nyc-csd10-partner-types.toml", "rb") as file:
        data = tomllib.load(file)
    rules = [(re.compile(rule["pattern"], re.IGNORECASE), rule["type"]) for rule in data.get("rules", [])]
    return data["columns"], rules


def partner_type(name: str, column: str, defaults: dict[str, str], rules) -> str:
    for pattern, type_id in rules:
        if pattern.search(name):
            return type_id
    return defaults[column]


# ---- the district's schools ------------------------------------------------------------------------


def district_school_ids(raw: Path) -> list[str]:
    """The DBNs the schools mapping imports (its filters applied to the raw file)."""
    mapping = load_mapping_file(MAPPINGS / "nyc-csd10-schools.toml")
    table = read_path(raw / SCHOOL_LOCATIONS)
    index = {name: i for i, name in enumerate(table.header)}
    key = index[mapping.columns["school_id"]]
    ids = []
    for row in table.rows:
        if all(row[index[column]].strip() in wanted for column, wanted in mapping.filters.items()):
            ids.append(row[key].strip())
    return sorted(set(ids))


# ---- preparing ------------------------------------------------------------------------------------------


def prepare(raw: Path = DEFAULT_RAW, out: Path = DEFAULT_OUT) -> Report:
    """Write partners.csv, partnerships.csv and attendance.csv for the district into out."""
    raw, out = Path(raw), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report = Report()
    schools = set(district_school_ids(raw))
    report.schools = len(schools)
    defaults, rules = load_type_rules()

    mentions = _directory_mentions(raw, schools, report)
    report.names_found = len(mentions)
    partners = _partners_named(mentions, defaults, rules)
    partnerships: dict[tuple[str, str], list[str]] = {}
    for dbn, name, column in mentions:
        pid = partners[partner_key(name)][0]
        partnerships.setdefault((dbn, pid), []).append(column)
    report.partners = len(partners)
    report.partnerships = len(partnerships)

    partners_path = out / "partners.csv"
    _write_partners(partners_path, partners)
    partnerships_path = out / "partnerships.csv"
    _write_partnerships(partnerships_path, partnerships)
    attendance_path = out / "attendance.csv"
    report.attendance_rows = _write_attendance(raw / ATLAS_JSON, schools, attendance_path)
    report.files = [partners_path, partnerships_path, attendance_path]
    (out / "dropped-fragments.txt").write_text("\n".join(report.dropped) + "\n", encoding="utf-8")
    return report


def _directory_mentions(raw: Path, schools: set[str], report: Report) -> list[tuple[str, str, str]]:
    """Each partner name the High School Directory lists for a district school: (dbn, name, column).
    The report counts the schools read and the fragments dropped."""
    directory = read_path(raw / HS_DIRECTORY)
    columns = {name: i for i, name in enumerate(directory.header)}
    mentions: list[tuple[str, str, str]] = []  # (dbn, name, column)
    for row in directory.rows:
        dbn = row[columns["dbn"]].strip()
        if not dbn.startswith("10"):
            continue
        if dbn not in schools:
            report.not_in_district.append(dbn)
            continue
        report.directory_schools += 1
        found = 0
        for column in PARTNER_COLUMNS:
            names, dropped = split_partner_list(row[columns[column]])
            report.dropped += dropped
            mentions += [(dbn, name, column) for name in names]
            found += len(names)
        report.with_partners += found > 0
    return mentions


def _partners_named(
    mentions: list[tuple[str, str, str]], defaults: dict[str, str], rules: list[tuple[re.Pattern, str]]
) -> dict[str, tuple[str, str, str]]:
    """Partner key → (partner_id, name, partner_type_id): the most frequent spelling (the first
    seen on a tie), the type of its first mention, ids made unique."""
    spellings: dict[str, Counter] = {}
    types: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    for position, (_, name, column) in enumerate(mentions):
        key = partner_key(name)
        spellings.setdefault(key, Counter())[name] += 1
        types.setdefault(key, partner_type(name, column, defaults, rules))
        first_seen.setdefault(key, position)
    partners = {}
    for key, counts in spellings.items():
        best = max(counts.items(), key=lambda item: (item[1], -first_seen[key]))[0]
        partners[key] = (partner_id(best), best, types[key])
    ids = Counter(pid for pid, _, _ in partners.values())
    for key, (pid, name, type_id) in list(partners.items()):
        if ids[pid] > 1:  # two organisations whose slugs collide: keep both, apart
            partners[key] = (f"{pid}-{key[:8]}", name, type_id)
    return partners


def _write_partners(path: Path, partners: dict[str, tuple[str, str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["partner_id", "name", "partner_type_id"])
        for pid, name, type_id in sorted(partners.values()):
            writer.writerow([pid, name, type_id])


def _write_partnerships(path: Path, partnerships: dict[tuple[str, str], list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["partnership_id", "partner_id", "school_id", "status", "start_date", "notes"])
        for (dbn, pid), sources in sorted(partnerships.items()):
            note = "Listed in the NYC DOE High School Directory 2014-15 (" + ", ".join(sorted(set(sources))) + ")"
            writer.writerow([f"{dbn}:{pid}", pid, dbn, "active", DIRECTORY_START, note])


def _write_attendance(path: Path, schools: set[str], out: Path) -> int:
    """Attendance and chronic absence from the compilation's `quality` block. Its chronic_absent
    is the share of students with more than 90 % attendance (see the SOURCE.md caveat), so the
    chronic absence rate is 100 × (1 − chronic_absent). n = the school's latest enrollment."""
    records = json.loads(path.read_text(encoding="utf-8"))
    rows: dict[tuple[str, str], tuple] = {}  # a school listed twice (two sites) keeps its first record
    for record in records:
        dbn = record.get("dbn")
        quality = record.get("quality") or {}
        demo = record.get("demo") or {}
        n = demo.get("enrollment_latest") or demo.get("enrollment")
        if dbn not in schools or not n:
            continue
        if quality.get("attendance") is not None:
            value = round(100 * quality["attendance"], 1)
            rows.setdefault((dbn, "attendance_rate_pct"), (dbn, ATTENDANCE_YEAR, "attendance_rate_pct", value, int(n)))
        if quality.get("chronic_absent") is not None:
            value = round(100 * (1 - quality["chronic_absent"]), 1)
            rows.setdefault((dbn, "chronic_absence_pct"), (dbn, ATTENDANCE_YEAR, "chronic_absence_pct", value, int(n)))
    with open(out, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["school_id", "school_year", "metric_id", "value", "n"])
        writer.writerows(sorted(rows.values()))
    return len(rows)


# ---- building a database -----------------------------------------------------------------------------------


def import_steps(raw: Path, out: Path) -> list[tuple[str, str, Path, Path | None]]:
    """(step name, kind, file, mapping file) in the order they must be imported."""
    return [
        ("schools", "schools", raw / SCHOOL_LOCATIONS, MAPPINGS / "nyc-csd10-schools.toml"),
        ("demographics", "schools", raw / SNAPSHOT, MAPPINGS / "nyc-csd10-demographics.toml"),
        ("partners", "partners", out / "partners.csv", None),
        ("partnerships", "partnerships", out / "partnerships.csv", None),
        ("graduation", "metrics", raw / GRADUATION, MAPPINGS / "nyc-csd10-graduation.toml"),
        ("math", "metrics", raw / MATH, MAPPINGS / "nyc-csd10-math.toml"),
        ("attendance", "metrics", out / "attendance.csv", None),
    ]


def build_database(db: Path, raw: Path = DEFAULT_RAW, out: Path = DEFAULT_OUT) -> list:
    """A new database for the district, every file imported through the generic importer.
    Returns [(step, ImportResult)]; stops at the first refused step."""
    from atlas.database.districts import new_district_database
    from atlas.database.importing import import_file

    new_district_database(Path(db), DISTRICT["id"], DISTRICT["name"], DISTRICT["state"])
    results = []
    for step, kind, path, mapping in import_steps(Path(raw), Path(out)):
        result = import_file(db, kind, path, mapping=mapping, user="prepare-nyc")
        results.append((step, result))
        if not result.ok:
            break
    return results

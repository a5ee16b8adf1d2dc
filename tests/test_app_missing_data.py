"""Every page's empty and partial states (issue 20): a district with no schools, schools but no
partners, partners but no partnerships, partnerships without strategy tags, no metrics, no need data,
need from FRL % only. Each page says what is missing and links to the Data page, never "widen the
filters" when there is nothing to filter, never "counted as 0"; the priority list's ties are broken
in the order the page states. Tiny databases (tests/partial_district.py), one AppTest per state."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests import independent, partial_district
from tests.app_elements import APP, page_text
from tests.tiny_district import ON_DATE, YEAR

PAGES = ("gaps", "map", "plan", "outcomes", "partners", "school", "story")
DATA_LINK = "Open the Data page"


class _Databases(dict):
    """The partial districts by state, each built the first time a test asks for it (≈ 0.3 s each)."""

    def __init__(self, folder):
        super().__init__()
        self.folder = folder

    def __missing__(self, state):
        self[state] = partial_district.build_partial_district(self.folder / f"{state}.duckdb", state)
        return self[state]


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    return _Databases(tmp_path_factory.mktemp("partial"))


def visit(monkeypatch, path, pages, lang="en", school=None):
    """Each page of pages opened in turn in one session on the database at path: page → (info texts,
    warning texts, caption texts, everything on the page, whether it links to the Data page, charts)."""
    monkeypatch.setenv("ATLAS_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["date"] = ON_DATE.isoformat()
    at.query_params["lang"] = lang
    if school:
        at.query_params["school"] = school
    at.run()
    seen = {}
    for page in pages:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        text = page_text(at)
        seen[page] = {
            "info": [e.value for e in at.info],
            "warning": [e.value for e in at.warning],
            "caption": [e.value for e in at.caption],
            "text": text,
            "data_link": 'page: "data"' in text and DATA_LINK in text,
            "charts": len(at.get("plotly_chart")),
        }
    return seen


def test_no_schools_every_page_says_import_the_schools_file(databases, monkeypatch):
    seen = visit(monkeypatch, databases["no_schools"], PAGES)
    for page, shown in seen.items():
        assert any(i.startswith("No schools yet. Import the schools file") for i in shown["info"]), page
        assert shown["data_link"], page
        assert "Widen" not in shown["text"], page
        assert shown["charts"] == 0, page


def test_no_partners(databases, monkeypatch):
    seen = visit(monkeypatch, databases["no_partners"], ("gaps", "plan", "partners", "map"))
    for page in ("gaps", "partners", "map"):
        assert any(i.startswith("No partners yet: 5 schools are loaded") for i in seen[page]["info"]), page
        assert seen[page]["data_link"], page
    # No matrix of nothing but ✗, no priority list of one school after another.
    assert seen["gaps"]["charts"] == 0
    assert "Priority gaps" not in seen["gaps"]["text"]
    assert any(i.startswith("No partners yet, so there is no one to suggest") for i in seen["plan"]["info"])
    assert "larger radius" not in seen["plan"]["text"]
    assert "Widen" not in seen["partners"]["text"]


def test_no_partnerships_and_no_tags(databases, monkeypatch):
    seen = visit(monkeypatch, databases["no_partnerships"], ("gaps", "partners", "plan"))
    for page in ("gaps", "partners"):
        assert any(i.startswith("No partnerships yet: 3 partners are loaded") for i in seen[page]["info"]), page
    assert seen["gaps"]["charts"] == 0
    assert "larger radius" not in seen["plan"]["text"]
    assert any(i.startswith("No partner runs a tagged strategy") for i in seen["plan"]["info"])

    seen = visit(monkeypatch, databases["no_tags"], ("gaps",))
    assert any("Tag the 7 partnerships" in i for i in seen["gaps"]["info"])
    assert seen["gaps"]["charts"] == 0 and seen["gaps"]["data_link"]


def test_no_metrics(databases, monkeypatch):
    seen = visit(monkeypatch, databases["no_need"], ("outcomes",))  # no_need has no metric either
    assert any(i.startswith("No outcome metrics yet. Import a metrics file") for i in seen["outcomes"]["info"])
    assert seen["outcomes"]["data_link"]


def test_no_need_data_says_the_index_cannot_be_computed_and_how_the_list_is_ordered(databases, monkeypatch):
    seen = visit(monkeypatch, databases["no_need"], ("gaps", "plan", "map", "school"), school="E1")
    for page, shown in seen.items():
        warning = " ".join(shown["warning"])
        assert "The need index cannot be computed" in warning, page
        for column in ("frl_pct", "el_pct", "chronic_absence_pct", "ela_proficiency_pct", "math_proficiency_pct"):
            assert column in warning, (page, column)
    gaps = seen["gaps"]
    assert "counted as 0" not in gaps["text"]
    assert "Highest need first" not in gaps["text"] and "schools by name" in gaps["text"]  # the matrix's corner
    school = seen["school"]
    assert "need index 0" not in school["text"]
    assert any(
        c.startswith("This school's need index is unknown, so its gaps have no priority") for c in school["caption"]
    )
    assert any(c.startswith("Need is unknown for every school, so the list is ordered by") for c in gaps["caption"])


def test_need_from_frl_only_names_the_parts_it_uses(databases, monkeypatch):
    seen = visit(monkeypatch, databases["only_frl"], ("gaps",))
    assert any(
        w.startswith("The need index uses FRL % only; not loaded for") and "EL %, chronic absence and proficiency" in w
        for w in seen["gaps"]["warning"]
    )
    assert any(c.startswith("Order: need index × strategy weight") for c in seen["gaps"]["caption"])


def test_spanish_no_schools(databases, monkeypatch):
    seen = visit(monkeypatch, databases["no_schools"], ("gaps",), lang="es")
    assert any(i.startswith("Todavía no hay escuelas") for i in seen["gaps"]["info"])


def test_need_parts_available(databases, monkeypatch):
    from atlas.database.db import clear_caches
    from atlas.domain.filters import Filters
    from atlas.domain.query.parts import district_parts, need_parts_available

    filters = Filters(framework_id="fw", on_date=ON_DATE, school_year=YEAR)
    expected = {
        "no_need": (),
        "only_frl": ("frl",),
        "no_partners": ("frl", "el", "chronic_absence", "non_proficiency"),
    }
    for state, parts in expected.items():
        monkeypatch.setenv("ATLAS_DB", str(databases[state]))
        clear_caches()
        assert need_parts_available(filters) == parts, state
    district = district_parts(filters)  # no_partners: the four parts, for the four schools with data
    assert district.need_schools == {"frl": 4, "el": 4, "chronic_absence": 4, "non_proficiency": 4}
    assert (district.n_schools, district.n_located, district.n_partners, district.n_partnerships) == (5, 4, 0, 0)
    clear_caches()


# ---- ties in the priority list ------------------------------------------------------------------


def _stated_order(con, need: pd.DataFrame) -> list[tuple[str, int]]:
    """The uncovered cells in the order the page states (gaps.priority_order), in pandas."""
    cells = independent.covered_cells(con, "fw", ON_DATE)
    strategies = con.execute("SELECT number AS strategy_number, priority_weight FROM strategy").df()
    schools = con.execute("SELECT school_id, name, enrollment FROM school").df()
    cells = cells[~cells["is_covered"]].merge(strategies, on="strategy_number").merge(schools, on="school_id")
    cells = cells.merge(need[["school_id", "need_index"]], on="school_id")
    cells["need_unknown"] = cells["need_index"].isna()
    cells["priority"] = cells["need_index"].fillna(0) * cells["priority_weight"]
    cells["enrollment_unknown"] = cells["enrollment"].isna()
    keys = {  # column → ascending
        "need_unknown": True,
        "priority": False,
        "priority_weight": False,
        "n_active": True,
        "strategy_number": True,
        "enrollment_unknown": True,
        "enrollment": False,
        "name": True,
        "school_id": True,
    }
    ordered = cells.sort_values(list(keys), ascending=list(keys.values()))
    return list(zip(ordered["school_id"], ordered["strategy_number"].astype(int), strict=True))


@pytest.mark.parametrize("state", ["no_need", "tied_need"])
def test_priority_ties_are_broken_in_the_stated_order(databases, tmp_path, state):
    """Hand-made ties: no need at all (every cell ties on need), and M1 and E2 with the same FRL % and
    nothing else (equal need): the order is the stated one, checked against pandas."""
    if state == "no_need":
        path = databases["no_need"]
    else:
        rows = partial_district.rows_of("only_frl")
        rows["school"] = [(*row[:10], 60, *row[11:]) if row[0] in ("M1", "E2") else row for row in rows["school"]]
        path = partial_district.write_rows(tmp_path / "ties.duckdb", rows)
    with duckdb.connect(str(path), read_only=True) as con:
        listed = con.execute(
            "SELECT school_id, strategy_number FROM priority_gap('fw', $d, $y, [], [], 'all') ORDER BY priority_rank",
            {"d": ON_DATE, "y": YEAR},
        ).fetchall()
        expected = _stated_order(con, independent.need_table(con, YEAR))
    assert listed == expected
    if state == "tied_need":  # equal need and weight: the larger school (M1, 300 students) before E2 (200)
        assert listed.index(("M1", 2)) < listed.index(("E2", 2))


@pytest.mark.parametrize(("n_high_need", "why"), [(0, "no school in view is high-need"), (5, "every school in view")])
def test_equity_bars_say_why_there_is_no_comparison(n_high_need, why):
    """With no high-need school (no need data) or only high-need ones, every equity gap is missing:
    the panel says why once instead of "n/a" on every bar."""
    from atlas.present.coverage_charts import coverage_and_equity_chart

    coverage = pd.DataFrame(
        {
            "strategy_number": [1, 2, 3],
            "short_name": ["Listening", "Outreach", "Learning"],
            "covered_pct": [20.0, 0.0, 40.0],
            "equity_gap_pct": [float("nan")] * 3,
            "n_schools": [5] * 3,
            "n_high_need": [n_high_need] * 3,
        }
    )
    figure = coverage_and_equity_chart(coverage, "en").to_plotly_json()
    assert "n/a" not in list(figure["data"][1]["text"])
    notes = [a["text"].replace("<br>", " ") for a in figure["layout"]["annotations"]]
    assert any(note.startswith("No equity comparison") and why in note for note in notes)


def test_the_data_quality_report_says_what_is_not_loaded(databases, monkeypatch):
    """No partners: the report's zeros (no idle partner, no partnership without an MOU) must not look
    healthy; it says first what is not loaded yet."""
    from atlas.present.i18n import translate

    monkeypatch.setenv("ATLAS_DB", str(databases["no_partners"]))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["date"] = ON_DATE.isoformat()
    at.run()
    at.switch_page("pages/data.py").run()
    at.session_state["data_tab"] = translate("data.tab_quality", "en")
    at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Not loaded yet: partners and partnerships.") for w in warnings), warnings


def test_a_real_district_with_schools_and_demographics_only(tmp_path, monkeypatch):
    """NYC Community School District 10 from its public files (../shared/data/real): the schools and
    the Demographic Snapshot (FRL % and EL %), nothing else. The pages count the schools of the raw
    file, say that partners come next and that the need index uses FRL % and EL % only."""
    from atlas import nyc
    from atlas.database.db import clear_caches
    from atlas.database.districts import new_district_database
    from atlas.database.importing import import_file
    from atlas.domain.filters import Filters
    from atlas.domain.query.parts import district_parts

    db = tmp_path / "nyc.duckdb"
    new_district_database(db, nyc.DISTRICT["id"], nyc.DISTRICT["name"], nyc.DISTRICT["state"])
    for _, kind, path, mapping in nyc.import_steps(nyc.DEFAULT_RAW, tmp_path)[:2]:  # schools, demographics
        assert import_file(db, kind, path, mapping=mapping, user="test").ok
    raw = pd.read_csv(nyc.DEFAULT_RAW / nyc.SCHOOL_LOCATIONS, dtype=str)
    raw = raw[
        (raw["geographical_district_code"] == "10")
        & (raw["status_descriptions"] == "Open")
        & (raw["managed_by_name"] == "DOE")
    ]
    n_schools = raw["system_code"].nunique()

    seen = visit(monkeypatch, db, ("gaps", "map"))
    for page in ("gaps", "map"):
        assert any(i.startswith(f"No partners yet: {n_schools} schools are loaded") for i in seen[page]["info"]), page
    notes = [c for c in seen["map"]["caption"] if c.startswith("The need index uses FRL % and EL % only")]
    assert notes and "chronic absence and proficiency" in notes[0]
    clear_caches()
    parts = district_parts(Filters(framework_id="nea-fscp-2", on_date=ON_DATE, school_year="2017-18"))
    assert parts.need_parts == ("frl", "el") and parts.n_schools == n_schools
    clear_caches()

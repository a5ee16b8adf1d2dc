"""Large districts look right (issue 20): planned partnerships say "not started" instead of None,
tables format their numbers, map partner types differ by pattern as well as colour, and the
coverage matrix keeps its strategy numbers apart — checked on the demo and on one synthetic
district of 1,000 schools built once for the module (python -m atlas synth)."""

from __future__ import annotations

import html
import itertools
import json
import re

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas import synth
from atlas.database import sql
from atlas.present import escape, gaps_charts, gaps_grid, maps, plan_figures
from atlas.present.figures import AXIS_NAME_CHARS
from atlas.present.map_partner_layer import PATTERN_GLYPHS, PATTERN_ORDER
from tests.app_elements import APP, DEMO_DAY, open_page, values
from tests.browser import ROOT


def planned_undated(demo_db) -> tuple[str, str]:
    """A (school_id, partner_id) of a planned partnership without a start date in the demo."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        row = con.execute(
            "SELECT school_id, partner_id FROM partnership WHERE status = 'planned' AND start_date IS NULL "
            "ORDER BY partnership_id LIMIT 1"
        ).fetchone()
    assert row, "the demo has planned partnerships without a start date"
    return row


def shown_cells(frame: pd.DataFrame, column: str) -> list:
    return frame[column].tolist()


@pytest.mark.parametrize(("lang", "start", "words"), [("en", "Start", "not started"), ("es", "Inicio", "sin comenzar")])
def test_planned_partnerships_say_not_started_never_none(app, demo_db, lang, start, words):
    school_id, partner_id = planned_undated(demo_db)
    at = open_page(app, "pages/school.py", query={"school": school_id, "lang": lang})
    school = next(d.value for d in at.dataframe if start in d.value.columns)
    at.switch_page("pages/partners.py")
    at.query_params["partner"] = partner_id
    at.run()
    assert not at.exception
    partner = next(d.value for d in at.dataframe if start in d.value.columns and len(d.value) and "notes" in d.value)
    for table in (school, partner):
        cells = shown_cells(table, start)
        assert words in cells
        assert not any(cell is None or pd.isna(cell) or str(cell) in ("None", "NaT", "nan") for cell in cells)


# ---- one synthetic district of 1,000 schools -------------------------------------------------------


@pytest.fixture(scope="module")
def large_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("large") / "large.duckdb"
    synth.synthesize(path, 1_000, seed=20, n_districts=1)
    return path


@pytest.fixture
def large_app(large_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(large_db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["date"] = DEMO_DAY.isoformat()
    return at


def most_decimals_shown(table) -> dict[str, int]:
    """Per float column of a st.dataframe element, the decimals it shows: those of its number
    format when the page set one, else those of its longest value (Streamlit writes up to four)."""
    config = json.loads(table.proto.columns) if table.proto.columns else {}
    shown = {}
    for column in table.value.columns:
        values = table.value[column]
        if not pd.api.types.is_float_dtype(values):
            continue
        number_format = (config.get(column) or {}).get("type_config", {}).get("format")
        if number_format:
            shown[column] = int(number_format[2]) if number_format.startswith("%.") else 0
        else:
            shown[column] = max((len(f"{v:.4f}".rstrip("0").split(".")[1]) for v in values.dropna()), default=0)
    return shown


@pytest.mark.parametrize("page", ["overview", "map", "plan", "outcomes", "gaps"])
def test_tables_show_at_most_two_decimals(large_app, page):
    at = open_page(large_app, f"pages/{page}.py")
    decimals = {column: n for table in at.dataframe for column, n in most_decimals_shown(table).items()}
    assert decimals, "the page shows a table with numbers"
    assert all(n <= 2 for n in decimals.values()), decimals


def map_figure(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_map_partner_types_differ_by_pattern_and_schools_shrink(large_app, large_db):
    at = open_page(large_app, "pages/map.py")
    at.toggle(key="map_show_partners").set_value(True).run()
    assert not at.exception
    traces = map_figure(at)["data"]
    types = [t for t in traces if (t.get("meta") or {}).get("layer") == maps.PARTNERS]
    with duckdb.connect(str(large_db), read_only=True) as con:
        n_types = con.execute("SELECT count(DISTINCT partner_type_id) FROM partner").fetchone()[0]
    assert len(types) == n_types > len(PATTERN_ORDER)
    looks = [(t["marker"]["color"], t["meta"]["pattern"]) for t in types]
    assert len(set(looks)) == len(looks)  # no two types look the same…
    assert {pattern for _, pattern in looks} == set(PATTERN_ORDER)  # …and not by colour alone
    # Types next to each other in the legend differ in pattern, which the legend shows by its glyph.
    assert all(a[1] != b[1] for a, b in itertools.pairwise(looks))
    assert all(t["name"].startswith(PATTERN_GLYPHS[t["meta"]["pattern"]] + " ") for t in types)
    # The inner circles make the pattern: a bullseye has a coloured centre, a double ring a white one.
    inner = {(t.get("meta") or {}).get("layer"): t for t in traces}
    counts = {p: sum(len(values(t["lat"])) for t in types if t["meta"]["pattern"] == p) for p in PATTERN_ORDER}
    assert len(values(inner[maps.PARTNER_CENTRES]["lat"])) == sum(counts.values())
    assert len(values(inner[f"{maps.PARTNER_CENTRES}_2"]["lat"])) == counts["bullseye"] + counts["double_ring"]
    assert len(values(inner[f"{maps.PARTNER_CENTRES}_3"]["lat"])) == counts["double_ring"]
    # A thousand schools are drawn smaller than a small district's, so they do not pile into a blot.
    schools = [t for t in traces if (t.get("meta") or {}).get("layer") == maps.SCHOOLS]
    assert max(max(values(t["marker"]["size"])) for t in schools) <= 13


NYC_DIRECTORY = ROOT.parent / "shared" / "data" / "real" / "imranchowdhuryiut_Analyzing-NYC-High-School-Data"


@pytest.fixture(scope="module")
def large_matrix(large_db) -> pd.DataFrame:
    """The 1,000 schools' matrix, each school renamed with a real New York City high school's name
    (the 2014 directory: 281 of its 435 names are over 30 characters, up to 79)."""
    with duckdb.connect(str(large_db), read_only=True) as con:
        framework = con.execute("SELECT framework_id FROM framework WHERE is_default").fetchone()[0]
        matrix = sql.execute(
            con, "gaps_matrix", framework_id=framework, on_date=DEMO_DAY, school_year="2025-26", levels=[],
            regions=[], need_tier="all", lang="en", max_schools=None,
        )  # fmt: skip
    names = pd.read_csv(NYC_DIRECTORY / "hs_directory.csv", usecols=["school_name"])["school_name"].tolist()
    ids = list(dict.fromkeys(matrix["school_id"]))
    real = {school_id: names[i % len(names)] for i, school_id in enumerate(ids)}
    return matrix.assign(school_name=matrix["school_id"].map(real))


@pytest.mark.parametrize("n_schools", [100, 1_000])
@pytest.mark.parametrize("presenting", [False, True])
def test_matrix_header_and_key_keep_numbers_apart(large_matrix, n_schools, presenting):
    ids = list(dict.fromkeys(large_matrix["school_id"]))[:n_schools]
    matrix = large_matrix[large_matrix["school_id"].isin(ids)]
    figure = gaps_charts.coverage_heatmap(matrix, "es", presenting)
    numbers = sorted(set(matrix["strategy_number"]))
    layout = figure.layout
    # Every strategy number is its own tick label, top and bottom: never one string of digits.
    for axis in (layout.xaxis, layout.xaxis2):
        assert list(axis.ticktext) == [str(n) for n in numbers] and axis.tickmode == "array"
    (key,) = [a for a in layout.annotations if a.text.startswith("1 · ")]
    assert [line.split(" · ")[0] for line in key.text.split("<br>")] == [str(n) for n in numbers]
    # Long real names are cut on the axis (the hover keeps them whole), so the row labels leave the
    # columns room: ten strategies at 36 px or more in the chart's width at 1440 px (beside the
    # priority list), or 1280 px when presenting (the full width).
    # Between every 20 schools, a grey row repeats the numbers, one to a cell: the columns stay named
    # wherever a 120-row matrix is scrolled to.
    cells = figure.data[0]
    key_rows = [i for i, y in enumerate(cells.y) if y.startswith(gaps_grid.KEY_ROW_PREFIX)]
    n_rows = min(n_schools, gaps_charts.MAX_MATRIX_ROWS)
    assert len(key_rows) == (n_rows - 1) // gaps_grid.KEY_ROW_EVERY
    assert all([re.sub(r"</?b>", "", cell) for cell in cells.text[i]] == [str(n) for n in numbers] for i in key_rows)
    labels = [
        html.unescape(re.sub(r"</?b>", "", label)) for i, label in enumerate(layout.yaxis.ticktext) if i not in key_rows
    ]
    assert len(labels) == n_rows
    assert max(len(label.split(" · ")[0]) for label in labels) <= AXIS_NAME_CHARS
    assert any(label.split(" · ")[0].endswith("…") for label in labels)
    assert ((1180 if presenting else 700) - layout.margin.l - layout.margin.r) / len(numbers) >= 36
    hovers = " ".join(figure.data[1].customdata)
    cut = next(name for name in matrix["school_name"] if len(name) > AXIS_NAME_CHARS)
    assert escape.plotly(cut) in hovers


@pytest.mark.parametrize("lang", ["en", "es"])
def test_before_after_panel_titles_fit_their_panels(lang):
    """Three panels share the width: each title on lines short enough not to run into the next
    (in Spanish "Escuelas de alta necesidad cubiertas" ran into "Brecha de equidad (puntos)")."""
    rows = pd.DataFrame({"strategy_number": [1, 2], "short_name": ["Agreeing on core values", "Listening"]})
    for stem in ("covered_pct", "high_need_covered_pct", "equity_gap_pct"):
        rows[f"{stem}_before"], rows[f"{stem}_after"] = [10.0, 20.0], [30.0, 25.0]
    layout = plan_figures.before_after_chart(rows, lang, presenting=True).layout
    titles = [layout[f"xaxis{suffix}"].title.text for suffix in ("", "2", "3")]
    assert all(len(line) <= plan_figures.PANEL_TITLE_CHARS for title in titles for line in title.split("<br>"))
    assert any("<br>" in title for title in titles)

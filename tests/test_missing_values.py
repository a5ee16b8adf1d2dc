"""Any value may be missing: the demo district with each optional column blanked in turn (and all of
them at once, on every row or every other row; no metrics; no partners), every page run with AppTest
— the School profile and the Partners detail for several ids, every tab — and the CSV downloads and
the board packet made: no exception, no error box, and no "nan", "None", "<NA>" or "NaT" shown.

The columns are read from the schema (every nullable column of the tables below), so a column added
later is blanked too; the schema's CHECKs that tie a column to another are followed (PAIRED,
CONSTRAINED). One AppTest per database visits every page in turn (visit_every_page)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from atlas.database import sql
from atlas.present.i18n import translate
from tests.app_elements import leaves

APP = str(Path(__file__).resolve().parent.parent / "app.py")

# The tables a district's files fill (the others are settings, reference data or the app's own records).
TABLES = ("school", "partner", "partnership", "framework", "geo_feature")
# Columns blanked together or only on some rows, because a CHECK in data/schema.sql says so.
PAIRED = {("school", "latitude"): "longitude", ("partner", "latitude"): "longitude"}
CONSTRAINED = {
    ("partnership", "start_date"): "status = 'planned'",  # only a planned partnership may lack a start
    ("partnership", "end_date"): "status <> 'ended'",  # an ended one has an end date
    ("geo_feature", "school_id"): None,  # NULL exactly for the boundary: nothing to blank
}

SCHOOLS = ("RB-E01", "RB-M01", "RB-H01", "RB-O01")  # one of each level
PARTNERS = ("RB-P015", "RB-P001", "RB-P018")  # RB-P015 and RB-P018 have no capacity in the demo
SHOWN_AS_MISSING = re.compile(r"(?<![\w-])(nan|None|<NA>|NaT)(?![\w-])")
TEXT_ELEMENTS = {"Markdown", "Caption", "Title", "Header", "Subheader", "Text", "Info", "Warning", "Success", "Error"}


def nullable_columns() -> list[tuple[str, tuple[str, ...], str | None]]:
    """(table, columns blanked together, the rows they are blanked on) for every optional column."""
    with duckdb.connect() as con:
        con.execute(Path(APP).with_name("data").joinpath("schema.sql").read_text(encoding="utf-8"))
        rows = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE is_nullable AND table_name IN $tables"
            " ORDER BY table_name, column_index",
            {"tables": list(TABLES)},
        ).fetchall()
    groups = []
    for table, column in rows:
        if (table, column) in PAIRED:
            groups.append((table, (column, PAIRED[table, column]), None))
            continue
        if (table, column) in {(table_name, other) for (table_name, _), other in PAIRED.items()}:
            continue
        if (table, column) in CONSTRAINED and CONSTRAINED[table, column] is None:
            continue
        groups.append((table, (column,), CONSTRAINED.get((table, column))))
    return groups


def blank(con, groups, every_other_row: bool = False) -> None:
    for table, columns, where in groups:
        conditions = [where] if where else []
        if every_other_row:
            conditions.append("rowid % 2 = 0")
        assignments = ", ".join(f"{column} = NULL" for column in columns)
        con.execute(f"UPDATE {table} SET {assignments}" + (f" WHERE {' AND '.join(conditions)}" if conditions else ""))


def no_metrics(con) -> None:
    con.execute("DELETE FROM metric")


def no_partners(con) -> None:
    for table in ("partnership_strategy", "partnership", "partner"):
        con.execute(f"DELETE FROM {table}")


GROUPS = nullable_columns()
VARIANTS = {f"{group[0]}.{'+'.join(group[1])}": (lambda con, g=group: blank(con, [g])) for group in GROUPS}
VARIANTS["all-blank"] = lambda con: blank(con, GROUPS)
VARIANTS["all-blank-every-other-row"] = lambda con: blank(con, GROUPS, every_other_row=True)
VARIANTS["no-metrics"] = no_metrics
VARIANTS["no-partners"] = no_partners


@pytest.fixture(scope="module")
def demo_copy(demo_db, tmp_path_factory):
    """A copy of the session's demo district (built by the same build_demo_database), in a folder of
    this module's own where the variants are made beside it."""
    copy = tmp_path_factory.mktemp("missing") / "demo.duckdb"
    shutil.copyfile(demo_db, copy)
    return copy


def variant_database(demo_copy: Path, name: str) -> Path:
    path = demo_copy.with_name(f"{re.sub(r'[^a-z0-9]+', '-', name.lower())}.duckdb")
    shutil.copyfile(demo_copy, path)
    with duckdb.connect(str(path)) as con:
        VARIANTS[name](con)
        sql.install_macros(con)  # the tables stored from the data (need index, coverage) made again
    return path


def test_every_nullable_column_is_blanked():
    """The generated list covers what the issue names (a guard against a silently shorter list)."""
    names = set(VARIANTS)
    for expected in (
        "school.enrollment", "school.latitude+longitude", "school.frl_pct", "school.el_pct", "school.grades",
        "school.region", "school.feeder_high_school_id", "partner.capacity_schools", "partner.latitude+longitude",
        "partner.languages", "partnership.start_date", "partnership.end_date", "partnership.annual_cost_usd",
        "partnership.students_served",
    ):  # fmt: skip
        assert expected in names


# ---- running every page --------------------------------------------------------------------------


def shown_texts(at) -> list[str]:
    """What the page shows as text: markdown, captions, headings, alerts, metric tiles, the column
    names and text cells of every table, and the strings of every chart."""
    texts = []
    for node in leaves(at):
        kind = type(node).__name__
        if kind == "Dataframe":
            frame = node.value
            texts += [str(column) for column in frame.columns]
            for column in frame.columns:
                if not pd.api.types.is_numeric_dtype(frame[column]):
                    texts += [str(value) for value in frame[column].dropna().tolist()]
        elif kind == "Metric":
            texts += [node.label, node.value]
        elif kind in TEXT_ELEMENTS:
            texts.append(node.value)
        elif node.type == "plotly_chart":  # titles, hover texts, labels: every string of the figure
            texts += list(strings(json.loads(node.proto.spec)))
    return texts


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, (dict, list)):
        for child in node.values() if isinstance(node, dict) else node:
            yield from strings(child)


def make_every_download(monkeypatch) -> dict[str, int]:
    """Every file a download button offers (CSV tables, the Plan's workbook) made as the page runs,
    not when clicked, so an exception in making it fails the run: file name → size in bytes."""
    made: dict[str, int] = {}
    original = st.download_button

    def making_download(label, data, *args, **kwargs):
        data = data() if callable(data) else data
        made[kwargs.get("file_name") or label] = len(data)
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", making_download)
    return made


class Visit:
    """One AppTest on one database, run page after page; every run is checked."""

    def __init__(self, db: Path, monkeypatch, lang: str = "en"):
        monkeypatch.setenv("ATLAS_DB", str(db))
        self.at = AppTest.from_file(APP, default_timeout=60)
        self.at.query_params["lang"] = lang
        self.lang = lang
        self.downloads = make_every_download(monkeypatch)
        self.runs: list[str] = []
        self.problems: list[str] = []

    def check(self, where: str) -> None:
        at = self.at
        self.runs.append(where)
        if at.exception:
            exception = at.exception[0]
            # The message itself may be redacted for viewers; the trace's last lines carry it.
            trace = [line.strip() for line in exception.stack_trace if line.strip()]
            ours = [line for line in trace if line.startswith("File") and "/atlas/" in line]
            self.problems.append(f"{where}: {trace[-1] if trace else exception.message} ({ours[-1] if ours else ''})")
        for error in at.error:
            self.problems.append(f"{where}: error box {error.value}")
        for text in shown_texts(at):
            found = SHOWN_AS_MISSING.search(text)
            if found:
                self.problems.append(f"{where}: shows {found.group(0)!r} in {text[:200]!r}")

    def run(self, where: str) -> None:
        self.at.run()
        self.check(where)

    def page(self, script: str, where: str | None = None) -> None:
        self.at.switch_page(script).run()
        self.check(where or script)

    def label(self, key: str) -> str:
        return translate(key, self.lang)

    def set(self, key: str, value, where: str) -> None:
        """Set a widget (or a tab's state) by key and rerun."""
        self.at.session_state[key] = value
        self.run(where)


def visit_every_page(visit: Visit, has_partners: bool) -> None:
    """Every page and tab; the School profile by deep link and then by the picker, the Partners
    detail by deep link (a partner without capacity) and then by the picker."""
    at = visit.at
    visit.run("overview")
    visit.page("pages/map.py", "map")
    visit.set("map_show_partners", True, "map with partners")
    visit.set("map_shade_zones", True, "map with zones")
    visit.page("pages/gaps.py", "gaps")
    visit.set("gaps_tab", visit.label("gaps.tab_continuity"), "gaps continuity")
    visit.page("pages/outcomes.py", "outcomes")
    at.query_params["school"] = SCHOOLS[0]
    visit.page("pages/school.py", f"school {SCHOOLS[0]}")
    for school in SCHOOLS[1:]:
        visit.set("school_pick", school, f"school {school}")
    visit.page("pages/plan.py", "plan")
    for tab in ("plan.tab_bundles", "plan.tab_scenario"):
        visit.set("plan_tab", visit.label(tab), tab)
    visit.page("pages/community.py", "community")
    visit.page("pages/story.py", "story 1")
    for step in range(2, 5):
        at.button(key="story_next").click().run()
        visit.check(f"story {step}")
    visit.page("pages/data.py", "data")
    for tab in ("data.tab_edit", "data.tab_tag", "data.tab_quality", "data.tab_history"):
        visit.set("data_tab", visit.label(tab), tab)
    at.query_params["partner"] = PARTNERS[0]
    visit.page("pages/partners.py", f"partner {PARTNERS[0]}" if has_partners else "partners")
    if has_partners:
        for partner in PARTNERS[1:]:
            visit.set("partner_pick", partner, f"partner {partner}")


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_page_runs_with_missing_values(variant, demo_copy, monkeypatch):
    visit = Visit(variant_database(demo_copy, variant), monkeypatch)
    visit_every_page(visit, has_partners=variant != "no-partners")
    assert not visit.problems, "\n".join(visit.problems)
    assert len(visit.runs) >= 25
    assert len(visit.downloads) >= 10  # each made without an exception (a failure is an exception above)
    # The Plan's workbook; with no partners the Plan says so and has nothing to export.
    assert variant == "no-partners" or any(name.endswith(".xlsx") for name in visit.downloads)


# What the School profile and the Partners detail say of the values the all-blank variant lacks.
SAYS_MISSING = {
    "en": {
        "enrollment": ("Enrollment", "not reported"),
        "school_caption": "Elementary · grades not reported · region not reported",
        "feeder": "The high school it feeds into is not reported.",
        "nearby": "This school’s location is not reported, so the partners near it cannot be found.",
        "need_part": "- Free or reduced-price lunch: not reported.",
        "map_schools": "61 schools in scope have no location and are not on the map; they are in the table.",
        "map_partners": "150 partners have no location and are not on the map.",
        "partner": ["**Languages**  \nnot reported", "**Capacity (schools)**  \nserves 2 schools (capacity unknown)",
                    "**Address**  \nnot reported", "No contact is recorded.",
                    "This partner’s location is not reported: the map shows its schools only."],
    },
    "es": {
        "enrollment": ("Matrícula", "sin dato"),
        "school_caption": "Primaria · grados no informados · región no informada",
        "feeder": "No se ha informado a qué escuela secundaria superior pasan sus estudiantes.",
        "nearby": "No se ha informado la ubicación de esta escuela, así que no se pueden buscar los aliados cercanos.",
        "need_part": "- Almuerzo gratis o a precio reducido: sin dato.",
        "map_schools": "61 escuelas seleccionadas no tienen ubicación y no aparecen en el mapa; están en la tabla.",
        "partner": ["**Idiomas**  \nsin dato", "atiende 2 escuelas (capacidad desconocida)",
                    "**Dirección**  \nsin dato", "No hay ningún contacto registrado.",
                    "No se ha informado la ubicación de este aliado: el mapa muestra solo sus escuelas."],
    },
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "es"])
def test_missing_values_are_said_in_words(lang, demo_copy, monkeypatch):
    visit = Visit(variant_database(demo_copy, "all-blank"), monkeypatch, lang)
    expected = SAYS_MISSING[lang]
    visit.at.query_params["school"] = SCHOOLS[0]
    visit.run("start")
    visit.page("pages/school.py", "school")
    at = visit.at
    assert (at.metric[0].label, at.metric[0].value) == expected["enrollment"]
    captions = [caption.value for caption in at.caption]
    assert any(caption.startswith(expected["school_caption"]) for caption in captions), captions
    assert expected["feeder"] in captions
    assert expected["nearby"] in [info.value for info in at.info]
    assert expected["need_part"] in "\n".join(markdown.value for markdown in at.markdown)
    visit.at.query_params["partner"] = PARTNERS[0]
    visit.page("pages/partners.py", "partner")
    shown = "\n".join(element.value for element in [*at.markdown, *at.caption])
    for sentence in expected["partner"]:
        assert sentence in shown
    directory = at.dataframe[0].value  # the directory: no partner's languages reported
    languages = "Languages" if lang == "en" else "Idiomas"
    assert set(directory[languages]) == {expected["enrollment"][1]}
    # The Map last: outside a script run AppTest formats its measure picker in English, so a rerun
    # after it fails in Spanish (an AppTest artefact, not the app's).
    visit.page("pages/map.py", "map")
    assert expected["map_schools"] in [caption.value for caption in at.caption]
    if lang == "en":
        visit.set("map_show_partners", True, "map with partners")
        assert expected["map_partners"] in [caption.value for caption in at.caption]
    assert not visit.problems, "\n".join(visit.problems)


@pytest.mark.parametrize(("variant", "kind", "lang"), [("all-blank", "pdf", "en"), ("no-partners", "pptx", "es")])
def test_the_board_packet_is_made_with_missing_values(variant, kind, lang, demo_copy, monkeypatch):
    from atlas.present import packet

    monkeypatch.setenv("ATLAS_DB", str(variant_database(demo_copy, variant)))
    slides = packet.collect(lang, packet.default_filters(), lambda done, text: None)
    texts = [text for slide in slides for text in slide.texts()]
    assert [text for text in texts if SHOWN_AS_MISSING.search(text)] == []
    data = packet.write_pdf(slides, lang) if kind == "pdf" else packet.write_pptx(slides, lang)
    assert data.startswith(b"%PDF" if kind == "pdf" else b"PK")


def test_schools_imported_with_only_id_name_and_level(demo_copy, tmp_path, monkeypatch):
    """The issue's case: a district's school file with no enrollment (nor anything but id, name and
    level) imported through the app's import, then the new school's profile and the pages that list it."""
    from atlas.database.importing import import_file

    db = tmp_path / "imported.duckdb"
    shutil.copyfile(demo_copy, db)
    schools = tmp_path / "schools.csv"
    schools.write_text(
        "school_id,name,level\nRB-E01,Jane Addams Elementary School,elementary\nRB-N01,New Start Academy,middle\n"
    )
    result = import_file(db, "schools", schools)
    assert result.ok, result.problems
    visit = Visit(db, monkeypatch)
    visit.at.query_params["school"] = "RB-N01"
    visit.run("overview")
    visit.page("pages/school.py", "school RB-N01")
    assert (visit.at.metric[0].label, visit.at.metric[0].value) == ("Enrollment", "not reported")
    visit.set("school_pick", "RB-E01", "school RB-E01")
    for script in ("pages/map.py", "pages/gaps.py", "pages/outcomes.py", "pages/plan.py"):
        visit.page(script)
    assert not visit.problems, "\n".join(visit.problems)


def test_a_packet_table_cell_says_a_missing_value_in_words():
    from atlas.present import packet_slides

    # pandas' NA (a nullable INTEGER such as students served) printed as "<NA>" before.
    cells = [packet_slides._cell_text(value, "en") for value in (pd.NA, None, float("nan"), 12)]
    assert cells == ["not reported", "not reported", "not reported", "12"]

"""Every map the app draws uses the one offline style of atlas/present/map_style.py: nothing to fetch (no
URL) and a non-empty "sources" (Plotly.react drops an empty one, and MapLibre then fails on the
next redraw). Checked on the figures the Map page, the story, a partner's page and the Plan page
build from the demo district, and in the source: no other module writes a MapLibre style."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from atlas.domain.query import map as map_queries
from atlas.domain.query import partners as partner_queries
from atlas.present import map_style, maps, packet, partner_figures, plan_report, story

ATLAS = Path(__file__).resolve().parent.parent / "atlas"
ON_DATE = date(2025, 3, 1)


def map_figures(filters, lang: str) -> dict:
    """Every map figure of the app, by where it is shown, built from the database in ATLAS_DB."""
    outlines = map_queries.map_outlines()
    schools = map_queries.map_schools(filters, lang)
    figures = {
        "map page": maps.school_map(
            schools,
            measure="n_covered",
            lang=lang,
            boundary=maps.feature_collection(outlines, "boundary"),
            zones=maps.feature_collection(outlines, "zone"),
            shade_zones=True,
            partners=map_queries.map_partners(filters, lang),
        ),
        "story": story.build_step("map", filters, lang, presenting=False).figure,
    }
    partner_id = partner_queries.directory(filters, lang, max_rows=1)["partner_id"].iloc[0]
    figures["partner page"] = partner_figures.partner_map(
        partner_queries.partner(partner_id, lang),
        partner_queries.partnerships(partner_id, filters),
        partner_queries.school_points(),
        ON_DATE,
        lang,
        boundary_rows=partner_queries.district_boundary_rows(),
    )
    plan = plan_report.plan_section(filters, lang, presenting=False)
    figures |= {
        f"plan: {title}": figure for title, figure in plan.figures.items() if "map" in figure.to_plotly_json()["layout"]
    }
    return figures


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_map_figure_uses_the_one_offline_style(demo_db, monkeypatch, lang):
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    figures = map_figures(packet.default_filters(ON_DATE), lang)
    assert {"map page", "story", "partner page"} <= figures.keys()
    assert any(name.startswith("plan: ") for name in figures)  # the bundle map
    for name, figure in figures.items():
        style = figure.to_plotly_json()["layout"]["map"]["style"]
        assert style == map_style.OFFLINE_STYLE, name
        assert style["sources"], name  # not {}: Plotly.react would drop it
        assert "://" not in json.dumps(figure.to_plotly_json()["layout"]["map"]), name


def test_no_other_module_writes_a_map_style():
    """A MapLibre style is a dict with "version": 8 and "sources": only atlas/present/map_style.py has one."""
    writers = sorted(
        str(path.relative_to(ATLAS))
        for path in ATLAS.rglob("*.py")
        if re.search(r"[\"']version[\"']\s*:\s*8\b", path.read_text(encoding="utf-8"))
    )
    assert writers == ["present/map_style.py"]
    assert map_style.OFFLINE_STYLE["sources"] and "://" not in json.dumps(map_style.OFFLINE_STYLE)

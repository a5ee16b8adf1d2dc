"""A copy of the demo district whose names, notes and labels carry Markdown, HTML, KaTeX, Streamlit
directives and Plotly template syntax: for the tests that check no page interprets them
(tests/test_untrusted_text.py in AppTest, tests/test_browser_untrusted.py in Chromium)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from atlas.database import sql

SCHOOL = "RB-E01"
PARTNER = "RB-P119"  # works with RB-E01 (and has a capacity: a missing one is another test's business)
# Each piece would do something if interpreted: bold, KaTeX, a link, an image (a request to an outside
# address), an HTML link and image, a coloured directive, an icon shortcode, a bare link, and a Plotly
# template variable.
NASTY = (
    '**b** $x^2$ [l](http://x.example/l) ![i](http://203.0.113.9/i.png) <a href="http://evil.example/a">a</a>'
    ' <img src="http://203.0.113.9/x.png"> :red[r] :material/home: www.evil.example %{xother}'
)
# What must never appear in a Markdown source (a character escaped with a backslash is read as itself,
# an HTML numeric reference as text) or in a figure (where Plotly reads tags and %{…}).
RAW_MARKDOWN = (
    r"(?<!\\)\*\*b",
    r"(?<!\\)\$x",
    r"(?<!\\)\]\(",
    r"(?<!\\)<(a|img)\b",
    r"(?<!\\):red",
    r":material/home:",
    r"www\.evil",
)
RAW_PLOTLY = (r"<(a|img)\b", r"%\{xother")


def nasty_database(demo_db: Path, path: Path) -> Path:
    """A copy of demo_db with NASTY in the names and free text that pages show."""
    shutil.copyfile(demo_db, path)
    with duckdb.connect(str(path)) as con:
        for statement, value in [
            ("UPDATE school SET name = $v WHERE school_id = $id", f"School {NASTY}"),
            ("UPDATE school SET grades = $v WHERE school_id = $id", f"K-5 {NASTY}"),
            ("UPDATE school SET region = $v WHERE region = (SELECT region FROM school WHERE school_id = $id)",
             f"North {NASTY}"),
            ("UPDATE geo_feature SET name = $v WHERE school_id = $id", f"Zone {NASTY}"),
            ("UPDATE school SET name = $v "
             "WHERE school_id = (SELECT feeder_high_school_id FROM school WHERE school_id = $id)", f"High {NASTY}"),
            ("UPDATE partner SET name = $v WHERE partner_id = $partner", f"Partner {NASTY}"),
            ("UPDATE partner SET languages = $v WHERE partner_id = $partner", f"English; {NASTY}"),
            ("UPDATE partner SET contact_name = $v WHERE partner_id = $partner", f"Contact {NASTY}"),
            ("UPDATE partnership SET notes = $v WHERE partner_id = $partner", f"Note {NASTY}"),
            ("UPDATE partnership SET evaluation_measure = $v WHERE partner_id = $partner", f"Measure {NASTY}"),
            ("UPDATE partner_type SET label_en = $v, label_es = $v "
             "WHERE partner_type_id = (SELECT partner_type_id FROM partner WHERE partner_id = $partner)",
             f"Type {NASTY}"),
            ("UPDATE metric_definition SET label_en = $v, label_es = $v WHERE metric_id = 'chronic_absence_pct'",
             f"Metric {NASTY}"),
            ("UPDATE district SET name = $v", f"District {NASTY}"),
        ]:  # fmt: skip
            params = {"v": value, "id": SCHOOL, "partner": PARTNER}
            con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
        sql.install_macros(con)  # refreshes the stored tables (need, coverage) from the changed rows
    return path

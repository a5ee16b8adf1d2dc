"""The board packet: the command writes a PPTX whose slides have the expected titles and chart
images and a PDF with the expected pages and text, in English and Spanish; neither contains a
private field or a suppressed value; the app's button makes one with progress; kaleido is set up
to fetch nothing."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from atlas.present import packet_png, packet_slides
from atlas.present.i18n import translate
from tests.test_presentation import private_values

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
# Slides with a chart image, by title key; the others are text and tables.
CHART_SLIDES = ("packet.coverage_title", "packet.map_title", "packet.gaps_title", "packet.plan_title")


def expected_titles(lang: str) -> list[str]:
    """The demo district has planned partnerships, so the plan slides are there."""
    titles = [
        translate("packet.title", lang),
        translate("overview.title", lang),
        translate("packet.coverage_title", lang),
        translate("packet.map_title", lang),
        translate("packet.gaps_title", lang),
        translate("packet.top_gaps_title", lang, count=packet_slides.TOP_GAPS),
        translate("packet.plan_title", lang),
    ]
    try:
        import atlas.domain.planning  # noqa: F401

        titles.append(translate("packet.matches_title", lang, count=packet_slides.TOP_MATCHES))
    except ImportError:
        pass
    return [*titles, translate("packet.notes_title", lang)]


def make_packet(demo_db, out: Path, lang: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "atlas", "packet", "--out", str(out), "--lang", lang, "--db", str(demo_db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert out.exists()
    return result.stdout + result.stderr


def suppressed_values() -> list[str]:
    """Demo metric values whose n is below the threshold, as a packet would print them."""
    values = set()
    with (DEMO / "metrics.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if int(row["n"]) < 10:
                values.add(f"{float(row['value']):.1f}")
    return sorted(values)


def pptx_texts(deck) -> list[str]:
    texts = [deck.core_properties.title or "", deck.core_properties.subject or ""]
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                texts.append(shape._element.nvPicPr.cNvPr.get("descr") or "")
    return texts


def assert_nothing_private_or_suppressed(text: str) -> None:
    folded = text.casefold()
    assert [kind for value, kind in private_values().items() if value.casefold() in folded] == []
    assert [value for value in suppressed_values() if value in text] == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pptx_has_the_expected_slides_and_images(lang, demo_db, tmp_path):
    out = tmp_path / f"packet-{lang}.pptx"
    log = make_packet(demo_db, out, lang)
    assert "Wrote" in log
    deck = Presentation(str(out))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles == expected_titles(lang)
    for slide in deck.slides:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        if slide.shapes.title.text in [translate(key, lang) for key in CHART_SLIDES]:
            assert len(pictures) == 1, slide.shapes.title.text
            image = Image.open(io.BytesIO(pictures[0].image.blob))
            assert image.format == "PNG" and image.width == 2 * packet_png.CHART_WIDTH_PX
            assert len(pictures[0].image.blob) > 20_000  # a drawn chart, not a blank
            assert pictures[0]._element.nvPicPr.cNvPr.get("descr")  # alt text
        else:
            assert pictures == []
    first = "\n".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    assert "Riverbend Unified School District" in first
    assert translate("shell.fictional_notice", lang) in first
    tables = [shape for slide in deck.slides for shape in slide.shapes if shape.has_table]
    assert tables and all(cell.text for cell in tables[0].table.rows[0].cells)  # headed tables
    assert_nothing_private_or_suppressed("\n".join(pptx_texts(deck)))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_pdf_has_the_expected_pages_and_text(lang, demo_db, tmp_path):
    out = tmp_path / f"packet-{lang}.pdf"
    make_packet(demo_db, out, lang)
    reader = PdfReader(str(out))
    titles = expected_titles(lang)
    assert len(reader.pages) == len(titles)
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    for title, text in zip(titles, pages, strict=True):
        assert " ".join(title.split()) in text
    assert sum(len(page.images) for page in reader.pages) == len(CHART_SLIDES)
    notes = pages[-1]
    assert translate("packet.note_suppression", lang, n=10) in notes
    assert_nothing_private_or_suppressed("\n".join(pages))


def test_the_packet_refuses_to_write_a_private_value(demo_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    email = next(value for value, kind in private_values().items() if kind == "contact_email")
    slides = [packet_slides.Slide("Title", lines=[f"Write to {email}"])]
    with pytest.raises(packet_slides.PrivateDataError, match="contact_email"):
        packet_slides.check_no_private_values(slides)
    packet_slides.check_no_private_values([packet_slides.Slide("Title", lines=["Nothing private here"])])


def test_kaleido_page_fetches_nothing():
    """The page kaleido renders charts in loads plotly.js from the installed package and no
    MathJax: nothing from a CDN, so export works offline."""
    import kaleido

    page = kaleido.PageGenerator(**packet_png.KALEIDO_OPTIONS).generate_index()
    assert "http://" not in page and "https://" not in page
    assert "plotly.min.js" in page


def test_the_app_button_makes_a_packet(demo_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["present"] = "1"
    at.query_params["lang"] = "es"
    at.run()
    assert len(at.get("download_button")) == 0 or all(
        "packet" not in (b.proto.id or "") for b in at.get("download_button")
    )
    at.radio(key="packet_format").set_value("pdf")
    at.button(key="packet_make").click().run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = [b for b in at.get("download_button") if "packet_download" in b.proto.id]
    assert len(buttons) == 1
    assert buttons[0].proto.label == translate("shell.packet_download", "es", kind="PDF")

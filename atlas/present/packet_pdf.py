"""The board packet's slides written as a PDF (fpdf2): one landscape 16:9 page per slide, with
real (searchable, extractable) text."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from atlas.present.packet_slides import SLIDE_HEIGHT_IN, SLIDE_WIDTH_IN, Slide

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def write_pdf(slides: list[Slide], lang: str) -> bytes:
    """One landscape 16:9 page per slide, with real (searchable, extractable) text."""
    pdf = FPDF(orientation="L", unit="mm", format=(SLIDE_HEIGHT_IN * 25.4, SLIDE_WIDTH_IN * 25.4))
    pdf.set_auto_page_break(False)
    pdf.set_margins(12, 10, 12)
    page = _Page(pdf, _pdf_font(pdf), pdf.w - 24)
    pdf.set_title(slides[0].title)
    pdf.set_subject(slides[0].headline)
    pdf.set_lang("es-US" if lang == "es" else "en-US")
    pdf.set_creator("Partnership Atlas")
    for content in slides:
        pdf.add_page()
        pdf.set_text_color(0, 0, 0)
        if content.is_title:
            page.title_slide(content)
        else:
            page.content_slide(content)
    return bytes(pdf.output())


@dataclass
class _Page:
    """Writes one slide on the PDF's current page, in family, width millimetres wide."""

    pdf: FPDF
    family: str
    width: float

    def write(self, text: str, size: float, style: str = "", height: float | None = None) -> None:
        self.pdf.set_font(self.family, style, size)
        self.pdf.multi_cell(
            self.width, height or size * 0.5, _pdf_text(text, self.family), align="L", new_x="LMARGIN", new_y="NEXT"
        )

    def title_slide(self, content: Slide) -> None:
        self.pdf.set_y(45)
        self.write(content.title, 32, "B", 15)
        self.pdf.ln(4)
        self.write(content.headline, 22, "", 11)
        self.pdf.ln(8)
        for line in content.lines:
            self.write(line, 14, "", 7)

    def content_slide(self, content: Slide) -> None:
        """The title, then from the top down: headline, large figures, chart, table and lines."""
        self.pdf.set_y(10)
        self.write(content.title, 24, "B", 12)
        if content.headline:
            self.pdf.ln(1)
            self.write(content.headline, 15, "B", 7.5)
        self.pdf.ln(2)
        if content.figures:
            self.figures(content.figures)
        if content.image:
            self.image(content)
        if content.table:
            self.table(content)
        for line in content.lines:
            self.write(line, 12 if content.image else 15, "", 6 if content.image else 7.5)
            self.pdf.ln(1)

    def figures(self, figures: list[tuple[str, str]]) -> None:
        """Each (label, value) in its own column: the value large and bold, its label under it."""
        pdf, family = self.pdf, self.family
        top = pdf.get_y()
        column = self.width / len(figures)
        for index, (label, value) in enumerate(figures):
            pdf.set_xy(12 + index * column, top)
            pdf.set_font(family, "B", 30)
            pdf.cell(column - 4, 14, _pdf_text(value, family))
            pdf.set_xy(12 + index * column, top + 15)
            pdf.set_font(family, "", 11)
            pdf.multi_cell(column - 6, 5.5, _pdf_text(label, family), align="L")
        pdf.set_y(top + 32)

    def image(self, content: Slide) -> None:
        """The chart, centred, as large as the room above the slide's lines allows."""
        pdf, width = self.pdf, self.width
        top = pdf.get_y()
        room = pdf.h - top - 8 - 6.5 * len(content.lines)
        aspect = content.image_size[1] / content.image_size[0]
        image_height = min(room, width * aspect)
        image_width = image_height / aspect
        pdf.image(
            io.BytesIO(content.image),
            x=12 + (width - image_width) / 2,
            y=top,
            w=image_width,
            h=image_height,
            alt_text=content.image_alt,
        )
        pdf.set_y(top + image_height + 2)

    def table(self, content: Slide) -> None:
        headers, rows = content.table
        self.pdf.set_font(self.family, "", 13)
        with self.pdf.table(
            col_widths=content.table_widths[: len(headers)],
            text_align="LEFT",
            line_height=7.5,
            first_row_as_headings=True,
        ) as table:
            for cells in [headers, *rows]:
                row = table.row()
                for value in cells:
                    row.cell(_pdf_text(value, self.family))
        self.pdf.ln(2)


def _pdf_font(pdf) -> str:
    """DejaVu Sans (Debian's fonts-dejavu-core, installed with Chromium) for full Unicode; the
    PDF core font otherwise, with text reduced to Latin-1 (Spanish still fits)."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu"
    return "helvetica"


_LATIN1 = str.maketrans({"−": "-", "–": "-", "—": "-", "…": "...", "“": '"', "”": '"', "’": "'", "×": "x"})


def _pdf_text(text: str, family: str) -> str:
    if family == "DejaVu":
        return text
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

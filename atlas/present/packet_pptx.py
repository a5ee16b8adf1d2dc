"""The board packet's slides written as a PowerPoint deck (python-pptx): one 16:9 slide each."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from atlas.present.packet_slides import SLIDE_HEIGHT_IN, SLIDE_WIDTH_IN, Slide

BLACK = RGBColor(0, 0, 0)
MARGIN = Inches(0.5)
TABLE_ROW = Inches(0.4)


def write_pptx(slides: list[Slide], lang: str) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    deck.core_properties.title = slides[0].title
    deck.core_properties.subject = slides[0].headline
    deck.core_properties.language = "es-US" if lang == "es" else "en-US"
    width = deck.slide_width - 2 * MARGIN
    for content in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[0 if content.is_title else 5])
        slide.shapes.title.text = content.title
        slide.shapes.title.left, slide.shapes.title.width = MARGIN, width
        if content.is_title:
            _title_slide(slide, content, width)
        else:
            _content_slide(slide, content, width, deck.slide_height)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _text_box(slide, top, width, height, lines: list[str], size: int, bold: bool = False):
    box = slide.shapes.add_textbox(MARGIN, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)
        paragraph.font.bold = bold
        paragraph.font.color.rgb = BLACK
        paragraph.space_after = Pt(size * 0.4)
    return box


def _title_slide(slide, content: Slide, width) -> None:
    title = slide.shapes.title
    title.top, title.height = Inches(1.3), Inches(1.6)
    title.text_frame.paragraphs[0].font.size = Pt(40)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(3.0), width, Inches(0.8)
    subtitle.text = content.headline
    subtitle.text_frame.paragraphs[0].font.size = Pt(28)
    subtitle.text_frame.paragraphs[0].font.color.rgb = BLACK
    _text_box(slide, Inches(4.1), width, Inches(3.0), content.lines, 18)


def _content_slide(slide, content: Slide, width, slide_height) -> None:
    """The title, then from the top down: headline, large figures, chart, table and lines."""
    title = slide.shapes.title
    title.top, title.height = Inches(0.3), Inches(0.9)
    title.text_frame.paragraphs[0].font.size = Pt(32)
    title.text_frame.paragraphs[0].font.bold = True
    title.text_frame.paragraphs[0].font.color.rgb = BLACK
    top = Inches(1.2)
    if content.headline:
        _text_box(slide, top, width, Inches(0.8), [content.headline], 20, bold=True)
        top += Inches(0.85)
    if content.figures:
        _figures(slide, content.figures, top, width)
        top += Inches(1.7)
    if content.image:
        top += _picture(slide, content, top, width, slide_height) + Inches(0.1)
    if content.table:
        _table(slide, content, top, width)
        top += TABLE_ROW * (len(content.table[1]) + 1)
    if content.lines:
        _text_box(slide, top, width, slide_height - top - Inches(0.2), content.lines, 16 if content.image else 18)


def _figures(slide, figures: list[tuple[str, str]], top, width) -> None:
    """Each (label, value) in its own column: the value large and bold, its label under it."""
    column = width // len(figures)
    for index, (label, value) in enumerate(figures):
        box = slide.shapes.add_textbox(MARGIN + index * column, top, column, Inches(1.5))
        frame = box.text_frame
        frame.word_wrap = True
        frame.paragraphs[0].text = value
        frame.paragraphs[0].font.size = Pt(44)
        frame.paragraphs[0].font.bold = True
        label_paragraph = frame.add_paragraph()
        label_paragraph.text = label
        label_paragraph.font.size = Pt(16)


def _picture(slide, content: Slide, top, width, slide_height) -> int:
    """The chart, centred, as large as the room above the slide's lines allows; returns its height."""
    space = slide_height - top - Inches(0.3 + 0.45 * len(content.lines))
    aspect = content.image_size[1] / content.image_size[0]
    picture_height = min(space, int(width * aspect))
    picture_width = int(picture_height / aspect)
    picture = slide.shapes.add_picture(
        io.BytesIO(content.image),
        MARGIN + (width - picture_width) // 2,
        top,
        picture_width,
        picture_height,
    )
    picture._element.nvPicPr.cNvPr.set("descr", content.image_alt)  # alt text for screen readers
    return picture_height


def _table(slide, content: Slide, top, width) -> None:
    headers, rows = content.table
    shape = slide.shapes.add_table(len(rows) + 1, len(headers), MARGIN, top, width, TABLE_ROW * (len(rows) + 1))
    table = shape.table
    for index, share in enumerate(content.table_widths[: len(headers)]):
        table.columns[index].width = int(width * share / sum(content.table_widths))
    for row_index, cells in enumerate([headers, *rows]):
        for column_index, value in enumerate(cells):
            cell = table.cell(row_index, column_index)
            cell.text = value
            cell.text_frame.paragraphs[0].font.size = Pt(14)
            cell.text_frame.paragraphs[0].font.bold = row_index == 0

"""The layout every state document the application writes shares (Nghị định 30/2020/NĐ-CP).

Phụ lục I of the decree fixes how an administrative document looks, whatever it says:
A4, Times New Roman 13–14, margins top and bottom 20–25 mm, left 30–35 mm, right
15–20 mm; the agency block on the left and the national motto on the right, each with a
short line under it; the number under the agency, place and date under the motto; the
document type and its summary centred; "Nơi nhận" on the left and the signature block on
the right at the end; page numbers centred in the top margin, none on the first page.

The report to the province and the plan itself are both such documents, so the layout
lives here once and each writer only says what goes in it. Measured with LibreOffice
(Liberation Serif has Times New Roman's widths): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" at
13 pt bold is 95,6 mm and "UBND THÀNH PHỐ LAI CHÂU" at 13 pt 63,4 mm, which is why the
header table's cells have no side padding and split 64 + 101 mm of the 165 mm text width.

Everything users typed goes in as text runs, which python-docx escapes, after the
control characters XML cannot hold are dropped (`common.downloads.printable_text`).
"""

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Length, Mm, Pt, Twips
from docx.styles.style import CharacterStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from common.downloads import printable_text

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
TABLE_SIZE = Pt(12)
HEADER_SIZE = Pt(13)
PAGE_NUMBER_SIZE = Pt(13)
TEXT_WIDTH = Mm(210 - 30 - 15)
LEFT_BLOCK, RIGHT_BLOCK = Mm(64), Mm(101)
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUBTITLE = "Độc lập - Tự do - Hạnh phúc"
CENTER = WD_ALIGN_PARAGRAPH.CENTER

# What may follow w:pBdr in w:pPr, w:tblBorders and w:tblCellMar in w:tblPr (ECMA-376 order).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
_AFTER_TBLBORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip
_AFTER_TBLCELLMAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


# --- Pieces of text ------------------------------------------------------------------


def set_font(style_or_run: CharacterStyle | Run, size: Length | None = None) -> None:
    """Times New Roman for every script, so Word does not fall back for Vietnamese marks."""
    font = style_or_run.font
    font.name = FONT
    if size is not None:
        font.size = size
    element = style_or_run.element
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Length | None = None,
) -> Run:
    added = paragraph.add_run(printable_text(str(text)))
    added.bold, added.italic = bold or None, italic or None
    if size is not None:
        added.font.size = size
    return added


def paragraph(
    container: DocumentObject | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: Length | None = None,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
    after: Length | None = None,
) -> Paragraph:
    """A body paragraph: justified with a first-line indent unless told otherwise."""
    added = container.add_paragraph()
    added.alignment = align
    added.paragraph_format.space_after = Pt(6) if after is None else after
    if indent and align == WD_ALIGN_PARAGRAPH.JUSTIFY:
        added.paragraph_format.first_line_indent = Mm(12.7)
    if text:
        run(added, text, bold=bold, italic=italic, size=size)
    return added


def rule(target: Paragraph, width: Length, length: Length) -> Paragraph:
    """The short line under the agency name, the motto and the summary."""
    side = (width - length) // 2
    target.paragraph_format.left_indent = side
    target.paragraph_format.right_indent = side
    target.paragraph_format.first_line_indent = None
    target.paragraph_format.space_after = Pt(6)
    target.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # Word rejects a file whose paragraph properties are out of the schema's order.
    target._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)
    return target


# --- Tables without lines, for the blocks side by side -------------------------------


def no_borders(table: Table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.insert_element_before(borders, *_AFTER_TBLBORDERS)


def no_side_padding(table: Table) -> None:
    """Cells without Word's 1,9 mm left and right padding: the motto needs the room."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, *_AFTER_TBLCELLMAR)


def fixed_widths(table: Table, widths: Sequence[Length]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def cell_text(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Length | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> Paragraph:
    """Text in a cell's first paragraph, without the body's indent and spacing."""
    first = cell.paragraphs[0]
    first.paragraph_format.space_after = Pt(0)
    first.paragraph_format.first_line_indent = None
    if align is not None:
        first.alignment = align
    if text:
        run(first, text, bold=bold, italic=italic, size=size)
    return first


def _line(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Length = HEADER_SIZE,
    align: WD_ALIGN_PARAGRAPH | None = CENTER,
) -> Paragraph:
    """One more line in a cell (its first paragraph if still empty)."""
    first = cell.paragraphs[0]
    target = first if not first.text and len(cell.paragraphs) == 1 else cell.add_paragraph()
    target.paragraph_format.space_after = Pt(0)
    target.paragraph_format.first_line_indent = None
    if align is not None:
        target.alignment = align
    run(target, text, bold=bold, italic=italic, size=size)
    return target


def _blocks(document: DocumentObject, widths: Sequence[Length]) -> Table:
    """Two cells side by side, no lines, no side padding."""
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    no_side_padding(table)
    fixed_widths(table, widths)
    return table


# --- The page ------------------------------------------------------------------------


def _margin(mm: int) -> Twips:
    """Word stores margins in twips; round up so 15 mm does not become 14,99 mm."""
    return Twips(math.ceil(mm * 1440 / 25.4))


def _page_field(target: Paragraph) -> None:
    """A PAGE field: Word and LibreOffice put each page's own number in its place."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    inner = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    properties.append(fonts)
    for name in ("w:sz", "w:szCs"):
        size = OxmlElement(name)
        size.set(qn("w:val"), str(round(PAGE_NUMBER_SIZE.pt * 2)))
        properties.append(size)
    inner.append(properties)
    placeholder = OxmlElement("w:t")
    placeholder.text = "2"
    inner.append(placeholder)
    field.append(inner)
    target._p.append(field)


def page_numbers(section: Section) -> None:
    """Numbers centred in the top margin from page 2; page 1 has none (its own header)."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    number = header.paragraphs[0]
    number.alignment = CENTER
    number.paragraph_format.space_after = Pt(0)
    _page_field(number)


def new_document(*, title: str, author: str) -> DocumentObject:
    """An empty A4 document with the decree's margins, font and page numbers."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = _margin(20), _margin(20)
    section.left_margin, section.right_margin = _margin(30), _margin(15)
    section.header_distance = section.footer_distance = Mm(10)
    normal = document.styles["Normal"]
    set_font(normal, BODY_SIZE)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    page_numbers(section)
    document.core_properties.title = printable_text(title)
    document.core_properties.author = printable_text(author)
    document.core_properties.language = "vi-VN"
    return document


def to_bytes(document: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- The blocks the decree places ----------------------------------------------------


def number_line(number: str, symbol: str) -> str:
    """'Số: 125/KH-UBND', or 'Số:        /KH-UBND' left for the clerical office to fill."""
    number = number.strip()
    if number:
        return f"Số: {number}" if "/" in number else f"Số: {number}/{symbol}"
    return f"Số:        /{symbol}"


def place_date(place: str, day: date | None, year: int) -> str:
    """'Lai Châu, ngày 05 tháng 01 năm 2024'; a day under 10 and January and February take
    a leading zero (Nghị định 30, Phụ lục I, mục 5). Without a day the blanks are left for
    the day the document is signed."""
    if day is None:
        return f"{place}, ngày      tháng      năm {year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def header_block(
    document: DocumentObject,
    *,
    superior: str,
    agency: Sequence[str],
    number: str,
    dated: str,
) -> Table:
    """Agency block (the superior agency, the issuing one in bold, a short rule, the number)
    beside the motto (one line, 13 pt bold; the subtitle centred under it; a rule as long
    as the subtitle; place and date in italics)."""
    table = _blocks(document, [LEFT_BLOCK, RIGHT_BLOCK])
    left, right = table.rows[0].cells
    if superior:
        _line(left, superior.upper())
    for line in agency:
        _line(left, line.upper(), bold=True)
    rule(left.add_paragraph(), LEFT_BLOCK, Mm(22))
    _line(left, number)

    _line(right, MOTTO, bold=True, size=HEADER_SIZE)
    _line(right, MOTTO_SUBTITLE, bold=True, size=BODY_SIZE)
    rule(right.add_paragraph(), RIGHT_BLOCK, Mm(60))
    _line(right, dated, italic=True, size=BODY_SIZE)
    return table


def title_block(document: DocumentObject, kind: str, summary: Sequence[str]) -> None:
    """'KẾ HOẠCH' or 'BÁO CÁO' in bold capitals, the summary under it, a short rule."""
    paragraph(document, "", after=Pt(6))
    paragraph(document, kind.upper(), bold=True, align=CENTER, after=Pt(0))
    for line in summary:
        paragraph(document, line, bold=True, align=CENTER, after=Pt(0))
    rule(document.add_paragraph(), TEXT_WIDTH, Mm(50))


@dataclass(frozen=True)
class Signature:
    """Who signs: the authority lines ('TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'
    or 'TRƯỞNG PHÒNG') and the signer's name, blank until it is known."""

    authority: Sequence[str]
    name: str = ""


SIGNATURE_SPACE = 4  # empty lines between the title and the name: the signature and seal


def closing_block(
    document: DocumentObject, *, recipients: Sequence[str], signature: Signature
) -> Table:
    """'Nơi nhận' on the left (bold italic 12 pt, the list at 11 pt), the signature block on
    the right: the authority in bold capitals, room to sign, a line for the signer's name.

    The block is never split over two pages, nor printed on a page of its own away from
    the text it signs: its row cannot break and the last paragraph keeps with it.
    """
    if document.paragraphs:
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    table = _blocks(document, [Mm(80), Mm(85)])
    row = table.rows[0]
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left, right = row.cells
    _line(left, "Nơi nhận:", bold=True, italic=True, size=Pt(12), align=None)
    for item in recipients:
        item = item.strip()
        if item:
            _line(left, item if item.startswith("-") else f"- {item}", size=Pt(11), align=None)
    for line in signature.authority:
        _line(right, line.upper(), bold=True, size=BODY_SIZE)
    for _blank in range(SIGNATURE_SPACE):
        right.add_paragraph().paragraph_format.space_after = Pt(0)
    _line(right, signature.name, bold=True, size=BODY_SIZE)
    return table

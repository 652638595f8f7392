"""The report Phòng Kinh tế sends up: a .docx in the state document format.

Nghị định 30/2020/NĐ-CP, Phụ lục I: A4, Times New Roman 13–14, margins top and bottom
20–25 mm, left 30–35 mm, right 15–20 mm; the agency block on the left, the national
motto on the right, each with a short line under it; number, place and date; the
document type and its summary centred; "Nơi nhận" and the signature block at the end.
The number and the day are left blank: the clerical office (văn thư) fills them in
when the report is signed and issued.

Everything users typed goes in as text runs, which python-docx escapes, after the
control characters XML cannot hold are dropped.
"""

import io
import math
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, Twips
from docx.styles.style import CharacterStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from common.downloads import printable_text
from common.numbers import format_number
from plans.models import AdministrativeUnit
from reporting.models import Sector

from .board import Attainment
from .export_data import NOT_REPORTED, TASK_STATUS_LABELS, ProvinceReport, number_text
from .judging import Status

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
TABLE_SIZE = Pt(12)
TEXT_WIDTH = Mm(210 - 30 - 15)
LEFT_BLOCK, RIGHT_BLOCK = Mm(68), Mm(97)


# What may follow w:pBdr in w:pPr, and w:tblBorders in w:tblPr (ECMA-376 order).
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


def _area(unit: AdministrativeUnit) -> str:
    """'thành phố Lai Châu': the kind in lower case inside a sentence, the name as written."""
    return f"{unit.get_kind_display().lower()} {unit.name}"


def _set_font(style_or_run: CharacterStyle | Run, size: Length | None = None) -> None:
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


def _margin(mm: int) -> Twips:
    """Word stores margins in twips; round up so 15 mm does not become 14,99 mm."""
    return Twips(math.ceil(mm * 1440 / 25.4))


def _new_document() -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = _margin(20), _margin(20)
    section.left_margin, section.right_margin = _margin(30), _margin(15)
    section.header_distance = section.footer_distance = Mm(10)
    normal = document.styles["Normal"]
    _set_font(normal, BODY_SIZE)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    return document


def _paragraph(
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
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(6) if after is None else after
    if indent and align == WD_ALIGN_PARAGRAPH.JUSTIFY:
        paragraph.paragraph_format.first_line_indent = Mm(12.7)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Length | None = None,
) -> Run:
    run = paragraph.add_run(printable_text(str(text)))
    run.bold, run.italic = bold or None, italic or None
    if size is not None:
        run.font.size = size
    return run


def _rule(paragraph: Paragraph, width: Length, length: Length) -> Paragraph:
    """The short line under the agency name, the motto and the summary."""
    side = (width - length) // 2
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # Word rejects a file whose paragraph properties are out of the schema's order.
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)
    return paragraph


def _no_borders(table: Table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.insert_element_before(borders, *_AFTER_TBLBORDERS)


def _fixed_widths(table: Table, widths: Sequence[Length]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _cell_text(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Length | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> Paragraph:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = None
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _header_block(document: DocumentObject, report: ProvinceReport) -> None:
    plan = report.plan
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_widths(table, [LEFT_BLOCK, RIGHT_BLOCK])
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    _cell_text(left, f"UBND {str(plan.unit).upper()}", size=Pt(13), align=center)
    agency = left.add_paragraph()
    agency.alignment = center
    agency.paragraph_format.space_after = Pt(0)
    _run(agency, _("PHÒNG KINH TẾ"), bold=True, size=Pt(13))
    _rule(left.add_paragraph(), LEFT_BLOCK, Mm(22))
    number = left.add_paragraph()
    number.alignment = center
    _run(number, _("Số:        /BC-KT"), size=Pt(13))

    _cell_text(right, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=Pt(13), align=center)
    motto = right.add_paragraph()
    motto.alignment = center
    motto.paragraph_format.space_after = Pt(0)
    _run(motto, _("Độc lập - Tự do - Hạnh phúc"), bold=True, size=Pt(14))
    _rule(right.add_paragraph(), RIGHT_BLOCK, Mm(60))
    place = right.add_paragraph()
    place.alignment = center
    year = timezone.localdate().year
    _run(
        place,
        _("%(place)s, ngày      tháng      năm %(year)s") % {"place": plan.unit.name, "year": year},
        italic=True,
        size=Pt(14),
    )


def _title(document: DocumentObject, report: ProvinceReport) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, "", after=Pt(6))
    _paragraph(document, _("BÁO CÁO"), bold=True, align=center, after=Pt(0))
    summary = _("Kết quả thực hiện Kế hoạch sản xuất nông nghiệp hàng hóa năm %(y)s") % {
        "y": report.plan.year
    }
    _paragraph(document, summary, bold=True, align=center, after=Pt(0))
    _paragraph(
        document,
        _("trên địa bàn %(unit)s – %(period)s")
        % {"unit": _area(report.plan.unit), "period": report.period.name.lower()},
        bold=True,
        align=center,
        after=Pt(0),
    )
    _rule(document.add_paragraph(), TEXT_WIDTH, Mm(50))


def _heading(document: DocumentObject, text: str) -> Paragraph:
    paragraph = _paragraph(document, text, bold=True, after=Pt(6))
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _bullet(document: DocumentObject, text: str, *, bold_lead: str = "") -> Paragraph:
    paragraph = _paragraph(document)
    if bold_lead:
        _run(paragraph, "- ")
        _run(paragraph, bold_lead, bold=True)
        _run(paragraph, text)
    else:
        _run(paragraph, f"- {text}")
    return paragraph


def _repeat_header(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _grid(
    document: DocumentObject,
    headers: Sequence[str],
    rows: Iterable[Sequence[str | tuple[str]]],
    widths: Sequence[Length],
    numeric: Collection[int] = (),
) -> Table:
    """A boxed table, header repeated on every page, numbers right-aligned."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    for cell, label in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, label, bold=True, size=TABLE_SIZE, align=center)
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            # A value given as (text,) is a total: bold.
            bold = isinstance(value, tuple)
            text = value[0] if isinstance(value, tuple) else value
            align = right if index in numeric else None
            _cell_text(cell, text, bold=bold, size=TABLE_SIZE, align=align)
    _fixed_widths(table, widths)
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def _percent(share: Decimal | None) -> str:
    return "—" if share is None else format_number(share, 1)


def _indicators(document: DocumentObject, report: ProvinceReport) -> None:
    export = report.export
    as_of = export.scope.as_of.strftime("%d/%m/%Y")
    _heading(document, _("1. Các chỉ tiêu chủ yếu"))
    counts = export.status_counts()
    summary = ", ".join(
        f"{Status.LABELS[code].lower()} {counts[code]}" for code in Status.ORDER if counts[code]
    )
    _paragraph(
        document,
        _("Tính đến ngày %(date)s, trong %(n)s chỉ tiêu của Kế hoạch: %(summary)s.")
        % {"date": as_of, "n": len(export.indicators), "summary": summary},
    )
    if export.scope.include_submitted:
        _paragraph(
            document,
            _("Số liệu gồm cả báo cáo đã gửi nhưng chưa được Phòng Kinh tế duyệt (đánh dấu *)."),
            italic=True,
        )
    rows = []
    for number, item in enumerate(export.indicators, start=1):
        uom = item.indicator.unit_of_measure
        actual = number_text(item.actual) + (" *" if item.includes_submitted else "")
        rows.append(
            [
                str(number),
                item.indicator.name,
                uom,
                number_text(item.target.value),
                actual,
                _percent(item.share),
                item.status_label,
            ]
        )
    _grid(
        document,
        [
            _("STT"),
            _("Chỉ tiêu"),
            _("ĐVT"),
            _("Kế hoạch năm"),
            _("Thực hiện đến %(d)s") % {"d": as_of},
            _("Tỷ lệ (%)"),
            _("Đánh giá"),
        ],
        rows,
        [Mm(10), Mm(55), Mm(14), Mm(22), Mm(24), Mm(16), Mm(24)],
        numeric=(3, 4, 5),
    )

    unit_items = [
        (row, cell.own)
        for row in export.unit_rows()
        for cell in row.cells
        if cell.own is not None and row.unit.is_grassroots
    ]
    if unit_items:
        _paragraph(document, _("Chỉ tiêu giao cho từng xã, phường:"), italic=True)
        _grid(
            document,
            [
                _("Đơn vị"),
                _("Chỉ tiêu"),
                _("Kế hoạch"),
                _("Thực hiện"),
                _("Tỷ lệ (%)"),
                _("Đánh giá"),
            ],
            [
                [
                    row.name,
                    f"{own.indicator.name} ({own.indicator.unit_of_measure})",
                    number_text(own.target.value),
                    number_text(own.actual),
                    _percent(own.share),
                    own.status_label,
                ]
                for row, own in unit_items
            ],
            [Mm(32), Mm(50), Mm(20), Mm(20), Mm(16), Mm(27)],
            numeric=(2, 3, 4),
        )


def _ocop(document: DocumentObject, report: ProvinceReport) -> None:
    ocop, year = report.export.ocop, report.plan.year
    _heading(document, _("2. Phát triển sản phẩm OCOP"))
    _bullet(
        document,
        _("Sản phẩm được công nhận mới năm %(y)s: %(n)s/3 sản phẩm theo Kế hoạch%(names)s.")
        % {
            "y": year,
            "n": len(ocop.new_in_year),
            "names": (" (" + ", ".join(p.name for p in ocop.new_in_year) + ")")
            if ocop.new_in_year
            else "",
        },
    )
    stars = "; ".join(f"{stars} sao: {count}" for stars, count in ocop.stars.items())
    _bullet(document, _("Sản phẩm còn hiệu lực theo hạng sao: %(s)s.") % {"s": stars})
    if ocop.expiring:
        _bullet(
            document,
            _("Sắp hết hạn trong 30 ngày: %(list)s.")
            % {
                "list": ", ".join(
                    f"{p.name} ({p.expires_on.strftime('%d/%m/%Y')})" for p in ocop.expiring
                )
            },
        )
    if ocop.expired:
        _bullet(
            document,
            _("Đã hết hạn, cần đánh giá lại: %(list)s.")
            % {"list": ", ".join(p.name for p in ocop.expired)},
        )


def _infrastructure(document: DocumentObject, report: ProvinceReport) -> None:
    _heading(document, _("3. Hạ tầng thiết yếu phục vụ sản xuất"))
    for item in report.export.indicators:
        if item.indicator.sector != Sector.INFRASTRUCTURE:
            continue
        uom = item.indicator.unit_of_measure
        _bullet(
            document,
            _(": thực hiện %(actual)s/%(target)s %(uom)s%(share)s, %(status)s.")
            % {
                "actual": number_text(item.actual) if item.actual is not None else "0",
                "target": number_text(item.target.value),
                "uom": uom,
                "share": f" ({_percent(item.share)}%)" if item.share is not None else "",
                "status": item.status_label.lower(),
            },
            bold_lead=item.indicator.name,
        )
    for work in report.works:
        if not work.narratives and work.disbursed_vnd is None:
            continue
        lead = f"{work.name}: "
        parts = [f"{text} ({period})" for period, text in work.narratives]
        if work.disbursed_vnd is not None:
            parts.append(_("giải ngân %(v)s đồng") % {"v": format_number(work.disbursed_vnd)})
        _bullet(document, "; ".join(parts) + ".", bold_lead=lead)


def _tasks(document: DocumentObject, report: ProvinceReport) -> None:
    export = report.export
    _heading(document, _("4. Thực hiện các nhiệm vụ của Kế hoạch"))
    by_status, _by_body = export.task_counts()
    _paragraph(
        document,
        _(
            "Tổng số %(tasks)s nhiệm vụ; theo báo cáo của các đơn vị: hoàn thành %(done)s, "
            "đang thực hiện %(doing)s, chưa thực hiện %(todo)s, chưa có báo cáo %(none)s "
            "(mỗi nhiệm vụ ở mỗi đơn vị tính một lần)."
        )
        % {
            "tasks": len(export.tasks),
            "done": by_status["hoan_thanh"],
            "doing": by_status["dang_thuc_hien"],
            "todo": by_status["chua_thuc_hien"],
            "none": by_status[NOT_REPORTED],
        },
    )


def _units(document: DocumentObject, report: ProvinceReport) -> None:
    """Each unit's figures and what it wrote about its tasks."""
    export = report.export
    _heading(document, _("5. Kết quả tại các đơn vị"))
    narratives: dict[int, list] = {}
    for line in export.task_lines():
        if line.unit is not None and (line.narrative.strip() or line.status != NOT_REPORTED):
            narratives.setdefault(line.unit.pk, []).append(line)
    for row in export.unit_rows():
        figures = [
            f"{column.indicator.name} "
            + number_text(cell.contribution.value, column.indicator.unit_of_measure)
            for column, cell in zip(export.columns, row.cells, strict=True)
            if cell.contribution is not None
        ]
        lines = narratives.get(row.unit.pk, [])
        if not figures and not lines:
            continue
        paragraph = _paragraph(document)
        _run(paragraph, f"- {row.name}: ", bold=True)
        _run(paragraph, ("; ".join(figures) + ".") if figures else _("chưa có số liệu."))
        for line in lines:
            item = _paragraph(document)
            item.paragraph_format.left_indent = Mm(10)
            item.paragraph_format.first_line_indent = None
            _run(item, f"+ {line.task.code} {line.task.title}: ", italic=True)
            _run(item, TASK_STATUS_LABELS[line.status].lower())
            if line.narrative.strip():
                _run(item, ". ")
                _run(item, line.narrative.strip())
            if line.period_name:
                _run(item, f" ({line.period_name})", italic=True)


def _difficulties(document: DocumentObject, report: ProvinceReport) -> None:
    _heading(document, _("II. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ"))
    if not report.difficulties:
        _paragraph(document, _("Các đơn vị không báo cáo khó khăn, vướng mắc trong kỳ."))
    for unit in report.difficulties:
        for period, text in unit.entries:
            paragraph = _paragraph(document)
            _run(paragraph, f"- {unit.unit_name} ({period}): ", bold=True)
            _run(paragraph, text)


def _lagging(item: Attainment) -> str:
    return f"{item.indicator.name} ({item.status_label.lower()})"


def _next_steps(document: DocumentObject, report: ProvinceReport) -> None:
    export = report.export
    _heading(document, _("III. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI"))
    lagging = [i for i in export.indicators if i.status in (Status.BEHIND, Status.AT_RISK)]
    if lagging:
        _bullet(
            document,
            _("Tập trung chỉ đạo các chỉ tiêu chậm hoặc có nguy cơ không đạt: %(list)s.")
            % {
                "list": "; ".join(f"{i.indicator.name} ({i.status_label.lower()})" for i in lagging)
            },
        )
    under_way = sorted(
        {
            (line.task.position, line.task.code, line.task.title)
            for line in export.task_lines()
            if line.status in ("dang_thuc_hien", "chua_thuc_hien")
        }
    )
    if under_way:
        _bullet(
            document,
            _("Tiếp tục triển khai các nhiệm vụ chưa hoàn thành: %(list)s.")
            % {"list": "; ".join(f"{code} {title}" for _p, code, title in under_way)},
        )
    unreported = sum(1 for line in export.task_lines() if line.status == NOT_REPORTED)
    if unreported:
        _bullet(
            document,
            _("Đôn đốc các cơ quan, đơn vị báo cáo %(n)s nhiệm vụ chưa có báo cáo kết quả.")
            % {"n": unreported},
        )


def _closing(document: DocumentObject, report: ProvinceReport) -> None:
    plan = report.plan
    _paragraph(
        document,
        _(
            "Trên đây là báo cáo kết quả thực hiện Kế hoạch sản xuất nông nghiệp hàng hóa "
            "năm %(y)s trên địa bàn %(unit)s, %(period)s của Phòng Kinh tế./."
        )
        % {"y": plan.year, "unit": _area(plan.unit), "period": report.period.name.lower()},
    )
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_widths(table, [Mm(80), Mm(85)])
    left, right = table.rows[0].cells
    _cell_text(left, _("Nơi nhận:"), bold=True, italic=True, size=Pt(12))
    parent = plan.unit.parent if plan.unit.parent_id else None
    province = parent.name if parent is not None else ""
    recipients = [
        _("- Sở Nông nghiệp và PTNT tỉnh %(p)s;") % {"p": province}
        if province
        else _("- Cơ quan cấp trên;"),
        _("- UBND %(unit)s (b/c);") % {"unit": _area(plan.unit)},
        _("- Lưu: VT, KT."),
    ]
    for line in recipients:
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, line, size=Pt(11))
    center = WD_ALIGN_PARAGRAPH.CENTER
    _cell_text(right, _("TRƯỞNG PHÒNG"), bold=True, size=Pt(14), align=center)
    for _blank in range(4):
        right.add_paragraph()


def province_report_document(report: ProvinceReport) -> bytes:
    document = _new_document()
    document.core_properties.title = _("Báo cáo kết quả thực hiện Kế hoạch %(y)s") % {
        "y": report.plan.year
    }
    document.core_properties.author = _("Phòng Kinh tế")
    document.core_properties.language = "vi-VN"
    _header_block(document, report)
    _title(document, report)
    _paragraph(
        document,
        _(
            "Thực hiện %(plan)s, Phòng Kinh tế báo cáo kết quả thực hiện %(period)s "
            "(số liệu đến ngày %(date)s) như sau:"
        )
        % {
            "plan": report.plan.title,
            "period": report.period.name.lower(),
            "date": report.export.scope.as_of.strftime("%d/%m/%Y"),
        },
    )
    _heading(document, _("I. KẾT QUẢ THỰC HIỆN"))
    _indicators(document, report)
    _ocop(document, report)
    _infrastructure(document, report)
    _tasks(document, report)
    _units(document, report)
    _difficulties(document, report)
    _next_steps(document, report)
    _closing(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def document_filename(report: ProvinceReport) -> str:
    return _("Báo cáo kết quả thực hiện KH SXNN hàng hóa %(y)s - %(period)s.docx") % {
        "y": report.plan.year,
        "period": report.period.name.replace("/", "-"),
    }

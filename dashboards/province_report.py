"""The report Phòng Kinh tế sends up: a .docx in the state document format.

The layout of Nghị định 30/2020 (page, agency block and motto, title, "Nơi nhận",
signature, page numbers) is `state_document`'s, shared with the plan's own document;
this module says what the report holds. The number and the day are left blank: the
clerical office (văn thư) fills them in when the report is signed and issued.
"""

from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

from common.numbers import format_number
from plans.models import AdministrativeUnit
from reporting.models import Sector

from . import state_document as doc
from .board import Attainment
from .export_data import NOT_REPORTED, TASK_STATUS_LABELS, ProvinceReport, number_text
from .judging import Status

TABLE_SIZE = doc.TABLE_SIZE


def _area(unit: AdministrativeUnit) -> str:
    """'thành phố Lai Châu': the unit's title in lower case inside a sentence, the name as
    written (and 'thành phố Hà Nội', a province whose name carries its title)."""
    title = str(unit)
    return title[:1].lower() + title[1:]


def _header_block(document: DocumentObject, report: ProvinceReport) -> None:
    plan = report.plan
    doc.header_block(
        document,
        superior=f"UBND {plan.unit}",
        agency=[_("PHÒNG KINH TẾ")],
        number=doc.number_line("", "BC-KT"),
        dated=doc.place_date(plan.unit.name, None, timezone.localdate().year),
    )


def _title(document: DocumentObject, report: ProvinceReport) -> None:
    doc.title_block(
        document,
        _("BÁO CÁO"),
        [
            _("Kết quả thực hiện Kế hoạch sản xuất nông nghiệp hàng hóa năm %(y)s")
            % {"y": report.plan.year},
            _("trên địa bàn %(unit)s – %(period)s")
            % {"unit": _area(report.plan.unit), "period": report.period.name.lower()},
        ],
    )


def _heading(document: DocumentObject, text: str) -> Paragraph:
    paragraph = doc.paragraph(document, text, bold=True, after=Pt(6))
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _bullet(document: DocumentObject, text: str, *, bold_lead: str = "") -> Paragraph:
    paragraph = doc.paragraph(document)
    if bold_lead:
        doc.run(paragraph, "- ")
        doc.run(paragraph, bold_lead, bold=True)
        doc.run(paragraph, text)
    else:
        doc.run(paragraph, f"- {text}")
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
        doc.cell_text(cell, label, bold=True, size=TABLE_SIZE, align=center)
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            # A value given as (text,) is a total: bold.
            bold = isinstance(value, tuple)
            text = value[0] if isinstance(value, tuple) else value
            align = right if index in numeric else None
            doc.cell_text(cell, text, bold=bold, size=TABLE_SIZE, align=align)
    doc.fixed_widths(table, widths)
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
    doc.paragraph(
        document,
        _("Tính đến ngày %(date)s, trong %(n)s chỉ tiêu của Kế hoạch: %(summary)s.")
        % {"date": as_of, "n": len(export.indicators), "summary": summary},
    )
    if export.scope.include_submitted:
        doc.paragraph(
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
        # STT at 12 mm stays on one line in 12 pt bold; 'Đúng tiến độ' fits in 29 mm.
        [Mm(12), Mm(50), Mm(14), Mm(21), Mm(24), Mm(15), Mm(29)],
        numeric=(3, 4, 5),
    )

    unit_items = [
        (row, cell.own)
        for row in export.unit_rows()
        for cell in row.cells
        if cell.own is not None and row.unit.is_grassroots
    ]
    if unit_items:
        doc.paragraph(document, _("Chỉ tiêu giao cho từng xã, phường:"), italic=True)
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
            [Mm(30), Mm(50), Mm(19), Mm(20), Mm(16), Mm(30)],
            numeric=(2, 3, 4),
        )


def _ocop(document: DocumentObject, report: ProvinceReport) -> None:
    """New products from the register and from the units' reports, each with its source.

    The register counts recognition decisions; the indicator in the figures table adds up
    what units reported. When the two differ the report says so and why, rather than
    printing 0/3 here and 1/3 in the table.
    """
    export = report.export
    ocop, year = export.ocop, report.plan.year
    indicator = export.ocop_indicator
    _heading(document, _("2. Phát triển sản phẩm OCOP"))
    counted = len(ocop.new_in_year)
    goal = " " + _("sản phẩm")
    if indicator is not None:
        goal = _("/%(target)s %(uom)s theo Kế hoạch") % {
            "target": number_text(indicator.target.value),
            "uom": indicator.indicator.unit_of_measure,
        }
    _bullet(
        document,
        _(
            "Theo sổ theo dõi sản phẩm OCOP (quyết định công nhận đến ngày %(d)s): công nhận "
            "mới năm %(y)s %(n)s%(goal)s%(names)s."
        )
        % {
            "d": export.scope.as_of.strftime("%d/%m/%Y"),
            "y": year,
            "n": counted,
            "goal": goal,
            "names": (" (" + ", ".join(p.name for p in ocop.new_in_year) + ")")
            if ocop.new_in_year
            else "",
        },
    )
    if indicator is not None:
        reported = indicator.actual or Decimal(0)
        _bullet(
            document,
            _("Theo báo cáo của các đơn vị (chỉ tiêu “%(name)s” ở bảng mục 1): %(n)s%(goal)s.")
            % {"name": indicator.indicator.name, "n": number_text(reported), "goal": goal},
        )
        if reported != counted:
            doc.paragraph(
                document,
                _(
                    "Hai số trên chưa khớp: sổ theo dõi chỉ tính sản phẩm đã có quyết định "
                    "công nhận, còn chỉ tiêu cộng số các đơn vị tự báo cáo. Đề nghị các đơn vị "
                    "đối chiếu với sổ theo dõi sản phẩm OCOP."
                ),
                italic=True,
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
                "actual": number_text(item.actual),
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
    doc.paragraph(
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
        paragraph = doc.paragraph(document)
        doc.run(paragraph, f"- {row.name}: ", bold=True)
        doc.run(paragraph, ("; ".join(figures) + ".") if figures else _("chưa có số liệu."))
        for line in lines:
            item = doc.paragraph(document)
            item.paragraph_format.left_indent = Mm(10)
            item.paragraph_format.first_line_indent = None
            doc.run(item, f"+ {line.task.code} {line.task.title}: ", italic=True)
            doc.run(item, TASK_STATUS_LABELS[line.status].lower())
            if line.narrative.strip():
                doc.run(item, ". ")
                doc.run(item, line.narrative.strip())
            if line.period_name:
                doc.run(item, f" ({line.period_name})", italic=True)


def _difficulties(document: DocumentObject, report: ProvinceReport) -> None:
    _heading(document, _("II. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ"))
    if not report.difficulties:
        doc.paragraph(document, _("Các đơn vị không báo cáo khó khăn, vướng mắc trong kỳ."))
    for unit in report.difficulties:
        for period, text in unit.entries:
            paragraph = doc.paragraph(document)
            doc.run(paragraph, f"- {unit.unit_name} ({period}): ", bold=True)
            doc.run(paragraph, text)


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
    doc.paragraph(
        document,
        _(
            "Trên đây là báo cáo kết quả thực hiện Kế hoạch sản xuất nông nghiệp hàng hóa "
            "năm %(y)s trên địa bàn %(unit)s, %(period)s của Phòng Kinh tế./."
        )
        % {"y": plan.year, "unit": _area(plan.unit), "period": report.period.name.lower()},
    )
    parent = plan.unit.parent if plan.unit.parent_id else None
    province = parent.name if parent is not None else ""
    recipients = [
        _("- Sở Nông nghiệp và PTNT tỉnh %(p)s;") % {"p": province}
        if province
        else _("- Cơ quan cấp trên;"),
        _("- UBND %(unit)s (b/c);") % {"unit": _area(plan.unit)},
        _("- Lưu: VT, KT."),
    ]
    doc.closing_block(
        document, recipients=recipients, signature=doc.Signature(authority=[_("TRƯỞNG PHÒNG")])
    )


def province_report_document(report: ProvinceReport) -> bytes:
    document = doc.new_document(
        title=_("Báo cáo kết quả thực hiện Kế hoạch %(y)s") % {"y": report.plan.year},
        author=_("Phòng Kinh tế"),
    )
    _header_block(document, report)
    _title(document, report)
    doc.paragraph(
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
    return doc.to_bytes(document)


def document_filename(report: ProvinceReport) -> str:
    return _("Báo cáo kết quả thực hiện KH SXNN hàng hóa %(y)s - %(period)s.docx") % {
        "y": report.plan.year,
        "period": report.period.name.replace("/", "-"),
    }

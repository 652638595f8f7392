"""The report's workbook as a unit downloads it: pre-filled, locked but for what to fill.

The workbook carries a very hidden sheet naming the plan year, unit and period it was
made for, so a file filled for another unit or period is turned away (upload checks it).
Everything the official must not change is locked; only the value, status and narrative
cells are open. The sheets, columns and rows defined here are what upload expects back.
"""

import io
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from common.downloads import set_text

from ..models import TaskProgress
from ..selectors import ReportContents

TEMPLATE_KIND = "bao-cao-tien-do"
TEMPLATE_VERSION = 1
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1

META_SHEET = "_thong_tin"
FIGURES_SHEET = "Số liệu"
TASKS_SHEET = "Nhiệm vụ"
WORKS_SHEET = "Công trình"
DIFFICULTIES_SHEET = "Khó khăn"

FIGURE_COLUMNS = [
    ("Mã chỉ tiêu", 28),
    ("Chỉ tiêu", 50),
    ("Đơn vị tính", 12),
    ("Tính chất", 16),
    ("Chỉ tiêu kế hoạch", 16),
    ("Số liệu kỳ này", 16),
    ("Lũy kế đến kỳ này (số đã lưu)", 18),
    ("Phạm vi chỉ tiêu", 18),
]
FIGURE_VALUE_COLUMN = 6
TASK_COLUMNS = [
    ("Mã nhiệm vụ", 12),
    ("Nhiệm vụ", 60),
    ("Tình hình", 18),
    ("Kết quả thực hiện", 70),
]
WORK_COLUMNS = [
    ("Mã công trình", 12),
    ("Công trình", 50),
    ("Giải ngân trong kỳ (đồng)", 20),
    ("Tình hình thực hiện", 70),
]

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9EAD3")
_OPEN_FILL = PatternFill("solid", fgColor="FFF2CC")
_OPEN = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")
_NUMBER_FORMAT = "#,##0.###"


def report_filename(contents: ReportContents) -> str:
    name = f"Báo cáo {contents.scope.unit.name} – {contents.period.name}"
    return name.replace("/", "-") + ".xlsx"  # "Quý 1/2023" would read as a folder


def _table(
    sheet: Worksheet, title: str, subtitle: str, columns: Sequence[tuple[str, int]], hint: str
) -> None:
    set_text(sheet.cell(row=1, column=1), title).font = Font(bold=True, size=13)
    set_text(sheet.cell(row=2, column=1), subtitle)
    set_text(sheet.cell(row=3, column=1), hint).font = Font(italic=True, color="555555")
    for index, (header, width) in enumerate(columns, start=1):
        cell = set_text(sheet.cell(row=HEADER_ROW, column=index), header)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=1)


def _protect(sheet: Worksheet) -> None:
    # No password: it would only pretend to be security. The lock guards against slips;
    # the reader checks every cell anyway.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _open_cell(cell: Cell) -> Cell:
    cell.protection = _OPEN
    cell.fill = _OPEN_FILL
    return cell


def _subtitle(contents: ReportContents) -> str:
    period = contents.period
    return _("Đơn vị: %(unit)s · Kỳ: %(period)s (số liệu từ %(start)s đến %(end)s)") % {
        "unit": contents.scope.unit.name,
        "period": period.name,
        "start": period.starts_on.strftime("%d/%m/%Y"),
        "end": period.ends_on.strftime("%d/%m/%Y"),
    }


def report_workbook(contents: ReportContents) -> bytes:
    """The report pre-filled with what is saved now, ready to fill offline.

    Always in Vietnamese, whatever language the person downloading reads: the headers and
    choices are what the upload checks, and anyone in the unit may upload the file.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _report_workbook(contents)


def _report_workbook(contents: ReportContents) -> bytes:
    scope, report = contents.scope, contents.report
    subtitle = _subtitle(contents)
    workbook = Workbook()

    figures = workbook.active
    figures.title = FIGURES_SHEET
    _table(
        figures,
        _("Báo cáo tiến độ Kế hoạch sản xuất nông nghiệp hàng hóa %(year)s")
        % {"year": scope.plan.year},
        subtitle,
        FIGURE_COLUMNS,
        _(
            "Chỉ nhập vào các ô nền vàng. Số viết kiểu Việt Nam (22,2 hoặc 1.600) hoặc nhập số "
            "bình thường; không dùng công thức; để trống nếu chưa có số liệu."
        ),
    )
    for row, line in enumerate(scope.lines, start=FIRST_ROW):
        indicator = line.indicator
        target = line.unit_target or line.city_target
        set_text(figures.cell(row=row, column=1), indicator.code)
        set_text(figures.cell(row=row, column=2), indicator.name).alignment = _WRAP
        set_text(figures.cell(row=row, column=3), indicator.unit_of_measure)
        set_text(
            figures.cell(row=row, column=4),
            str(_("Phát sinh trong kỳ")) if line.is_flow else str(_("Tổng hiện có")),
        )
        target_cell = figures.cell(row=row, column=5, value=target.value if target else None)
        target_cell.number_format = _NUMBER_FORMAT
        value_cell = _open_cell(figures.cell(row=row, column=FIGURE_VALUE_COLUMN))
        value_cell.value = line.value
        value_cell.number_format = _NUMBER_FORMAT
        if line.is_flow:
            cumulative = figures.cell(row=row, column=7, value=line.cumulative)
            cumulative.number_format = _NUMBER_FORMAT
        if target is not None:
            scope_text = _("của đơn vị") if line.unit_target else _("toàn thành phố")
            set_text(figures.cell(row=row, column=8), str(scope_text))
    _protect(figures)

    tasks = workbook.create_sheet(TASKS_SHEET)
    labels = [str(label) for _value, label in TaskProgress.Status.choices]
    _table(
        tasks,
        _("Nhiệm vụ"),
        subtitle,
        TASK_COLUMNS,
        _("Tình hình chọn một trong: %(choices)s.") % {"choices": ", ".join(labels)},
    )
    choice = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
    choice.error = _("Chọn một trong: %(choices)s.") % {"choices": ", ".join(labels)}
    choice.showErrorMessage = True
    tasks.add_data_validation(choice)
    for row, task in enumerate(scope.tasks, start=FIRST_ROW):
        progress = contents.task_progress.get(task.pk)
        status = TaskProgress.Status(
            progress.status if progress else TaskProgress.Status.NOT_STARTED
        )
        set_text(tasks.cell(row=row, column=1), task.code)
        set_text(tasks.cell(row=row, column=2), task.title).alignment = _WRAP
        status_cell = _open_cell(set_text(tasks.cell(row=row, column=3), str(status.label)))
        choice.add(status_cell)
        narrative = progress.narrative if progress else ""
        _open_cell(set_text(tasks.cell(row=row, column=4), narrative or None)).alignment = _WRAP
    _protect(tasks)

    if scope.works:
        works = workbook.create_sheet(WORKS_SHEET)
        _table(works, _("Công trình hạ tầng"), subtitle, WORK_COLUMNS, _("Giải ngân ghi số đồng."))
        for row, work in enumerate(scope.works, start=FIRST_ROW):
            work_entry = contents.work_progress.get(work.pk)
            works.cell(row=row, column=1, value=work.pk)
            set_text(works.cell(row=row, column=2), work.name).alignment = _WRAP
            money = _open_cell(works.cell(row=row, column=3))
            money.value = work_entry.disbursed_vnd if work_entry else None
            money.number_format = "#,##0"
            narrative = work_entry.narrative if work_entry else ""
            _open_cell(set_text(works.cell(row=row, column=4), narrative or None)).alignment = _WRAP
        _protect(works)

    difficulties = workbook.create_sheet(DIFFICULTIES_SHEET)
    _table(
        difficulties,
        _("Khó khăn, vướng mắc, đề xuất"),
        subtitle,
        [(str(_("Khó khăn, vướng mắc, đề xuất")), 100)],
        _("Ghi vào ô nền vàng bên dưới."),
    )
    text = report.difficulties if report else ""
    _open_cell(set_text(difficulties.cell(row=FIRST_ROW, column=1), text or None)).alignment = _WRAP
    difficulties.row_dimensions[FIRST_ROW].height = 120
    _protect(difficulties)

    meta = workbook.create_sheet(META_SHEET)
    for row, (key, value) in enumerate(
        [
            ("loai", TEMPLATE_KIND),
            ("phien-ban-mau", TEMPLATE_VERSION),
            ("nam", scope.plan.year),
            ("don-vi", scope.unit.slug),
            ("ky", contents.period.code),
            ("phien-ban-bao-cao", report.version if report else 0),
            ("tai-luc", timezone.now().isoformat(timespec="seconds")),
        ],
        start=1,
    ):
        set_text(meta.cell(row=row, column=1), key)
        set_text(meta.cell(row=row, column=2), value)
    meta.sheet_state = "veryHidden"
    _protect(meta)
    workbook.security.lockStructure = True

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""The report's workbook as a unit downloads it: pre-filled, locked but for what to fill.

The workbook carries a very hidden sheet naming the plan year, unit and period it was
made for, so a file filled for another unit or period is turned away (upload checks it).
Everything the official must not change is locked; only the value, status and narrative
cells are open. The sheets, columns and rows defined here are what upload expects back.

It prints as a commune's report is read, on two A4 landscape pages at 10 pt or more: the
figures, then the tasks with the difficulties under them on one sheet (each sheet starts
a page; a third sheet of three lines cost a page of its own). Version 1 of the template
kept the difficulties on a sheet of their own; upload still reads it.
"""

import io
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from common.downloads import set_text
from common.sheet_layout import row_height

from ..models import TaskProgress
from ..selectors import ReportContents

TEMPLATE_KIND = "bao-cao-tien-do"
TEMPLATE_VERSION = 2
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1

META_SHEET = "_thong_tin"
FIGURES_SHEET = "Số liệu"
TASKS_SHEET = "Nhiệm vụ"
WORKS_SHEET = "Công trình"
DIFFICULTIES_SHEET = "Khó khăn"  # version 1 only: now under the tasks
DIFFICULTIES_HEADING = "Khó khăn, vướng mắc, đề xuất"

# The widths add up to what fits A4 landscape at 12 pt printed at 10 pt or more.
FIGURE_COLUMNS = [
    ("Mã chỉ tiêu", 26),
    ("Chỉ tiêu", 44),
    ("Đơn vị tính", 10),
    ("Tính chất", 14),
    ("Chỉ tiêu kế hoạch", 13),
    ("Số liệu kỳ này", 14),
    ("Lũy kế đến kỳ này (số đã lưu)", 15),
    ("Phạm vi chỉ tiêu", 14),
]
FIGURE_VALUE_COLUMN = 6
# As wide as fits at 10 pt on paper (12 pt at 84 %), so a long narrative takes few lines.
TASK_COLUMNS = [
    ("Mã nhiệm vụ", 10),
    ("Nhiệm vụ", 40),
    ("Tình hình", 16),
    ("Kết quả thực hiện", 102),
]
WORK_COLUMNS = [
    ("Mã công trình", 12),
    ("Công trình", 50),
    ("Giải ngân trong kỳ (đồng)", 18),
    ("Tình hình thực hiện", 66),
]

FONT = "Times New Roman"
SIZE = 12
_FONT = Font(name=FONT, size=SIZE)
_TITLE_FONT = Font(name=FONT, size=14, bold=True)
_HINT_FONT = Font(name=FONT, size=SIZE, italic=True, color="555555")
_HEADER_FONT = Font(name=FONT, size=SIZE, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9EAD3")
_OPEN_FILL = PatternFill("solid", fgColor="FFF2CC")
_OPEN = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_NUMBER_FORMAT = "#,##0.###"  # "135," for a whole number: see _whole_numbers
_WHOLE_FORMAT = "#,##0"


def report_filename(contents: ReportContents) -> str:
    name = f"Báo cáo {contents.scope.unit.name} – {contents.period.name}"
    return name.replace("/", "-") + ".xlsx"  # "Quý 1/2023" would read as a folder


def _table(
    sheet: Worksheet, title: str, subtitle: str, columns: Sequence[tuple[str, int]], hint: str
) -> None:
    set_text(sheet.cell(row=1, column=1), title).font = _TITLE_FONT
    set_text(sheet.cell(row=2, column=1), subtitle).font = _FONT
    set_text(sheet.cell(row=3, column=1), hint).font = _HINT_FONT
    for index, (header, width) in enumerate(columns, start=1):
        cell = set_text(sheet.cell(row=HEADER_ROW, column=index), header)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=1)
    _print_setup(sheet)


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, as wide as the page, the header row on every page, numbered pages."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "Trang &P/&N"
    sheet.oddFooter.center.font = FONT
    sheet.oddFooter.center.size = SIZE


def _fit_rows(
    sheet: Worksheet, columns: Sequence[tuple[str, int]], last_row: int | None = None
) -> None:
    """The table in the sheet's font, each row as tall as its longest wrapped text."""
    widths = [width for _header, width in columns]
    for row in sheet.iter_rows(min_row=FIRST_ROW, max_row=last_row, max_col=len(widths)):
        for cell in row:
            cell.font = _FONT
            cell.alignment = _WRAP if cell.alignment.wrap_text else _TOP
    for row in sheet.iter_rows(min_row=HEADER_ROW, max_row=last_row, max_col=len(widths)):
        cells = [
            (str(cell.value), width, cell.font.sz or SIZE, bool(cell.font.b))
            for cell, width in zip(row, widths, strict=True)
            if cell.value is not None
        ]
        height = row_height(cells, minimum_size=SIZE)
        sheet.row_dimensions[row[0].row].height = min(height, 409)  # Excel's tallest row


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


def _number_format(value: object) -> str:
    """Thousands grouped, decimals only when the figure has them (never "135,")."""
    if isinstance(value, int | Decimal) and value == int(value):
        return _WHOLE_FORMAT
    return _NUMBER_FORMAT


def _whole_numbers(sheet: Worksheet, first: int, last: int) -> None:
    """A whole number typed into a figure cell shows as 135, not as "135,".

    A number format cannot drop the decimal separator only when there are no decimals,
    so a conditional format switches whole numbers to the format without one.
    """
    if last < first:
        return
    whole = DifferentialStyle(numFmt=NumberFormat(numFmtId=3, formatCode=_WHOLE_FORMAT))
    for column in (5, FIGURE_VALUE_COLUMN, 7):
        letter = get_column_letter(column)
        top = f"{letter}{first}"
        rule = FormulaRule(formula=[f"AND(ISNUMBER({top}),MOD({top},1)=0)"], stopIfTrue=False)
        rule.dxf = whole
        sheet.conditional_formatting.add(f"{top}:{letter}{last}", rule)


def difficulties_row(sheet: Worksheet) -> int | None:
    """The row of the difficulties' heading under the tasks (their text is the next row)."""
    rows = sheet.iter_rows(min_row=FIRST_ROW, max_col=1, values_only=True)
    for row, (value,) in enumerate(rows, start=FIRST_ROW):
        if str(value or "").strip() == DIFFICULTIES_HEADING:
            return row
    return None


def difficulties_cell(workbook: Workbook) -> Cell:
    """The open cell the difficulties are written in, as a person filling the file finds it."""
    sheet = workbook[TASKS_SHEET]
    row = difficulties_row(sheet)
    if row is None:
        raise LookupError(DIFFICULTIES_HEADING)
    return sheet.cell(row=row + 1, column=1)


def _difficulties(sheet: Worksheet, row: int, text: str) -> None:
    """The heading and the open cell of the difficulties, each across the tasks' columns."""
    last = get_column_letter(len(TASK_COLUMNS))
    width = sum(width for _header, width in TASK_COLUMNS)
    heading = set_text(sheet.cell(row=row, column=1), DIFFICULTIES_HEADING)
    heading.font, heading.fill, heading.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
    sheet.merge_cells(f"A{row}:{last}{row}")
    sheet.row_dimensions[row].height = row_height([], minimum_size=SIZE)
    cell = _open_cell(set_text(sheet.cell(row=row + 1, column=1), text or None))
    cell.font, cell.alignment = _FONT, _WRAP
    sheet.merge_cells(f"A{row + 1}:{last}{row + 1}")
    # Room for four lines at least, however little is written yet.
    height = row_height([(text or "", width, SIZE, False)], minimum_size=SIZE)
    sheet.row_dimensions[row + 1].height = min(max(height, 4 * SIZE * 1.2 + 3), 409)


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
        target_cell.number_format = _number_format(target_cell.value)
        value_cell = _open_cell(figures.cell(row=row, column=FIGURE_VALUE_COLUMN))
        value_cell.value = line.value
        value_cell.number_format = _number_format(line.value)
        if line.is_flow:
            cumulative = figures.cell(row=row, column=7, value=line.cumulative)
            cumulative.number_format = _number_format(line.cumulative)
        if target is not None:
            scope_text = _("của đơn vị") if line.unit_target else _("toàn thành phố")
            set_text(figures.cell(row=row, column=8), str(scope_text))
    _whole_numbers(figures, FIRST_ROW, FIRST_ROW + len(scope.lines) - 1)
    _fit_rows(figures, FIGURE_COLUMNS)
    _protect(figures)

    # The city's works before the tasks, so that the difficulties close the report.
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
        _fit_rows(works, WORK_COLUMNS)
        _protect(works)

    tasks = workbook.create_sheet(TASKS_SHEET)
    labels = [str(label) for _value, label in TaskProgress.Status.choices]
    _table(
        tasks,
        _("Nhiệm vụ; khó khăn, vướng mắc, đề xuất"),
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
    last = FIRST_ROW + len(scope.tasks) - 1
    _fit_rows(tasks, TASK_COLUMNS, last_row=last)
    # A blank row, then the difficulties: the last thing an official writes.
    _difficulties(tasks, last + 2, report.difficulties if report else "")
    _protect(tasks)

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

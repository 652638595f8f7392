"""An uploaded report workbook, checked and read; reading never saves.

The file becomes a ReportInput for services.report_save, or UploadRejected lists every
problem by sheet, row and column, in Vietnamese, so the official can fix them all at
once. A file made for another unit or period, an old .xls, a CSV, a macro-enabled
workbook or a zip bomb is turned away before any cell is read; figures are checked by
common.figures, as the form's are, and text is made NFC (common.text) before it is compared.

Every sheet, hidden ones included, is read with bounds. A single cell written at
XFD1048576 made openpyxl walk a million empty rows (6 to 17 s and 500 MB for a 9 KB
file); common.spreadsheets.check_workbook streams each sheet's XML first and refuses the
file at the first row or column beyond what a report can hold, before openpyxl builds a
single cell.
"""

import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Choices
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from common.figures import FigureRefused, Noun, read_figure
from common.numbers import format_number
from common.spreadsheets import WorkbookRefused, check_workbook
from common.text import clean_text

from ..changes import ReportInput
from ..models import TaskProgress
from ..selectors import ReportContents
from .template import (
    DIFFICULTIES_HEADING,
    DIFFICULTIES_SHEET,
    FIGURE_COLUMNS,
    FIGURE_VALUE_COLUMN,
    FIGURES_SHEET,
    FIRST_ROW,
    HEADER_ROW,
    META_SHEET,
    TASK_COLUMNS,
    TASKS_SHEET,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
    WORK_COLUMNS,
    WORKS_SHEET,
    difficulties_row,
)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A zip can unpack to far more than it weighs; a real report workbook unpacks to < 1 MB.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_ROWS = 2000
# No sheet of the template is wider than this; the information sheet has two columns.
MAX_COLUMNS = 50
MAX_PROBLEMS = 30
NARRATIVE_MAX = 5000
DIFFICULTIES_MAX = 10000


class UploadRejected(Exception):
    """The file cannot be used; `problems` says why, each naming where when it can."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ParsedReport:
    data: ReportInput
    downloaded_version: int | None


def _where(sheet_name: str, row: int, column: int, header: str | None = None) -> str:
    letter = get_column_letter(column)
    if header:
        return _("Trang “%(sheet)s”, dòng %(row)s, cột %(col)s (%(header)s)") % {
            "sheet": sheet_name,
            "row": row,
            "col": letter,
            "header": header,
        }
    return _("Trang “%(sheet)s”, dòng %(row)s, cột %(col)s") % {
        "sheet": sheet_name,
        "row": row,
        "col": letter,
    }


class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"{where}: {message}")

    def has_formula(self, cell: Cell, where: str) -> bool:
        if cell.data_type == "f":
            self.problem(
                where,
                _("ô chứa công thức (%(formula)s); hãy nhập giá trị, không dùng công thức.")
                % {"formula": str(cell.value)[:40]},
            )
            return True
        return False

    def number(self, cell: Cell, where: str, places: int) -> Decimal | None:
        if self.has_formula(cell, where):
            return None
        try:
            return read_figure(cell.value, places=places, noun=Noun.FIGURE)
        except FigureRefused as refused:
            self.problem(where, refused.at_place())
            return None

    def text(self, cell: Cell, where: str, limit: int) -> str:
        if self.has_formula(cell, where):
            return ""
        value = cell.value
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = clean_text(str(value)).strip()
        if len(text) > limit:
            self.problem(where, _("quá dài (tối đa %(limit)s ký tự).") % {"limit": limit})
        return text

    def check_layout(
        self,
        sheet: Worksheet,
        columns: Sequence[tuple[str, int]],
        merged_ok: Sequence[str] = (),
    ) -> bool:
        """The headers where the template wrote them, no merged cell but those it made."""
        ok = True
        for merged in sheet.merged_cells.ranges:
            if merged.coord in merged_ok:
                continue
            self.problem(
                _where(sheet.title, merged.min_row, merged.min_col),
                _("có ô gộp (%(range)s); hãy bỏ gộp ô rồi tải lên lại.") % {"range": merged.coord},
            )
            ok = False
        for index, (header, _width) in enumerate(columns, start=1):
            found = sheet.cell(row=HEADER_ROW, column=index).value
            if str(found or "").strip() != header:
                self.problem(
                    _where(sheet.title, HEADER_ROW, index),
                    _(
                        "tiêu đề cột phải là “%(header)s”, tệp ghi “%(found)s”. Có thể tệp đã bị "
                        "chèn hoặc xóa cột; hãy dùng tệp tải về từ trang báo cáo."
                    )
                    % {"header": header, "found": found or ""},
                )
                ok = False
        if sheet.max_row > MAX_ROWS:
            self.problem(sheet.title, _("có quá nhiều dòng (tối đa %(max)s).") % {"max": MAX_ROWS})
            ok = False
        return ok

    def rows(
        self, sheet: Worksheet, width: int, last_row: int = MAX_ROWS + FIRST_ROW
    ) -> Iterator[tuple[int, tuple[Cell, ...]]]:
        """The table's rows, as (row number, cells); a blank row inside the table is wrong."""
        rows = [
            (number, cells)
            for number, cells in enumerate(
                sheet.iter_rows(min_row=FIRST_ROW, max_row=last_row, max_col=width),
                start=FIRST_ROW,
            )
        ]

        def blank(cells: Sequence[Cell]) -> bool:
            return all(cell.value is None or str(cell.value).strip() == "" for cell in cells)

        while rows and blank(rows[-1][1]):
            rows.pop()
        for number, cells in rows:
            if blank(cells):
                self.problem(
                    _("Trang “%(sheet)s”, dòng %(row)s") % {"sheet": sheet.title, "row": number},
                    _("dòng trống giữa bảng; hãy xóa dòng trống hoặc dùng lại tệp tải về."),
                )
                continue
            yield number, cells


def _open_workbook(upload: UploadedFile) -> Workbook:
    size = upload.size or 0
    if size > MAX_UPLOAD_BYTES:
        raise UploadRejected(
            [
                _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB cho một báo cáo.")
                % {
                    "size": format_number(Decimal(size) / 1024 / 1024, 1),
                    "max": MAX_UPLOAD_BYTES // 1024 // 1024,
                }
            ]
        )
    content = upload.read()
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadRejected(
            [
                _(
                    "Tệp Excel 97-2003 (.xls) không đọc được. Mở tệp trong Excel, chọn Lưu thành "
                    "“Sổ làm việc Excel (.xlsx)” rồi tải lên lại."
                )
            ]
        )
    if not content.startswith(b"PK\x03\x04"):
        if _looks_like_csv(content, upload.name or ""):
            raise UploadRejected(
                [
                    _(
                        "Tệp CSV không được nhận (kể cả CSV UTF-8 có BOM): tệp CSV không ghi đơn "
                        "vị và kỳ báo cáo nên không kiểm tra được. Hãy tải mẫu Excel (.xlsx) từ "
                        "trang báo cáo, điền vào và tải lên tệp .xlsx."
                    )
                ]
            )
        raise UploadRejected([_("Tệp không phải là bảng tính Excel (.xlsx).")])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise UploadRejected([_("Tệp quá lớn khi giải nén; đây không phải mẫu báo cáo.")])
            check_workbook(
                archive,
                name=upload.name or "",
                max_rows=MAX_ROWS + FIRST_ROW,
                max_columns=MAX_COLUMNS,
            )
        return load_workbook(io.BytesIO(content), data_only=False)
    except WorkbookRefused as refused:
        raise UploadRejected([str(refused)]) from None
    except UploadRejected:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip
        raise UploadRejected(
            [_("Không đọc được tệp: tệp bị hỏng hoặc không phải bảng tính Excel (.xlsx).")]
        ) from None


def _looks_like_csv(content: bytes, name: str) -> bool:
    if content.startswith(b"\xef\xbb\xbf") or name.lower().endswith(".csv"):
        return True
    try:
        sample = content[:2048].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "," in sample or ";" in sample


def _check_identity(workbook: Workbook, contents: ReportContents) -> tuple[int | None, int]:
    """The version of the report when the file was downloaded and the template's version;
    rejects another unit's file, and a template newer than this reader."""
    not_ours = _(
        "Tệp không phải mẫu báo cáo tải từ hệ thống. Hãy bấm “Tải mẫu Excel” trên trang "
        "báo cáo, điền vào tệp đó rồi tải lên."
    )
    if META_SHEET not in workbook.sheetnames:
        raise UploadRejected([not_ours])
    meta = {
        str(row[0]).strip(): row[1]
        for row in workbook[META_SHEET].iter_rows(max_row=50, max_col=2, values_only=True)
        if row[0] is not None
    }
    if meta.get("loai") != TEMPLATE_KIND:
        raise UploadRejected([not_ours])
    scope, period = contents.scope, contents.period
    year, unit, code = str(meta.get("nam")), str(meta.get("don-vi")), str(meta.get("ky"))
    if (year, unit, code) != (str(scope.plan.year), scope.unit.slug, period.code):
        raise UploadRejected(
            [
                _(
                    "Tệp này là báo cáo của đơn vị “%(file_unit)s”, kỳ “%(file_period)s” "
                    "(kế hoạch %(file_year)s), không phải của %(unit)s, %(period)s. "
                    "Không có gì được lưu; hãy tải lên đúng tệp của đơn vị và kỳ này."
                )
                % {
                    "file_unit": unit,
                    "file_period": code,
                    "file_year": year,
                    "unit": scope.unit.name,
                    "period": period.name,
                }
            ]
        )
    try:
        template = int(meta.get("phien-ban-mau") or 1)
    except (TypeError, ValueError):
        template = 0
    if not 1 <= template <= TEMPLATE_VERSION:
        raise UploadRejected(
            [
                _(
                    "Tệp được tạo theo mẫu báo cáo khác với mẫu hệ thống đang dùng. Hãy bấm "
                    "“Tải mẫu Excel” trên trang báo cáo để tải mẫu mới, điền vào rồi tải lên."
                )
            ]
        )
    version = meta.get("phien-ban-bao-cao")
    try:
        return (None if version is None else int(version)), template
    except (TypeError, ValueError):
        return None, template


def _sheet(workbook: Workbook, name: str, reader: _Reader) -> Worksheet | None:
    if name not in workbook.sheetnames:
        reader.problem(
            _("Tệp"), _("thiếu trang “%(sheet)s”; hãy dùng tệp tải về.") % {"sheet": name}
        )
        return None
    return workbook[name]


def _read_figures(
    sheet: Worksheet, contents: ReportContents, reader: _Reader
) -> dict[int, Decimal | None]:
    lines = {line.indicator.code: line for line in contents.scope.lines}
    figures: dict[int, Decimal | None] = {}
    seen: dict[str, int] = {}
    value_header = FIGURE_COLUMNS[FIGURE_VALUE_COLUMN - 1][0]
    for number, cells in reader.rows(sheet, len(FIGURE_COLUMNS)):
        code_cell, value_cell = cells[0], cells[FIGURE_VALUE_COLUMN - 1]
        code = clean_text(str(code_cell.value or "")).strip()
        code_where = _where(sheet.title, number, 1, FIGURE_COLUMNS[0][0])
        if not code:
            reader.problem(code_where, _("thiếu mã chỉ tiêu."))
            continue
        line = lines.get(code)
        if line is None:
            reader.problem(
                code_where,
                _("chỉ tiêu “%(code)s” không có trong báo cáo của đơn vị này.") % {"code": code},
            )
            continue
        if code in seen:
            reader.problem(
                code_where,
                _("chỉ tiêu “%(code)s” đã có ở dòng %(row)s.") % {"code": code, "row": seen[code]},
            )
            continue
        seen[code] = number
        where = _where(sheet.title, number, FIGURE_VALUE_COLUMN, value_header)
        value = reader.number(value_cell, where, places=3)
        if message := line.implausible(value):
            reader.problem(where, message)
            continue
        figures[line.indicator.pk] = value
    return figures


def _status(text: str) -> str | None:
    wanted = clean_text(text).strip().casefold()
    if not wanted:
        return TaskProgress.Status.NOT_STARTED
    with translation.override(settings.LANGUAGE_CODE):
        labels = [(value, str(label)) for value, label in TaskProgress.Status.choices]
    for value, label in labels:
        if wanted in {value.casefold(), label.casefold()}:
            return value
    return None


def _vietnamese_labels(choices: type[Choices]) -> list[str]:
    with translation.override(settings.LANGUAGE_CODE):
        return [str(label) for _value, label in choices.choices]


def _read_tasks(
    sheet: Worksheet, contents: ReportContents, reader: _Reader, last_row: int
) -> dict[int, tuple[str, str]]:
    tasks = {task.code: task for task in contents.scope.tasks}
    result: dict[int, tuple[str, str]] = {}
    seen: set[str] = set()
    for number, cells in reader.rows(sheet, len(TASK_COLUMNS), last_row):
        code = clean_text(str(cells[0].value or "")).strip()
        code_where = _where(sheet.title, number, 1, TASK_COLUMNS[0][0])
        task = tasks.get(code)
        if not code:
            reader.problem(code_where, _("thiếu mã nhiệm vụ."))
            continue
        if task is None or code in seen:
            reader.problem(
                code_where,
                _("nhiệm vụ “%(code)s” không có trong báo cáo của đơn vị này hoặc bị lặp.")
                % {"code": code},
            )
            continue
        seen.add(code)
        status_where = _where(sheet.title, number, 3, TASK_COLUMNS[2][0])
        status_text = reader.text(cells[2], status_where, 100)
        status = _status(status_text)
        if status is None:
            reader.problem(
                status_where,
                _("“%(text)s” không phải tình hình hợp lệ; chọn một trong: %(choices)s.")
                % {
                    "text": status_text,
                    "choices": ", ".join(_vietnamese_labels(TaskProgress.Status)),
                },
            )
            continue
        narrative = reader.text(
            cells[3], _where(sheet.title, number, 4, TASK_COLUMNS[3][0]), NARRATIVE_MAX
        )
        result[task.pk] = (status, narrative)
    return result


def _read_works(
    sheet: Worksheet, contents: ReportContents, reader: _Reader
) -> dict[int, tuple[Decimal | None, str]]:
    works = {str(work.pk): work for work in contents.scope.works}
    result: dict[int, tuple[Decimal | None, str]] = {}
    for number, cells in reader.rows(sheet, len(WORK_COLUMNS)):
        raw = cells[0].value
        key = str(int(raw)) if isinstance(raw, int | float) else str(raw or "").strip()
        work = works.get(key)
        if work is None or work.pk in result:
            reader.problem(
                _where(sheet.title, number, 1, WORK_COLUMNS[0][0]),
                _("công trình “%(code)s” không có trong báo cáo này hoặc bị lặp.") % {"code": key},
            )
            continue
        money = reader.number(
            cells[2], _where(sheet.title, number, 3, WORK_COLUMNS[2][0]), places=0
        )
        narrative = reader.text(
            cells[3], _where(sheet.title, number, 4, WORK_COLUMNS[3][0]), NARRATIVE_MAX
        )
        result[work.pk] = (money, narrative)
    return result


def _read_tasks_and_difficulties(
    sheet: Worksheet, contents: ReportContents, reader: _Reader, data: ReportInput
) -> None:
    """The tasks' table, and under it the difficulties (template version 2)."""
    heading = difficulties_row(sheet)
    if heading is None:
        reader.problem(
            sheet.title,
            _(
                "không thấy ô “%(heading)s” dưới bảng nhiệm vụ; hãy dùng tệp tải về từ trang "
                "báo cáo."
            )
            % {"heading": DIFFICULTIES_HEADING},
        )
        return
    last = get_column_letter(len(TASK_COLUMNS))
    merged = [f"A{heading}:{last}{heading}", f"A{heading + 1}:{last}{heading + 1}"]
    if not reader.check_layout(sheet, TASK_COLUMNS, merged_ok=merged):
        return
    if contents.scope.tasks:
        data.tasks = _read_tasks(sheet, contents, reader, last_row=heading - 1)
    cell = sheet.cell(row=heading + 1, column=1)
    data.difficulties = reader.text(cell, _where(sheet.title, heading + 1, 1), DIFFICULTIES_MAX)


def _read_works_sheet(
    workbook: Workbook, contents: ReportContents, reader: _Reader, data: ReportInput
) -> None:
    sheet = _sheet(workbook, WORKS_SHEET, reader) if contents.scope.works else None
    if sheet is not None and reader.check_layout(sheet, WORK_COLUMNS):
        data.works = _read_works(sheet, contents, reader)


def read_report_upload(upload: UploadedFile, contents: ReportContents) -> ParsedReport:
    """Check and read an uploaded workbook; raises UploadRejected, never saves."""
    workbook = _open_workbook(upload)
    downloaded_version, template = _check_identity(workbook, contents)
    reader = _Reader()
    data = ReportInput()

    sheet = _sheet(workbook, FIGURES_SHEET, reader)
    if sheet is not None and reader.check_layout(sheet, FIGURE_COLUMNS):
        data.figures = _read_figures(sheet, contents, reader)
    if template == 1:  # downloaded before the difficulties moved under the tasks
        _read_version_1(workbook, contents, reader, data)
    else:
        sheet = _sheet(workbook, TASKS_SHEET, reader)
        if sheet is not None:
            _read_tasks_and_difficulties(sheet, contents, reader, data)
        _read_works_sheet(workbook, contents, reader, data)
    if reader.problems:
        raise UploadRejected(reader.problems)
    return ParsedReport(data=data, downloaded_version=downloaded_version)


# Version 1 had the tasks' columns 12, 58, 16, 66 wide and the difficulties on a sheet of
# their own; the headers were the same.
def _read_version_1(
    workbook: Workbook, contents: ReportContents, reader: _Reader, data: ReportInput
) -> None:
    sheet = _sheet(workbook, TASKS_SHEET, reader) if contents.scope.tasks else None
    if sheet is not None and reader.check_layout(sheet, TASK_COLUMNS):
        data.tasks = _read_tasks(sheet, contents, reader, last_row=MAX_ROWS + FIRST_ROW)
    _read_works_sheet(workbook, contents, reader, data)
    sheet = _sheet(workbook, DIFFICULTIES_SHEET, reader)
    if sheet is not None and reader.check_layout(sheet, [(DIFFICULTIES_HEADING, 0)]):
        cell = sheet.cell(row=FIRST_ROW, column=1)
        data.difficulties = reader.text(cell, _where(sheet.title, FIRST_ROW, 1), DIFFICULTIES_MAX)

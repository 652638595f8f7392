"""The dashboard as an .xlsx file an official can print, filter and send on.

Written with openpyxl's write-only workbook, so rows go to the file as they are made:
a national plan's few thousand units cost rows on disk, not cells in memory. Every
sheet has its title and period on top, Vietnamese headers, number cells with number
formats, totals, a frozen header, filters and an A4 landscape print setup that repeats
the header on every page. Text typed by users goes through `set_text`, so it is never
read as a formula.
"""

import io
import math
import weakref
from collections.abc import Callable, Sequence
from copy import copy
from datetime import datetime
from decimal import Decimal
from typing import Any, BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from common.downloads import set_text
from common.numbers import format_number
from common.sheet_layout import (
    A4_LANDSCAPE_HEIGHT,
    A4_LANDSCAPE_WIDTH,
    DEFAULT_ROW_HEIGHT,
    column_points,
    page_groups,
    row_height,
)
from plans.models import Body
from reporting.states import ReportState

from .export_data import (
    NO_FIGURE,
    TASK_STATUS_LABELS,
    DashboardExport,
    ExportScope,
    dashboard_export,
)
from .judging import Status

FONT = "Times New Roman"
TITLE_FONT = Font(name=FONT, size=14, bold=True)
SUBTITLE_FONT = Font(name=FONT, size=12, italic=True)
HEADER_FONT = Font(name=FONT, size=11, bold=True)
BODY_FONT = Font(name=FONT, size=11)
TOTAL_FONT = Font(name=FONT, size=11, bold=True)
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
SUBMITTED_FILL = PatternFill("solid", fgColor="FFF2CC")
STATUS_FILLS = {
    Status.ACHIEVED: PatternFill("solid", fgColor="C6EFCE"),
    Status.ON_TRACK: PatternFill("solid", fgColor="DDEBF7"),
    Status.AT_RISK: PatternFill("solid", fgColor="FFEB9C"),
    Status.BEHIND: PatternFill("solid", fgColor="FFC7CE"),
    Status.NO_DATA: PatternFill("solid", fgColor="EDEDED"),
    Status.INCOMPLETE: PatternFill("solid", fgColor="E4DFEC"),
}
SUBMISSION_FILLS = {
    ReportState.ON_TIME: STATUS_FILLS[Status.ACHIEVED],
    ReportState.LATE: STATUS_FILLS[Status.AT_RISK],
    ReportState.SENT_BACK: STATUS_FILLS[Status.NO_DATA],
    ReportState.MISSING: STATUS_FILLS[Status.BEHIND],
}
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
NUMBER = Alignment(horizontal="right", vertical="top")
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "DD/MM/YYYY"
TITLE_ROWS = 4  # title, period, basis and filters, a blank line
MARGIN = 0.4  # inches, left and right
PRINTABLE_WIDTH = A4_LANDSCAPE_WIDTH - 2 * MARGIN * 72
MIN_SCALE = 85  # 11 pt prints at 9,35 pt
TOP_MARGIN = 0.6  # inches, top and bottom; the page number prints inside the bottom one
PRINTABLE_HEIGHT = A4_LANDSCAPE_HEIGHT - 2 * TOP_MARGIN * 72


# Style ids index the workbook's own tables, so they are remembered per workbook.
_STYLE_IDS: weakref.WeakKeyDictionary[Workbook, dict[tuple[object, ...], Any]] = (
    weakref.WeakKeyDictionary()
)


def number_format(value: Decimal | float) -> str:
    """As many decimals as the figure has (up to three): 10.900 stays 10.900, 22,2 stays 22,2."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    exponent = number.normalize().as_tuple().exponent
    decimals = min(max(-exponent, 0), 3) if isinstance(exponent, int) else 0
    return "#,##0" + ("." + "0" * decimals if decimals else "")


# Units that count whole things: a share of a target in them has no decimals.
COUNTED_UNITS = frozenset(
    {"sản phẩm", "cơ sở", "hộ", "con", "cái", "mô hình", "hợp tác xã", "htx", "doanh nghiệp",
     "công trình", "người", "lượt", "lớp", "thôn", "bản", "xã", "chuỗi", "làng"}
)  # fmt: skip


def rounded(value: Decimal | None, unit_of_measure: str) -> Decimal | None:
    """A computed figure (what is due by now) with decimals that suit its unit.

    1,496 products reads as nonsense: a count has none; tonnes, hectares and kilometres
    keep two.
    """
    if value is None:
        return None
    places = 0 if unit_of_measure.strip().lower() in COUNTED_UNITS else 2
    return value.quantize(Decimal(1).scaleb(-places))


class SheetWriter:
    """One sheet: the title block, the header, streamed rows, then filter and print setup."""

    def __init__(
        self,
        workbook: Workbook,
        data: DashboardExport,
        title: str,
        heading: str,
        widths: list[int],
        *,
        repeat: int = 1,
        keep_together: Sequence[tuple[int, int]] = (),
    ) -> None:
        self.sheet = workbook.create_sheet(title)
        self.styles = _STYLE_IDS.setdefault(workbook, {})
        self.data = data
        self.heading = heading
        self.widths = widths
        self.repeat = repeat
        self.row = 0
        self.header_rows: tuple[int, int] | None = None
        self.last_table_row = 0
        self.heights: list[float] = []
        self.row_breaks: list[int] = []
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self._lay_out(keep_together)
        # Written with the sheet's first row, so set here rather than in finish().
        self.sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)

    def _lay_out(self, keep_together: Sequence[tuple[int, int]]) -> None:
        """Page breaks and print scale from the column widths (every writer's)."""
        widths, repeat = self.widths, self.repeat
        # A sheet too wide for the page goes on to further pages, the first `repeat`
        # columns printed again on each, at a scale that keeps 11 pt text at 9 pt or more
        # on paper (fitting everything to one page width shrank it to 5 pt).
        self.breaks = page_groups(
            widths,
            repeated=repeat,
            room=PRINTABLE_WIDTH * 100 / MIN_SCALE / 1.01,
            keep_together=keep_together,
        )
        bounds = [repeat + 1, *self.breaks, len(widths) + 1]
        fixed = sum(column_points(w) for w in widths[:repeat])
        widest = max(
            fixed + sum(column_points(w) for w in widths[start - 1 : end - 1])
            for start, end in zip(bounds, bounds[1:], strict=False)
        )
        self.scale = min(100, math.floor(PRINTABLE_WIDTH * 100 / (widest * 1.01)))
        self.first_page_columns = self.breaks[0] - 1 if self.breaks else len(widths)

    @property
    def last_column(self) -> str:
        return get_column_letter(len(self.widths))

    @property
    def first_page_last_column(self) -> str:
        return get_column_letter(self.first_page_columns)

    def cell(
        self,
        value: object = None,
        *,
        font: Font = BODY_FONT,
        fill: PatternFill | None = None,
        border: Border | None = BOX,
        align: Alignment = WRAP,
        fmt: str | None = None,
    ) -> Cell:
        cell = WriteOnlyCell(self.sheet)
        if isinstance(value, str):
            set_text(cell, value)
        elif isinstance(value, Decimal):
            cell.value = float(value)
        else:
            cell.value = value
        # Assigning a style makes openpyxl hash the whole Font/Border/Fill to find its id,
        # which dominated the time of a national export; the ids are found once per
        # combination and copied after that.
        key = (id(font), id(fill), id(border), id(align), fmt)
        style = self.styles.get(key)
        if style is None:
            cell.font = font
            if border is not None:
                cell.border = border
            cell.alignment = align
            if fill is not None:
                cell.fill = fill
            if fmt is not None:
                cell.number_format = fmt
            self.styles[key] = copy(cell._style)
        else:
            cell._style = copy(style)
        return cell

    def number(
        self,
        value: Decimal | float | None,
        *,
        fill: PatternFill | None = None,
        font: Font = BODY_FONT,
    ) -> Cell:
        if value is None:
            return self.cell(None, fill=fill, font=font)
        return self.cell(value, fmt=number_format(value), align=NUMBER, fill=fill, font=font)

    def figure(
        self,
        value: Decimal | float | None,
        *,
        fill: PatternFill | None = None,
        font: Font = BODY_FONT,
    ) -> Cell:
        """A reported figure: a number, or NO_FIGURE where nothing was reported, so that
        no figure never reads as an empty cell someone forgot, nor as 0."""
        if value is None:
            return self.cell(NO_FIGURE, fill=fill, font=font, align=CENTER)
        return self.number(value, fill=fill, font=font)

    def percent(
        self,
        share: Decimal | float | None,
        *,
        fill: PatternFill | None = None,
        font: Font = BODY_FONT,
    ) -> Cell:
        """`share` is a fraction (0,823); Excel shows it as 82,3%."""
        if share is None:
            return self.cell(None, fill=fill, font=font)
        return self.cell(Decimal(share), fmt=PERCENT_FORMAT, align=NUMBER, fill=fill, font=font)

    def blanks(self, count: int, **style: Any) -> list[Cell]:
        """Empty boxed cells; each its own object, as a streamed row needs."""
        return [self.cell(None, **style) for _ in range(count)]

    def append(self, cells: Sequence[Cell | None], spans: dict[int, int] | None = None) -> None:
        """One row, as tall as its longest wrapped text; `spans` widens merged cells."""
        height = self.height(cells, spans)
        if height is not None:
            self.sheet.row_dimensions[self.row + 1].height = height
        self.sheet.append(cells)
        self.row += 1
        self.heights.append(height or DEFAULT_ROW_HEIGHT)

    def room_left(self) -> float:
        """The points of paper left below the rows so far on the page they print on, by
        the rows' heights (repeated header rows at the top of every page after the first)."""
        page = PRINTABLE_HEIGHT * 100 / self.scale
        first, last = self.header_rows or (1, 0)
        titles = sum(self.heights[first - 1 : last])
        starts = set(self.row_breaks)
        used = 0.0
        for number, height in enumerate(self.heights, start=1):
            if used > 0 and (used + height > page or number - 1 in starts):
                used = titles
            used += height
        return page - used

    def keep_together(self, rows: Sequence[Sequence[Cell | None]]) -> None:
        """Rows that print on one page (a summary under a table): they begin a new page
        when what is left of this one cannot hold them all, never leaving one row alone."""
        needed = sum(self.height(cells) or DEFAULT_ROW_HEIGHT for cells in rows)
        # A margin of a row for the estimate of wrapped text against the printer's own.
        if needed + DEFAULT_ROW_HEIGHT > self.room_left() and self.row not in self.row_breaks:
            self.row_breaks.append(self.row)
        for cells in rows:
            self.append(cells)

    def height(self, cells: Sequence[Any], spans: dict[int, int] | None = None) -> float | None:
        """The height of a row with text in it (None: the default height)."""
        measured = []
        for index, cell in enumerate(cells):
            if cell is None or not isinstance(cell.value, str) or not cell.value:
                continue
            count = (spans or {}).get(index, 1)
            width = sum(self.widths[index : index + count])
            font = cell.font
            measured.append((cell.value, width, float(font.sz or 11), bool(font.b)))
        return min(row_height(measured), 409) if measured else None

    def merge_across(self, text: str, font: Font, align: Alignment) -> None:
        """A line above the table, across the columns of the first page."""
        self.append(
            [self.cell(text, font=font, border=None, align=align)],
            spans={0: self.first_page_columns},
        )
        self.sheet.merged_cells.add(f"A{self.row}:{self.first_page_last_column}{self.row}")

    def title_block(self, header_height: int = 1) -> None:
        """Everything above the table, and the frozen panes (set before the first row)."""
        scope = self.data.scope
        first_table_row = TITLE_ROWS + header_height + 1
        self.sheet.freeze_panes = f"{get_column_letter(self.repeat + 1)}{first_table_row}"
        self.merge_across(self.heading, TITLE_FONT, CENTER)
        self.merge_across(
            f"{self.data.plan.unit} — {scope.period_label}",
            SUBTITLE_FONT,
            Alignment(horizontal="center", wrap_text=True),
        )
        made = timezone.localtime().strftime("%d/%m/%Y %H:%M")
        notes = [scope.basis_label, scope.filter_label, _("Xuất lúc %(when)s") % {"when": made}]
        self.merge_across(
            " · ".join(n for n in notes if n),
            Font(name=FONT, size=11),
            Alignment("center", wrap_text=True),
        )
        self.append([])

    def header(self, *rows: list[str], spans: dict[int, int] | None = None) -> None:
        """The header rows; `spans` (0-based column: count) are merged in the first one."""
        first = self.row + 1
        for number, labels in enumerate(rows):
            self.append(
                [
                    self.cell(label, font=HEADER_FONT, fill=HEADER_FILL, align=CENTER)
                    for label in labels
                ],
                spans=spans if number == 0 else None,
            )
        self.header_rows = (first, self.row)

    def end_table(self) -> None:
        self.last_table_row = self.row

    def finish(self) -> None:
        sheet = self.sheet
        assert self.header_rows is not None, "header() comes before finish()"
        first, last = self.header_rows
        sheet.auto_filter.ref = f"A{last}:{self.last_column}{max(self.last_table_row, last)}"
        sheet.print_title_rows = f"{first}:{last}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.scale = self.scale
        if self.breaks:
            sheet.print_title_cols = f"A:{get_column_letter(self.repeat)}"
            # A row's figures, then the same rows' further columns, before the next rows.
            sheet.page_setup.pageOrder = "overThenDown"
            for column in self.breaks:
                sheet.col_breaks.append(Break(id=column - 1))
        for row in self.row_breaks:
            sheet.row_breaks.append(Break(id=row))
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = MARGIN
        sheet.page_margins.top = sheet.page_margins.bottom = 0.6
        sheet.oddFooter.center.text = _("Trang &P/&N")
        sheet.oddFooter.center.font = FONT
        sheet.oddFooter.center.size = 11


def _indicator_sheet(
    workbook: Workbook, data: DashboardExport, writer_class: type[SheetWriter] = SheetWriter
) -> None:
    writer = writer_class(
        workbook,
        data,
        _("Chỉ tiêu"),
        _("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KẾ HOẠCH SẢN XUẤT NÔNG NGHIỆP HÀNG HÓA NĂM %(y)s")
        % {"y": data.plan.year},
        # The figures on one page; how each was judged on the next, beside the same rows.
        [6, 8, 34, 16, 9, 13, 13, 13, 13, 10, 13, 15, 96, 16],
        repeat=3,
    )
    writer.title_block()
    writer.header(
        [
            _("STT"),
            _("Mục"),
            _("Chỉ tiêu"),
            _("Phạm vi"),
            _("ĐVT"),
            _("Tính chất"),
            _("Yêu cầu"),
            _("Kế hoạch năm"),
            _("Thực hiện"),
            _("Tỷ lệ đạt"),
            _("Cần đạt đến kỳ"),
            _("Tình trạng"),
            _("Cách đánh giá"),
            _("Ghi chú"),
        ]
    )
    plan_wide = str(data.plan.unit)
    rows = [(item, plan_wide) for item in data.indicators]
    rows += [(item, data.area_names[item.target.unit_id]) for item in data.area_items]
    for number, (item, area) in enumerate(rows, start=1):
        marked = SUBMITTED_FILL if item.includes_submitted else None
        writer.append(
            [
                writer.number(number),
                writer.cell(data.section_code(item)),
                writer.cell(item.indicator.name),
                writer.cell(area),
                writer.cell(item.indicator.unit_of_measure),
                writer.cell(_("Cộng dồn") if item.is_flow else _("Hiện có")),
                writer.cell(item.target.get_comparison_display()),
                writer.number(item.target.value),
                writer.figure(item.actual, fill=marked),
                writer.percent(item.share / 100 if item.share is not None else None),
                writer.number(rounded(item.expected_value, item.indicator.unit_of_measure)),
                writer.cell(item.status_label, fill=STATUS_FILLS[item.status]),
                writer.cell(item.explanation),
                writer.cell(_("Gồm số liệu chưa duyệt") if item.includes_submitted else ""),
            ]
        )
    writer.end_table()
    counts = data.status_counts()
    writer.append([])
    summary: list[list[Cell | None]] = [
        [
            None,
            None,
            writer.cell(
                _("Chỉ tiêu chung toàn %(u)s theo tình trạng") % {"u": data.plan.unit},
                font=HEADER_FONT,
                fill=HEADER_FILL,
            ),
            writer.cell(_("Số chỉ tiêu"), font=HEADER_FONT, fill=HEADER_FILL, align=CENTER),
        ],
    ]
    for code in Status.ORDER:
        summary.append(
            [None, None, writer.cell(str(Status.LABELS[code])), writer.number(counts[code])]
        )
    summary.append(
        [
            None,
            None,
            writer.cell(_("Tổng số chỉ tiêu"), font=TOTAL_FONT, fill=TOTAL_FILL),
            writer.number(sum(counts.values()), font=TOTAL_FONT, fill=TOTAL_FILL),
        ]
    )
    writer.keep_together(summary)
    writer.finish()


def _unit_sheet(
    workbook: Workbook, data: DashboardExport, writer_class: type[SheetWriter] = SheetWriter
) -> None:
    multi = data.multi_level and data.today_map is None
    leading = [_("STT"), _("Đơn vị")] + ([_("Trực thuộc")] if multi else [])
    widths = [6, 34] + ([24] if multi else [])
    if data.today_map is not None:
        leading = [
            _("STT"),
            _("Đơn vị hành chính hiện nay"),
            _("Gồm số liệu của các đơn vị năm %(y)s; ghi chú") % {"y": data.plan.year},
        ]
        widths = [6, 30, 44]
    # The unit columns are labelled on the lower header row, where the filter buttons sit.
    top, sub = [""] * len(leading), list(leading)
    groups = []
    for column in data.columns:
        indicator = column.indicator
        name = f"{indicator.name} ({indicator.unit_of_measure})"
        labels = (
            [_("Kế hoạch"), _("Thực hiện"), _("Tỷ lệ đạt"), _("Tình trạng")]
            if column.with_target
            else [_("Thực hiện")]
        )
        groups.append((len(top) + 1, len(labels)))
        top += [name] + [""] * (len(labels) - 1)
        sub += labels
        widths += [11, 11, 8, 12] if column.with_target else [14]
    heading = _("KẾT QUẢ THỰC HIỆN THEO ĐƠN VỊ NĂM %(y)s") % {"y": data.plan.year}
    if data.today_map is not None:
        heading = _("KẾT QUẢ THỰC HIỆN NĂM %(y)s THEO ĐƠN VỊ HÀNH CHÍNH HIỆN NAY (NGÀY %(d)s)") % {
            "y": data.plan.year,
            "d": data.today_map.day.strftime("%d/%m/%Y"),
        }
    writer = writer_class(
        workbook,
        data,
        _("Đơn vị"),
        heading,
        widths,
        repeat=len(leading),
        keep_together=[(start, span) for start, span in groups],
    )
    writer.title_block(header_height=2)
    writer.header(top, sub, spans={start - 1: span for start, span in groups})
    assert writer.header_rows is not None
    first_header = writer.header_rows[0]
    for start, span in groups:
        if span > 1:
            writer.sheet.merged_cells.add(
                f"{get_column_letter(start)}{first_header}:"
                f"{get_column_letter(start + span - 1)}{first_header}"
            )

    if data.today_map is not None:
        _today_map_rows(writer, data)
    else:
        _unit_rows(writer, data, multi)
    writer.end_table()
    _unit_totals(writer, data, len(leading) - 2)


def _unit_rows(writer: SheetWriter, data: DashboardExport, multi: bool) -> None:
    number = 0
    for row in data.unit_rows():
        is_plan_unit = row.unit.pk == data.plan.unit_id
        number += 0 if is_plan_unit else 1
        cells = [writer.number(None if is_plan_unit else number), writer.cell(row.name)]
        if multi:
            cells.append(writer.cell(row.parent_name))
        for column, unit_cell in zip(data.columns, row.cells, strict=True):
            contribution, own = unit_cell.contribution, unit_cell.own
            value = contribution.value if contribution else None
            marked = SUBMITTED_FILL if contribution and contribution.includes_submitted else None
            if column.with_target:
                cells += [
                    writer.number(own.target.value if own else None),
                    writer.figure(value, fill=marked),
                    writer.percent(own.share / 100 if own and own.share is not None else None),
                    writer.cell(own.status_label, fill=STATUS_FILLS[own.status])
                    if own
                    else writer.cell(None),
                ]
            else:
                cells.append(writer.figure(value, fill=marked))
        writer.append(cells)


def _today_map_rows(writer: SheetWriter, data: DashboardExport) -> None:
    """The plan's own entries, then each unit of today's map with its sums, and under it
    the old units and their figures behind those sums (dashboards/today_map.py)."""
    assert data.today_map is not None
    plan_unit = next((row for row in data.unit_rows() if row.unit.pk == data.plan.unit_id), None)
    if plan_unit is not None:
        cells = [writer.number(None), writer.cell(plan_unit.name), writer.cell(None)]
        for column, unit_cell in zip(data.columns, plan_unit.cells, strict=True):
            contribution = unit_cell.contribution
            marked = SUBMITTED_FILL if contribution and contribution.includes_submitted else None
            if column.with_target:
                cells.append(writer.cell(None))
            cells.append(writer.figure(contribution.value if contribution else None, fill=marked))
            if column.with_target:
                cells += writer.blanks(2)
        writer.append(cells)
    for number, row in enumerate(data.today_map.rows, start=1):
        notes = [
            _("Gồm: %(units)s.") % {"units": row.old_names},
            f"{row.partial_label.capitalize()}: {row.partial_note}" if row.partial else "",
            row.note,
        ]
        cells = [
            writer.number(number),
            writer.cell(str(row.unit), font=TOTAL_FONT),
            writer.cell(" ".join(n for n in notes if n)),
        ]
        for column in data.columns:
            figure = row.figure(column.indicator.pk)
            marked = SUBMITTED_FILL if figure and figure.includes_submitted else None
            actual = figure.actual if figure else None
            if column.with_target and figure is not None and figure.target is not None:
                cells += [
                    writer.number(figure.target),
                    writer.figure(actual, fill=marked),
                    writer.percent(figure.share / 100 if figure.share is not None else None),
                    writer.cell(figure.status_label, fill=STATUS_FILLS[figure.status]),
                ]
            elif column.with_target:
                cells += [writer.cell(None), writer.figure(actual, fill=marked), *writer.blanks(2)]
            else:
                cells.append(writer.figure(actual, fill=marked))
        writer.append(cells)
        for old, share in row.old_units:
            label = _("đơn vị năm %(y)s, nay thuộc %(unit)s") % {
                "y": data.plan.year,
                "unit": row.unit,
            }
            if share is not None:
                label += " " + _("(phần chuyển sang: %(s)s)") % {"s": format_number(share)}
            cells = [writer.cell(None), writer.cell(f"– {old}"), writer.cell(label)]
            for column in data.columns:
                figure = row.figure(column.indicator.pk)
                found = (
                    next((f for f in figure.behind if f.unit.pk == old.pk), None)
                    if figure
                    else None
                )
                if column.with_target:
                    cells.append(writer.number(found.target if found else None))
                cells.append(writer.figure(found.actual if found else None))
                if column.with_target:
                    cells += writer.blanks(2)
            writer.append(cells)


def _unit_totals(writer: SheetWriter, data: DashboardExport, extra: int) -> None:
    """What the per-unit table adds up to, and the plan-wide targets beside it: the same
    on either map, since today's map only regroups the units."""
    city = {item.indicator.pk: item for item in data.board.city}
    total = [
        None,
        writer.cell(_("Tổng cộng"), font=TOTAL_FONT, fill=TOTAL_FILL),
        *writer.blanks(extra, fill=TOTAL_FILL),
    ]
    plan_row = [
        None,
        writer.cell(_("Kế hoạch toàn %(u)s") % {"u": data.plan.unit}),
        *writer.blanks(extra),
    ]
    share_row = [None, writer.cell(_("Tỷ lệ đạt so với kế hoạch chung")), *writer.blanks(extra)]
    for column, sums in zip(data.columns, data.column_totals(), strict=True):
        item = city.get(column.indicator.pk)
        actual = writer.number(sums.actual, font=TOTAL_FONT, fill=TOTAL_FILL)
        plan_value = writer.number(item.target.value if item else None)
        share = writer.percent(item.share / 100 if item and item.share is not None else None)
        if column.with_target:
            total += [
                writer.number(sums.target, font=TOTAL_FONT, fill=TOTAL_FILL),
                actual,
                writer.percent(sums.share, font=TOTAL_FONT, fill=TOTAL_FILL),
                writer.cell(None, fill=TOTAL_FILL),
            ]
            plan_row += [writer.cell(None), plan_value, writer.cell(None), writer.cell(None)]
            share_row += [writer.cell(None), share, writer.cell(None), writer.cell(None)]
        else:
            total.append(actual)
            plan_row.append(plan_value)
            share_row.append(share)
    writer.append(total)
    writer.append(plan_row)
    writer.append(share_row)
    writer.finish()


def _task_sheet(
    workbook: Workbook, data: DashboardExport, writer_class: type[SheetWriter] = SheetWriter
) -> None:
    writer = writer_class(
        workbook,
        data,
        _("Nhiệm vụ"),
        _("TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ CỦA KẾ HOẠCH NĂM %(y)s") % {"y": data.plan.year},
        [6, 10, 34, 20, 18, 14, 46, 14],
        repeat=3,
    )
    writer.title_block()
    writer.header(
        [
            _("STT"),
            _("Mã"),
            _("Nhiệm vụ"),
            _("Cơ quan thực hiện"),
            _("Đơn vị báo cáo"),
            _("Tình hình"),
            _("Kết quả thực hiện"),
            _("Theo báo cáo kỳ"),
        ]
    )
    by_status = dict.fromkeys(TASK_STATUS_LABELS, 0)
    by_body: dict[int, tuple[Body, dict[str, int]]] = {}
    for number, line in enumerate(data.task_lines(), start=1):
        by_status[line.status] += 1
        bodies = line.bodies
        for body in bodies:
            by_body.setdefault(body.pk, (body, dict.fromkeys(TASK_STATUS_LABELS, 0)))
            by_body[body.pk][1][line.status] += 1
        writer.append(
            [
                writer.number(number),
                writer.cell(line.task.code),
                writer.cell(line.task.title),
                writer.cell("; ".join(str(body) for body in bodies)),
                writer.cell(line.unit_name),
                writer.cell(line.status_label),
                writer.cell(line.narrative),
                writer.cell(line.period_name),
            ]
        )
    writer.end_table()
    writer.append([])
    statuses = list(TASK_STATUS_LABELS)
    head = {"font": HEADER_FONT, "fill": HEADER_FILL, "align": CENTER}
    summary: list[list[Cell | None]] = [
        [
            None,
            None,
            writer.cell(_("Tổng hợp theo cơ quan thực hiện"), **head),
            *[writer.cell(TASK_STATUS_LABELS[s], **head) for s in statuses],
            writer.cell(_("Cộng"), **head),
        ]
    ]
    for body, counts in sorted(by_body.values(), key=lambda pair: pair[0].position):
        summary.append(
            [
                None,
                None,
                writer.cell(str(body)),
                *[writer.number(counts[s]) for s in statuses],
                writer.number(sum(counts.values())),
            ]
        )
    total = {"font": TOTAL_FONT, "fill": TOTAL_FILL}
    summary.append(
        [
            None,
            None,
            writer.cell(_("Tổng cộng (mỗi nhiệm vụ ở mỗi đơn vị tính một lần)"), **total),
            *[writer.number(by_status[s], **total) for s in statuses],
            writer.number(sum(by_status.values()), **total),
        ]
    )
    writer.keep_together(summary)
    writer.finish()


def _ocop_sheet(
    workbook: Workbook, data: DashboardExport, writer_class: type[SheetWriter] = SheetWriter
) -> None:
    ocop, year = data.ocop, data.plan.year
    writer = writer_class(
        workbook,
        data,
        _("OCOP"),
        _("SẢN PHẨM OCOP ĐẾN NGÀY %(d)s") % {"d": data.scope.as_of.strftime("%d/%m/%Y")},
        [6, 24, 14, 18, 14, 7, 7, 12, 11, 12, 11, 13, 16],
        repeat=2,
    )
    writer.title_block()
    writer.header(
        [
            _("STT"),
            _("Tên sản phẩm"),
            _("Nhóm sản phẩm"),
            _("Chủ thể"),
            _("Đơn vị"),
            _("Điểm"),
            _("Hạng sao"),
            _("Số quyết định"),
            _("Ngày quyết định"),
            _("Cấp công nhận"),
            _("Ngày hết hạn"),
            _("Tình trạng"),
            _("Lưu ý"),
        ]
    )
    expiring = {p.pk for p in ocop.expiring}
    expired = {p.pk for p in ocop.expired}
    new = {p.pk for p in ocop.new_in_year}
    for number, product in enumerate(ocop.products, start=1):
        notes = []
        if product.pk in new:
            notes.append(_("Mới năm %(y)s") % {"y": year})
        if product.pk in expiring:
            notes.append(_("Hết hạn trong 30 ngày"))
        if product.pk in expired:
            notes.append(_("Đã hết hạn"))
        warn = STATUS_FILLS[Status.BEHIND] if product.pk in expired | expiring else None
        writer.append(
            [
                writer.number(number),
                writer.cell(product.name),
                writer.cell(product.group),
                writer.cell(product.owner),
                writer.cell(product.unit.name),
                writer.number(product.score),
                writer.number(product.stars),
                writer.cell(product.decision_number),
                writer.cell(product.decision_date, fmt=DATE_FORMAT, align=NUMBER),
                writer.cell(product.get_issuing_level_display()),
                writer.cell(product.expires_on, fmt=DATE_FORMAT, align=NUMBER, fill=warn),
                writer.cell(product.get_status_display()),
                writer.cell("; ".join(notes), fill=warn),
            ]
        )
    writer.end_table()
    writer.append([])
    # Each figure says where it comes from: the register counts recognition decisions, the
    # indicator what the units reported; the same two figures as in the report to the province.
    indicator = data.ocop_indicator
    target = indicator.target.value if indicator else None
    reported = indicator.actual if indicator else None
    summary = [
        (
            _("Sản phẩm mới năm %(y)s theo sổ theo dõi (bảng trên)") % {"y": year},
            len(ocop.new_in_year),
        ),
        (_("Sản phẩm mới theo báo cáo của các đơn vị (trang Chỉ tiêu)"), reported),
        (_("Chỉ tiêu sản phẩm mới của kế hoạch"), target),
        *[(_("Còn hiệu lực, %(n)s sao") % {"n": s}, c) for s, c in ocop.stars.items()],
        (_("Hết hạn trong 30 ngày tới"), len(ocop.expiring)),
        (_("Đã hết hạn"), len(ocop.expired)),
        (_("Tổng số sản phẩm"), len(ocop.products)),
    ]
    writer.keep_together(
        [
            [None, writer.cell(label, font=TOTAL_FONT), writer.number(count)]
            for label, count in summary
        ]
    )
    writer.finish()


def _completeness_sheet(
    workbook: Workbook, data: DashboardExport, writer_class: type[SheetWriter] = SheetWriter
) -> None:
    multi = data.multi_level
    periods = [row.period for row in data.completeness]
    leading = [_("STT"), _("Đơn vị")] + ([_("Trực thuộc")] if multi else [])
    writer = writer_class(
        workbook,
        data,
        _("Tiến độ báo cáo"),
        _("TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC XÃ, PHƯỜNG"),
        [6, 30] + ([24] if multi else []) + [14] * max(len(periods), 1),
        repeat=len(leading),
    )
    writer.title_block()
    writer.header(leading + [p.name for p in periods])
    for number, row in enumerate(data.completeness_rows(), start=1):
        cells = [writer.number(number), writer.cell(data.unit_name(row.unit))]
        if multi:
            cells.append(writer.cell(row.parent_name))
        cells += [
            writer.cell(
                state.completeness_label, fill=SUBMISSION_FILLS[state.completeness], align=CENTER
            )
            for state in row.states
        ]
        writer.append(cells)
    writer.end_table()
    extra = len(leading) - 2
    total = {"font": TOTAL_FONT, "fill": TOTAL_FILL}
    units = len(data.grassroots)
    for label, pick in (
        (_("Số đơn vị nộp đúng hạn"), lambda r: len(r.on_time)),
        (_("Số đơn vị nộp muộn"), lambda r: len(r.late)),
        (_("Số đơn vị bị trả lại, chờ sửa"), lambda r: len(r.sent_back)),
        (_("Số đơn vị chưa nộp"), lambda r: len(r.missing)),
    ):
        writer.append(
            [
                None,
                writer.cell(label, **total),
                *writer.blanks(extra, fill=TOTAL_FILL),
                *[writer.number(pick(r), **total) for r in data.completeness],
            ]
        )
    writer.append(
        [
            None,
            writer.cell(_("Tỷ lệ đã nộp"), **total),
            *writer.blanks(extra, fill=TOTAL_FILL),
            *[
                writer.percent(
                    Decimal(len(r.on_time) + len(r.late)) / units if units else None, **total
                )
                for r in data.completeness
            ],
        ]
    )
    writer.finish()


def dashboard_workbook(data: DashboardExport) -> bytes:
    workbook = Workbook(write_only=True)
    workbook.properties.title = _("Chỉ tiêu và thực hiện %(y)s") % {"y": data.plan.year}
    workbook.properties.creator = str(data.plan.issuer)
    workbook.properties.created = datetime.now()
    _indicator_sheet(workbook, data)
    _unit_sheet(workbook, data)
    _task_sheet(workbook, data)
    _ocop_sheet(workbook, data)
    _completeness_sheet(workbook, data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_filename(data: DashboardExport) -> str:
    scope = data.scope
    when = scope.period.name if scope.period else scope.as_of.strftime("%d-%m-%Y")
    return _("Chỉ tiêu và thực hiện %(y)s - %(when)s.xlsx") % {
        "y": data.plan.year,
        "when": when.replace("/", "-"),
    }


def write_dashboard_workbook(
    *, scope: ExportScope, out: BinaryIO, progress: Callable[[int, int], None] | None = None
) -> str:
    """The workbook for `scope` written into `out`; returns its file name.

    The one entry point of the queued export (dashboards/exports.py): it calls
    `progress(done, total)` as the work goes on, so the person waiting sees it move.
    """
    report = progress or (lambda done, total: None)
    steps = 3  # the figures gathered, the sheets written, the file saved
    report(0, steps)
    data = dashboard_export(scope)
    report(1, steps)
    content = dashboard_workbook(data)
    report(2, steps)
    out.write(content)
    report(steps, steps)
    return workbook_filename(data)

"""The queued export of a large plan: each unit's values computed by the database, the
rows streamed into xlsxwriter's constant-memory workbook.

Why a second path beside dashboards/excel.py: the national workbook holds 3.332 communes ×
100 indicators, and reading the 2,7 M figures behind them through the ORM to apply the
value rule in Python took most of its 14 s and 125 MB. Here the rule of reporting.values
(a stock's latest figure; a flow's sum within one kind of period, the kind that reaches
furthest and then covers more of the year winning) is one SQL query, in window functions
that PostgreSQL and SQLite both run, read from a server-side cursor in the sheet's order,
one unit at a time. The rows go to xlsxwriter with `constant_memory`, which writes each
row to disk as soon as the next one starts: measured on the same rows it writes 3× faster
than openpyxl's write-only mode (BENCHMARKS.md). What the sheets hold and how they are
laid out is still excel.py's: its sheet functions run unchanged with `XlsxSheetWriter`,
which takes the same calls as its `SheetWriter`, so both paths give the same cells, styles,
merges, print titles, page breaks and scale (dashboards/tests/test_export_sql.py).
"""

import json
import math
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO, Generic, TypeVar, cast

import xlsxwriter
from django.db import connection, connections, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet as XlsxWorksheet

from common.downloads import printable_text
from common.sheet_layout import DEFAULT_ROW_HEIGHT
from plans.models import Plan
from plans.selectors import grassroots_units
from reporting.models import Indicator, Report, ReportFigure, ReportingPeriod
from reporting.values import CUMULATIVE_KINDS, KIND_RANK

from .board import UnitValue
from .excel import (
    BODY_FONT,
    BOX,
    MARGIN,
    WRAP,
    SheetWriter,
    _completeness_sheet,
    _indicator_sheet,
    _ocop_sheet,
    _task_sheet,
    _unit_sheet,
    workbook_filename,
)
from .export_data import (
    ColumnTotal,
    DashboardExport,
    ExportScope,
    UnitRow,
    dashboard_export,
)

T = TypeVar("T")

# --- Each unit's values, by SQL -------------------------------------------------------

_FIGURES = ReportFigure._meta.db_table
_REPORTS = Report._meta.db_table
_PERIODS = ReportingPeriod._meta.db_table
_INDICATORS = Indicator._meta.db_table
_PLACES = ReportFigure._meta.get_field("value").decimal_places

# reporting.values: which kinds of a flow add up, and which kind wins a tie on the date.
_SUMMED = sorted(set(ReportingPeriod.Kind.values) - CUMULATIVE_KINDS)
_RANK = "CASE kind " + " ".join(f"WHEN '{k}' THEN {r}" for k, r in KIND_RANK.items()) + " END"

UNIT_VALUES_SQL = f"""
WITH f AS (
  SELECT r.unit_id, f.indicator_id, p.kind, p.ends_on, f.value,
    CASE WHEN r.status = %s THEN 1 ELSE 0 END AS marked,
    CASE WHEN i.behaviour = %s AND p.kind IN ({", ".join("%s" for _ in _SUMMED)})
         THEN 1 ELSE 0 END AS summed,
    ROW_NUMBER() OVER (PARTITION BY r.unit_id, f.indicator_id, p.kind
                       ORDER BY p.ends_on DESC, p.position, p.id) AS latest
  FROM {_FIGURES} f
  JOIN {_REPORTS} r ON r.id = f.report_id
  JOIN {_PERIODS} p ON p.id = r.period_id
  JOIN {_INDICATORS} i ON i.id = f.indicator_id
  WHERE p.plan_id = %s AND p.ends_on <= %s AND r.status IN ({{statuses}})
), k AS (
  SELECT unit_id, indicator_id, kind, MAX(ends_on) AS last_end,
    CASE WHEN MAX(summed) = 1 THEN SUM(value)
         ELSE MAX(CASE WHEN latest = 1 THEN value END) END AS value,
    CASE WHEN MAX(summed) = 1 THEN MAX(marked)
         ELSE MAX(CASE WHEN latest = 1 THEN marked END) END AS marked
  FROM f GROUP BY unit_id, indicator_id, kind
), best AS (
  SELECT unit_id, indicator_id, value, marked,
    ROW_NUMBER() OVER (PARTITION BY unit_id, indicator_id
                       ORDER BY last_end DESC, {_RANK} DESC) AS n
  FROM k
)
SELECT b.unit_id, b.indicator_id, b.value, b.marked
FROM best b JOIN {{units}} ON o.unit_id = b.unit_id
WHERE b.n = 1
ORDER BY o.n, b.indicator_id
"""

# The units in the sheet's order, as a table `o(unit_id, n)`: one parameter either way.
_UNIT_ORDER = {
    "postgresql": "unnest(%s::integer[]) WITH ORDINALITY AS o(unit_id, n)",
    "sqlite": "(SELECT CAST(value AS INTEGER) AS unit_id, key AS n FROM json_each(%s)) o",
}


def unit_values_query(
    plan: Plan, *, as_of: date, include_submitted: bool, unit_ids: Sequence[int]
) -> tuple[str, list[Any]]:
    """The SQL of every unit's value for every indicator it reported, to `as_of`, in the
    order of `unit_ids` (units not in it are left out), and its parameters."""
    statuses = Report.Status.counted(include_submitted=include_submitted)
    vendor = connection.vendor
    units: Any = list(unit_ids) if vendor == "postgresql" else json.dumps(list(unit_ids))
    sql = UNIT_VALUES_SQL.format(
        statuses=", ".join("%s" for _ in statuses), units=_UNIT_ORDER[vendor]
    )
    params = [
        Report.Status.SUBMITTED,
        Indicator.Behaviour.FLOW,
        *_SUMMED,
        plan.pk,
        as_of,
        *statuses,
        units,
    ]
    return sql, params


def _decimal(value: Any) -> Decimal:
    """PostgreSQL's numeric as it comes; SQLite's REAL sum rounded to the field's places."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-_PLACES))


def unit_values(
    plan: Plan, *, as_of: date, include_submitted: bool, unit_ids: Sequence[int]
) -> Iterator[tuple[int, dict[int, UnitValue]]]:
    """(unit id, indicator id → value) for each unit of `unit_ids` that has a value, in
    that order: one query, read in chunks from a server-side cursor so that memory does
    not grow with the country."""
    sql, params = unit_values_query(
        plan, as_of=as_of, include_submitted=include_submitted, unit_ids=unit_ids
    )
    with transaction.atomic(), closing(connection.chunked_cursor()) as cursor:
        if connection.vendor == "postgresql":
            # A cursor is planned for its first rows by default; every row is read here.
            with connection.cursor() as setting:
                setting.execute("SET LOCAL cursor_tuple_fraction = 1")
        cursor.execute(sql, params)
        current: int | None = None
        found: dict[int, UnitValue] = {}
        while rows := cursor.fetchmany(5000):
            for unit_id, indicator_id, value, marked in rows:
                if unit_id != current:
                    if current is not None:
                        yield current, found
                    current, found = unit_id, {}
                found[indicator_id] = UnitValue(unit_id, indicator_id, _decimal(value), marked == 1)
        if current is not None:
            yield current, found


_END = object()


class ReadAhead(Generic[T]):
    """`produce()`'s items, made in a thread of its own (with its own database
    connection) from now on, at most `depth` ahead of the reader: PostgreSQL computes
    every unit's value while this process gathers the rest of the file and writes its
    first sheet. An error in the thread is raised to the reader; `close()` stops the
    thread whether or not everything was read."""

    def __init__(self, produce: Callable[[], Iterator[T]], *, depth: int = 64) -> None:
        self.handed: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self.stop = threading.Event()
        self.produce = produce
        self.thread = threading.Thread(target=self._run, name="export-values", daemon=True)
        self.thread.start()

    def _hand(self, item: Any) -> bool:
        while not self.stop.is_set():
            try:
                self.handed.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for item in self.produce():
                if not self._hand(item):
                    return
            self._hand(_END)
        except BaseException as error:  # handed over to the reader, who raises it
            self._hand(error)
        finally:
            connections.close_all()  # this thread's own

    def __iter__(self) -> "ReadAhead[T]":
        return self

    def __next__(self) -> T:
        if self.stop.is_set():
            raise StopIteration
        item = self.handed.get()
        if item is _END:
            self.close()
            raise StopIteration
        if isinstance(item, BaseException):
            self.close()
            raise item
        return cast(T, item)

    def close(self) -> None:
        self.stop.set()
        self.thread.join()


def sheet_order(plan: Plan) -> list[int]:
    """The units of the unit sheet in its order, known before the board is built: the
    plan's own, then its communes by position in the plan's order (board.attainment's
    order; StreamedExport checks the two agree)."""
    communes = grassroots_units(plan).values_list("pk", "position")
    return [plan.unit_id, *(pk for pk, _position in sorted(communes, key=lambda u: u[1]))]


@dataclass
class StreamedExport(DashboardExport):
    """The export's data with the unit table read from `unit_values` as it is written,
    instead of every unit's value held at once; column totals are added up on the way."""

    _totals: dict[int, Decimal] | None = field(repr=False, default=None)
    # Read ahead from the start (read_ahead), with the units in this order; else read
    # when the unit sheet is written.
    _ahead: tuple[list[int], "ReadAhead[tuple[int, dict[int, UnitValue]]]"] | None = field(
        repr=False, default=None
    )

    @classmethod
    def of(cls, scope: ExportScope, *, ahead: bool = False) -> "StreamedExport":
        """The export's data; with `ahead`, on PostgreSQL outside a transaction (the
        worker), the unit values are computed in a thread while the rest is gathered (a
        thread cannot see a transaction that is not committed, as in the tests)."""
        read = None
        if ahead and connection.vendor == "postgresql" and not connection.in_atomic_block:
            order = sheet_order(scope.plan)
            values = ReadAhead(
                lambda: unit_values(
                    scope.plan,
                    as_of=scope.as_of,
                    include_submitted=scope.include_submitted,
                    unit_ids=order,
                )
            )
            read = (order, values)
        try:
            base = dashboard_export(scope, unit_values=False)
        except BaseException:
            if read is not None:
                read[1].close()
            raise
        return cls(**{f.name: getattr(base, f.name) for f in fields(base)}, _ahead=read)

    def close(self) -> None:
        """Stops the values read ahead, if they were (an export that failed midway)."""
        if self._ahead is not None:
            self._ahead[1].close()

    def unit_rows(self) -> Iterator[UnitRow]:
        """The same rows as DashboardExport.unit_rows, one unit's values at a time."""
        units = self.board.units
        unit_ids = [u.pk for u in units]
        values: Iterator[tuple[int, dict[int, UnitValue]]]
        if self._ahead is not None:
            order, values = self._ahead
            assert order == unit_ids, "sheet_order is the board's order"
        else:
            values = unit_values(
                self.plan,
                as_of=self.scope.as_of,
                include_submitted=self.scope.include_submitted,
                unit_ids=unit_ids,
            )
        totals: dict[int, Decimal] = {}
        pending = next(values, None)
        for unit in units:
            found: dict[int, UnitValue] = {}
            if pending is not None and pending[0] == unit.pk:
                found = pending[1]
                pending = next(values, None)
            for indicator_id, contribution in found.items():
                totals[indicator_id] = totals.get(indicator_id, Decimal(0)) + contribution.value
            row = self.unit_row(unit, found)
            if row is not None:
                yield row
        assert pending is None, "the query's units come in the sheet's order"
        self._totals = totals

    def column_totals(self) -> list[ColumnTotal]:
        assert self._totals is not None, "the unit rows are written before their totals"
        targets: dict[int, Decimal] = {}
        for (_unit_id, indicator_id), item in self._own.items():
            targets[indicator_id] = targets.get(indicator_id, Decimal(0)) + item.target.value
        return [
            ColumnTotal(target=targets.get(c.indicator.pk), actual=self._totals.get(c.indicator.pk))
            for c in self.columns
        ]


# --- The same sheets, written by xlsxwriter -------------------------------------------


class XCell:
    """A cell on its way to xlsxwriter: its value and the style SheetWriter gave it."""

    __slots__ = ("fmt", "font", "value")

    def __init__(self, value: object, font: Font, fmt: Format) -> None:
        self.value = value
        self.font = font
        self.fmt = fmt


class _Merges:
    def __init__(self, writer: "XlsxSheetWriter") -> None:
        self.writer = writer

    def add(self, ref: str) -> None:
        first_col, first_row, last_col, last_row = range_boundaries(ref)
        assert first_row == last_row, "merges run across one row"
        self.writer.merges.setdefault(first_row, []).append((first_col, last_col))


class _Sheet:
    """What the sheet functions touch of an openpyxl sheet: merged cells, frozen panes."""

    def __init__(self, writer: "XlsxSheetWriter") -> None:
        self.merged_cells = _Merges(writer)
        self.worksheet = writer.worksheet

    @property
    def freeze_panes(self) -> None:
        return None

    @freeze_panes.setter
    def freeze_panes(self, coordinate: str) -> None:
        letters, row = coordinate_from_string(coordinate)
        self.worksheet.freeze_panes(row - 1, column_index_from_string(letters) - 1)


_VERTICAL = {"top": "top", "center": "vcenter", "bottom": "bottom"}


def _colour(value: Any) -> str:
    return "#" + str(value.rgb)[-6:]


class XlsxSheetWriter(SheetWriter):
    """SheetWriter's calls, written with xlsxwriter in constant-memory mode.

    Rows are held back two rows, since the sheet functions merge a row's cells just after
    appending it (a title, a two-row header); then they go to the file for good.
    """

    def __init__(
        self,
        workbook: Any,
        data: DashboardExport,
        title: str,
        heading: str,
        widths: list[int],
        *,
        repeat: int = 1,
        keep_together: Sequence[tuple[int, int]] = (),
    ) -> None:
        self.book: xlsxwriter.Workbook = workbook
        self.worksheet: XlsxWorksheet = workbook.add_worksheet(title)
        self.formats: dict[tuple[object, ...], Format] = workbook.__dict__.setdefault(
            "_sheet_formats", {}
        )
        self.data = data
        self.heading = heading
        self.widths = widths
        self.repeat = repeat
        self.row = 0
        self.header_rows = None
        self.last_table_row = 0
        self.merges: dict[int, list[tuple[int, int]]] = {}
        self.heights: list[float] = []
        self.row_breaks: list[int] = []
        self.pending: list[tuple[int, Sequence[XCell | None], float | None]] = []
        for index, width in enumerate(widths):
            # openpyxl writes the width as given; xlsxwriter adds a padding unless told
            # the width in pixels (7 to a character of the default font).
            self.worksheet.set_column_pixels(index, index, round(width * 7))
        self.sheet = cast(Any, _Sheet(self))
        self._lay_out(keep_together)

    def cell(
        self,
        value: object = None,
        *,
        font: Font = BODY_FONT,
        fill: PatternFill | None = None,
        border: Border | None = BOX,
        align: Alignment = WRAP,
        fmt: str | None = None,
    ) -> XCell:
        key = (id(font), id(fill), id(border), id(align), fmt)
        style = self.formats.get(key)
        if style is None:
            properties: dict[str, Any] = {
                "font_name": font.name,
                "font_size": font.sz,
                "bold": bool(font.b),
                "italic": bool(font.i),
                "text_wrap": bool(align.wrap_text),
            }
            if align.horizontal:
                properties["align"] = align.horizontal
            if align.vertical:
                properties["valign"] = _VERTICAL[align.vertical]
            if fill is not None:
                properties.update(pattern=1, bg_color=_colour(fill.fgColor))
            if border is not None and border.left is not None and border.left.style:
                properties.update(border=1, border_color=_colour(border.left.color))
            if fmt is not None:
                properties["num_format"] = fmt
            style = self.formats[key] = self.book.add_format(properties)
        if isinstance(value, str):
            value = printable_text(value)
        return XCell(value, font, style)

    def append(self, cells: Sequence[Any], spans: dict[int, int] | None = None) -> None:
        self.row += 1
        height = self.height(cells, spans)
        self.pending.append((self.row, cells, height))
        self.heights.append(height or DEFAULT_ROW_HEIGHT)
        if len(self.pending) > 2:
            self._flush(1)

    def _flush(self, count: int) -> None:
        sheet = self.worksheet
        for number, cells, height in self.pending[:count]:
            row = number - 1
            if height is not None:
                # xlsxwriter keeps heights in whole pixels (¾ pt): rounded up, so that a
                # row is never shorter than its wrapped text.
                sheet.set_row_pixels(row, math.ceil(height * 4 / 3))
            for column, cell in enumerate(cells):
                if cell is None:
                    continue
                value = cell.value
                if isinstance(value, str):
                    sheet.write_string(row, column, value, cell.fmt)
                elif value is None:
                    sheet.write_blank(row, column, None, cell.fmt)
                elif isinstance(value, (date, datetime)):
                    sheet.write_datetime(row, column, value, cell.fmt)
                else:
                    sheet.write_number(row, column, float(cast(Any, value)), cell.fmt)
            for first, last in self.merges.pop(number, []):
                cell = cells[first - 1]
                assert cell is not None
                sheet.merge_range(row, first - 1, row, last - 1, cell.value, cell.fmt)
        del self.pending[:count]

    def finish(self) -> None:
        self._flush(len(self.pending))
        sheet = self.worksheet
        assert self.header_rows is not None, "header() comes before finish()"
        first, last = self.header_rows
        sheet.autofilter(f"A{last}:{self.last_column}{max(self.last_table_row, last)}")
        sheet.repeat_rows(first - 1, last - 1)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.set_print_scale(self.scale)
        if self.breaks:
            sheet.repeat_columns(0, self.repeat - 1)
            sheet.print_across()
            sheet.set_v_pagebreaks([column - 1 for column in self.breaks])
        if self.row_breaks:
            sheet.set_h_pagebreaks(self.row_breaks)
        sheet.center_horizontally()
        sheet.set_margins(left=MARGIN, right=MARGIN, top=0.6, bottom=0.6)
        sheet.set_header("", {"margin": 0.5})
        sheet.set_footer('&C&"Times New Roman"&11 ' + _("Trang &P/&N"), {"margin": 0.5})


# --- The workbook -----------------------------------------------------------------------


def write_large_workbook(
    *, scope: ExportScope, out: BinaryIO, progress: Callable[[int, int], None] | None = None
) -> str:
    """The workbook of excel.write_dashboard_workbook, for a plan of any size, written into
    `out` in the same three steps; returns its file name."""
    report = progress or (lambda done, total: None)
    steps = 3  # the figures gathered, the sheets written, the file saved
    report(0, steps)
    data = StreamedExport.of(scope, ahead=True)
    report(1, steps)
    book = xlsxwriter.Workbook(
        out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties(
        {
            "title": _("Chỉ tiêu và thực hiện %(y)s") % {"y": data.plan.year},
            "author": str(data.plan.issuer),
            "created": datetime.now(),
        }
    )
    sheets = cast(Workbook, book)  # the sheet functions hand it to XlsxSheetWriter only
    try:
        for write in (
            _indicator_sheet,
            _unit_sheet,
            _task_sheet,
            _ocop_sheet,
            _completeness_sheet,
        ):
            write(sheets, data, XlsxSheetWriter)
    finally:
        data.close()
    report(2, steps)
    book.close()
    report(steps, steps)
    return workbook_filename(data)

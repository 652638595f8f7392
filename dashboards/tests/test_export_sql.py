"""The queued (large) export computes each unit's value in SQL and writes with xlsxwriter:
the values must be the value rule's, the file the same as the small path's, and its memory
must not grow with the rows."""

import io
import tracemalloc
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from openpyxl import load_workbook

from dashboards import export_sql
from dashboards.board import attainment
from dashboards.excel import dashboard_workbook
from dashboards.export_data import ExportScope, dashboard_export
from dashboards.export_sql import unit_values, write_large_workbook
from plans.models import Plan
from plans.selectors import grassroots_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(plan):
    """The real 2023 plan of the city, every commune's reports filled in as the
    benchmark fills them: monthly, quarterly, six- and nine-month and annual figures,
    approved, submitted, returned and drafts."""
    call_command("generate_synthetic", "--plan-year", "2023", "--seed", "3", stdout=io.StringIO())
    return Plan.objects.get(pk=plan.pk)


def small_country(units_per_province=3, indicators=6, year=2031):
    call_command(
        "generate_synthetic",
        "--provinces", "2",
        "--units-per-province", str(units_per_province),
        "--indicators", str(indicators),
        "--seed", "5",
        "--prefix", f"t{units_per_province}",
        "--first-year", str(year),
        stdout=io.StringIO(),
    )  # fmt: skip
    return Plan.objects.get(year=year)


def by_sql(plan, as_of, include_submitted):
    units = [plan.unit_id, *grassroots_units(plan).values_list("pk", flat=True)]
    return {
        (value.unit_id, value.indicator_id): value
        for _unit, found in unit_values(
            plan, as_of=as_of, include_submitted=include_submitted, unit_ids=units
        )
        for value in found.values()
    }


def by_python(plan, as_of, include_submitted):
    board = attainment(plan, as_of=as_of, include_submitted=include_submitted)
    return {(v.unit_id, v.indicator_id): v for v in board.unit_values()}


CUT_OFFS = [date(2023, 3, 14), date(2023, 6, 14), date(2023, 9, 30), date(2023, 12, 31)]


@pytest.mark.parametrize("include_submitted", [False, True], ids=["approved", "with submitted"])
def test_each_communes_value_by_sql_is_the_value_rule_on_the_city(city, include_submitted):
    for as_of in CUT_OFFS:
        python = by_python(city, as_of, include_submitted)
        assert len(python) > 50
        assert by_sql(city, as_of, include_submitted) == python, as_of


@pytest.mark.parametrize("include_submitted", [False, True], ids=["approved", "with submitted"])
def test_each_communes_value_by_sql_is_the_value_rule_in_a_small_country(include_submitted):
    plan = small_country()
    for as_of in [date(2031, 6, 14), date(2031, 9, 30), date(2031, 12, 31)]:
        python = by_python(plan, as_of, include_submitted)
        assert len(python) > 10
        assert by_sql(plan, as_of, include_submitted) == python, as_of


def test_the_sql_values_come_in_the_order_asked_and_only_for_the_units_asked(city):
    communes = list(grassroots_units(city).values_list("pk", flat=True))
    asked = [communes[3], communes[0], communes[5]]
    found = unit_values(city, as_of=date(2023, 12, 31), include_submitted=True, unit_ids=asked)
    assert [unit_id for unit_id, _values in found] == asked


def cells_of(content):
    """Everything a reader of the file sees, sheet by sheet, but the moment it was made."""
    book = load_workbook(io.BytesIO(content))
    sheets = {}
    for sheet in book.worksheets:
        merged = {str(r) for r in sheet.merged_cells.ranges}
        hidden = {
            (row, col)
            for r in sheet.merged_cells.ranges
            for row in range(r.min_row, r.max_row + 1)
            for col in range(r.min_col, r.max_col + 1)
            if (row, col) != (r.min_row, r.min_col)
        }
        cells = {}
        for row in sheet.iter_rows():
            for cell in row:
                if (cell.row, cell.column) in hidden or (
                    cell.value in (None, "") and not cell.has_style
                ):
                    continue
                if cell.row == 3 and cell.column == 1:  # "Xuất lúc 14:03"
                    continue
                cells[cell.coordinate] = (
                    None if cell.value == "" else cell.value,
                    cell.number_format,
                    cell.font.name,
                    cell.font.sz,
                    bool(cell.font.b),
                    bool(cell.font.i),
                    cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type else None,
                    cell.alignment.horizontal,
                    cell.alignment.vertical,
                    bool(cell.alignment.wrap_text),
                    cell.border.left.style,
                )
        setup = sheet.page_setup
        sheets[sheet.title] = {
            "cells": cells,
            "merged": merged,
            "heights": {
                n: d.height for n, d in sheet.row_dimensions.items() if d.height is not None
            },
            "widths": {
                column: d.width
                for d in sheet.column_dimensions.values()
                if d.width
                for column in range(d.min, d.max + 1)
            },
            "layout": (
                sheet.freeze_panes,
                sheet.auto_filter.ref,
                sheet.print_title_rows,
                sheet.print_title_cols,
                setup.orientation,
                str(setup.paperSize),
                setup.scale or 100,  # xlsxwriter leaves out the default
                setup.pageOrder,
                [b.id for b in sheet.col_breaks.brk],
                sheet.print_options.horizontalCentered,
                sheet.page_margins.left,
                sheet.page_margins.top,
                str(sheet.oddFooter.center),
            ),
        }
    return sheets


def both_files(scope):
    small = dashboard_workbook(dashboard_export(scope))
    out = io.BytesIO()
    write_large_workbook(scope=scope, out=out)
    return cells_of(small), cells_of(out.getvalue())


def assert_same(small, large):
    assert list(large) == list(small)
    for title in small:
        for part in ("layout", "merged", "widths", "cells"):
            assert large[title][part] == small[title][part], (title, part)
        # xlsxwriter keeps a row's height in whole pixels (¾ pt), rounded up.
        heights = small[title]["heights"]
        assert large[title]["heights"].keys() == heights.keys()
        for row, height in large[title]["heights"].items():
            assert 0 <= height - heights[row] < 0.75, (title, row)


def test_the_large_path_writes_the_same_file_as_the_small_one_for_the_city(city):
    for include_submitted in (False, True):
        scope = ExportScope(
            plan=city,
            as_of=date(2023, 9, 30),
            today=date(2023, 10, 10),
            period=city.periods.get(code="2023-9t"),
            include_submitted=include_submitted,
        )
        small, large = both_files(scope)
        assert len(small["Đơn vị"]["cells"]) > 200
        assert_same(small, large)


def test_the_large_path_writes_the_same_file_as_the_small_one_for_a_country():
    plan = small_country()
    scope = ExportScope(plan=plan, as_of=date(2031, 12, 31), today=date(2032, 1, 5))
    small, large = both_files(scope)
    assert "Trực thuộc" in {v[0] for v in small["Đơn vị"]["cells"].values()}
    assert_same(small, large)


def peak_memory(plan):
    scope = ExportScope(plan=plan, as_of=date(plan.year, 12, 31), today=date(plan.year, 12, 31))
    write_large_workbook(scope=scope, out=io.BytesIO())  # warm: imports, translations
    tracemalloc.start()
    write_large_workbook(scope=scope, out=io.BytesIO())
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def test_the_large_paths_memory_does_not_grow_with_the_rows():
    few = peak_memory(small_country(units_per_province=4, indicators=20))
    many = peak_memory(small_country(units_per_province=40, indicators=20, year=2032))
    # Ten times the rows (1.600 values): what grows is the units and their targets, not a
    # copy of the unit table (the small path, holding every value, grows 6×: 0,9 → 5,9 MB).
    assert many < few * 2, (few, many)


@pytest.mark.django_db(transaction=True)
def test_the_worker_reads_the_values_ahead_in_a_thread_and_writes_the_same_file(monkeypatch):
    """Outside a transaction, as in the worker, PostgreSQL computes the values in a thread
    while the rest is gathered (elsewhere the values are read when the sheet is written)."""
    plan = small_country()
    started = []
    real = export_sql.ReadAhead.__init__

    def watched(self, *args, **kwargs):
        started.append(True)
        real(self, *args, **kwargs)

    monkeypatch.setattr(export_sql.ReadAhead, "__init__", watched)
    scope = ExportScope(plan=plan, as_of=date(2031, 12, 31), today=date(2032, 1, 5))
    small, large = both_files(scope)
    assert started == ([True] if connection.vendor == "postgresql" else [])
    assert_same(small, large)


def test_an_error_while_reading_ahead_reaches_the_reader_and_stops_the_thread():
    def produce():
        yield 1
        raise ValueError("hỏng")

    ahead = export_sql.ReadAhead(produce)
    assert next(ahead) == 1
    with pytest.raises(ValueError, match="hỏng"):
        next(ahead)
    assert not ahead.thread.is_alive()


def test_a_reader_that_stops_early_stops_the_thread():
    ahead = export_sql.ReadAhead(lambda: iter(range(10_000)), depth=2)
    assert next(ahead) == 0
    ahead.close()
    assert not ahead.thread.is_alive()

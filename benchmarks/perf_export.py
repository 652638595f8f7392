"""The queued (national) Excel export beside its floor, and the two writers on the same rows.

    DATABASE_URL=postgres://…/nation .venv/bin/python benchmarks/perf_export.py [--writers] [--json]

The export is `export_sql.write_large_workbook`, as the worker runs it: time, peak Python
memory (tracemalloc, a second run) and the process's peak RSS. Its floor, measured in the
same run: hand-written SQL fetching exactly what the file holds (each unit's value for
each indicator by the value rule, the targets, the units, the reports of the quarters
shown, the area totals), plus xlsxwriter's constant-memory time to write that many cells
with no layout at all. The floor's values are checked to be the export's. With
--writers, the whole workbook is also written from the same rows by openpyxl's write-only
mode (excel.SheetWriter), to show what choosing xlsxwriter gains. benchmarks/run.py calls
`measure_export` for its table. Not part of the tests.
"""

import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for name, value in {
    "DJANGO_SETTINGS_MODULE": "laichau_agri.settings",
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "LOG_LEVEL": "WARNING",
}.items():
    os.environ.setdefault(name, value)

# Each unit's value by the value rule (reporting.values), the other way PostgreSQL can
# say it: the latest figure of each kind by array_agg, the winning kind by DISTINCT ON.
# The floor takes whichever of this and the export's own query is faster in the run.
FLOOR_VALUES = """
WITH k AS (
  SELECT r.unit_id, f.indicator_id, p.kind, i.behaviour, max(p.ends_on) AS last_end,
         sum(f.value) AS total, max(CASE WHEN r.status = 'da_gui' THEN 1 ELSE 0 END) AS any_marked,
         (array_agg(f.value ORDER BY p.ends_on DESC))[1] AS latest,
         (array_agg(CASE WHEN r.status = 'da_gui' THEN 1 ELSE 0 END ORDER BY p.ends_on DESC))[1]
           AS latest_marked
  FROM targets_reportfigure f
  JOIN targets_report r ON r.id = f.report_id
  JOIN targets_reportingperiod p ON p.id = r.period_id
  JOIN targets_indicator i ON i.id = f.indicator_id
  WHERE p.plan_id = %(plan)s AND p.ends_on <= %(as_of)s AND r.status = ANY(%(statuses)s)
  GROUP BY 1, 2, 3, 4
)
SELECT DISTINCT ON (unit_id, indicator_id) unit_id, indicator_id,
  CASE WHEN behaviour = 'phat_sinh' AND kind IN ('thang', 'quy') THEN total ELSE latest END,
  CASE WHEN behaviour = 'phat_sinh' AND kind IN ('thang', 'quy') THEN any_marked
       ELSE latest_marked END
FROM k
ORDER BY unit_id, indicator_id, last_end DESC,
  CASE kind WHEN 'nam' THEN 5 WHEN '9t' THEN 4 WHEN '6t' THEN 3 WHEN 'quy' THEN 2 ELSE 1 END DESC
"""
# The rest of what the file holds: units, every target (plan, provinces, communes), the
# area totals the plan's and provinces' rows read, the reports of the quarters shown.
FLOOR_REST = [
    """SELECT u.id, u.name, u.kind, u.parent_id FROM plans_administrativeunit u
       WHERE (u.path LIKE %(under)s AND u.kind = ANY(%(grassroots)s)) OR u.id = %(plan_unit)s""",
    """SELECT t.id, t.unit_id, t.indicator_id, t.value, t.comparison, i.name,
              i.unit_of_measure, i.behaviour
       FROM targets_target t JOIN targets_indicator i ON i.id = t.indicator_id
       WHERE t.plan_id = %(plan)s ORDER BY t.position""",
    """SELECT a.area_id, a.indicator_id,
              CASE WHEN %(submitted)s THEN a.value_incl_submitted ELSE a.value END,
              CASE WHEN %(submitted)s THEN a.units_incl_submitted ELSE a.units END
       FROM reports_areatotal a
       WHERE a.plan_id = %(plan)s
         AND a.cutoff = (SELECT max(ends_on) FROM targets_reportingperiod
                         WHERE plan_id = %(plan)s AND ends_on <= %(as_of)s)""",
    """SELECT r.unit_id, r.period_id, r.status, r.submitted_at FROM targets_report r
       JOIN targets_reportingperiod p ON p.id = r.period_id
       WHERE p.plan_id = %(plan)s AND p.kind = 'quy' AND p.ends_on <= %(as_of)s""",
]


def _floor_sql(scope, unit_ids, own_sql):
    """Seconds of each way of fetching the values (server-side cursor, every row read),
    the values of the faster, and the rest's rows."""
    from django.db import connection, transaction

    from plans.models import AdministrativeUnit
    from reporting.models import Report

    params = {
        "plan": scope.plan.pk,
        "plan_unit": scope.plan.unit_id,
        "under": f"{scope.plan.unit.path}/%",
        "as_of": scope.as_of,
        "submitted": scope.include_submitted,
        "grassroots": list(AdministrativeUnit.GRASSROOTS),
        "statuses": list(Report.Status.counted(include_submitted=scope.include_submitted)),
    }
    wanted = set(unit_ids)
    timings = {}
    values: dict = {}
    for name, (sql, args) in {"array_agg": (FLOOR_VALUES, params), "window": own_sql}.items():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
            started = time.perf_counter()
            cursor = connection.chunked_cursor()
            cursor.execute(sql, args)
            found = {}
            while rows := cursor.fetchmany(5000):
                for unit_id, indicator_id, value, marked in rows:
                    if unit_id in wanted:
                        found[(unit_id, indicator_id)] = (value, marked == 1)
            timings[name] = time.perf_counter() - started
            cursor.close()
        values[name] = found
    started = time.perf_counter()
    rest = []
    with connection.cursor() as cursor:
        for sql in FLOOR_REST:
            cursor.execute(sql, params)
            rest.append(cursor.fetchall())
    rest_took = time.perf_counter() - started
    fastest = min(timings, key=lambda name: timings[name])
    return timings, rest_took, values[fastest], values, rest


def _floor_writer(values, rest, columns, periods):
    """xlsxwriter constant-memory writing the file's cells from the floor's rows, with a
    handful of formats and no layout: the least any writer of this file can take."""
    import xlsxwriter

    units, targets, _totals, _reports = rest
    own = {(unit_id, indicator_id): value for _t, unit_id, indicator_id, value, *_ in targets}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        book = xlsxwriter.Workbook(out, {"constant_memory": True})
        number = book.add_format({"num_format": "#,##0.0", "border": 1})
        text = book.add_format({"border": 1, "text_wrap": True})
        sheet = book.add_worksheet("Chỉ tiêu")
        for row, (_t, unit_id, _i, value, comparison, name, uom, behaviour) in enumerate(targets):
            for column, cell in enumerate([row, "II", name, unit_id, uom, behaviour, comparison]):
                sheet.write(row, column, cell, text)
            for column in range(7, 14):
                sheet.write_number(row, column, float(value), number)
        sheet = book.add_worksheet("Đơn vị")
        for row, (unit_id, name, _kind, parent_id) in enumerate(units):
            sheet.write_number(row, 0, row, number)
            sheet.write_string(row, 1, name, text)
            sheet.write_number(row, 2, parent_id or 0, number)
            column = 3
            for indicator_id, with_target in columns:
                found = values.get((unit_id, indicator_id))
                if with_target:
                    target = own.get((unit_id, indicator_id))
                    sheet.write(row, column, float(target) if target else None, number)
                    column += 1
                if found is None:
                    sheet.write_string(row, column, "—", text)
                else:
                    sheet.write_number(row, column, float(found[0]), number)
                column += 1
                if with_target:
                    sheet.write_number(row, column, 0.5, number)
                    sheet.write_string(row, column + 1, "Đạt", text)
                    column += 2
        sheet = book.add_worksheet("Tiến độ báo cáo")
        for row, (_unit_id, name, _kind, _parent) in enumerate(units):
            sheet.write_string(row, 1, name, text)
            for column in range(periods):
                sheet.write_string(row, 2 + column, "Đúng hạn", text)
        book.close()
    return time.perf_counter() - started


def measure_export(scope, *, writers: bool = False, trace: bool = True) -> dict:
    """The export's time, peak Python memory, its floor (SQL + writer) and the check
    that the floor's values are the file's; with `writers`, openpyxl on the same rows."""
    import xlsxwriter
    from django.utils import translation
    from openpyxl import Workbook

    from dashboards import excel
    from dashboards.export_data import completeness_periods
    from dashboards.export_sql import (
        StreamedExport,
        XlsxSheetWriter,
        unit_values_query,
        write_large_workbook,
    )

    translation.activate("vi")
    steps: list[float] = []
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        write_large_workbook(
            scope=scope, out=out, progress=lambda d, n: steps.append(time.perf_counter())
        )
        file_size = out.tell()
    took = time.perf_counter() - started
    result = {
        "seconds": took,
        "gather_seconds": steps[1] - started,
        "write_seconds": steps[2] - steps[1],
        "save_seconds": steps[3] - steps[2],
        "file_bytes": file_size,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }

    data = StreamedExport.of(scope)
    unit_ids = [u.pk for u in data.board.units]
    own_sql = unit_values_query(
        scope.plan,
        as_of=scope.as_of,
        include_submitted=scope.include_submitted,
        unit_ids=unit_ids,
    )
    timings, rest_took, values, every, rest = _floor_sql(scope, unit_ids, own_sql)
    columns = [(c.indicator.pk, c.with_target) for c in data.columns]
    periods = len(completeness_periods(scope.plan, scope))
    writer_took = _floor_writer(values, rest, columns, periods)
    result.update(
        floor_values_seconds=min(timings.values()),
        floor_values_by=min(timings, key=lambda name: timings[name]),
        floor_values_other_seconds=max(timings.values()),
        floor_rest_seconds=rest_took,
        floor_writer_seconds=writer_took,
        floor_seconds=min(timings.values()) + rest_took + writer_took,
        values=len(values),
        # The file's values are the export query's; both hand-written queries agree.
        floor_matches=every["array_agg"] == every["window"],
    )
    if trace:
        tracemalloc.start()
        with tempfile.TemporaryFile() as out:
            write_large_workbook(scope=scope, out=out)
        result["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    if writers:
        # The same data, values read as the unit sheet is written, by each writer.
        for name, make in (("xlsxwriter", XlsxSheetWriter), ("openpyxl", excel.SheetWriter)):
            data = StreamedExport.of(scope)
            started = time.perf_counter()
            with tempfile.TemporaryFile() as out:
                book: Any = (
                    xlsxwriter.Workbook(out, {"constant_memory": True})
                    if make is XlsxSheetWriter
                    else Workbook(write_only=True)
                )
                for sheet in (
                    excel._indicator_sheet,
                    excel._unit_sheet,
                    excel._task_sheet,
                    excel._ocop_sheet,
                    excel._completeness_sheet,
                ):
                    sheet(book, data, make)
                if make is XlsxSheetWriter:
                    book.close()
                else:
                    book.save(out)
            result[f"{name}_seconds"] = time.perf_counter() - started
    return result


def main() -> None:
    import django

    django.setup()
    from datetime import date

    from dashboards.board import default_as_of
    from dashboards.export_data import ExportScope
    from plans.models import Plan

    plan = Plan.objects.select_related("unit").order_by("-year").first()
    assert plan is not None
    as_of = default_as_of(plan, date.today())
    scope = ExportScope(plan=plan, as_of=as_of, today=as_of)
    result = measure_export(scope, writers="--writers" in sys.argv)
    if "--json" in sys.argv:
        print(json.dumps(result))
        return
    ratio = result["seconds"] / result["floor_seconds"]
    print(
        f"export {result['seconds']:.1f} s (figures gathered {result['gather_seconds']:.1f} s,"
        f" sheets {result['write_seconds']:.1f} s, saved {result['save_seconds']:.1f} s),"
        f" {result['file_bytes'] / 2**20:.1f} MB file, Python peak"
        f" {result.get('peak_mb', 0):.0f} MB, RSS {result['rss_mb']:.0f} MB\n"
        f"floor {result['floor_seconds']:.1f} s = values by SQL"
        f" {result['floor_values_seconds']:.1f} s ({result['floor_values_by']}; the other"
        f" {result['floor_values_other_seconds']:.1f} s) + the rest by SQL"
        f" {result['floor_rest_seconds']:.2f} s + xlsxwriter"
        f" {result['floor_writer_seconds']:.1f} s;"
        f" × floor {ratio:.2f}; {result['values']} values, both queries agree:"
        f" {'yes' if result['floor_matches'] else 'NO'}; load {os.getloadavg()[0]:.1f}"
    )
    if "xlsxwriter_seconds" in result:
        print(
            "the same data, the whole workbook (with the values query): xlsxwriter"
            f" {result['xlsxwriter_seconds']:.1f} s,"
            f" openpyxl write-only {result['openpyxl_seconds']:.1f} s"
        )


if __name__ == "__main__":
    main()

"""Make real .xlsx files the way an official would: download, change cells, save."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from common.downloads import XLSX
from reporting.excel.template import difficulties_cell

SAN_THANG_Q1 = "/reports/2023/san-thang/2023-q1/"
FIGURES, TASKS = "Số liệu", "Nhiệm vụ"


def download(client, report_url=SAN_THANG_Q1):
    response = client.get(f"{report_url}tai-xuong.xlsx")
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.content))


def row_of(sheet, code):
    for row in range(5, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == code:
            return row
    raise AssertionError(f"{code} not in {sheet.title}")


def set_figure(workbook, code, value):
    sheet = workbook[FIGURES]
    sheet.cell(row=row_of(sheet, code), column=6).value = value


def set_difficulties(workbook, text):
    difficulties_cell(workbook).value = text


def as_version_1(workbook):
    """The workbook as the template wrote it before the difficulties moved under the tasks:
    their own sheet, text in A5, and "phien-ban-mau" 1 on the information sheet."""
    text = difficulties_cell(workbook).value
    tasks = workbook[TASKS]
    for merged in list(tasks.merged_cells.ranges):
        tasks.unmerge_cells(merged.coord)
    heading = difficulties_cell(workbook).row - 1
    tasks.delete_rows(heading - 1, 3)
    sheet = workbook.create_sheet("Khó khăn")
    sheet["A4"] = "Khó khăn, vướng mắc, đề xuất"
    sheet["A5"] = text
    meta = workbook["_thong_tin"]
    for row in range(1, meta.max_row + 1):
        if meta.cell(row=row, column=1).value == "phien-ban-mau":
            meta.cell(row=row, column=2).value = 1
    return workbook


def as_file(workbook, name="bao-cao.xlsx", content_type=XLSX):
    buffer = io.BytesIO()
    if isinstance(workbook, Workbook):
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        content = workbook
    return SimpleUploadedFile(name, content, content_type=content_type)


def upload(client, workbook, report_url=SAN_THANG_Q1, **kwargs):
    return client.post(f"{report_url}tai-len/", {"file": as_file(workbook, **kwargs)})


def confirm(client, preview_response):
    """Follow the preview page's form, as the Confirm button would."""
    preview = client.get(preview_response["Location"])
    token_url = preview_response["Location"]
    return client.post(f"{token_url}xac-nhan/", {"version": preview.context["version"]})


def stored_report_state():
    """Everything an upload could touch, to compare before and after."""
    from reporting.models import (
        Report,
        ReportChange,
        ReportEvent,
        ReportFigure,
        TaskProgress,
        WorkProgress,
    )

    return {
        "reports": list(
            Report.objects.order_by("pk").values_list("pk", "status", "version", "difficulties")
        ),
        "figures": list(
            ReportFigure.objects.order_by("pk").values_list("report_id", "indicator_id", "value")
        ),
        "tasks": list(
            TaskProgress.objects.order_by("pk").values_list("task_id", "status", "narrative")
        ),
        "works": list(
            WorkProgress.objects.order_by("pk").values_list("work_id", "disbursed_vnd", "narrative")
        ),
        "events": ReportEvent.objects.count(),
        "changes": ReportChange.objects.count(),
        "history": ReportFigure.history.count(),
    }

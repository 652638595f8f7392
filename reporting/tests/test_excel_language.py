"""A report file is Vietnamese whatever language its user reads the screens in.

The headers and choices in the file are what the upload checks, and a file may be
downloaded by one person and uploaded by another: an official who reads English must get
the same file, and be able to upload a file filled in Vietnamese.
"""

import pytest

from reporting.excel.template import difficulties_cell
from reporting.models import Report, ReportChange, TaskProgress

from .excel_helpers import TASKS, confirm, download, row_of, set_figure, upload

pytestmark = pytest.mark.django_db


def in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/reports/2023/"})
    return client


def test_the_downloaded_file_is_vietnamese_for_an_english_reader(
    client_for, san_thang_official, saved_report
):
    workbook = download(in_english(client_for(san_thang_official)))
    tasks = workbook[TASKS]
    assert tasks.cell(row=row_of(tasks, "III.6.1"), column=3).value == "Đang thực hiện"
    heading = difficulties_cell(workbook).row - 1
    assert tasks.cell(row=heading, column=1).value == "Khó khăn, vướng mắc, đề xuất"
    assert tasks.data_validations.dataValidation[0].formula1 == (
        '"Chưa thực hiện,Đang thực hiện,Hoàn thành"'
    )


def test_an_english_reader_uploads_a_file_filled_in_vietnamese(
    client_for, san_thang_official, saved_report
):
    vietnamese = client_for(san_thang_official)
    workbook = download(vietnamese)
    set_figure(workbook, "lua-chat-luong-dien-tich", "134,5")
    tasks = workbook[TASKS]
    tasks.cell(row=row_of(tasks, "III.6.1"), column=3).value = "Hoàn thành"

    client = in_english(vietnamese)
    preview = upload(client, workbook)
    assert preview.status_code == 302, preview.content.decode()
    page = client.get(preview["Location"]).content.decode()
    assert "Preview changes from the Excel file" in page
    assert confirm(client, preview).status_code == 302

    report = Report.objects.get(pk=saved_report.pk)
    assert report.task_progress.get(task__code="III.6.1").status == TaskProgress.Status.DONE
    changes = set(ReportChange.objects.filter(report=report).values_list("field", "new_value"))
    assert ("Nhiệm vụ III.6.1 – tình hình", "Hoàn thành") in changes


def test_plan_data_exported_in_english_admin_keeps_vietnamese_choices_and_reimports():
    from django.utils import translation
    from import_export.formats.base_formats import XLSX

    from common.spreadsheets import SafeXLSX
    from reporting.resources import IndicatorResource

    with translation.override("en"):
        content = SafeXLSX().export_data(IndicatorResource().export())
    dataset = XLSX().create_dataset(content)
    assert "Trồng trọt" in dataset["Lĩnh vực"] and "Crops" not in dataset["Lĩnh vực"]
    with translation.override("en"):
        result = IndicatorResource().import_data(dataset, dry_run=True, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}

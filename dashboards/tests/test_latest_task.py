"""A task's latest status is one rule: the dashboard, the .xlsx and the .docx agree.

Quý 2 and "6 tháng đầu năm" both end on 14/06. When a unit reports a task in both, the
six-month report speaks last (it covers more of the year, as for figures), whichever
was filed first.
"""

import pytest

from .test_exports import by_header, row_of
from .test_exports import download as download_xlsx
from .test_province_report import download as download_docx
from .test_province_report import text_of

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/2023/"


@pytest.mark.parametrize("include_submitted", [False, True])
def test_a_task_reported_in_quy_2_and_in_6_thang_reads_the_6_thang_status_everywhere(
    client_for, economic_officer, report_figures, plan, include_submitted
):
    duty = plan.tasks.get(code="III.6.7")
    # One unit files the quarter first, the other the six months first.
    report_figures("san-thang", "2023-q2", tasks={duty.pk: ("dang_thuc_hien", "Q2 San Thàng")})
    report_figures("san-thang", "2023-6t", tasks={duty.pk: ("hoan_thanh", "6T San Thàng")})
    report_figures("sung-phai", "2023-6t", tasks={duty.pk: ("hoan_thanh", "6T Sùng Phài")})
    report_figures("sung-phai", "2023-q2", tasks={duty.pk: ("dang_thuc_hien", "Q2 Sùng Phài")})
    client = client_for(economic_officer)
    query = {"ky": "2023-6t"} | ({"gom_da_gui": "true"} if include_submitted else {})

    summary = client.get(DASHBOARD, query).context["tasks"]
    by_unit = {unit.slug: counts for unit, counts in summary.by_unit}
    for slug in ("san-thang", "sung-phai"):
        assert by_unit[slug]["hoan_thanh"] == 1
        assert by_unit[slug]["dang_thuc_hien"] == 0
    assert summary.by_status["hoan_thanh"] == 2
    assert summary.by_status["dang_thuc_hien"] == 0

    sheet = download_xlsx(client, **query)["Nhiệm vụ"]
    for name, narrative in (("Xã San Thàng", "6T San Thàng"), ("Xã Sùng Phài", "6T Sùng Phài")):
        row = row_of(sheet, name)
        assert by_header(sheet, row, "Mã").value == "III.6.7"
        assert by_header(sheet, row, "Tình hình").value == "Hoàn thành"
        assert by_header(sheet, row, "Kết quả thực hiện").value == narrative
        assert by_header(sheet, row, "Theo báo cáo kỳ").value == "6 tháng đầu năm 2023"

    text = text_of(download_docx(client, **query))
    assert f"+ III.6.7 {duty.title}: hoàn thành. 6T San Thàng (6 tháng đầu năm 2023)" in text
    assert f"+ III.6.7 {duty.title}: hoàn thành. 6T Sùng Phài (6 tháng đầu năm 2023)" in text
    assert "Q2 " not in text
    assert "hoàn thành 2, đang thực hiện 0" in text

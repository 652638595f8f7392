"""The audit log is kept in Vietnamese even when the person acting reads English."""

from datetime import date

import pytest

from audit.models import AuditEntry
from plans.models import OcopProduct

pytestmark = pytest.mark.django_db

SAN_THANG_Q1 = "/reports/2023/san-thang/2023-q1/"
RICE_AREA = "figure_lua-chat-luong-dien-tich"


def in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_an_english_reader_leaves_vietnamese_entries(
    client_for, san_thang_official, economic_officer
):
    official = in_english(client_for(san_thang_official))
    page = official.get(SAN_THANG_Q1)
    form = page.context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    # A real change: saving a report unchanged records no step (and so no "Lưu").
    official.post(SAN_THANG_Q1, {**data, RICE_AREA: "134,5", "action": "save"})
    actions = AuditEntry.objects.filter(kind=AuditEntry.Kind.REPORT).values_list("action")
    assert sorted(action for (action,) in actions) == ["Lưu", "Tạo báo cáo"]

    office = in_english(client_for(economic_officer))
    product = OcopProduct.objects.create(
        name="Chè Shan tuyết",
        owner="HTX",
        unit_id=san_thang_official.profile.unit_id,
        score=72,
        decision_number="1/QĐ",
        decision_date=date(2023, 3, 1),
        issuing_level="tinh",
    )
    response = office.post(
        f"/plans/2023/ocop/{product.pk}/sua/",
        {
            "name": "Chè Shan tuyết",
            "owner": "HTX",
            "unit": product.unit_id,
            "score": "72",
            "decision_number": "1/QĐ",
            "decision_date": "01/03/2023",
            "issuing_level": "tinh",
            "status": "dang_danh_gia_lai",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(subject__startswith="Sản phẩm OCOP", action="Sửa")
    assert entry.changes == [["Tình trạng", "Còn hiệu lực", "Đang đánh giá lại"]]
    # The page around the entries follows the reader's language.
    assert "Change log" in office.get("/audit/").content.decode()

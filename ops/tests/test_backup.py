"""A backup restores completely: every report, its steps, changes and history, and the audit."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from audit.models import AuditEntry
from ops.backup import database_empty
from reporting.models import Report, ReportChange, ReportEvent, ReportFigure

pytestmark = pytest.mark.django_db

SAN_THANG_Q1 = "/reports/2023/san-thang/2023-q1/"
RICE_AREA = "figure_lua-chat-luong-dien-tich"


def _form_data(response, **changes):
    form = response.context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    data.update(changes)
    return data


def _snapshot():
    history = Report.history.model
    return {
        "reports": sorted(Report.objects.values_list("pk", "unit__slug", "period__code", "status")),
        "figures": sorted(ReportFigure.objects.values_list("report_id", "indicator_id", "value")),
        "events": sorted(
            ReportEvent.objects.values_list("pk", "report_id", "action", "actor__username", "at")
        ),
        "changes": sorted(
            ReportChange.objects.values_list("event_id", "field", "old_value", "new_value")
        ),
        "report_history": sorted(history.objects.values_list("history_id", "id", "status")),
        "history_rows": {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if model.__name__.startswith("Historical")
        },
        "audit": sorted(AuditEntry.objects.values_list("pk", "action", "subject", "client_ip")),
    }


@pytest.fixture
def reports_with_history(client, san_thang_official, economic_officer):
    client.force_login(san_thang_official)
    page = client.get(SAN_THANG_Q1)
    client.post(SAN_THANG_Q1, _form_data(page, **{RICE_AREA: "134,5"}, action="submit"))
    client.force_login(economic_officer)
    client.post(SAN_THANG_Q1 + "xu-ly/", {"action": "return", "reason": "Thiếu số liệu chè"})
    client.force_login(san_thang_official)
    page = client.get(SAN_THANG_Q1)
    client.post(SAN_THANG_Q1, _form_data(page, **{RICE_AREA: "140"}, action="submit"))
    client.force_login(economic_officer)
    client.post(SAN_THANG_Q1 + "xu-ly/", {"action": "approve"})
    report = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert report.status == Report.Status.APPROVED
    return report


def test_backup_then_restore_after_the_data_is_destroyed(reports_with_history, tmp_path):
    before = _snapshot()
    assert len(before["events"]) >= 5 and before["changes"] and before["audit"]
    backup = tmp_path / "backup.json.gz"
    call_command("backup_db", str(backup))

    database_empty()
    assert not Report.objects.exists() and not ReportEvent.objects.exists()

    call_command("restore_db", str(backup), "--no-input")
    assert _snapshot() == before


def test_restored_database_keeps_working(reports_with_history, tmp_path, client, economic_officer):
    backup = tmp_path / "backup.json"
    call_command("backup_db", str(backup))
    call_command("restore_db", str(backup), "--no-input")
    # Sequences continue after the restored ids: a new step gets a new id.
    client.force_login(economic_officer)
    client.post(SAN_THANG_Q1 + "xu-ly/", {"action": "reopen", "reason": "Sửa lại"})
    assert ReportEvent.objects.filter(action=ReportEvent.Action.REOPENED).count() == 1
    assert client.get(SAN_THANG_Q1).status_code == 200


def test_a_broken_backup_changes_nothing(reports_with_history, tmp_path):
    before = _snapshot()
    broken = tmp_path / "broken.json"
    broken.write_text('[{"model": "targets.report", "pk": 1, "fields": {"unit": 999999}}]')
    with pytest.raises(Exception):  # noqa: B017 - whatever the database says, nothing changes
        call_command("restore_db", str(broken), "--no-input")
    if connection.needs_rollback:
        pytest.skip("the database aborted the surrounding test transaction")
    assert _snapshot() == before


def test_restore_refuses_a_missing_file(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không tìm thấy tệp sao lưu"):
        call_command("restore_db", str(tmp_path / "none.json"), "--no-input")

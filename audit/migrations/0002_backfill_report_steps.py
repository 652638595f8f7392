"""Report steps recorded before the audit log existed get their entries (address unknown)."""

from django.db import migrations


def backfill(apps, schema_editor):
    ReportEvent = apps.get_model("targets", "ReportEvent")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    db = schema_editor.connection.alias  # `migrate --database X` must read and write X only
    labels = {
        "tao": "Tạo báo cáo",
        "luu": "Lưu",
        "gui": "Gửi",
        "tra_lai": "Trả lại",
        "duyet": "Duyệt",
        "mo_lai": "Mở lại",
        "nhap_excel": "Nhập từ Excel",
    }
    events = ReportEvent.objects.using(db).filter(audit_entry__isnull=True).select_related(
        "report__unit", "report__period"
    )
    AuditEntry.objects.using(db).bulk_create(
        AuditEntry(
            kind="bao_cao",
            at=event.at,
            actor_id=event.actor_id,
            unit_id=event.report.unit_id,
            action=labels.get(event.action, event.action),
            subject=f"Báo cáo {event.report.unit.name} – {event.report.period.name}",
            reason=event.reason,
            report_event=event,
        )
        for event in events.iterator(chunk_size=2000)
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("targets", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

"""Each plan issued before plans had states gets one step on record saying so."""

from django.db import migrations

NOTE = "Kế hoạch đã ban hành trước khi ứng dụng ghi các bước của kế hoạch."


def record(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    PlanEvent = apps.get_model("planning", "PlanEvent")
    db = schema_editor.connection.alias
    for plan in Plan.objects.using(db).exclude(status="du_thao"):
        if not PlanEvent.objects.using(db).filter(plan=plan).exists():
            PlanEvent.objects.using(db).create(plan=plan, action="chuyen_du_lieu", note=NOTE)


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [migrations.RunPython(record, migrations.RunPython.noop)]

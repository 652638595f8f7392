"""The built-in data-quality rules (reporting.quality.BUILT_IN), as rows Phòng Kinh tế can
edit or switch off in the admin. No yield rule: its bounds are Phòng Kinh tế's to enter."""

from decimal import Decimal

from django.db import migrations

BUILT_IN = (
    {"kind": "phan_tong", "severity": "loi"},
    {
        "kind": "lich_su",
        "severity": "canh_bao",
        "method": "z_median",
        "threshold": Decimal("3.5"),
        "min_history": 3,
    },
    {"kind": "ke_hoach", "severity": "canh_bao", "threshold": Decimal("50")},
)


def create(apps, schema_editor):
    rule = apps.get_model("targets", "QualityRule")
    db = schema_editor.connection.alias
    if not rule.objects.using(db).exists():
        rule.objects.using(db).bulk_create(rule(**values) for values in BUILT_IN)


class Migration(migrations.Migration):
    dependencies = [("targets", "0008_stage_targets")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

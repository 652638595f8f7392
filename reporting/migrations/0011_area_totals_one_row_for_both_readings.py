"""One running-total row for both readings of a dashboard, added to in one upsert.

Approving a report moves the same totals in both readings (approved only: the value;
with submitted: whether it rests on a submitted report), and each row written costs the
approval: the two rows of a total become one, `value`/`units` approved only and
`…_incl_submitted` with submitted reports, `units_with_submitted` of the latter.

The counts lose their CHECK (>= 0): PostgreSQL tests it on the row an upsert proposes,
the difference (-1 when a report stops counting), before the conflict makes it an
addition; `totals.apply` refuses a count it takes below zero instead.

Going back forgets the totals (the dashboards add up the figures until
`rebuild_totals`), as they can always be recomputed."""

from django.db import migrations, models

TABLE = "reports_areatotal"


def merge_readings(apps, schema_editor):
    """Each with-submitted row's figures onto the approved-only row of the same total
    (made if there was none), then the with-submitted rows go."""
    schema_editor.execute(
        f"INSERT INTO {TABLE} (plan_id, area_id, cutoff, include_submitted, indicator_id,"
        " value, units, value_incl_submitted, units_incl_submitted, units_with_submitted)"
        " SELECT plan_id, area_id, cutoff, %s, indicator_id, 0, 0, value, units,"
        f" units_with_submitted FROM {TABLE} WHERE include_submitted = %s"
        " ON CONFLICT (plan_id, area_id, cutoff, include_submitted, indicator_id) DO UPDATE"
        " SET value_incl_submitted = excluded.value_incl_submitted,"
        " units_incl_submitted = excluded.units_incl_submitted,"
        " units_with_submitted = excluded.units_with_submitted",
        [False, True],
    )
    schema_editor.execute(f"DELETE FROM {TABLE} WHERE include_submitted = %s", [True])
    if schema_editor.connection.vendor == "postgresql":
        # The rows made wait for their foreign keys' checks, and a table with checks
        # pending cannot be altered: check them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forget_totals(apps, schema_editor):
    apps.get_model("targets", "AreaTotal").objects.all().delete()
    apps.get_model("targets", "PlanTotals").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0006_plan_units"),
        ("targets", "0010_target_sources"),
    ]

    operations = [
        migrations.AlterField(
            model_name="areatotal",
            name="units",
            field=models.IntegerField(default=0, verbose_name="số đơn vị có số liệu (đã duyệt)"),
        ),
        migrations.AlterField(
            model_name="areatotal",
            name="units_with_submitted",
            field=models.IntegerField(default=0, verbose_name="số đơn vị có số liệu chưa duyệt"),
        ),
        migrations.AlterField(
            model_name="areatotal",
            name="value",
            field=models.DecimalField(
                decimal_places=3, default=0, max_digits=24, verbose_name="tổng (đã duyệt)"
            ),
        ),
        migrations.AddField(
            model_name="areatotal",
            name="units_incl_submitted",
            field=models.IntegerField(default=0, verbose_name="số đơn vị có số liệu (gồm đã gửi)"),
        ),
        migrations.AddField(
            model_name="areatotal",
            name="value_incl_submitted",
            field=models.DecimalField(
                decimal_places=3, default=0, max_digits=24, verbose_name="tổng (gồm đã gửi)"
            ),
        ),
        migrations.RunPython(merge_readings, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="areatotal",
            name="one_total_per_plan_area_cutoff_class_indicator",
        ),
        migrations.RemoveField(model_name="areatotal", name="include_submitted"),
        migrations.AddConstraint(
            model_name="areatotal",
            constraint=models.UniqueConstraint(
                fields=("plan", "area", "cutoff", "indicator"),
                name="one_total_per_plan_area_cutoff_indicator",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, forget_totals),
    ]

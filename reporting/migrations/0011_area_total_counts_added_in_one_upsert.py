"""An approval adds to the running totals in one upsert (reporting.totals.apply).

The counts lose their CHECK (>= 0): PostgreSQL tests it on the row the upsert proposes,
the difference (-1 when a report stops counting), before the conflict makes it an
addition; `apply` refuses a count it takes below zero instead. And on PostgreSQL the
table keeps half of each page free (fillfactor 50), rewritten in the order of its key so
that an approval's rows lie together: an update then finds room on its row's page (a HOT
update, no index touched), which halved the time of writing an approval's totals."""

from django.db import migrations, models

TABLE = "reports_areatotal"


def keep_room_for_updates(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} SET (fillfactor = 50)")
    # Only pages written later keep the room: rewrite the rows there are.
    schema_editor.execute(f"CLUSTER {TABLE} USING one_total_per_plan_area_cutoff_class_indicator")
    schema_editor.execute(f"ANALYZE {TABLE}")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("targets", "0010_target_sources")]

    operations = [
        migrations.AlterField(
            model_name="areatotal",
            name="units",
            field=models.IntegerField(default=0, verbose_name="số đơn vị có số liệu"),
        ),
        migrations.AlterField(
            model_name="areatotal",
            name="units_with_submitted",
            field=models.IntegerField(default=0, verbose_name="số đơn vị có số liệu chưa duyệt"),
        ),
        migrations.RunPython(keep_room_for_updates, fill_pages),
    ]

"""On PostgreSQL the running totals' table keeps half of each page free (fillfactor 50),
rewritten in the order of its key so that an approval's rows lie together: an update
then finds room on its row's page (a HOT update, no index touched), which halved the
time of writing an approval's totals. Only pages written later keep the room, hence the
rewrite; after 0011 committed, so that the rows it replaced are not copied along."""

from django.db import migrations

TABLE = "reports_areatotal"


def keep_room_for_updates(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    if schema_editor.connection.pg_version >= 150000:
        # 0011's row counts reach the shared statistics when this backend next goes idle
        # (common.db.analyze): after this statement, as the migration runs outside a
        # transaction, so that they do not mark the statistics below stale.
        schema_editor.execute("SELECT pg_stat_force_next_flush()")
    schema_editor.execute(f"ALTER TABLE {TABLE} SET (fillfactor = 50)")
    schema_editor.execute(f"CLUSTER {TABLE} USING one_total_per_plan_area_cutoff_indicator")
    schema_editor.execute(f"ANALYZE {TABLE}")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (fillfactor)")


class Migration(migrations.Migration):
    atomic = False  # each statement on its own (see keep_room_for_updates)

    dependencies = [("targets", "0011_area_totals_one_row_for_both_readings")]

    operations = [migrations.RunPython(keep_room_for_updates, fill_pages)]

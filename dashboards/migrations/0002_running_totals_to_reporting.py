"""The running totals now belong to the reporting app (targets 0004): the dashboards app
forgets them from its state; the tables stay where they are, now named by the other app."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_area_totals'),
        ('targets', '0004_running_totals_from_dashboards'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='AreaTotal'),
                migrations.DeleteModel(name='PlanTotals'),
            ],
        ),
    ]

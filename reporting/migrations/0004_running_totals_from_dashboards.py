"""The running totals move to the reporting app, next to the workflow that keeps them.

State only: the tables were made by the dashboards app (label "reports") and keep their
names, so nothing is copied and no row moves.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0002_unit_path'),
        ('targets', '0003_seasonal_profiles'),
        ('reports', '0001_area_totals'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='PlanTotals',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('built_at', models.DateTimeField(auto_now=True, verbose_name='tính lại lúc')),
                        ('plan', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='totals_state', to='plans.plan', verbose_name='kế hoạch')),
                    ],
                    options={
                        'verbose_name': 'trạng thái số tổng hợp',
                        'verbose_name_plural': 'trạng thái số tổng hợp',
                        'db_table': 'reports_plantotals',
                    },
                ),
                migrations.CreateModel(
                    name='AreaTotal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('cutoff', models.DateField(verbose_name='số liệu đến ngày')),
                        ('include_submitted', models.BooleanField(verbose_name='gồm báo cáo đã gửi')),
                        ('value', models.DecimalField(decimal_places=3, default=0, max_digits=24, verbose_name='tổng')),
                        ('units', models.PositiveIntegerField(default=0, verbose_name='số đơn vị có số liệu')),
                        ('units_with_submitted', models.PositiveIntegerField(default=0, verbose_name='số đơn vị có số liệu chưa duyệt')),
                        ('area', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='plans.administrativeunit')),
                        ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='targets.indicator')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='area_totals', to='plans.plan')),
                    ],
                    options={
                        'verbose_name': 'số tổng hợp theo địa bàn',
                        'verbose_name_plural': 'số tổng hợp theo địa bàn',
                        'db_table': 'reports_areatotal',
                        'constraints': [models.UniqueConstraint(fields=('plan', 'area', 'cutoff', 'include_submitted', 'indicator'), name='one_total_per_plan_area_cutoff_class_indicator')],
                    },
                ),
            ],
        ),
    ]

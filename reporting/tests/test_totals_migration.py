"""Migration 0011 puts the two rows of a running total (approved only, with submitted)
into one, without losing or changing a figure."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from plans.models import AdministrativeUnit, Plan
from reporting.models import AreaTotal, Sector

BEFORE = [("targets", "0010_target_sources")]
AFTER = [("targets", "0012_area_totals_keep_room_for_updates")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture
def latest_schema_after():
    """Every app migrated to its latest again afterwards, whatever the test left (going
    back to 0010 also unapplies the later migrations that depend on 0012)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_both_readings_of_a_total_end_up_in_one_row():
    # Made here: a transactional test before this one may have flushed the plans the
    # migrations load.
    area = AdministrativeUnit.objects.create(name="Thử", slug="thu-0011", kind="tinh")
    plan = Plan.objects.create(year=2023, number="1", title="Thử", issuer="UBND", unit=area)
    old_state = migrate(BEFORE)
    indicator = old_state.get_model("targets", "Indicator").objects.create(
        code="thu-0011", name="Thử", unit_of_measure="ha", sector=Sector.choices[0][0]
    )
    old = old_state.get_model("targets", "AreaTotal")
    june, december = date(2023, 6, 14), date(2023, 12, 14)
    row = {"plan_id": plan.pk, "area_id": plan.unit_id, "indicator_id": indicator.pk}
    old.objects.bulk_create(
        [
            old(**row, cutoff=june, include_submitted=False, value=Decimal("5.5"), units=1),
            old(
                **row,
                cutoff=june,
                include_submitted=True,
                value=Decimal("7.25"),
                units=2,
                units_with_submitted=1,
            ),
            # Only submitted reports so far: no approved-only row was kept.
            old(
                **row,
                cutoff=december,
                include_submitted=True,
                value=Decimal(3),
                units=1,
                units_with_submitted=1,
            ),
        ]
    )
    migrate(AFTER)
    found = {
        total.cutoff: (
            total.counted(include_submitted=False),
            total.counted(include_submitted=True),
        )
        for total in AreaTotal.objects.filter(plan=plan)
    }
    assert found == {
        june: ((Decimal("5.5"), 1, 0), (Decimal("7.25"), 2, 1)),
        december: ((Decimal(0), 0, 0), (Decimal(3), 1, 1)),
    }

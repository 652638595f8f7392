"""The database guards the plan's invariants, whatever screen or import writes to it."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from reporting.models import Indicator, Target

pytestmark = pytest.mark.django_db


def test_a_target_cannot_be_negative(plan):
    target = Target.objects.get(plan=plan, indicator__code="kenh-muong-noi-dong")
    target.value = Decimal("-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        target.save()
    target.refresh_from_db()
    assert target.value == Decimal("2.5")


def test_one_target_per_indicator_and_scope(plan, unit):
    existing = Target.objects.get(
        plan=plan, indicator__code="lua-chat-luong-dien-tich", unit=unit("san-thang")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(
            plan=plan,
            indicator=existing.indicator,
            unit=existing.unit,
            value=Decimal("1"),
            comparison=Target.Comparison.MAINTAIN,
            section=existing.section,
        )


def test_ocop_stars_are_three_to_five(unit):
    from plans.models import OcopProduct

    with pytest.raises(IntegrityError), transaction.atomic():
        OcopProduct.objects.create(name="Chè", owner="HTX", unit=unit("san-thang"), stars=6)


def test_ocop_certificate_lasts_36_months_and_stars_follow_the_score(unit):
    from datetime import date

    from plans.models import OcopProduct

    product = OcopProduct.objects.create(
        name="Chè Shan tuyết",
        owner="HTX Chè San Thàng",
        unit=unit("san-thang"),
        score=72,
        decision_date=date(2022, 2, 28),
    )
    assert product.stars == 4
    assert product.expires_on == date(2025, 2, 28)


def test_indicator_codes_are_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            code="che-dien-tich",
            name="x",
            unit_of_measure="ha",
            sector="trong_trot",
            behaviour="ton",
        )

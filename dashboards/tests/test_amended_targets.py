"""A period is judged against the target in force at its cut-off, and says when it was amended."""

from datetime import date
from decimal import Decimal

import pytest

from dashboards.board import attainment
from planning.services import AmendmentInput, plan_save

pytestmark = pytest.mark.django_db

RICE = "lua-chat-luong-dien-tich"


@pytest.fixture
def amended(plan, economic_officer):
    target = plan.targets.get(indicator__code=RICE, unit=plan.unit)
    target.value = Decimal("340")
    plan_save(
        actor=economic_officer,
        instance=target,
        amendment=AmendmentInput("1520/QĐ-UBND", date(2023, 7, 1), "Mở rộng vùng lúa"),
    )
    plan.refresh_from_db()
    return plan


def city_rice(board):
    return next(item for item in board.city if item.indicator.code == RICE)


def test_a_period_before_the_amendment_is_judged_against_the_old_target(amended):
    item = city_rice(attainment(amended, as_of=date(2023, 3, 14)))
    assert item.target.value == Decimal("329.2")
    assert "329,2 → 340" not in item.explanation
    assert "từ 329,2 thành 340 ha theo Quyết định 1520/QĐ-UBND ngày 01/07/2023" in item.explanation
    assert "so với chỉ tiêu 329,2 ha" in item.explanation


def test_a_period_after_the_amendment_is_judged_against_the_new_target(amended):
    item = city_rice(attainment(amended, as_of=date(2023, 9, 14)))
    assert item.target.value == Decimal("340")
    assert "so với chỉ tiêu 340 ha" in item.explanation


def test_a_target_never_amended_says_nothing_of_amendments(plan):
    item = city_rice(attainment(plan, as_of=date(2023, 9, 14)))
    assert item.target.value == Decimal("329.2") and "điều chỉnh" not in item.explanation

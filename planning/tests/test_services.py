"""A plan's life through its services: each step, who may take it, what it records."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.access import may_edit_for_unit
from planning.carry import plan_draft_next_year
from planning.models import Amendment, PlanChange, PlanEvent
from planning.services import (
    AmendmentInput,
    PlanError,
    plan_close,
    plan_issue,
    plan_save,
    targets_confirm,
)
from plans.models import Plan
from reporting.models import Report, ReportingPeriod, Target
from reporting.services import WorkflowError, report_approve

pytestmark = pytest.mark.django_db

RICE = "lua-chat-luong-dien-tich"


def rice_target(plan, unit_slug):
    return plan.targets.get(indicator__code=RICE, unit__slug=unit_slug)


def draft_2024(economic_officer, plan):
    return plan_draft_next_year(actor=economic_officer, plan=plan)


def issue(economic_officer, plan):
    targets_confirm(actor=economic_officer, plan=plan)
    return plan_issue(
        actor=economic_officer,
        plan=plan,
        number="12/KH-UBND",
        issued_on=date(2024, 1, 10),
        signer="Nguyễn Văn A",
    )


def test_the_2023_plan_is_issued_and_open_for_reporting(plan):
    assert plan.status == Plan.Status.ISSUED
    assert plan.is_open_for_reporting
    assert plan.targets_decision.number == "3038/QĐ-UBND"


def test_a_draft_is_edited_freely_and_each_value_is_on_record(economic_officer, plan):
    new = draft_2024(economic_officer, plan)
    target = rice_target(new, "sung-phai")
    assert target.confirmed is False
    target.value = Decimal("145")
    event = plan_save(actor=economic_officer, instance=target)
    target.refresh_from_db()
    assert target.value == Decimal("145") and target.confirmed
    assert event.action == PlanEvent.Action.EDITED and event.actor == economic_officer
    value = event.changes.get(field="value")
    assert (value.old_value, value.new_value) == ("142", "145")
    assert event.changes.filter(field="confirmed").exists()


def test_an_issued_plan_is_changed_only_by_an_amendment(economic_officer, plan):
    target = rice_target(plan, "sung-phai")
    target.value = Decimal("150")
    with pytest.raises(PlanError):
        plan_save(actor=economic_officer, instance=target)
    target.refresh_from_db()
    assert target.value == Decimal("142")


def test_an_amendment_records_decision_reason_and_old_and_new_values(economic_officer, plan):
    target = rice_target(plan, "sung-phai")
    target.value = Decimal("150")
    decision = AmendmentInput("45/QĐ-UBND", date(2023, 7, 1), "Mở rộng vùng lúa")
    plan_save(actor=economic_officer, instance=target, amendment=decision)
    other = rice_target(plan, "san-thang")
    other.value = Decimal("130")
    plan_save(actor=economic_officer, instance=other, amendment=decision)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AMENDED
    amendment = Amendment.objects.get(plan=plan)
    assert amendment.reason == "Mở rộng vùng lúa"
    assert sorted(
        (c.old_value, c.new_value) for c in amendment.event.changes.filter(field="value")
    ) == [("135", "130"), ("142", "150")]


def test_leadership_and_officials_may_not_change_a_plan(leader, san_thang_official, plan):
    new_value = rice_target(plan, "sung-phai")
    new_value.value = Decimal("1")
    decision = AmendmentInput("1/QĐ", date(2023, 7, 1), "x")
    for person in (leader, san_thang_official):
        with pytest.raises(PermissionDenied):
            plan_save(actor=person, instance=new_value, amendment=decision)
        with pytest.raises(PermissionDenied):
            plan_draft_next_year(actor=person, plan=plan)
    assert not PlanChange.objects.exists()


def test_issuing_needs_every_carried_target_confirmed(economic_officer, plan):
    new = draft_2024(economic_officer, plan)
    with pytest.raises(PlanError):
        plan_issue(
            actor=economic_officer, plan=new, number="1", issued_on=date(2024, 1, 2), signer="A"
        )
    event = issue(economic_officer, new)
    new.refresh_from_db()
    assert new.status == Plan.Status.ISSUED and new.number == "12/KH-UBND"
    assert new.signer == "Nguyễn Văn A" and event.action == PlanEvent.Action.ISSUED
    assert {c.field for c in event.changes.all()} >= {"status", "number", "issued_on", "signer"}
    with pytest.raises(PlanError):
        issue(economic_officer, new)


def test_next_years_plan_copies_the_plan_and_nothing_of_the_reports(economic_officer, plan):
    Report.objects.create(unit=rice_target(plan, "san-thang").unit, period=plan.periods.first())
    new = draft_2024(economic_officer, plan)
    assert new.year == 2024 and new.status == Plan.Status.DRAFT and new.previous == plan
    assert "2024" in new.title and "2023" not in new.title
    assert not new.number and new.issued_on is None and new.targets_decision is None
    assert new.parent_document == plan.parent_document
    for relation in ("sections", "bodies", "tasks", "policies", "works", "targets"):
        assert getattr(new, relation).count() == getattr(plan, relation).count(), relation
    old_bases = set(plan.citations.values_list("document__number", flat=True))
    new_bases = set(new.citations.values_list("document__number", flat=True))
    assert old_bases - new_bases == {"3038/QĐ-UBND"}
    assert sorted(new.targets.values_list("indicator__code", "unit__slug", "value")) == sorted(
        plan.targets.values_list("indicator__code", "unit__slug", "value")
    )
    assert not new.targets.filter(confirmed=True).exists()
    assert sorted(
        (t.code, sorted(b.name for b in t.bodies.all()), sorted(u.slug for u in t.units.all()))
        for t in new.tasks.all()
    ) == sorted(
        (t.code, sorted(b.name for b in t.bodies.all()), sorted(u.slug for u in t.units.all()))
        for t in plan.tasks.all()
    )
    assert all(t.plan_id == new.pk for t in Target.objects.filter(plan=new))
    assert not Report.objects.filter(period__plan=new).exists()
    assert new.periods.filter(kind=ReportingPeriod.Kind.QUARTERLY).count() == 4
    assert new.periods.get(code="2024-q1").starts_on == date(2023, 12, 15)


def test_next_years_plan_is_drafted_once(economic_officer, plan):
    draft_2024(economic_officer, plan)
    with pytest.raises(PlanError):
        draft_2024(economic_officer, plan)


def test_a_plan_closes_after_the_annual_cut_off_and_is_then_read_only(economic_officer, plan):
    with pytest.raises(PlanError):
        plan_close(actor=economic_officer, plan=plan, today=date(2023, 12, 14))
    plan_close(actor=economic_officer, plan=plan, today=date(2023, 12, 20))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    target = rice_target(plan, "sung-phai")
    target.value = Decimal("1")
    with pytest.raises(PermissionDenied):
        plan_save(
            actor=economic_officer,
            instance=target,
            amendment=AmendmentInput("9/QĐ", date(2023, 12, 21), "x"),
        )


def test_nobody_is_reminded_of_a_drafts_periods(economic_officer, plan):
    from notifications.rules import due_notifications

    new = draft_2024(economic_officer, plan)
    assert due_notifications(date(2024, 3, 12)) == []
    issue(economic_officer, new)
    assert {n.period.code for n in due_notifications(date(2024, 3, 12))} >= {"2024-q1"}


def test_a_closed_plans_reports_are_read_only(economic_officer, san_thang_official, plan):
    report = Report.objects.create(
        unit=rice_target(plan, "san-thang").unit,
        period=plan.periods.get(code="2023-q1"),
        status=Report.Status.SUBMITTED,
    )
    plan_close(actor=economic_officer, plan=plan, today=date(2023, 12, 20))
    with pytest.raises(WorkflowError):
        report_approve(report=report, actor=economic_officer)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    plan.refresh_from_db()
    assert not may_edit_for_unit(san_thang_official, plan, report.unit)
    assert not may_edit_for_unit(economic_officer, plan, report.unit)

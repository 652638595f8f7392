"""A country with a plan and a year of reports, to measure the application at the size of a
province or of Vietnam, on the real units: the 34 provinces and 3,321 communes, wards and
special zones of 1/7/2025, with their names, codes and each province's real number of
units, loaded by `plans/admin_units` under a root of their own (slugs after a prefix, so
that the synthetic country stands beside the real units and beside another synthetic one).
A fixed number of made-up communes per province (`units_per_province`) is kept for tests
that need a tiny country.

Everything follows from the seed: the same options give the same units, targets, reports,
figures and history. Rows are written in bulk with ids chosen here: COPY on PostgreSQL,
bulk_create elsewhere. The history of figures (django-simple-history) is not written:
synthetic reports carry their workflow events and changes instead.
"""

import csv
import io
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models, transaction

from accounts.models import Profile, Role
from plans.admin_units import find_province, load_divisions, read_divisions
from plans.models import AdministrativeUnit, Plan, Section

from .models import (
    Indicator,
    Report,
    ReportChange,
    ReportEvent,
    ReportFigure,
    ReportingPeriod,
    Sector,
    Target,
)
from .periods import periods_create_for_plan
from .selectors import report_scope

Status = Report.Status
Action = ReportEvent.Action
Kind = AdministrativeUnit.Kind
REPORTED_KINDS = [ReportingPeriod.Kind.MONTHLY, ReportingPeriod.Kind.QUARTERLY]
# The first reports take every path through the workflow, so that even a tiny country has
# each state; after that the state is drawn, older periods being mostly approved.
FIRST_PATHS = ["draft", "submitted", "returned", "approved", "reopened"]
ACTOR = "tong-hop-du-lieu"


@dataclass
class Size:
    # The first `provinces` real provinces in GSO code order, or the one named by `province`
    # (code or slug); `units_per_province`, when given, makes up that many communes in each
    # of `provinces` invented provinces instead.
    provinces: int = 34
    units_per_province: int | None = None
    province: str | None = None
    indicators: int = 100
    years: int = 1
    fill: float = 0.8
    seed: int = 1
    first_year: int = 2025
    prefix: str = "qg"


@dataclass
class Counts:
    units: int = 0
    targets: int = 0
    reports: int = 0
    figures: int = 0
    events: int = 0
    changes: int = 0


def _aware(day, hour=9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


class _Writer:
    """Rows with ids chosen here, written in bulk: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model, fields: list[str]):
        self.model = model
        self.fields = fields
        self.columns = [model._meta.get_field(f).column for f in fields]
        self.rows: list[tuple] = []
        self.next_id = (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self.written = 0

    def add(self, *values) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows.append((pk, *values))
        return pk

    def flush(self):
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for row in self.rows:
                writer.writerow(["\\N" if v is None else v for v in row])
            buffer.seek(0)
            columns = ", ".join(["id", *self.columns])
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    f"COPY {self.model._meta.db_table} ({columns}) "
                    "FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                    buffer,
                )
        else:
            names = ["id", *self.columns]
            self.model.objects.bulk_create(
                (self.model(**dict(zip(names, row, strict=True))) for row in self.rows),
                batch_size=2000,
            )
        self.written += len(self.rows)
        self.rows = []


def _actor():
    user, created = get_user_model().objects.get_or_create(
        username=ACTOR, defaults={"first_name": "Tổng hợp dữ liệu"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        Profile.objects.create(user=user, role=Role.ECONOMIC_OFFICE)
    return user


def _nation(size: Size) -> AdministrativeUnit:
    nation = AdministrativeUnit(
        name=f"Cả nước ({size.prefix})", slug=size.prefix, kind=Kind.PROVINCE, code=size.prefix
    )
    nation.save()
    return nation


def _build_real_country(size: Size) -> tuple[AdministrativeUnit, list]:
    """The real provinces asked for, each with all its real units, under a new root."""
    divisions = read_divisions()
    if size.province:
        entry = find_province(divisions, size.province)
        if entry is None:
            raise ValueError(f"Không có tỉnh, thành phố nào mã {size.province}.")
        divisions = [entry]
    else:
        divisions = divisions[: size.provinces]
    nation = _nation(size)
    result = load_divisions(
        divisions=divisions,
        root=nation,
        slug_prefix=size.prefix,
        change_reason="Dữ liệu tổng hợp để đo hiệu năng, trên đơn vị hành chính thật",
    )
    return nation, [u for u in result.units if u.parent_id == nation.pk]


def _build_country(size: Size) -> tuple[AdministrativeUnit, list]:
    if size.units_per_province is None:
        return _build_real_country(size)
    nation = _nation(size)
    provinces = AdministrativeUnit.objects.bulk_create(
        AdministrativeUnit(
            name=f"Tỉnh {p:02d}",
            slug=f"{size.prefix}-t{p:02d}",
            kind=Kind.PROVINCE,
            code=f"{p:02d}",
            parent=nation,
            position=p,
            path=f"{nation.path}/{size.prefix}-t{p:02d}",
        )
        for p in range(1, size.provinces + 1)
    )
    communes = []
    for province in provinces:
        for c in range(1, size.units_per_province + 1):
            slug = f"{province.slug}-x{c:03d}"
            communes.append(
                AdministrativeUnit(
                    name=f"{'Phường' if c % 7 == 0 else 'Xã'} {province.code}.{c:03d}",
                    slug=slug,
                    kind=Kind.WARD if c % 7 == 0 else Kind.COMMUNE,
                    code=f"{province.code}{c:03d}",
                    parent=province,
                    position=c,
                    path=f"{province.path}/{slug}",
                )
            )
    communes = AdministrativeUnit.objects.bulk_create(communes, batch_size=2000)
    return nation, provinces


def _build_indicators(size: Size) -> list[Indicator]:
    sectors = [Sector.CROPS, Sector.LIVESTOCK]
    return Indicator.objects.bulk_create(
        Indicator(
            code=f"{size.prefix}-ct-{i:03d}",
            name=f"Chỉ tiêu tổng hợp {i:03d}",
            unit_of_measure="ha" if i % 3 == 0 else "tấn",
            sector=sectors[i % 2],
            behaviour=Indicator.Behaviour.STOCK if i % 3 == 0 else Indicator.Behaviour.FLOW,
            position=1000 + i,
        )
        for i in range(1, size.indicators + 1)
    )


def _build_plan(size, year, nation, provinces, sizes, indicators, rng, counts: Counts) -> Plan:
    """`sizes`: each province's number of reporting units, which its targets scale with."""
    plan = Plan.objects.create(
        year=year,
        title=f"Kế hoạch tổng hợp năm {year} ({size.prefix})",
        issuer="Dữ liệu tổng hợp để đo hiệu năng",
        unit=nation,
        status=Plan.Status.ISSUED,  # the units report on it
    )
    section = Section.objects.create(
        plan=plan, code="II", number="II.", title="Chỉ tiêu", position=1
    )
    targets = []
    for position, indicator in enumerate(indicators, start=1):
        comparison = Target.Comparison.AT_LEAST
        if indicator.behaviour == Indicator.Behaviour.STOCK and position % 4 == 0:
            comparison = Target.Comparison.MAINTAIN
        elif position % 10 == 5:
            comparison = Target.Comparison.AT_MOST
        per_unit = Decimal(rng.randint(50, 500))
        months = 1 if indicator.behaviour == Indicator.Behaviour.STOCK else 12
        targets.append(
            Target(
                plan=plan,
                indicator=indicator,
                unit=nation,
                value=per_unit * months * sum(sizes.values()),
                comparison=comparison,
                section=section,
                position=position,
            )
        )
        for province in provinces:
            targets.append(
                Target(
                    plan=plan,
                    indicator=indicator,
                    unit=province,
                    value=per_unit * months * sizes[province.pk],
                    comparison=comparison,
                    section=section,
                    position=position,
                )
            )
    Target.objects.bulk_create(targets, batch_size=2000)
    counts.targets += len(targets)
    periods_create_for_plan(plan=plan)
    return plan


def _path(rng: random.Random, index: int, period_index: int, periods: int) -> str:
    if index < len(FIRST_PATHS):
        return FIRST_PATHS[index]
    age = (periods - period_index) / periods  # 1 for the oldest period, small for the latest
    draw = rng.random()
    if draw < 0.05 + 0.25 * (1 - age):
        return "draft"
    if draw < 0.10 + 0.40 * (1 - age):
        return "submitted"
    if draw < 0.15 + 0.40 * (1 - age):
        return "returned"
    if draw < 0.18 + 0.40 * (1 - age):
        return "reopened"
    return "approved"


class _Reports:
    """Writes reports with their figures, events and changes for one plan."""

    def __init__(self, plan: Plan, actor, rng: random.Random, fill: float, counts: Counts):
        self.plan, self.actor, self.rng, self.fill, self.counts = plan, actor, rng, fill, counts
        self.periods = list(
            plan.periods.filter(kind__in=REPORTED_KINDS).order_by("ends_on", "position")
        )
        self.reports = _Writer(
            Report,
            [
                "period",
                "unit",
                "status",
                "difficulties",
                "version",
                "submitted_at",
                "submitted_late",
                "return_reason",
                "created_at",
                "updated_at",
            ],
        )
        self.figures = _Writer(ReportFigure, ["report", "indicator", "value"])
        self.events = _Writer(ReportEvent, ["report", "action", "actor", "at", "reason"])
        self.changes = _Writer(ReportChange, ["report", "event", "field", "old_value", "new_value"])
        self.index = 0

    def unit(self, unit_id: int, indicators: list[tuple[Indicator, Decimal]]):
        """Reports for one unit: `indicators` pairs each indicator with its monthly scale."""
        rng = self.rng
        for period_index, period in enumerate(self.periods):
            if self.index >= len(FIRST_PATHS) and rng.random() >= self.fill:
                continue
            self._report(unit_id, period, period_index, indicators)
            self.index += 1

    def _report(self, unit_id, period, period_index, indicators):
        rng = self.rng
        path = _path(rng, self.index, period_index, len(self.periods))
        created = _aware(period.ends_on - timedelta(days=3))
        saved = created + timedelta(hours=2)
        sent = _aware(period.deadline + timedelta(days=rng.choice([-1, -1, -1, 0, 2])))
        reviewed = sent + timedelta(days=2)
        status = {
            "draft": Status.DRAFT,
            "submitted": Status.SUBMITTED,
            "returned": Status.RETURNED,
            "approved": Status.APPROVED,
            "reopened": Status.RETURNED,
        }[path]
        steps = {"draft": 1, "submitted": 2, "returned": 3, "approved": 3, "reopened": 4}[path]
        reason = (
            "Số liệu chưa khớp với báo cáo thống kê, đề nghị kiểm tra lại."
            if path
            in (
                "returned",
                "reopened",
            )
            else ""
        )
        report_id = self.reports.add(
            period.pk,
            unit_id,
            status,
            "Thiếu giống, thời tiết bất lợi." if rng.random() < 0.2 else "",
            1 + steps,
            sent if path != "draft" else None,
            path != "draft" and sent.date() > period.deadline,
            reason,
            created,
            reviewed if path != "draft" else saved,
        )
        shown = []
        for indicator, scale in indicators:
            months = {ReportingPeriod.Kind.QUARTERLY: 3}.get(period.kind, 1)
            if indicator.behaviour == Indicator.Behaviour.STOCK:
                months = 1
            value = (scale * months * Decimal(rng.randint(700, 1300)) / 1000).quantize(
                Decimal("0.001")
            )
            self.figures.add(report_id, indicator.pk, value)
            if len(shown) < 3:
                shown.append((f"{indicator.name} ({indicator.unit_of_measure})", value))
        self.counts.figures += len(indicators)
        self.events.add(report_id, Action.CREATED, self.actor.pk, created, "")
        saved_event = self.events.add(report_id, Action.SAVED, self.actor.pk, saved, "")
        for label, value in shown:
            self.changes.add(report_id, saved_event, label, "", str(value).replace(".", ","))
        labels = {s.value: s.label for s in Status}
        steps_taken = [(Action.SUBMITTED, Status.DRAFT, Status.SUBMITTED, sent, "")]
        if path in ("returned",):
            steps_taken.append(
                (Action.RETURNED, Status.SUBMITTED, Status.RETURNED, reviewed, reason)
            )
        if path in ("approved", "reopened"):
            steps_taken.append((Action.APPROVED, Status.SUBMITTED, Status.APPROVED, reviewed, ""))
        if path == "reopened":
            steps_taken.append(
                (
                    Action.REOPENED,
                    Status.APPROVED,
                    Status.RETURNED,
                    reviewed + timedelta(days=5),
                    reason,
                )
            )
        if path == "draft":
            steps_taken = []
        for action, old, new, at, why in steps_taken:
            event = self.events.add(report_id, action, self.actor.pk, at, why)
            self.changes.add(report_id, event, "Trạng thái", labels[old], labels[new])

    def flush(self):
        for writer in (self.reports, self.figures, self.events, self.changes):
            writer.flush()
        self.counts.reports = self.reports.written
        self.counts.events = self.events.written
        self.counts.changes = self.changes.written


def _reset_sequences():
    sql = connection.ops.sequence_reset_sql(
        no_style(), [Report, ReportFigure, ReportEvent, ReportChange, AdministrativeUnit]
    )
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


@transaction.atomic
def generate(size: Size, log=lambda message: None) -> tuple[list[Plan], Counts]:
    """A country, its plans for `size.years` years and a year of reports for each plan."""
    rng = random.Random(size.seed)
    counts = Counts()
    actor = _actor()
    nation, provinces = _build_country(size)
    communes = list(
        AdministrativeUnit.objects.below(nation)
        .grassroots()
        .order_by("path")
        .values_list("pk", "parent_id")
    )
    sizes = Counter(parent_id for _, parent_id in communes)
    counts.units = 1 + len(provinces) + len(communes)
    indicators = _build_indicators(size)
    log(f"{counts.units} đơn vị, {len(indicators)} chỉ tiêu")
    plans = []
    for year in range(size.first_year, size.first_year + size.years):
        plan = _build_plan(size, year, nation, provinces, sizes, indicators, rng, counts)
        scales = {
            (province.pk, target.indicator_id): target.value
            / (12 if target.indicator.behaviour == Indicator.Behaviour.FLOW else 1)
            / sizes[province.pk]
            for province in provinces
            for target in plan.targets.filter(unit=province).select_related("indicator")
            if target.unit_id == province.pk
        }
        writer = _Reports(plan, actor, rng, size.fill, counts)
        for number, (unit_id, province_id) in enumerate(communes, start=1):
            writer.unit(
                unit_id,
                [(indicator, scales[(province_id, indicator.pk)]) for indicator in indicators],
            )
            if len(writer.figures.rows) >= 200_000:
                writer.flush()
                log(f"{year}: {number}/{len(communes)} đơn vị, {writer.figures.written} số liệu")
        writer.flush()
        plans.append(plan)
    _reset_sequences()
    return plans, counts


@transaction.atomic
def fill_plan(plan: Plan, *, seed: int, fill: float) -> Counts:
    """A year of reports for an existing plan (the real 2023 plan): each unit reports what
    its report form asks, on the scale of the plan's targets."""
    rng = random.Random(seed)
    counts = Counts()
    writer = _Reports(plan, _actor(), rng, fill, counts)
    units = [plan.unit, *AdministrativeUnit.objects.below(plan.unit).grassroots().order_by("path")]
    for unit in units:
        scope = report_scope(plan, unit)
        lines = []
        for line in scope.lines:
            target = line.unit_target or line.city_target
            value = target.value if target else Decimal(100)
            if target is not None and target.unit_id == plan.unit_id:
                value = value / max(len(units) - 1, 1)
            if line.indicator.behaviour == Indicator.Behaviour.FLOW:
                value = value / 12
            lines.append((line.indicator, max(value, Decimal(1))))
        writer.unit(unit.pk, lines)
    writer.flush()
    _reset_sequences()
    return counts

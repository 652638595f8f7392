"""What the plan measures (indicators) and the numbers it sets (targets)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.numbers import format_number
from plans.models import AdministrativeUnit, LegalDocument, Plan, Section


class Sector(models.TextChoices):
    CROPS = "trong_trot", _("Trồng trọt")
    LIVESTOCK = "chan_nuoi", _("Chăn nuôi")
    OCOP = "ocop", _("OCOP")
    INFRASTRUCTURE = "ha_tang", _("Hạ tầng")


class Indicator(models.Model):
    """Something measured, in a unit of measure, independent of any one year's plan."""

    class Behaviour(models.TextChoices):
        STOCK = "ton", _("Hiện có (báo cáo tổng hiện tại)")
        FLOW = "phat_sinh", _("Phát sinh (cộng dồn theo kỳ)")

    code = models.SlugField(_("mã chỉ tiêu"), max_length=60, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=300)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40)
    sector = models.CharField(_("lĩnh vực"), max_length=20, choices=Sector.choices)
    behaviour = models.CharField(
        _("tính chất"),
        max_length=20,
        choices=Behaviour.choices,
        help_text=_(
            "Hiện có: diện tích, số cơ sở đang duy trì, không cộng qua các kỳ. "
            "Phát sinh: sản lượng, số km hoàn thành trong kỳ, cộng dồn lũy kế."
        ),
    )
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("thuộc chỉ tiêu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text=_("Ví dụ: chè kinh doanh là một phần của diện tích chè hiện có."),
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.name} ({self.unit_of_measure})"

    @property
    def adds_up_across_units(self) -> bool:
        """Whether the units' figures add up to the figure of their area. Hectares, tonnes,
        establishments and km do, a stock (counted now) as well as a flow (counted per
        period): the area holds what its units hold. A rate or an average does not: a
        percentage, or a unit of measure per something (tạ/ha, tấn/ha, triệu đồng/người)."""
        uom = self.unit_of_measure.strip()
        return "%" not in uom and "/" not in uom


class TargetQuerySet(models.QuerySet):
    def city_wide(self):
        return self.filter(unit=models.F("plan__unit"))

    def for_units(self):
        return self.exclude(unit=models.F("plan__unit"))


class Target(models.Model):
    """A number the plan sets for an indicator, for the whole plan area or for one unit."""

    class Carry(models.TextChoices):
        """How a target came from last year's plan (see `planning/carry.py`)."""

        SAME = "", _("Chép nguyên, cùng đơn vị")
        SUCCESSOR = "don_vi_ke_thua", _("Chuyển sang đơn vị kế thừa (cộng từ đơn vị cũ)")
        TO_ENTER = "can_nhap", _("Không cộng được từ đơn vị cũ: cần nhập")

    class Comparison(models.TextChoices):
        AT_LEAST = "toi_thieu", _("Đạt trên / ít nhất")
        MAINTAIN = "duy_tri", _("Duy trì")
        AT_MOST = "toi_da", _("Không vượt quá")

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="targets"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("phạm vi"),
        on_delete=models.PROTECT,
        related_name="targets",
        help_text=_("Địa bàn của kế hoạch cho chỉ tiêu chung, hoặc một xã, phường."),
    )
    value = models.DecimalField(
        _("giá trị"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0))],
    )
    comparison = models.CharField(_("cách đánh giá"), max_length=20, choices=Comparison.choices)
    section = models.ForeignKey(
        Section, verbose_name=_("mục"), on_delete=models.PROTECT, related_name="targets"
    )
    named_units = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("đơn vị được nêu tên"),
        blank=True,
        related_name="named_in_targets",
        help_text=_("Đơn vị kế hoạch nêu tên mà không chia chỉ tiêu cho từng đơn vị."),
    )
    source_text = models.TextField(_("nguyên văn kế hoạch"), blank=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    confirmed = models.BooleanField(
        _("đã xác nhận"),
        default=True,
        help_text=_(
            "Chỉ tiêu chép từ kế hoạch năm trước là chưa xác nhận cho đến khi có người "
            "xác nhận hoặc sửa giá trị."
        ),
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("chép từ chỉ tiêu năm trước"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text=_(
            "Chỉ tiêu năm trước (đầu tiên) mà chỉ tiêu này được chép từ; khi cộng từ nhiều "
            "đơn vị cũ, mọi chỉ tiêu cũ ở phần nguồn của chỉ tiêu."
        ),
    )
    carry = models.CharField(
        _("cách chép từ năm trước"),
        max_length=20,
        choices=Carry.choices,
        default=Carry.SAME,
        blank=True,
    )

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[named_units])

    class Meta:
        verbose_name = _("chỉ tiêu kế hoạch")
        verbose_name_plural = _("chỉ tiêu kế hoạch")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "unit"], name="one_target_per_indicator_and_scope"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator.name} – {self.unit.name}: {format_number(self.value)}"

    @property
    def is_city_wide(self) -> bool:
        return self.unit_id == self.plan.unit_id

    @property
    def old_targets(self) -> list["TargetSource"]:
        """The old targets a carried target was made from (reads `sources`, prefetched
        by the pages)."""
        return [source for source in self.sources.all() if not source.outside_old_plan]

    @property
    def taken_in(self) -> list["TargetSource"]:
        """The units its successor took in from outside the old plan: when there are any,
        the old figures behind the target are those of part of its unit only."""
        return [source for source in self.sources.all() if source.outside_old_plan]

    @property
    def covers_part(self) -> bool:
        return bool(self.taken_in)

    @property
    def needs_entry(self) -> bool:
        """Carried onto a successor where the old figures could not be added up, and not
        yet entered: its value is no starting point."""
        return self.carry == self.Carry.TO_ENTER and not self.confirmed


class TargetSource(models.Model):
    """An old unit behind a target carried onto its successor: the old target and its value
    as they were added up, or (`source` empty) a unit the successor took in from outside
    the old plan, which makes the new target cover only part of its unit."""

    target = models.ForeignKey(
        Target,
        verbose_name=_("chỉ tiêu"),
        on_delete=models.CASCADE,
        related_name="sources",
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị cũ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.ForeignKey(
        Target,
        verbose_name=_("chỉ tiêu cũ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_into",
    )
    value = models.DecimalField(
        _("giá trị cũ"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    share = models.DecimalField(
        _("tỷ lệ chuyển sang"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nguồn của chỉ tiêu")
        verbose_name_plural = _("nguồn của chỉ tiêu")
        ordering = ["target", "position"]

    def __str__(self):
        if self.value is None:
            return self.unit.name
        return f"{self.unit.name} {format_number(self.value)}"

    @property
    def outside_old_plan(self) -> bool:
        return self.source_id is None


class StageTarget(models.Model):
    """A target of the five-year plan the annual plans belong to (Kế hoạch 2169/KH-UBND,
    2021–2025), for one indicator of the whole area.

    Phòng Kinh tế enters it where the five-year plan gives one; the 2023 plan does not
    quote the five-year figures, so none comes with it and none is invented. An
    indicator's page on the dashboard shows it beside each year's target and result.
    """

    document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("kế hoạch giai đoạn"),
        on_delete=models.PROTECT,
        related_name="stage_targets",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("chỉ tiêu"),
        on_delete=models.PROTECT,
        related_name="stage_targets",
    )
    value = models.DecimalField(
        _("giá trị"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0))],
    )
    source_text = models.TextField(_("nguyên văn kế hoạch giai đoạn"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu kế hoạch giai đoạn")
        verbose_name_plural = _("chỉ tiêu kế hoạch giai đoạn")
        ordering = ["document", "indicator__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "indicator"], name="one_stage_target_per_indicator"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="stage_target_value_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.name} – {self.document.number}: {self.value}"


class ReportingPeriod(models.Model):
    """A reporting period of a plan year, with its data window and deadline.

    The defaults follow Nghị định 09/2019/NĐ-CP (data from the 15th to the 14th); Phòng
    Kinh tế can move a deadline.
    """

    class Kind(models.TextChoices):
        MONTHLY = "thang", _("Tháng")
        QUARTERLY = "quy", _("Quý")
        SIX_MONTHS = "6t", _("6 tháng")
        NINE_MONTHS = "9t", _("9 tháng")
        ANNUAL = "nam", _("Năm")

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="periods"
    )
    code = models.SlugField(_("mã kỳ"), max_length=20)
    kind = models.CharField(_("loại kỳ"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("tên kỳ"), max_length=60)
    starts_on = models.DateField(_("số liệu từ ngày"))
    ends_on = models.DateField(_("chốt số liệu ngày"))
    deadline = models.DateField(_("hạn nộp báo cáo"))
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["plan", "ends_on", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_period_code_per_plan"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("ends_on")), name="deadline_after_cut_off"
            ),
        ]

    def __str__(self):
        return self.name


class CalendarDay(models.Model):
    """A day the government moves: an extra day off, or a Saturday worked to make up for one.

    Public holidays (Tết by the lunar calendar, 30/4, 1/5, 2/9, …) come from the `holidays`
    package; the changes decided each year are entered here by Phòng Kinh tế.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "nghi", _("Ngày nghỉ (nghỉ bù, nghỉ thêm)")
        WORKING_DAY = "lam_viec", _("Ngày làm việc bù")

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại ngày"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("căn cứ, ghi chú"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngày nghỉ, làm việc bù")
        verbose_name_plural = _("ngày nghỉ, làm việc bù")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} – {self.get_kind_display()}"


class ReportQuerySet(models.QuerySet):
    def open_for_editing(self):
        return self.filter(status__in=[Report.Status.DRAFT, Report.Status.RETURNED])

    def counted(self, *, include_submitted: bool) -> "ReportQuerySet":
        """The reports whose figures count (see Report.Status.counted)."""
        return self.filter(status__in=Report.Status.counted(include_submitted=include_submitted))

    def reported(self) -> "ReportQuerySet":
        """The reports a unit has sent in (see Report.Status.reported)."""
        return self.filter(status__in=Report.Status.reported())


class Report(models.Model):
    """One unit's progress report for one period (the plan's own unit for city-wide entries)."""

    class Status(models.TextChoices):
        DRAFT = "nhap", _("Đang soạn")
        SUBMITTED = "da_gui", _("Đã gửi")
        RETURNED = "tra_lai", _("Bị trả lại")
        APPROVED = "da_duyet", _("Đã duyệt")

        @classmethod
        def counted(cls, *, include_submitted: bool) -> tuple[str, ...]:
            """Whose figures and task statuses count on dashboards, in the totals and in
            the files: approved ones, and submitted ones too when the reader asks for them
            ("gồm đã gửi"). Drafts and returned reports never count."""
            if include_submitted:
                return (cls.APPROVED, cls.SUBMITTED)
            return (cls.APPROVED,)

        @classmethod
        def reported(cls) -> tuple[str, ...]:
            """Whether a unit has reported for a period (on time or late): it has sent its
            report in, whether or not it has been approved yet. A question about the unit,
            not about which figures count."""
            return (cls.SUBMITTED, cls.APPROVED)

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("kỳ báo cáo"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    difficulties = models.TextField(_("khó khăn, vướng mắc, đề xuất"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_late = models.BooleanField(_("gửi muộn"), default=False)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    # When Phòng Kinh tế first opened this submission; until then the unit may withdraw it.
    review_started_at = models.DateTimeField(_("bắt đầu xem xét lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["period", "unit__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period"], name="one_report_per_unit_and_period"
            ),
        ]
        indexes = [
            # The reports waiting for review in the order they are reviewed
            # (reporting.review): the next one is the first entry after the one open.
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(status="da_gui"),
                name="report_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.unit.name} – {self.period.name}"

    def get_absolute_url(self):
        return reverse(
            "reporting:report",
            kwargs={
                "year": self.period.plan.year,
                "unit_slug": self.unit.slug,
                "period_code": self.period.code,
            },
        )

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}


class ReportFigure(models.Model):
    """A number in a report: the current total for a stock, this period's amount for a flow."""

    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="figures"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="figures"
    )
    value = models.DecimalField(
        _("số liệu"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0))],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("số liệu báo cáo")
        verbose_name_plural = _("số liệu báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="one_figure_per_report_and_indicator"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="figure_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator.name}: {format_number(self.value)}"


class TaskProgress(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "chua_thuc_hien", _("Chưa thực hiện")
        IN_PROGRESS = "dang_thuc_hien", _("Đang thực hiện")
        DONE = "hoan_thanh", _("Hoàn thành")

    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="task_progress"
    )
    task = models.ForeignKey(
        "plans.Task", verbose_name=_("nhiệm vụ"), on_delete=models.PROTECT, related_name="progress"
    )
    status = models.CharField(
        _("tình hình"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    narrative = models.TextField(_("kết quả thực hiện"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiến độ nhiệm vụ")
        verbose_name_plural = _("tiến độ nhiệm vụ")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "task"], name="one_progress_per_report_and_task"
            ),
        ]

    def __str__(self):
        return f"{self.task.code}: {self.get_status_display()}"


class WorkProgress(models.Model):
    """Progress of an infrastructure work in the city-wide report.

    The kilometres finished are figures of the work's indicator; this holds the money
    disbursed and what happened.
    """

    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="work_progress"
    )
    work = models.ForeignKey(
        "plans.InfrastructureWork",
        verbose_name=_("công trình"),
        on_delete=models.PROTECT,
        related_name="progress",
    )
    disbursed_vnd = models.DecimalField(
        _("giải ngân trong kỳ (đồng)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    narrative = models.TextField(_("tình hình thực hiện"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiến độ công trình")
        verbose_name_plural = _("tiến độ công trình")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "work"], name="one_progress_per_report_and_work"
            ),
            models.CheckConstraint(
                condition=Q(disbursed_vnd__isnull=True) | Q(disbursed_vnd__gte=0),
                name="work_progress_not_negative",
            ),
        ]

    def __str__(self):
        return self.work.name


class ReportEvent(models.Model):
    """A step of the workflow: who did what to a report, when, and why."""

    class Action(models.TextChoices):
        CREATED = "tao", _("Tạo báo cáo")
        SAVED = "luu", _("Lưu")
        SUBMITTED = "gui", _("Gửi")
        RETURNED = "tra_lai", _("Trả lại")
        APPROVED = "duyet", _("Duyệt")
        REOPENED = "mo_lai", _("Mở lại")
        IMPORTED = "nhap_excel", _("Nhập từ Excel")
        WITHDRAWN = "rut_lai", _("Rút lại")
        REVIEW_STARTED = "bat_dau_xem", _("Bắt đầu xem xét")
        EXPLAINED = "giai_trinh", _("Giải trình số liệu")
        COMMENTED = "y_kien", _("Ý kiến về số liệu")
        FOLLOW_UP = "can_theo_doi", _("Đánh dấu cần theo dõi")
        FOLLOW_UP_CLEARED = "het_theo_doi", _("Bỏ đánh dấu cần theo dõi")

    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="report_events",
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    reason = models.TextField(_("lý do, ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý báo cáo")
        verbose_name_plural = _("các bước xử lý báo cáo")
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} – {self.actor}"


class ReportChange(models.Model):
    """One changed value of a report, old and new, as the person who changed it typed it."""

    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="changes"
    )
    event = models.ForeignKey(
        ReportEvent,
        verbose_name=_("bước"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    field = models.CharField(_("nội dung"), max_length=300)
    old_value = models.TextField(_("giá trị cũ"), blank=True)
    new_value = models.TextField(_("giá trị mới"), blank=True)

    class Meta:
        verbose_name = _("thay đổi trong báo cáo")
        verbose_name_plural = _("thay đổi trong báo cáo")
        ordering = ["report", "event__at", "pk"]

    def __str__(self):
        return f"{self.field}: {self.old_value} → {self.new_value}"


def _month_fields():
    return {
        f"month_{month}": models.DecimalField(
            _("tháng %(month)s") % {"month": month},
            max_digits=5,
            decimal_places=2,
            default=Decimal(0),
            validators=[MinValueValidator(Decimal(0))],
        )
        for month in range(1, 13)
    }


class SeasonalProfile(models.Model):
    """How a flow indicator's annual amount falls over the months (in %, summing to 100).

    Month m is the reporting window ending on the 14th of m. Without a profile a flow
    target is expected to grow in a straight line over the year.
    """

    indicator = models.OneToOneField(
        Indicator,
        verbose_name=_("chỉ tiêu"),
        on_delete=models.CASCADE,
        related_name="seasonal_profile",
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    # Twelve fields month_1 … month_12: one labelled box per month in the admin form.
    locals().update(_month_fields())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mùa vụ của chỉ tiêu")
        verbose_name_plural = _("mùa vụ của chỉ tiêu")
        constraints = [
            models.CheckConstraint(
                condition=Exact(
                    sum(models.F(f"month_{m}") for m in range(2, 13)) + models.F("month_1"), 100
                ),
                name="seasonal_profile_sums_to_100",
            ),
            models.CheckConstraint(
                condition=Q(**{f"month_{m}__gte": 0 for m in range(1, 13)}),
                name="seasonal_profile_not_negative",
            ),
        ]

    def __str__(self):
        return str(self.indicator)

    @property
    def shares(self) -> list[Decimal]:
        return [getattr(self, f"month_{month}") for month in range(1, 13)]

    def clean(self):
        from django.core.exceptions import ValidationError

        total = sum(self.shares)
        if total != 100:
            raise ValidationError(
                _("Tổng tỷ lệ 12 tháng phải bằng 100%%, hiện là %(total)s%%.") % {"total": total}
            )


# --- Running totals, kept by the workflow (services) in the same transaction -----------


class PlanTotals(models.Model):
    """Marks a plan whose totals are complete: the workflow keeps them, dashboards read them.

    `rebuild_totals` creates it; until then dashboards add up the figures on every request.
    """

    plan = models.OneToOneField(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="totals_state"
    )
    built_at = models.DateTimeField(_("tính lại lúc"), auto_now=True)

    class Meta:
        db_table = "reports_plantotals"  # made when the dashboards app kept the totals
        verbose_name = _("trạng thái số tổng hợp")
        verbose_name_plural = _("trạng thái số tổng hợp")

    def __str__(self):
        return str(self.plan)


class AreaTotal(models.Model):
    """What the reporting units under an area reported for an indicator, up to a cut-off.

    One row per plan, indicator, area (the plan's unit and every unit between it and the
    communes) and cut-off date (a period's end), for both readings of a dashboard: with
    approved reports only (`value`, `units`) and with submitted ones too (`…_incl_submitted`,
    and how many of those units' values rest on a submitted report). A value is the sum of
    each unit's figure to date, worked out as the dashboard does (a stock's latest value, a
    flow's sum over the periods). One row, not one per reading: approving a report moves
    both readings of the same totals, and each row written costs the approval.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="area_totals")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="+")
    cutoff = models.DateField(_("số liệu đến ngày"))
    value = models.DecimalField(_("tổng (đã duyệt)"), max_digits=24, decimal_places=3, default=0)
    # Not PositiveIntegerField: its CHECK is tested on the row an upsert proposes, before
    # the conflict turns it into an addition, and an approval adds -1 to a count.
    # `totals.apply` refuses any count it takes below zero instead.
    units = models.IntegerField(_("số đơn vị có số liệu (đã duyệt)"), default=0)
    value_incl_submitted = models.DecimalField(
        _("tổng (gồm đã gửi)"), max_digits=24, decimal_places=3, default=0
    )
    units_incl_submitted = models.IntegerField(_("số đơn vị có số liệu (gồm đã gửi)"), default=0)
    units_with_submitted = models.IntegerField(_("số đơn vị có số liệu chưa duyệt"), default=0)

    class Meta:
        db_table = "reports_areatotal"  # made when the dashboards app kept the totals
        verbose_name = _("số tổng hợp theo địa bàn")
        verbose_name_plural = _("số tổng hợp theo địa bàn")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "area", "cutoff", "indicator"],
                name="one_total_per_plan_area_cutoff_indicator",
            ),
        ]

    def __str__(self):
        return f"{self.area_id}/{self.indicator_id}@{self.cutoff}: {format_number(self.value)}"

    @staticmethod
    def reading(include_submitted: bool) -> tuple[str, str]:
        """The fields of the value and of the units counted in one reading."""
        if include_submitted:
            return "value_incl_submitted", "units_incl_submitted"
        return "value", "units"

    def counted(self, include_submitted: bool) -> tuple[Decimal, int, int]:
        """The value, the units counted and those resting on a submitted report, in one
        reading (none rest on one when only approved reports count)."""
        if include_submitted:
            return self.value_incl_submitted, self.units_incl_submitted, self.units_with_submitted
        return self.value, self.units, 0


# --- Data quality: rules as data, flags on figures, comments --------------------------------


class QualityRule(models.Model):
    """A check run on a figure when it is saved (reporting.quality); Phòng Kinh tế edits them.

    Without an indicator a rule applies to every indicator it can (the built-in ones); a
    rule naming an indicator, or an indicator and a unit, takes the place of the general
    one of the same kind for it. A yield rule applies only where bounds are entered.
    """

    class Kind(models.TextChoices):
        PART_OF_WHOLE = "phan_tong", _("Phần không vượt tổng (theo cơ cấu chỉ tiêu)")
        HISTORY = "lich_su", _("Khoảng thường gặp theo số liệu đã duyệt của đơn vị")
        PLAN = "ke_hoach", _("Khoảng hợp lý so với chỉ tiêu và kỳ trước")
        YIELD = "nang_suat", _("Năng suất (sản lượng trên diện tích)")

    class Severity(models.TextChoices):
        ERROR = "loi", _("Lỗi: không lưu được")
        WARNING = "canh_bao", _("Cảnh báo: cần giải trình trước khi gửi")

    class Method(models.TextChoices):
        MIN_MAX = "min_max", _("Nhỏ nhất – lớn nhất (nới thêm theo ngưỡng %)")
        ROBUST_Z = "z_median", _("Điểm z theo trung vị (MAD)")

    kind = models.CharField(_("loại kiểm tra"), max_length=20, choices=Kind.choices)
    severity = models.CharField(_("mức độ"), max_length=10, choices=Severity.choices)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("chỉ tiêu"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quality_rules",
        help_text=_("Để trống: áp dụng cho mọi chỉ tiêu phù hợp."),
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quality_rules",
        help_text=_("Để trống: áp dụng cho mọi đơn vị."),
    )
    method = models.CharField(
        _("cách tính khoảng"), max_length=10, choices=Method.choices, blank=True
    )
    threshold = models.DecimalField(
        _("ngưỡng"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_(
            "Điểm z tối đa (ví dụ 3,5); hoặc % nới thêm ngoài khoảng nhỏ nhất – lớn nhất; "
            "hoặc % chênh lệch cho phép so với chỉ tiêu và kỳ trước."
        ),
    )
    min_history = models.PositiveIntegerField(
        _("số kỳ đã duyệt tối thiểu"),
        default=3,
        help_text=_("Ít kỳ hơn thì chưa đủ căn cứ, không kiểm tra."),
    )
    area_indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("chỉ tiêu diện tích (năng suất)"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    lower = models.DecimalField(
        _("cận dưới (năng suất trên 1 ha)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    upper = models.DecimalField(
        _("cận trên (năng suất trên 1 ha)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quy tắc kiểm tra số liệu")
        verbose_name_plural = _("quy tắc kiểm tra số liệu")
        ordering = ["kind", "indicator__position", "pk"]

    def __str__(self):
        scope = self.indicator.name if self.indicator_id else _("mọi chỉ tiêu")
        return f"{self.get_kind_display()} – {scope}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.YIELD:
            if not self.indicator_id or not self.area_indicator_id:
                raise ValidationError(
                    _("Kiểm tra năng suất cần chỉ tiêu sản lượng và chỉ tiêu diện tích.")
                )
            if self.lower is None and self.upper is None:
                raise ValidationError(_("Kiểm tra năng suất cần ít nhất một cận."))
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise ValidationError(_("Cận dưới phải không lớn hơn cận trên."))


class FigureFlag(models.Model):
    """A figure needing attention: a data-quality warning, or Phòng Kinh tế's follow-up mark.

    A warning is recomputed at each save (reporting.quality); the official's explanation
    (giải trình) stays with it while the figure does not change. `is_open` flags count in
    the review queue and come first on the report.
    """

    class Kind(models.TextChoices):
        CHECK = "kiem_tra", _("Cảnh báo kiểm tra số liệu")
        FOLLOW_UP = "theo_doi", _("Cần theo dõi")

    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="figure_flags"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    message = models.TextField(_("nội dung"), blank=True)
    value = models.DecimalField(
        _("số liệu khi kiểm tra"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    explanation = models.TextField(_("giải trình"), blank=True)
    is_open = models.BooleanField(_("còn mở"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("số liệu cần chú ý")
        verbose_name_plural = _("số liệu cần chú ý")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator", "kind"], name="one_flag_per_figure_and_kind"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.name}: {self.get_kind_display()}"


class FigureComment(models.Model):
    """A comment on one figure, by the reviewer or the unit's official, in the history too."""

    report = models.ForeignKey(
        Report,
        verbose_name=_("báo cáo"),
        on_delete=models.CASCADE,
        related_name="figure_comments",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người viết"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    text = models.TextField(_("ý kiến"))
    event = models.OneToOneField(
        ReportEvent, verbose_name=_("bước"), on_delete=models.CASCADE, related_name="comment"
    )

    class Meta:
        verbose_name = _("ý kiến về số liệu")
        verbose_name_plural = _("ý kiến về số liệu")
        ordering = ["report", "indicator", "at", "pk"]

    def __str__(self):
        return f"{self.indicator.name}: {self.text[:40]}"

"""The plan as the document writes it: its units, sections, bodies, tasks and sources."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The title a province-level city's name begins with (Thành phố Hà Nội, Thành phố Huế).
CITY_PROVINCE_TITLE = "Thành phố "


class AdministrativeUnitQuerySet(models.QuerySet):
    def below(self, unit: "AdministrativeUnit"):
        """Every unit under `unit`, at any depth: one indexed prefix match on the path."""
        return self.filter(path__startswith=f"{unit.path}/")

    def grassroots(self):
        return self.filter(kind__in=AdministrativeUnit.GRASSROOTS)


class AdministrativeUnitManager(models.Manager.from_queryset(AdministrativeUnitQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, slug: str) -> "AdministrativeUnit":
        return self.get(slug=slug)


class AdministrativeUnit(models.Model):
    """A province, city, commune or ward. Units change over time, so each carries its dates.

    `path` holds the slugs from the top of the hierarchy down to the unit
    (lai-chau/thanh-pho-lai-chau/san-thang), so that everything under a province or
    a country is one query whatever the depth.
    """

    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("Tỉnh")
        CITY = "thanh_pho", _("Thành phố")
        DISTRICT = "huyen", _("Huyện")
        COMMUNE = "xa", _("Xã")
        WARD = "phuong", _("Phường")
        SPECIAL_ZONE = "dac_khu", _("Đặc khu")

    name = models.CharField(_("tên"), max_length=200)
    slug = models.SlugField(_("mã đường dẫn"), max_length=80, unique=True)
    kind = models.CharField(_("cấp"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("mã đơn vị hành chính"), max_length=20, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    path = models.CharField(
        _("đường dẫn cây đơn vị"), max_length=400, db_index=True, editable=False, default=""
    )

    objects = AdministrativeUnitManager()
    history = HistoricalRecords()

    # The level that reports: communes, wards and, since the 2025 reform, special zones.
    GRASSROOTS = (Kind.COMMUNE, Kind.WARD, Kind.SPECIAL_ZONE)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            ),
        ]

    def __str__(self):
        # A city under the central government is a province whose name keeps its own title:
        # "Thành phố Hà Nội", never "Tỉnh Thành phố Hà Nội".
        if self.kind == self.Kind.PROVINCE and self.name.startswith(CITY_PROVINCE_TITLE):
            return self.name
        # The label by the enum, not get_kind_display(), which hashes every choice's label
        # on each call: the overview prints fifty units, the dashboard hundreds.
        try:
            kind = self.Kind(self.kind).label
        except ValueError:
            kind = self.kind
        return f"{kind} {self.name}"

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str]:
        # Fixtures of units loaded beside `load_admin_units` name them by slug, never by a
        # number that the loader may already have given to another unit.
        return (self.slug,)

    @property
    def is_grassroots(self) -> bool:
        return self.kind in self.GRASSROOTS

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitSuccessionManager(models.Manager):
    def get_by_natural_key(self, predecessor: str, successor: str) -> "UnitSuccession":
        return self.get(predecessor__slug=predecessor, successor__slug=successor)


class UnitSuccession(models.Model):
    """One line of a reorganisation: `predecessor` ended and (all or part of) it became
    `successor` from `effective_on`.

    A merge is whole: several predecessors, each with no share. A split carries a share
    only where a source gives one; without a source the share stays empty and the
    predecessor's results are not divided. The old unit keeps its plans, reports and
    accounts: nothing is moved, today's map is computed from these rows.
    """

    predecessor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị cũ"),
        on_delete=models.PROTECT,
        related_name="successions",
    )
    successor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị kế thừa"),
        on_delete=models.PROTECT,
        related_name="formed_from",
    )
    effective_on = models.DateField(_("có hiệu lực từ"))
    share = models.DecimalField(
        _("tỷ lệ chuyển sang"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "Chỉ ghi khi đơn vị cũ bị chia và nguồn cho biết tỷ lệ (0–1); để trống khi "
            "nhập nguyên đơn vị."
        ),
    )
    source = models.CharField(
        _("nguồn"),
        max_length=300,
        help_text=_("Văn bản hoặc bộ dữ liệu cho biết việc sắp xếp này."),
    )

    objects = UnitSuccessionManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sắp xếp đơn vị hành chính")
        verbose_name_plural = _("sắp xếp đơn vị hành chính")
        ordering = ["effective_on", "successor_id", "predecessor_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_succession_once"
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | (Q(share__gt=0) & Q(share__lte=1)),
                name="unit_succession_share_is_a_fraction",
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="unit_succession_not_itself",
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"

    def natural_key(self) -> tuple[str, str]:
        return (*self.predecessor.natural_key(), *self.successor.natural_key())

    natural_key.dependencies = ["plans.administrativeunit"]  # type: ignore[attr-defined]


class LegalDocument(models.Model):
    """A document the plan cites: a parent plan, a decision or a council resolution."""

    class Kind(models.TextChoices):
        PLAN = "ke_hoach", _("Kế hoạch")
        DECISION = "quyet_dinh", _("Quyết định")
        RESOLUTION = "nghi_quyet", _("Nghị quyết")
        DECREE = "nghi_dinh", _("Nghị định")
        CIRCULAR = "thong_tu", _("Thông tư")

    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=60, unique=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    issued_on = models.DateField(
        _("ngày ban hành"),
        null=True,
        blank=True,
        help_text=_("Để trống khi các trích dẫn ghi ngày khác nhau; xem từng trích dẫn."),
    )
    title = models.TextField(_("trích yếu"))
    note = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản được trích dẫn")
        ordering = ["number"]

    def __str__(self):
        return f"{self.get_kind_display()} số {self.number}"


class Plan(models.Model):
    """One year's plan, and where it stands in its life (see `Status`).

    The plan's life is kept as states, each step recorded by the planning app's services
    (`planning.models.PlanEvent`): a draft is freely edited and closed to reporting; an
    issued plan (number, date, signer) opens its periods to the units; an issued plan is
    changed only by an amendment (`planning.models.Amendment`), after which it reads
    "điều chỉnh"; a closed plan is read-only.
    """

    class Status(models.TextChoices):
        DRAFT = "du_thao", _("Dự thảo")
        ISSUED = "ban_hanh", _("Đã ban hành")
        AMENDED = "dieu_chinh", _("Đã điều chỉnh")
        CLOSED = "ket_thuc", _("Đã kết thúc")

        @classmethod
        def open_for_reporting(cls) -> tuple[str, ...]:
            """Units report on an issued plan, amended or not; not on a draft or a closed one."""
            return (cls.ISSUED, cls.AMENDED)

    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    number = models.CharField(
        _("số, ký hiệu"),
        max_length=60,
        blank=True,
        help_text=_("Bản kế hoạch được cung cấp không ghi số."),
    )
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    signer = models.CharField(_("người ký"), max_length=200, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("lập từ kế hoạch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_plan",
        help_text=_("Kế hoạch năm trước mà kế hoạch này được lập từ đó."),
    )
    targets_decision = models.ForeignKey(
        LegalDocument,
        verbose_name=_("quyết định giao chỉ tiêu năm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans_whose_targets_it_sets",
        help_text=_("Quyết định giao chỉ tiêu kinh tế - xã hội của năm kế hoạch."),
    )
    parent_document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("kế hoạch giai đoạn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_plans",
    )
    preamble = models.TextField(_("phần mở đầu"), blank=True)
    closing = models.TextField(_("phần kết"), blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    units = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("đơn vị báo cáo"),
        blank=True,
        related_name="reporting_plans",
        help_text=_(
            "Để trống: mọi xã, phường thuộc địa bàn. Ghi khi kế hoạch chỉ gồm một số đơn vị "
            "của địa bàn, như kế hoạch lập sau sắp xếp đơn vị hành chính 2025 cho các phường "
            "kế thừa thành phố cũ."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="one_plan_per_unit_and_year"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:detail", kwargs={"year": self.year})

    @property
    def is_open_for_reporting(self) -> bool:
        return self.status in self.Status.open_for_reporting()

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Section(models.Model):
    """A part of the document, numbered as the document numbers it (I, II.1.1, III.7)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("mục cha"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("mã mục"), max_length=20)
    number = models.CharField(_("số mục"), max_length=20, help_text=_("Như văn bản ghi: 1.1."))
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    position = models.PositiveIntegerField(_("thứ tự"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mục của kế hoạch")
        verbose_name_plural = _("mục của kế hoạch")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_section_code_per_plan"),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"

    @property
    def depth(self) -> int:
        return self.code.count(".")


class Citation(models.Model):
    """Where the plan cites a document, with the date as that place writes it."""

    class Role(models.TextChoices):
        BASIS = "can_cu", _("Căn cứ ban hành")
        POLICY = "chinh_sach", _("Chính sách áp dụng")
        REFERENCE = "tham_chieu", _("Tham chiếu")

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="citations"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("mục"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        help_text=_("Để trống với căn cứ ở phần mở đầu."),
    )
    document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("văn bản"),
        on_delete=models.PROTECT,
        related_name="citations",
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    cited_date = models.DateField(_("ngày ghi trong trích dẫn"), null=True, blank=True)
    quote = models.TextField(_("nguyên văn trích dẫn"))
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trích dẫn văn bản")
        verbose_name_plural = _("trích dẫn văn bản")
        ordering = ["plan", "position"]

    def __str__(self):
        where = self.section.code if self.section_id else _("Phần mở đầu")
        return f"{self.document.number} ({where})"

    @property
    def differs_from_document(self) -> bool:
        return (
            self.cited_date is not None
            and self.document.issued_on is not None
            and self.cited_date != self.document.issued_on
        )


class Body(models.Model):
    """An agency or group of agencies that section III gives duties to."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="bodies"
    )
    section = models.OneToOneField(
        Section,
        verbose_name=_("mục"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_assigned",
    )
    name = models.CharField(_("tên cơ quan, đơn vị"), max_length=300)
    short_name = models.CharField(_("tên ngắn"), max_length=100, blank=True)
    units = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        blank=True,
        related_name="bodies",
        help_text=_("Với UBND các xã, phường: các đơn vị mà cơ quan này gồm."),
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ quan thực hiện")
        verbose_name_plural = _("cơ quan thực hiện")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="unique_body_name_per_plan"),
        ]

    def __str__(self):
        return self.short_name or self.name


class Task(models.Model):
    """Work without a number: a qualitative task of section II or a duty of section III."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="tasks"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("mục"), on_delete=models.PROTECT, related_name="tasks"
    )
    code = models.CharField(_("mã nhiệm vụ"), max_length=30)
    title = models.CharField(_("tên ngắn"), max_length=300)
    description = models.TextField(_("nội dung theo kế hoạch"))
    bodies = models.ManyToManyField(
        Body, verbose_name=_("cơ quan thực hiện"), blank=True, related_name="tasks"
    )
    units = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("địa bàn thực hiện"),
        blank=True,
        related_name="tasks",
        help_text=_("Chỉ những đơn vị kế hoạch nêu tên."),
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords(m2m_fields=[bodies, units])

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_task_code_per_plan"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class SupportPolicy(models.Model):
    """A support policy the plan applies, pointing at the clauses of the document."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="policies"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("mục"), on_delete=models.PROTECT, related_name="policies"
    )
    title = models.CharField(_("tên chính sách"), max_length=300)
    document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("văn bản"),
        on_delete=models.PROTECT,
        related_name="policies",
    )
    clauses = models.CharField(_("điều, khoản áp dụng"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chính sách hỗ trợ")
        verbose_name_plural = _("chính sách hỗ trợ")
        ordering = ["plan", "position"]

    def __str__(self):
        return self.title


class InfrastructureWork(models.Model):
    """An essential infrastructure work of section II.5."""

    class Kind(models.TextChoices):
        CANAL = "kenh_muong", _("Kênh mương nội đồng")
        ROAD = "duong_noi_dong", _("Đường nội đồng")
        OTHER = "khac", _("Khác")

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="works"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("mục"), on_delete=models.PROTECT, related_name="works"
    )
    kind = models.CharField(_("loại công trình"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên công trình"), max_length=300)
    description = models.TextField(_("nội dung theo kế hoạch"))
    units = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("địa bàn"),
        blank=True,
        related_name="works",
        help_text=_("Chỉ những đơn vị kế hoạch nêu tên; để trống nếu kế hoạch không nêu."),
    )
    policy = models.ForeignKey(
        SupportPolicy,
        verbose_name=_("chính sách thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="works",
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("công trình hạ tầng")
        verbose_name_plural = _("công trình hạ tầng")
        ordering = ["plan", "position"]

    def __str__(self):
        return self.name


class OcopProduct(models.Model):
    """A product rated under the OCOP programme (Quyết định 148/QĐ-TTg)."""

    class Status(models.TextChoices):
        ACTIVE = "con_hieu_luc", _("Còn hiệu lực")
        EXPIRED = "het_hieu_luc", _("Hết hiệu lực")
        REEVALUATING = "dang_danh_gia_lai", _("Đang đánh giá lại")
        REVOKED = "bi_thu_hoi", _("Bị thu hồi")

    class IssuingLevel(models.TextChoices):
        PROVINCE = "tinh", _("Cấp tỉnh")
        NATIONAL = "trung_uong", _("Cấp trung ương")

    name = models.CharField(_("tên sản phẩm"), max_length=300)
    group = models.CharField(_("nhóm sản phẩm"), max_length=200, blank=True)
    owner = models.CharField(_("chủ thể"), max_length=300)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="ocop_products",
    )
    score = models.PositiveSmallIntegerField(_("điểm"), null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("số sao"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    issuing_level = models.CharField(
        _("cấp công nhận"),
        max_length=20,
        choices=IssuingLevel.choices,
        default=IssuingLevel.PROVINCE,
    )
    expires_on = models.DateField(_("ngày hết hạn"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sản phẩm OCOP")
        verbose_name_plural = _("sản phẩm OCOP")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__isnull=True) | Q(stars__gte=3, stars__lte=5),
                name="ocop_stars_between_3_and_5",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100),
                name="ocop_score_at_most_100",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.score is not None and self.stars is None:
            self.stars = self.stars_for_score(self.score)
        if self.decision_date and not self.expires_on:
            self.expires_on = self.expiry_for(self.decision_date)
        super().save(*args, **kwargs)

    @staticmethod
    def stars_for_score(score: int) -> int | None:
        if score >= 90:
            return 5
        if score >= 70:
            return 4
        if score >= 50:
            return 3
        return None

    @staticmethod
    def expiry_for(decision_date: date) -> date:
        """A certificate lasts 36 months from its decision date."""
        year, month = decision_date.year + 3, decision_date.month
        try:
            return decision_date.replace(year=year, month=month)
        except ValueError:
            return date(year, month, 28)

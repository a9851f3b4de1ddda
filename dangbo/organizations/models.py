"""The Party's organization tree: committees and cells, their terms, residential groups."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangbo.lib.vntext import search_key


# Up to 9,999,999 organizations; the nation has about 250,000 cells.
PATH_DIGITS = 7


class OrganizationQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=on)).filter(
            Q(active_to__isnull=True) | Q(active_to__gte=on)
        )

    def cells(self):
        return self.filter(kind=Organization.Kind.CELL)

    def committees(self):
        return self.filter(kind=Organization.Kind.COMMITTEE)

    def within(self, organization):
        """The organization and everything below it."""
        return self.filter(path__startswith=organization.path)


class Organization(models.Model):
    """A committee (đảng bộ) or a cell (chi bộ).

    The depth of the tree is data: nation → province → ward → grassroots
    organization → cell, or fewer levels since the 2025 reform removed districts.
    ``path`` is the materialized path of primary keys, each padded to PATH_DIGITS
    ("0000001/0000004/0000017/"), so that a subtree is one indexed prefix query
    and sorting by path gives the tree in creation order at every depth.
    """

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Đảng bộ")
        CELL = "cell", _("Chi bộ")

    class Category(models.TextChoices):
        RESIDENTIAL = "residential", _("Khu dân cư")
        SCHOOL = "school", _("Trường học")
        POLICE = "police", _("Công an")
        MILITARY = "military", _("Quân sự")
        ENTERPRISE = "enterprise", _("Doanh nghiệp")
        AGENCY = "agency", _("Cơ quan")
        OTHER = "other", _("Khác")

    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    category = models.CharField(
        _("loại hình chi bộ"), max_length=16, choices=Category.choices, blank=True
    )
    name = models.CharField(_("tên"), max_length=200)
    code = models.CharField(
        _("mã"), max_length=40, unique=True, help_text=_("Mã duy nhất trong hệ thống, ví dụ NA.VH.CB01")
    )
    symbol = models.CharField(
        _("ký hiệu văn bản"), max_length=20, blank=True,
        help_text=_("Dùng trong số, ký hiệu văn bản, ví dụ ĐU, CB"),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("cấp trên"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    active_from = models.DateField(_("hoạt động từ"), null=True, blank=True)
    active_to = models.DateField(_("hoạt động đến"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("sáp nhập vào"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="merged_from",
    )
    closing_note = models.CharField(_("lý do giải thể"), max_length=300, blank=True)
    search_key = models.CharField(max_length=200, editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_key", "depth", "path"])
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="committee", category="") | Q(kind="cell") & ~Q(category=""),
                name="org_category_only_for_cells",
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_from__isnull=True) | Q(active_to__gte=models.F("active_from")),
                name="org_active_range",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name)
        if self.pk is None:
            # The path holds our own primary key, known only after the insert;
            # the second write is an update() so history keeps one "created" row.
            super().save(*args, **kwargs)
            self._set_path()
            Organization.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
        else:
            self._set_path()
            super().save(*args, **kwargs)

    def _set_path(self):
        prefix = self.parent.path if self.parent_id else ""
        self.path = f"{prefix}{self.pk:0{PATH_DIGITS}d}/"
        self.depth = self.path.count("/") - 1

    def get_absolute_url(self):
        return reverse("organizations:detail", args=[self.pk])

    @property
    def is_cell(self):
        return self.kind == self.Kind.CELL

    @property
    def is_active(self):
        return self.active_to is None or self.active_to >= timezone.localdate()

    def ancestor_ids(self):
        """Primary keys from the root down to this organization, itself included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def ancestors(self):
        return Organization.objects.filter(pk__in=self.ancestor_ids()).order_by("depth")

    def descendants(self, include_self=True):
        qs = Organization.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def is_within(self, other):
        return self.path.startswith(other.path)


class Term(models.Model):
    """A term (nhiệm kỳ) of an organization's executive committee, e.g. 2025–2030.

    Document numbers restart the day after the congress that opens a term closes
    (HD 36-HD/VPTW), so the congress dates are kept here.
    """

    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức"), on_delete=models.CASCADE, related_name="terms"
    )
    name = models.CharField(_("nhiệm kỳ"), max_length=40, help_text=_("Ví dụ 2025–2030"))
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("kết thúc"), null=True, blank=True)
    congress_opened_on = models.DateField(_("ngày khai mạc đại hội"), null=True, blank=True)
    congress_closed_on = models.DateField(_("ngày bế mạc đại hội"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        ordering = ["organization", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "starts_on"], name="term_unique_start"),
        ]

    def __str__(self):
        return f"{self.organization} {self.name}"

    @classmethod
    def current(cls, organization, on=None):
        """The term in force for ``organization`` on a date, or None."""
        on = on or timezone.localdate()
        return (
            cls.objects.filter(organization=organization, starts_on__lte=on)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
            .order_by("-starts_on")
            .first()
        )


class ResidentialGroup(models.Model):
    """An administrative residential unit (tổ dân phố, khối, xóm, thôn): not a Party body."""

    ward = models.ForeignKey(
        Organization, verbose_name=_("đảng bộ phường, xã"), on_delete=models.PROTECT,
        related_name="residential_groups",
    )
    name = models.CharField(_("tên"), max_length=120)
    cells = models.ManyToManyField(
        Organization, verbose_name=_("chi bộ phụ trách"), related_name="covered_groups", blank=True
    )
    search_key = models.CharField(max_length=120, editable=False, default="")

    history = HistoricalRecords(m2m_fields=[cells], excluded_fields=["search_key"])

    class Meta:
        verbose_name = _("tổ dân phố")
        verbose_name_plural = _("tổ dân phố")
        ordering = ["ward", "name"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "name"], name="residential_group_unique_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name)
        super().save(*args, **kwargs)

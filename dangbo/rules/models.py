"""Effective-dated rules: each number a regulation sets, with its source and validity."""

from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangbo.lib.dates import format_date


class Unit(models.TextChoices):
    MONTHS = "months", _("tháng")
    YEARS = "years", _("năm")
    WORKING_DAYS = "working_days", _("ngày làm việc")
    DAYS = "days", _("ngày")
    MINUTES = "minutes", _("phút")
    PERCENT = "percent", _("%")
    FRACTION = "fraction", _("tỷ lệ")
    VND = "vnd", _("đồng")
    COUNT = "count", _("lần, người")
    POINTS = "points", _("điểm")
    TEXT = "text", _("lựa chọn")
    BOOL = "bool", _("có/không")


class Mark(models.TextChoices):
    """How sure DOMAIN.md is of a rule."""

    VERIFIED = "V", _("V: đã đối chiếu nguồn")
    RECALLED = "R", _("R: cần xác nhận")
    CONFIG = "CFG", _("CFG: cấu hình theo đơn vị")


def ranges_overlap(a_from, a_to, b_from, b_to):
    """Whether two closed date ranges overlap; a None end runs on indefinitely."""
    return (a_to is None or b_from <= a_to) and (b_to is None or a_from <= b_to)


def as_fraction(value):
    """A rule value as a Fraction: "2/3", 0.5, 20 or {"num": 2, "den": 3}."""
    if isinstance(value, bool):
        raise TypeError("Giá trị có/không không phải là tỷ lệ.")
    if isinstance(value, dict):
        return Fraction(value["num"], value["den"])
    return Fraction(str(value))


def in_force_q(on):
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class RuleQuerySet(models.QuerySet):
    def in_force(self, on):
        return self.filter(in_force_q(on))


class Rule(models.Model):
    """One version of a rule, in force from ``valid_from`` to ``valid_to`` (inclusive).

    The rows come from ``catalog.py``; a version is never edited to a new value
    when a regulation changes: a new version with its own document and start date
    is added, so old events keep the rule that applied to them.
    """

    key = models.CharField(_("mã quy định"), max_length=80, db_index=True)
    value = models.JSONField(_("giá trị"))
    unit = models.CharField(_("đơn vị"), max_length=16, choices=Unit.choices)
    title = models.CharField(_("nội dung"), max_length=300)
    source_document = models.CharField(_("văn bản"), max_length=200)
    source_section = models.CharField(_("điều, mục"), max_length=120, blank=True)
    domain_ref = models.CharField(_("mục DOMAIN"), max_length=40, blank=True)
    mark = models.CharField(_("độ tin cậy"), max_length=3, choices=Mark.choices)
    configurable = models.BooleanField(_("đơn vị được điều chỉnh"), default=False)
    choices = models.JSONField(_("các lựa chọn"), default=list, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy định")
        verbose_name_plural = _("quy định")
        ordering = ["key", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="rule_unique_version"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="rule_valid_range",
            ),
            # Only what DOMAIN.md marks CFG is decided by each organization.
            models.CheckConstraint(condition=Q(configurable=False) | Q(mark="CFG"), name="rule_configurable_is_cfg"),
        ]

    def __str__(self):
        return f"{self.key} ({format_date(self.valid_from)})"

    @property
    def domain(self):
        return self.key.split(".", 1)[0]

    @property
    def fraction(self):
        return as_fraction(self.value)

    def clean(self):
        """Versions of one key may not overlap: on any date at most one is in force."""
        if self.valid_to is not None and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": gettext("Ngày kết thúc trước ngày bắt đầu.")})
        if self.configurable and self.mark != Mark.CONFIG:
            raise ValidationError({"configurable": gettext("Chỉ quy định đánh dấu CFG mới cho đơn vị điều chỉnh.")})
        if not self.valid_from:
            return
        for other in Rule.objects.filter(key=self.key).exclude(pk=self.pk):
            if ranges_overlap(self.valid_from, self.valid_to, other.valid_from, other.valid_to):
                raise ValidationError({"valid_from": gettext(
                    "Trùng thời gian áp dụng với phiên bản từ ngày %(date)s của quy định %(key)s."
                ) % {"date": format_date(other.valid_from), "key": self.key}})


class RuleOverride(models.Model):
    """An organization's own value for a configurable rule, decided by one of its documents.

    It applies to the organization and everything below it; a deeper override wins.
    """

    key = models.CharField(_("mã quy định"), max_length=80, db_index=True)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("tổ chức"), on_delete=models.PROTECT,
        related_name="rule_overrides",
    )
    value = models.JSONField(_("giá trị"))
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    reason = models.CharField(_("căn cứ (văn bản quyết định)"), max_length=300)

    history = HistoricalRecords()
    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("điều chỉnh quy định")
        verbose_name_plural = _("điều chỉnh quy định")
        ordering = ["key", "organization", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "organization", "valid_from"], name="rule_override_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="rule_override_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.key} — {self.organization_id} ({format_date(self.valid_from)})"

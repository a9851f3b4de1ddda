"""Users and the roles they hold on parts of the organization tree."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

phone_validator = RegexValidator(
    r"^0\d{9,10}$", _("Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0.")
)


def normalize_phone(value):
    """'+84 912 345 678' and '0912.345.678' both become '0912345678'."""
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


class User(AbstractUser):
    """A person who logs in: office staff, secretaries, members, higher committees."""

    full_name = models.CharField(_("họ và tên"), max_length=120, blank=True)
    phone = models.CharField(
        _("số điện thoại"), max_length=11, blank=True, validators=[phone_validator]
    )

    # One more at every password change. A session keeps the value it logged in with
    # (SESSION_EPOCH_KEY), so a path that trusts the session without loading the user
    # (the meeting check-in tap, in its one query) can still refuse a session that
    # Django's login check would end for a changed password.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login", "session_epoch"])
    objects = UserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="user_unique_phone"
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        self.phone = normalize_phone(self.phone)

    def save(self, *args, **kwargs):
        self.phone = normalize_phone(self.phone)
        super().save(*args, **kwargs)

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.session_epoch += 1


SESSION_EPOCH_KEY = "_dangbo_session_epoch"


def remember_session_epoch(sender, request, user, **kwargs):
    """At login (and after one's own password change), the session notes the account's epoch."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_EPOCH_KEY] = user.session_epoch


class Role(models.TextChoices):
    OFFICE = "office", _("Văn phòng đảng ủy")
    SECRETARY = "secretary", _("Bí thư")
    DEPUTY_SECRETARY = "deputy_secretary", _("Phó Bí thư")
    COMMITTEE_MEMBER = "committee_member", _("Cấp ủy viên")
    INSPECTION = "inspection", _("Ủy ban kiểm tra")
    CELL_SECRETARY = "cell_secretary", _("Bí thư chi bộ")
    MEMBER = "member", _("Đảng viên")
    READ_ONLY = "read_only", _("Cấp trên (chỉ xem)")


# What each role may do in the subtree it is granted on.
# read: see; write: record the cell's work (meetings, members of a cell);
# manage: the committee office's work (the tree, rules, accounts).
MANAGE_ROLES = frozenset({Role.OFFICE, Role.SECRETARY, Role.DEPUTY_SECRETARY})
WRITE_ROLES = MANAGE_ROLES | {Role.CELL_SECRETARY}


class RoleAssignmentQuerySet(models.QuerySet):
    def in_force(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class RoleAssignment(models.Model):
    """A user's role on an organization; it covers that organization's whole subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("tổ chức"), on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    history = HistoricalRecords()
    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="role_assignment_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.organization}"

    def clean(self):
        if self.role == Role.CELL_SECRETARY and self.organization_id and not self.organization.is_cell:
            raise ValidationError({"role": _("Vai trò Bí thư chi bộ chỉ gán cho một chi bộ.")})

    @property
    def can_write(self):
        return self.role in WRITE_ROLES

    @property
    def can_manage(self):
        return self.role in MANAGE_ROLES

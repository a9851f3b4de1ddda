"""Party members: profile, status history, transfers, residence contact, exemptions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangbo.lib.vntext import search_key, search_words
from dangbo.lib.wordsearch import WordStarts
from dangbo.members.choices import (
    ETHNICITY_CHOICES, LEFT_PARTY, ON_ROLL, RELIGION_CHOICES, Degree, Sex, StateManagementLevel, Status,
    TheoryLevel,
)
from dangbo.members.validators import citizen_id_problem, validate_citizen_id

card_validator = RegexValidator(r"^\d{6,12}$", _("Số thẻ đảng viên gồm 6–12 chữ số."))
phone_validator = RegexValidator(r"^0\d{9,10}$", _("Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0."))


class MemberQuerySet(models.QuerySet):
    def on_roll(self):
        """Members still on their organization's roll, whatever their activity."""
        return self.filter(status__in=ON_ROLL)

    def counted_in_totals(self):
        # 294-QĐ/TW §6: a temporarily attached member stays on the home roll; they are
        # not Member rows of the receiving cell (see Transfer), so the roll is the count.
        return self.on_roll()

    def search(self, text):
        """By name as an office types it (wordsearch.WordStarts), or exact card number / CCCD / phone.

        Text with nothing to search by, such as punctuation alone, finds no one.
        """
        text = (text or "").strip()
        if not text:
            return self
        digits = text.replace(" ", "")
        if digits.isdigit():
            return self.filter(Q(card_number=digits) | Q(citizen_id=digits) | Q(phone=digits))
        words = search_words(text)
        return self.filter(WordStarts("search_key", words)) if words else self.none()


class Person(models.Model):
    """The personal fields of the 2-HSĐV profile, shared by members and candidates.

    A candidate's record is copied to the registry unchanged when they are admitted.
    """

    full_name = models.CharField(_("họ và tên"), max_length=120)
    other_name = models.CharField(_("tên gọi khác"), max_length=120, blank=True)
    sex = models.CharField(_("giới tính"), max_length=6, choices=Sex.choices)
    date_of_birth = models.DateField(_("ngày sinh"))
    birthplace_province = models.PositiveSmallIntegerField(_("nơi sinh: tỉnh"), null=True, blank=True)
    birthplace_ward = models.PositiveIntegerField(_("nơi sinh: xã, phường"), null=True, blank=True)
    birthplace_text = models.CharField(_("nơi sinh (ghi như giấy tờ)"), max_length=200, blank=True)
    hometown_province = models.PositiveSmallIntegerField(_("quê quán: tỉnh"), null=True, blank=True)
    hometown_ward = models.PositiveIntegerField(_("quê quán: xã, phường"), null=True, blank=True)
    hometown_text = models.CharField(_("quê quán (ghi như giấy tờ)"), max_length=200, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=30, choices=ETHNICITY_CHOICES, default="Kinh")
    religion = models.CharField(_("tôn giáo"), max_length=40, choices=RELIGION_CHOICES, default="Không")
    citizen_id = models.CharField(
        _("số CCCD"), max_length=12, blank=True, validators=[validate_citizen_id]
    )
    phone = models.CharField(_("điện thoại"), max_length=11, blank=True, validators=[phone_validator])
    email = models.EmailField(_("email"), blank=True, validators=[EmailValidator()])
    residence_address = models.CharField(_("nơi ở hiện nay"), max_length=255, blank=True)
    occupation = models.CharField(_("nghề nghiệp"), max_length=120, blank=True)
    workplace = models.CharField(_("nơi làm việc"), max_length=200, blank=True)
    general_education = models.CharField(_("giáo dục phổ thông"), max_length=10, blank=True,
                                         help_text=_("Ví dụ 12/12, 10/10"))
    professional_degree = models.CharField(_("chuyên môn"), max_length=16, choices=Degree.choices, blank=True)
    theory_level = models.CharField(_("lý luận chính trị"), max_length=16, choices=TheoryLevel.choices, blank=True)
    state_management_level = models.CharField(
        _("quản lý nhà nước"), max_length=16, choices=StateManagementLevel.choices, blank=True
    )

    class Meta:
        abstract = True


def profile_problems(*, citizen_id, sex, date_of_birth, admission_date, official_date):
    """Member.clean's checks across fields, as {field: message}; the importer runs them without a model."""
    errors = {}
    if citizen_id:
        problem = citizen_id_problem(citizen_id, sex=sex, date_of_birth=date_of_birth)
        if problem:
            errors["citizen_id"] = problem
    if date_of_birth and admission_date and admission_date <= date_of_birth:
        errors["admission_date"] = _("Ngày vào Đảng phải sau ngày sinh.")
    if official_date and admission_date and official_date < admission_date:
        errors["official_date"] = _("Ngày chính thức không được trước ngày vào Đảng.")
    return errors


class Member(Person):
    """A party member with the fields of the 2-HSĐV profile.

    ``status`` caches the latest ``StatusEvent``; the events are the record.
    ``organization`` is the home cell, where the member is on the roll.
    """

    admission_date = models.DateField(_("ngày vào Đảng"))
    official_date = models.DateField(_("ngày chính thức"), null=True, blank=True)
    card_number = models.CharField(
        _("số thẻ đảng viên"), max_length=12, null=True, blank=True, unique=True, validators=[card_validator]
    )
    card_issued_on = models.DateField(_("ngày cấp thẻ"), null=True, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="members"
    )
    status = models.CharField(_("tình trạng"), max_length=16, choices=Status.choices, default=Status.PROBATIONARY)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="member",
    )
    search_key = models.CharField(max_length=120, editable=False, default="", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["search_key"])
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        ordering = ["organization__path", "search_key", "pk"]
        indexes = [
            models.Index(fields=["organization", "status"], name="member_org_status"),
            models.Index(fields=["citizen_id"], name="member_citizen_id"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["citizen_id"], condition=~Q(citizen_id=""), name="member_unique_cccd"),
            models.CheckConstraint(
                condition=Q(official_date__isnull=True) | Q(official_date__gte=models.F("admission_date")),
                name="member_official_after_admission",
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.full_name)
        if self.card_number == "":
            self.card_number = None
        super().save(*args, **kwargs)

    def clean(self):
        errors = profile_problems(citizen_id=self.citizen_id, sex=self.sex, date_of_birth=self.date_of_birth,
                                  admission_date=self.admission_date, official_date=self.official_date)
        if errors:
            raise ValidationError(errors)

    @property
    def is_exempt(self):
        return self.status == Status.EXEMPT

    def age_on(self, on):
        born = self.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def party_age_days(self, on, events=None):
        """Days of party age on a date (Điều lệ Đảng, Điều 5; DOMAIN §1.15).

        Counted from the admission date, minus the periods between leaving the
        Party (xóa tên, khai trừ) and being admitted again.
        """
        if on < self.admission_date:
            return 0
        if events is None:
            events = list(self.status_events.order_by("effective_on", "pk"))
        total = (on - self.admission_date).days
        left_on = None
        for event in events:
            if event.effective_on > on:
                break
            if event.status in LEFT_PARTY and left_on is None:
                left_on = event.effective_on
            elif event.status == Status.PROBATIONARY and left_on is not None:
                total -= (event.effective_on - left_on).days
                left_on = None
        if left_on is not None:
            total -= (on - left_on).days
        return max(total, 0)

    def party_age_years(self, on, events=None):
        return self.party_age_days(on, events) // 365


class StatusEvent(models.Model):
    """A dated change of a member's status, with its reason and deciding document."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_events")
    status = models.CharField(_("tình trạng"), max_length=16, choices=Status.choices)
    effective_on = models.DateField(_("từ ngày"))
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    decision_reference = models.CharField(_("quyết định số"), max_length=80, blank=True,
                                          help_text=_("Ví dụ 125-QĐ/ĐU ngày 12/3/2026"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("biến động tình trạng")
        verbose_name_plural = _("biến động tình trạng")
        ordering = ["member", "effective_on", "pk"]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()} {self.effective_on:%d/%m/%Y}"


class Transfer(models.Model):
    """Moving a member's party activity (chuyển sinh hoạt đảng), DOMAIN §2.

    Either side may be outside the system, then only its name is kept.
    A temporary transfer keeps the member on the home roll; the receiving cell
    lists them but does not count them (294-QĐ/TW §6.3).
    """

    class Kind(models.TextChoices):
        PERMANENT = "permanent", _("Chính thức")
        TEMPORARY = "temporary", _("Tạm thời")

    class State(models.TextChoices):
        PENDING = "pending", _("Đang làm thủ tục")
        COMPLETED = "completed", _("Đã tiếp nhận")
        ENDED = "ended", _("Đã kết thúc (tạm thời)")
        CANCELLED = "cancelled", _("Đã hủy")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING)
    from_organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("nơi chuyển đi"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="transfers_out",
    )
    from_text = models.CharField(_("nơi chuyển đi (ngoài hệ thống)"), max_length=200, blank=True)
    to_organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("nơi chuyển đến"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="transfers_in",
    )
    to_text = models.CharField(_("nơi chuyển đến (ngoài hệ thống)"), max_length=200, blank=True)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    moved_on = models.DateField(_("ngày quyết định có hiệu lực / chuyển nơi ở"))
    letter_number = models.CharField(_("số giấy giới thiệu"), max_length=60, blank=True)
    letter_date = models.DateField(_("ngày giấy giới thiệu"), null=True, blank=True)
    presented_on = models.DateField(_("ngày trình giấy tại nơi đến"), null=True, blank=True)
    ends_on = models.DateField(_("đến ngày (tạm thời)"), null=True, blank=True)
    ended_on = models.DateField(_("ngày thực tế kết thúc (tạm thời)"), null=True, blank=True)
    # Full-time training may be a temporary transfer up to 24 months (294-QĐ/TW §6.3.2).
    for_training = models.BooleanField(_("đi học tập trung"), default=False)
    late_reason = models.CharField(_("lý do chậm"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chuyển sinh hoạt đảng")
        verbose_name_plural = _("chuyển sinh hoạt đảng")
        ordering = ["-moved_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_organization__isnull=False) | ~Q(from_text=""), name="transfer_has_origin"
            ),
            models.CheckConstraint(
                condition=Q(to_organization__isnull=False) | ~Q(to_text=""), name="transfer_has_destination"
            ),
        ]

    def __str__(self):
        return f"{self.member} → {self.to_organization or self.to_text}"


class ResidenceContact(models.Model):
    """A working member's link with the residential cell where they live (213-QĐ/TW 2020)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="residence_contacts")
    residential_cell = models.ForeignKey(
        "organizations.Organization", verbose_name=_("chi bộ nơi cư trú"), on_delete=models.PROTECT,
        related_name="residence_contacts",
    )
    address = models.CharField(_("địa chỉ cư trú"), max_length=255, blank=True)
    introduced_on = models.DateField(_("ngày giới thiệu về nơi cư trú"))
    # HD 33-HD/BTCTW: army and police in barracks, mobile workers, full-time
    # trainees... are introduced but exempt from residence activity.
    exempt_from_activity = models.BooleanField(_("miễn sinh hoạt nơi cư trú"), default=False)
    exemption_reason = models.CharField(_("lý do miễn"), max_length=200, blank=True)
    ended_on = models.DateField(_("kết thúc"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đảng viên sinh hoạt nơi cư trú")
        verbose_name_plural = _("đảng viên sinh hoạt nơi cư trú")
        ordering = ["residential_cell", "member__search_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(ended_on__isnull=True), name="residence_contact_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.member} @ {self.residential_cell}"


class ResidenceMeeting(models.Model):
    """A meeting of the residential cell with its working members (every 6 months, 213 Art.4)."""

    residential_cell = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="residence_meetings"
    )
    held_on = models.DateField(_("ngày họp"))
    content = models.TextField(_("nội dung"), blank=True)
    attendees = models.ManyToManyField(ResidenceContact, verbose_name=_("đảng viên dự"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-held_on"]


class ResidenceComment(models.Model):
    """The residential cell's yearly comment on a working member, sent to the workplace."""

    contact = models.ForeignKey(ResidenceContact, on_delete=models.CASCADE, related_name="comments")
    year = models.PositiveSmallIntegerField(_("năm"))
    comment = models.TextField(_("nhận xét"))
    commented_on = models.DateField(_("ngày nhận xét"))
    sent_on = models.DateField(_("ngày gửi nơi công tác"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["contact", "year"], name="residence_comment_once_a_year")]


class ExemptionRequest(models.Model):
    """A request to be exempted from party work and activities (24-QĐ/TW §7.1, DOMAIN §2)."""

    class Kind(models.TextChoices):
        EXEMPT = "exempt", _("Miễn công tác và sinh hoạt đảng")
        TEMPORARY = "temporary", _("Tạm miễn sinh hoạt")
        RETURN = "return", _("Trở lại sinh hoạt")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Chờ chi bộ xem xét")
        APPROVED = "approved", _("Chi bộ đồng ý")
        REJECTED = "rejected", _("Chi bộ không đồng ý")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="exemption_requests")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("lý do"), max_length=300)
    requested_on = models.DateField(_("ngày làm đơn"))
    until = models.DateField(_("đến ngày (tạm miễn)"), null=True, blank=True)
    decision = models.CharField(_("quyết định"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_on = models.DateField(_("ngày chi bộ quyết định"), null=True, blank=True)
    decision_reference = models.CharField(_("nghị quyết, biên bản số"), max_length=80, blank=True)
    superior_informed_on = models.DateField(_("ngày báo cáo cấp ủy cấp trên"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_on", "-pk"]


class CorrectionRequest(models.Model):
    """A member's request to correct their own profile; the office approves it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REJECTED = "rejected", _("Không duyệt")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="correction_requests")
    field = models.CharField(_("thông tin"), max_length=40)
    current_value = models.CharField(_("đang ghi"), max_length=255, blank=True)
    proposed_value = models.CharField(_("đề nghị sửa thành"), max_length=255)
    note = models.CharField(_("ghi chú, giấy tờ kèm theo"), max_length=300, blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("ý kiến"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at"]

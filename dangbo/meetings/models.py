"""Cell meetings: the yearly plan, preparation, attendance, votes, minutes, leaders' visits."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Meeting(models.Model):
    """A cell meeting (sinh hoạt chi bộ): monthly regular, thematic, or both in one session.

    CT 50-CT/TW and HD 42-HD/BTCTW 2025: a regular meeting every month, a thematic
    one at least once a quarter (DOMAIN §4.1–4.5).
    """

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Thường kỳ")
        THEMATIC = "thematic", _("Chuyên đề")
        COMBINED = "combined", _("Thường kỳ kết hợp chuyên đề")
        EXTRAORDINARY = "extraordinary", _("Bất thường")

    class State(models.TextChoices):
        PLANNED = "planned", _("Dự kiến")
        PREPARING = "preparing", _("Đang chuẩn bị")
        NOTIFIED = "notified", _("Đã thông báo")
        HELD = "held", _("Đã họp")
        CANCELLED = "cancelled", _("Hủy")

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    state = models.CharField(_("trạng thái"), max_length=12, choices=State.choices, default=State.PLANNED)
    title = models.CharField(_("tên buổi sinh hoạt"), max_length=200, blank=True)
    theme = models.CharField(_("chủ đề"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    planned = models.BooleanField(_("theo kế hoạch năm"), default=True)
    scheduled_at = models.DateTimeField(_("thời gian"))
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    # HD 42 preparation steps (DOMAIN §4.5).
    content_drafter = models.ForeignKey("members.Member", verbose_name=_("người dự thảo nội dung"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="+")
    resolution_drafter = models.ForeignKey("members.Member", verbose_name=_("người dự thảo nghị quyết"), null=True,
                                           blank=True, on_delete=models.SET_NULL, related_name="+")
    committee_agreed_on = models.DateField(_("chi ủy thống nhất nội dung ngày"), null=True, blank=True)
    notified_at = models.DateTimeField(_("đã thông báo lúc"), null=True, blank=True)
    # What happened.
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    chair = models.ForeignKey("members.Member", verbose_name=_("chủ trì"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    minute_taker = models.ForeignKey("members.Member", verbose_name=_("thư ký"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    guests = models.CharField(_("đại biểu dự"), max_length=300, blank=True)
    checkin_token = models.CharField(max_length=32, blank=True, editable=False)
    resolution_document = models.ForeignKey("documents.Document", verbose_name=_("nghị quyết"), null=True,
                                            blank=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords(excluded_fields=["checkin_token"])

    class Meta:
        verbose_name = _("buổi sinh hoạt chi bộ")
        verbose_name_plural = _("buổi sinh hoạt chi bộ")
        ordering = ["organization", "scheduled_at"]
        indexes = [models.Index(fields=["organization", "year", "month"], name="meeting_org_month")]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {self.month:02d}/{self.year}"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def duration_minutes(self):
        if self.started_at and self.ended_at:
            return int((self.ended_at - self.started_at).total_seconds() // 60)
        return None


class Material(models.Model):
    """A document members read before the meeting (posted ≥ the rule's days before, HD 42)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("tên tài liệu"), max_length=200)
    file = models.FileField(_("tệp"), upload_to="meetings/%Y/%m/", blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    published_at = models.DateTimeField(_("đăng lúc"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["published_at"]


class AgendaItem(models.Model):
    """One item of the agenda; speakers and votes hang on it."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Báo cáo, thông tin")
        DISCUSSION = "discussion", _("Thảo luận")
        RESOLUTION = "resolution", _("Biểu quyết nghị quyết")
        ADMISSION = "admission", _("Xét kết nạp đảng viên")
        RECOGNITION = "recognition", _("Xét công nhận đảng viên chính thức")
        OTHER = "other", _("Khác")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.DISCUSSION)
    title = models.CharField(_("nội dung"), max_length=300)
    presenter = models.CharField(_("người trình bày"), max_length=120, blank=True)
    conclusion = models.TextField(_("kết luận của chủ trì"), blank=True)
    # Set by the admissions capability when the item decides on a candidate or a probationary member.
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "order", "pk"]


class Attendance(models.Model):
    """One member's presence at a meeting. One row per (meeting, member), ever.

    ``kind`` is the member's standing on the meeting date, kept so that the
    minutes and the vote base stay right when the member's status changes later.
    """

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Chính thức")
        PROBATIONARY = "probationary", _("Dự bị")
        TEMPORARY = "temporary", _("Sinh hoạt tạm thời")
        EXEMPT = "exempt", _("Miễn sinh hoạt")

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("Chưa điểm danh")
        PRESENT = "present", _("Có mặt")
        EXCUSED = "excused", _("Vắng có lý do")
        UNEXCUSED = "unexcused", _("Vắng không lý do")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="attendance")
    kind = models.CharField(_("đối tượng"), max_length=14, choices=Kind.choices)
    status = models.CharField(_("điểm danh"), max_length=10, choices=Status.choices, default=Status.UNKNOWN)
    reason = models.CharField(_("lý do vắng"), max_length=200, blank=True)
    # §4.8: official members absent for the whole meeting with the committee's approval
    # leave the vote base; suspended/prosecuted/detained ones too.
    approved_absence = models.BooleanField(_("vắng được cấp ủy đồng ý"), default=False)
    suspended = models.BooleanField(_("đang bị đình chỉ, tạm giam"), default=False)
    arrived_at = models.TimeField(_("đến muộn lúc"), null=True, blank=True)
    left_at = models.TimeField(_("về sớm lúc"), null=True, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "member__search_key"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member")]


class Vote(models.Model):
    """The result of a show of hands on an agenda item, with why it passed or failed."""

    class Rule(models.TextChoices):
        MAJORITY = "majority", _("Quá nửa số đảng viên chính thức (trừ số được miễn)")
        TWO_THIRDS = "two_thirds", _("Từ hai phần ba số đảng viên chính thức")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    question = models.CharField(_("nội dung biểu quyết"), max_length=300)
    rule = models.CharField(_("cách tính"), max_length=12, choices=Rule.choices, default=Rule.MAJORITY)
    base = models.PositiveIntegerField(_("số tính"))
    yes = models.PositiveIntegerField(_("tán thành"))
    no = models.PositiveIntegerField(_("không tán thành"), default=0)
    abstain = models.PositiveIntegerField(_("không biểu quyết"), default=0)
    passed = models.BooleanField(_("thông qua"))
    explanation = models.CharField(_("giải thích"), max_length=400)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "pk"]


class Speech(models.Model):
    """A speaker's opinion on an agenda item, by name (HD 12 §II; DOMAIN §4.7)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="speeches")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    speaker_name = models.CharField(_("người phát biểu"), max_length=120)
    opinion = models.TextField(_("ý kiến"))

    class Meta:
        ordering = ["item", "pk"]


class Minutes(models.Model):
    """The minutes (biên bản): read back and locked; afterwards only recorded corrections."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    opening = models.TextField(_("khai mạc, tuyên bố lý do"), blank=True)
    other_notes = models.TextField(_("nội dung khác"), blank=True)
    closing = models.TextField(_("bế mạc"), blank=True)
    read_back = models.BooleanField(_("đã đọc lại trước chi bộ"), default=False)
    locked_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    @property
    def is_locked(self):
        return self.locked_at is not None


class MinutesCorrection(models.Model):
    """A correction to locked minutes: the original stays, the correction is added."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(_("nội dung đính chính"))
    reason = models.CharField(_("lý do"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]


class VisitAssignment(models.Model):
    """A committee member assigned to follow a cell and attend its meetings (KH 82 model)."""

    committee = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cấp ủy viên"), on_delete=models.PROTECT,
                               related_name="visit_assignments")
    cell = models.ForeignKey("organizations.Organization", verbose_name=_("chi bộ"), on_delete=models.PROTECT,
                             related_name="visit_assignments")
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cell", "starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="visit_assignment_range"),
        ]


class MeetingVisit(models.Model):
    """A leader's attendance at a cell meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="visits")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_visits")
    attended = models.BooleanField(_("có dự"), default=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "leader"], name="visit_once_per_leader")]


class CollectedOpinion(models.Model):
    """An opinion or recommendation a leader collected at a meeting, to be handled as feedback."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="opinions")
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_by_member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")
    raised_by_name = models.CharField(_("người nêu"), max_length=120)
    content = models.TextField(_("nội dung ý kiến, kiến nghị"))
    handled = models.BooleanField(_("đã chuyển xử lý"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class AbsenceFlag(models.Model):
    """A member absent without valid reason in the rule's number of months in a year.

    A proposal the cell decides on (removal ground, DOMAIN §2), never an automatic removal.
    """

    class Decision(models.TextChoices):
        PENDING = "pending", _("Chờ chi bộ xem xét")
        PROPOSED = "proposed", _("Chi bộ đề nghị xóa tên")
        DISMISSED = "dismissed", _("Chi bộ không đề nghị")

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="absence_flags")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    months = models.JSONField(default=list)
    raised_on = models.DateField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="absence_flag_once_a_year")]

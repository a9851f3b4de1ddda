"""Admissions: candidates, the awareness course, the dossier, the decision, probation, recognition."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangbo.lib.vntext import search_key
from dangbo.members.models import Person
from dangbo.members.validators import citizen_id_problem


class Step(models.TextChoices):
    """Where a candidate stands; kept on the row (set only by actions) so steps can be counted."""

    PROPOSED = "proposed", _("Được giới thiệu")
    COURSE = "course", _("Học lớp nhận thức về Đảng")
    DOSSIER = "dossier", _("Hoàn thiện hồ sơ")
    CELL_VOTE = "cell_vote", _("Chờ chi bộ xét kết nạp")
    COMMITTEE_DECISION = "committee_decision", _("Chờ đảng ủy quyết định kết nạp")
    CEREMONY = "ceremony", _("Chờ lễ kết nạp")
    PROBATION = "probation", _("Đảng viên dự bị")
    RECOGNITION_VOTE = "recognition_vote", _("Chờ chi bộ xét công nhận chính thức")
    RECOGNITION_DECISION = "recognition_decision", _("Chờ đảng ủy quyết định công nhận")
    OFFICIAL = "official", _("Đã công nhận đảng viên chính thức")
    REMOVAL_PROPOSED = "removal_proposed", _("Chi bộ đề nghị xóa tên")
    WITHDRAWN = "withdrawn", _("Dừng xem xét")


# Before the cell has voted: the dossier may still change.
BEFORE_VOTE = (Step.PROPOSED, Step.COURSE, Step.DOSSIER, Step.CELL_VOTE)
# A probationary member of the registry.
IN_PROBATION = (Step.PROBATION, Step.RECOGNITION_VOTE, Step.RECOGNITION_DECISION)
CLOSED = (Step.OFFICIAL, Step.REMOVAL_PROPOSED, Step.WITHDRAWN)


class Proposer(models.TextChoices):
    CELL = "cell", _("Chi bộ")
    YOUTH_UNION = "youth_union", _("Đoàn Thanh niên")
    TRADE_UNION = "trade_union", _("Công đoàn")
    WOMEN_UNION = "women_union", _("Hội Liên hiệp Phụ nữ")
    VETERANS = "veterans", _("Hội Cựu chiến binh")
    FARMERS = "farmers", _("Hội Nông dân")
    FRONT = "front", _("Mặt trận Tổ quốc")
    OTHER = "other", _("Tổ chức khác")


class CandidateQuerySet(models.QuerySet):
    def search(self, text):
        key = search_key(text or "")
        return self.filter(search_key__contains=key) if key else self

    def open(self):
        return self.exclude(step__in=CLOSED)


class Candidate(Person):
    """An outstanding non-member (quần chúng ưu tú) a cell prepares for admission.

    Holds the person's data with the member profile's fields, so that admission
    copies them to the registry unchanged. ``organization`` is the cell following
    the candidate; ``helper`` the member it assigned to help (and, in probation,
    the official member helping the new member, Điều lệ Điều 5).
    """

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("chi bộ theo dõi"), on_delete=models.PROTECT,
        related_name="candidates",
    )
    step = models.CharField(_("bước"), max_length=24, choices=Step.choices, default=Step.PROPOSED, db_index=True)
    proposed_by = models.CharField(_("giới thiệu bởi"), max_length=16, choices=Proposer.choices, default=Proposer.CELL)
    proposer_name = models.CharField(_("tên tổ chức giới thiệu"), max_length=200, blank=True,
                                     help_text=_("Ví dụ Chi đoàn Khối 1"))
    proposed_on = models.DateField(_("ngày giới thiệu"))
    helper = models.ForeignKey(
        "members.Member", verbose_name=_("đảng viên giúp đỡ"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="helped_candidates",
    )
    helper_since = models.DateField(_("giúp đỡ từ ngày"), null=True, blank=True)

    # The person: the fields of the member profile (2-HSĐV) come from members.Person.

    # Conditions of DOMAIN §1.2–1.4.
    lower_secondary_diploma = models.BooleanField(
        _("có bằng tốt nghiệp THCS trở lên"), default=False,
        help_text=_("Quy định 294-QĐ/TW: bằng tốt nghiệp trung học cơ sở trở lên"),
    )
    education_exception = models.CharField(
        _("trường hợp đặc biệt về học vấn"), max_length=300, blank=True,
        help_text=_("Vùng cao, hải đảo, đồng bào dân tộc, vùng khó khăn theo hướng dẫn của Ban Bí thư: ghi căn cứ"),
    )
    youth_union_at_place = models.BooleanField(
        _("nơi cư trú, công tác có tổ chức Đoàn"), default=True,
        help_text=_("Người trong độ tuổi Đoàn ở nơi có tổ chức Đoàn phải được Ban Chấp hành Đoàn cơ sở giới thiệu"),
    )
    over_age_consent_reference = models.CharField(
        _("văn bản đồng ý kết nạp người trên 60 tuổi"), max_length=120, blank=True,
        help_text=_("Của ban thường vụ cấp ủy trực thuộc Trung ương, ví dụ 215-CV/TU"),
    )
    over_age_consent_on = models.DateField(_("ngày văn bản đồng ý"), null=True, blank=True)

    closed_on = models.DateField(_("ngày dừng"), null=True, blank=True)
    closed_reason = models.CharField(_("lý do dừng"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    search_key = models.CharField(max_length=120, editable=False, default="", db_index=True)

    history = HistoricalRecords(excluded_fields=["search_key"])
    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("quần chúng ưu tú")
        verbose_name_plural = _("quần chúng ưu tú")
        ordering = ["organization__path", "search_key", "pk"]
        indexes = [models.Index(fields=["organization", "step"], name="candidate_org_step")]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"], condition=~Q(citizen_id="") & ~Q(step__in=["withdrawn"]),
                name="candidate_unique_open_cccd",
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("admissions:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.full_name)
        super().save(*args, **kwargs)

    def clean(self):
        if self.citizen_id:
            problem = citizen_id_problem(self.citizen_id, sex=self.sex, date_of_birth=self.date_of_birth)
            if problem:
                raise ValidationError({"citizen_id": problem})

    @property
    def is_open(self):
        return self.step not in CLOSED

    @property
    def step_class(self):
        """The badge's CSS class (dangbo/static/dangbo/site.css) for the step."""
        if self.step == Step.OFFICIAL:
            return "status-official"
        if self.step in (Step.WITHDRAWN, Step.REMOVAL_PROPOSED):
            return "closed"
        if self.step in (Step.CEREMONY,) + IN_PROBATION:
            return "status-probationary"
        return "cell"

    @property
    def committee(self):
        """The committee that decides (DOMAIN §1.9: the ward committee above the cell)."""
        return self.organization.parent


class AwarenessCourse(models.Model):
    """A course of the awareness class on the Party (lớp bồi dưỡng nhận thức về Đảng).

    The issuer used to be the district political centre, which no longer exists
    (DOMAIN §1.6, CFG): the organizer is free text.
    """

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("đảng bộ mở lớp"), on_delete=models.PROTECT,
        related_name="awareness_courses",
    )
    title = models.CharField(_("tên lớp"), max_length=200)
    organizer = models.CharField(_("đơn vị tổ chức"), max_length=200,
                                 help_text=_("Ví dụ Trung tâm Chính trị, Đảng ủy phường"))
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    starts_on = models.DateField(_("khai giảng"))
    ends_on = models.DateField(_("bế giảng"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lớp bồi dưỡng nhận thức về Đảng")
        verbose_name_plural = _("lớp bồi dưỡng nhận thức về Đảng")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="course_dates_in_order"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("admissions:course", args=[self.pk])


class CourseSession(models.Model):
    """One session of a course: its day, topic and lecturer."""

    course = models.ForeignKey(AwarenessCourse, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("ngày học"))
    topic = models.CharField(_("chuyên đề"), max_length=300)
    lecturer = models.CharField(_("báo cáo viên"), max_length=120, blank=True)

    class Meta:
        ordering = ["course", "held_on", "pk"]


class Enrolment(models.Model):
    """A candidate attending a course."""

    course = models.ForeignKey(AwarenessCourse, on_delete=models.PROTECT, related_name="enrolments")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_on = models.DateField(_("ngày ghi danh"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["course", "candidate__search_key"]
        constraints = [models.UniqueConstraint(fields=["course", "candidate"], name="enrolment_once_per_course")]


class Certificate(models.Model):
    """The awareness-course certificate (giấy chứng nhận), valid for the rule's months (DOMAIN §1.6)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey(AwarenessCourse, verbose_name=_("lớp"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="certificates")
    number = models.CharField(_("số giấy chứng nhận"), max_length=60)
    issued_on = models.DateField(_("ngày cấp"))
    issuer = models.CharField(_("nơi cấp"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate", "-issued_on", "-pk"]

    def __str__(self):
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class DossierKind(models.TextChoices):
    APPLICATION = "application", _("Đơn xin vào Đảng")
    PERSONAL_HISTORY = "personal_history", _("Lý lịch của người xin vào Đảng")
    HISTORY_VERIFICATION = "history_verification", _("Kết quả thẩm tra lý lịch")
    RESIDENCE_COMMENT = "residence_comment", _("Nhận xét của chi ủy, chi bộ nơi cư trú")
    MASS_ORG_COMMENT = "mass_org_comment", _("Nhận xét của đoàn thể chính trị - xã hội")


# Hướng dẫn 01-HD/TW (DOMAIN §1.7): redone when the dossier is over 12 months old;
# the introducers' letters and the unions' resolutions are Introducer rows.
FIXED_KINDS = (DossierKind.APPLICATION, DossierKind.PERSONAL_HISTORY, DossierKind.HISTORY_VERIFICATION)
RENEWABLE_KINDS = (DossierKind.RESIDENCE_COMMENT, DossierKind.MASS_ORG_COMMENT)


class DossierDocument(models.Model):
    """One paper of the admission dossier (DOMAIN §1.4, §1.7); a redone paper is a newer row of its kind."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="dossier_documents")
    kind = models.CharField(_("giấy tờ"), max_length=24, choices=DossierKind.choices)
    dated_on = models.DateField(_("ngày lập"))
    reference = models.CharField(_("số, người ký"), max_length=200, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate", "kind", "-dated_on", "-pk"]


class Introducer(models.Model):
    """Who introduces the candidate (DOMAIN §1.4–1.5): an official member, or the grassroots
    Youth Union or trade-union executive by a resolution."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Đảng viên chính thức")
        YOUTH_UNION = "youth_union", _("Ban Chấp hành Đoàn cơ sở")
        TRADE_UNION = "trade_union", _("Ban Chấp hành Công đoàn cơ sở")

    class Relation(models.TextChoices):
        WORK = "work", _("Cùng công tác")
        STUDY = "study", _("Cùng học tập")
        RESIDENCE = "residence", _("Cùng cư trú")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="introducers")
    kind = models.CharField(_("người giới thiệu"), max_length=12, choices=Kind.choices, default=Kind.MEMBER)
    member = models.ForeignKey("members.Member", verbose_name=_("đảng viên"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="introduced_candidates")
    union_name = models.CharField(_("tên tổ chức Đoàn, Công đoàn"), max_length=200, blank=True)
    relation = models.CharField(_("quan hệ"), max_length=10, choices=Relation.choices, blank=True)
    together_since = models.DateField(_("cùng công tác, học tập, cư trú từ"), null=True, blank=True)
    letter_on = models.DateField(_("ngày thư giới thiệu, nghị quyết giới thiệu"))
    reference = models.CharField(_("số nghị quyết"), max_length=80, blank=True)
    # Quy định 24-QĐ/TW §3.2.2: a replacement assigned by the cell needs no 12 months together.
    replaces = models.ForeignKey("self", verbose_name=_("thay cho"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="replaced_by")
    ended_on = models.DateField(_("thôi giới thiệu từ"), null=True, blank=True)
    end_reason = models.CharField(_("lý do"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="member", member__isnull=False) | (~Q(kind="member") & ~Q(union_name="")),
                name="introducer_member_or_union",
            ),
        ]

    def __str__(self):
        return str(self.member) if self.member_id else self.union_name

    @property
    def is_replacement(self):
        return self.replaces_id is not None

    @property
    def is_active(self):
        return self.ended_on is None


class Admission(models.Model):
    """The candidate's path from the cell's vote to recognition as an official member.

    Created when the case is put to the cell's vote. Dates here are the events'
    own (meeting, decision, receipt, ceremony), by which every rule is applied.
    """

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="admission")
    # The cell's consideration (DOMAIN §1.8): the latest admission item put to a meeting.
    cell_item = models.ForeignKey("meetings.AgendaItem", verbose_name=_("nội dung xét kết nạp"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    cell_meeting_on = models.DateField(_("ngày chi bộ xét"), null=True, blank=True)
    cell_passed_on = models.DateField(_("ngày chi bộ đề nghị kết nạp"), null=True, blank=True)
    age_months_at_meeting = models.PositiveIntegerField(_("tuổi (tháng) ngày chi bộ xét"), null=True, blank=True,
                                                        editable=False)
    # The committee's decision (DOMAIN §1.9), numbered through the document register.
    decision = models.ForeignKey("documents.Document", verbose_name=_("quyết định kết nạp"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("ngày quyết định kết nạp"), null=True, blank=True)
    age_months_at_decision = models.PositiveIntegerField(_("tuổi (tháng) ngày quyết định"), null=True, blank=True,
                                                         editable=False)
    member = models.OneToOneField("members.Member", verbose_name=_("hồ sơ đảng viên"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="admission_record")
    received_on = models.DateField(_("ngày chi bộ nhận quyết định"), null=True, blank=True)
    # The ceremony (DOMAIN §1.10), with the superior's consent when late.
    ceremony_on = models.DateField(_("ngày lễ kết nạp"), null=True, blank=True)
    ceremony_consent_reference = models.CharField(_("văn bản đồng ý tổ chức lễ muộn"), max_length=120, blank=True)
    ceremony_consent_on = models.DateField(_("ngày đồng ý"), null=True, blank=True)
    probation_ends_on = models.DateField(_("hết thời gian dự bị"), null=True, blank=True)
    # Recognition (DOMAIN §1.13–1.14).
    recognition_item = models.ForeignKey("meetings.AgendaItem", verbose_name=_("nội dung xét công nhận"), null=True,
                                         blank=True, on_delete=models.SET_NULL, related_name="+")
    recognition_meeting_on = models.DateField(_("ngày chi bộ xét công nhận"), null=True, blank=True)
    recognition_passed_on = models.DateField(_("ngày chi bộ đề nghị công nhận"), null=True, blank=True)
    recognition_decision = models.ForeignKey(
        "documents.Document", verbose_name=_("quyết định công nhận"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    recognized_on = models.DateField(_("ngày quyết định công nhận"), null=True, blank=True)
    # A probationary member found unfit: the cell's proposal, decided by the committee (DOMAIN §1.13).
    removal_proposed_on = models.DateField(_("ngày chi bộ đề nghị xóa tên"), null=True, blank=True)
    removal_reason = models.CharField(_("lý do đề nghị xóa tên"), max_length=300, blank=True)
    removal_reference = models.CharField(_("nghị quyết, biên bản của chi bộ"), max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kết nạp")
        verbose_name_plural = _("kết nạp")
        constraints = [
            models.CheckConstraint(
                condition=Q(ceremony_on__isnull=True) | Q(decided_on__isnull=False), name="admission_ceremony_after_decision",
            ),
        ]


class Notice(models.Model):
    """An in-app reminder of a deadline for one user; at most one per deadline and day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="admission_notices")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    key = models.CharField(max_length=80)
    day = models.DateField()
    state = models.CharField(max_length=10)
    due_on = models.DateField()
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "due_on", "pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]
        constraints = [models.UniqueConstraint(fields=["user", "key", "day"], name="notice_once_a_day")]

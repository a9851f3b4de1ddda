"""The yearly review of party members: the cell's scores, the evidence, the grade and the committee's approval."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The score is out of 100 points (Quy định 366-QĐ/TW, DOMAIN §5). How they split between
# general criteria and task results is a rule of the evaluated year (score_member checks
# it); the database refuses only what no split allows.
SCALE_POINTS = 100


class Grade(models.TextChoices):
    """The four grades, the same for members and organizations (124-QĐ/TW Art.12; GLOSSARY "Evaluation")."""

    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "completed", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETED = "not_completed", _("Không hoàn thành nhiệm vụ")


class MemberEvaluation(models.Model):
    """One member's review for one year, in the cell where they were on the roll when reviewed.

    The cell enters the points and the task counts (``dangbo.evaluations.actions.score_member``);
    ``classify_year`` fills the attendance evidence from the year's held meetings and the
    grades from the rules in force on 31/12 of the year. ``proposed_grade`` is what the
    points earn; ``grade`` is after the cap on "excellent" (``quota_reduced`` when the cap
    lowered it). Once the committee approves the cell's sheet the row is locked.
    Points left empty mean "not scored yet": such a row gets no grade.
    """

    year = models.PositiveSmallIntegerField(_("năm"))
    # Indexes kept to the three lookups (member and year, cell and year, pk): every index is
    # written again for each row a classification changes (see Meta and the migration).
    member = models.ForeignKey("members.Member", verbose_name=_("đảng viên"), on_delete=models.PROTECT,
                               related_name="evaluations", db_index=False)
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("chi bộ"),
                                     on_delete=models.PROTECT, related_name="member_evaluations", db_index=False)
    general_points = models.PositiveSmallIntegerField(_("điểm tiêu chí chung"), null=True, blank=True)
    task_points = models.PositiveSmallIntegerField(_("điểm kết quả thực hiện nhiệm vụ"), null=True, blank=True)
    tasks_assigned = models.PositiveIntegerField(_("số nhiệm vụ được giao"), default=0)
    tasks_on_time = models.PositiveIntegerField(_("số nhiệm vụ hoàn thành đúng hạn"), default=0)
    tasks_exceeding = models.PositiveIntegerField(_("số nhiệm vụ vượt yêu cầu"), default=0)
    shortcomings_fixed = models.BooleanField(_("đã khắc phục 100% hạn chế kỳ trước"), default=True)
    disciplined = models.BooleanField(_("bị kỷ luật trong năm"), default=False)
    self_corrected = models.BooleanField(_("tự phát hiện và khắc phục"), default=False)
    meetings_held = models.PositiveSmallIntegerField(_("số buổi sinh hoạt phải dự"), default=0)
    meetings_attended = models.PositiveSmallIntegerField(_("số buổi có mặt"), default=0)
    meetings_absent_unexcused = models.PositiveSmallIntegerField(_("số buổi vắng không lý do"), default=0)
    proposed_grade = models.CharField(_("xếp loại theo điểm"), max_length=16, choices=Grade.choices, null=True,
                                      blank=True)
    grade = models.CharField(_("xếp loại"), max_length=16, choices=Grade.choices, null=True, blank=True)
    quota_reduced = models.BooleanField(_("hạ do vượt tỷ lệ xuất sắc"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # The start of the last ClassificationRun that changed the row's evidence or grades.
    classified_at = models.DateTimeField(_("xếp loại lúc"), null=True, blank=True)
    approved_on = models.DateField(_("cấp ủy duyệt ngày"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người duyệt"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", db_index=False)

    # Scores and approvals are recorded here; what a classification computes is recorded by
    # its ClassificationRun (see dangbo/evaluations/classification.py).
    history = HistoricalRecords(no_db_index=["member", "organization", "approved_by"])

    class Meta:
        verbose_name = _("đánh giá, xếp loại đảng viên")
        verbose_name_plural = _("đánh giá, xếp loại đảng viên")
        ordering = ["organization", "member__search_key", "pk"]
        indexes = [models.Index(fields=["organization", "year"], name="evaluation_org_year")]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="evaluation_once_a_year"),
            models.CheckConstraint(condition=Q(general_points__isnull=True) | Q(general_points__lte=SCALE_POINTS),
                                   name="evaluation_general_points_range"),
            models.CheckConstraint(condition=Q(task_points__isnull=True) | Q(task_points__lte=SCALE_POINTS),
                                   name="evaluation_task_points_range"),
            models.CheckConstraint(condition=Q(tasks_on_time__lte=F("tasks_assigned")),
                                   name="evaluation_on_time_within_assigned"),
            models.CheckConstraint(condition=Q(tasks_exceeding__lte=F("tasks_assigned")),
                                   name="evaluation_exceeding_within_assigned"),
            models.CheckConstraint(condition=Q(self_corrected=False) | Q(disciplined=True),
                                   name="evaluation_self_corrected_needs_discipline"),
            models.CheckConstraint(condition=Q(approved_on__isnull=True) | Q(grade__isnull=False),
                                   name="evaluation_approved_has_grade"),
        ]

    def __str__(self):
        return f"{self.member} — {self.year}"

    @property
    def total_points(self):
        if self.general_points is None or self.task_points is None:
            return None
        return self.general_points + self.task_points

    @property
    def is_scored(self):
        return self.total_points is not None

    @property
    def is_approved(self):
        return self.approved_on is not None


class ClassificationRun(models.Model):
    """One run of ``classify_year``: who, when, over which organization, and what came out.

    It stands for the history of what the run computed: the rows it changed carry its
    ``started_at`` in ``classified_at``. It is also the state of a run queued for the worker.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ chạy")
        DONE = "done", _("Đã xếp loại")
        FAILED = "failed", _("Lỗi")

    organization = models.ForeignKey("organizations.Organization", verbose_name=_("phạm vi"),
                                     on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    state = models.CharField(_("trạng thái"), max_length=8, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("chạy lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    counts = models.JSONField(_("kết quả"), default=dict)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["organization", "year"], name="classification_run_org_year")]

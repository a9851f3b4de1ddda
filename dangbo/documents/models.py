"""The document register: issued and received documents, their numbers, recipients and tasks."""

import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangbo.lib.vntext import search_key
from dangbo.organizations.models import Organization, Term

# HD 36-HD/VPTW: congress documents share one series from 01, whatever their type.
CONGRESS_SERIES = "congress"
# Observed as the symbol of congress documents ("01-NQ/ĐH"); R, confirm per province.
CONGRESS_SYMBOL = "ĐH"


class DocumentType(models.Model):
    """A kind of Party document (Nghị quyết, Kế hoạch, ...): its code in the symbol and its PDF layout.

    A table, not code: whether a ward writes "QĐi" or "QĐ" for a Quy định is
    unsettled (DOMAIN §11, CFG), and provinces add their own kinds.
    """

    class Layout(models.TextChoices):
        RESOLUTION = "resolution", _("Nghị quyết")
        DECISION = "decision", _("Quyết định")
        NOTICE = "notice", _("Thông báo")
        PLAN = "plan", _("Kế hoạch")
        REPORT = "report", _("Báo cáo")
        DISPATCH = "dispatch", _("Công văn")
        MINUTES = "minutes", _("Biên bản")
        GENERIC = "generic", _("Văn bản khác")

    code = models.CharField(_("ký hiệu loại"), max_length=10, unique=True, help_text=_("Ví dụ NQ, KH, CV"))
    name = models.CharField(_("tên loại"), max_length=60, help_text=_("Ví dụ Nghị quyết"))
    layout = models.CharField(_("mẫu trình bày"), max_length=16, choices=Layout.choices, default=Layout.GENERIC)
    tracks_tasks = models.BooleanField(
        _("theo dõi nhiệm vụ"), default=False,
        help_text=_("Giao nhiệm vụ và theo dõi thực hiện (nghị quyết, kế hoạch, ...)"),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    active = models.BooleanField(_("đang dùng"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def title(self):
        """The type name as printed above the summary: "NGHỊ QUYẾT"."""
        return self.name.upper()


# (code, name, layout, tracks_tasks): DOMAIN §11, HD 36-HD/VPTW. Seeded by migration 0002.
DEFAULT_TYPES = [
    ("NQ", "Nghị quyết", "resolution", True),
    ("QĐ", "Quyết định", "decision", False),
    ("CT", "Chỉ thị", "generic", True),
    ("KL", "Kết luận", "generic", True),
    ("QC", "Quy chế", "generic", False),
    ("QĐi", "Quy định", "generic", False),
    ("HD", "Hướng dẫn", "generic", False),
    ("TB", "Thông báo", "notice", False),
    ("BC", "Báo cáo", "report", False),
    ("KH", "Kế hoạch", "plan", True),
    ("CTr", "Chương trình", "plan", True),
    ("TTr", "Tờ trình", "generic", False),
    ("ĐA", "Đề án", "generic", True),
    ("BB", "Biên bản", "minutes", False),
    ("CV", "Công văn", "dispatch", False),
]


def seed_default_types(model=DocumentType):
    """Create the §11 types that are missing; existing rows (maybe edited) stay as they are."""
    for position, (code, name, layout, tracks) in enumerate(DEFAULT_TYPES, start=1):
        model.objects.get_or_create(
            code=code, defaults={"name": name, "layout": layout, "tracks_tasks": tracks, "position": position * 10}
        )


def numbering_term(organization, on, *, congress=False):
    """The term whose series numbers a document of ``organization`` dated ``on``; None if none.

    HD 36-HD/VPTW: numbers restart the day after the congress closes, so a term's
    series starts then (or on ``starts_on`` when the closing date is not recorded),
    and lasts until the next term's series starts: the old committee keeps
    numbering until the new congress closes, whatever ``ends_on`` says.
    Congress documents, from the preparatory session to the closing day, belong
    to the congress that closes first on or after ``on``.
    """
    terms = list(Term.objects.filter(organization=organization))
    if congress:
        upcoming = [t for t in terms if t.congress_closed_on and t.congress_closed_on >= on]
        return min(upcoming, key=lambda t: t.congress_closed_on, default=None)

    def series_start(term):
        return term.congress_closed_on + timedelta(days=1) if term.congress_closed_on else term.starts_on

    started = [t for t in terms if series_start(t) <= on]
    return max(started, key=series_start, default=None)


def format_number(number):
    """Two digits at least: 1 → "01", 127 → "127" (HD 36-HD/VPTW)."""
    return f"{number:02d}"


_COMMITTEE_NAMES = [
    ("đảng bộ tỉnh ", "Tỉnh ủy "),
    ("đảng bộ thành phố ", "Thành ủy "),
    ("đảng bộ huyện ", "Huyện ủy "),
    ("đảng bộ quận ", "Quận ủy "),
    ("đảng bộ thị xã ", "Thị ủy "),
    ("đảng bộ ", "Đảng ủy "),
]
_BODY_PREFIXES = ["đảng bộ ", "chi bộ "]
_LEVEL_PREFIXES = ["thành phố ", "thị trấn ", "thị xã ", "phường ", "xã ", "tỉnh ", "huyện ", "quận ", "đặc khu "]


def _strip(name, prefixes):
    for prefix in prefixes:
        if name.lower().startswith(prefix):
            return name[len(prefix):], True
    return name, False


def issuer_header_name(organization):
    """The issuing body as printed top left: "Đảng bộ phường Vinh Hưng" → "ĐẢNG ỦY PHƯỜNG VINH HƯNG".

    A committee issues as its executive committee (Đảng ủy, Tỉnh ủy, ...); a cell as itself.
    """
    name = organization.name
    if not organization.is_cell:
        for prefix, committee in _COMMITTEE_NAMES:
            if name.lower().startswith(prefix):
                name = committee + name[len(prefix):]
                break
    return name.upper()


def superior_header_name(organization):
    """The superior party organization, printed above the issuer: "ĐẢNG BỘ TỈNH NGHỆ AN"."""
    return organization.parent.name.upper() if organization.parent_id else ""


def place_name(organization):
    """The place in the date line: the commune, ward or province the organization sits in.

    "Đảng bộ phường Vinh Hưng" and its cells give "Vinh Hưng"; an organization
    whose name says no such level ("Đảng bộ Công an phường") takes its nearest
    ancestor's that does, else its own name without "Đảng bộ"/"Chi bộ".
    """
    def level_place(org):
        place, is_level = _strip(_strip(org.name, _BODY_PREFIXES)[0], _LEVEL_PREFIXES)
        return place if is_level else None

    # The organization and its parent answer almost always; the rest of the chain costs a query.
    place = level_place(organization) or (organization.parent_id and level_place(organization.parent))
    if place:
        return place
    for org in organization.ancestors().filter(depth__lt=organization.depth - 1).order_by("-depth"):
        if place := level_place(org):
            return place
    return _strip(organization.name, _BODY_PREFIXES)[0]


class DocumentQuerySet(models.QuerySet):
    def search(self, text):
        """Accent-free match on the symbol, summary and sender: "nghi quyet" finds "Nghị quyết"."""
        key = search_key(text or "")
        return self.filter(search_key__contains=key) if key else self


class Document(models.Model):
    """One entry of an organization's register: a document it issues (đi) or receives (đến).

    An outgoing document is a draft without a number until it is issued
    (actions.issue_document); an incoming one keeps the sender's symbol in
    ``reference`` and never takes a number of ours.
    """

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("Văn bản đi")
        INCOMING = "incoming", _("Văn bản đến")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Có hiệu lực")
        REVOKED = "revoked", _("Đã thu hồi, bãi bỏ")
        REPLACED = "replaced", _("Đã bị thay thế")

    class Confidentiality(models.TextChoices):
        NORMAL = "normal", _("Thường")
        CONFIDENTIAL = "confidential", _("Mật")
        SECRET = "secret", _("Tối mật")
        TOP_SECRET = "top_secret", _("Tuyệt mật")

    organization = models.ForeignKey(
        Organization, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="documents",
        help_text=_("Tổ chức ban hành (văn bản đi) hoặc tổ chức nhận và vào sổ (văn bản đến)"),
    )
    direction = models.CharField(_("sổ"), max_length=10, choices=Direction.choices, default=Direction.OUTGOING)
    doc_type = models.ForeignKey(DocumentType, verbose_name=_("loại văn bản"), on_delete=models.PROTECT,
                                 related_name="documents")
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_congress = models.BooleanField(
        _("văn bản đại hội"), default=False, help_text=_("Văn bản của đại hội dùng chung một dãy số, ký hiệu ĐH")
    )
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    term = models.ForeignKey(Term, verbose_name=_("nhiệm kỳ"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="documents")
    series = models.CharField(_("dãy số"), max_length=16, blank=True)
    reference = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    summary = models.CharField(_("trích yếu"), max_length=500)
    body = models.TextField(_("nội dung"), blank=True)
    addressees = models.CharField(_("kính gửi"), max_length=300, blank=True)
    superior_name = models.CharField(_("tên cơ quan cấp trên"), max_length=200, blank=True)
    header_name = models.CharField(_("tên cơ quan ban hành"), max_length=200, blank=True)
    signing_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    second_signer_position = models.CharField(_("chức danh người ký thứ hai"), max_length=100, blank=True)
    second_signer_name = models.CharField(_("người ký thứ hai"), max_length=120, blank=True)
    recipients_text = models.TextField(_("nơi nhận"), blank=True)
    confidentiality = models.CharField(_("độ mật"), max_length=16, choices=Confidentiality.choices,
                                       default=Confidentiality.NORMAL)
    sender = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    received_on = models.DateField(_("ngày đến"), null=True, blank=True)
    revoked_on = models.DateField(_("ngày thu hồi, thay thế"), null=True, blank=True)
    revoke_reason = models.CharField(_("lý do"), max_length=300, blank=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("được thay thế bởi"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="replaces",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True, editable=False)
    search_key = models.CharField(max_length=800, editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_key"])
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-number", "-created_at"]
        indexes = [
            models.Index(fields=["organization", "direction", "status"], name="document_register"),
            models.Index(fields=["issued_on"], name="document_issued_on"),
        ]
        constraints = [
            # HD 36-HD/VPTW: one number per series of a term; only documents we issue take one.
            models.UniqueConstraint(
                fields=["organization", "term", "series", "number"],
                condition=Q(direction="outgoing", number__isnull=False),
                name="document_unique_number",
            ),
            models.CheckConstraint(
                condition=~Q(status="draft") | Q(number__isnull=True), name="document_draft_unnumbered"
            ),
            models.CheckConstraint(
                condition=~Q(direction="outgoing") | Q(status="draft")
                | Q(number__isnull=False, term__isnull=False, issued_on__isnull=False),
                name="document_issued_numbered",
            ),
            models.CheckConstraint(
                condition=~Q(direction="incoming") | (~Q(status="draft") & Q(issued_on__isnull=False)),
                name="document_incoming_registered",
            ),
            models.CheckConstraint(
                condition=~Q(status="replaced") | Q(replaced_by__isnull=False), name="document_replaced_link"
            ),
        ]

    def __str__(self):
        return f"{self.display_reference} {self.summary}".strip()

    def save(self, *args, **kwargs):
        self.search_key = search_key(f"{self.reference} {self.summary} {self.sender}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.pk])

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_outgoing(self):
        return self.direction == self.Direction.OUTGOING

    @property
    def in_force(self):
        return self.status == self.Status.ISSUED

    @property
    def layout(self):
        return self.doc_type.layout

    @property
    def symbol(self):
        """The issuer part of the symbol: the organization's, or "ĐH" for congress documents."""
        return CONGRESS_SYMBOL if self.is_congress else self.organization.symbol

    @property
    def display_reference(self):
        """"Số 09-NQ/ĐU" for ours, the sender's "82-KH/TU" as received, "" for a draft."""
        if not self.reference:
            return ""
        return f"Số {self.reference}" if self.is_outgoing else self.reference

    @property
    def status_label(self):
        if self.status == self.Status.ISSUED and not self.is_outgoing:
            return _("Đã vào sổ")
        return self.get_status_display()

    def numbered_reference(self, number):
        """The symbol this document gets with ``number``: "09-NQ/ĐU" (HD 36-HD/VPTW)."""
        return f"{format_number(number)}-{self.doc_type.code}/{self.symbol}"

    def draft_reference(self):
        """What a draft prints where the number goes: "Số      -NQ/ĐU"."""
        return f"Số {chr(0xA0) * 6}-{self.doc_type.code}/{self.symbol}"

    def date_line(self):
        """"Vinh Hưng, ngày 20 tháng 02 năm 2026"; a draft leaves day and month blank to fill in."""
        place = self.place or ""
        if self.issued_on:
            d = self.issued_on
            return f"{place}, ngày {d:%d} tháng {d:%m} năm {d:%Y}"
        blank = chr(0xA0) * 4
        return f"{place}, ngày{blank} tháng{blank} năm {timezone.localdate():%Y}"

    def decision_authority(self):
        """The deciding body printed under a decision's summary: "BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG VINH HƯNG"."""
        body = self.signing_authority.upper().removeprefix("T/M").strip()
        header = self.header_name.upper()
        if not body or header.startswith(body):
            return header
        return f"{body} {header}"

    def recipients_lines(self):
        return [line.strip() for line in self.recipients_text.splitlines() if line.strip()]


def attachment_path(instance, filename):
    """Files are stored under a random name; the original name is kept in the row."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file attached to a document (the signed scan, annexes). Served only through a scoped view."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name


class DocumentCounter(models.Model):
    """The last number taken in one series: (organization, term, type code or "congress").

    Locked with select_for_update while a document is issued, so two issuers
    queue and neither a number is given twice nor one skipped.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=16)
    last_number = models.PositiveIntegerField(default=0)
    last_issued_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "term", "series"], name="document_counter_unique"),
        ]

    def __str__(self):
        return f"{self.organization} {self.term.name} {self.series}: {self.last_number}"


class Delivery(models.Model):
    """A document sent to an organization (everyone holding a role in its subtree) or to one user."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="deliveries")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="document_deliveries")
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nơi nhận")
        verbose_name_plural = _("nơi nhận")
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, user__isnull=True)
                | Q(organization__isnull=True, user__isnull=False),
                name="delivery_one_recipient",
            ),
            models.UniqueConstraint(fields=["document", "organization"], condition=Q(organization__isnull=False),
                                    name="delivery_unique_organization"),
            models.UniqueConstraint(fields=["document", "user"], condition=Q(user__isnull=False),
                                    name="delivery_unique_user"),
        ]

    def __str__(self):
        return str(self.organization or self.user)


class ReadReceipt(models.Model):
    """A recipient confirmed reading a document; one row per document and user."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_receipts")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="read_receipt_unique"),
        ]


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=Task.State.OPEN)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(deadline__lt=today, document__status=Document.Status.ISSUED)


class Task(models.Model):
    """A task a resolution or plan assigns to an organization or a person, with a deadline."""

    class State(models.TextChoices):
        OPEN = "open", _("Đang thực hiện")
        DONE = "done", _("Hoàn thành")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="tasks")
    content = models.CharField(_("nội dung nhiệm vụ"), max_length=500)
    responsible_organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức chủ trì"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="document_tasks",
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người phụ trách"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="document_tasks",
    )
    deadline = models.DateField(_("thời hạn"))
    state = models.CharField(_("tình trạng"), max_length=8, choices=State.choices, default=State.OPEN)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    result = models.TextField(_("kết quả"), blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible_organization__isnull=False) | Q(responsible_user__isnull=False),
                name="task_has_responsible",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_percent"),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(completed_on__isnull=False), name="task_done_dated"
            ),
        ]

    def __str__(self):
        return self.content

    @property
    def responsible(self):
        """Who answers for the task, as shown: "Chi bộ Khối 1 — Lê Văn Nam"."""
        parts = [str(p) for p in (self.responsible_organization, self.responsible_user) if p]
        return " — ".join(parts)

    def is_overdue(self, today=None):
        """Open after its deadline (a task finished late is done, not overdue)."""
        today = today or timezone.localdate()
        return self.state == self.State.OPEN and self.deadline < today

    def display_state(self, today=None):
        if self.state == self.State.DONE:
            late = self.completed_on and self.completed_on > self.deadline
            return _("Hoàn thành (trễ hạn)") if late else _("Hoàn thành")
        if self.is_overdue(today):
            return _("Quá hạn")
        return _("Đang thực hiện") if self.progress else _("Chưa báo cáo")


class TaskReport(models.Model):
    """A progress or result report on a task, as the responsible side sent it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("ngày báo cáo"))
    content = models.TextField(_("nội dung báo cáo"))
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    done = models.BooleanField(_("đã hoàn thành"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-reported_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_report_progress_percent"),
        ]

"""Moves in and out of a member's party activity: transfers, residence contact, exemption."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dangbo.lib.deadlines import deadline_state, deadline_text
from dangbo.lib.dates import add_months, add_working_days, format_date
from dangbo.members.actions import _stamp, create_member, record_status
from dangbo.members.choices import ON_ROLL, Status
from dangbo.members.models import (
    ExemptionRequest, Member, ResidenceComment, ResidenceContact, ResidenceMeeting, Transfer,
)
from dangbo.organizations.models import Organization
from dangbo.rules.lookup import rule_or_none

# Rule keys (dangbo/rules/catalog.py).
START_DAYS = "transfer.start_working_days"
PRESENT_DAYS = "transfer.present_letter_working_days"
TEMPORARY_MIN_MONTHS = "transfer.temporary_min_months"
TEMPORARY_BELOW_MONTHS = "transfer.temporary_below_months"
TRAINING_MAX_MONTHS = "transfer.training_max_months"
RESIDENCE_MEETING_MONTHS = "residence.meeting_interval_months"

# A deadline this close (in working days) is shown as "sắp hết hạn"; a screen
# convention, not a regulation.

ACTIVE = (Status.OFFICIAL, Status.PROBATIONARY)


def _fail(field, message):
    raise ValidationError({field: message} if field else message)


def _check_on_roll(member):
    if member.status not in ON_ROLL:
        _fail(None, _("%(name)s không còn trong danh sách đảng viên của chi bộ (%(status)s).")
              % {"name": member.full_name, "status": member.get_status_display()})


def _check_not_before_admission(member, field, day):
    if day < member.admission_date:
        _fail(field, _("Ngày này trước ngày vào Đảng của %(name)s (%(date)s).")
              % {"name": member.full_name, "date": format_date(member.admission_date)})


# ---------------------------------------------------------------- transfers

@dataclass(frozen=True)
class Deadline:
    """One deadline of a transfer and where it stands on a given day."""

    name: str
    due: date
    done_on: date | None
    days: int

    def state(self, today):
        return deadline_state(self.due, self.done_on, today)

    def text(self, today):
        return deadline_text(self.due, self.done_on, today)




def start_deadline(transfer):
    """Quy định 294-QĐ/TW §6.3.1: start the procedure within 60 working days of the decision
    taking effect or of the move (the number comes from the rules, by ``moved_on``).

    The procedure counts as started when the introduction letter is issued.
    Only the sending side's deadline, so none for a transfer in from outside.
    """
    if transfer.from_organization_id is None:
        return None
    days = rule_or_none(START_DAYS, transfer.moved_on, transfer.from_organization)
    if days is None:
        return None
    return Deadline(_("Làm thủ tục chuyển"), add_working_days(transfer.moved_on, days), transfer.letter_date, days)


def present_deadline(transfer):
    """Quy định 294-QĐ/TW §6.3.1: present the letter to the receiving cell committee within
    30 working days of the letter's date (the number from the rules, by ``letter_date``)."""
    if transfer.letter_date is None:
        return None
    days = rule_or_none(PRESENT_DAYS, transfer.letter_date, transfer.to_organization or transfer.from_organization)
    if days is None:
        return None
    return Deadline(_("Trình giấy giới thiệu"), add_working_days(transfer.letter_date, days),
                    transfer.presented_on, days)


def transfer_deadlines(transfer, *, today):
    """The deadlines to show for a transfer, each as {name, due, state, text}."""
    if transfer.state == Transfer.State.CANCELLED:
        return []
    rows = []
    for deadline in (start_deadline(transfer), present_deadline(transfer)):
        if deadline is not None:
            rows.append({"name": deadline.name, "due": deadline.due, "state": deadline.state(today),
                         "text": deadline.text(today)})
    return rows


def _late_reason(transfer, deadline, done_on, late_reason, message):
    """Text for ``late_reason`` when ``done_on`` misses ``deadline``; the reason is then required."""
    if deadline is None or done_on <= deadline.due:
        return transfer.late_reason
    if not late_reason.strip():
        _fail("late_reason", message % {"days": deadline.days, "due": format_date(deadline.due)})
    return "; ".join(part for part in (transfer.late_reason, late_reason.strip()) if part)


def _check_letter(transfer, letter_number, letter_date, late_reason):
    if bool(letter_number.strip()) != bool(letter_date):
        _fail("letter_number", _("Ghi cả số và ngày của giấy giới thiệu, hoặc để trống cả hai."))
    if letter_date is None:
        return transfer.late_reason
    # A letter may be dated before moved_on: it is often issued ahead of a retirement or a move.
    _check_not_before_admission(transfer.member, "letter_date", letter_date)
    transfer.letter_date = letter_date
    return _late_reason(
        transfer, start_deadline(transfer), letter_date, late_reason,
        _("Giấy giới thiệu cấp quá %(days)s ngày làm việc kể từ ngày chuyển (hạn %(due)s); hãy ghi lý do chậm."),
    )


def _check_temporary_length(transfer, for_training):
    """Quy định 294-QĐ/TW (DOMAIN §2): temporary for a stay elsewhere of 3 months to under
    12 months, or full-time training in the country of 3 months up to 24 months."""
    if transfer.ends_on is None:
        _fail("ends_on", _("Chuyển sinh hoạt tạm thời phải ghi thời hạn (đến ngày)."))
    if transfer.ends_on <= transfer.moved_on:
        _fail("ends_on", _("Ngày kết thúc phải sau ngày chuyển."))
    on, org = transfer.moved_on, transfer.from_organization
    shortest = rule_or_none(TEMPORARY_MIN_MONTHS, on, org)
    if shortest is not None and transfer.ends_on < add_months(on, shortest):
        _fail("ends_on", _("Chuyển sinh hoạt tạm thời áp dụng khi đi từ %(n)s tháng trở lên.") % {"n": shortest})
    if for_training:
        longest = rule_or_none(TRAINING_MAX_MONTHS, on, org)
        if longest is not None and transfer.ends_on > add_months(on, longest):
            _fail("ends_on", _("Đi học tập trung: chuyển sinh hoạt tạm thời không quá %(n)s tháng.") % {"n": longest})
    else:
        below = rule_or_none(TEMPORARY_BELOW_MONTHS, on, org)
        if below is not None and transfer.ends_on >= add_months(on, below):
            _fail("ends_on", _("Đi từ %(n)s tháng trở lên thì chuyển sinh hoạt chính thức (trừ đi học tập trung).")
                  % {"n": below})


@transaction.atomic
def start_transfer(member, *, kind, to_organization=None, to_text="", moved_on, letter_number, letter_date,
                   reason, ends_on=None, for_training=False, late_reason="", by):
    """The sending cell starts moving a member's activity, to a cell in the system or outside it.

    The letter may be recorded later (record_letter); until then the start deadline runs.
    ``for_training`` (full-time training) allows a longer temporary transfer; it is not
    stored, the reason should say it.
    """
    if kind not in Transfer.Kind.values:
        _fail("kind", _("Hãy chọn chuyển chính thức hay tạm thời."))
    _check_on_roll(member)
    to_text = to_text.strip()
    if bool(to_organization) == bool(to_text):
        _fail("to_organization", _("Chọn chi bộ nơi đến trong hệ thống, hoặc ghi tên tổ chức đảng ngoài hệ thống."))
    if to_organization is not None:
        if not to_organization.is_cell:
            _fail("to_organization", _("Nơi chuyển đến phải là một chi bộ."))
        if not to_organization.is_active:
            _fail("to_organization", _("%(org)s đã giải thể.") % {"org": to_organization.name})
        if to_organization.pk == member.organization_id:
            _fail("to_organization", _("Đảng viên đang sinh hoạt ở chi bộ này."))
    _check_not_before_admission(member, "moved_on", moved_on)
    busy = member.transfers.filter(
        Q(state=Transfer.State.PENDING) | Q(state=Transfer.State.COMPLETED, kind=Transfer.Kind.TEMPORARY)
    ).first()
    if busy is not None:
        _fail(None, _("%(name)s đang có một việc chuyển sinh hoạt chưa kết thúc (%(state)s).")
              % {"name": member.full_name, "state": busy.get_state_display()})
    transfer = Transfer(
        member=member, kind=kind, from_organization=member.organization, to_organization=to_organization,
        to_text=to_text, moved_on=moved_on, letter_number=letter_number.strip(), reason=reason.strip(),
        ends_on=ends_on if kind == Transfer.Kind.TEMPORARY else None, created_by=by,
        for_training=bool(for_training) and kind == Transfer.Kind.TEMPORARY,
    )
    if kind == Transfer.Kind.TEMPORARY:
        _check_temporary_length(transfer, for_training)
    transfer.late_reason = _check_letter(transfer, letter_number, letter_date, late_reason)
    _stamp(transfer, by).save()
    return transfer


@transaction.atomic
def record_letter(transfer, *, letter_number, letter_date, late_reason="", by):
    """Record the introduction letter issued after the transfer was started."""
    if transfer.state != Transfer.State.PENDING:
        _fail(None, _("Việc chuyển sinh hoạt này không còn đang làm thủ tục."))
    if not letter_number.strip() or letter_date is None:
        _fail("letter_number", _("Ghi số và ngày của giấy giới thiệu."))
    transfer.letter_number = letter_number.strip()
    transfer.late_reason = _check_letter(transfer, letter_number, letter_date, late_reason)
    _stamp(transfer, by).save()
    return transfer


@transaction.atomic
def receive_transfer(transfer, *, presented_on, late_reason="", by):
    """The receiving cell takes the member in (or, for a place outside the system, the
    sending cell records the return slip).

    Permanent, in the system: the member moves to the receiving cell's roll and keeps
    their status. Permanent, leaving the system: the member leaves the roll
    (Status.TRANSFERRED_OUT, with the letter as reference). Temporary: the member stays
    on the home roll (294-QĐ/TW §6.3) until end_temporary_transfer.
    """
    if transfer.state != Transfer.State.PENDING:
        _fail(None, _("Việc chuyển sinh hoạt này không còn chờ tiếp nhận."))
    if transfer.letter_date is None:
        _fail(None, _("Chưa có giấy giới thiệu sinh hoạt đảng; hãy ghi số và ngày giấy trước."))
    if presented_on < transfer.letter_date:
        _fail("presented_on", _("Ngày trình giấy không được trước ngày của giấy giới thiệu (%(date)s).")
              % {"date": format_date(transfer.letter_date)})
    member = transfer.member
    _check_on_roll(member)
    transfer.late_reason = _late_reason(
        transfer, present_deadline(transfer), presented_on, late_reason,
        _("Trình giấy giới thiệu quá %(days)s ngày làm việc kể từ ngày của giấy (hạn %(due)s); hãy ghi lý do chậm."),
    )
    transfer.presented_on = presented_on
    transfer.state = Transfer.State.COMPLETED
    _stamp(transfer, by).save()
    if transfer.kind == Transfer.Kind.PERMANENT:
        if transfer.to_organization_id:
            member.organization = transfer.to_organization
            _stamp(member, by).save()
        else:
            record_status(
                member, status=Status.TRANSFERRED_OUT, effective_on=presented_on, by=by,
                reason=_("Chuyển sinh hoạt đến %(to)s") % {"to": transfer.to_text},
                decision_reference=_letter_reference(transfer),
            )
    return transfer


def _letter_reference(transfer):
    return _("Giấy giới thiệu số %(n)s ngày %(d)s") % {
        "n": transfer.letter_number, "d": format_date(transfer.letter_date)}


@transaction.atomic
def end_temporary_transfer(transfer, *, on, by):
    """The member returns from a temporary transfer; the planned ``ends_on`` stays, ``ended_on`` is recorded."""
    if transfer.kind != Transfer.Kind.TEMPORARY or transfer.state != Transfer.State.COMPLETED:
        _fail(None, _("Chỉ kết thúc được việc chuyển sinh hoạt tạm thời đã tiếp nhận."))
    if on < transfer.presented_on:
        _fail("on", _("Ngày kết thúc không được trước ngày tiếp nhận (%(date)s).")
              % {"date": format_date(transfer.presented_on)})
    transfer.ended_on = on
    transfer.state = Transfer.State.ENDED
    _stamp(transfer, by).save()
    return transfer


@transaction.atomic
def cancel_transfer(transfer, *, by):
    """The sending side withdraws a transfer that has not been received."""
    if transfer.state != Transfer.State.PENDING:
        _fail(None, _("Chỉ hủy được việc chuyển sinh hoạt đang làm thủ tục."))
    transfer.state = Transfer.State.CANCELLED
    _stamp(transfer, by).save()
    return transfer


@transaction.atomic
def receive_from_outside(*, cell, letter_number, letter_date, from_text, presented_on, by, kind=None,
                         status=Status.OFFICIAL, reason="", late_reason="", **member_fields):
    """A member arrives with a letter from a party organization outside the system.

    The member is put on ``cell``'s roll (actions.create_member) with a completed
    permanent transfer. Temporary arrivals from outside stay on their home roll
    elsewhere and are not kept as members here.
    """
    if kind not in (None, Transfer.Kind.PERMANENT):
        _fail(None, _("Chỉ tiếp nhận chính thức đảng viên từ ngoài hệ thống."))
    if not from_text.strip():
        _fail("from_text", _("Ghi tên tổ chức đảng nơi chuyển đi."))
    if not letter_number.strip() or letter_date is None:
        _fail("letter_number", _("Ghi số và ngày của giấy giới thiệu."))
    if presented_on < letter_date:
        _fail("presented_on", _("Ngày trình giấy không được trước ngày của giấy giới thiệu."))
    if status not in ACTIVE:
        _fail("status", _("Đảng viên chuyển đến phải là đảng viên chính thức hoặc dự bị."))
    transfer = Transfer(
        kind=Transfer.Kind.PERMANENT, state=Transfer.State.COMPLETED, from_text=from_text.strip(),
        to_organization=cell, moved_on=letter_date, letter_number=letter_number.strip(), letter_date=letter_date,
        presented_on=presented_on, reason=reason.strip(), created_by=by,
    )
    transfer.late_reason = _late_reason(
        transfer, present_deadline(transfer), presented_on, late_reason,
        _("Trình giấy giới thiệu quá %(days)s ngày làm việc kể từ ngày của giấy (hạn %(due)s); hãy ghi lý do chậm."),
    )
    member = create_member(
        organization=cell, by=by, status=status,
        reason=_("Chuyển đến từ %(from)s") % {"from": transfer.from_text},
        decision_reference=_letter_reference(transfer), **member_fields,
    )
    transfer.member = member
    _stamp(transfer, by).save()
    return transfer


def temporarily_attached(cell, on):
    """Members attached to ``cell`` on a day by a received temporary transfer.

    The receiving cell lists them but they stay on their home roll, so they are not
    in its totals (294-QĐ/TW §6.3; Member.organization is the home cell).
    """
    transfers = Transfer.objects.filter(
        kind=Transfer.Kind.TEMPORARY, to_organization=cell, presented_on__lte=on,
    ).filter(Q(state=Transfer.State.COMPLETED) | Q(state=Transfer.State.ENDED, ended_on__gte=on))
    return Member.objects.filter(pk__in=transfers.values("member_id"))


# ---------------------------------------------------------------- residence contact (213-QĐ/TW)

@transaction.atomic
def link_residence(member, *, residential_cell, address, introduced_on, exempt_from_activity=False,
                   exemption_reason="", by):
    """213-QĐ/TW Art.4: a working member is introduced to the residential cell where they live."""
    _check_on_roll(member)
    if not residential_cell.is_cell or residential_cell.category != Organization.Category.RESIDENTIAL:
        _fail("residential_cell", _("Chỉ giới thiệu về chi bộ khu dân cư (tổ dân phố, khối, xóm)."))
    if not residential_cell.is_active:
        _fail("residential_cell", _("%(org)s đã giải thể.") % {"org": residential_cell.name})
    if member.organization.category == Organization.Category.RESIDENTIAL:
        _fail(None, _("%(name)s sinh hoạt ở chi bộ khu dân cư, không thuộc diện giữ mối liên hệ nơi cư trú.")
              % {"name": member.full_name})
    _check_not_before_admission(member, "introduced_on", introduced_on)
    open_link = member.residence_contacts.filter(ended_on__isnull=True).select_related("residential_cell").first()
    if open_link is not None:
        _fail(None, _("%(name)s đang giữ mối liên hệ với %(org)s; hãy kết thúc trước khi giới thiệu nơi mới.")
              % {"name": member.full_name, "org": open_link.residential_cell.name})
    # HD 33-HD/BTCTW: some members are introduced but exempt from residence activity.
    if exempt_from_activity and not exemption_reason.strip():
        _fail("exemption_reason", _("Ghi lý do miễn sinh hoạt nơi cư trú (theo HD 33-HD/BTCTW)."))
    contact = ResidenceContact(
        member=member, residential_cell=residential_cell, address=address.strip(), introduced_on=introduced_on,
        exempt_from_activity=exempt_from_activity,
        exemption_reason=exemption_reason.strip() if exempt_from_activity else "",
    )
    _stamp(contact, by).save()
    return contact


@transaction.atomic
def end_residence(contact, *, on, by):
    if contact.ended_on is not None:
        _fail(None, _("Mối liên hệ này đã kết thúc ngày %(date)s.") % {"date": format_date(contact.ended_on)})
    if on < contact.introduced_on:
        _fail("on", _("Ngày kết thúc không được trước ngày giới thiệu (%(date)s).")
              % {"date": format_date(contact.introduced_on)})
    contact.ended_on = on
    _stamp(contact, by).save()
    return contact


def _open_on(contacts, day):
    return contacts.filter(introduced_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))


@transaction.atomic
def record_residence_meeting(cell, *, held_on, content, attendees, by):
    """213-QĐ/TW Art.4: the residential cell meets its working members (every 6 months, or as needed)."""
    if not cell.is_cell or cell.category != Organization.Category.RESIDENTIAL:
        _fail(None, _("Chỉ chi bộ khu dân cư ghi buổi họp với đảng viên nơi cư trú."))
    if not content.strip():
        _fail("content", _("Ghi nội dung buổi họp."))
    if ResidenceMeeting.objects.filter(residential_cell=cell, held_on=held_on).exists():
        _fail("held_on", _("Chi bộ đã ghi một buổi họp ngày %(date)s.") % {"date": format_date(held_on)})
    attendees = list(attendees)
    allowed = set(_open_on(cell.residence_contacts.all(), held_on).values_list("pk", flat=True))
    strangers = [c for c in attendees if c.pk not in allowed]
    if strangers:
        _fail("attendees", _("Không có trong danh sách đảng viên giữ mối liên hệ với chi bộ ngày %(date)s: %(names)s.")
              % {"date": format_date(held_on), "names": ", ".join(c.member.full_name for c in strangers)})
    meeting = ResidenceMeeting.objects.create(residential_cell=cell, held_on=held_on, content=content.strip(),
                                              recorded_by=by)
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def record_residence_comment(contact, *, year, comment, commented_on, by):
    """213-QĐ/TW: the residential cell's yearly comment on a working member.

    A comment not yet sent may be rewritten; a sent one is final.
    """
    if not comment.strip():
        _fail("comment", _("Ghi nội dung nhận xét."))
    if commented_on.year not in (year, year + 1):
        _fail("commented_on", _("Ngày nhận xét phải trong năm %(year)s hoặc đầu năm sau.") % {"year": year})
    if contact.introduced_on.year > year or (contact.ended_on and contact.ended_on.year < year):
        _fail("year", _("Năm %(year)s đảng viên không giữ mối liên hệ với chi bộ.") % {"year": year})
    existing = contact.comments.filter(year=year).first()
    if existing is not None and existing.sent_on:
        _fail("year", _("Nhận xét năm %(year)s đã gửi nơi công tác ngày %(date)s, không sửa được.")
              % {"year": year, "date": format_date(existing.sent_on)})
    record = existing or ResidenceComment(contact=contact, year=year)
    record.comment = comment.strip()
    record.commented_on = commented_on
    record.by = by
    _stamp(record, by).save()
    return record


@transaction.atomic
def send_comment(comment, *, on, by):
    """The comment goes to the workplace party organization, which can then read it."""
    if comment.sent_on is not None:
        _fail(None, _("Nhận xét đã gửi ngày %(date)s.") % {"date": format_date(comment.sent_on)})
    if on < comment.commented_on:
        _fail("on", _("Ngày gửi không được trước ngày nhận xét (%(date)s).")
              % {"date": format_date(comment.commented_on)})
    comment.sent_on = on
    _stamp(comment, by).save()
    return comment


def meeting_due(last_met, *, cell=None):
    """The day by which the next residence meeting is due (Quy định 213-QĐ/TW Điều 4: every 6 months).

    Counted from the last meeting, with the rule in force on that meeting's date;
    None when no version covers that date.
    """
    months = rule_or_none(RESIDENCE_MEETING_MONTHS, last_met, cell)
    return None if months is None else add_months(last_met, months)


# ---------------------------------------------------------------- exemption

@transaction.atomic
def request_exemption(member, *, kind, reason, requested_on, until=None, by):
    """A member's application to the cell (24-QĐ/TW §7.1; temporary: 01-HD §10.3)."""
    if kind not in ExemptionRequest.Kind.values:
        _fail("kind", _("Hãy chọn loại đề nghị."))
    if not reason.strip():
        _fail("reason", _("Ghi lý do."))
    _check_not_before_admission(member, "requested_on", requested_on)
    if kind == ExemptionRequest.Kind.RETURN:
        if member.status != Status.EXEMPT:
            _fail(None, _("%(name)s không đang miễn sinh hoạt.") % {"name": member.full_name})
    elif member.status not in ACTIVE:
        _fail(None, _("%(name)s không ở tình trạng đang sinh hoạt (%(status)s).")
              % {"name": member.full_name, "status": member.get_status_display()})
    if kind == ExemptionRequest.Kind.TEMPORARY:
        if until is None:
            _fail("until", _("Tạm miễn sinh hoạt phải ghi thời hạn (đến ngày)."))
        if until <= requested_on:
            _fail("until", _("Thời hạn tạm miễn phải sau ngày làm đơn."))
    elif until is not None:
        _fail("until", _("Chỉ đơn tạm miễn sinh hoạt mới ghi thời hạn."))
    if member.exemption_requests.filter(decision=ExemptionRequest.Decision.PENDING).exists():
        _fail(None, _("%(name)s đã có một đơn đang chờ chi bộ xem xét.") % {"name": member.full_name})
    request = ExemptionRequest(member=member, kind=kind, reason=reason.strip(), requested_on=requested_on,
                               until=until)
    _stamp(request, by).save()
    return request


def _status_before_exemption(member):
    """The on-roll status the member had before the latest exemption."""
    previous = (
        member.status_events.filter(status__in=ACTIVE).order_by("-effective_on", "-pk").first()
    )
    if previous is not None:
        return previous.status
    return Status.OFFICIAL if member.official_date else Status.PROBATIONARY


@transaction.atomic
def decide_exemption(request, *, approve, decided_on, decision_reference, by):
    """24-QĐ/TW §7.1: the cell decides; approving changes the member's status.

    Exempt or temporary: Status.EXEMPT. Return: back to the status held before
    (official or probationary).
    """
    if request.decision != ExemptionRequest.Decision.PENDING:
        _fail(None, _("Đơn này đã được chi bộ xem xét."))
    if decided_on < request.requested_on:
        _fail("decided_on", _("Ngày chi bộ quyết định không được trước ngày làm đơn (%(date)s).")
              % {"date": format_date(request.requested_on)})
    member = request.member
    if approve:
        if request.kind == ExemptionRequest.Kind.RETURN:
            if member.status != Status.EXEMPT:
                _fail(None, _("%(name)s không đang miễn sinh hoạt.") % {"name": member.full_name})
            status = _status_before_exemption(member)
        else:
            if member.status not in ACTIVE:
                _fail(None, _("%(name)s không ở tình trạng đang sinh hoạt (%(status)s).")
                      % {"name": member.full_name, "status": member.get_status_display()})
            status = Status.EXEMPT
        latest = member.status_events.order_by("-effective_on", "-pk").first()
        if latest is not None and decided_on < latest.effective_on:
            _fail("decided_on", _("Ngày quyết định trước biến động tình trạng gần nhất của đảng viên (%(date)s).")
                  % {"date": format_date(latest.effective_on)})
        reason = f"{request.get_kind_display()}: {request.reason}"
        record_status(member, status=status, effective_on=decided_on, by=by, reason=reason[:300],
                      decision_reference=decision_reference.strip())
    request.decision = ExemptionRequest.Decision.APPROVED if approve else ExemptionRequest.Decision.REJECTED
    request.decided_on = decided_on
    request.decided_by = by
    request.decision_reference = decision_reference.strip()
    _stamp(request, by).save()
    return request


@transaction.atomic
def inform_superior(request, *, on, by):
    """24-QĐ/TW §7.1: the cell committee or secretary informs the superior committee."""
    if request.decision == ExemptionRequest.Decision.PENDING:
        _fail(None, _("Chi bộ chưa xem xét đơn này."))
    if request.superior_informed_on is not None:
        _fail(None, _("Đã báo cáo cấp ủy cấp trên ngày %(date)s.")
              % {"date": format_date(request.superior_informed_on)})
    if on < request.decided_on:
        _fail("on", _("Ngày báo cáo không được trước ngày chi bộ quyết định (%(date)s).")
              % {"date": format_date(request.decided_on)})
    request.superior_informed_on = on
    _stamp(request, by).save()
    return request


def current_exemption(member):
    """The approved exemption request in force for an exempt member, or None."""
    if member.status != Status.EXEMPT:
        return None
    return (member.exemption_requests.filter(decision=ExemptionRequest.Decision.APPROVED)
            .exclude(kind=ExemptionRequest.Kind.RETURN).order_by("-decided_on", "-pk").first())


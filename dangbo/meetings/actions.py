"""Changes to cell meetings: the year plan, HD 42 preparation, attendance, votes, minutes, the resolution.

Every rule is applied by the meeting's date (selectors.meeting_date), never today's.
Each action raises ValidationError with a Vietnamese message when a rule fails.
"""

import secrets
from datetime import date, datetime, time, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.accounts.models import User
from dangbo.lib.dates import format_date
from dangbo.lib.vntext import nfc
from dangbo.meetings import selectors
from dangbo.meetings.models import (
    AgendaItem, Attendance, Material, Meeting, Minutes, MinutesCorrection, Speech, Vote,
)
from dangbo.meetings.selectors import meeting_date
from dangbo.members.choices import ON_ROLL, Status
from dangbo.members.models import Member
from dangbo.organizations.models import Organization
from dangbo.rules.lookup import RuleMissing, fraction, rule

DEFAULT_DAY = 5
DEFAULT_TIME = time(19, 30)
MAX_MATERIAL_BYTES = 20 * 1024 * 1024
MATERIAL_SUFFIXES = {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".jpg", ".jpeg",
                     ".png", ".txt"}
# Sending mail only makes sense when a real backend is configured.
_NO_MAIL_BACKENDS = ("django.core.mail.backends.console.EmailBackend", "django.core.mail.backends.dummy.EmailBackend")


def _fail(message, field=None):
    raise ValidationError({field: message} if field else message)


def _stamp(obj, by):
    """Tell django-simple-history who made the change when no request is around."""
    obj._history_user = by
    return obj


def _aware(day, at):
    return timezone.make_aware(datetime.combine(day, at))


def _month_day(year, month, day):
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day, (following - timedelta(days=1)).day))


def _minutes_of(meeting):
    return Minutes.objects.filter(meeting=meeting).first()


def _check_editable(meeting):
    """A cancelled meeting or one whose minutes are locked takes no more records."""
    if meeting.state == Meeting.State.CANCELLED:
        _fail(_("Buổi sinh hoạt đã hủy."))
    minutes = _minutes_of(meeting)
    if minutes is not None and minutes.is_locked:
        _fail(_("Biên bản đã khóa ngày %(d)s; chỉ ghi được đính chính.")
              % {"d": format_date(timezone.localdate(minutes.locked_at))})


def _check_not_held(meeting):
    if meeting.state == Meeting.State.CANCELLED:
        _fail(_("Buổi sinh hoạt đã hủy."))
    if meeting.state == Meeting.State.HELD or meeting.started_at:
        _fail(_("Buổi sinh hoạt đã diễn ra, không đổi được kế hoạch."))


def _check_cell(cell):
    if not cell.is_cell:
        _fail(_("Chỉ chi bộ mới có kế hoạch sinh hoạt chi bộ."))


def _locked_meeting(meeting):
    return Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)


# ---------------------------------------------------------------- the year plan

@transaction.atomic
def generate_year_plan(cell, *, year, by, day=DEFAULT_DAY, time=DEFAULT_TIME, place="", from_month=1,
                       combine_thematic=True):
    """The cell's meetings of ``year`` from the rules; returns the meetings it created.

    Điều lệ Đảng Điều 24 (DOMAIN §4.1): a regular meeting every month. Hướng dẫn
    12-HD/BTCTW (DOMAIN §4.3): a thematic meeting at least the rule's number of
    times a quarter; by default it is held together with the last regular meeting
    of the quarter (kind "combined", 120 minutes by HD 42-HD/BTCTW), otherwise as a
    separate meeting a week later. Idempotent: a month that has a regular or
    combined meeting (even cancelled: that was a decision) gets none, and a quarter
    that has enough thematic meetings gets no more.
    """
    _check_cell(cell)
    if not 1 <= day <= 31:
        _fail(_("Ngày trong tháng từ 1 đến 31."), "day")
    if not 1 <= from_month <= 12:
        _fail(_("Tháng bắt đầu từ 1 đến 12."), "from_month")
    if cell.active_to is not None and cell.active_to < date(year, 1, 1):
        _fail(_("%(org)s đã giải thể từ %(d)s.") % {"org": cell.name, "d": format_date(cell.active_to)})
    # Two clicks at once queue on the cell's row, so the second sees the first's meetings.
    Organization.objects.select_for_update().filter(pk=cell.pk).first()
    existing = list(Meeting.objects.filter(organization=cell, year=year))
    place = nfc(place or "").strip()
    created = []

    def add(kind, month, on_day):
        meeting = Meeting(organization=cell, kind=kind, year=year, month=month, planned=True,
                          scheduled_at=_aware(on_day, time), place=place)
        _stamp(meeting, by).save()
        created.append(meeting)
        return meeting

    for quarter in range(1, 5):
        months = [m for m in range(quarter * 3 - 2, quarter * 3 + 1) if m >= from_month]
        if not months:
            continue
        new_regular = {}
        for month in months:
            if any(m.month == month and m.kind in selectors.REGULAR_KINDS for m in existing):
                continue
            new_regular[month] = add(Meeting.Kind.REGULAR, month, _month_day(year, month, day))
        last_month = months[-1]
        last_day = _month_day(year, last_month, day)
        # Hướng dẫn 12-HD/BTCTW: thematic at least once a quarter, by the rule on the quarter's last meeting day.
        try:
            needed = rule("meeting.thematic_per_quarter_min", last_day, cell)
        except RuleMissing:
            needed = 0
        have = sum(1 for m in existing + created if selectors.quarter_of(m.month) == quarter
                   and m.kind in selectors.THEMATIC_KINDS and m.state != Meeting.State.CANCELLED)
        missing = max(needed - have, 0)
        if missing and combine_thematic and last_month in new_regular:
            combined = new_regular[last_month]
            combined.kind = Meeting.Kind.COMBINED
            _stamp(combined, by).save(update_fields=["kind"])
            missing -= 1
        for extra in range(missing):
            add(Meeting.Kind.THEMATIC, last_month, min(last_day + timedelta(days=7 * (extra + 1)),
                                                       _month_day(year, last_month, 31)))
    return created


def _check_regular_month(cell, kind, year, month, exclude=None):
    if kind not in selectors.REGULAR_KINDS:
        return
    clash = Meeting.objects.filter(organization=cell, year=year, month=month, kind__in=selectors.REGULAR_KINDS).exclude(
        state=Meeting.State.CANCELLED)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        _fail(_("Tháng %(m)s/%(y)s đã có buổi sinh hoạt thường kỳ.") % {"m": month, "y": year}, "kind")


@transaction.atomic
def schedule_meeting(cell, *, kind, scheduled_at, by, place="", title="", theme=""):
    """Add a meeting outside the year plan (an extraordinary or extra thematic meeting, or a missing month)."""
    _check_cell(cell)
    if kind not in Meeting.Kind.values:
        _fail(_("Hãy chọn loại buổi sinh hoạt."), "kind")
    Organization.objects.select_for_update().filter(pk=cell.pk).first()
    day = timezone.localdate(scheduled_at)
    _check_regular_month(cell, kind, day.year, day.month)
    if kind in (Meeting.Kind.THEMATIC, Meeting.Kind.COMBINED) and not nfc(theme).strip():
        _fail(_("Sinh hoạt chuyên đề phải ghi chủ đề."), "theme")
    meeting = Meeting(organization=cell, kind=kind, year=day.year, month=day.month, planned=False,
                      scheduled_at=scheduled_at, place=nfc(place).strip(), title=nfc(title).strip(),
                      theme=nfc(theme).strip())
    _stamp(meeting, by).save()
    return meeting


@transaction.atomic
def move_meeting(meeting, *, scheduled_at, by, place=None, title=None, theme=None):
    """Change the time, place or subject of a meeting not yet held.

    The meeting still counts for its planned month. If members were already
    notified, the notice no longer holds: the meeting goes back to preparation
    and must be notified again.
    """
    meeting = _locked_meeting(meeting)
    _check_not_held(meeting)
    changed = meeting.scheduled_at != scheduled_at or (place is not None and nfc(place).strip() != meeting.place)
    meeting.scheduled_at = scheduled_at
    if place is not None:
        meeting.place = nfc(place).strip()
    if title is not None:
        meeting.title = nfc(title).strip()
    if theme is not None:
        meeting.theme = nfc(theme).strip()
    if changed and meeting.notified_at:
        meeting.notified_at = None
        meeting.state = Meeting.State.PREPARING
    _stamp(meeting, by).save()
    return meeting


@transaction.atomic
def cancel_meeting(meeting, *, reason, by):
    """Cancel a meeting not yet held; the reason is kept in its history."""
    meeting = _locked_meeting(meeting)
    _check_not_held(meeting)
    reason = nfc(reason or "").strip()
    if not reason:
        _fail(_("Ghi lý do hủy."), "reason")
    meeting.state = Meeting.State.CANCELLED
    meeting._change_reason = reason[:100]
    _stamp(meeting, by).save()
    return meeting


# ---------------------------------------------------------------- preparation (HD 42-HD/BTCTW, DOMAIN §4.5)

def _check_member_of_cell(meeting, member, field):
    if member is None:
        return
    if member.organization_id != meeting.organization_id or member.status not in ON_ROLL:
        _fail(_("%(name)s không sinh hoạt ở %(org)s.") % {"name": member.full_name, "org": meeting.organization.name},
              field)


@transaction.atomic
def assign_drafters(meeting, *, content_drafter, resolution_drafter, by):
    """HD 42 step 1: the secretary assigns who drafts the content and the resolution."""
    meeting = _locked_meeting(meeting)
    _check_not_held(meeting)
    if content_drafter is None or resolution_drafter is None:
        _fail(_("Hãy chọn người dự thảo nội dung và người dự thảo nghị quyết."))
    _check_member_of_cell(meeting, content_drafter, "content_drafter")
    _check_member_of_cell(meeting, resolution_drafter, "resolution_drafter")
    meeting.content_drafter, meeting.resolution_drafter = content_drafter, resolution_drafter
    if meeting.state == Meeting.State.PLANNED:
        meeting.state = Meeting.State.PREPARING
    _stamp(meeting, by).save()
    return meeting


@transaction.atomic
def record_committee_agreement(meeting, *, on, by):
    """HD 42 step 2: the cell committee (or secretary) agreed the content, reviewed last month, set tasks."""
    meeting = _locked_meeting(meeting)
    _check_not_held(meeting)
    if not (meeting.content_drafter_id and meeting.resolution_drafter_id):
        _fail(_("Hãy phân công người dự thảo nội dung và nghị quyết trước (bước 1)."))
    if on > meeting_date(meeting):
        _fail(_("Chi ủy thống nhất nội dung trước buổi sinh hoạt (%(d)s).") % {"d": format_date(meeting_date(meeting))},
              "on")
    if on > timezone.localdate():
        _fail(_("Ngày %(d)s chưa đến.") % {"d": format_date(on)}, "on")
    meeting.committee_agreed_on = on
    if meeting.state == Meeting.State.PLANNED:
        meeting.state = Meeting.State.PREPARING
    _stamp(meeting, by).save()
    return meeting


@transaction.atomic
def notify_meeting(meeting, *, by):
    """HD 42 step 3: the time, place and content go to the members and the committee member following the cell.

    Opens the roster; the notified meeting then shows on every summoned member's
    and following leader's "Sinh hoạt của tôi" page. Mail goes to those with an
    address only when a real mail backend is configured. Returns the meeting.
    """
    meeting = _locked_meeting(meeting)
    _check_not_held(meeting)
    if not meeting.place:
        _fail(_("Hãy ghi địa điểm trước khi thông báo."), "place")
    meeting.notified_at = timezone.now()
    meeting.state = Meeting.State.NOTIFIED
    _stamp(meeting, by).save()
    open_roster(meeting)
    _mail_notice(meeting)
    return meeting


def _mail_notice(meeting):
    if settings.EMAIL_BACKEND in _NO_MAIL_BACKENDS:
        return
    people = {m.email for m in Member.objects.filter(attendance__meeting=meeting).exclude(email="")}
    people |= {u.email for u in selectors.following_leaders(meeting) if u.email}
    if not people:
        return
    when = timezone.localtime(meeting.scheduled_at)
    subject = _("Thông báo sinh hoạt chi bộ %(org)s ngày %(d)s") % {"org": meeting.organization.name,
                                                                    "d": format_date(when.date())}
    body = _("%(org)s sinh hoạt %(kind)s lúc %(t)s ngày %(d)s tại %(place)s.\nNội dung: %(content)s") % {
        "org": meeting.organization.name, "kind": meeting.get_kind_display().lower(), "t": when.strftime("%H:%M"),
        "d": format_date(when.date()), "place": meeting.place, "content": meeting.theme or meeting.title or str(meeting),
    }
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in sorted(people)]
    # After commit: a rolled-back notice sends nothing; a mail server down does not undo the notice.
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))


@transaction.atomic
def add_material(meeting, *, title, by, file=None, text=""):
    """HD 42 step 4: a document for members to read before the meeting (on time: selectors.materials_deadline)."""
    if meeting.state == Meeting.State.CANCELLED:
        _fail(_("Buổi sinh hoạt đã hủy."))
    title, text = nfc(title or "").strip(), nfc(text or "").strip()
    if not title:
        _fail(_("Ghi tên tài liệu."), "title")
    if file is None and not text:
        _fail(_("Chọn tệp hoặc nhập nội dung tài liệu."), "file")
    material = Material(meeting=meeting, title=title, text=text, published_by=by)
    if file is not None:
        name = PurePath(file.name).name
        if PurePath(name).suffix.lower() not in MATERIAL_SUFFIXES:
            _fail(_("Tệp %(name)s không thuộc loại được nhận (PDF, Word, Excel, PowerPoint, ảnh, văn bản).")
                  % {"name": name}, "file")
        if file.size > MAX_MATERIAL_BYTES:
            _fail(_("Tệp %(name)s lớn hơn 20 MB.") % {"name": name}, "file")
        material.file.save(name, file, save=False)
        stored = material.file
        try:
            material.save()
        except Exception:
            stored.delete(save=False)
            raise
    else:
        material.save()
    return material


# ---------------------------------------------------------------- attendance

def _kind_for(member):
    if member.status == Status.EXEMPT:
        return Attendance.Kind.EXEMPT
    if member.status == Status.PROBATIONARY:
        return Attendance.Kind.PROBATIONARY
    if member.status == Status.OFFICIAL:
        return Attendance.Kind.OFFICIAL
    # Status.AWAY keeps the member's own standing.
    return Attendance.Kind.OFFICIAL if member.official_date else Attendance.Kind.PROBATIONARY


def _summoned(meeting):
    """(member, kind) of everyone the meeting summons: the cell's roll and the members attached to it."""
    from dangbo.members.movements import temporarily_attached

    on = meeting_date(meeting)
    cell = meeting.organization
    result = [(m, _kind_for(m)) for m in Member.objects.filter(organization=cell, status__in=ON_ROLL)]
    on_roll = {m.pk for m, _kind in result}
    result += [(m, Attendance.Kind.TEMPORARY) for m in temporarily_attached(cell, on) if m.pk not in on_roll]
    return result


def _ensure_token(meeting):
    if not meeting.checkin_token:
        # The meeting's id first, so the check-in page finds it by primary key, then a secret.
        token = f"{meeting.pk}-{secrets.token_urlsafe(16)}"[:32]
        Meeting.objects.filter(pk=meeting.pk, checkin_token="").update(checkin_token=token)
        meeting.checkin_token = Meeting.objects.filter(pk=meeting.pk).values_list("checkin_token", flat=True).get()
    return meeting.checkin_token


def open_roster(meeting):
    """One attendance row per summoned member, with their standing on the meeting day; returns how many it added.

    Idempotent and safe when run twice at once: rows are inserted with
    ON CONFLICT DO NOTHING against the (meeting, member) unique constraint, so a
    member added to the cell later gets a row on the next call and nobody gets two.
    Members temporarily away (294-QĐ/TW §6.3) or "tạm vắng" start as absent with reason.
    """
    if meeting.state == Meeting.State.CANCELLED:
        _fail(_("Buổi sinh hoạt đã hủy."))
    on = meeting_date(meeting)
    away = selectors.temporarily_away_ids(meeting.organization, on)
    have = set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    new = []
    for member, kind in _summoned(meeting):
        if member.pk in have:
            continue
        row = Attendance(meeting=meeting, member=member, kind=kind)
        if member.pk in away:
            row.status, row.reason = Attendance.Status.EXCUSED, _("Đang sinh hoạt tạm thời nơi khác")
        elif member.status == Status.AWAY:
            row.status, row.reason = Attendance.Status.EXCUSED, _("Tạm vắng")
            row.approved_absence = kind == Attendance.Kind.OFFICIAL
        new.append(row)
    Attendance.objects.bulk_create(new, ignore_conflicts=True)
    _ensure_token(meeting)
    return len(new)


def _row_for_update(meeting, member):
    """The member's row locked for this transaction; created first if the member is summoned and has none."""
    row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    if row is not None:
        return row
    kinds = dict((m.pk, kind) for m, kind in _summoned(meeting))
    if member.pk not in kinds:
        _fail(_("%(name)s không sinh hoạt ở %(org)s.") % {"name": member.full_name, "org": meeting.organization.name})
    Attendance.objects.bulk_create([Attendance(meeting=meeting, member=member, kind=kinds[member.pk])],
                                   ignore_conflicts=True)
    return Attendance.objects.select_for_update().get(meeting=meeting, member=member)


@transaction.atomic
def mark_attendance(meeting, member, *, status, by, reason="", arrived_at=None, left_at=None, expected_version=None,
                    approved_absence=None, suspended=None):
    """Record one member's presence: present (maybe late or leaving early), absent with or without reason.

    The row is locked for the transaction. ``expected_version`` is the version the
    marker saw: if someone changed the row since, nothing is overwritten and a
    "reload" error is raised. Marking what the row already says changes nothing
    (a double tap is harmless). Two markers on different members never conflict.
    """
    if status not in Attendance.Status.values or status == Attendance.Status.UNKNOWN:
        _fail(_("Hãy chọn có mặt, vắng có lý do hoặc vắng không lý do."), "status")
    _check_editable(meeting)
    reason = nfc(reason or "").strip()
    row = _row_for_update(meeting, member)
    present = status == Attendance.Status.PRESENT
    if status == Attendance.Status.EXCUSED and not reason:
        _fail(_("Ghi lý do vắng của %(name)s.") % {"name": member.full_name}, "reason")
    if not present and (arrived_at or left_at):
        _fail(_("Chỉ ghi giờ đến muộn, về sớm cho người có mặt."), "arrived_at")
    if arrived_at and left_at and left_at <= arrived_at:
        _fail(_("Giờ về sớm phải sau giờ đến."), "left_at")
    wanted = {
        "status": status,
        "reason": "" if present else reason,
        "arrived_at": arrived_at if present else None,
        "left_at": left_at if present else None,
    }
    if present:
        wanted["approved_absence"] = False
    elif approved_absence is not None:
        # §4.8: only an official member's approved absence changes the base.
        wanted["approved_absence"] = bool(approved_absence) and row.kind in (Attendance.Kind.OFFICIAL,
                                                                             Attendance.Kind.EXEMPT)
    if suspended is not None:
        wanted["suspended"] = bool(suspended)
    if all(getattr(row, field) == value for field, value in wanted.items()):
        return row
    if expected_version is not None and expected_version != row.version:
        raise ValidationError(
            _("%(name)s vừa được người khác điểm danh (%(status)s); hãy tải lại trang rồi ghi lại.")
            % {"name": member.full_name, "status": row.get_status_display().lower()},
            code="stale",
        )
    for field, value in wanted.items():
        setattr(row, field, value)
    row.version += 1
    row.marked_by, row.marked_at = by, timezone.now()
    row.save()
    return row


# One hand-written query: the ORM builds and compiles the same five-table select in about
# 1.2 ms of CPU, a third of a whole tap; written out it costs 0.3 ms. Plain SQL for both
# SQLite and PostgreSQL; Meeting.objects.raw converts the meeting's own columns, the
# others are converted by _checkin_row.
_CHECKIN_COLUMNS = """
           mt.id, mt.organization_id, mt.kind, mt.state, mt.scheduled_at, mt.place, mt.started_at, mt.ended_at,
           mt.checkin_token, o.name AS cell_name, CASE WHEN mi.locked_at IS NULL THEN 0 ELSE 1 END AS minutes_locked,
           a.id AS row_id, a.status AS row_status, a.arrived_at AS row_arrived_at, a.version AS row_version,
           m.id AS row_member_id, m.full_name AS row_member_name,
           CASE WHEN u.is_active THEN 1 ELSE 0 END AS user_active, u.session_epoch AS user_session_epoch
"""
_CHECKIN_FROM = """
      FROM meetings_meeting mt
      JOIN organizations_organization o ON o.id = mt.organization_id
      JOIN meetings_attendance a ON a.meeting_id = mt.id
      JOIN members_member m ON m.id = a.member_id
      JOIN accounts_user u ON u.id = m.user_id
      LEFT JOIN meetings_minutes mi ON mi.meeting_id = mt.id
"""
_CHECKIN_ROW_SQL = f"SELECT {_CHECKIN_COLUMNS} {_CHECKIN_FROM} WHERE mt.id = %s AND m.user_id = %s"

# The whole tap as one statement (PostgreSQL): read the caller's row, and mark it present
# when every rule of check_in_by_token holds; the read answers whether or not it wrote.
# The UPDATE repeats the version and status it read, as check_in_by_token's guarded UPDATE
# does, so two taps at once write once. A rule that refuses, or a race, writes nothing and
# leaves row_marked NULL: the view then takes the usual path, which says why.
_CHECKIN_TAP_SQL = f"""
    WITH target AS (
        SELECT {_CHECKIN_COLUMNS} {_CHECKIN_FROM}
         WHERE mt.id = %(meeting)s AND m.user_id = %(user)s AND u.is_active AND u.session_epoch = %(epoch)s
           AND mt.checkin_token = %(token)s
    ), marked AS (
        UPDATE meetings_attendance a
           SET status = 'present', reason = '', left_at = NULL, approved_absence = false,
               arrived_at = CASE WHEN t.started_at IS NOT NULL AND t.started_at < %(now)s THEN %(now_hm)s::time END,
               marked_by_id = %(user)s, marked_at = %(now)s, version = a.version + 1
          FROM target t
         WHERE a.id = t.row_id AND a.version = t.row_version AND a.status <> 'present'
           AND t.minutes_locked = 0 AND t.state <> 'cancelled' AND t.ended_at IS NULL
           AND t.scheduled_at >= %(day_starts)s AND t.scheduled_at < %(day_ends)s
        RETURNING a.id, a.version, a.arrived_at
    )
    SELECT t.*, marked.id AS row_marked, marked.version AS marked_version, marked.arrived_at AS marked_arrived_at
      FROM target t LEFT JOIN marked ON marked.id = t.row_id
"""

# The tap's columns in order (cheaper than asking the cursor for its description).
_CHECKIN_TAP_NAMES = (
    "id", "organization_id", "kind", "state", "scheduled_at", "place", "started_at", "ended_at", "checkin_token",
    "cell_name", "minutes_locked", "row_id", "row_status", "row_arrived_at", "row_version", "row_member_id",
    "row_member_name", "user_active", "user_session_epoch", "row_marked", "marked_version", "marked_arrived_at",
)


def _loaded(model, db, **values):
    """An instance holding these columns only; any other loads from the database on access."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


def _checkin_row(meeting, user_id):
    """The Attendance (with .meeting, .member, .member.user) of one row of the check-in selects."""
    db = meeting._state.db
    meeting.organization = _loaded(Organization, db, id=meeting.organization_id, name=meeting.cell_name)
    row = _loaded(Attendance, db, id=meeting.row_id, meeting_id=meeting.pk, member_id=meeting.row_member_id,
                  status=meeting.row_status, version=meeting.row_version,
                  arrived_at=Attendance._meta.get_field("arrived_at").to_python(meeting.row_arrived_at))
    row.meeting = meeting
    row.member = _loaded(Member, db, id=meeting.row_member_id, full_name=meeting.row_member_name, user_id=user_id)
    row.member.user = _loaded(User, db, id=user_id, is_active=bool(meeting.user_active),
                              session_epoch=meeting.user_session_epoch)
    row.minutes_locked = bool(meeting.minutes_locked)
    return row


def own_checkin_row(meeting_id, user_id):
    """The attendance row of user ``user_id`` at the meeting, or None: all a check-in tap reads, in one query.

    With its meeting (and the cell's name), its member's name, ``minutes_locked``, and
    the member's account as ``row.member.user`` (its id, ``is_active`` and
    ``session_epoch``: enough for the check-in view to trust the session without
    loading the user again).
    """
    if not isinstance(user_id, int) or not 0 < meeting_id < 2**63:
        return None
    found = list(Meeting.objects.raw(_CHECKIN_ROW_SQL, [meeting_id, user_id]))
    return _checkin_row(found[0], user_id) if found else None


def _fetch_one_prepared(sql, params):
    """The first row of ``sql`` run as a prepared statement of this connection (PostgreSQL, psycopg 3).

    Planning the tap's six-table statement costs PostgreSQL 0.5 ms, six times what
    running it does; Django's cursors bind on the client and never prepare, so this one
    binds on the server and is planned once per connection. Values come back typed
    (aware datetimes, times). The statement is still logged as Django logs queries.
    """
    import psycopg
    from django.db.backends.utils import CursorDebugWrapper

    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        if connection.queries_logged:
            with CursorDebugWrapper(cursor, connection).debug_sql(sql, params):
                cursor.execute(sql, params, prepare=True)
        else:
            cursor.execute(sql, params, prepare=True)
        return cursor.fetchone()


def tap_in_one_statement(meeting_id, token, *, user_id, session_epoch):
    """A member's check-in tap in one statement; the row, present, or None when it must go the usual way.

    PostgreSQL only (a data-modifying WITH). For an active account whose session
    remembers its current ``session_epoch``, on its own row of the meeting whose token
    it is: marks the row present by the rules of check_in_by_token, or finds it present
    already (the second tap). Two taps at the same moment: the second waits for the
    first's row lock and then finds nothing to write, while its read still shows the
    row as it was; the statement is run once more, and its fresh read shows the row
    present. Anything else (no row, a rule that refuses) writes nothing and returns None.
    """
    if not 0 < meeting_id < 2**63:
        return None
    now = timezone.localtime()
    day_starts = datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)
    params = {
        "meeting": meeting_id, "user": user_id, "epoch": session_epoch, "token": token, "now": now,
        "now_hm": now.time().replace(second=0, microsecond=0, tzinfo=None),
        "day_starts": day_starts, "day_ends": day_starts + timedelta(days=1),
    }
    for _attempt in range(2):
        found = _fetch_one_prepared(_CHECKIN_TAP_SQL, params)
        if not found:
            return None
        values = dict(zip(_CHECKIN_TAP_NAMES, found))
        read = _loaded(Meeting, connection.alias, **values)
        for name in ("cell_name", "minutes_locked", "row_id", "row_status", "row_arrived_at", "row_version",
                     "row_member_id", "row_member_name", "user_active", "user_session_epoch"):
            setattr(read, name, values[name])
        row = _checkin_row(read, user_id)
        if values["row_marked"] is not None:
            row.status, row.version, row.arrived_at = (Attendance.Status.PRESENT, values["marked_version"],
                                                       values["marked_arrived_at"])
            return row
        if row.minutes_locked:
            return None
        try:
            _check_in_allowed(read, now=now)   # a second tap is answered by the same rules as the first
        except ValidationError:
            return None
        if row.status == Attendance.Status.PRESENT:
            return row
    return None


def check_in_by_token(meeting, token, user, *, row=None):
    """A member scans the meeting's QR code: they are marked present (late if the meeting had started).

    Only on the meeting's day, only for a member the meeting summons. A burst of
    taps as the meeting opens is the common case, so a tap costs one read (``row``,
    as own_checkin_row reads it; read here when not given) and one UPDATE guarded
    by the version read and the status: a second tap, at once or later, writes
    nothing. The rules (not cancelled, its day, not ended, minutes not locked) are
    checked on what was read, as mark_attendance checks them without locking the
    meeting. Anything else (no row yet, a rule that refuses, a change between the
    read and the write) takes the careful path, under the row's lock, which gives
    the precise answer; when the UPDATE finds the row already present (two taps at
    the same moment), one cheap read says so first.
    """
    if not token or not meeting.checkin_token or not secrets.compare_digest(meeting.checkin_token, token):
        _fail(_("Mã điểm danh không đúng."))
    if row is None:
        row = own_checkin_row(meeting.pk, user.pk)
    if row is None or row.minutes_locked:
        return _check_in_carefully(meeting, user)
    now = _check_in_allowed(meeting, now=timezone.localtime())
    if row.status == Attendance.Status.PRESENT:
        return row
    late = meeting.started_at is not None and now > meeting.started_at
    wanted = {
        # What mark_attendance(status=present) writes.
        "status": Attendance.Status.PRESENT, "reason": "", "left_at": None, "approved_absence": False,
        "arrived_at": now.time().replace(second=0, microsecond=0) if late else None,
        "marked_by": user, "marked_at": now,
    }
    changed = (Attendance.objects.filter(pk=row.pk, version=row.version).exclude(status=Attendance.Status.PRESENT)
               .update(version=F("version") + 1, **wanted))
    if not changed:
        # Mostly the member's other tap, a moment earlier: one cheap look tells, and writes nothing.
        now_present = Attendance.objects.filter(pk=row.pk, status=Attendance.Status.PRESENT).values_list(
            "version", "arrived_at").first()
        if now_present is not None:
            row.status, (row.version, row.arrived_at) = Attendance.Status.PRESENT, now_present
            return row
        return _check_in_carefully(Meeting.objects.select_related("organization").get(pk=meeting.pk), user)
    for field, value in wanted.items():
        setattr(row, field, value)
    row.version += 1
    return row


def _check_in_allowed(meeting, *, now):
    if meeting.state == Meeting.State.CANCELLED:
        _fail(_("Buổi sinh hoạt đã hủy."))
    if now.date() != meeting_date(meeting):
        _fail(_("Chỉ điểm danh được trong ngày sinh hoạt %(d)s.") % {"d": format_date(meeting_date(meeting))})
    if meeting.ended_at:
        _fail(_("Buổi sinh hoạt đã kết thúc."))
    return now


def _check_in_carefully(meeting, user):
    """The rare tap: no row yet (one is created if the member is summoned), a refusal, or a race."""
    member = selectors.own_member(user)
    if member is None:
        _fail(_("Tài khoản của bạn chưa gắn với hồ sơ đảng viên; hãy nhờ bí thư chi bộ điểm danh."))
    now = _check_in_allowed(meeting, now=timezone.localtime())
    with transaction.atomic():
        row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
        if row is not None and row.status == Attendance.Status.PRESENT:
            return row
        late = meeting.started_at is not None and now > meeting.started_at
        return mark_attendance(meeting, member, status=Attendance.Status.PRESENT, by=user,
                               arrived_at=now.time().replace(second=0, microsecond=0) if late else None)


# ---------------------------------------------------------------- the meeting itself

def _member_on_roster(meeting, member, field):
    if member is not None and not Attendance.objects.filter(meeting=meeting, member=member).exists():
        _fail(_("%(name)s không có trong danh sách điểm danh.") % {"name": member.full_name}, field)


@transaction.atomic
def start_meeting(meeting, *, by, at=None, chair=None, minute_taker=None):
    """The meeting opens: the start time is recorded, the roster and minutes exist from now on."""
    meeting = _locked_meeting(meeting)
    _check_editable(meeting)
    if meeting.started_at:
        _fail(_("Buổi sinh hoạt đã bắt đầu lúc %(t)s.") % {"t": timezone.localtime(meeting.started_at).strftime("%H:%M")})
    at = at or timezone.now()
    if timezone.localdate(at) != meeting_date(meeting):
        _fail(_("Giờ bắt đầu phải trong ngày sinh hoạt %(d)s; nếu họp ngày khác, hãy đổi lịch trước.")
              % {"d": format_date(meeting_date(meeting))}, "at")
    if at > timezone.now() + timedelta(minutes=5):
        _fail(_("Giờ bắt đầu chưa đến."), "at")
    open_roster(meeting)
    _member_on_roster(meeting, chair, "chair")
    _member_on_roster(meeting, minute_taker, "minute_taker")
    meeting.started_at = at
    if chair is not None:
        meeting.chair = chair
    if minute_taker is not None:
        meeting.minute_taker = minute_taker
    _stamp(meeting, by).save()
    Minutes.objects.get_or_create(meeting=meeting)
    return meeting


@transaction.atomic
def end_meeting(meeting, *, by, at=None):
    """The meeting closes and counts as held. Shorter than the rule: selectors.duration_warning says so, no block."""
    meeting = _locked_meeting(meeting)
    _check_editable(meeting)
    if not meeting.started_at:
        _fail(_("Buổi sinh hoạt chưa bắt đầu."))
    if meeting.ended_at:
        _fail(_("Buổi sinh hoạt đã kết thúc lúc %(t)s.") % {"t": timezone.localtime(meeting.ended_at).strftime("%H:%M")})
    at = at or timezone.now()
    if at <= meeting.started_at:
        _fail(_("Giờ kết thúc phải sau giờ bắt đầu (%(t)s).")
              % {"t": timezone.localtime(meeting.started_at).strftime("%H:%M")}, "at")
    if at > timezone.now() + timedelta(minutes=5):
        _fail(_("Giờ kết thúc chưa đến."), "at")
    meeting.ended_at = at
    meeting.state = Meeting.State.HELD
    _stamp(meeting, by).save()
    return meeting


@transaction.atomic
def add_agenda_item(meeting, *, title, by, kind=AgendaItem.Kind.DISCUSSION, presenter=""):
    _check_editable(meeting)
    title = nfc(title or "").strip()
    if not title:
        _fail(_("Ghi nội dung."), "title")
    if kind not in AgendaItem.Kind.values:
        _fail(_("Hãy chọn loại nội dung."), "kind")
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    order = (meeting.agenda.aggregate(n=Max("order"))["n"] or 0) + 1
    return AgendaItem.objects.create(meeting=meeting, order=order, kind=kind, title=title,
                                     presenter=nfc(presenter or "").strip())


@transaction.atomic
def record_speech(item, *, opinion, by, member=None, speaker_name=""):
    """A speaker's opinion by name (DOMAIN §4.7): a member on the roster, or a guest by name."""
    meeting = item.meeting
    _check_editable(meeting)
    opinion = nfc(opinion or "").strip()
    if not opinion:
        _fail(_("Ghi ý kiến phát biểu."), "opinion")
    _member_on_roster(meeting, member, "member")
    name = member.full_name if member is not None else nfc(speaker_name or "").strip()
    if not name:
        _fail(_("Chọn đảng viên hoặc ghi tên người phát biểu."), "speaker_name")
    return Speech.objects.create(item=item, member=member, speaker_name=name, opinion=opinion)


@transaction.atomic
def record_conclusion(item, *, conclusion, by):
    _check_editable(item.meeting)
    item.conclusion = nfc(conclusion or "").strip()
    item.save(update_fields=["conclusion"])
    return item


def _percent(yes, base):
    return f"{yes * 100 / base:.1f}".replace(".", ",") + "%" if base else "—"


def _fraction_text(value):
    return f"{value.numerator}/{value.denominator}"


@transaction.atomic
def record_vote(item, *, question, yes, no, abstain, rule, by):
    """The result of a show of hands, with whether it passed and why.

    The base is counted from the roster (selectors.vote_base, 294-QĐ/TW §9.3).
    Majority: a resolution is valid with more than the rule's fraction (1/2) of
    the base. Two thirds: admission and recognition need at least 2/3 of the
    official members (Điều lệ Điều 4 khoản 3, Điều 5; DOMAIN §1.8). Both are
    compared exactly with fractions. Only official members vote (Điều lệ Điều 3),
    so more votes than official members present is refused.
    """
    meeting = Meeting.objects.select_for_update().select_related("organization").get(pk=item.meeting_id)
    _check_editable(meeting)
    if not meeting.started_at:
        _fail(_("Buổi sinh hoạt chưa bắt đầu; biểu quyết ghi trong buổi sinh hoạt."))
    question = nfc(question or "").strip()
    if not question:
        _fail(_("Ghi nội dung biểu quyết."), "question")
    if rule not in Vote.Rule.values:
        _fail(_("Hãy chọn cách tính."), "rule")
    if item.kind in (AgendaItem.Kind.ADMISSION, AgendaItem.Kind.RECOGNITION) and rule != Vote.Rule.TWO_THIRDS:
        _fail(_("Kết nạp, công nhận đảng viên chính thức cần từ hai phần ba số đảng viên chính thức tán thành "
                "(Điều lệ Đảng, Điều 4, Điều 5)."), "rule")
    if min(yes, no, abstain) < 0:
        _fail(_("Số phiếu không được âm."), "yes")
    base = selectors.vote_base(meeting)
    if base.unmarked:
        _fail(_("Còn %(n)s đảng viên chưa điểm danh; điểm danh xong mới tính được số biểu quyết.")
              % {"n": base.unmarked})
    if base.base <= 0:
        _fail(_("Không có đảng viên chính thức nào trong số tính biểu quyết."))
    if yes + no + abstain > base.voters:
        _fail(_("Tổng số biểu quyết (%(t)s) nhiều hơn số đảng viên chính thức có mặt được biểu quyết (%(v)s).")
              % {"t": yes + no + abstain, "v": base.voters}, "yes")
    on = meeting_date(meeting)
    try:
        if rule == Vote.Rule.MAJORITY:
            # Quy định 294-QĐ/TW §9.3 (DOMAIN §4.8): valid with more than half of the base.
            threshold = fraction("meeting.resolution_above_fraction", on, meeting.organization)
            passed = yes > base.base * threshold
            sign = ">" if passed else _("không quá")
        else:
            # Điều lệ Đảng Điều 4 khoản 3, Điều 5 (DOMAIN §1.8): at least two thirds of the official members.
            threshold = fraction("admission.vote_min_fraction", on, meeting.organization)
            passed = yes >= base.base * threshold
            sign = "≥" if passed else "<"
    except RuleMissing as missing:
        _fail(str(missing))
    explanation = _("Tán thành %(yes)s/%(base)s (%(pct)s) %(sign)s %(f)s số tính %(base)s → %(result)s. Số tính %(how)s.") % {
        "yes": yes, "base": base.base, "pct": _percent(yes, base.base), "sign": sign, "f": _fraction_text(threshold),
        "result": _("thông qua") if passed else _("không thông qua"), "how": base.breakdown(),
    }
    return Vote.objects.create(item=item, question=question, rule=rule, base=base.base, yes=yes, no=no,
                               abstain=abstain, passed=passed, explanation=explanation[:400], recorded_by=by)


# ---------------------------------------------------------------- minutes and the resolution

@transaction.atomic
def save_minutes(meeting, *, by, opening="", other_notes="", closing="", chair=None, minute_taker=None, guests=""):
    """Write the parts of the minutes that are text, and who chaired and took them (DOMAIN §4.6–4.7)."""
    meeting = _locked_meeting(meeting)
    _check_editable(meeting)
    _member_on_roster(meeting, chair, "chair")
    _member_on_roster(meeting, minute_taker, "minute_taker")
    minutes, _created = Minutes.objects.select_for_update().get_or_create(meeting=meeting)
    minutes.opening, minutes.other_notes, minutes.closing = (nfc(opening or "").strip(), nfc(other_notes or "").strip(),
                                                             nfc(closing or "").strip())
    _stamp(minutes, by).save()
    meeting.chair, meeting.minute_taker, meeting.guests = chair, minute_taker, nfc(guests or "").strip()
    _stamp(meeting, by).save()
    return minutes


@transaction.atomic
def lock_minutes(meeting, *, by, read_back=False):
    """The minutes were read back to the cell (DOMAIN §4.7) and are locked; afterwards only corrections.

    ``read_back`` records that the reading happened now; without it the minutes
    must already say so.
    """
    meeting = _locked_meeting(meeting)
    minutes, _created = Minutes.objects.select_for_update().get_or_create(meeting=meeting)
    if minutes.is_locked:
        _fail(_("Biên bản đã khóa ngày %(d)s.") % {"d": format_date(timezone.localdate(minutes.locked_at))})
    if meeting.state != Meeting.State.HELD:
        _fail(_("Kết thúc buổi sinh hoạt trước khi khóa biên bản."))
    if not (read_back or minutes.read_back):
        _fail(_("Biên bản phải được đọc lại trước chi bộ trước khi khóa."), "read_back")
    if not (meeting.chair_id and meeting.minute_taker_id):
        _fail(_("Ghi người chủ trì và thư ký trước khi khóa biên bản."))
    unmarked = Attendance.objects.filter(meeting=meeting, status=Attendance.Status.UNKNOWN).count()
    if unmarked:
        _fail(_("Còn %(n)s đảng viên chưa điểm danh.") % {"n": unmarked})
    minutes.read_back = True
    minutes.locked_at, minutes.locked_by = timezone.now(), by
    _stamp(minutes, by).save()
    return minutes


@transaction.atomic
def correct_minutes(meeting, *, text, reason, by):
    """A correction to locked minutes: the original stays, the correction is added with its reason."""
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None or not minutes.is_locked:
        _fail(_("Biên bản chưa khóa: hãy sửa trực tiếp."))
    text, reason = nfc(text or "").strip(), nfc(reason or "").strip()
    if not text:
        _fail(_("Ghi nội dung đính chính."), "text")
    if not reason:
        _fail(_("Ghi lý do đính chính."), "reason")
    return MinutesCorrection.objects.create(minutes=minutes, text=text, reason=reason, by=by)


def resolution_body(meeting):
    """The text of the cell's resolution: the passed votes and the chair's conclusions, item by item."""
    day = meeting_date(meeting)
    lines = [
        _("Căn cứ Điều lệ Đảng Cộng sản Việt Nam;"),
        _("Căn cứ kết quả sinh hoạt chi bộ ngày %(d)s,") % {"d": format_date(day)},
        _("CHI BỘ QUYẾT NGHỊ:"),
    ]
    n = 0
    for item in meeting.agenda.prefetch_related("votes"):
        passed = [v for v in item.votes.all() if v.passed]
        if not passed and not item.conclusion:
            continue
        n += 1
        lines.append(f"{n}. {item.title}")
        if item.conclusion:
            lines.append(item.conclusion)
        for vote in passed:
            lines.append(_("%(q)s: tán thành %(yes)s/%(base)s đảng viên.") % {"q": vote.question, "yes": vote.yes,
                                                                             "base": vote.base})
    lines.append(_("Các đồng chí đảng viên trong chi bộ có trách nhiệm thực hiện nghị quyết này."))
    return "\n".join(lines)


@transaction.atomic
def issue_resolution(meeting, *, by):
    """The cell's resolution (Nghị quyết) as a document of the register, numbered "Số 03-NQ/CB", dated the meeting day.

    Only from locked minutes with at least one passed vote, once per meeting.
    """
    from dangbo.documents import actions as documents
    from dangbo.documents.models import DocumentType

    meeting = _locked_meeting(meeting)
    if meeting.resolution_document_id:
        _fail(_("Buổi sinh hoạt đã có nghị quyết %(ref)s.") % {"ref": meeting.resolution_document.display_reference})
    minutes = _minutes_of(meeting)
    if minutes is None or not minutes.is_locked:
        _fail(_("Khóa biên bản trước khi ban hành nghị quyết."))
    if not Vote.objects.filter(item__meeting=meeting, passed=True).exists():
        _fail(_("Không có nội dung biểu quyết nào được thông qua; không có nghị quyết để ban hành."))
    doc_type = DocumentType.objects.filter(code="NQ", active=True).first()
    if doc_type is None:
        _fail(_("Chưa có loại văn bản Nghị quyết (NQ) trong sổ văn bản."))
    day = meeting_date(meeting)
    summary = _("Sinh hoạt chi bộ %(kind)s tháng %(m)s năm %(y)s") % {
        "kind": meeting.get_kind_display().lower(), "m": f"{day.month:02d}", "y": day.year}
    if meeting.theme:
        summary += f": {meeting.theme}"
    signer = documents.secretary_name(meeting.organization) or (meeting.chair.full_name if meeting.chair else "")
    document = documents.create_draft(organization=meeting.organization, doc_type=doc_type, summary=summary[:500],
                                      body=resolution_body(meeting), signer_name=signer, by=by)
    documents.issue_document(document, on=day, by=by)
    meeting.resolution_document = document
    _stamp(meeting, by).save()
    return document

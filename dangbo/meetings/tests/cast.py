"""The meetings' test cast: the shared cast, a term for the cell, members on its roll, meeting helpers.

Shared by the meetings tests (plan, preparation, attendance, votes, minutes, pages); it holds no tests.
"""

from datetime import date, datetime, time, timedelta
from itertools import count

from django.utils import timezone

from dangbo.documents.models import seed_default_types
from dangbo.meetings import actions
from dangbo.meetings.models import Meeting
from dangbo.members.actions import create_member
from dangbo.members.choices import Status
from dangbo.organizations.models import Term
from dangbo.test import BaseTestCase

_serial = count(1)


def make_member(cell, name=None, *, status=Status.OFFICIAL, user=None, by=None, **fields):
    """A member on ``cell``'s roll, admitted in 2010 (official since 2011 unless probationary)."""
    n = next(_serial)
    values = {"full_name": name or f"Đảng viên Thử {n:03d}", "sex": "male", "date_of_birth": date(1975, 1, 1),
              "admission_date": date(2010, 5, 19)}
    if status != Status.PROBATIONARY:
        values["official_date"] = date(2011, 5, 19)
    else:
        values["admission_date"] = date(2026, 1, 10)
    values.update(fields)
    member = create_member(organization=cell, by=by, status=status, **values)
    if user is not None:
        member.user = user
        member.save(update_fields=["user"])
    return member


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def today():
    return timezone.localdate()


def make_meeting(cell, by, *, day=None, hour=19, minute=30, kind=Meeting.Kind.EXTRAORDINARY, place="Nhà văn hóa Khối 1",
                 **fields):
    """A meeting of ``cell`` outside the plan (extraordinary, so months never clash), on ``day`` (default today)."""
    day = day or today()
    if kind in (Meeting.Kind.THEMATIC, Meeting.Kind.COMBINED):
        fields.setdefault("theme", "Học tập nghị quyết")
    return actions.schedule_meeting(cell, kind=kind, scheduled_at=at(day, hour, minute), place=place, by=by, **fields)


def held_meeting(cell, by, *, day=None, start=(19, 30), end=(21, 15), chair=None, **fields):
    """A meeting that opened and closed on ``day`` (default yesterday), its roster marked by the caller."""
    day = day or today() - timedelta(days=1)
    meeting = make_meeting(cell, by, day=day, **fields)
    actions.notify_meeting(meeting, by=by)
    actions.start_meeting(meeting, at=at(day, *start), chair=chair, minute_taker=chair, by=by)
    return meeting, (lambda: actions.end_meeting(meeting, at=at(day, *end), by=by))


class MeetingCase(BaseTestCase):
    """The cast with a term for the cell (resolutions are numbered) and the plain member's own record."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_default_types()
        Term.objects.create(organization=cls.cell, name="2025–2027", starts_on=date(2025, 6, 1),
                            congress_closed_on=date(2025, 5, 31))
        cls.me = make_member(cls.cell, "Phạm Thị Hoa", user=cls.member, sex="female")

    def login(self, user):
        self.client.force_login(user)

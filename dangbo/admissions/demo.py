"""Demo admissions for the demo ward: a course and a handful of candidates at different steps."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from dangbo.admissions import actions
from dangbo.admissions.models import Candidate, DossierKind, Introducer
from dangbo.documents.models import numbering_term, seed_default_types
from dangbo.lib.dates import add_months, add_working_days
from dangbo.members.choices import Status
from dangbo.members.models import Member
from dangbo.organizations.models import Term

PEOPLE = [
    # (name, sex, years old, residence)
    ("Nguyễn Thị Thu Trang", "female", 22, "Số 12, ngõ 5, Khối 1"),
    ("Trần Đức Minh", "male", 27, "Số 40, Khối 2"),
    ("Lê Thị Hồng Nhung", "female", 35, "Số 7, Khối 3"),
    ("Phạm Văn Quyết", "male", 41, "Số 18, Khối 1"),
    ("Hoàng Thị Mai Anh", "female", 29, "Số 3, ngõ 2, Khối 4"),
    ("Võ Văn Thắng", "male", 33, "Số 25, Khối 5"),
]


def _cells(ward):
    cells = list(ward.descendants().cells().filter(category="residential").order_by("code")[:5])
    return cells + [cells[0]] * (5 - len(cells)) if cells else []


def _officials(cell, n=2):
    return list(Member.objects.filter(organization=cell, status=Status.OFFICIAL).order_by("admission_date", "pk")[:n])


def _full_dossier(candidate, by, *, dated_on, certificate_on, course=None):
    actions.record_certificate(candidate, number=f"{candidate.pk:03d}/GCN-TTCT", issued_on=certificate_on,
                               issuer="Trung tâm Chính trị thành phố Vinh", course=course, by=by)
    for kind in DossierKind.values:
        actions.record_dossier_item(candidate, kind=kind, dated_on=dated_on, by=by)
    for member in _officials(candidate.organization):
        actions.add_introducer(candidate, kind=Introducer.Kind.MEMBER, member=member, relation="residence",
                               together_since=add_months(dated_on, -36), letter_on=dated_on, by=by)


def _voted(candidate, by, day):
    """Put the case to an extraordinary meeting of the cell on ``day`` and record a unanimous vote."""
    from dangbo.meetings import actions as meeting_actions
    from dangbo.meetings.models import Attendance, Meeting
    at = timezone.make_aware(datetime.combine(day, time(8, 0)))
    meeting = meeting_actions.schedule_meeting(candidate.organization, kind=Meeting.Kind.EXTRAORDINARY,
                                               scheduled_at=at, by=by, title="Xét kết nạp đảng viên")
    actions.put_to_cell_vote(candidate, meeting=meeting, by=by)
    meeting_actions.start_meeting(meeting, by=by, at=at)
    for row in Attendance.objects.filter(meeting=meeting).select_related("member"):
        meeting_actions.mark_attendance(meeting, row.member, status=Attendance.Status.PRESENT, by=by)
    meeting_actions.end_meeting(meeting, by=by, at=at + timedelta(hours=2))
    return meeting


def _vote(candidate, by, recognition=False):
    from dangbo.meetings.selectors import vote_base

    admission = candidate.admission
    item = admission.recognition_item if recognition else admission.cell_item
    yes = vote_base(item.meeting).voters
    record = actions.record_recognition_result if recognition else actions.record_cell_result
    return record(candidate, yes=yes, no=0, abstain=0, by=by)


@transaction.atomic
def seed_admissions(ward, *, by):
    """A ward course and six candidates: proposed, in the course, assembling the dossier, with a
    certificate about to expire, waiting for the ceremony, and near the end of probation.

    Dates are counted back from today so the deadlines board always has something due.
    Does nothing if the ward already has candidates.
    """
    if Candidate.objects.filter(organization__path__startswith=ward.path).exists():
        return []
    cells = _cells(ward)
    if not cells:
        return []
    seed_default_types()
    today = timezone.localdate()
    if not Term.objects.filter(organization=ward).exists():
        Term.objects.create(organization=ward, name="2025–2030", starts_on=today.replace(year=today.year - 2),
                            congress_closed_on=today.replace(year=today.year - 2))
    course = actions.create_course(organization=ward, title=f"Lớp bồi dưỡng nhận thức về Đảng khóa I/{today.year}",
                                   organizer="Trung tâm Chính trị thành phố Vinh", place="Hội trường Đảng ủy phường",
                                   starts_on=today - timedelta(days=60), ends_on=today - timedelta(days=54), by=by)
    for offset, topic in enumerate(["Chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh", "Điều lệ Đảng",
                                    "Phấn đấu trở thành đảng viên"]):
        actions.add_course_session(course, held_on=course.starts_on + timedelta(days=2 * offset), topic=topic, by=by)
    made = []
    for index, (name, sex, years, address) in enumerate(PEOPLE):
        cell = cells[index % len(cells)]
        made.append(actions.propose_candidate(
            organization=cell, proposed_on=today - timedelta(days=90 + 80 * index), by=by, full_name=name, sex=sex,
            date_of_birth=add_months(today, -12 * years - index - 1), residence_address=address,
            general_education="12/12", lower_secondary_diploma=True, youth_union_at_place=years > 30,
            proposed_by="youth_union" if years <= 30 else "cell",
        ))
    _trang, minh, nhung, quyet, mai_anh, thang = made
    actions.enrol_course(minh, course=course, enrolled_on=course.starts_on, by=by)
    actions.enrol_course(nhung, course=course, enrolled_on=course.starts_on, by=by)
    actions.record_certificate(nhung, number="217/GCN-TTCT", issued_on=course.ends_on, issuer=course.organizer,
                               course=course, by=by)
    actions.record_dossier_item(nhung, kind=DossierKind.APPLICATION, dated_on=course.ends_on, by=by)
    # A full dossier whose certificate expires in a few days: due soon on the board.
    _full_dossier(quyet, by, dated_on=today - timedelta(days=30),
                  certificate_on=add_months(today, -60) + timedelta(days=3))
    # Waiting for the ceremony, and near the end of probation (when a term numbers the decisions).
    for candidate, decided_on in ((thang, add_months(today, -12) - timedelta(days=15)),
                                  (mai_anh, today - timedelta(days=20))):
        if numbering_term(ward, decided_on) is None:
            continue
        meeting_day = decided_on - timedelta(days=10)
        _full_dossier(candidate, by, dated_on=meeting_day - timedelta(days=40),
                      certificate_on=meeting_day - timedelta(days=200))
        _voted(candidate, by, meeting_day)
        _vote(candidate, by)
        actions.issue_admission_decision(candidate, decided_on=decided_on, by=by)
        received = decided_on + timedelta(days=2)
        if candidate is thang:
            actions.record_ceremony(candidate, received_on=received, ceremony_on=add_working_days(received, 5), by=by)
            actions.assign_helper(candidate, member=_officials(candidate.organization, 3)[-1],
                                  on=add_working_days(received, 5), by=by)
        else:
            actions.record_decision_received(candidate, received_on=received, by=by)
    return made

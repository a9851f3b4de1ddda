"""Changes along a candidate's path: proposal, course, dossier, votes, decisions, ceremony, probation.

Every rule is applied by the date of its event (the cell's meeting, the decision,
the receipt, the ceremony, the end of probation), never today's; today only
stops dates in the future. Each action raises ValidationError with a Vietnamese
message when a rule fails.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.admissions import eligibility as el
from dangbo.admissions import selectors
from dangbo.admissions.models import (
    BEFORE_VOTE, IN_PROBATION, Admission, AwarenessCourse, Candidate, Certificate, CourseSession, DossierDocument,
    DossierKind, Enrolment, Introducer, Step,
)
from dangbo.admissions.selectors import (
    CEREMONY_DAYS, MAX_AGE, PROBATION_MONTHS, RECOGNITION_ROUNDS, SUBJECT_TYPE, rule_or_none,
)
from dangbo.lib.dates import format_date
from dangbo.lib.vntext import nfc
from dangbo.meetings import actions as meeting_actions
from dangbo.meetings.models import AgendaItem, Meeting, Vote
from dangbo.meetings.selectors import meeting_date
from dangbo.members.actions import create_member, record_status
from dangbo.members.choices import ON_ROLL, Status
from dangbo.members.models import Member

# The person's fields copied to the registry on admission (the member profile's, DOMAIN 2-HSĐV).
PERSON_FIELDS = [
    "full_name", "other_name", "sex", "date_of_birth", "birthplace_province", "birthplace_ward",
    "birthplace_text", "hometown_province", "hometown_ward", "hometown_text", "ethnicity", "religion",
    "citizen_id", "phone", "email", "residence_address", "occupation", "workplace", "general_education",
    "professional_degree", "theory_level", "state_management_level",
]
CONDITION_FIELDS = ["lower_secondary_diploma", "education_exception", "youth_union_at_place"]
PROPOSAL_FIELDS = ["proposed_by", "proposer_name", "proposed_on"]
EDITABLE_FIELDS = PERSON_FIELDS + CONDITION_FIELDS + PROPOSAL_FIELDS


def _fail(message, field=None):
    raise ValidationError({field: message} if field else message)


def _stamp(obj, by):
    """Tell django-simple-history who made the change when no request is around."""
    obj._history_user = by
    return obj


def _not_future(day, field):
    if day > timezone.localdate():
        _fail(_("Ngày %(d)s chưa đến.") % {"d": format_date(day)}, field)


def _locked(candidate):
    return Candidate.objects.select_for_update(of=("self",)).select_related(
        "organization", "organization__parent").get(pk=candidate.pk)


def _expect(candidate, steps, doing):
    if candidate.step not in steps:
        _fail(_("Không thể %(doing)s: %(name)s đang ở bước «%(step)s».")
              % {"doing": doing, "name": candidate.full_name, "step": candidate.get_step_display()})


def _set_step(candidate, step, by):
    candidate.step = step
    _stamp(candidate, by).save()
    return candidate


def _admission(candidate):
    return Admission.objects.select_for_update().filter(candidate=candidate).first()


def _clean_text(value):
    return nfc(value or "").strip()


def _check_same_cell_member(candidate, member, on, field):
    """An official member of the candidate's cell on ``on`` (helpers, DOMAIN §1.11)."""
    if member.organization_id != candidate.organization_id:
        _fail(_("%(name)s không sinh hoạt ở %(org)s.") % {"name": member.full_name, "org": candidate.organization},
              field)
    if selectors.status_on(member, on) != Status.OFFICIAL:
        _fail(_("%(name)s không phải đảng viên chính thức ngày %(d)s.")
              % {"name": member.full_name, "d": format_date(on)}, field)


# ---------------------------------------------------------------- the candidate

@transaction.atomic
def propose_candidate(*, organization, proposed_on, by, proposed_by="cell", proposer_name="", **fields):
    """A cell or a mass organization proposes an outstanding non-member for the cell to follow."""
    if not organization.is_cell:
        _fail(_("Quần chúng ưu tú do một chi bộ theo dõi; hãy chọn chi bộ."), "organization")
    unknown = set(fields) - set(PERSON_FIELDS + CONDITION_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields {sorted(unknown)}")
    _not_future(proposed_on, "proposed_on")
    citizen_id = fields.get("citizen_id") or ""
    if citizen_id and Member.objects.filter(citizen_id=citizen_id).exists():
        _fail(_("Số CCCD %(id)s đã có trong danh sách đảng viên.") % {"id": citizen_id}, "citizen_id")
    if citizen_id and Candidate.objects.filter(citizen_id=citizen_id).exclude(step=Step.WITHDRAWN).exists():
        _fail(_("Số CCCD %(id)s đã có trong danh sách quần chúng ưu tú.") % {"id": citizen_id}, "citizen_id")
    candidate = Candidate(organization=organization, proposed_on=proposed_on, proposed_by=proposed_by,
                          proposer_name=_clean_text(proposer_name), created_by=by, **fields)
    candidate.full_clean(exclude=["organization", "helper"])
    _stamp(candidate, by).save()
    return candidate


@transaction.atomic
def update_candidate(candidate, *, by, **changes):
    """Edit the person's data and conditions; after admission the registry holds them instead."""
    candidate = _locked(candidate)
    _expect(candidate, BEFORE_VOTE + (Step.COMMITTEE_DECISION,), _("sửa hồ sơ"))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields {sorted(unknown)}")
    for name, value in changes.items():
        setattr(candidate, name, value)
    candidate.full_clean(exclude=["organization", "helper"])
    _stamp(candidate, by).save()
    return candidate


@transaction.atomic
def record_over_age_consent(candidate, *, reference, on, by):
    """DOMAIN §1.2: the provincial standing committee's written consent to admit someone over 60."""
    candidate = _locked(candidate)
    _expect(candidate, BEFORE_VOTE + (Step.COMMITTEE_DECISION,), _("ghi văn bản đồng ý"))
    reference = _clean_text(reference)
    if not reference:
        _fail(_("Ghi số, ký hiệu văn bản đồng ý."), "reference")
    _not_future(on, "on")
    candidate.over_age_consent_reference, candidate.over_age_consent_on = reference, on
    _stamp(candidate, by).save()
    return candidate


@transaction.atomic
def withdraw_candidate(candidate, *, on, reason, by):
    """Stop following a candidate (moved away, no longer wishes, found unsuitable), with the reason."""
    candidate = _locked(candidate)
    _expect(candidate, BEFORE_VOTE + (Step.COMMITTEE_DECISION,), _("dừng xem xét"))
    if not _clean_text(reason):
        _fail(_("Ghi lý do dừng xem xét."), "reason")
    _not_future(on, "on")
    candidate.closed_on, candidate.closed_reason = on, _clean_text(reason)
    return _set_step(candidate, Step.WITHDRAWN, by)


@transaction.atomic
def assign_helper(candidate, *, member, on, by):
    """The cell assigns an official member to help the candidate, and during probation the new
    member (Điều lệ Đảng Điều 5(1), DOMAIN §1.11)."""
    candidate = _locked(candidate)
    _expect(candidate, BEFORE_VOTE + (Step.COMMITTEE_DECISION, Step.CEREMONY) + IN_PROBATION, _("phân công giúp đỡ"))
    _not_future(on, "on")
    _check_same_cell_member(candidate, member, on, "member")
    admission = getattr(candidate, "admission", None)
    if admission is not None and admission.member_id == member.pk:
        _fail(_("Đảng viên không tự giúp đỡ chính mình."), "member")
    candidate.helper, candidate.helper_since = member, on
    _stamp(candidate, by).save()
    return candidate


# ---------------------------------------------------------------- the awareness course

@transaction.atomic
def create_course(*, organization, title, organizer, starts_on, ends_on, by, place=""):
    """A course of the awareness class; the organizer is free text (DOMAIN §1.6, CFG)."""
    if organization.is_cell:
        _fail(_("Lớp bồi dưỡng do đảng bộ mở; hãy chọn đảng bộ."), "organization")
    if ends_on < starts_on:
        _fail(_("Ngày bế giảng trước ngày khai giảng."), "ends_on")
    course = AwarenessCourse(organization=organization, title=_clean_text(title), organizer=_clean_text(organizer),
                             place=_clean_text(place), starts_on=starts_on, ends_on=ends_on, created_by=by)
    course.full_clean()
    _stamp(course, by).save()
    return course


@transaction.atomic
def add_course_session(course, *, held_on, topic, by, lecturer=""):
    if not course.starts_on <= held_on <= course.ends_on:
        _fail(_("Buổi học phải trong thời gian của lớp (%(s)s – %(e)s).")
              % {"s": format_date(course.starts_on), "e": format_date(course.ends_on)}, "held_on")
    if not _clean_text(topic):
        _fail(_("Ghi chuyên đề."), "topic")
    return CourseSession.objects.create(course=course, held_on=held_on, topic=_clean_text(topic),
                                        lecturer=_clean_text(lecturer))


@transaction.atomic
def enrol_course(candidate, *, course, enrolled_on, by):
    """Put a candidate on a course held by the committee above the candidate's cell."""
    candidate = _locked(candidate)
    _expect(candidate, BEFORE_VOTE, _("ghi danh lớp"))
    if not candidate.organization.is_within(course.organization):
        _fail(_("Lớp %(c)s do %(org)s mở, không phải đảng bộ của chi bộ theo dõi quần chúng.")
              % {"c": course.title, "org": course.organization}, "course")
    if enrolled_on > course.ends_on:
        _fail(_("Lớp đã bế giảng ngày %(d)s.") % {"d": format_date(course.ends_on)}, "enrolled_on")
    if Enrolment.objects.filter(course=course, candidate=candidate).exists():
        _fail(_("%(name)s đã có trong danh sách lớp này.") % {"name": candidate.full_name}, "course")
    enrolment = Enrolment.objects.create(course=course, candidate=candidate, enrolled_on=enrolled_on, by=by)
    if candidate.step == Step.PROPOSED:
        _set_step(candidate, Step.COURSE, by)
    return enrolment


@transaction.atomic
def record_certificate(candidate, *, number, issued_on, issuer, by, course=None):
    """The course certificate: number, date and issuer as written on it (DOMAIN §1.6)."""
    candidate = _locked(candidate)
    _expect(candidate, BEFORE_VOTE, _("ghi giấy chứng nhận"))
    number, issuer = _clean_text(number), _clean_text(issuer)
    if not number:
        _fail(_("Ghi số giấy chứng nhận."), "number")
    if not issuer:
        _fail(_("Ghi nơi cấp giấy chứng nhận."), "issuer")
    _not_future(issued_on, "issued_on")
    if course is not None and issued_on < course.starts_on:
        _fail(_("Giấy chứng nhận cấp trước ngày khai giảng lớp (%(d)s).") % {"d": format_date(course.starts_on)},
              "issued_on")
    certificate = _stamp(Certificate(candidate=candidate, course=course, number=number, issued_on=issued_on,
                                     issuer=issuer, by=by), by)
    certificate.save()
    if candidate.step in (Step.PROPOSED, Step.COURSE):
        _set_step(candidate, Step.DOSSIER, by)
    return certificate


# ---------------------------------------------------------------- the dossier

@transaction.atomic
def record_dossier_item(candidate, *, kind, dated_on, by, reference="", note=""):
    """Record one paper of the dossier; a redone paper is recorded again with its new date."""
    candidate = _locked(candidate)
    _expect(candidate, BEFORE_VOTE, _("ghi hồ sơ"))
    if kind not in DossierKind.values:
        _fail(_("Hãy chọn loại giấy tờ."), "kind")
    _not_future(dated_on, "dated_on")
    document = DossierDocument(candidate=candidate, kind=kind, dated_on=dated_on, reference=_clean_text(reference),
                               note=_clean_text(note), by=by)
    _stamp(document, by).save()
    return document


@transaction.atomic
def add_introducer(candidate, *, letter_on, by, kind=Introducer.Kind.MEMBER, member=None, union_name="",
                   relation="", together_since=None, reference="", replaces=None):
    """An introducer's letter, or the Youth Union / trade-union executive's resolution (DOMAIN §1.4–1.5).

    Whether the introducer qualifies is judged on the date the cell considers the
    case (selectors.assess); here only what can never be right is refused.
    ``replaces``: the cell assigns another official member when an introducer
    moves away, is disciplined or cannot continue; the replaced one ends that day.
    """
    candidate = _locked(candidate)
    _expect(candidate, BEFORE_VOTE, _("thêm người giới thiệu"))
    _not_future(letter_on, "letter_on")
    if kind not in Introducer.Kind.values:
        _fail(_("Hãy chọn người giới thiệu."), "kind")
    if kind == Introducer.Kind.MEMBER:
        if member is None:
            _fail(_("Hãy chọn đảng viên giới thiệu."), "member")
        if member.status not in ON_ROLL:
            _fail(_("%(name)s không còn trong danh sách đảng viên.") % {"name": member.full_name}, "member")
        if candidate.introducers.filter(member=member, ended_on__isnull=True).exists():
            _fail(_("%(name)s đã là người giới thiệu.") % {"name": member.full_name}, "member")
        if together_since is None and replaces is None:
            _fail(_("Ghi ngày bắt đầu cùng công tác, học tập hoặc cư trú với quần chúng."), "together_since")
        if together_since is not None and together_since > letter_on:
            _fail(_("Ngày bắt đầu cùng công tác, học tập, cư trú sau ngày thư giới thiệu."), "together_since")
        union_name = ""
    else:
        member, together_since = None, None
        union_name = _clean_text(union_name)
        if not union_name:
            _fail(_("Ghi tên tổ chức Đoàn, Công đoàn giới thiệu."), "union_name")
    if replaces is not None:
        if replaces.candidate_id != candidate.pk or replaces.ended_on is not None:
            _fail(_("Người được thay phải là người giới thiệu hiện tại của quần chúng này."), "replaces")
        replaces.ended_on = letter_on
        replaces.end_reason = replaces.end_reason or _("Chi bộ phân công người khác giới thiệu")
        _stamp(replaces, by).save()
    introducer = Introducer(candidate=candidate, kind=kind, member=member, union_name=union_name,
                            relation=relation if kind == Introducer.Kind.MEMBER else "",
                            together_since=together_since, letter_on=letter_on, reference=_clean_text(reference),
                            replaces=replaces, by=by)
    introducer.full_clean(exclude=["candidate", "member", "replaces"])
    _stamp(introducer, by).save()
    return introducer


@transaction.atomic
def end_introducer(introducer, *, on, reason, by):
    """The introducer moved away, was disciplined or cannot continue (24-QĐ/TW §3.2.2)."""
    candidate = _locked(introducer.candidate)
    _expect(candidate, BEFORE_VOTE, _("thay người giới thiệu"))
    if introducer.ended_on is not None:
        _fail(_("Người giới thiệu này đã thôi từ %(d)s.") % {"d": format_date(introducer.ended_on)})
    if not _clean_text(reason):
        _fail(_("Ghi lý do."), "reason")
    _not_future(on, "on")
    introducer.ended_on, introducer.end_reason = on, _clean_text(reason)
    _stamp(introducer, by).save()
    return introducer


def check_eligibility(candidate, *, on):
    """The dossier checklist and conditions of DOMAIN §1.1–1.7 on ``on``, the cell's meeting date."""
    candidate = selectors.with_dossier(Candidate.objects.filter(pk=candidate.pk)).get()
    return selectors.assess(candidate, on)


def _raise_report(report):
    if not report.ok:
        raise ValidationError([
            _("Chưa đủ điều kiện để chi bộ xét ngày %(d)s:") % {"d": format_date(report.on)}, *report.problems,
        ])


# ---------------------------------------------------------------- votes in the cell's meeting

def _put_on_agenda(candidate, meeting, kind, title, by):
    if meeting.organization_id != candidate.organization_id:
        _fail(_("Buổi sinh hoạt phải của %(org)s.") % {"org": candidate.organization}, "meeting")
    if meeting.state == Meeting.State.CANCELLED:
        _fail(_("Buổi sinh hoạt đã hủy."), "meeting")
    # The subject fields are the admissions capability's to set (meetings.models.AgendaItem).
    item = meeting_actions.add_agenda_item(meeting, title=title, kind=kind, by=by)
    item.subject_type, item.subject_id = SUBJECT_TYPE, candidate.pk
    item.save(update_fields=["subject_type", "subject_id"])
    return item, meeting_date(meeting)


def _vote_on(item, *, question, yes, no, abstain, by):
    """The vote of the item: recorded now through the meetings capability, or the latest one
    already recorded on the meeting's page. Two thirds of the official members (DOMAIN §1.8)."""
    if yes is None:
        vote = item.votes.order_by("-pk").first()
        if vote is None:
            _fail(_("Chưa có kết quả biểu quyết; hãy nhập số phiếu."), "yes")
        return vote, meeting_date(item.meeting)
    vote = meeting_actions.record_vote(item, question=question, yes=yes, no=no or 0, abstain=abstain or 0,
                                       rule=Vote.Rule.TWO_THIRDS, by=by)
    return vote, meeting_date(item.meeting)


@transaction.atomic
def put_to_cell_vote(candidate, *, meeting, by):
    """Put the admission on the agenda of a cell meeting, after checking the case by that meeting's date.

    Quy định 294-QĐ/TW §1.1: age, and every other condition, is taken on the day
    the cell considers the case, so the check uses the meeting's date.
    """
    candidate = _locked(candidate)
    _expect(candidate, BEFORE_VOTE, _("đưa ra chi bộ xét"))
    on = meeting_date(meeting)
    if on < candidate.proposed_on:
        _fail(_("Buổi sinh hoạt ngày %(m)s trước ngày giới thiệu quần chúng (%(p)s).")
              % {"m": format_date(on), "p": format_date(candidate.proposed_on)}, "meeting")
    current = _admission(candidate)
    if current is not None and current.cell_item is not None and current.cell_item.meeting_id == meeting.pk \
            and candidate.step == Step.CELL_VOTE:
        _fail(_("Việc xét kết nạp %(name)s đã có trong chương trình buổi sinh hoạt này.")
              % {"name": candidate.full_name}, "meeting")
    report = check_eligibility(candidate, on=on)
    _raise_report(report)
    item, on = _put_on_agenda(candidate, meeting, AgendaItem.Kind.ADMISSION,
                              _("Xét đề nghị kết nạp quần chúng %(name)s vào Đảng") % {"name": candidate.full_name}, by)
    admission = current or Admission(candidate=candidate)
    admission.cell_item, admission.cell_meeting_on = item, on
    admission.age_months_at_meeting = report.age_months
    _stamp(admission, by).save()
    _set_step(candidate, Step.CELL_VOTE, by)
    return item


@transaction.atomic
def record_cell_result(candidate, *, by, yes=None, no=None, abstain=None):
    """The cell's vote on the admission (≥ 2/3 of official members, DOMAIN §1.8).

    With counts, the vote is recorded through the meetings capability (which
    computes the base and whether it passed); without, the latest vote already
    recorded on the item is taken. Passed: the case goes to the committee;
    failed: back to the dossier, the cell may consider it again later.
    """
    candidate = _locked(candidate)
    _expect(candidate, (Step.CELL_VOTE,), _("ghi kết quả chi bộ xét"))
    admission = _admission(candidate)
    if admission is None or admission.cell_item is None:
        _fail(_("Chưa đưa quần chúng ra buổi sinh hoạt nào."))
    item = admission.cell_item
    on = meeting_date(item.meeting)
    _not_future(on, "yes")
    # The meeting may have moved: the conditions are checked again by its actual date.
    report = check_eligibility(candidate, on=on)
    _raise_report(report)
    vote, on = _vote_on(item, question=_("Đề nghị kết nạp %(name)s vào Đảng") % {"name": candidate.full_name},
                        yes=yes, no=no, abstain=abstain, by=by)
    admission.cell_meeting_on, admission.age_months_at_meeting = on, report.age_months
    if vote.passed:
        admission.cell_passed_on = on
        _set_step(candidate, Step.COMMITTEE_DECISION, by)
    else:
        _set_step(candidate, Step.DOSSIER, by)
    _stamp(admission, by).save()
    return vote


# ---------------------------------------------------------------- the committee's decisions

def _decision_type():
    from dangbo.documents.models import DocumentType

    doc_type = DocumentType.objects.filter(code="QĐ", active=True).first()
    if doc_type is None:
        _fail(_("Chưa có loại văn bản Quyết định (QĐ) trong sổ văn bản."))
    return doc_type


def _issue_decision(candidate, *, summary, body, decided_on, by, signer_name=""):
    """A numbered Quyết định of the committee above the cell, through the document register."""
    from dangbo.documents.actions import create_draft, issue_document

    committee = candidate.committee
    if committee is None:
        _fail(_("Chi bộ chưa thuộc đảng bộ nào để ra quyết định."))
    fields = {"body": body}
    if _clean_text(signer_name):
        fields["signer_name"] = _clean_text(signer_name)
    document = create_draft(organization=committee, doc_type=_decision_type(), summary=summary, by=by, **fields)
    return issue_document(document, on=decided_on, by=by)


def _reference(document):
    return _("%(ref)s ngày %(d)s") % {"ref": document.reference, "d": format_date(document.issued_on)}


@transaction.atomic
def issue_admission_decision(candidate, *, decided_on, by, signer_name=""):
    """The ward committee's numbered decision to admit (DOMAIN §1.9); the candidate becomes a
    probationary member of the cell, admitted on the decision's date (party age, DOMAIN §1.15)."""
    candidate = _locked(candidate)
    _expect(candidate, (Step.COMMITTEE_DECISION,), _("ra quyết định kết nạp"))
    admission = _admission(candidate)
    if decided_on < admission.cell_passed_on:
        _fail(_("Ngày quyết định trước ngày chi bộ xét (%(d)s).") % {"d": format_date(admission.cell_passed_on)},
              "decided_on")
    _not_future(decided_on, "decided_on")
    max_months = rule_or_none(MAX_AGE, admission.cell_meeting_on)
    if max_months is not None and (admission.age_months_at_meeting or 0) > max_months:
        # Quy định 24-QĐ/TW §1.1.2, Hướng dẫn 01-HD/TW §1.1 (DOMAIN §1.2): over 60, the
        # provincial standing committee's written consent comes before the decision.
        consent_on = candidate.over_age_consent_on
        if not candidate.over_age_consent_reference or consent_on is None or consent_on > decided_on:
            _fail(_("%(name)s trên 60 tuổi khi chi bộ xét: cần văn bản đồng ý của ban thường vụ cấp ủy trực thuộc "
                    "Trung ương ghi ngày trước hoặc trong ngày quyết định.") % {"name": candidate.full_name},
                  "decided_on")
    body = _("Kết nạp quần chúng %(name)s, sinh ngày %(dob)s, vào Đảng Cộng sản Việt Nam; sinh hoạt tại %(cell)s. "
             "Thời gian dự bị 12 tháng kể từ ngày chi bộ tổ chức lễ kết nạp.") % {
        "name": candidate.full_name, "dob": format_date(candidate.date_of_birth), "cell": candidate.organization}
    document = _issue_decision(candidate, summary=_("Về việc kết nạp đảng viên"), body=body, decided_on=decided_on,
                               by=by, signer_name=signer_name)
    fields = {name: getattr(candidate, name) for name in PERSON_FIELDS}
    member = create_member(organization=candidate.organization, by=by, status=Status.PROBATIONARY,
                           status_on=decided_on, reason=_("Kết nạp vào Đảng"), decision_reference=_reference(document),
                           admission_date=decided_on, **fields)
    admission.decision, admission.decided_on, admission.member = document, decided_on, member
    admission.age_months_at_decision = el.age_months(candidate.date_of_birth, decided_on)
    _stamp(admission, by).save()
    _set_step(candidate, Step.CEREMONY, by)
    return document


@transaction.atomic
def record_decision_received(candidate, *, received_on, by):
    """The day the cell receives the decision: the ceremony's 30 working days start the day after."""
    candidate = _locked(candidate)
    _expect(candidate, (Step.CEREMONY,), _("ghi ngày nhận quyết định"))
    admission = _admission(candidate)
    if received_on < admission.decided_on:
        _fail(_("Ngày nhận trước ngày quyết định (%(d)s).") % {"d": format_date(admission.decided_on)}, "received_on")
    _not_future(received_on, "received_on")
    admission.received_on = received_on
    _stamp(admission, by).save()
    return admission


def ceremony_deadline(admission, received_on):
    days = rule_or_none(CEREMONY_DAYS, received_on, admission.candidate.organization)
    if days is None:
        _fail(_("Không có quy định về thời hạn tổ chức lễ kết nạp áp dụng ngày %(d)s.") % {"d": format_date(received_on)})
    return el.ceremony_deadline(received_on, days)


@transaction.atomic
def record_ceremony(candidate, *, ceremony_on, by, received_on=None, consent_reference="", consent_on=None):
    """The admission ceremony; probation runs 12 months from it (Điều lệ Điều 5(1), DOMAIN §1.11).

    Quy định 24-QĐ/TW §4.1 (DOMAIN §1.10): within 30 working days after the cell
    receives the decision (the number by the day of receipt); later needs the
    immediate superior committee's consent, recorded with its date.
    """
    candidate = _locked(candidate)
    _expect(candidate, (Step.CEREMONY,), _("ghi lễ kết nạp"))
    admission = _admission(candidate)
    if received_on is not None:
        admission = record_decision_received(candidate, received_on=received_on, by=by)
    if admission.received_on is None:
        _fail(_("Ghi ngày chi bộ nhận quyết định kết nạp."), "received_on")
    if ceremony_on < admission.received_on:
        _fail(_("Lễ kết nạp trước ngày chi bộ nhận quyết định (%(d)s).") % {"d": format_date(admission.received_on)},
              "ceremony_on")
    _not_future(ceremony_on, "ceremony_on")
    deadline = ceremony_deadline(admission, admission.received_on)
    consent_reference = _clean_text(consent_reference)
    if ceremony_on > deadline:
        if not consent_reference or consent_on is None:
            _fail(_("Lễ kết nạp ngày %(d)s quá thời hạn %(due)s (30 ngày làm việc kể từ ngày nhận quyết định): "
                    "ghi văn bản đồng ý của cấp ủy cấp trên trực tiếp.")
                  % {"d": format_date(ceremony_on), "due": format_date(deadline)}, "consent_reference")
        if consent_on > ceremony_on:
            _fail(_("Văn bản đồng ý phải có trước lễ kết nạp."), "consent_on")
        admission.ceremony_consent_reference, admission.ceremony_consent_on = consent_reference, consent_on
    months = rule_or_none(PROBATION_MONTHS, ceremony_on)
    if months is None:
        _fail(_("Không có quy định về thời gian dự bị áp dụng ngày %(d)s.") % {"d": format_date(ceremony_on)})
    admission.ceremony_on = ceremony_on
    admission.probation_ends_on = el.probation_ends_on(ceremony_on, months)
    _stamp(admission, by).save()
    _set_step(candidate, Step.PROBATION, by)
    return admission


# ---------------------------------------------------------------- recognition

@transaction.atomic
def put_recognition_to_vote(candidate, *, meeting, by):
    """Put recognition on a cell meeting held after probation ends (24-QĐ/TW §4.2.1, DOMAIN §1.13)."""
    candidate = _locked(candidate)
    _expect(candidate, (Step.PROBATION,), _("đưa ra chi bộ xét công nhận"))
    admission = _admission(candidate)
    on = meeting_date(meeting)
    if on < admission.probation_ends_on:
        _fail(_("Chi bộ chỉ xét công nhận sau khi hết 12 tháng dự bị (ngày %(d)s); buổi sinh hoạt ngày %(m)s.")
              % {"d": format_date(admission.probation_ends_on), "m": format_date(on)}, "meeting")
    if admission.member.status not in (Status.PROBATIONARY,):
        _fail(_("%(name)s không còn là đảng viên dự bị (%(s)s).")
              % {"name": admission.member.full_name, "s": admission.member.get_status_display()})
    item, on = _put_on_agenda(candidate, meeting, AgendaItem.Kind.RECOGNITION,
                              _("Xét công nhận đảng viên chính thức cho đồng chí %(name)s") % {
                                  "name": candidate.full_name}, by)
    admission.recognition_item, admission.recognition_meeting_on = item, on
    _stamp(admission, by).save()
    _set_step(candidate, Step.RECOGNITION_VOTE, by)
    return item


@transaction.atomic
def record_recognition_result(candidate, *, by, yes=None, no=None, abstain=None):
    """The cell's vote on recognition, as for admission (DOMAIN §1.8). Failed: back to probation;
    after the rule's number of failed votes (3) the superior committee decides (DOMAIN §1.14)."""
    candidate = _locked(candidate)
    _expect(candidate, (Step.RECOGNITION_VOTE,), _("ghi kết quả xét công nhận"))
    admission = _admission(candidate)
    _not_future(meeting_date(admission.recognition_item.meeting), "yes")
    vote, on = _vote_on(admission.recognition_item, yes=yes, no=no, abstain=abstain, by=by,
                        question=_("Đề nghị công nhận %(name)s là đảng viên chính thức") % {"name": candidate.full_name})
    admission.recognition_meeting_on = on
    if vote.passed:
        admission.recognition_passed_on = on
        _set_step(candidate, Step.RECOGNITION_DECISION, by)
    else:
        _set_step(candidate, Step.PROBATION, by)
    _stamp(admission, by).save()
    return vote


def superior_decides(candidate):
    """Whether the cell failed the rule's number of recognition votes, so the superior decides (DOMAIN §1.14)."""
    admission = getattr(candidate, "admission", None)
    if admission is None or admission.probation_ends_on is None:
        return False
    rounds = rule_or_none(RECOGNITION_ROUNDS, admission.probation_ends_on) or 3
    return selectors.failed_rounds(candidate, "recognition") >= rounds


@transaction.atomic
def issue_recognition_decision(candidate, *, decided_on, by, signer_name=""):
    """The committee's numbered decision recognizing an official member.

    24-QĐ/TW §4.2.2 (DOMAIN §1.14): official from the end of the 12 months, even
    when the cell met or the decision came late, so the status takes effect on
    the end of probation, not on the decision's date.
    """
    candidate = _locked(candidate)
    if candidate.step != Step.RECOGNITION_DECISION and not (candidate.step == Step.PROBATION
                                                           and superior_decides(candidate)):
        _expect(candidate, (Step.RECOGNITION_DECISION,), _("ra quyết định công nhận"))
    admission = _admission(candidate)
    after = admission.recognition_passed_on or admission.recognition_meeting_on or admission.probation_ends_on
    if decided_on < after:
        _fail(_("Ngày quyết định trước ngày chi bộ xét (%(d)s).") % {"d": format_date(after)}, "decided_on")
    _not_future(decided_on, "decided_on")
    member = admission.member
    if member.status not in (Status.PROBATIONARY, Status.AWAY):
        _fail(_("%(name)s không còn là đảng viên dự bị (%(s)s).") % {"name": member.full_name,
                                                                     "s": member.get_status_display()})
    body = _("Công nhận đồng chí %(name)s, sinh ngày %(dob)s, sinh hoạt tại %(cell)s, là đảng viên chính thức "
             "kể từ ngày %(end)s.") % {"name": member.full_name, "dob": format_date(member.date_of_birth),
                                       "cell": member.organization, "end": format_date(admission.probation_ends_on)}
    document = _issue_decision(candidate, summary=_("Về việc công nhận đảng viên chính thức"), body=body,
                               decided_on=decided_on, by=by, signer_name=signer_name)
    record_status(member, status=Status.OFFICIAL, effective_on=admission.probation_ends_on, by=by,
                  reason=_("Công nhận đảng viên chính thức"), decision_reference=_reference(document))
    admission.recognition_decision, admission.recognized_on = document, decided_on
    _stamp(admission, by).save()
    _set_step(candidate, Step.OFFICIAL, by)
    return document


@transaction.atomic
def propose_removal_of_unfit(candidate, *, proposed_on, reason, by, reference=""):
    """A probationary member found unfit: the cell proposes removal (xóa tên) to the committee.

    24-QĐ/TW §4.2.1 (DOMAIN §1.13, §6): a proposal only; the member stays on the
    roll until the committee's decision is recorded in the registry.
    """
    candidate = _locked(candidate)
    _expect(candidate, IN_PROBATION, _("đề nghị xóa tên"))
    admission = _admission(candidate)
    if not _clean_text(reason):
        _fail(_("Ghi lý do chi bộ đề nghị xóa tên."), "reason")
    if proposed_on < admission.ceremony_on:
        _fail(_("Ngày đề nghị trước lễ kết nạp (%(d)s).") % {"d": format_date(admission.ceremony_on)}, "proposed_on")
    _not_future(proposed_on, "proposed_on")
    admission.removal_proposed_on, admission.removal_reason = proposed_on, _clean_text(reason)
    admission.removal_reference = _clean_text(reference)
    _stamp(admission, by).save()
    _set_step(candidate, Step.REMOVAL_PROPOSED, by)
    return admission

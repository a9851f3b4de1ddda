"""Read side of admissions: scoped lists, the dossier checklist, deadlines by date, statistics."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from dangbo.lib import history
from dangbo.lib.deadlines import deadline_state, deadline_text
from dangbo.admissions import eligibility as el
from dangbo.admissions.models import (
    BEFORE_VOTE, CLOSED, FIXED_KINDS, RENEWABLE_KINDS, Admission, AwarenessCourse, Candidate, Certificate,
    DossierDocument, DossierKind, Enrolment, Introducer, Step,
)
from dangbo.lib.dates import format_date
from dangbo.meetings.models import AgendaItem, Vote
from dangbo.members.choices import Sex, Status
from dangbo.members.models import StatusEvent
from dangbo.organizations import access
from dangbo.organizations.models import Organization
from dangbo.rules.lookup import rule_or_none

# Rule keys (dangbo/rules/catalog.py).
MIN_AGE = "admission.min_age_months"
MAX_AGE = "admission.max_age_months"
INTRODUCERS = "admission.introducers_count"
INTRODUCER_MONTHS = "admission.introducer_months_together"
CERTIFICATE_MONTHS = "admission.awareness_certificate_months"
STALE_MONTHS = "admission.dossier_stale_months"
CEREMONY_DAYS = "admission.ceremony_working_days"
PROBATION_MONTHS = "admission.probation_months"
RECOGNITION_DAYS = "admission.recognition_working_days"
RECOGNITION_ROUNDS = "admission.recognition_vote_rounds"

# A deadline this close (in working days) shows as "sắp hết hạn": the screens'
# convention (as in members.movements), not a regulation.

SUBJECT_TYPE = "admissions.candidate"




# ---------------------------------------------------------------- scoped lists

def candidates_in(user, organization):
    """Candidates followed by cells of ``organization``'s subtree that the user may see (staff)."""
    return (
        Candidate.objects.filter(access.scope_q(user, capability=access.STAFF))
        .filter(organization__path__startswith=organization.path)
    )


def filter_candidates(queryset, data):
    """Apply the list filters (cleaned by CandidateFilterForm): open ones by default."""
    step = data.get("step")
    if step == "all":
        pass
    elif step:
        queryset = queryset.filter(step=step)
    else:
        queryset = queryset.exclude(step__in=CLOSED)
    if data.get("q"):
        queryset = queryset.search(data["q"])
    return queryset


def with_dossier(queryset):
    """Everything the checklist and the deadlines read, fetched in a fixed number of queries."""
    return queryset.select_related(
        "organization", "organization__parent", "admission", "helper",
    ).prefetch_related(
        "certificates", "dossier_documents",
        Prefetch("introducers", queryset=Introducer.objects.select_related("member", "member__organization")),
    )


def status_on(member, on, events=None):
    """The member's status on a date, from the dated status events.

    Before the first event (a record imported with only its current status), the
    profile's dates tell: probationary from the admission date, official from the
    official date; None before the admission.
    """
    if events is None:
        events = list(member.status_events.all())
    current = None
    for event in sorted(events, key=lambda e: (e.effective_on, e.pk)):
        if event.effective_on > on:
            break
        current = event.status
    if current is None and member.admission_date <= on:
        official = member.official_date is not None and member.official_date <= on
        current = Status.OFFICIAL if official else Status.PROBATIONARY
    return current


def _events_by_member(members):
    ids = {m.pk for m in members if m is not None}
    events = {}
    for event in StatusEvent.objects.filter(member_id__in=ids).order_by("effective_on", "pk"):
        events.setdefault(event.member_id, []).append(event)
    return events


# ---------------------------------------------------------------- dossier checklist

OK, MISSING, STALE, EXPIRED, PROBLEM, WARNING = "ok", "missing", "stale", "expired", "problem", "warning"


@dataclass
class Check:
    """One line of the checklist: what, whether it is met on the date, and why not."""

    label: str
    state: str
    detail: str = ""

    @property
    def blocks(self):
        return self.state in (MISSING, STALE, EXPIRED, PROBLEM)

    @property
    def state_label(self):
        return {OK: _("Đạt"), MISSING: _("Thiếu"), STALE: _("Phải làm lại"), EXPIRED: _("Hết hạn"),
                PROBLEM: _("Chưa đạt"), WARNING: _("Lưu ý")}[self.state]

    @property
    def css(self):
        return {OK: "deadline-met", WARNING: "deadline-soon"}.get(self.state, "deadline-overdue")


@dataclass
class Report:
    """The eligibility of a candidate on a date (the cell's meeting date)."""

    on: date
    checks: list = field(default_factory=list)
    introducer_checks: list = field(default_factory=list)
    compiled_on: date | None = None
    stale_after: date | None = None
    age_months: int | None = None
    over_age: bool = False

    @property
    def ok(self):
        return not any(c.blocks for c in self.checks)

    @property
    def problems(self):
        return [c.detail or c.label for c in self.checks if c.blocks]

    @property
    def warnings(self):
        return [c.detail for c in self.checks if c.state == WARNING]


def _latest_by_kind(candidate):
    latest = {}
    for doc in candidate.dossier_documents.all():
        if doc.kind not in latest or (doc.dated_on, doc.pk) > (latest[doc.kind].dated_on, latest[doc.kind].pk):
            latest[doc.kind] = doc
    return latest


def latest_certificate(candidate):
    certificates = sorted(candidate.certificates.all(), key=lambda c: (c.issued_on, c.pk))
    return certificates[-1] if certificates else None


def certificate_until(certificate):
    # DOMAIN §1.6: the validity is the certificate's own, set by the rule in force when it was issued.
    months = rule_or_none(CERTIFICATE_MONTHS, certificate.issued_on)
    return None if months is None else el.certificate_valid_until(certificate.issued_on, months)


def active_introducers(candidate, on=None):
    rows = [i for i in candidate.introducers.all() if i.ended_on is None or (on is not None and i.ended_on > on)]
    return [i for i in rows if on is None or i.letter_on <= on]


def compiled_on(candidate, latest=None):
    """When the dossier counts as compiled (eligibility.dossier_compiled_on), or None if incomplete."""
    latest = latest if latest is not None else _latest_by_kind(candidate)
    fixed = [latest[k].dated_on if k in latest else None for k in FIXED_KINDS]
    renewable = [latest[k].dated_on if k in latest else None for k in RENEWABLE_KINDS]
    introducers = active_introducers(candidate)
    if not introducers:
        return None
    renewable += [i.letter_on for i in introducers]
    return el.dossier_compiled_on(fixed, renewable)


def _certificate_check(candidate, on):
    label = _("Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng")
    certificate = latest_certificate(candidate)
    if certificate is None:
        return Check(label, MISSING, _("Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng."))
    until = certificate_until(certificate)
    if until is None:
        return Check(label, PROBLEM, _("Không có quy định về thời hạn giấy chứng nhận cấp ngày %(d)s.")
                     % {"d": format_date(certificate.issued_on)})
    if on < certificate.issued_on:
        return Check(label, PROBLEM, _("Giấy chứng nhận số %(n)s cấp ngày %(d)s, sau ngày xét %(on)s.")
                     % {"n": certificate.number, "d": format_date(certificate.issued_on), "on": format_date(on)})
    if on > until:
        months = rule_or_none(CERTIFICATE_MONTHS, certificate.issued_on)
        return Check(label, EXPIRED, _(
            "Giấy chứng nhận số %(n)s cấp ngày %(d)s chỉ có giá trị %(m)s tháng, đã hết hạn sau ngày %(u)s: "
            "quần chúng phải học lại lớp bồi dưỡng nhận thức về Đảng trước khi chi bộ xét."
        ) % {"n": certificate.number, "d": format_date(certificate.issued_on), "m": months, "u": format_date(until)})
    return Check(label, OK, _("Số %(n)s, cấp ngày %(d)s bởi %(i)s; còn giá trị đến hết ngày %(u)s.") % {
        "n": certificate.number, "d": format_date(certificate.issued_on), "i": certificate.issuer,
        "u": format_date(until)})


def _paper_checks(candidate, on, latest, stale, months):
    checks = []
    for kind in DossierKind:
        doc = latest.get(kind)
        if doc is None:
            checks.append(Check(kind.label, MISSING, _("Thiếu: %(what)s.") % {"what": kind.label}))
        elif doc.dated_on > on:
            checks.append(Check(kind.label, PROBLEM, _("%(what)s lập ngày %(d)s, sau ngày xét.")
                                % {"what": kind.label, "d": format_date(doc.dated_on)}))
        elif stale and kind in RENEWABLE_KINDS and el.item_needs_redoing(doc.dated_on, months, on):
            checks.append(Check(kind.label, STALE, _("%(what)s lập ngày %(d)s: hồ sơ quá %(m)s tháng, phải làm lại.")
                                % {"what": kind.label, "d": format_date(doc.dated_on), "m": months}))
        else:
            checks.append(Check(kind.label, OK, _("Ngày %(d)s%(ref)s") % {
                "d": format_date(doc.dated_on), "ref": f" — {doc.reference}" if doc.reference else ""}))
    return checks


def _introducer_checks(candidate, on, events, stale, stale_months):
    """DOMAIN §1.4–1.5, on the date the cell considers: who may introduce, and how many."""
    checks = []
    needed = rule_or_none(INTRODUCERS, on) or 2
    months = rule_or_none(INTRODUCER_MONTHS, on) or 12
    committee = candidate.organization.parent or candidate.organization
    introducers = active_introducers(candidate, on)
    members = [i for i in introducers if i.kind == Introducer.Kind.MEMBER]
    unions = [i for i in introducers if i.kind != Introducer.Kind.MEMBER]
    for intro in introducers:
        label = _("Người giới thiệu: %(name)s") % {"name": intro}
        problems = []
        if intro.kind == Introducer.Kind.MEMBER:
            status = status_on(intro.member, on, events.get(intro.member_id, []))
            if status != Status.OFFICIAL:
                shown = Status(status).label if status else _("chưa vào Đảng")
                problems.append(_("%(name)s không phải đảng viên chính thức ngày %(d)s (%(s)s).")
                                % {"name": intro.member, "d": format_date(on), "s": shown})
            if not intro.member.organization.is_within(committee):
                problems.append(_("%(name)s sinh hoạt ở %(org)s, không cùng đảng bộ với chi bộ xét.")
                                % {"name": intro.member, "org": intro.member.organization})
            if not el.introducer_months_ok(intro.together_since, on, months, replacement=intro.is_replacement):
                since = format_date(intro.together_since) if intro.together_since else "?"
                problems.append(_("%(name)s mới cùng công tác, học tập hoặc cư trú với quần chúng từ %(s)s, "
                                  "chưa đủ %(m)s tháng tính đến ngày %(d)s.")
                                % {"name": intro.member, "s": since, "m": months, "d": format_date(on)})
        if stale and el.item_needs_redoing(intro.letter_on, stale_months, on):
            checks.append(Check(label, STALE, _("Thư, nghị quyết giới thiệu ngày %(d)s: hồ sơ quá %(m)s tháng, "
                                                "phải làm lại.") % {"d": format_date(intro.letter_on), "m": stale_months}))
        elif problems:
            checks.append(Check(label, PROBLEM, " ".join(problems)))
        else:
            checks.append(Check(label, OK, _("Giới thiệu ngày %(d)s.") % {"d": format_date(intro.letter_on)}))
    checks.append(_route_check(candidate, on, members, unions, needed))
    return checks


def _route_check(candidate, on, members, unions, needed):
    """Charter Art.4(1): two official members; or, in Youth-Union age where the Youth Union exists,
    the grassroots Youth Union executive + one member; where there is no Youth Union, the
    grassroots trade-union executive + one member."""
    label = _("Số người giới thiệu")
    youth = el.in_youth_union_age(candidate.date_of_birth, on)
    youth_unions = [u for u in unions if u.kind == Introducer.Kind.YOUTH_UNION]
    trade_unions = [u for u in unions if u.kind == Introducer.Kind.TRADE_UNION]
    if youth and candidate.youth_union_at_place:
        if len(youth_unions) != 1 or trade_unions or len(members) < needed - 1:
            return Check(label, PROBLEM, _(
                "Quần chúng trong độ tuổi Đoàn (16–30) ở nơi có tổ chức Đoàn: cần nghị quyết giới thiệu của "
                "Ban Chấp hành Đoàn cơ sở và %(n)s đảng viên chính thức."
            ) % {"n": needed - 1})
        return Check(label, OK, _("Ban Chấp hành Đoàn cơ sở và %(n)s đảng viên chính thức.") % {"n": len(members)})
    if youth_unions:
        return Check(label, PROBLEM, _(
            "Chỉ quần chúng trong độ tuổi Đoàn (16–30) ở nơi có tổ chức Đoàn mới do Đoàn giới thiệu; "
            "hãy thay bằng đảng viên chính thức."))
    if trade_unions:
        if candidate.youth_union_at_place:
            return Check(label, PROBLEM, _("Công đoàn chỉ giới thiệu ở nơi không có tổ chức Đoàn."))
        if len(trade_unions) != 1 or len(members) < needed - 1:
            return Check(label, PROBLEM, _("Cần nghị quyết giới thiệu của Ban Chấp hành Công đoàn cơ sở và "
                                           "%(n)s đảng viên chính thức.") % {"n": needed - 1})
        return Check(label, OK, _("Ban Chấp hành Công đoàn cơ sở và %(n)s đảng viên chính thức.") % {"n": len(members)})
    if len(members) < needed:
        return Check(label, MISSING if not members else PROBLEM, _(
            "Cần %(n)s đảng viên chính thức giới thiệu; mới có %(k)s.") % {"n": needed, "k": len(members)})
    return Check(label, OK, _("%(k)s đảng viên chính thức.") % {"k": len(members)})


def _age_checks(candidate, on, report):
    min_months, max_months = rule_or_none(MIN_AGE, on), rule_or_none(MAX_AGE, on)
    label = _("Tuổi đời tại ngày chi bộ xét")
    if min_months is None or max_months is None:
        return [Check(label, PROBLEM, _("Không có quy định về tuổi áp dụng ngày %(d)s.") % {"d": format_date(on)})]
    # Quy định 294-QĐ/TW §1.1: đủ 18 đến đủ 60 tuổi, tính theo tháng, tại ngày chi bộ xét.
    age = el.check_age(candidate.date_of_birth, on, min_months=min_months, max_months=max_months)
    report.age_months, report.over_age = age.months, age.over_limit
    years, months = age.years_and_months
    shown = _("%(y)s tuổi %(m)s tháng (%(t)s tháng)") % {"y": years, "m": months, "t": age.months}
    if age.too_young:
        return [Check(label, PROBLEM, _("Ngày %(d)s quần chúng mới %(age)s, chưa đủ %(min)s tháng tuổi.")
                      % {"d": format_date(on), "age": shown, "min": min_months})]
    if age.over_limit:
        # DOMAIN §1.2: over 60 needs the provincial standing committee's written consent
        # before the admission decision; the committee's decision checks it again by its date.
        if candidate.over_age_consent_reference and candidate.over_age_consent_on:
            return [Check(label, OK, _("%(age)s; có văn bản đồng ý %(ref)s ngày %(d)s.") % {
                "age": shown, "ref": candidate.over_age_consent_reference,
                "d": format_date(candidate.over_age_consent_on)})]
        return [Check(label, WARNING, _(
            "%(age)s, trên %(max)s tháng: cần văn bản đồng ý của ban thường vụ cấp ủy trực thuộc Trung ương "
            "trước khi đảng ủy quyết định kết nạp.") % {"age": shown, "max": max_months})]
    return [Check(label, OK, shown)]


def _education_check(candidate):
    label = _("Trình độ học vấn")
    if not el.education_ok(lower_secondary_diploma=candidate.lower_secondary_diploma,
                           exception=candidate.education_exception):
        return Check(label, PROBLEM, _("Chưa ghi bằng tốt nghiệp trung học cơ sở trở lên (Quy định 294-QĐ/TW)."))
    if candidate.lower_secondary_diploma:
        return Check(label, OK, _("Có bằng tốt nghiệp THCS trở lên (%(g)s).") % {"g": candidate.general_education or "—"})
    return Check(label, OK, _("Trường hợp đặc biệt: %(e)s") % {"e": candidate.education_exception})


def assess(candidate, on, events=None):
    """The checklist and eligibility of ``candidate`` on ``on``, the date the cell considers the case.

    Every rule is read by that date. ``candidate`` should come through with_dossier().
    """
    report = Report(on=on)
    latest = _latest_by_kind(candidate)
    report.compiled_on = compiled_on(candidate, latest)
    stale_months = rule_or_none(STALE_MONTHS, on) or 12
    stale = False
    if report.compiled_on is not None:
        # Hướng dẫn 01-HD/TW (DOMAIN §1.7): over 12 months since the dossier was compiled
        # and not yet considered: letters, unions' resolutions and comments are redone.
        report.stale_after = el.dossier_stale_after(report.compiled_on, stale_months)
        stale = el.is_stale(report.compiled_on, stale_months, on)
    if events is None:
        events = _events_by_member([i.member for i in candidate.introducers.all()])
    report.checks += _age_checks(candidate, on, report)
    report.checks.append(_education_check(candidate))
    report.checks.append(_certificate_check(candidate, on))
    report.checks += _paper_checks(candidate, on, latest, stale, stale_months)
    report.introducer_checks = _introducer_checks(candidate, on, events, stale, stale_months)
    report.checks += report.introducer_checks
    if stale:
        report.checks.append(Check(_("Thời hạn hồ sơ"), STALE, _(
            "Hồ sơ hoàn thành ngày %(c)s, đến ngày %(d)s đã quá %(m)s tháng mà chi bộ chưa xét: phải làm lại "
            "thư giới thiệu, nghị quyết giới thiệu của Đoàn, Công đoàn và các bản nhận xét.") % {
            "c": format_date(report.compiled_on), "d": format_date(on), "m": stale_months}))
    return report


# ---------------------------------------------------------------- deadlines

@dataclass(frozen=True)
class Deadline:
    """A legal deadline of one candidate and where it stands on a day."""

    candidate: Candidate
    kind: str
    name: str
    due: date
    done_on: date | None = None

    @property
    def key(self):
        return f"{self.candidate.pk}:{self.kind}:{self.due.isoformat()}"

    def state(self, on):
        return deadline_state(self.due, self.done_on, on)

    def text(self, on):
        return deadline_text(self.due, self.done_on, on)

    def row(self, on):
        return {"deadline": self, "candidate": self.candidate, "name": self.name, "due": self.due,
                "state": self.state(on), "text": self.text(on)}


def deadlines_for(candidate):
    """The candidate's deadlines, each computed from the rules by the date of its own event."""
    if candidate.step in CLOSED and candidate.step != Step.OFFICIAL:
        return []
    admission = getattr(candidate, "admission", None)
    rows = []
    if candidate.step in BEFORE_VOTE:
        planned = admission.cell_meeting_on if admission and candidate.step == Step.CELL_VOTE else None
        certificate = latest_certificate(candidate)
        until = certificate_until(certificate) if certificate else None
        if until:
            rows.append(Deadline(candidate, "certificate", _("Giấy chứng nhận lớp nhận thức còn giá trị"), until, planned))
        compiled = compiled_on(candidate)
        months = rule_or_none(STALE_MONTHS, compiled) if compiled else None
        if months:
            rows.append(Deadline(candidate, "dossier", _("Chi bộ xét trước khi hồ sơ quá hạn"),
                                 el.dossier_stale_after(compiled, months), planned))
    if admission is None or admission.decided_on is None:
        return rows
    start = admission.received_on or admission.decided_on
    days = rule_or_none(CEREMONY_DAYS, start, candidate.organization)
    if days is not None:
        # Quy định 24-QĐ/TW §4.1: within 30 working days after the cell receives the decision
        # (counted from the decision's date until the receipt is recorded).
        rows.append(Deadline(candidate, "ceremony", _("Tổ chức lễ kết nạp"), el.ceremony_deadline(start, days),
                             admission.ceremony_on))
    end = admission.probation_ends_on
    days = rule_or_none(RECOGNITION_DAYS, end, candidate.organization) if end else None
    if days is not None:
        # Quy định 24-QĐ/TW §4.2.1: the cell considers recognition within 30 working days after the end.
        rows.append(Deadline(candidate, "recognition", _("Chi bộ xét công nhận đảng viên chính thức"),
                             el.recognition_deadline(end, days),
                             admission.recognition_passed_on or admission.removal_proposed_on))
    return rows


def open_deadlines(candidates, on):
    """Deadlines still to be met on ``on`` (open, due soon or overdue), earliest first."""
    rows = []
    for candidate in candidates:
        for deadline in deadlines_for(candidate):
            if deadline.state(on) in ("open", "soon", "overdue"):
                rows.append(deadline.row(on))
    return sorted(rows, key=lambda r: (r["due"], r["candidate"].full_name))


def deadline_counts(user, organization, on):
    """How many admission deadlines of ``organization``'s subtree are due soon and overdue on ``on``,
    for a summary on an organization's page (admissions/_partials/org_deadlines.html)."""
    candidates = with_dossier(candidates_in(user, organization).exclude(step__in=CLOSED))
    rows = open_deadlines(candidates, on)
    return {"organization": organization, "on": on, "soon": sum(1 for r in rows if r["state"] == "soon"),
            "overdue": sum(1 for r in rows if r["state"] == "overdue"), "open": len(rows)}


def attach_deadlines(candidates, on):
    """Set ``candidate.deadline_rows`` (its open deadlines on ``on``) on each candidate of a list."""
    for candidate in candidates:
        candidate.deadline_rows = [
            d.row(on) for d in deadlines_for(candidate) if d.state(on) in ("open", "soon", "overdue")
        ]
    return candidates


# ---------------------------------------------------------------- votes

def vote_items(candidate, kind):
    """The agenda items of ``kind`` ("admission", "recognition") about the candidate, with their votes."""
    return (
        AgendaItem.objects.filter(subject_type=SUBJECT_TYPE, subject_id=candidate.pk, kind=kind)
        .select_related("meeting").prefetch_related("votes").order_by("meeting__scheduled_at", "pk")
    )


def failed_rounds(candidate, kind):
    return Vote.objects.filter(item__subject_type=SUBJECT_TYPE, item__subject_id=candidate.pk, item__kind=kind,
                               passed=False).count()


# ---------------------------------------------------------------- introducer, helper

def mine(user):
    """Candidates where the user's own member record is an introducer or the helper."""
    member = getattr(user, "member", None) if user.is_authenticated else None
    if member is None:
        return Candidate.objects.none()
    return (
        Candidate.objects.filter(Q(helper=member) | Q(introducers__member=member, introducers__ended_on__isnull=True))
        .distinct().select_related("organization").order_by("search_key", "pk")
    )


# ---------------------------------------------------------------- statistics

def _percent(n, total):
    return round(100 * n / total, 1) if total else 0


def statistics(user, organization, year):
    """The figures offices report for ``year``, each one grouped query (cost independent of rows).

    Admitted = admission decisions dated in the year; young = under 30 on the decision date.
    """
    candidates = candidates_in(user, organization)
    by_step = dict(candidates.values_list("step").annotate(n=Count("pk")))
    admissions = Admission.objects.filter(candidate__in=candidates, decided_on__isnull=False)
    this_year = admissions.filter(decided_on__year=year)
    totals = this_year.aggregate(
        total=Count("pk"),
        women=Count("pk", filter=Q(candidate__sex=Sex.FEMALE)),
        young=Count("pk", filter=Q(age_months_at_decision__lt=el.YOUNG_BELOW_MONTHS)),
    )
    per_year = list(
        admissions.annotate(year=ExtractYear("decided_on")).values("year").annotate(n=Count("pk")).order_by("-year")[:10]
    )
    by_category = dict(this_year.values_list("candidate__organization__category").annotate(n=Count("pk")))
    recognized = admissions.filter(recognized_on__year=year).count()
    courses = AwarenessCourse.objects.filter(starts_on__year=year).filter(
        Q(organization__path__startswith=organization.path) | Q(enrolments__candidate__in=candidates)
    ).distinct()
    learners = Enrolment.objects.filter(candidate__in=candidates, course__starts_on__year=year).count()
    total = totals["total"]
    return {
        "year": year,
        "steps": [{"step": s, "label": s.label, "count": by_step.get(s.value, 0)} for s in Step],
        "open_total": sum(n for s, n in by_step.items() if s not in CLOSED),
        "admitted": total,
        "women": totals["women"], "women_percent": _percent(totals["women"], total),
        "young": totals["young"], "young_percent": _percent(totals["young"], total),
        "recognized": recognized,
        "per_year": per_year,
        "by_category": [
            {"label": label, "count": by_category.get(value, 0), "percent": _percent(by_category.get(value, 0), total)}
            for value, label in Organization.Category.choices
        ],
        "courses": courses.count(),
        "learners": learners,
    }


# ---------------------------------------------------------------- the candidate's page

def _history_rows(candidate):
    """Every recorded change of the candidate's file, newest first, with who made it."""
    return history.merged(
        history.history_rows(Candidate, candidate.history.all(), what=_("Hồ sơ"), summary=lambda r: r.full_name),
        history.history_rows(Certificate, Certificate.history.filter(candidate_id=candidate.pk),
                             what=_("Giấy chứng nhận"), summary=lambda r: f"{r.number}, {format_date(r.issued_on)}"),
        history.history_rows(DossierDocument, DossierDocument.history.filter(candidate_id=candidate.pk),
                             what=_("Giấy tờ"), summary=lambda r: f"{r.get_kind_display()}, {format_date(r.dated_on)}"),
        history.history_rows(Introducer, Introducer.history.filter(candidate_id=candidate.pk),
                             what=_("Người giới thiệu"),
                             summary=lambda r: f"{r.get_kind_display()}, {format_date(r.letter_on)}"),
        history.history_rows(Admission, Admission.history.filter(candidate_id=candidate.pk),
                             what=_("Kết nạp, dự bị")),
    )


def tab_context(candidate, tab, on):
    """What a tab of the candidate's page shows, on ``on`` (the planned meeting date or the chosen day)."""
    if tab in ("dossier", "introducers"):
        report = assess(candidate, on)
        order = {kind: i for i, kind in enumerate(DossierKind.values)}
        return {"report": report, "documents": sorted(candidate.dossier_documents.all(),
                                                      key=lambda d: (order[d.kind], d.dated_on)),
                "introducers": list(candidate.introducers.all())}
    if tab == "course":
        certificates = [{"certificate": c, "until": certificate_until(c)} for c in candidate.certificates.all()]
        return {"enrolments": candidate.enrolments.select_related("course"), "certificates": certificates}
    if tab == "decision":
        return {"items": vote_items(candidate, "admission")}
    if tab == "probation":
        admission = getattr(candidate, "admission", None)
        end = admission.probation_ends_on if admission and admission.probation_ends_on else on
        rounds = rule_or_none(RECOGNITION_ROUNDS, end) or 3
        failed = failed_rounds(candidate, "recognition")
        return {"items": vote_items(candidate, "recognition"), "failed": failed, "rounds": rounds,
                "superior_decides": failed >= rounds}
    if tab == "history":
        return {"rows": _history_rows(candidate)}
    from dangbo.members.forms import place_name

    years, months = divmod(el.age_months(candidate.date_of_birth, on), 12)
    return {
        "age_years": years, "age_rest_months": months,
        "birthplace": candidate.birthplace_text or place_name(candidate.birthplace_province, candidate.birthplace_ward),
        "hometown": candidate.hometown_text or place_name(candidate.hometown_province, candidate.hometown_ward),
    }

"""Absence flags (removal ground, DOMAIN §2) and short-meeting warnings (HD 42, DOMAIN §4.4)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError

from dangbo.meetings import tasks, triggers
from dangbo.meetings.models import AbsenceFlag, Attendance, Meeting
from dangbo.meetings.tests.test_visits import make_meeting, mark, messages_of
from dangbo.members.actions import record_status
from dangbo.members.choices import Status
from dangbo.members.models import StatusEvent
from dangbo.members.tests.test_transfers import make_member
from dangbo.rules.lookup import clear_cache
from dangbo.rules.models import RuleOverride
from dangbo.test import BaseTestCase

UNEXCUSED, EXCUSED, PRESENT = Attendance.Status.UNEXCUSED, Attendance.Status.EXCUSED, Attendance.Status.PRESENT
ON = date(2026, 11, 5)


class CountingTest(BaseTestCase):
    def test_it_counts_all_months_or_the_longest_run(self):
        self.assertEqual(triggers.counted_months([1, 3, 5], "cumulative"), 3)
        self.assertEqual(triggers.counted_months([1, 3, 5], "consecutive"), 1)
        self.assertEqual(triggers.counted_months([1, 2, 4, 5, 6, 9], "consecutive"), 3)
        self.assertEqual(triggers.counted_months([], "consecutive"), 0)

    def test_it_reads_the_rules_of_the_judged_year(self):
        self.assertEqual(triggers.rule_date(2025, date(2026, 2, 1)), date(2025, 12, 31))
        self.assertEqual(triggers.rule_date(2026, date(2026, 2, 1)), date(2026, 2, 1))


class ComputeAbsenceFlagsTest(BaseTestCase):
    def setUp(self):
        self.meetings = {m: make_meeting(self.cell, 2026, m) for m in range(1, 11)}
        self.person = make_member(self.cell, name="Trịnh Văn Vắng")

    def absent(self, member, months, status=UNEXCUSED, **kwargs):
        for month in months:
            mark(self.meetings[month], member, status, **kwargs)

    def compute(self, org=None, on=ON):
        return triggers.compute_absence_flags(org or self.cell, year=2026, on=on)

    def test_it_flags_three_unexcused_months_in_a_year(self):
        self.absent(self.person, [2, 5, 9])
        report = self.compute()
        flag = AbsenceFlag.objects.get()
        self.assertEqual(report.created, [flag])
        self.assertEqual((flag.member, flag.organization, flag.year), (self.person, self.cell, 2026))
        self.assertEqual(flag.months, [2, 5, 9])
        self.assertEqual(flag.decision, AbsenceFlag.Decision.PENDING)
        self.assertEqual(flag.raised_on, ON)

    def test_it_does_not_flag_two_months_or_excused_absences(self):
        self.absent(self.person, [2, 5])
        self.absent(self.person, [7, 8], status=EXCUSED)
        other = make_member(self.cell)
        self.absent(other, [1, 2, 3], status=PRESENT)
        self.compute()
        self.assertFalse(AbsenceFlag.objects.exists())

    def test_two_meetings_in_one_month_count_once(self):
        extra = make_meeting(self.cell, 2026, 2, day=25, kind=Meeting.Kind.THEMATIC)
        self.absent(self.person, [2, 3])
        mark(extra, self.person, UNEXCUSED)
        self.compute()
        self.assertFalse(AbsenceFlag.objects.exists())

    def test_cancelled_meetings_and_exempt_members_are_not_counted(self):
        cancelled = make_meeting(self.cell, 2026, 11, state=Meeting.State.CANCELLED)
        self.absent(self.person, [1, 2])
        mark(cancelled, self.person, UNEXCUSED)
        elder = make_member(self.cell, name="Cụ Miễn")
        self.absent(elder, [1, 2, 3], kind=Attendance.Kind.EXEMPT)
        self.compute()
        self.assertFalse(AbsenceFlag.objects.exists())

    def test_it_is_idempotent(self):
        self.absent(self.person, [1, 2, 3])
        self.compute()
        again = self.compute(on=date(2026, 12, 1))
        self.assertEqual(again.counts(), {"created": 0, "updated": 0, "reopened": 0, "withdrawn": 0})
        flag = AbsenceFlag.objects.get()
        self.assertEqual(flag.raised_on, ON)
        self.assertEqual(flag.history.count(), 1)

    def test_a_pending_flag_follows_new_months(self):
        self.absent(self.person, [1, 2, 3])
        self.compute()
        self.absent(self.person, [6])
        report = self.compute()
        self.assertEqual(len(report.updated), 1)
        self.assertEqual(AbsenceFlag.objects.get().months, [1, 2, 3, 6])

    def test_a_dismissed_flag_opens_again_on_new_months_only(self):
        self.absent(self.person, [1, 2, 3])
        self.compute()
        flag = AbsenceFlag.objects.get()
        triggers.decide_absence_flag(flag, decision=AbsenceFlag.Decision.DISMISSED, decided_on=ON,
                                     note="Ốm nằm viện, có giấy ra viện", by=self.cell_secretary)
        self.compute()
        self.assertEqual(AbsenceFlag.objects.get().decision, AbsenceFlag.Decision.DISMISSED)
        self.absent(self.person, [7])
        report = self.compute()
        flag.refresh_from_db()
        self.assertEqual(report.reopened, [flag])
        self.assertEqual(flag.decision, AbsenceFlag.Decision.PENDING)
        self.assertIn("Mở lại", flag.note)

    def test_a_pending_flag_is_withdrawn_when_attendance_is_corrected(self):
        self.absent(self.person, [1, 2, 3])
        self.compute()
        Attendance.objects.filter(meeting=self.meetings[2], member=self.person).update(status=EXCUSED)
        report = self.compute()
        self.assertEqual(len(report.withdrawn), 1)
        self.assertFalse(AbsenceFlag.objects.exists())

    def test_it_never_changes_the_members_status(self):
        self.absent(self.person, [1, 2, 3, 4, 5])
        self.compute()
        flag = AbsenceFlag.objects.get()
        triggers.decide_absence_flag(flag, decision=AbsenceFlag.Decision.PROPOSED, decided_on=ON,
                                     by=self.cell_secretary)
        self.person.refresh_from_db()
        self.assertEqual(self.person.status, Status.OFFICIAL)
        self.assertFalse(StatusEvent.objects.filter(member=self.person).exclude(status=Status.OFFICIAL).exists())

    def test_it_counts_consecutive_months_when_the_rule_says_so(self):
        RuleOverride.objects.create(key="removal.month_counting", organization=self.ward, value="consecutive",
                                    valid_from=date(2026, 1, 1), reason="Nghị quyết 05-NQ/ĐU")
        clear_cache()
        self.absent(self.person, [1, 3, 5, 7])
        runner = make_member(self.cell, name="Lò Văn Liền")
        self.absent(runner, [4, 5, 6])
        self.compute()
        self.assertEqual(list(AbsenceFlag.objects.values_list("member__full_name", flat=True)), ["Lò Văn Liền"])

    def test_the_counting_rule_is_read_on_the_judged_years_date(self):
        # An override from 2027 on does not apply to 2026 judged late.
        RuleOverride.objects.create(key="removal.month_counting", organization=self.ward, value="consecutive",
                                    valid_from=date(2027, 1, 1), reason="Nghị quyết 01-NQ/ĐU")
        clear_cache()
        self.absent(self.person, [1, 3, 5])
        self.compute(on=date(2027, 3, 1))
        self.assertEqual(AbsenceFlag.objects.get().months, [1, 3, 5])

    def test_a_committee_computes_its_whole_subtree_only(self):
        self.absent(self.person, [1, 2, 3])
        school_member = make_member(self.school_cell)
        for month in (1, 2, 3):
            mark(make_meeting(self.school_cell, 2026, month), school_member, UNEXCUSED)
        far = make_member(self.other_cell)
        for month in (1, 2, 3):
            mark(make_meeting(self.other_cell, 2026, month), far, UNEXCUSED)
        self.compute(org=self.ward)
        self.assertEqual(
            sorted(AbsenceFlag.objects.values_list("organization__code", flat=True)), ["NA.VH.CB01", "NA.VH.CB02"]
        )

    def test_members_no_longer_on_the_roll_are_not_flagged(self):
        self.absent(self.person, [1, 2, 3])
        record_status(self.person, status=Status.REMOVED, effective_on=date(2026, 4, 1), by=self.secretary,
                      decision_reference="12-QĐ/ĐU")
        self.compute()
        self.assertFalse(AbsenceFlag.objects.exists())


class GroundTextTest(BaseTestCase):
    def test_it_names_the_number_and_the_regulation(self):
        member = make_member(self.cell)
        flag = AbsenceFlag.objects.create(member=member, organization=self.cell, year=2026, months=[2, 3, 5],
                                          raised_on=date(2026, 6, 1))
        text = triggers.ground_text(flag)
        self.assertTrue(text.startswith("Bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng — căn cứ "))
        self.assertIn("294-QĐ/TW", text)
        self.assertEqual(triggers.months_text(flag), "tháng 2, 3, 5/2026")

    def test_an_older_year_cites_the_regulation_then_in_force(self):
        member = make_member(self.cell)
        flag = AbsenceFlag.objects.create(member=member, organization=self.cell, year=2024, months=[1, 2, 3],
                                          raised_on=date(2026, 6, 1))
        self.assertIn("24-QĐ/TW", triggers.ground_text(flag))


class DecideAbsenceFlagTest(BaseTestCase):
    def setUp(self):
        self.person = make_member(self.cell, name="Trịnh Văn Vắng")
        self.flag = AbsenceFlag.objects.create(member=self.person, organization=self.cell, year=2026,
                                               months=[1, 2, 3], raised_on=date(2026, 4, 2))

    def decide(self, by=None, **kwargs):
        values = {"decision": AbsenceFlag.Decision.PROPOSED, "decided_on": date(2026, 4, 10), "by": by or
                  self.cell_secretary}
        values.update(kwargs)
        return triggers.decide_absence_flag(self.flag, **values)

    def test_the_cell_proposes_removal_and_only_records_it(self):
        self.decide()
        self.flag.refresh_from_db()
        self.assertEqual(self.flag.decision, AbsenceFlag.Decision.PROPOSED)
        self.assertEqual(self.flag.decided_on, date(2026, 4, 10))
        self.person.refresh_from_db()
        self.assertEqual(self.person.status, Status.OFFICIAL)

    def test_not_proposing_needs_a_reason(self):
        with self.assertRaises(ValidationError) as error:
            self.decide(decision=AbsenceFlag.Decision.DISMISSED)
        self.assertIn("lý do", messages_of(error))
        self.decide(decision=AbsenceFlag.Decision.DISMISSED, note="Đi công tác có báo cáo")

    def test_it_is_decided_once(self):
        self.decide()
        with self.assertRaises(ValidationError):
            self.decide(decision=AbsenceFlag.Decision.DISMISSED, note="x")

    def test_it_refuses_a_date_before_the_flag(self):
        with self.assertRaises(ValidationError):
            self.decide(decided_on=date(2026, 4, 1))

    def test_it_needs_write_on_the_members_cell(self):
        for user in (self.member, self.readonly, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.decide(by=user)
        self.decide(by=self.secretary)  # the ward's secretary writes in every cell of the ward


class ShortMeetingsTest(BaseTestCase):
    def test_it_lists_held_meetings_below_the_minimum_of_their_kind(self):
        short = make_meeting(self.cell, 2026, 1, minutes=75)
        make_meeting(self.cell, 2026, 2, minutes=90)
        combined_short = make_meeting(self.school_cell, 2026, 3, minutes=100, kind=Meeting.Kind.COMBINED)
        make_meeting(self.school_cell, 2026, 4, minutes=120, kind=Meeting.Kind.COMBINED)
        make_meeting(self.cell, 2026, 5, minutes=30, kind=Meeting.Kind.EXTRAORDINARY)
        make_meeting(self.cell, 2026, 6, minutes=30, state=Meeting.State.PLANNED)
        make_meeting(self.cell, 2026, 7)  # no times recorded
        make_meeting(self.other_cell, 2026, 1, minutes=10)
        found = triggers.short_meetings(self.ward, year=2026)
        self.assertEqual([(s.meeting, s.minutes, s.minimum) for s in found],
                         [(short, 75, 90), (combined_short, 100, 120)])

    def test_it_applies_the_rule_by_the_meeting_date(self):
        # HD 42-HD/BTCTW set the minimum from 28/10/2025; no minimum before it.
        make_meeting(self.cell, 2025, 10, day=20, minutes=45)
        late = make_meeting(self.cell, 2025, 11, day=5, minutes=45)
        self.assertEqual([s.meeting for s in triggers.short_meetings(self.cell, year=2025)], [late])


class RefreshTaskTest(BaseTestCase):
    def test_the_task_flags_every_cell_through_the_backend(self):
        from django.utils import timezone

        year = timezone.localdate().year
        people = [make_member(self.cell), make_member(self.other_cell)]
        for person in people:
            for month in (1, 2, 3):
                mark(make_meeting(person.organization, year, month), person, UNEXCUSED)
        result = tasks.refresh_absence_flags.enqueue()
        self.assertEqual(result.status, "SUCCESSFUL")
        self.assertEqual(result.return_value["created"], 2)
        self.assertEqual(set(AbsenceFlag.objects.values_list("member", flat=True)), {p.pk for p in people})
        self.assertEqual(tasks.refresh_absence_flags.enqueue().return_value["created"], 0)

    def test_in_january_it_also_judges_last_year(self):
        self.assertEqual(tasks.years_to_refresh(date(2027, 1, 3)), [2026, 2027])
        self.assertEqual(tasks.years_to_refresh(date(2026, 7, 3)), [2026])

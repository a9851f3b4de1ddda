"""Attendance: the roster with kinds, one-tap marking, stale versions, QR check-in, the list's query count."""

from datetime import date, time, timedelta

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangbo.accounts.models import SESSION_EPOCH_KEY
from dangbo.meetings import actions, selectors
from dangbo.meetings.models import Attendance, Meeting, Minutes
from dangbo.meetings.tests.cast import MeetingCase, at, make_meeting, make_member, today
from dangbo.members import movements
from dangbo.members.choices import Status
from dangbo.members.models import Transfer


# The session engine of config/settings.py (the test suite reads sessions from the database).
DEPLOYED_SESSIONS = override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
                                      SESSION_CACHE_ALIAS="sessions")


def row(meeting, member):
    return Attendance.objects.get(meeting=meeting, member=member)


class RosterTest(MeetingCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.probationary = make_member(cls.cell, "Trần Văn Dự", status=Status.PROBATIONARY)
        cls.exempt = make_member(cls.cell, "Lê Văn Miễn", status=Status.EXEMPT)
        cls.visitor = make_member(cls.school_cell, "Hồ Thị Tạm")
        cls.away = make_member(cls.cell, "Đinh Văn Xa")
        # The visitor is temporarily attached to the cell; "away" is temporarily attached elsewhere.
        for member, to in ((cls.visitor, cls.cell), (cls.away, cls.school_cell)):
            transfer = movements.start_transfer(
                member, kind=Transfer.Kind.TEMPORARY, to_organization=to, moved_on=date(2026, 9, 1),
                letter_number="12-GGT/ĐU", letter_date=date(2026, 9, 2), ends_on=date(2027, 6, 1),
                reason="Đi làm xa", by=cls.office)
            movements.receive_transfer(transfer, presented_on=date(2026, 9, 3), by=cls.office)

    def test_it_lists_every_summoned_member_with_their_kind_once(self):
        meeting = make_meeting(self.cell, self.cell_secretary)
        self.assertEqual(actions.open_roster(meeting), 5)
        self.assertEqual(actions.open_roster(meeting), 0)
        kinds = dict(Attendance.objects.filter(meeting=meeting).values_list("member__full_name", "kind"))
        self.assertEqual(kinds, {
            "Phạm Thị Hoa": "official", "Trần Văn Dự": "probationary", "Lê Văn Miễn": "exempt",
            "Hồ Thị Tạm": "temporary", "Đinh Văn Xa": "official",
        })
        away = row(meeting, self.away)
        self.assertEqual((away.status, away.reason), ("excused", "Đang sinh hoạt tạm thời nơi khác"))
        self.assertTrue(meeting.checkin_token.startswith(f"{meeting.pk}-"))
        names = [r.member.full_name for r in selectors.roster(meeting)]
        self.assertEqual(names, ["Đinh Văn Xa", "Phạm Thị Hoa", "Trần Văn Dự", "Lê Văn Miễn", "Hồ Thị Tạm"])

    def test_a_member_who_joins_later_is_added_on_the_next_opening(self):
        meeting = make_meeting(self.cell, self.cell_secretary)
        actions.open_roster(meeting)
        newcomer = make_member(self.cell, "Vũ Văn Mới")
        self.assertEqual(actions.open_roster(meeting), 1)
        self.assertEqual(row(meeting, newcomer).kind, "official")


class MarkTest(MeetingCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.an = make_member(cls.cell, "Nguyễn Văn An")

    def setUp(self):
        self.meeting = make_meeting(self.cell, self.cell_secretary)
        actions.open_roster(self.meeting)

    def test_it_gives_404_without_a_name_for_a_member_off_the_roster(self):
        stranger = make_member(self.other_cell, "Người Phường Khác")
        self.client.force_login(self.cell_secretary)
        r = self.client.post(f"/meetings/{self.meeting.pk}/attendance/{stranger.pk}/", {"status": "present"})
        self.assertEqual(r.status_code, 404)
        self.assertNotContains(r, "Người Phường Khác", status_code=404)
        r = self.client.post(f"/meetings/{self.meeting.pk}/attendance/{self.an.pk}/", {"status": "present"})
        self.assertNotEqual(r.status_code, 404)

    def test_it_marks_and_counts_versions(self):
        marked = actions.mark_attendance(self.meeting, self.an, status="present", by=self.cell_secretary,
                                         expected_version=0)
        self.assertEqual((marked.status, marked.version, marked.marked_by), ("present", 1, self.cell_secretary))

    def test_a_double_tap_changes_nothing_the_second_time(self):
        actions.mark_attendance(self.meeting, self.an, status="present", by=self.cell_secretary, expected_version=0)
        again = actions.mark_attendance(self.meeting, self.an, status="present", by=self.cell_secretary,
                                        expected_version=0)
        self.assertEqual(again.version, 1)
        self.assertEqual(Attendance.objects.filter(meeting=self.meeting, member=self.an).count(), 1)

    def test_a_stale_version_is_refused_instead_of_overwritten(self):
        actions.mark_attendance(self.meeting, self.an, status="present", by=self.cell_secretary, expected_version=0)
        with self.assertRaisesMessage(ValidationError, "Nguyễn Văn An vừa được người khác điểm danh (có mặt); "
                                                       "hãy tải lại trang rồi ghi lại."):
            actions.mark_attendance(self.meeting, self.an, status="unexcused", by=self.office, expected_version=0)
        self.assertEqual(row(self.meeting, self.an).status, "present")

    def test_marking_different_members_never_conflicts(self):
        actions.mark_attendance(self.meeting, self.an, status="present", by=self.cell_secretary, expected_version=0)
        actions.mark_attendance(self.meeting, self.me, status="present", by=self.office, expected_version=0)
        self.assertEqual(Attendance.objects.filter(meeting=self.meeting, status="present").count(), 2)

    def test_an_excused_absence_needs_a_reason_and_times_need_presence(self):
        with self.assertRaisesMessage(ValidationError, "Ghi lý do vắng của Nguyễn Văn An"):
            actions.mark_attendance(self.meeting, self.an, status="excused", by=self.cell_secretary)
        with self.assertRaisesMessage(ValidationError, "cho người có mặt"):
            actions.mark_attendance(self.meeting, self.an, status="unexcused", arrived_at=time(19, 50),
                                    by=self.cell_secretary)
        with self.assertRaisesMessage(ValidationError, "phải sau giờ đến"):
            actions.mark_attendance(self.meeting, self.an, status="present", arrived_at=time(20, 0),
                                    left_at=time(19, 55), by=self.cell_secretary)
        marked = actions.mark_attendance(self.meeting, self.an, status="present", arrived_at=time(19, 50),
                                         left_at=time(21, 0), by=self.cell_secretary)
        self.assertEqual((marked.arrived_at, marked.left_at), (time(19, 50), time(21, 0)))
        marked = actions.mark_attendance(self.meeting, self.an, status="excused", reason="Ốm", approved_absence=True,
                                         by=self.cell_secretary)
        self.assertEqual((marked.reason, marked.approved_absence, marked.arrived_at), ("Ốm", True, None))

    def test_it_refuses_a_member_of_another_cell(self):
        stranger = make_member(self.school_cell, "Người Lạ")
        with self.assertRaisesMessage(ValidationError, "không sinh hoạt ở Chi bộ Khối 1"):
            actions.mark_attendance(self.meeting, stranger, status="present", by=self.cell_secretary)

    def test_a_member_missing_from_the_roster_gets_a_row_when_marked(self):
        newcomer = make_member(self.cell, "Vũ Văn Mới")
        actions.mark_attendance(self.meeting, newcomer, status="present", by=self.cell_secretary)
        self.assertEqual(row(self.meeting, newcomer).kind, "official")


class CheckInTest(MeetingCase):
    def setUp(self):
        self.meeting = make_meeting(self.cell, self.cell_secretary, hour=0, minute=1)
        actions.notify_meeting(self.meeting, by=self.cell_secretary)
        self.meeting.refresh_from_db()

    def test_a_member_checks_in_by_the_qr_code(self):
        marked = actions.check_in_by_token(self.meeting, self.meeting.checkin_token, self.member)
        self.assertEqual((marked.status, marked.member, marked.marked_by), ("present", self.me, self.member))
        self.assertIsNone(marked.arrived_at)
        self.assertEqual(actions.check_in_by_token(self.meeting, self.meeting.checkin_token, self.member).version, 1)

    def test_checking_in_after_the_start_records_a_late_arrival(self):
        actions.start_meeting(self.meeting, at=at(today(), 0, 1), by=self.cell_secretary)
        self.meeting.refresh_from_db()
        marked = actions.check_in_by_token(self.meeting, self.meeting.checkin_token, self.member)
        self.assertIsNotNone(marked.arrived_at)

    def test_it_refuses_a_wrong_token_another_day_and_people_without_a_record(self):
        with self.assertRaisesMessage(ValidationError, "Mã điểm danh không đúng"):
            actions.check_in_by_token(self.meeting, self.meeting.checkin_token + "x", self.member)
        with self.assertRaisesMessage(ValidationError, "chưa gắn với hồ sơ đảng viên"):
            actions.check_in_by_token(self.meeting, self.meeting.checkin_token, self.cell_secretary)
        later = make_meeting(self.cell, self.cell_secretary, day=today() + timedelta(days=2))
        actions.open_roster(later)
        later.refresh_from_db()
        with self.assertRaisesMessage(ValidationError, "Chỉ điểm danh được trong ngày sinh hoạt"):
            actions.check_in_by_token(later, later.checkin_token, self.member)

    def test_the_checkin_page_asks_for_a_tap_and_marks_on_post(self):
        self.login(self.member)
        url = f"/meetings/checkin/{self.meeting.checkin_token}/"
        r = self.client.get(url)
        self.assertContains(r, "Điểm danh: tôi có mặt")
        self.assertEqual(row(self.meeting, self.me).status, "unknown")
        r = self.client.post(url)
        self.assertContains(r, "Đồng chí Phạm Thị Hoa đã điểm danh: có mặt")
        self.assertEqual(row(self.meeting, self.me).status, "present")

    def test_the_checkin_page_is_404_for_others_and_wrong_tokens(self):
        stranger = make_member(self.other_cell, "Người Phường Khác", user=self.outsider)
        self.assertIsNotNone(stranger)
        self.login(self.outsider)
        self.assertEqual(self.client.get(f"/meetings/checkin/{self.meeting.checkin_token}/").status_code, 404)
        self.assertEqual(self.client.post(f"/meetings/checkin/{self.meeting.checkin_token}/").status_code, 404)
        self.login(self.member)
        self.assertEqual(self.client.get(f"/meetings/checkin/{self.meeting.pk}-nottheone/").status_code, 404)
        self.assertEqual(self.client.get("/meetings/checkin/garbage/").status_code, 404)
        self.assertEqual(self.client.post(f"/meetings/checkin/{self.meeting.pk}-nottheone/").status_code, 404)
        self.assertEqual(self.client.post(f"/meetings/checkin/{10**30}-{self.meeting.checkin_token}/").status_code, 404)
        self.client.logout()
        r = self.client.get(f"/meetings/checkin/{self.meeting.checkin_token}/")
        self.assertEqual(r.status_code, 302)
        self.assertIn("/accounts/login/", r["Location"])


    def url(self):
        return f"/meetings/checkin/{self.meeting.checkin_token}/"

    @DEPLOYED_SESSIONS
    def test_a_tap_is_one_read_and_one_guarded_write_and_a_second_tap_writes_nothing(self):
        self.login(self.member)
        # The session from the cache; on PostgreSQL one statement reads the row and marks it, on
        # SQLite the read (the row with its meeting and account) and the guarded UPDATE.
        with self.assertNumQueries(1 if connection.vendor == "postgresql" else 2):
            r = self.client.post(self.url(), headers={"HX-Request": "true"})
        self.assertContains(r, "Đồng chí Phạm Thị Hoa đã điểm danh: có mặt")
        self.assertNotContains(r, "<nav")
        self.assertNotContains(r, "<html")
        with self.assertNumQueries(1):
            r = self.client.post(self.url())
        # Without JavaScript: the small page, still no menu.
        self.assertContains(r, "Đồng chí Phạm Thị Hoa đã điểm danh: có mặt")
        self.assertContains(r, "<!doctype html>")
        self.assertNotContains(r, "<nav")
        marked = row(self.meeting, self.me)
        self.assertEqual((marked.status, marked.version, marked.marked_by), ("present", 1, self.member))
        self.assertIsNotNone(marked.marked_at)

    @DEPLOYED_SESSIONS
    def test_a_tap_proves_the_session_as_the_login_check_does(self):
        # A session whose password was changed elsewhere, or whose account was closed, is
        # refused as everywhere else (to the login page), and the row is not touched.
        self.login(self.member)
        self.member.set_password("another-password-2026")
        self.member.save()
        r = self.client.post(self.url())
        self.assertEqual(r.status_code, 302)
        self.assertIn("/accounts/login/", r["Location"])
        self.assertEqual(row(self.meeting, self.me).status, "unknown")
        self.client.force_login(self.member)
        self.member.is_active = False
        self.member.save()
        r = self.client.post(self.url())
        self.assertEqual(r.status_code, 302)
        self.assertEqual(row(self.meeting, self.me).status, "unknown")
        self.member.is_active = True
        self.member.save()
        # A session from before the epoch was noted takes the usual path, and the tap counts.
        self.client.force_login(self.member)
        session = self.client.session
        del session[SESSION_EPOCH_KEY]
        session.save()
        self.assertContains(self.client.post(self.url()), "Đồng chí Phạm Thị Hoa đã điểm danh: có mặt")
        self.assertEqual(row(self.meeting, self.me).status, "present")

    @DEPLOYED_SESSIONS
    def test_ones_own_password_change_keeps_the_tap_quick(self):
        self.login(self.member)
        r = self.client.post(reverse("accounts:password_change"), {
            "old_password": "password", "new_password1": "Hoa-moi-2026!", "new_password2": "Hoa-moi-2026!"},
            follow=True)
        self.assertEqual(r.status_code, 200)
        self.member.refresh_from_db()
        self.assertEqual(self.client.session[SESSION_EPOCH_KEY], self.member.session_epoch)
        with self.assertNumQueries(1 if connection.vendor == "postgresql" else 2):
            self.assertContains(self.client.post(self.url()), "Đồng chí Phạm Thị Hoa đã điểm danh: có mặt")

    @DEPLOYED_SESSIONS
    def test_a_tap_by_someone_off_the_roster_or_with_a_wrong_token_is_404(self):
        stranger = make_member(self.other_cell, "Người Phường Khác", user=self.outsider)
        self.assertIsNotNone(stranger)
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url()).status_code, 404)
        self.login(self.member)
        self.assertEqual(self.client.post(f"/meetings/checkin/{self.meeting.pk}-nottheone/").status_code, 404)
        self.assertEqual(row(self.meeting, self.me).status, "unknown")
        self.assertFalse(Attendance.objects.filter(meeting=self.meeting, member=stranger).exists())

    def test_the_page_offers_the_tap_by_htmx_and_by_a_plain_form(self):
        self.login(self.member)
        r = self.client.get(self.url())
        self.assertContains(r, f'hx-post="{self.url()}"')
        self.assertContains(r, f'action="{self.url()}"')
        self.assertContains(r, 'name="csrfmiddlewaretoken"')

    def test_a_late_tap_records_the_time_and_clears_an_earlier_absence(self):
        actions.mark_attendance(self.meeting, self.me, status="excused", reason="Ốm", approved_absence=True,
                                by=self.cell_secretary)
        actions.start_meeting(self.meeting, at=at(today(), 0, 1), by=self.cell_secretary)
        self.login(self.member)
        r = self.client.post(self.url(), headers={"HX-Request": "true"})
        self.assertContains(r, "đến muộn")
        marked = row(self.meeting, self.me)
        self.assertEqual((marked.status, marked.reason, marked.approved_absence, marked.version),
                         ("present", "", False, 2))
        self.assertIsNotNone(marked.arrived_at)
        again = self.client.post(self.url(), headers={"HX-Request": "true"})
        self.assertContains(again, f"đến muộn {marked.arrived_at:%H:%M}")
        self.assertEqual(row(self.meeting, self.me).version, 2)

    def test_it_refuses_a_tap_when_the_minutes_are_locked_or_the_meeting_ended_or_was_cancelled(self):
        self.login(self.member)
        minutes = Minutes.objects.create(meeting=self.meeting, locked_at=timezone.now())
        r = self.client.post(self.url())
        self.assertContains(r, "Biên bản đã khóa ngày", status_code=400)
        self.assertContains(r, "Điểm danh: tôi có mặt", status_code=400)
        r = self.client.post(self.url(), headers={"HX-Request": "true"})
        self.assertContains(r, "Biên bản đã khóa ngày")
        minutes.delete()
        Meeting.objects.filter(pk=self.meeting.pk).update(ended_at=timezone.now())
        self.assertContains(self.client.post(self.url()), "Buổi sinh hoạt đã kết thúc.", status_code=400)
        Meeting.objects.filter(pk=self.meeting.pk).update(ended_at=None, state=Meeting.State.CANCELLED)
        self.assertContains(self.client.post(self.url()), "Buổi sinh hoạt đã hủy.", status_code=400)
        self.assertEqual(row(self.meeting, self.me).status, "unknown")

    def test_a_member_who_joined_after_the_roster_opened_gets_a_row_on_the_tap(self):
        newcomer = make_member(self.cell, "Vũ Văn Mới", user=self.citizen)
        self.login(self.citizen)
        r = self.client.post(self.url())
        self.assertContains(r, "Đồng chí Vũ Văn Mới đã điểm danh: có mặt")
        added = row(self.meeting, newcomer)
        self.assertEqual((added.status, added.kind), ("present", "official"))

    def test_a_tap_racing_a_change_of_the_row_takes_the_careful_path(self):
        read = actions.own_checkin_row(self.meeting.pk, self.member.pk)
        actions.mark_attendance(self.meeting, self.me, status="unexcused", by=self.cell_secretary)
        marked = actions.check_in_by_token(self.meeting, self.meeting.checkin_token, self.member, row=read)
        self.assertEqual((marked.status, marked.version), ("present", 2))
        read = actions.own_checkin_row(self.meeting.pk, self.member.pk)
        self.assertEqual(actions.check_in_by_token(self.meeting, self.meeting.checkin_token, self.member,
                                                   row=read).version, 2)

    def test_two_taps_read_before_either_writes_make_one_write(self):
        first = actions.own_checkin_row(self.meeting.pk, self.member.pk)
        second = actions.own_checkin_row(self.meeting.pk, self.member.pk)
        self.assertEqual(actions.check_in_by_token(self.meeting, self.meeting.checkin_token, self.member,
                                                   row=first).version, 1)
        with self.assertNumQueries(2):  # the UPDATE that finds nothing to do, the look that says why
            marked = actions.check_in_by_token(self.meeting, self.meeting.checkin_token, self.member, row=second)
        self.assertEqual((marked.status, marked.version), ("present", 1))
        self.assertEqual(row(self.meeting, self.me).version, 1)

    @DEPLOYED_SESSIONS
    def test_a_session_ended_elsewhere_cannot_tap(self):
        self.login(self.member)
        cookie = self.client.cookies["sessionid"].value
        other = Client()
        other.cookies["sessionid"] = cookie
        self.assertEqual(other.get(self.url()).status_code, 200)
        cached = "django.contrib.sessions.cached_db" + cookie
        self.assertIsNotNone(caches["sessions"].get(cached))
        self.client.post("/accounts/logout/")
        self.assertIsNone(caches["sessions"].get(cached))
        r = other.post(self.url())
        self.assertEqual(r.status_code, 302)
        self.assertIn("/accounts/login/", r["Location"])
        # A password changed in one session ends the others.
        self.login(self.member)
        other.cookies["sessionid"] = self.client.cookies["sessionid"].value
        self.member.set_password("mật khẩu mới 2026")
        self.member.save()
        r = other.post(self.url())
        self.assertEqual(r.status_code, 302)
        self.assertEqual(row(self.meeting, self.me).status, "unknown")


class AttendancePageTest(MeetingCase):
    def setUp(self):
        self.meeting = make_meeting(self.cell, self.cell_secretary)
        actions.notify_meeting(self.meeting, by=self.cell_secretary)

    def test_one_tap_marks_present_and_returns_the_row(self):
        self.login(self.cell_secretary)
        url = f"/meetings/{self.meeting.pk}/attendance/{self.me.pk}/"
        r = self.client.post(url, {"status": "present", "version": 0}, headers={"HX-Request": "true"})
        self.assertContains(r, 'id="att-' + str(self.me.pk) + '"')
        self.assertContains(r, 'aria-pressed="true"')
        self.assertContains(r, 'hx-swap-oob="true"')
        self.assertContains(r, "Có mặt 1/1")
        # The second tap of a double tap carries the old version: harmless.
        r = self.client.post(url, {"status": "present", "version": 0}, headers={"HX-Request": "true"})
        self.assertNotContains(r, "tải lại trang")
        r = self.client.post(url, {"status": "unexcused", "version": 0}, headers={"HX-Request": "true"})
        self.assertContains(r, "hãy tải lại trang rồi ghi lại")
        self.assertEqual(Attendance.objects.filter(meeting=self.meeting).count(), 1)
        self.assertEqual(row(self.meeting, self.me).status, "present")

    def test_the_detailed_form_records_a_reason_and_flags(self):
        self.login(self.cell_secretary)
        r = self.client.post(f"/meetings/{self.meeting.pk}/attendance/{self.me.pk}/", {
            "status": "excused", "reason": "Đi công tác", "approved_absence": "on", "flags": "1", "version": 0})
        self.assertRedirects(r, f"/meetings/{self.meeting.pk}/attendance/#att-{self.me.pk}", fetch_redirect_response=False)
        marked = row(self.meeting, self.me)
        self.assertEqual((marked.status, marked.reason, marked.approved_absence), ("excused", "Đi công tác", True))

    def test_each_row_posts_to_its_own_address_with_its_labels_and_times(self):
        actions.mark_attendance(self.meeting, self.me, status="present", arrived_at=time(19, 5), by=self.cell_secretary)
        self.login(self.cell_secretary)
        r = self.client.get(f"/meetings/{self.meeting.pk}/attendance/")
        mark = reverse("meetings:mark", args=[self.meeting.pk, self.me.pk])
        self.assertContains(r, f'action="{mark}"', count=2)
        self.assertContains(r, f'hx-post="{mark}"', count=2)
        self.assertContains(r, "Có mặt · đến muộn 19:05")
        self.assertContains(r, 'name="arrived_at" id="ar-' + str(self.me.pk) + '" value="19:05"')

    def test_the_qr_code_is_an_svg_of_the_checkin_address(self):
        self.login(self.cell_secretary)
        r = self.client.get(f"/meetings/{self.meeting.pk}/qr.svg")
        self.assertEqual(r["Content-Type"], "image/svg+xml")
        self.assertTrue(r.content.startswith(b"<svg"))
        self.login(self.member)
        self.assertEqual(self.client.get(f"/meetings/{self.meeting.pk}/qr.svg").status_code, 403)

    def test_a_plain_member_sees_only_their_own_row(self):
        other = make_member(self.cell, "Nguyễn Văn Khác")
        actions.open_roster(self.meeting)
        self.login(self.member)
        r = self.client.get(f"/meetings/{self.meeting.pk}/attendance/")
        self.assertContains(r, "Phạm Thị Hoa")
        self.assertNotContains(r, other.full_name)
        self.assertNotContains(r, "hx-post")

    def test_the_list_keeps_its_query_count_flat(self):
        for i in range(2):
            make_member(self.cell, f"Đảng viên Nhỏ {i}")
        actions.open_roster(self.meeting)
        self.login(self.cell_secretary)
        url = f"/meetings/{self.meeting.pk}/attendance/"
        self.client.get(url)
        with CaptureQueriesContext(connection) as small:
            r = self.client.get(url)
        # A fixed handful (session, user, grants, meeting, roster, transfers, minutes, ...), whatever the rows.
        self.assertLessEqual(len(small.captured_queries), 14)
        self.assertContains(r, "Có mặt 0/3")
        for i in range(17):
            make_member(self.cell, f"Đảng viên Lớn {i}", status=Status.PROBATIONARY if i % 5 == 0 else Status.OFFICIAL)
        actions.open_roster(self.meeting)
        for r_ in Attendance.objects.filter(meeting=self.meeting)[:10]:
            actions.mark_attendance(self.meeting, r_.member, status="present", by=self.cell_secretary)
        with self.assertNumQueries(len(small.captured_queries)):
            r = self.client.get(url)
        self.assertContains(r, "Có mặt 10/20")
        self.assertEqual(timezone.localdate(self.meeting.scheduled_at), today())

"""Two secretaries mark one meeting at once: no row lost or doubled, every update kept, on SQLite and PostgreSQL.

Each thread has its own database connection (closed when the thread ends), as
two requests would. SQLite queues writers with IMMEDIATE transactions (see
config/settings.py); PostgreSQL locks the attendance row (select_for_update).
"""

import threading
from datetime import time

from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client, TransactionTestCase

from dangbo.documents.models import seed_default_types
from dangbo.meetings import actions
from dangbo.meetings.models import Attendance
from dangbo.meetings.tests.cast import make_meeting, make_member
from dangbo.test import Cast, make_user

PER_SECRETARY = 20


class ConcurrentMarkingTest(TransactionTestCase):
    def setUp(self):
        seed_default_types()
        Cast.build(self)
        self.members = [make_member(self.cell, f"Đảng viên {i:02d}") for i in range(2 * PER_SECRETARY)]
        self.shared = make_member(self.cell, "Đảng viên Chung")
        self.meeting = make_meeting(self.cell, self.cell_secretary)

    def _run_together(self, jobs):
        """Start every job at the same moment, each in a thread with its own connection; return the errors."""
        start = threading.Barrier(len(jobs))
        errors = []

        def run(job):
            try:
                connection.ensure_connection()
                start.wait(timeout=30)
                job()
            except Exception as error:  # collected and asserted by the caller
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(any(t.is_alive() for t in threads), "a marking thread hung")
        return errors

    def test_two_secretaries_marking_the_same_meeting_lose_and_double_nothing(self):
        first, second = self.members[:PER_SECRETARY], self.members[PER_SECRETARY:]

        def secretary_a():
            actions.open_roster(self.meeting)
            for i, member in enumerate(first):
                actions.mark_attendance(self.meeting, member, status="present", by=self.cell_secretary,
                                        arrived_at=time(19, 40) if i % 4 == 0 else None, expected_version=0)
                if i == PER_SECRETARY // 2:
                    actions.mark_attendance(self.meeting, self.shared, status="present", by=self.cell_secretary)

        def secretary_b():
            actions.open_roster(self.meeting)
            for i, member in enumerate(second):
                status = "excused" if i % 2 else "unexcused"
                actions.mark_attendance(self.meeting, member, status=status, reason="Ốm" if i % 2 else "",
                                        by=self.office, expected_version=0)
                if i == PER_SECRETARY // 2:
                    actions.mark_attendance(self.meeting, self.shared, status="present", by=self.office)

        errors = self._run_together([secretary_a, secretary_b])
        self.assertEqual(errors, [], f"on {connection.vendor}")
        rows = {a.member_id: a for a in Attendance.objects.filter(meeting=self.meeting)}
        everyone = self.members + [self.shared]
        self.assertEqual(Attendance.objects.filter(meeting=self.meeting).count(), len(everyone))
        self.assertEqual(set(rows), {m.pk for m in everyone})
        for i, member in enumerate(first):
            self.assertEqual(rows[member.pk].status, "present")
            self.assertEqual(rows[member.pk].arrived_at, time(19, 40) if i % 4 == 0 else None)
            self.assertEqual(rows[member.pk].marked_by, self.cell_secretary)
        for i, member in enumerate(second):
            self.assertEqual(rows[member.pk].status, "excused" if i % 2 else "unexcused")
            self.assertEqual(rows[member.pk].marked_by, self.office)
        # Both marked the shared member present: the second was a no-op, not a second row or a conflict.
        self.assertEqual((rows[self.shared.pk].status, rows[self.shared.pk].version), ("present", 1))

    def test_two_different_marks_from_the_same_version_keep_one_and_refuse_the_other(self):
        actions.open_roster(self.meeting)
        target = self.members[0]
        errors = self._run_together([
            lambda: actions.mark_attendance(self.meeting, target, status="present", by=self.cell_secretary,
                                            expected_version=0),
            lambda: actions.mark_attendance(self.meeting, target, status="unexcused", by=self.office,
                                            expected_version=0),
        ])
        self.assertEqual(len(errors), 1, f"on {connection.vendor}: {errors}")
        self.assertIsInstance(errors[0], ValidationError)
        self.assertIn("hãy tải lại trang", " ".join(errors[0].messages))
        row = Attendance.objects.get(meeting=self.meeting, member=target)
        self.assertEqual(row.version, 1)
        self.assertEqual(row.marked_by, self.cell_secretary if row.status == "present" else self.office)

    def test_many_taps_on_one_member_at_once_make_one_row(self):
        target = self.members[0]
        errors = self._run_together([
            lambda: actions.mark_attendance(self.meeting, target, status="present", by=self.cell_secretary)
            for _ in range(6)
        ])
        self.assertEqual(errors, [], f"on {connection.vendor}")
        self.assertEqual(Attendance.objects.filter(meeting=self.meeting, member=target).count(), 1)
        self.assertEqual(Attendance.objects.get(meeting=self.meeting, member=target).version, 1)

    def test_two_phones_posting_taps_at_once_keep_every_mark(self):
        actions.open_roster(self.meeting)
        first, second = self.members[:PER_SECRETARY], self.members[PER_SECRETARY:]

        def phone(user, members, status):
            def taps():
                client = Client()
                client.force_login(user)
                for member in members + [self.shared]:
                    r = client.post(f"/meetings/{self.meeting.pk}/attendance/{member.pk}/",
                                    {"status": status if member != self.shared else "present", "version": 0},
                                    headers={"HX-Request": "true"})
                    assert r.status_code == 200, r.status_code
                    assert "tải lại trang" not in r.content.decode(), member
            return taps

        errors = self._run_together([phone(self.cell_secretary, first, "present"),
                                     phone(self.office, second, "unexcused")])
        self.assertEqual(errors, [], f"on {connection.vendor}")
        statuses = dict(Attendance.objects.filter(meeting=self.meeting).values_list("member_id", "status"))
        self.assertEqual(len(statuses), 2 * PER_SECRETARY + 1)
        self.assertEqual({statuses[m.pk] for m in first}, {"present"})
        self.assertEqual({statuses[m.pk] for m in second}, {"unexcused"})
        self.assertEqual(statuses[self.shared.pk], "present")

    def test_members_tapping_the_qr_code_twice_at_once_are_marked_once_each(self):
        actions.open_roster(self.meeting)
        self.meeting.refresh_from_db()
        tappers = []
        for i, member in enumerate(self.members[:4]):
            member.user = make_user(f"tap{i}", member.full_name)
            member.save(update_fields=["user"])
            tappers.append(member)

        def tap(user):
            def post():
                client = Client()
                client.force_login(user)
                r = client.post(f"/meetings/checkin/{self.meeting.checkin_token}/", headers={"HX-Request": "true"})
                assert r.status_code == 200, r.status_code
                assert "đã điểm danh: có mặt" in r.content.decode(), r.content.decode()
            return post

        errors = self._run_together([tap(m.user) for m in tappers for _twice in range(2)])
        self.assertEqual(errors, [], f"on {connection.vendor}")
        rows = Attendance.objects.filter(meeting=self.meeting, member__in=tappers)
        self.assertEqual(sorted((r.member_id, r.status, r.version) for r in rows),
                         sorted((m.pk, "present", 1) for m in tappers))
        self.assertEqual({r.marked_by_id for r in rows}, {m.user_id for m in tappers})

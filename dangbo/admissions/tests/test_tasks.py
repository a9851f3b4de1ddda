"""Daily reminders: in-app notices per responsible user, email where the user has one, once a day."""

from datetime import date
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from dangbo.accounts.models import Role, RoleAssignment
from dangbo.admissions.models import Notice
from dangbo.admissions.tasks import due_reminders, send_reminders
from dangbo.admissions.tests.factories import complete_dossier, make_officials, propose
from dangbo.test import BaseTestCase, make_user

# A dossier compiled on 01/08/2025 must be considered by Saturday 01/08/2026: four working
# days ahead on Monday 27/07/2026 (due soon), overdue on 02/08/2026.
SOON = "2026-07-27"
OVERDUE = "2026-08-02"


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class RemindersTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        officials = make_officials(cls.cell)
        cls.candidate = propose(cls.cell, cls.cell_secretary)
        complete_dossier(cls.candidate, cls.cell_secretary, officials[:2], on=date(2025, 8, 1),
                         certificate_on=date(2025, 6, 20))
        cls.office.email = "vanphong@example.vn"
        cls.office.save()

    def test_it_reminds_the_cell_and_the_ward_office(self):
        result = send_reminders.enqueue(SOON).return_value
        users = set(Notice.objects.values_list("user__username", flat=True))
        self.assertEqual(users, {"bithuchibo", "vanphong", "bithu"})
        notice = Notice.objects.get(user=self.cell_secretary)
        self.assertEqual(notice.title, "Chi bộ xét trước khi hồ sơ quá hạn: Nguyễn Thị Hạnh (Chi bộ Khối 1) — "
                                       "sắp hết hạn (hạn 01/08/2026)")
        self.assertEqual((notice.state, notice.due_on), ("soon", date(2026, 8, 1)))
        self.assertEqual(notice.url, f"/admissions/{self.candidate.pk}/dossier/")
        self.assertEqual(result, {"notices": 3, "mailed": 1})

    def test_it_mails_only_users_with_an_email(self):
        send_reminders.enqueue(SOON)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["vanphong@example.vn"])
        self.assertIn("Nguyễn Thị Hạnh", mail.outbox[0].body)

    def test_it_is_idempotent_for_a_day(self):
        send_reminders.enqueue(SOON)
        send_reminders.enqueue(SOON)
        self.assertEqual(Notice.objects.count(), 3)
        self.assertEqual(len(mail.outbox), 1)

    def test_it_reminds_again_the_next_day_when_overdue(self):
        send_reminders.enqueue(SOON)
        send_reminders.enqueue(OVERDUE)
        self.assertEqual(Notice.objects.filter(day=date(2026, 8, 2), state="overdue").count(), 3)
        self.assertEqual(len(mail.outbox), 2)

    def test_nothing_is_due_far_ahead(self):
        self.assertEqual(due_reminders(date(2026, 7, 1)), [])
        send_reminders.enqueue("2026-07-01")
        self.assertFalse(Notice.objects.exists())

    def test_other_wards_and_plain_members_are_not_reminded(self):
        send_reminders.enqueue(SOON)
        for user in (self.outsider, self.member, self.readonly):
            self.assertFalse(Notice.objects.filter(user=user).exists())

    def test_an_expired_role_is_not_reminded(self):
        former = make_user("bithucu", "Trương Văn Cũ")
        RoleAssignment.objects.create(user=former, organization=self.cell, role=Role.CELL_SECRETARY,
                                      valid_to=date(2026, 7, 26))
        send_reminders.enqueue(SOON)
        self.assertFalse(Notice.objects.filter(user=former).exists())

    def test_the_command_runs_it(self):
        out = StringIO()
        call_command("send_admission_reminders", "--day", SOON, "--now", stdout=out)
        self.assertEqual(out.getvalue().strip(), "3 nhắc việc mới, 1 email.")

from io import StringIO

from django.core.management import call_command

from dangbo.test import BaseTestCase


class EnqueueDailyTest(BaseTestCase):
    def test_it_enqueues_every_daily_task(self):
        out = StringIO()
        call_command("enqueue_daily", stdout=out)  # the test settings run tasks immediately
        self.assertIn("send_reminders", out.getvalue())
        self.assertIn("refresh_absence_flags", out.getvalue())

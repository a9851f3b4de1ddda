"""The demo ward that `make run` loads."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from dangbo.accounts.models import User
from dangbo.documents.models import Document
from dangbo.meetings.models import Meeting
from dangbo.members.models import Member, ResidenceContact, Transfer
from dangbo.organizations.models import Organization


class SeedDemoTest(TestCase):
    def test_it_builds_the_ward_once_and_prints_the_accounts(self):
        out = StringIO()
        call_command("seed_demo", "--if-empty", stdout=out)
        ward = Organization.objects.get(code="NA.VH")
        cells = ward.descendants().cells()
        self.assertEqual(cells.count(), 24)
        self.assertEqual(cells.filter(category="residential").count(), 17)
        members = Member.objects.filter(organization__path__startswith=ward.path)
        self.assertTrue(1000 <= members.count() <= 1200)
        self.assertTrue(members.filter(full_name__startswith="Nguyễn").exists())
        self.assertTrue(Transfer.objects.exists() and ResidenceContact.objects.exists())
        held = Meeting.objects.filter(organization__path__startswith=ward.path, state="held")
        self.assertGreaterEqual(held.count(), 18)  # 6 pilot cells × Aug–Oct, plus admission meetings
        self.assertFalse(held.filter(planned=True, minutes__locked_at__isnull=True).exists())
        self.assertTrue(Document.objects.filter(organization=ward, number__isnull=False).exists())
        for username in ("bithu", "vanphong", "bithuchibo", "dangvien", "tinhuy"):
            self.assertIn(username, out.getvalue())
            self.assertTrue(User.objects.get(username=username).check_password("dangbo2026"))
        call_command("seed_demo", "--if-empty", stdout=StringIO())
        self.assertEqual(Organization.objects.filter(code="NA.VH").count(), 1)

"""The rollup gives a large committee the same statistics as a live count, and only for its date."""

from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from dangbo.dashboards import rollups
from dangbo.dashboards.models import MemberRollup
from dangbo.members import selectors
from dangbo.members.actions import create_member, record_status
from dangbo.test import BaseTestCase


def add(cell, by, name, **extra):
    fields = dict(full_name=name, sex="male", date_of_birth=date(1980, 1, 1), admission_date=date(2005, 5, 19),
                  official_date=date(2006, 5, 19), status="official")
    fields.update(extra)
    return create_member(organization=cell, by=by, **fields)


class RollupTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        add(cls.cell, cls.office, "Nguyễn Văn An")
        add(cls.cell, cls.office, "Trần Thị Bình", sex="female", date_of_birth=date(2001, 3, 3),
            theory_level="intermediate", ethnicity="Tày")
        add(cls.school_cell, cls.office, "Lê Văn Cường", date_of_birth=date(1950, 6, 1), professional_degree="bachelor")
        gone = add(cls.school_cell, cls.office, "Phạm Văn Dũng")
        record_status(gone, status="deceased", effective_on=date(2024, 1, 2), by=cls.office)
        add(cls.other_cell, cls.outsider, "Hoàng Văn Em", date_of_birth=date(1990, 2, 2))

    def live(self, org, on):
        return selectors.statistics(selectors.members_in(self.secretary, org), on)

    def test_it_gives_the_live_figures_of_a_large_committee(self):
        today = timezone.localdate()
        rollups.refresh(today, min_members=4)
        self.assertTrue(MemberRollup.objects.filter(organization=self.ward).exists())
        rolled = selectors.statistics(selectors.members_in(self.secretary, self.ward), today, organization=self.ward)
        live = self.live(self.ward, today)
        self.assertEqual(rolled["sections"], live["sections"])
        self.assertEqual(rolled["total"], 3)  # the deceased member is a record, not on the roll
        self.assertIsNotNone(rolled["as_of"])
        self.assertIsNone(live["as_of"])

    def test_it_counts_small_committees_live(self):
        rollups.refresh(min_members=4)
        self.assertFalse(MemberRollup.objects.filter(organization=self.other_ward).exists())
        stats = selectors.statistics(selectors.members_in(self.readonly, self.other_ward), timezone.localdate(),
                                     organization=self.other_ward)
        self.assertIsNone(stats["as_of"])
        self.assertEqual(stats["total"], 1)

    def test_it_counts_live_when_the_rollup_is_of_another_day(self):
        today = timezone.localdate()
        rollups.refresh(today - timedelta(days=1), min_members=4)
        add(self.cell, self.office, "Đỗ Thị Gấm", sex="female")
        stats = selectors.statistics(selectors.members_in(self.secretary, self.ward), today, organization=self.ward)
        self.assertIsNone(stats["as_of"])
        self.assertEqual(stats["total"], 4)

    def test_the_page_says_when_the_figures_were_counted(self):
        rollups.refresh(min_members=4)
        self.client.force_login(self.secretary)
        r = self.client.get(f"/members/stats/?org={self.ward.pk}")
        self.assertContains(r, "Số liệu tổng hợp lúc")
        r = self.client.get(f"/members/stats/?org={self.cell.pk}")
        self.assertNotContains(r, "Số liệu tổng hợp lúc")

    def test_the_command_and_the_daily_task_refresh_it(self):
        out = StringIO()
        call_command("refresh_rollups", stdout=out)
        self.assertIn("đảng bộ", out.getvalue())
        out = StringIO()
        call_command("enqueue_daily", stdout=out)
        self.assertIn("refresh_member_rollups", out.getvalue())

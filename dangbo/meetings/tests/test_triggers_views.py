"""The warnings page: absence flags the cell decides on, short meetings; and its scope."""

from datetime import date

from django.utils import timezone

from dangbo.meetings.models import AbsenceFlag, Attendance, Meeting
from dangbo.meetings.tests.test_visits import make_meeting, mark
from dangbo.meetings.tests.test_visits_views import count_queries
from dangbo.members.choices import Status
from dangbo.members.tests.test_transfers import make_member
from dangbo.test import BaseTestCase, make_org


class TriggerListTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.person = make_member(cls.cell, name="Trịnh Văn Vắng")
        cls.flag = AbsenceFlag.objects.create(member=cls.person, organization=cls.cell, year=2026,
                                              months=[2, 3, 5], raised_on=date(2026, 6, 2))
        make_meeting(cls.school_cell, 2026, 4, minutes=60)
        cls.url = f"/meetings/triggers/?org={cls.cell.pk}&year=2026"

    def test_the_cell_sees_the_ground_and_decides(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.get(self.url)
        self.assertContains(r, "Trịnh Văn Vắng")
        self.assertContains(r, "Bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng — căn cứ Quy định 294-QĐ/TW")
        self.assertContains(r, "tháng 2, 3, 5/2026")
        self.assertContains(r, "02/06/2026")
        decide = f"/meetings/triggers/{self.flag.pk}/decide/"
        self.assertContains(r, decide)
        self.assertContains(self.client.get(decide), "không thay đổi tình trạng của đảng viên")
        r = self.client.post(decide, {"decision": "proposed", "decided_on": "10/06/2026", "note": ""})
        self.assertRedirects(r, self.url, fetch_redirect_response=False)
        r = self.client.get(self.url)
        self.assertContains(r, "Đã ghi quyết định của chi bộ về Trịnh Văn Vắng.")
        self.assertContains(r, "Chi bộ đề nghị xóa tên")
        self.person.refresh_from_db()
        self.assertEqual(self.person.status, Status.OFFICIAL)

    def test_it_shows_the_rules_message(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.post(f"/meetings/triggers/{self.flag.pk}/decide/",
                             {"decision": "dismissed", "decided_on": "10/06/2026", "note": ""})
        self.assertContains(r, "Hãy ghi lý do chi bộ không đề nghị xóa tên.")

    def test_a_committee_sees_its_cells_flags_and_short_meetings(self):
        self.client.force_login(self.secretary)
        r = self.client.get(f"/meetings/triggers/?org={self.ward.pk}&year=2026")
        self.assertContains(r, "Trịnh Văn Vắng")
        self.assertContains(r, "Chi bộ Trường Tiểu học Hưng Bình")
        self.assertContains(r, '<span class="badge closed">60</span>')

    def test_the_cell_refreshes_the_flags(self):
        other = make_member(self.cell, name="Hà Văn Thiếu")
        for month in (1, 2, 3):
            mark(make_meeting(self.cell, 2026, month), other, Attendance.Status.UNEXCUSED)
        self.client.force_login(self.cell_secretary)
        r = self.client.post(f"/meetings/triggers/refresh/?org={self.cell.pk}&year=2026")
        self.assertRedirects(r, self.url, fetch_redirect_response=False)
        self.assertTrue(AbsenceFlag.objects.filter(member=other, raised_on=timezone.localdate()).exists())
        self.assertContains(self.client.get(self.url), "Đã rà soát: 1 trường hợp mới")

    def test_it_requires_write_access(self):
        self.client.force_login(self.readonly)
        r = self.client.get(self.url)
        self.assertContains(r, "Trịnh Văn Vắng")
        self.assertNotContains(r, "/decide/")
        self.assertNotContains(r, "Rà soát lại")
        decide = f"/meetings/triggers/{self.flag.pk}/decide/"
        self.assertEqual(self.client.get(decide).status_code, 403)
        self.assertEqual(self.client.post(decide, {"decision": "proposed", "decided_on": "10/06/2026"})
                         .status_code, 403)
        self.assertEqual(self.client.post(f"/meetings/triggers/refresh/?org={self.cell.pk}").status_code, 403)
        self.flag.refresh_from_db()
        self.assertEqual(self.flag.decision, AbsenceFlag.Decision.PENDING)

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.get(f"/meetings/triggers/{self.flag.pk}/decide/").status_code, 404)
        self.assertEqual(self.client.post(f"/meetings/triggers/{self.flag.pk}/decide/",
                                          {"decision": "proposed", "decided_on": "10/06/2026"}).status_code, 404)
        self.assertEqual(self.client.post(f"/meetings/triggers/refresh/?org={self.cell.pk}").status_code, 404)

    def test_it_keeps_plain_members_out(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.get(f"/meetings/triggers/{self.flag.pk}/decide/").status_code, 403)
        self.assertEqual(self.client.post(f"/meetings/triggers/refresh/?org={self.cell.pk}").status_code, 403)

    def test_its_queries_do_not_grow_with_rows(self):
        url = f"/meetings/triggers/?org={self.ward.pk}&year=2026"
        self.client.force_login(self.secretary)
        self.client.get(url)
        few = count_queries(self.client, url)
        for n in range(4):
            cell = make_org(f"Chi bộ Tổ {n}", f"NA.VH.T{n}", self.ward)
            AbsenceFlag.objects.create(member=make_member(cell), organization=cell, year=2026, months=[1, 2, 3],
                                       raised_on=date(2026, 4, 1))
            make_meeting(cell, 2026, 5, minutes=30, kind=Meeting.Kind.COMBINED)
        with self.assertNumQueries(few):
            r = self.client.get(url)
        self.assertContains(r, "Chi bộ Tổ 3")

"""Pages for leaders' visits: assignments, my cells, one meeting's visits, opinions, coverage; their scope."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangbo.meetings.models import CollectedOpinion, Meeting, MeetingVisit, VisitAssignment
from dangbo.meetings.tests.test_visits import make_leader, make_meeting
from dangbo.members.tests.test_transfers import make_member
from dangbo.test import BaseTestCase, make_org


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


class VisitListTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.leader = make_leader("capuy", "Ngô Thị Thu", cls.ward)
        cls.url = f"/meetings/visits/?org={cls.ward.pk}"

    def post(self, **overrides):
        data = {"leader": self.leader.pk, "cell": self.cell.pk, "starts_on": "01/01/2026", "ends_on": ""}
        data.update(overrides)
        return self.client.post(self.url, data)

    def test_the_office_assigns_a_leader(self):
        self.client.force_login(self.office)
        r = self.client.get(self.url)
        self.assertContains(r, "Phân công mới")
        self.assertContains(r, "Chi bộ Khối 1")  # among the cells without a leader
        r = self.post()
        self.assertRedirects(r, self.url, fetch_redirect_response=False)
        r = self.client.get(self.url)
        self.assertContains(r, "Đã phân công Ngô Thị Thu theo dõi Chi bộ Khối 1.")
        self.assertContains(r, "01/01/2026")
        assignment = VisitAssignment.objects.get()
        self.assertEqual((assignment.committee, assignment.leader), (self.ward, self.leader))

    def test_it_shows_the_rules_message_on_the_form(self):
        self.client.force_login(self.office)
        r = self.post(leader=self.secretary.pk, cell=self.other_cell.pk)  # not a cell of the ward
        self.assertEqual(r.status_code, 200)
        self.assertFalse(VisitAssignment.objects.exists())
        r = self.post(starts_on="01/02/2026", ends_on="01/01/2026")
        self.assertContains(r, "Ngày kết thúc phải từ ngày bắt đầu trở đi.")

    def test_it_warns_past_three_cells_but_saves(self):
        cells = [self.cell, self.school_cell] + [make_org(f"Chi bộ Tổ {n}", f"NA.VH.T{n}", self.ward)
                                                 for n in range(2)]
        self.client.force_login(self.secretary)
        for cell in cells:
            self.post(cell=cell.pk)
        r = self.client.get(self.url)
        self.assertContains(r, "đang theo dõi 4 chi bộ, nhiều hơn 3 chi bộ theo mô hình KH 82.")
        self.assertContains(r, "nhiều hơn mô hình")
        self.assertEqual(VisitAssignment.objects.count(), 4)

    def test_it_ends_an_assignment(self):
        assignment = VisitAssignment.objects.create(committee=self.ward, leader=self.leader, cell=self.cell,
                                                    starts_on=date(2026, 1, 1))
        self.client.force_login(self.office)
        r = self.client.post(f"/meetings/visits/{assignment.pk}/end/", {"ends_on": "31/03/2026"})
        self.assertRedirects(r, self.url, fetch_redirect_response=False)
        assignment.refresh_from_db()
        self.assertEqual(assignment.ends_on, date(2026, 3, 31))

    def test_it_requires_write_access(self):
        assignment = VisitAssignment.objects.create(committee=self.ward, leader=self.leader, cell=self.cell,
                                                    starts_on=date(2026, 1, 1))
        for user in (self.readonly, self.leader):
            self.client.force_login(user)
            r = self.client.get(self.url)
            self.assertContains(r, "Ngô Thị Thu")
            self.assertNotContains(r, "Phân công mới")
            self.assertEqual(self.post().status_code, 403)
            self.assertEqual(self.client.post(f"/meetings/visits/{assignment.pk}/end/",
                                              {"ends_on": "31/03/2026"}).status_code, 403)
        self.assertEqual(VisitAssignment.objects.count(), 1)
        self.assertIsNone(VisitAssignment.objects.get().ends_on)

    def test_it_hides_other_wards(self):
        assignment = VisitAssignment.objects.create(committee=self.ward, leader=self.leader, cell=self.cell,
                                                    starts_on=date(2026, 1, 1))
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.post().status_code, 404)
        self.assertEqual(self.client.post(f"/meetings/visits/{assignment.pk}/end/",
                                          {"ends_on": "31/03/2026"}).status_code, 404)

    def test_it_keeps_plain_members_and_cell_secretaries_out_of_the_committees_page(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.get(f"/meetings/visits/?org={self.cell.pk}").status_code, 403)
        self.assertEqual(self.client.get("/meetings/visits/").status_code, 403)
        self.client.force_login(self.cell_secretary)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.get(f"/meetings/visits/?org={self.cell.pk}").status_code, 200)
        self.assertEqual(self.client.post(f"/meetings/visits/?org={self.cell.pk}", {}).status_code, 403)

    def test_it_requires_login(self):
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 302)
        self.assertIn("login", r["Location"])

    def test_its_queries_do_not_grow_with_rows(self):
        self.client.force_login(self.secretary)
        self.client.get(self.url)
        few = count_queries(self.client, self.url)
        for n in range(4):
            cell = make_org(f"Chi bộ Tổ {n}", f"NA.VH.T{n}", self.ward)
            VisitAssignment.objects.create(committee=self.ward, leader=self.leader, cell=cell,
                                           starts_on=date(2026, 1, 1))
        self.assertEqual(count_queries(self.client, self.url), few)


class MyCellsPageTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.leader = make_leader("capuy", "Ngô Thị Thu", cls.ward)
        today = timezone.localdate()
        VisitAssignment.objects.create(committee=cls.ward, leader=cls.leader, cell=cls.cell,
                                       starts_on=today - timedelta(days=90))
        last = today - timedelta(days=7)
        cls.meeting = make_meeting(cls.cell, last.year, last.month, day=last.day)

    def test_a_leader_sees_their_cells_and_records_attendance(self):
        self.client.force_login(self.leader)
        r = self.client.get("/meetings/visits/mine/")
        self.assertContains(r, "Chi bộ Khối 1")
        self.assertContains(r, self.meeting.scheduled_at.astimezone(timezone.get_current_timezone())
                            .strftime("%d/%m/%Y"))
        r = self.client.post(f"/meetings/visits/meeting/{self.meeting.pk}/record/",
                             {"attended": "1", "next": "/meetings/visits/mine/"})
        self.assertRedirects(r, "/meetings/visits/mine/", fetch_redirect_response=False)
        self.assertTrue(MeetingVisit.objects.get(leader=self.leader).attended)
        r = self.client.get("/meetings/visits/mine/")
        self.assertContains(r, "Đã dự")
        self.assertContains(r, "Ghi ý kiến, kiến nghị thu được")

    def test_htmx_gets_the_meeting_back_as_a_partial(self):
        self.client.force_login(self.leader)
        r = self.client.post(f"/meetings/visits/meeting/{self.meeting.pk}/record/", {"attended": "1"},
                             HTTP_HX_REQUEST="true")
        self.assertContains(r, "Đã lưu.")
        self.assertNotContains(r, "<html")
        r = self.client.post(f"/meetings/visits/meeting/{self.meeting.pk}/opinions/",
                             {"raised_by_name": "Bà Tổ trưởng", "content": "Đề nghị sửa cống thoát nước"},
                             HTTP_HX_REQUEST="true")
        self.assertContains(r, "đã ghi 1")
        opinion = CollectedOpinion.objects.get()
        self.assertEqual((opinion.collected_by, opinion.raised_by_name), (self.leader, "Bà Tổ trưởng"))

    def test_a_secretary_who_also_writes_uses_the_quick_buttons(self):
        VisitAssignment.objects.create(committee=self.ward, leader=self.secretary, cell=self.cell,
                                       starts_on=date(2026, 1, 1))
        self.client.force_login(self.secretary)
        r = self.client.post(f"/meetings/visits/meeting/{self.meeting.pk}/record/", {"attended": "1"},
                             HTTP_HX_REQUEST="true")
        self.assertContains(r, "Đã lưu.")
        self.assertTrue(MeetingVisit.objects.get(leader=self.secretary).attended)

    def test_htmx_gets_the_rules_message_in_the_partial(self):
        self.client.force_login(self.leader)
        r = self.client.post(f"/meetings/visits/meeting/{self.meeting.pk}/opinions/",
                             {"raised_by_name": "Bà Tổ trưởng", "content": "Nội dung"}, HTTP_HX_REQUEST="true")
        self.assertContains(r, "Hãy ghi việc Ngô Thị Thu dự buổi sinh hoạt trước khi ghi ý kiến thu được.")
        self.assertContains(r, "message error")
        self.assertFalse(CollectedOpinion.objects.exists())

    def test_an_unassigned_user_sees_an_empty_page(self):
        self.client.force_login(self.member)
        self.assertContains(self.client.get("/meetings/visits/mine/"), "Bạn chưa được phân công")

    def test_it_requires_write_access(self):
        url = f"/meetings/visits/meeting/{self.meeting.pk}/record/"
        for user in (self.readonly, self.office):
            self.client.force_login(user)
            self.assertEqual(self.client.post(url, {"attended": "1"}).status_code,
                             403 if user == self.readonly else 400)
        self.assertFalse(MeetingVisit.objects.exists())

    def test_it_keeps_plain_members_out(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(f"/meetings/visits/meeting/{self.meeting.pk}/").status_code, 403)
        self.assertEqual(self.client.post(f"/meetings/visits/meeting/{self.meeting.pk}/record/",
                                          {"attended": "1"}).status_code, 403)

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        for url in (f"/meetings/visits/meeting/{self.meeting.pk}/",):
            self.assertEqual(self.client.get(url).status_code, 404)
        for url in (f"/meetings/visits/meeting/{self.meeting.pk}/record/",
                    f"/meetings/visits/meeting/{self.meeting.pk}/opinions/"):
            self.assertEqual(self.client.post(url, {"attended": "1", "raised_by_name": "A", "content": "B"})
                             .status_code, 404)
        self.assertFalse(MeetingVisit.objects.exists())


class MeetingVisitsPageTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.leader = make_leader("capuy", "Ngô Thị Thu", cls.ward)
        cls.meeting = make_meeting(cls.cell, 2026, 3)
        cls.person = make_member(cls.cell, name="Bùi Văn Toàn")
        cls.url = f"/meetings/visits/meeting/{cls.meeting.pk}/"

    def test_the_cell_secretary_records_a_leaders_visit_and_an_opinion(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.get(self.url)
        self.assertContains(r, "Ngô Thị Thu")  # among the leaders to choose
        r = self.client.post(f"{self.url}record/", {"leader": self.leader.pk, "attended": "1", "note": "Phát biểu chỉ đạo"})
        self.assertRedirects(r, self.url, fetch_redirect_response=False)
        r = self.client.post(f"{self.url}opinions/", {
            "collected_by": self.leader.pk, "raised_by_member": self.person.pk, "raised_by_name": "",
            "content": "Kiến nghị làm rõ việc thu quỹ",
        })
        self.assertRedirects(r, self.url, fetch_redirect_response=False)
        r = self.client.get(self.url)
        self.assertContains(r, "Phát biểu chỉ đạo")
        self.assertContains(r, "Bùi Văn Toàn")
        self.assertContains(r, "Kiến nghị làm rõ việc thu quỹ")

    def test_it_shows_the_rules_message(self):
        self.client.force_login(self.leader)
        r = self.client.post(f"{self.url}opinions/", {"raised_by_name": "A", "content": "B"})
        self.assertContains(r, "Hãy ghi việc Ngô Thị Thu dự buổi sinh hoạt trước khi ghi ý kiến thu được.",
                            status_code=400)
        r = self.client.post(f"{self.url}opinions/", {"raised_by_name": "", "content": "B"})
        self.assertContains(r, "Hãy chọn đảng viên hoặc ghi tên người nêu ý kiến.", status_code=400)

    def test_it_lets_the_province_read_without_acting(self):
        self.client.force_login(self.readonly)
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, "Ghi việc dự sinh hoạt")
        self.assertEqual(self.client.post(f"{self.url}opinions/", {"raised_by_name": "A", "content": "B"})
                         .status_code, 403)


class OpinionListTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.leader = make_leader("capuy", "Ngô Thị Thu", cls.ward)
        meeting = make_meeting(cls.cell, 2026, 3)
        MeetingVisit.objects.create(meeting=meeting, leader=cls.leader)
        CollectedOpinion.objects.create(meeting=meeting, collected_by=cls.leader, raised_by_name="Ông Ba",
                                        content="Ý kiến đã chuyển", handled=True)
        CollectedOpinion.objects.create(meeting=meeting, collected_by=cls.leader, raised_by_name="Bà Tư",
                                        content="Ý kiến chưa xử lý")
        far = make_meeting(cls.other_cell, 2026, 3)
        CollectedOpinion.objects.create(meeting=far, collected_by=cls.outsider, raised_by_name="Người khác",
                                        content="Ý kiến phường khác")
        cls.url = f"/meetings/visits/opinions/?org={cls.ward.pk}"

    def test_it_lists_unhandled_first(self):
        self.client.force_login(self.secretary)
        r = self.client.get(self.url)
        self.assertContains(r, "Ý kiến chưa xử lý")
        self.assertNotContains(r, "Ý kiến đã chuyển")
        self.assertNotContains(r, "Ý kiến phường khác")
        r = self.client.get(self.url + "&state=all")
        content = r.content.decode()
        self.assertLess(content.index("Ý kiến chưa xử lý"), content.index("Ý kiến đã chuyển"))

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_keeps_plain_members_out(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(f"/meetings/visits/opinions/?org={self.cell.pk}").status_code, 403)


class CoveragePageTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.leader = make_leader("capuy", "Ngô Thị Thu", cls.ward)
        MeetingVisit.objects.create(meeting=make_meeting(cls.cell, 2026, 1), leader=cls.leader)
        make_meeting(cls.school_cell, 2026, 1)
        make_meeting(cls.cell, 2026, 2, state=Meeting.State.PLANNED)
        cls.url = f"/meetings/visits/coverage/?org={cls.ward.pk}&year=2026"

    def test_it_shows_cells_by_month(self):
        self.client.force_login(self.secretary)
        r = self.client.get(self.url)
        self.assertContains(r, "Chi bộ Khối 1")
        self.assertContains(r, "Chi bộ Trường Tiểu học Hưng Bình")
        self.assertContains(r, '<td class="num">✓</td>', count=1)
        self.assertContains(r, '<td class="num">—</td>', count=1)
        self.assertContains(r, '<td class="num">1/2</td>')  # January: 1 of 2 cells had a leader

    def test_it_lets_the_province_read(self):
        self.client.force_login(self.readonly)
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_keeps_plain_members_out(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.get(f"/meetings/visits/coverage/?org={self.cell.pk}").status_code, 403)

    def test_it_refuses_a_bad_year(self):
        self.client.force_login(self.secretary)
        self.assertEqual(self.client.get(f"/meetings/visits/coverage/?org={self.ward.pk}&year=abc").status_code, 404)

    def test_its_queries_do_not_grow_with_cells(self):
        self.client.force_login(self.secretary)
        self.client.get(self.url)
        two_cells = count_queries(self.client, self.url)
        for n in range(4):
            cell = make_org(f"Chi bộ Tổ {n}", f"NA.VH.T{n}", self.ward)
            MeetingVisit.objects.create(meeting=make_meeting(cell, 2026, n + 1), leader=self.leader)
        with self.assertNumQueries(two_cells):
            r = self.client.get(self.url)
        self.assertContains(r, "Chi bộ Tổ 3")

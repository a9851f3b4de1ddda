"""Admissions pages: scope on every page and action, messages users see, list queries."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangbo.admissions import actions
from dangbo.admissions.models import Candidate, Certificate, Notice, Step
from dangbo.admissions.tests.factories import complete_dossier, make_officials, propose, scheduled_meeting
from dangbo.admissions.views import ACTIONS, TABS
from dangbo.test import BaseTestCase

MANAGE_VERBS = {verb for verb, act in ACTIONS.items() if act.capability == "manage"}


class ViewTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.officials = make_officials(cls.cell)
        cls.candidate = propose(cls.cell, cls.cell_secretary)
        complete_dossier(cls.candidate, cls.cell_secretary, cls.officials[:2], on=date(2025, 8, 1))
        cls.course = actions.create_course(organization=cls.ward, title="Lớp I/2026", organizer="Đảng ủy phường",
                                           starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 6), by=cls.office)
        cls.introducer = cls.candidate.introducers.first()

    def pages(self):
        c, ward = self.candidate.pk, self.ward.pk
        return ([f"/admissions/?org={ward}", f"/admissions/deadlines/?org={ward}", f"/admissions/stats/?org={ward}",
                 f"/admissions/courses/?org={ward}", f"/admissions/courses/{self.course.pk}/"]
                + [f"/admissions/{c}/{tab}/" for tab in TABS] + [f"/admissions/{c}/"])

    def writes(self):
        c = self.candidate.pk
        return ([f"/admissions/{c}/do/{verb}/" for verb in ACTIONS]
                + [f"/admissions/{c}/edit/", f"/admissions/{c}/introducers/{self.introducer.pk}/end/",
                   f"/admissions/new/?org={self.cell.pk}", f"/admissions/courses/new/?org={self.ward.pk}",
                   f"/admissions/courses/{self.course.pk}/sessions/"])


class ScopeTest(ViewTestCase):
    def test_the_ward_office_and_secretary_see_every_page(self):
        for user in (self.office, self.secretary):
            self.client.force_login(user)
            for url in self.pages():
                self.assertEqual(self.client.get(url).status_code, 200, (user, url))

    def test_the_province_reads_every_page(self):
        self.client.force_login(self.readonly)
        for url in self.pages():
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_it_requires_write_access(self):
        self.client.force_login(self.readonly)
        for url in self.writes():
            self.assertEqual(self.client.post(url, {}).status_code, 403, url)
        self.assertEqual(self.client.get(f"/admissions/{self.candidate.pk}/edit/").status_code, 403)

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        for url in self.pages() + [f"/admissions/{self.candidate.pk}/edit/"]:
            self.assertEqual(self.client.get(url).status_code, 404, url)
        for url in self.writes():
            self.assertEqual(self.client.post(url, {}).status_code, 404, url)

    def test_the_outsider_sees_only_their_own_ward(self):
        self.client.force_login(self.outsider)
        response = self.client.get("/admissions/")
        self.assertContains(response, "Đảng bộ phường Thành Vinh")
        self.assertNotContains(response, "Nguyễn Thị Hạnh")

    def test_a_plain_member_sees_no_candidate(self):
        self.client.force_login(self.member)
        self.assertRedirects(self.client.get("/admissions/"), "/admissions/mine/")
        for url in [f"/admissions/{self.candidate.pk}/{tab}/" for tab in TABS]:
            self.assertEqual(self.client.get(url).status_code, 404, url)
        for url in (f"/admissions/deadlines/?org={self.cell.pk}", f"/admissions/stats/?org={self.cell.pk}"):
            self.assertEqual(self.client.get(url).status_code, 403, url)
        for url in self.writes()[:-3]:
            self.assertIn(self.client.post(url, {}).status_code, (403, 404), url)

    def test_a_plain_member_sees_whom_they_introduce(self):
        self.officials[0].user = self.member
        self.officials[0].save()
        self.client.force_login(self.member)
        response = self.client.get("/admissions/mine/")
        self.assertContains(response, "Nguyễn Thị Hạnh")
        self.assertContains(response, "Hoàn thiện hồ sơ")

    def test_the_cell_secretary_works_on_their_cell(self):
        self.client.force_login(self.cell_secretary)
        for url in self.pages()[5:] + [f"/admissions/?org={self.cell.pk}", f"/admissions/deadlines/?org={self.cell.pk}"]:
            self.assertEqual(self.client.get(url).status_code, 200, url)
        for verb in set(ACTIONS) - MANAGE_VERBS:
            status = self.client.post(f"/admissions/{self.candidate.pk}/do/{verb}/", {}).status_code
            self.assertNotIn(status, (403, 404), verb)

    def test_committee_decisions_need_the_ward(self):
        self.client.force_login(self.cell_secretary)
        for verb in MANAGE_VERBS:
            self.assertEqual(self.client.post(f"/admissions/{self.candidate.pk}/do/{verb}/", {}).status_code, 403)
        self.client.force_login(self.secretary)
        for verb in MANAGE_VERBS:
            self.assertEqual(self.client.post(f"/admissions/{self.candidate.pk}/do/{verb}/", {}).status_code, 400)

    def test_the_cell_secretary_does_not_see_the_ward(self):
        self.client.force_login(self.cell_secretary)
        for url in self.pages()[:5]:
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_it_asks_for_login(self):
        for url in self.pages() + ["/admissions/notices/", "/admissions/mine/"]:
            self.assertEqual(self.client.get(url).status_code, 302, url)

    def test_an_unknown_tab_or_verb_is_not_found(self):
        self.client.force_login(self.secretary)
        self.assertEqual(self.client.get(f"/admissions/{self.candidate.pk}/nothing/").status_code, 404)
        self.assertEqual(self.client.post(f"/admissions/{self.candidate.pk}/do/nothing/").status_code, 404)


class PageTest(ViewTestCase):
    def test_the_list_shows_steps_and_deadline_badges(self):
        self.client.force_login(self.secretary)
        response = self.client.get(f"/admissions/?org={self.ward.pk}&on=25/06/2030")
        self.assertContains(response, "Nguyễn Thị Hạnh")
        self.assertContains(response, "Hoàn thiện hồ sơ")
        self.assertContains(response, "Giấy chứng nhận lớp nhận thức còn giá trị: sắp hết hạn (hạn 20/06/2030)",
                            count=0)
        response = self.client.get(f"/admissions/?org={self.ward.pk}&on=14/06/2030")
        self.assertContains(response, "Giấy chứng nhận lớp nhận thức còn giá trị: sắp hết hạn (hạn 20/06/2030)")
        response = self.client.get(f"/admissions/?org={self.ward.pk}&on=02/08/2026")
        self.assertContains(response, "Chi bộ xét trước khi hồ sơ quá hạn: quá hạn (hạn 01/08/2026)")

    def test_the_list_answers_htmx_with_rows(self):
        self.client.force_login(self.secretary)
        response = self.client.get(f"/admissions/?org={self.ward.pk}&q=hanh", headers={"HX-Request": "true"})
        self.assertContains(response, "Nguyễn Thị Hạnh")
        self.assertNotContains(response, "<html")

    def test_the_board_lists_what_is_overdue(self):
        self.client.force_login(self.office)
        response = self.client.get(f"/admissions/deadlines/?org={self.ward.pk}&on=02/08/2026&state=overdue")
        self.assertContains(response, "Đến ngày 02/08/2026: 0 việc sắp hết hạn, 1 việc quá hạn.")
        self.assertContains(response, "quá hạn (hạn 01/08/2026)")

    def test_the_dossier_tab_shows_the_checklist_by_date(self):
        self.client.force_login(self.cell_secretary)
        response = self.client.get(f"/admissions/{self.candidate.pk}/dossier/?on=05/09/2025")
        self.assertContains(response, "Đủ điều kiện, hồ sơ để chi bộ xét ngày 05/09/2025.")
        Certificate.objects.filter(candidate=self.candidate).update(issued_on=date(2020, 9, 4))
        response = self.client.get(f"/admissions/{self.candidate.pk}/dossier/?on=05/09/2025")
        self.assertContains(response, "Chưa đủ điều kiện để chi bộ xét ngày 05/09/2025.")
        self.assertContains(response, "đã hết hạn sau ngày 04/09/2025")

    def test_an_action_refused_shows_why(self):
        Certificate.objects.filter(candidate=self.candidate).update(issued_on=date(2020, 9, 4))
        meeting = scheduled_meeting(self.cell, self.cell_secretary, date(2025, 9, 5))
        self.client.force_login(self.cell_secretary)
        response = self.client.post(f"/admissions/{self.candidate.pk}/do/cell_vote/", {"cell_vote-meeting": meeting.pk})
        self.assertContains(response, "Chưa đủ điều kiện để chi bộ xét ngày 05/09/2025:", status_code=400)
        self.assertContains(response, "học lại lớp bồi dưỡng nhận thức về Đảng", status_code=400)

    def test_an_action_done_says_so(self):
        self.client.force_login(self.cell_secretary)
        response = self.client.post(f"/admissions/{self.candidate.pk}/do/certificate/", {
            "certificate-number": "77/GCN", "certificate-issued_on": "06/03/2026",
            "certificate-issuer": "Trung tâm Chính trị", "certificate-course": self.course.pk,
        }, follow=True)
        self.assertContains(response, "Đã ghi giấy chứng nhận.")
        self.assertContains(response, "77/GCN")
        self.assertContains(response, "06/03/2031")

    def test_a_candidate_is_proposed_from_the_form(self):
        self.client.force_login(self.office)
        response = self.client.post(f"/admissions/new/?org={self.ward.pk}", {
            "organization": self.cell.pk, "proposed_by": "youth_union", "proposer_name": "Chi đoàn Khối 1",
            "proposed_on": "02/03/2026", "full_name": "Bùi Thị Lan", "sex": "female", "date_of_birth": "01/02/2001",
            "ethnicity": "Kinh", "religion": "Không", "lower_secondary_diploma": "on", "youth_union_at_place": "on",
        }, follow=True)
        self.assertContains(response, "Đã ghi nhận quần chúng Bùi Thị Lan.")
        self.assertEqual(Candidate.objects.get(full_name="Bùi Thị Lan").organization, self.cell)

    def test_the_cell_secretary_cannot_propose_for_another_cell(self):
        self.client.force_login(self.cell_secretary)
        response = self.client.post(f"/admissions/new/?org={self.cell.pk}", {
            "organization": self.school_cell.pk, "proposed_by": "cell", "proposed_on": "02/03/2026",
            "full_name": "Bùi Thị Lan", "sex": "female", "date_of_birth": "01/02/2001", "ethnicity": "Kinh",
            "religion": "Không",
        })
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Candidate.objects.filter(full_name="Bùi Thị Lan").exists())

    def test_the_profile_is_edited_with_history(self):
        self.client.force_login(self.cell_secretary)
        form = self.client.get(f"/admissions/{self.candidate.pk}/edit/").context["form"]
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(occupation="Giáo viên", proposed_on="10/01/2024", date_of_birth="15/06/1998",
                    lower_secondary_diploma="on")
        response = self.client.post(f"/admissions/{self.candidate.pk}/edit/", data, follow=True)
        self.assertContains(response, "Đã lưu hồ sơ quần chúng.")
        response = self.client.get(f"/admissions/{self.candidate.pk}/history/")
        self.assertContains(response, "Giáo viên")
        self.assertContains(response, "Lê Văn Nam")

    def test_a_course_gets_sessions(self):
        self.client.force_login(self.office)
        response = self.client.post(f"/admissions/courses/{self.course.pk}/sessions/", {
            "held_on": "03/03/2026", "topic": "Điều lệ Đảng", "lecturer": "Nguyễn Văn Hùng"}, follow=True)
        self.assertContains(response, "Đã thêm buổi học.")
        self.assertContains(response, "Điều lệ Đảng")

    def test_the_statistics_say_what_offices_report(self):
        self.client.force_login(self.office)
        actions.enrol_course(self.candidate, course=self.course, enrolled_on=date(2026, 3, 2), by=self.office)
        response = self.client.get(f"/admissions/stats/?org={self.ward.pk}&year=2026")
        self.assertContains(response, "Năm 2026: kết nạp được 0 đảng viên; 1 quần chúng học lớp bồi dưỡng nhận "
                                       "thức về Đảng (1 lớp).")

    def test_the_notices_page_marks_notices_read(self):
        Notice.objects.create(user=self.office, candidate=self.candidate, key="x", day=date(2026, 3, 1),
                              state="soon", due_on=date(2026, 3, 5), title="Tổ chức lễ kết nạp: Nguyễn Thị Hạnh")
        self.client.force_login(self.office)
        self.assertContains(self.client.get("/admissions/notices/"), "1 nhắc việc chưa đọc.")
        response = self.client.post("/admissions/notices/read/", follow=True)
        self.assertContains(response, "Đã đánh dấu tất cả nhắc việc là đã đọc.")
        self.client.force_login(self.secretary)
        self.assertNotContains(self.client.get("/admissions/notices/"), "Nguyễn Thị Hạnh")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


class QueryCountTest(ViewTestCase):
    def add_rows(self, n, start):
        for i in range(n):
            candidate = propose(self.cell, self.office, name=f"Quần Chúng {start + i}", born=date(1990, 1, 1 + i))
            complete_dossier(candidate, self.office, self.officials[:2], on=date(2025, 8, 1))
            actions.enrol_course(candidate, course=self.course, enrolled_on=date(2026, 3, 2), by=self.office)
            Notice.objects.create(user=self.office, candidate=candidate, key=f"k{start + i}", day=date(2026, 3, 1),
                                  state="soon", due_on=date(2026, 3, 5), title="Nhắc")
            actions.create_course(organization=self.ward, title=f"Lớp {start + i}", organizer="Đảng ủy phường",
                                  starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 3), by=self.office)

    def assert_flat(self, url, user=None):
        self.client.force_login(user or self.office)
        self.add_rows(2, 0)
        before = count_queries(self.client, url)
        self.add_rows(4, 10)
        self.assertEqual(count_queries(self.client, url), before, url)

    def test_the_list(self):
        self.assert_flat(f"/admissions/?org={self.ward.pk}")

    def test_the_board(self):
        self.assert_flat(f"/admissions/deadlines/?org={self.ward.pk}")

    def test_the_statistics(self):
        self.assert_flat(f"/admissions/stats/?org={self.ward.pk}")

    def test_the_courses(self):
        self.assert_flat(f"/admissions/courses/?org={self.ward.pk}")

    def test_a_course(self):
        self.assert_flat(f"/admissions/courses/{self.course.pk}/")

    def test_the_notices(self):
        self.assert_flat("/admissions/notices/")

    def test_whom_a_member_introduces(self):
        self.officials[0].user = self.member
        self.officials[0].save()
        self.assert_flat("/admissions/mine/", user=self.member)


class StepTest(ViewTestCase):
    def test_the_decision_tab_offers_the_ward_its_decision(self):
        self.candidate.step = Step.COMMITTEE_DECISION
        self.candidate.save()
        self.client.force_login(self.secretary)
        self.assertContains(self.client.get(f"/admissions/{self.candidate.pk}/decision/"),
                            "Ban hành quyết định kết nạp")
        self.client.force_login(self.cell_secretary)
        self.assertContains(self.client.get(f"/admissions/{self.candidate.pk}/decision/"),
                            "Chi bộ đã đề nghị; chờ đảng ủy ra quyết định.")

    def test_today_is_the_default_date(self):
        self.client.force_login(self.secretary)
        response = self.client.get(f"/admissions/{self.candidate.pk}/dossier/")
        self.assertEqual(response.context["on"], timezone.localdate())


class SummaryTest(ViewTestCase):
    def test_it_counts_deadlines_for_an_organizations_page(self):
        from django.template.loader import render_to_string

        from dangbo.admissions.selectors import deadline_counts

        counts = deadline_counts(self.office, self.ward, date(2026, 8, 2))
        self.assertEqual((counts["soon"], counts["overdue"]), (0, 1))
        html = render_to_string("admissions/_partials/org_deadlines.html", {"admission_deadlines": counts})
        self.assertIn("1 việc quá hạn", html)
        self.assertEqual(deadline_counts(self.outsider, self.ward, date(2026, 8, 2))["open"], 0)

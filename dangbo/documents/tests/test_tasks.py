from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from dangbo.documents import actions
from dangbo.documents.models import Delivery, Task
from dangbo.documents.selectors import overdue_tasks_for, visible_documents
from dangbo.documents.tests.base import DocumentsTestCase, make_draft, make_issued


class AddTaskTest(DocumentsTestCase):
    def url(self, document):
        return reverse("documents:task_create", args=[document.pk])

    def test_it_assigns_a_task_to_a_cell_which_then_sees_the_plan(self):
        plan = make_issued(self.ward, self.secretary, "KH")
        self.login(self.office)
        r = self.client.post(self.url(plan), {"content": "Học tập nghị quyết", "deadline": "31/03/2026",
                                              "responsible_organization": self.cell.pk})
        self.assertRedirects(r, plan.get_absolute_url())
        task = Task.objects.get()
        self.assertEqual((task.responsible_organization, task.deadline), (self.cell, date(2026, 3, 31)))
        self.assertTrue(Delivery.objects.filter(document=plan, organization=self.cell).exists())
        self.assertIn(plan, visible_documents(self.member))

    def test_it_delivers_the_tasks_of_a_draft_when_issued(self):
        draft = make_draft(self.ward, self.secretary, "NQ")
        actions.add_task(draft, content="Kết nạp đảng viên", responsible_user=self.cell_secretary,
                         deadline=date(2026, 6, 30), by=self.secretary)
        self.assertFalse(Delivery.objects.exists())
        actions.issue_document(draft, on=date(2026, 2, 20), by=self.secretary)
        self.assertEqual(Delivery.objects.get().user, self.cell_secretary)

    def test_it_names_the_missing_responsible(self):
        plan = make_issued(self.ward, self.secretary, "KH")
        self.login(self.office)
        r = self.client.post(self.url(plan), {"content": "Việc gì đó", "deadline": ""})
        self.assertContains(r, "Hãy chọn tổ chức chủ trì hoặc người phụ trách.")
        self.assertContains(r, "Hãy nhập thời hạn.")
        self.assertFalse(Task.objects.exists())

    def test_it_refuses_types_without_tasks_and_deadlines_before_the_document(self):
        notice = make_issued(self.ward, self.secretary, "TB")
        with self.assertRaisesMessage(ValidationError, "Thông báo không giao nhiệm vụ"):
            actions.add_task(notice, content="x", responsible_organization=self.cell, deadline=date(2026, 3, 1),
                             by=self.secretary)
        plan = make_issued(self.ward, self.secretary, "KH")
        with self.assertRaisesMessage(ValidationError, "Thời hạn trước ngày văn bản (20/02/2026)."):
            actions.add_task(plan, content="x", responsible_organization=self.cell, deadline=date(2026, 1, 1),
                             by=self.secretary)

    def test_it_requires_write_access(self):
        plan = make_issued(self.ward, self.secretary, "KH")
        self.login(self.readonly)
        self.assertEqual(self.client.get(self.url(plan)).status_code, 403)

    def test_it_hides_other_wards(self):
        plan = make_issued(self.ward, self.secretary, "KH")
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url(plan)).status_code, 404)


class ReportProgressTest(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = make_issued(cls.ward, cls.secretary, "KH")
        cls.task = actions.add_task(cls.plan, content="Học tập nghị quyết", responsible_organization=cls.cell,
                                    deadline=date(2026, 3, 31), by=cls.secretary)

    def url(self):
        return reverse("documents:task_report", args=[self.task.pk])

    def test_it_records_progress_from_the_responsible_cell(self):
        self.login(self.cell_secretary)
        r = self.client.post(self.url(), {"reported_on": "15/03/2026", "content": "Đã học 2/3 số buổi",
                                          "progress": "60"})
        self.assertRedirects(r, self.plan.get_absolute_url())
        self.task.refresh_from_db()
        self.assertEqual((self.task.progress, self.task.state), (60, "open"))
        self.assertEqual(self.task.reports.get().by, self.cell_secretary)

    def test_it_closes_the_task_with_its_result(self):
        self.login(self.cell_secretary)
        self.client.post(self.url(), {"reported_on": "30/03/2026", "content": "Hoàn thành, 45/45 đảng viên",
                                      "progress": "90", "done": "on"})
        self.task.refresh_from_db()
        self.assertEqual((self.task.state, self.task.progress, self.task.completed_on),
                         ("done", 100, date(2026, 3, 30)))
        self.assertEqual(self.task.result, "Hoàn thành, 45/45 đảng viên")
        self.assertEqual(self.task.display_state(), "Hoàn thành")
        with self.assertRaisesMessage(ValidationError, "Nhiệm vụ đã hoàn thành ngày 30/03/2026."):
            actions.report_progress(self.task, reported_on=date(2026, 4, 1), content="x", progress=100,
                                    by=self.cell_secretary)

    def test_it_rejects_a_bad_percentage(self):
        self.login(self.cell_secretary)
        r = self.client.post(self.url(), {"reported_on": "15/03/2026", "content": "x", "progress": "150"})
        self.assertContains(r, "Tiến độ là số phần trăm từ 0 đến 100.")
        self.assertFalse(self.task.reports.exists())

    def test_it_lets_the_issuer_record_a_paper_report(self):
        self.login(self.office)
        self.assertEqual(self.client.get(self.url()).status_code, 200)

    def test_it_requires_write_access(self):
        actions.distribute(self.plan, organizations=[self.school_cell], by=self.secretary)
        for user in (self.readonly, self.member):
            with self.subTest(user=user.username):
                self.login(user)
                r = self.client.post(self.url(), {"reported_on": "15/03/2026", "content": "x", "progress": "10"})
                self.assertEqual(r.status_code, 403)
        self.assertFalse(self.task.reports.exists())

    def test_it_hides_other_wards(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)


class OverdueTasksTest(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        plan = make_issued(cls.ward, cls.secretary, "KH")
        cls.late = actions.add_task(plan, content="Nhiệm vụ đã quá hạn", responsible_organization=cls.cell,
                                    deadline=date(2026, 3, 1), by=cls.secretary)
        actions.add_task(plan, content="Nhiệm vụ còn hạn", responsible_organization=cls.cell,
                         deadline=today + timedelta(days=30), by=cls.secretary)
        done = actions.add_task(plan, content="Nhiệm vụ đã xong", responsible_organization=cls.school_cell,
                                deadline=date(2026, 3, 1), by=cls.secretary)
        actions.report_progress(done, reported_on=date(2026, 2, 25), content="Xong", progress=100, done=True,
                                by=cls.secretary)
        draft = make_draft(cls.ward, cls.secretary, "KH")
        actions.add_task(draft, content="Nhiệm vụ của dự thảo", responsible_organization=cls.cell,
                         deadline=date(2026, 3, 1), by=cls.secretary)

    def contents(self, user):
        return [task.content for task in overdue_tasks_for(user)]

    def test_it_shows_the_issuer_and_the_responsible_cell_their_overdue_tasks(self):
        self.assertEqual(self.contents(self.office), ["Nhiệm vụ đã quá hạn"])
        self.assertEqual(self.contents(self.cell_secretary), ["Nhiệm vụ đã quá hạn"])
        self.assertEqual(self.contents(self.outsider), [])
        self.assertEqual(self.contents(self.member), [])
        self.assertEqual(self.contents(self.readonly), [])

    def test_it_renders_the_home_page_panel(self):
        request = RequestFactory().get("/")
        request.user = self.office
        html = render_to_string("documents/_partials/overdue_tasks.html", {"request": request, "user": self.office})
        self.assertIn("1 nhiệm vụ quá hạn", html)
        self.assertIn("Nhiệm vụ đã quá hạn", html)
        self.assertIn("Chi bộ Khối 1", html)
        self.assertIn("01/03/2026", html)
        request.user = self.outsider
        self.assertEqual(render_to_string("documents/_partials/overdue_tasks.html", {"request": request}).strip(), "")

    def test_it_lists_the_tasks_page(self):
        self.login(self.office)
        r = self.client.get(reverse("documents:tasks"))
        self.assertContains(r, "Nhiệm vụ đã quá hạn")
        self.assertContains(r, "Nhiệm vụ còn hạn")
        self.assertContains(r, "Hoàn thành")
        self.assertNotContains(r, "Nhiệm vụ của dự thảo")
        self.login(self.outsider)
        self.assertNotContains(self.client.get(reverse("documents:tasks")), "Nhiệm vụ đã quá hạn")

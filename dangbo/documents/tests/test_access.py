"""Every page and action: outsiders get 404, read-only users 403 on writes, anonymous users the login page."""

from datetime import date

from django.urls import reverse

from dangbo.documents import actions
from dangbo.documents.tests.base import DocumentsTestCase, make_draft, make_issued, upload


class AccessTest(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.draft = make_draft(cls.ward, cls.secretary)
        cls.doc = make_issued(cls.ward, cls.secretary, "KH")
        cls.task = actions.add_task(cls.doc, content="Học tập nghị quyết", responsible_organization=cls.cell,
                                    deadline=date(2026, 3, 1), by=cls.secretary)

    def setUp(self):
        self.attachment = actions.add_attachment(self.doc, file=upload(), by=self.secretary)
        self.draft_attachment = actions.add_attachment(self.draft, file=upload(), by=self.secretary)

    def routes(self, doc, attachment):
        """(method, url) of every page and action about one document."""
        return [
            ("get", reverse("documents:detail", args=[doc.pk])),
            ("get", reverse("documents:edit", args=[doc.pk])),
            ("post", reverse("documents:edit", args=[doc.pk])),
            ("get", reverse("documents:issue", args=[doc.pk])),
            ("post", reverse("documents:issue", args=[doc.pk])),
            ("post", reverse("documents:delete", args=[doc.pk])),
            ("get", reverse("documents:revoke", args=[doc.pk])),
            ("post", reverse("documents:revoke", args=[doc.pk])),
            ("get", reverse("documents:pdf", args=[doc.pk])),
            ("get", reverse("documents:distribute", args=[doc.pk])),
            ("post", reverse("documents:distribute", args=[doc.pk])),
            ("post", reverse("documents:mark_read", args=[doc.pk])),
            ("post", reverse("documents:attachment_add", args=[doc.pk])),
            ("get", reverse("documents:attachment", args=[doc.pk, attachment.pk])),
            ("post", reverse("documents:attachment_remove", args=[doc.pk, attachment.pk])),
            ("get", reverse("documents:task_create", args=[doc.pk])),
            ("post", reverse("documents:task_create", args=[doc.pk])),
        ]

    def write_routes(self, doc, attachment):
        reads = {reverse("documents:detail", args=[doc.pk]), reverse("documents:pdf", args=[doc.pk]),
                 reverse("documents:mark_read", args=[doc.pk]),
                 reverse("documents:attachment", args=[doc.pk, attachment.pk])}
        return [(m, u) for m, u in self.routes(doc, attachment) if u not in reads]

    def org_routes(self, org):
        return [
            ("get", reverse("documents:draft_create", args=[org.pk])),
            ("post", reverse("documents:draft_create", args=[org.pk])),
            ("get", reverse("documents:received_create", args=[org.pk])),
            ("post", reverse("documents:received_create", args=[org.pk])),
            ("get", reverse("documents:numbers_used", args=[org.pk])),
            ("post", reverse("documents:numbers_used", args=[org.pk])),
        ]

    def task_routes(self):
        return [("get", reverse("documents:task_report", args=[self.task.pk])),
                ("post", reverse("documents:task_report", args=[self.task.pk]))]

    def assert_status(self, routes, status):
        for method, url in routes:
            with self.subTest(method=method, url=url):
                response = getattr(self.client, method)(url)
                self.assertEqual(response.status_code, status)

    def test_it_hides_other_wards(self):
        self.login(self.outsider)
        self.assert_status(self.routes(self.doc, self.attachment), 404)
        self.assert_status(self.routes(self.draft, self.draft_attachment), 404)
        self.assert_status(self.org_routes(self.ward) + self.org_routes(self.cell), 404)
        self.assert_status(self.task_routes(), 404)
        self.assert_status([("get", reverse("documents:task_report", args=[999999]))], 404)

    def test_it_requires_write_access(self):
        self.login(self.readonly)
        self.assert_status(self.write_routes(self.doc, self.attachment), 403)
        self.assert_status(self.org_routes(self.ward), 403)
        self.assert_status(self.task_routes(), 403)
        # Drafts are not shown to read-only users at all.
        self.assert_status(self.routes(self.draft, self.draft_attachment), 404)

    def test_it_requires_write_access_from_a_recipient(self):
        actions.distribute(self.doc, organizations=[self.cell], by=self.secretary)
        self.login(self.member)
        self.assert_status(self.write_routes(self.doc, self.attachment), 403)
        self.assert_status(self.task_routes(), 403)
        self.assert_status([("get", reverse("documents:detail", args=[self.doc.pk]))], 200)

    def test_it_hides_another_cells_drafts(self):
        self.login(self.cell_secretary)
        school_draft = make_draft(self.school_cell, self.secretary)
        attachment = actions.add_attachment(school_draft, file=upload(), by=self.secretary)
        self.assert_status(self.routes(school_draft, attachment), 404)
        self.assert_status(self.org_routes(self.school_cell), 404)

    def test_it_hides_everything_from_a_citizen(self):
        self.login(self.citizen)
        self.assert_status(self.routes(self.doc, self.attachment), 404)
        self.assert_status(self.org_routes(self.ward), 404)

    def test_it_sends_anonymous_users_to_login(self):
        for method, url in self.routes(self.doc, self.attachment) + [("get", reverse("documents:register"))]:
            with self.subTest(url=url):
                response = getattr(self.client, method)(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("accounts:login"), response["Location"])

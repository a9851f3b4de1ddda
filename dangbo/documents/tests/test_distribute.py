from django.core.exceptions import ValidationError
from django.urls import reverse

from dangbo.documents import actions
from dangbo.documents.models import Delivery
from dangbo.documents.tests.base import DocumentsTestCase, make_draft, make_issued


class DistributeTest(DocumentsTestCase):
    def url(self, document):
        return reverse("documents:distribute", args=[document.pk])

    def test_it_sends_to_all_cells(self):
        document = make_issued(self.ward, self.secretary, "TB")
        self.login(self.office)
        r = self.client.post(self.url(document), {"all_cells": "on"}, follow=True)
        self.assertContains(r, "Đã gửi thêm 2 nơi nhận.")
        self.assertEqual(set(Delivery.objects.values_list("organization__name", flat=True)),
                         {"Chi bộ Khối 1", "Chi bộ Trường Tiểu học Hưng Bình"})
        self.assertEqual(Delivery.objects.first().sent_by, self.office)

    def test_it_sends_to_a_member_by_name(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.office)
        self.client.post(self.url(document), {"users": [self.member.pk]})
        self.assertEqual(Delivery.objects.get().user, self.member)

    def test_it_adds_nothing_when_sent_twice(self):
        document = make_issued(self.ward, self.secretary)
        self.assertEqual(actions.distribute(document, organizations=[self.cell], by=self.office), 1)
        self.assertEqual(actions.distribute(document, organizations=[self.cell], by=self.office), 0)
        self.assertEqual(Delivery.objects.count(), 1)

    def test_it_asks_for_a_recipient(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.office)
        r = self.client.post(self.url(document), {})
        self.assertContains(r, "Hãy chọn ít nhất một tổ chức hoặc một người nhận.")

    def test_it_refuses_recipients_outside_the_issuer(self):
        document = make_issued(self.cell, self.cell_secretary)
        with self.assertRaisesMessage(ValidationError, "Đảng bộ phường Thành Vinh không trực thuộc Chi bộ Khối 1"):
            actions.distribute(document, organizations=[self.other_ward], by=self.cell_secretary)
        with self.assertRaisesMessage(ValidationError, "Đỗ Văn Bình không có vai trò nào trong Chi bộ Khối 1"):
            actions.distribute(document, users=[self.outsider], by=self.cell_secretary)
        self.login(self.cell_secretary)
        r = self.client.post(self.url(document), {"organizations": [self.school_cell.pk]})
        self.assertContains(r, "Tổ chức nhận đã chọn không hợp lệ.")
        self.assertFalse(Delivery.objects.exists())

    def test_it_refuses_a_draft(self):
        with self.assertRaisesMessage(ValidationError, "Chỉ gửi được văn bản đã ban hành"):
            actions.distribute(make_draft(self.ward, self.secretary), organizations=[self.cell], by=self.office)

    def test_it_requires_write_access(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.readonly)
        self.assertEqual(self.client.post(self.url(document), {"all_cells": "on"}).status_code, 403)
        self.assertFalse(Delivery.objects.exists())

    def test_it_hides_other_wards(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(document), {"all_cells": "on"}).status_code, 404)

    def test_it_records_who_sent_in_history(self):
        document = make_issued(self.ward, self.secretary)
        actions.distribute(document, organizations=[self.cell, self.school_cell], by=self.office)
        self.assertEqual(Delivery.history.filter(history_user=self.office).count(), 2)

from django.urls import reverse

from dangbo.documents.models import DocumentType
from dangbo.documents.tests.base import DocumentsTestCase


class DocumentTypesTest(DocumentsTestCase):
    def test_it_lists_the_types(self):
        self.login(self.member)
        r = self.client.get(reverse("documents:types"))
        self.assertContains(r, "Nghị quyết")
        self.assertContains(r, "QĐi")
        self.assertNotContains(r, "Thêm loại văn bản")

    def test_it_lets_an_administrator_add_a_type(self):
        self.citizen.is_superuser = True
        self.citizen.save()
        self.login(self.citizen)
        r = self.client.post(reverse("documents:type_create"), {
            "code": "TT", "name": "Thông tri", "layout": "generic", "position": "200", "active": "on"})
        self.assertRedirects(r, reverse("documents:types"))
        self.assertEqual(DocumentType.objects.get(code="TT").name, "Thông tri")

    def test_it_requires_an_administrator(self):
        self.login(self.secretary)
        self.assertEqual(self.client.get(reverse("documents:type_create")).status_code, 403)
        nq = DocumentType.objects.get(code="NQ")
        self.assertEqual(self.client.post(reverse("documents:type_edit", args=[nq.pk]), {"code": "X"}).status_code, 403)

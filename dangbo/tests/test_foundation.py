"""Project-level behaviour: health check, login, throttling, NFC input, home page, languages."""

import unicodedata
from unittest import mock

from django.db.utils import OperationalError
from django.test import override_settings

from dangbo.organizations.models import Organization
from dangbo.test import BaseTestCase


class HealthzTest(BaseTestCase):
    def test_it_answers_ok_after_a_database_round_trip(self):
        r = self.client.get("/healthz")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.content, b"ok")

    def test_it_answers_503_when_the_database_fails(self):
        with mock.patch("dangbo.views.connection.cursor", side_effect=OperationalError("down")):
            r = self.client.get("/healthz")
        self.assertEqual(r.status_code, 503)


class LoginTest(BaseTestCase):
    def login(self, username, password="password"):
        return self.client.post("/accounts/login/", {"username": username, "password": password})

    def test_it_logs_in_by_username(self):
        self.assertRedirects(self.login("bithu"), "/")

    def test_it_logs_in_by_phone_in_any_common_spelling(self):
        self.assertRedirects(self.login("0912.345.678"), "/")
        self.client.logout()
        self.assertRedirects(self.login("+84 912 345 678"), "/")

    def test_it_says_why_a_login_failed_in_vietnamese(self):
        r = self.login("bithu", "wrong")
        self.assertContains(r, "Tên đăng nhập (hoặc số điện thoại) hoặc mật khẩu không đúng.")

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_it_locks_out_after_repeated_failures(self):
        for _ in range(3):
            self.login("bithu", "wrong")
        r = self.login("bithu", "password")
        self.assertEqual(r.status_code, 429)
        self.assertContains(r, "Tạm khóa đăng nhập", status_code=429)


class NormalizationTest(BaseTestCase):
    def test_it_stores_pasted_decomposed_text_as_nfc(self):
        self.client.force_login(self.office)
        nfd = unicodedata.normalize("NFD", "Chi bộ Khối Hưng Phúc")
        self.client.post(f"/organizations/{self.ward.pk}/create/", {
            "kind": "cell", "name": nfd, "code": "NA.VH.CB77", "category": "residential",
        })
        cell = Organization.objects.get(code="NA.VH.CB77")
        self.assertEqual(cell.name, "Chi bộ Khối Hưng Phúc")
        self.assertTrue(unicodedata.is_normalized("NFC", cell.name))
        self.assertEqual(cell.search_key, "chi bo khoi hung phuc")

    def test_it_stores_nfc_even_without_a_form(self):
        org = Organization.objects.create(name=unicodedata.normalize("NFD", "Chi bộ Đồng Tâm"), code="T1",
                                          kind="cell", category="other", parent=self.ward)
        org.refresh_from_db()
        self.assertEqual(org.name, unicodedata.normalize("NFC", "Chi bộ Đồng Tâm"))


class HomeTest(BaseTestCase):
    def test_it_shows_what_the_person_may_do(self):
        self.client.force_login(self.office)
        r = self.client.get("/")
        self.assertContains(r, "Văn phòng đảng ủy")
        self.assertContains(r, "Thành lập chi bộ, đảng bộ trực thuộc")
        self.client.force_login(self.cell_secretary)
        r = self.client.get("/")
        self.assertContains(r, "Bí thư chi bộ")
        self.assertNotContains(r, "Thành lập chi bộ")

    def test_it_tells_a_person_without_roles_whom_to_ask(self):
        self.client.force_login(self.citizen)
        self.assertContains(self.client.get("/"), "chưa được phân quyền")

    def test_it_shows_navigation_by_role(self):
        self.client.force_login(self.office)
        self.assertContains(self.client.get("/"), "Quy định áp dụng")
        self.client.force_login(self.member)
        self.assertNotContains(self.client.get("/"), "Quy định áp dụng")

    def test_it_stays_vietnamese_for_an_english_browser(self):
        self.client.force_login(self.office)
        r = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(r, 'lang="vi"')
        self.assertContains(r, "Trang chủ")

    def test_it_speaks_english_when_asked(self):
        self.client.force_login(self.office)
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        r = self.client.get("/")
        self.assertContains(r, 'lang="en"')


class ErrorPagesTest(BaseTestCase):
    def test_it_explains_404_and_403_in_vietnamese(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.get(f"/organizations/{self.other_cell.pk}/")
        self.assertContains(r, "nằm ngoài phạm vi bạn được phân quyền", status_code=404)
        r = self.client.get(f"/organizations/{self.cell.pk}/rename/")
        self.assertContains(r, "Không có quyền thực hiện", status_code=403)

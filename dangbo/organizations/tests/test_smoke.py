from dangbo.test import BaseTestCase


class TreeTest(BaseTestCase):
    def test_it_shows_the_ward_to_its_secretary(self):
        self.client.force_login(self.secretary)
        r = self.client.get("/organizations/")
        self.assertContains(r, "Đảng bộ phường Vinh Hưng")
        r = self.client.get(f"/organizations/{self.ward.pk}/children/")
        self.assertContains(r, "Chi bộ Khối 1")
        self.assertNotContains(r, "Chi bộ Khối 9")

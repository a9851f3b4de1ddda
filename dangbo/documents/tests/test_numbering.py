from datetime import date

from django.core.exceptions import ValidationError

from dangbo.documents import actions
from dangbo.documents.models import DEFAULT_TYPES, Document, DocumentType, format_number, numbering_term
from dangbo.documents.tests.base import ISSUED_ON, DocumentsTestCase, doc_type, make_draft, make_issued
from dangbo.organizations.models import Term


class IssueDocumentTest(DocumentsTestCase):
    def test_it_gives_a_draft_no_number(self):
        draft = make_draft(self.ward, self.secretary)
        self.assertIsNone(draft.number)
        self.assertEqual(draft.reference, "")
        self.assertEqual(draft.status, Document.Status.DRAFT)

    def test_it_numbers_from_01_per_type(self):
        first = make_issued(self.ward, self.secretary, "NQ")
        second = make_issued(self.ward, self.secretary, "NQ")
        plan = make_issued(self.ward, self.secretary, "KH")
        self.assertEqual((first.number, second.number, plan.number), (1, 2, 1))
        self.assertEqual(first.reference, "01-NQ/ĐU")
        self.assertEqual(first.display_reference, "Số 01-NQ/ĐU")
        self.assertEqual(plan.reference, "01-KH/ĐU")
        self.assertEqual(first.term.name, "2025–2030")
        self.assertEqual(first.status, Document.Status.ISSUED)

    def test_it_numbers_each_organization_separately(self):
        make_issued(self.ward, self.secretary, "NQ")
        cell_doc = make_issued(self.cell, self.cell_secretary, "NQ")
        self.assertEqual(cell_doc.reference, "01-NQ/CB")

    def test_it_formats_two_digits_at_least(self):
        self.assertEqual([format_number(n) for n in (1, 9, 10, 127)], ["01", "09", "10", "127"])

    def test_it_restarts_the_day_after_the_next_congress_closes(self):
        Term.objects.filter(organization=self.ward).update(ends_on=date(2030, 8, 20))
        Term.objects.create(organization=self.ward, name="2030–2035", starts_on=date(2030, 8, 10),
                            congress_opened_on=date(2030, 8, 18), congress_closed_on=date(2030, 8, 20))
        old = self.ward.terms.get(name="2025–2030")
        new = self.ward.terms.get(name="2030–2035")
        # The new term "starts" on 10/08 but HD 36 restarts numbers only on 21/08.
        self.assertEqual(numbering_term(self.ward, date(2030, 8, 20)), old)
        self.assertEqual(numbering_term(self.ward, date(2030, 8, 21)), new)
        self.assertIsNone(numbering_term(self.ward, date(2025, 8, 14)))
        self.assertEqual(numbering_term(self.ward, date(2025, 8, 15)), old)

    def test_it_keeps_a_new_series_per_term(self):
        make_issued(self.ward, self.secretary, "NQ")
        new_term = Term.objects.create(organization=self.ward, name="2026 (thử)", starts_on=date(2026, 3, 1),
                                       congress_closed_on=date(2026, 3, 1))
        later = make_issued(self.ward, self.secretary, "NQ", on=date(2026, 3, 2))
        self.assertEqual(later.term, new_term)
        self.assertEqual(later.reference, "01-NQ/ĐU")

    def test_it_puts_congress_documents_in_one_series(self):
        Term.objects.create(organization=self.ward, name="2030–2035", starts_on=date(2030, 8, 21),
                            congress_opened_on=date(2030, 8, 18), congress_closed_on=date(2030, 8, 20))
        self.assertEqual(numbering_term(self.ward, date(2026, 5, 1), congress=True).name, "2030–2035")
        resolution = make_issued(self.ward, self.secretary, "NQ", is_congress=True)
        report = make_issued(self.ward, self.secretary, "BC", is_congress=True)
        ordinary = make_issued(self.ward, self.secretary, "NQ")
        self.assertEqual((resolution.reference, report.reference), ("01-NQ/ĐH", "02-BC/ĐH"))
        self.assertEqual(resolution.series, "congress")
        self.assertEqual(ordinary.reference, "01-NQ/ĐU")

    def test_it_refuses_without_a_term(self):
        Term.objects.filter(organization=self.ward).delete()
        draft = make_draft(self.ward, self.secretary)
        with self.assertRaisesMessage(ValidationError, "chưa có nhiệm kỳ nào bắt đầu trước ngày 20/02/2026"):
            actions.issue_document(draft, on=ISSUED_ON, by=self.secretary)
        draft.refresh_from_db()
        self.assertTrue(draft.is_draft)
        self.assertIsNone(draft.number)

    def test_it_refuses_without_a_symbol(self):
        self.ward.symbol = ""
        self.ward.save()
        with self.assertRaisesMessage(ValidationError, "chưa có ký hiệu văn bản"):
            make_issued(self.ward, self.secretary)

    def test_it_refuses_a_second_issue(self):
        document = make_issued(self.ward, self.secretary)
        with self.assertRaisesMessage(ValidationError, "đã ban hành (Số 01-NQ/ĐU)"):
            actions.issue_document(document, on=ISSUED_ON, by=self.secretary)

    def test_it_refuses_a_date_before_the_last_number(self):
        make_issued(self.ward, self.secretary, on=date(2026, 3, 1))
        draft = make_draft(self.ward, self.secretary)
        with self.assertRaisesMessage(ValidationError, "Số 01 của dãy này đã ban hành ngày 01/03/2026"):
            actions.issue_document(draft, on=date(2026, 2, 1), by=self.secretary)
        # The failed issue gave nothing away: the next one is 02.
        self.assertEqual(actions.issue_document(draft, on=date(2026, 3, 1), by=self.secretary).number, 2)

    def test_it_refuses_a_future_date(self):
        draft = make_draft(self.ward, self.secretary)
        with self.assertRaisesMessage(ValidationError, "chưa đến"):
            actions.issue_document(draft, on=date(2099, 1, 1), by=self.secretary)

    def test_it_requires_a_signer(self):
        draft = make_draft(self.ward, self.secretary, signer_name="")
        # Left blank, the signer defaults to the secretary of the ward.
        self.assertEqual(draft.signer_name, "Nguyễn Văn Hùng")
        draft.signer_name = ""
        Document.objects.filter(pk=draft.pk).update(signer_name="")
        with self.assertRaisesMessage(ValidationError, "họ tên người ký"):
            actions.issue_document(draft, on=ISSUED_ON, by=self.secretary)

    def test_it_records_who_issued_in_history(self):
        document = make_issued(self.ward, self.secretary)
        latest = document.history.first()
        self.assertEqual(latest.history_user, self.secretary)
        self.assertEqual(latest.status, "issued")

    def test_it_fills_the_header_from_the_tree(self):
        draft = make_draft(self.ward, self.secretary)
        self.assertEqual(draft.superior_name, "ĐẢNG BỘ TỈNH NGHỆ AN")
        self.assertEqual(draft.header_name, "ĐẢNG ỦY PHƯỜNG VINH HƯNG")
        self.assertEqual(draft.place, "Vinh Hưng")
        self.assertEqual((draft.signing_authority, draft.signer_position), ("T/M ĐẢNG ỦY", "BÍ THƯ"))
        cell_draft = make_draft(self.cell, self.cell_secretary, signer_name="")
        self.assertEqual(cell_draft.superior_name, "ĐẢNG BỘ PHƯỜNG VINH HƯNG")
        self.assertEqual(cell_draft.header_name, "CHI BỘ KHỐI 1")
        self.assertEqual(cell_draft.signing_authority, "T/M CHI BỘ")
        self.assertEqual(cell_draft.signer_name, "Lê Văn Nam")

    def test_it_keeps_an_edited_header(self):
        draft = make_draft(self.ward, self.secretary, header_name="BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG VINH HƯNG")
        self.assertEqual(draft.header_name, "BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG VINH HƯNG")


class ReceivedTest(DocumentsTestCase):
    def test_it_keeps_the_senders_symbol(self):
        document = actions.register_received(
            organization=self.ward, doc_type=doc_type("KH"), reference="82-KH/TU", issued_on=date(2026, 1, 5),
            sender="Tỉnh ủy Nghệ An", received_on=date(2026, 1, 7), summary="thực hiện Nghị quyết", by=self.office,
        )
        self.assertEqual(document.reference, "82-KH/TU")
        self.assertEqual(document.display_reference, "82-KH/TU")
        self.assertIsNone(document.number)
        # Receiving takes nothing from our own series.
        self.assertEqual(make_issued(self.ward, self.secretary, "KH").reference, "01-KH/ĐU")
        with self.assertRaisesMessage(ValidationError, "giữ số của nơi gửi"):
            actions.issue_document(document, on=ISSUED_ON, by=self.secretary)

    def test_it_refuses_arrival_before_the_document(self):
        with self.assertRaisesMessage(ValidationError, "Ngày đến 04/01/2026 trước ngày văn bản 05/01/2026"):
            actions.register_received(
                organization=self.ward, doc_type=doc_type("KH"), reference="82-KH/TU", issued_on=date(2026, 1, 5),
                sender="Tỉnh ủy", received_on=date(2026, 1, 4), summary="x", by=self.office,
            )


class DefaultTypesTest(DocumentsTestCase):
    def test_it_seeds_the_same_types_as_the_migration(self):
        from importlib import import_module

        migration = import_module("dangbo.documents.migrations.0002_default_types")
        self.assertEqual(migration.TYPES, DEFAULT_TYPES)
        codes = set(DocumentType.objects.values_list("code", flat=True))
        self.assertTrue({"NQ", "QĐ", "CT", "KL", "QC", "QĐi", "HD", "TB", "BC", "KH", "CTr", "TTr", "ĐA", "BB",
                         "CV"} <= codes)


class PlaceNameTest(DocumentsTestCase):
    def test_it_takes_the_ward_or_commune(self):
        from dangbo.documents.models import place_name
        from dangbo.test import make_org

        police = make_org("Đảng bộ Công an phường", "NA.VH.CA", self.ward, kind="committee", symbol="ĐU")
        police_cell = make_org("Chi bộ Đội cảnh sát", "NA.VH.CA.1", police)
        self.assertEqual(place_name(self.ward), "Vinh Hưng")
        self.assertEqual(place_name(self.cell), "Vinh Hưng")
        self.assertEqual(place_name(police_cell), "Vinh Hưng")
        self.assertEqual(place_name(self.province), "Nghệ An")


class NumbersUsedTest(DocumentsTestCase):
    def url(self, org):
        from django.urls import reverse

        return reverse("documents:numbers_used", args=[org.pk])

    def test_it_continues_after_the_paper_numbers(self):
        self.login(self.office)
        r = self.client.post(self.url(self.ward), {"doc_type": doc_type("NQ").pk, "last_number": "8"}, follow=True)
        self.assertContains(r, "Đã ghi số đã dùng.")
        self.assertEqual(make_issued(self.ward, self.secretary, "NQ").reference, "09-NQ/ĐU")
        self.assertEqual(make_issued(self.ward, self.secretary, "KH").reference, "01-KH/ĐU")

    def test_it_never_goes_back(self):
        make_issued(self.ward, self.secretary, "NQ")
        make_issued(self.ward, self.secretary, "NQ")
        self.login(self.office)
        r = self.client.post(self.url(self.ward), {"doc_type": doc_type("NQ").pk, "last_number": "1"})
        self.assertContains(r, "Dãy NQ của nhiệm kỳ 2025–2030 đã cấp đến số 02; không thể lùi lại.")

    def test_it_requires_write_access(self):
        self.login(self.readonly)
        self.assertEqual(self.client.get(self.url(self.ward)).status_code, 403)
        self.login(self.member)
        self.assertEqual(self.client.post(self.url(self.cell), {"doc_type": doc_type("NQ").pk,
                                                                "last_number": "3"}).status_code, 403)

    def test_it_lets_a_cell_secretary_set_the_cells_series(self):
        self.login(self.cell_secretary)
        self.client.post(self.url(self.cell), {"doc_type": doc_type("NQ").pk, "last_number": "3"})
        self.assertEqual(make_issued(self.cell, self.cell_secretary, "NQ").reference, "04-NQ/CB")
        self.assertEqual(self.client.get(self.url(self.school_cell)).status_code, 404)

    def test_it_hides_other_wards(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url(self.ward)).status_code, 404)

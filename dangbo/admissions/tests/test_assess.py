"""The dossier checklist and eligibility by the date of the cell's meeting (DOMAIN §1.1–1.7)."""

from datetime import date

from dangbo.admissions import actions
from dangbo.admissions.models import DossierKind, Introducer
from dangbo.admissions.tests.factories import complete_dossier, make_member, make_officials, propose
from dangbo.members.actions import record_status
from dangbo.test import BaseTestCase


def states(report):
    return {c.label: c.state for c in report.checks}


class AssessTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.officials = make_officials(cls.cell)

    def setUp(self):
        self.candidate = propose(self.cell, self.cell_secretary)

    def complete(self, **kwargs):
        return complete_dossier(self.candidate, self.cell_secretary, self.officials[:2], **kwargs)

    def test_it_passes_a_complete_dossier(self):
        self.complete()
        report = actions.check_eligibility(self.candidate, on=date(2025, 9, 5))
        self.assertTrue(report.ok, report.problems)
        self.assertEqual(report.compiled_on, date(2025, 9, 1))
        self.assertEqual(report.stale_after, date(2026, 9, 1))

    def test_it_lists_what_is_missing(self):
        report = actions.check_eligibility(self.candidate, on=date(2025, 9, 5))
        self.assertFalse(report.ok)
        text = " ".join(report.problems)
        self.assertIn("Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng.", text)
        self.assertIn("Thiếu: Đơn xin vào Đảng.", text)
        self.assertIn("Thiếu: Kết quả thẩm tra lý lịch.", text)
        self.assertIn("Cần 2 đảng viên chính thức giới thiệu; mới có 0.", text)

    def test_it_keeps_a_certificate_valid_through_its_last_day(self):
        self.complete(certificate_on=date(2020, 9, 5))
        report = actions.check_eligibility(self.candidate, on=date(2025, 9, 5))
        self.assertTrue(report.ok, report.problems)

    def test_it_blocks_an_expired_certificate_with_a_clear_message(self):
        self.complete(certificate_on=date(2020, 9, 4))
        report = actions.check_eligibility(self.candidate, on=date(2025, 9, 5))
        self.assertFalse(report.ok)
        self.assertIn(
            "Giấy chứng nhận số 125/GCN cấp ngày 04/09/2020 chỉ có giá trị 60 tháng, đã hết hạn sau ngày 04/09/2025: "
            "quần chúng phải học lại lớp bồi dưỡng nhận thức về Đảng trước khi chi bộ xét.", report.problems)

    def test_it_accepts_the_dossier_on_the_last_day_of_12_months(self):
        self.complete(on=date(2025, 9, 1))
        self.assertTrue(actions.check_eligibility(self.candidate, on=date(2026, 9, 1)).ok)

    def test_it_asks_to_redo_letters_and_comments_after_12_months(self):
        self.complete(on=date(2025, 9, 1))
        report = actions.check_eligibility(self.candidate, on=date(2026, 9, 2))
        found = states(report)
        self.assertEqual(found["Nhận xét của chi ủy, chi bộ nơi cư trú"], "stale")
        self.assertEqual(found["Nhận xét của đoàn thể chính trị - xã hội"], "stale")
        self.assertEqual(found["Người giới thiệu: Trần Văn An"], "stale")
        self.assertEqual(found["Đơn xin vào Đảng"], "ok")
        self.assertEqual(found["Lý lịch của người xin vào Đảng"], "ok")
        self.assertIn("Hồ sơ hoàn thành ngày 01/09/2025, đến ngày 02/09/2026 đã quá 12 tháng mà chi bộ chưa xét",
                      " ".join(report.problems))

    def test_redone_letters_and_comments_make_it_fresh_again(self):
        self.complete(on=date(2025, 9, 1))
        by = self.cell_secretary
        for kind in (DossierKind.RESIDENCE_COMMENT, DossierKind.MASS_ORG_COMMENT):
            actions.record_dossier_item(self.candidate, kind=kind, dated_on=date(2026, 9, 10), by=by)
        introducers = list(self.candidate.introducers.all())
        for old in introducers[:1]:
            actions.add_introducer(self.candidate, member=self.officials[2], relation="residence",
                                   together_since=date(2020, 1, 1), letter_on=date(2026, 9, 10), replaces=old, by=by)
        self.assertFalse(actions.check_eligibility(self.candidate, on=date(2026, 9, 15)).ok, "one letter is still old")
        actions.add_introducer(self.candidate, member=self.officials[3], relation="residence",
                               together_since=date(2020, 1, 1), letter_on=date(2026, 9, 11), replaces=introducers[1],
                               by=by)
        report = actions.check_eligibility(self.candidate, on=date(2026, 9, 15))
        self.assertTrue(report.ok, report.problems)
        self.assertEqual(report.compiled_on, date(2026, 9, 10))

    def test_it_checks_the_introducers_standing_on_the_meeting_date(self):
        newer = make_member(self.cell, "Đinh Văn Giang", status="probationary", admitted=date(2025, 1, 15))
        self.complete()
        self.candidate.introducers.filter(member=self.officials[1]).update(member=newer)
        record_status(newer, status="official", effective_on=date(2026, 1, 15), by=self.office)
        report = actions.check_eligibility(self.candidate, on=date(2026, 1, 14))
        self.assertIn("Đinh Văn Giang không phải đảng viên chính thức ngày 14/01/2026 (Dự bị).", report.problems)
        self.assertTrue(actions.check_eligibility(self.candidate, on=date(2026, 1, 15)).ok)

    def test_an_introducer_needs_12_months_together_by_the_meeting(self):
        self.complete(together_since=date(2024, 9, 6))
        report = actions.check_eligibility(self.candidate, on=date(2025, 9, 5))
        self.assertIn("Trần Văn An mới cùng công tác, học tập hoặc cư trú với quần chúng từ 06/09/2024, chưa đủ 12 "
                      "tháng tính đến ngày 05/09/2025.", report.problems)
        self.assertTrue(actions.check_eligibility(self.candidate, on=date(2025, 9, 6)).ok)

    def test_a_replacement_introducer_needs_no_12_months(self):
        self.complete()
        old = self.candidate.introducers.get(member=self.officials[0])
        actions.add_introducer(self.candidate, member=self.officials[4], letter_on=date(2025, 9, 2), replaces=old,
                               by=self.cell_secretary)
        old.refresh_from_db()
        self.assertEqual(old.ended_on, date(2025, 9, 2))
        self.assertTrue(actions.check_eligibility(self.candidate, on=date(2025, 9, 5)).ok)

    def test_an_introducer_of_another_ward_does_not_count(self):
        stranger = make_member(self.other_cell, "Mạc Văn Khải")
        self.complete()
        self.candidate.introducers.filter(member=self.officials[1]).update(member=stranger)
        report = actions.check_eligibility(self.candidate, on=date(2025, 9, 5))
        self.assertIn("Mạc Văn Khải sinh hoạt ở Chi bộ Khối 9, không cùng đảng bộ với chi bộ xét.", report.problems)

    def test_youth_union_age_needs_the_youth_union_where_it_exists(self):
        self.candidate.youth_union_at_place = True
        self.candidate.save()
        self.complete()
        report = actions.check_eligibility(self.candidate, on=date(2025, 9, 5))
        self.assertIn("Quần chúng trong độ tuổi Đoàn (16–30) ở nơi có tổ chức Đoàn: cần nghị quyết giới thiệu của "
                      "Ban Chấp hành Đoàn cơ sở và 1 đảng viên chính thức.", report.problems)
        actions.end_introducer(self.candidate.introducers.first(), on=date(2025, 9, 2), reason="Đoàn giới thiệu",
                               by=self.cell_secretary)
        actions.add_introducer(self.candidate, kind=Introducer.Kind.YOUTH_UNION, union_name="Đoàn phường Vinh Hưng",
                               letter_on=date(2025, 9, 2), reference="12-NQ/ĐTN", by=self.cell_secretary)
        self.assertTrue(actions.check_eligibility(self.candidate, on=date(2025, 9, 5)).ok)

    def test_the_trade_union_introduces_only_where_there_is_no_youth_union(self):
        self.complete()
        actions.end_introducer(self.candidate.introducers.first(), on=date(2025, 9, 2), reason="Công đoàn giới thiệu",
                               by=self.cell_secretary)
        actions.add_introducer(self.candidate, kind=Introducer.Kind.TRADE_UNION, union_name="Công đoàn Công ty Xây lắp",
                               letter_on=date(2025, 9, 2), by=self.cell_secretary)
        self.assertTrue(actions.check_eligibility(self.candidate, on=date(2025, 9, 5)).ok)
        self.candidate.youth_union_at_place = True
        self.candidate.date_of_birth = date(1980, 1, 1)
        self.candidate.save()
        report = actions.check_eligibility(self.candidate, on=date(2025, 9, 5))
        self.assertIn("Công đoàn chỉ giới thiệu ở nơi không có tổ chức Đoàn.", report.problems)

    def test_it_refuses_215_months_of_age(self):
        self.candidate.date_of_birth = date(2007, 9, 6)
        self.candidate.save()
        self.complete()
        report = actions.check_eligibility(self.candidate, on=date(2025, 9, 5))
        self.assertIn("Ngày 05/09/2025 quần chúng mới 17 tuổi 11 tháng (215 tháng), chưa đủ 216 tháng tuổi.",
                      report.problems)
        self.assertTrue(actions.check_eligibility(self.candidate, on=date(2025, 9, 6)).ok)

    def test_over_60_is_flagged_until_the_consent_is_recorded(self):
        self.candidate.date_of_birth = date(1965, 8, 5)
        self.candidate.save()
        self.complete()
        report = actions.check_eligibility(self.candidate, on=date(2025, 9, 5))
        self.assertTrue(report.ok)
        self.assertTrue(report.over_age)
        self.assertIn("60 tuổi 1 tháng (721 tháng), trên 720 tháng: cần văn bản đồng ý", report.warnings[0])
        self.assertFalse(actions.check_eligibility(self.candidate, on=date(2025, 9, 4)).over_age)

    def test_it_needs_the_lower_secondary_diploma(self):
        self.candidate.lower_secondary_diploma = False
        self.candidate.save()
        self.complete()
        report = actions.check_eligibility(self.candidate, on=date(2025, 9, 5))
        self.assertIn("Chưa ghi bằng tốt nghiệp trung học cơ sở trở lên (Quy định 294-QĐ/TW).", report.problems)

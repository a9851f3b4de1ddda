"""Residence contact actions (213-QĐ/TW; HD 33-HD/BTCTW): link, meetings, yearly comments."""

from datetime import date

from django.core.exceptions import ValidationError

from dangbo.members import movements
from dangbo.members.tests.test_transfers import make_member, messages_of
from dangbo.test import BaseTestCase, make_org


def link(member, cell, by, **overrides):
    values = {"residential_cell": cell, "address": "Số 5 ngõ 12 đường Lê Lợi", "introduced_on": date(2026, 1, 5)}
    values.update(overrides)
    return movements.link_residence(member, by=by, **values)


class LinkResidenceTest(BaseTestCase):
    def setUp(self):
        self.teacher = make_member(self.school_cell, name="Nguyễn Thị Giáo")

    def test_it_links_a_working_member_to_a_residential_cell(self):
        contact = link(self.teacher, self.cell, self.secretary)
        self.assertEqual(contact.residential_cell, self.cell)
        self.assertEqual(contact.history.latest().history_user, self.secretary)

    def test_it_links_across_wards(self):
        police = make_org("Chi bộ Công an phường Thành Vinh", "NA.TV.CA", self.other_ward, category="police")
        officer = make_member(police)
        self.assertEqual(link(officer, self.cell, self.outsider).residential_cell, self.cell)

    def test_it_needs_a_residential_cell(self):
        with self.assertRaises(ValidationError) as error:
            link(self.teacher, self.school_cell, self.secretary)
        self.assertIn("Chỉ giới thiệu về chi bộ khu dân cư", messages_of(error))
        with self.assertRaises(ValidationError):
            link(self.teacher, self.ward, self.secretary)

    def test_it_refuses_members_of_residential_cells(self):
        neighbour = make_member(self.cell)
        with self.assertRaises(ValidationError) as error:
            link(neighbour, self.other_cell, self.secretary)
        self.assertIn("không thuộc diện giữ mối liên hệ nơi cư trú", messages_of(error))

    def test_it_keeps_one_open_link(self):
        contact = link(self.teacher, self.cell, self.secretary)
        with self.assertRaises(ValidationError) as error:
            link(self.teacher, self.other_cell, self.secretary)
        self.assertIn("đang giữ mối liên hệ với Chi bộ Khối 1", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            movements.end_residence(contact, on=date(2025, 12, 1), by=self.secretary)
        self.assertIn("không được trước ngày giới thiệu", messages_of(error))
        movements.end_residence(contact, on=date(2026, 6, 30), by=self.secretary)
        with self.assertRaises(ValidationError) as error:
            movements.end_residence(contact, on=date(2026, 7, 30), by=self.secretary)
        self.assertIn("đã kết thúc ngày 30/06/2026", messages_of(error))
        self.assertEqual(link(self.teacher, self.other_cell, self.secretary).residential_cell, self.other_cell)

    def test_it_asks_why_a_member_is_exempt_from_residence_activity(self):
        with self.assertRaises(ValidationError) as error:
            link(self.teacher, self.cell, self.secretary, exempt_from_activity=True)
        self.assertIn("HD 33-HD/BTCTW", messages_of(error))
        contact = link(self.teacher, self.cell, self.secretary, exempt_from_activity=True,
                       exemption_reason="Học tập trung dài hạn")
        self.assertTrue(contact.exempt_from_activity)


class ResidenceMeetingTest(BaseTestCase):
    def setUp(self):
        self.teacher = make_member(self.school_cell, name="Hoàng Văn Dạy")
        self.contact = link(self.teacher, self.cell, self.secretary)

    def test_it_records_a_meeting_with_attendees(self):
        meeting = movements.record_residence_meeting(
            self.cell, held_on=date(2026, 6, 20), content="Sơ kết 6 tháng", attendees=[self.contact],
            by=self.cell_secretary)
        self.assertEqual(list(meeting.attendees.all()), [self.contact])

    def test_it_refuses_strangers_duplicates_and_other_cells(self):
        stranger = link(make_member(self.school_cell, name="Người Lạ"), self.other_cell, self.secretary)
        with self.assertRaises(ValidationError) as error:
            movements.record_residence_meeting(self.cell, held_on=date(2026, 6, 20), content="Họp",
                                               attendees=[stranger], by=self.cell_secretary)
        self.assertIn("Người Lạ", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            movements.record_residence_meeting(self.cell, held_on=date(2025, 12, 20), content="Họp",
                                               attendees=[self.contact], by=self.cell_secretary)
        self.assertIn("Không có trong danh sách", messages_of(error))  # not yet introduced then
        movements.record_residence_meeting(self.cell, held_on=date(2026, 6, 20), content="Họp", attendees=[],
                                           by=self.cell_secretary)
        with self.assertRaises(ValidationError) as error:
            movements.record_residence_meeting(self.cell, held_on=date(2026, 6, 20), content="Họp lại",
                                               attendees=[], by=self.cell_secretary)
        self.assertIn("đã ghi một buổi họp ngày 20/06/2026", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            movements.record_residence_meeting(self.school_cell, held_on=date(2026, 6, 21), content="Họp",
                                               attendees=[], by=self.secretary)
        self.assertIn("Chỉ chi bộ khu dân cư", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            movements.record_residence_meeting(self.cell, held_on=date(2026, 6, 22), content=" ", attendees=[],
                                               by=self.secretary)
        self.assertIn("Ghi nội dung buổi họp.", messages_of(error))

    def test_it_computes_when_the_next_meeting_is_due(self):
        # 213-QĐ/TW Art.4: every 6 months, counted in calendar months.
        self.assertEqual(movements.meeting_due(date(2026, 8, 31), cell=self.cell), date(2027, 2, 28))
        self.assertIsNone(movements.meeting_due(date(2019, 6, 1), cell=self.cell))  # before 213-QĐ/TW


class ResidenceCommentTest(BaseTestCase):
    def setUp(self):
        self.teacher = make_member(self.school_cell, name="Phùng Thị Bảng")
        self.contact = link(self.teacher, self.cell, self.secretary)

    def comment(self, **overrides):
        values = {"year": 2026, "comment": "Gương mẫu, tham gia tốt sinh hoạt khu dân cư.",
                  "commented_on": date(2026, 12, 10)}
        values.update(overrides)
        return movements.record_residence_comment(self.contact, by=self.cell_secretary, **values)

    def test_it_records_rewrites_and_sends_a_comment(self):
        first = self.comment()
        again = self.comment(comment="Gương mẫu.")
        self.assertEqual((again.pk, again.comment, again.by), (first.pk, "Gương mẫu.", self.cell_secretary))
        movements.send_comment(again, on=date(2026, 12, 15), by=self.cell_secretary)
        self.assertEqual(again.sent_on, date(2026, 12, 15))
        with self.assertRaises(ValidationError) as error:
            movements.send_comment(again, on=date(2026, 12, 16), by=self.cell_secretary)
        self.assertIn("Nhận xét đã gửi ngày 15/12/2026.", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            self.comment(comment="Sửa lại")
        self.assertIn("đã gửi nơi công tác ngày 15/12/2026, không sửa được", messages_of(error))

    def test_it_checks_the_year_and_dates(self):
        with self.assertRaises(ValidationError) as error:
            self.comment(year=2025, commented_on=date(2025, 12, 10))
        self.assertIn("Năm 2025 đảng viên không giữ mối liên hệ với chi bộ.", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            self.comment(commented_on=date(2028, 1, 5))
        self.assertIn("trong năm 2026 hoặc đầu năm sau", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            self.comment(comment="")
        self.assertIn("Ghi nội dung nhận xét.", messages_of(error))
        record = self.comment(commented_on=date(2027, 1, 8))
        with self.assertRaises(ValidationError) as error:
            movements.send_comment(record, on=date(2027, 1, 7), by=self.cell_secretary)
        self.assertIn("không được trước ngày nhận xét (08/01/2027)", messages_of(error))

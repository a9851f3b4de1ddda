"""The rules read from /work/shared/DOMAIN.md, each with its document, section and dates.

Conventions:
- Keys are "<domain>.<name>"; the domain groups the office page (DOMAINS below).
- Values are JSON numbers, strings or booleans. A fraction is a string "a/b"
  ("2/3"), read with ``dangbo.rules.lookup.fraction``; a percentage is a number
  of percent (0.5 means 0.5 %).
- A key ending in ``_min_fraction`` or ``_min_*`` is an inclusive lower bound
  (≥); ``_above_*`` is strict (>); ``_below_*`` is strict (<); ``_max_*`` is
  inclusive (≤).
- Dates are inclusive. When a regulation replaces another, the old version
  ends the day before the new one starts, so events keep the rule of their date.
- Mark "V", "R" or "CFG" is DOMAIN.md's; only CFG rules are ``configurable``
  (an organization may set its own value by a decision of its own).

Re-sync a database with ``manage.py load_rules`` after editing this file.
"""

from collections import namedtuple
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

# (prefix, label on the office page), in the page's order.
DOMAINS = [
    ("admission", _("Kết nạp, dự bị, công nhận đảng viên chính thức")),
    ("removal", _("Xóa tên")),
    ("exemption", _("Miễn công tác và sinh hoạt đảng")),
    ("transfer", _("Chuyển sinh hoạt đảng")),
    ("residence", _("Đảng viên sinh hoạt nơi cư trú")),
    ("meeting", _("Sinh hoạt chi bộ")),
    ("evaluation", _("Kiểm điểm, đánh giá, xếp loại")),
    ("discipline", _("Kỷ luật")),
    ("planning", _("Quy hoạch cán bộ")),
    ("confidence", _("Lấy phiếu tín nhiệm")),
    ("reception", _("Tiếp dân")),
    ("fee", _("Đảng phí")),
    ("congress", _("Đại hội")),
    ("election", _("Bầu cử trong Đảng")),
]
DOMAIN_LABELS = dict(DOMAINS)

Doc = namedtuple("Doc", "name valid_from valid_to")

# Used where no start date is known: the Charter adopted by the XI Congress.
CHARTER = Doc("Điều lệ Đảng (Đại hội XI, 2011)", date(2011, 1, 19), None)
# The implementing regulations (thi hành Điều lệ) replaced one another (DOMAIN §0).
Q24 = Doc("Quy định 24-QĐ/TW ngày 30/7/2021", date(2021, 7, 30), date(2025, 1, 19))
Q232 = Doc("Quy định 232-QĐ/TW ngày 20/1/2025", date(2025, 1, 20), date(2025, 6, 30))
Q294 = Doc("Quy định 294-QĐ/TW ngày 26/5/2025", date(2025, 7, 1), None)
HD01 = Doc("Hướng dẫn 01-HD/TW ngày 28/9/2021", date(2021, 9, 28), None)
HD27 = Doc("Hướng dẫn 27-HD/BTCTW năm 2009", date(2009, 1, 1), None)
Q213 = Doc("Quy định 213-QĐ/TW ngày 2/1/2020", date(2020, 1, 2), None)
HD12 = Doc("Hướng dẫn 12-HD/BTCTW ngày 18/1/2018", date(2018, 1, 18), None)
HD42 = Doc("Hướng dẫn 42-HD/BTCTW ngày 28/10/2025", date(2025, 10, 28), None)
Q124 = Doc("Quy định 124-QĐ/TW ngày 4/10/2023", date(2023, 10, 4), date(2025, 8, 29))
Q366 = Doc("Quy định 366-QĐ/TW ngày 30/8/2025", date(2025, 8, 30), None)
Q69 = Doc("Quy định 69-QĐ/TW ngày 6/7/2022", date(2022, 7, 6), None)
Q296 = Doc("Quy định 296-QĐ/TW ngày 30/5/2025", date(2025, 5, 30), None)
Q377 = Doc("Quy định 377-QĐ/TW ngày 8/10/2025", date(2025, 10, 8), None)
Q96 = Doc("Quy định 96-QĐ/TW ngày 2/2/2023", date(2023, 2, 2), None)
QDI11 = Doc("Quy định 11-QĐi/TW ngày 18/2/2019", date(2019, 2, 18), None)
KL215 = Doc("Quy định 11-QĐi/TW, sửa đổi theo Kết luận 215-KL/TW ngày 23/11/2025", date(2025, 11, 23), None)
Q342 = Doc("Quy định 342-QĐ/TW ngày 28/12/2010", date(2010, 12, 28), date(2026, 1, 31))
Q01_2026 = Doc("Quy định 01-QĐ/TW ngày 3/2/2026", date(2026, 2, 1), None)
Q190 = Doc("Quy định 190-QĐ/TW ngày 10/10/2024 (Quy chế bầu cử trong Đảng)", date(2024, 10, 10), None)

NOTE_CHARTER = "Chưa kiểm tra Đại hội XIV (1/2026) có sửa Điều lệ hay không."
NOTE_SAME_AS_24 = (
    "Giá trị giữ như Quy định 24-QĐ/TW %s; điều khoản tương ứng trong văn bản này chưa đối chiếu bản gốc."
)


_DOCUMENT_END = object()


def entry(key, value, unit, title, doc, section, domain_ref, mark, *, valid_from=None, valid_to=_DOCUMENT_END,
          note="", choices=()):
    """One version of a rule; its dates default to the document's."""
    return {
        "key": key,
        "value": value,
        "unit": unit,
        "title": title,
        "source_document": doc.name,
        "source_section": section,
        "domain_ref": domain_ref,
        "mark": mark,
        "configurable": mark == "CFG",
        "choices": [list(choice) for choice in choices],
        "note": note,
        "valid_from": valid_from or doc.valid_from,
        "valid_to": doc.valid_to if valid_to is _DOCUMENT_END else valid_to,
    }


def implementing(key, value, unit, title, section, domain_ref, mark, *, sections=None, note=""):
    """Three versions of a rule of the implementing regulation: 24-QĐ/TW, 232-QĐ/TW, 294-QĐ/TW.

    ``sections`` gives the section in 232 and 294 where it was read; otherwise
    the version cites 24's section and says the correspondence is unchecked.
    """
    sections = sections or {}
    versions = [entry(key, value, unit, title, Q24, section, domain_ref, mark, note=note)]
    for doc in (Q232, Q294):
        own = sections.get(doc)
        versions.append(entry(
            key, value, unit, title, doc, own or section, domain_ref, mark,
            note=" ".join(filter(None, [note, "" if own else NOTE_SAME_AS_24 % section])),
        ))
    return versions


COUNTING_CHOICES = [("cumulative", "Cộng dồn trong năm"), ("consecutive", "Liên tục")]

RULES = [
    # §1 Admission and probation.
    *implementing(
        "admission.min_age_months", 216, "months",
        "Tuổi đời tối thiểu của người vào Đảng (đủ 18 tuổi, tính theo tháng, tại ngày chi bộ xét)",
        "§1.1.1", "DOMAIN §1.1", "V", sections={Q232: "§1.1", Q294: "§1.1"},
    ),
    *implementing(
        "admission.max_age_months", 720, "months",
        "Tuổi đời tối đa của người vào Đảng (đủ 60 tuổi, tính theo tháng); cao hơn cần cấp ủy trực thuộc TW đồng ý",
        "§1.1.1", "DOMAIN §1.1", "V", sections={Q232: "§1.1", Q294: "§1.1"},
    ),
    entry("admission.introducers_count", 2, "count",
          "Số đảng viên chính thức giới thiệu người vào Đảng (nơi có Đoàn, Công đoàn: tập thể + 1 đảng viên)",
          CHARTER, "Điều 4 khoản 1", "DOMAIN §1.4", "V", note=NOTE_CHARTER),
    *implementing(
        "admission.introducer_months_together", 12, "months",
        "Người giới thiệu phải cùng công tác, học tập, cư trú với người vào Đảng ít nhất",
        "§3.2.1", "DOMAIN §1.5", "V",
    ),
    entry("admission.awareness_certificate_months", 60, "months",
          "Thời hạn giá trị của giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng",
          Doc("Nghiệp vụ công tác đảng viên (nguồn thứ cấp, chưa tìm thấy văn bản gốc)", CHARTER.valid_from, None),
          "", "DOMAIN §1.6", "V",
          note="Chỉ có nguồn thứ cấp [S9]; ngày áp dụng không rõ, lấy từ Điều lệ 2011."),
    entry("admission.dossier_stale_months", 12, "months",
          "Quá thời hạn này kể từ khi lập hồ sơ mà chi bộ chưa xét thì phải làm lại thư giới thiệu, nhận xét",
          HD01, "", "DOMAIN §1.7", "V",
          note="Có tin đã có hướng dẫn thay thế năm 2025, chưa tìm thấy."),
    entry("admission.vote_min_fraction", "2/3", "fraction",
          "Tỷ lệ tối thiểu đảng viên chính thức tán thành để chi bộ đề nghị kết nạp, công nhận chính thức",
          CHARTER, "Điều 4 khoản 3; Điều 5", "DOMAIN §1.8", "V", note=NOTE_CHARTER),
    *implementing(
        "admission.ceremony_working_days", 30, "working_days",
        "Tổ chức lễ kết nạp trong thời hạn kể từ ngày chi bộ nhận quyết định kết nạp",
        "§4.1", "DOMAIN §1.10", "V",
    ),
    entry("admission.probation_months", 12, "months",
          "Thời gian dự bị, tính từ ngày chi bộ tổ chức lễ kết nạp",
          CHARTER, "Điều 5 khoản 1", "DOMAIN §1.11", "V", note=NOTE_CHARTER),
    *implementing(
        "admission.recognition_working_days", 30, "working_days",
        "Chi bộ xét, đề nghị công nhận đảng viên chính thức trong thời hạn sau khi hết 12 tháng dự bị",
        "§4.2.1", "DOMAIN §1.13", "V",
    ),
    *implementing(
        "admission.recognition_vote_rounds", 3, "count",
        "Số lần biểu quyết không đạt 2/3 thì báo cáo cấp ủy cấp trên quyết định",
        "§4.2.3", "DOMAIN §1.14", "V",
    ),
    entry("admission.readmission_min_months", 36, "months",
          "Xét kết nạp lại: ít nhất từ khi ra khỏi Đảng", Q232, "§3.5.1", "DOMAIN §1.16", "V"),
    entry("admission.readmission_min_months", 36, "months",
          "Xét kết nạp lại: ít nhất từ khi ra khỏi Đảng", Q294, "§3.5", "DOMAIN §1.16", "V"),
    entry("admission.readmission_after_conviction_months", 60, "months",
          "Xét kết nạp lại người bị án hình sự về tội ít nghiêm trọng: ít nhất từ khi được xóa án tích",
          Q232, "§3.5.1", "DOMAIN §1.16", "V"),
    entry("admission.readmission_after_conviction_months", 60, "months",
          "Xét kết nạp lại người bị án hình sự về tội ít nghiêm trọng: ít nhất từ khi được xóa án tích",
          Q294, "§3.5", "DOMAIN §1.16", "V"),

    # §2 Removal.
    *implementing(
        "removal.unexcused_absent_months_per_year", 3, "months",
        "Bỏ sinh hoạt đảng không có lý do chính đáng số tháng này trong năm thì chi bộ xem xét đề nghị xóa tên",
        "§8.1", "DOMAIN §2", "V",
    ),
    *implementing(
        "removal.unpaid_fee_months_per_year", 3, "months",
        "Không đóng đảng phí không có lý do chính đáng số tháng này trong năm thì chi bộ xem xét đề nghị xóa tên",
        "§8.1", "DOMAIN §2", "V", note="Nhắc lại tại Quy định 01-QĐ/TW năm 2026 về chế độ đảng phí.",
    ),
    entry("removal.month_counting", "cumulative", "text",
          "Cách đếm số tháng bỏ sinh hoạt, không đóng đảng phí trong năm (cộng dồn hay liên tục)",
          Doc("Quy định 24-QĐ/TW, 232-QĐ/TW, 294-QĐ/TW (văn bản không quy định cách đếm)", Q24.valid_from, None),
          "§8.1", "DOMAIN §2", "CFG", choices=COUNTING_CHOICES,
          note="Nguồn không nói 3 tháng phải liên tục; mặc định đếm theo năm dương lịch, cộng dồn."),
    *implementing(
        "removal.no_progress_months", 12, "months",
        "Giảm sút ý chí phấn đấu: sau thời gian này kể từ khi chi bộ giáo dục mà không tiến bộ thì xem xét xóa tên",
        "§8.1", "DOMAIN §2", "V",
    ),
    *implementing(
        "removal.violation_consecutive_years", 2, "years",
        "Số năm liền vi phạm tư cách đảng viên thì xem xét xóa tên",
        "§8.1", "DOMAIN §2", "V",
    ),

    # §2 Exemption.
    entry("exemption.elderly_men_age_years", 60, "years",
          "Đảng viên nam được coi là tuổi cao khi quá tuổi này (xét miễn công tác và sinh hoạt đảng)",
          HD27, "", "DOMAIN §2", "CFG",
          note="Định nghĩa năm 2009 theo tuổi lao động khi đó; có thể đã bị thay thế. Ngày ban hành chưa đối chiếu."),
    entry("exemption.elderly_women_age_years", 55, "years",
          "Đảng viên nữ được coi là tuổi cao khi quá tuổi này (xét miễn công tác và sinh hoạt đảng)",
          HD27, "", "DOMAIN §2", "CFG",
          note="Định nghĩa năm 2009 theo tuổi lao động khi đó; có thể đã bị thay thế. Ngày ban hành chưa đối chiếu."),
    entry("exemption.illness_treatment_months", 3, "months",
          "Sức khỏe yếu: bệnh phải điều trị ít nhất thời gian này (hoặc có hồ sơ bệnh viện)",
          HD27, "", "DOMAIN §2", "CFG", note="Định nghĩa năm 2009; có thể đã bị thay thế."),
    entry("exemption.temporary_absence_below_months", 12, "months",
          "Đảng viên vắng mặt ở nơi cư trú dưới thời gian này: chi bộ đề nghị đảng ủy cơ sở cho tạm miễn sinh hoạt",
          HD01, "§10.3", "DOMAIN §2", "V"),

    # §2 Transfers (294-QĐ/TW §6.3.1).
    entry("transfer.start_working_days", 60, "working_days",
          "Làm thủ tục chuyển sinh hoạt đảng chính thức trong thời hạn kể từ ngày quyết định có hiệu lực hoặc chuyển nơi ở",
          Q294, "§6.3.1", "DOMAIN §2", "V"),
    entry("transfer.present_letter_working_days", 30, "working_days",
          "Xuất trình giấy giới thiệu sinh hoạt đảng với chi ủy nơi đến trong thời hạn kể từ ngày ghi trên giấy",
          Q294, "§6.3.1", "DOMAIN §2", "V"),
    entry("transfer.temporary_min_months", 3, "months",
          "Chuyển sinh hoạt đảng tạm thời: thời gian cư trú, công tác nơi khác từ",
          Q294, "", "DOMAIN §2", "V", note="DOMAIN không ghi điều khoản; nguồn [S18][S72]."),
    entry("transfer.temporary_below_months", 12, "months",
          "Chuyển sinh hoạt đảng tạm thời: thời gian cư trú, công tác nơi khác dưới",
          Q294, "", "DOMAIN §2", "V", note="DOMAIN không ghi điều khoản; nguồn [S18][S72]."),
    entry("transfer.training_max_months", 24, "months",
          "Chuyển sinh hoạt đảng tạm thời khi đi học tập trung trong nước: tối đa (từ 3 tháng)",
          Q294, "", "DOMAIN §2", "V", note="DOMAIN không ghi điều khoản; nguồn [S18][S72]."),

    # §3 Residence contact (213-QĐ/TW).
    entry("residence.meeting_interval_months", 6, "months",
          "Chi bộ nơi cư trú họp với đảng viên đang công tác giữ mối liên hệ, định kỳ",
          Q213, "Điều 4", "DOMAIN §3", "V"),
    entry("residence.comment_interval_months", 12, "months",
          "Chi bộ nơi cư trú nhận xét đảng viên đang công tác, gửi tổ chức đảng nơi công tác, định kỳ",
          Q213, "", "DOMAIN §3", "V"),

    # §4 Cell meetings.
    entry("meeting.regular_interval_months", 1, "months",
          "Chi bộ, chi ủy sinh hoạt thường kỳ", CHARTER, "Điều 24", "DOMAIN §4.1", "V", note=NOTE_CHARTER),
    entry("meeting.cell_min_official_members", 3, "count",
          "Số đảng viên chính thức tối thiểu để lập chi bộ", CHARTER, "Điều 24", "DOMAIN §4.1", "V",
          note=NOTE_CHARTER),
    entry("meeting.cell_committee_min_official_members", 9, "count",
          "Chi bộ có từ số đảng viên chính thức này trở lên thì bầu chi ủy (ít hơn: bầu bí thư, phó bí thư)",
          CHARTER, "Điều 24", "DOMAIN §4.1", "V", note=NOTE_CHARTER),
    entry("meeting.cell_congresses_per_5_years", 2, "count",
          "Số lần đại hội chi bộ trong 5 năm", CHARTER, "Điều 24", "DOMAIN §4.1", "V",
          valid_to=Q294.valid_from - timedelta(days=1), note=NOTE_CHARTER),
    entry("meeting.cell_congresses_per_5_years", 1, "count",
          "Số lần đại hội chi bộ trong 5 năm", Q294, "", "DOMAIN §4.1", "CFG",
          note="Thí điểm theo 294-QĐ/TW; đơn vị không thuộc diện thí điểm điều chỉnh thành 2."),
    entry("meeting.cell_congress_shift_max_months", 6, "months",
          "Đại hội chi bộ được tổ chức sớm hoặc muộn hơn, với sự đồng ý của đảng ủy cơ sở, tối đa",
          CHARTER, "Điều 24", "DOMAIN §4.1", "V", note=NOTE_CHARTER),
    entry("meeting.thematic_per_quarter_min", 1, "count",
          "Số lần sinh hoạt chuyên đề tối thiểu mỗi quý (không thay sinh hoạt thường kỳ)",
          HD12, "", "DOMAIN §4.3", "CFG", note="Cần kiểm tra Hướng dẫn 42-HD/BTCTW năm 2025 còn giữ hay không."),
    entry("meeting.min_minutes", 90, "minutes",
          "Thời lượng tối thiểu một buổi sinh hoạt chi bộ thường kỳ", HD42, "", "DOMAIN §4.4", "V",
          note="Chi bộ ít đảng viên: cấp ủy cấp trên có thể quy định riêng."),
    entry("meeting.combined_min_minutes", 120, "minutes",
          "Thời lượng tối thiểu khi sinh hoạt thường kỳ và chuyên đề trong cùng một buổi",
          HD42, "", "DOMAIN §4.4", "V"),
    entry("meeting.materials_days_before", 1, "days",
          "Đăng tài liệu sinh hoạt lên Sổ tay đảng viên điện tử trước buổi sinh hoạt ít nhất",
          HD42, "", "DOMAIN §4.5", "V"),
    *implementing(
        "meeting.resolution_above_fraction", "1/2", "fraction",
        "Nghị quyết có giá trị khi được quá tỷ lệ này số đảng viên chính thức được triệu tập (trừ các trường hợp loại khỏi cơ số) tán thành",
        "§9.3", "DOMAIN §4.8", "V",
    ),

    # §5 Evaluation (366-QĐ/TW: 100-point scale).
    entry("evaluation.general_max_points", 30, "points",
          "Điểm tối đa của tiêu chí chung (phẩm chất chính trị, đạo đức, lối sống, ý thức tổ chức kỷ luật)",
          Q366, "", "DOMAIN §5", "V"),
    entry("evaluation.task_max_points", 70, "points",
          "Điểm tối đa của kết quả thực hiện nhiệm vụ được giao", Q366, "", "DOMAIN §5", "V"),
    entry("evaluation.excellent_min_points", 90, "points",
          "Điểm tối thiểu xếp loại Hoàn thành xuất sắc nhiệm vụ", Q366, "", "DOMAIN §5", "V"),
    entry("evaluation.good_min_points", 70, "points",
          "Điểm tối thiểu xếp loại Hoàn thành tốt nhiệm vụ", Q366, "", "DOMAIN §5", "V"),
    entry("evaluation.completed_min_points", 50, "points",
          "Điểm tối thiểu xếp loại Hoàn thành nhiệm vụ (dưới mức này: Không hoàn thành nhiệm vụ)",
          Q366, "", "DOMAIN §5", "V"),
    entry("evaluation.excellent_min_exceeding_task_percent", 30, "percent",
          "Hoàn thành xuất sắc: tỷ lệ nhiệm vụ vượt yêu cầu tối thiểu", Q366, "", "DOMAIN §5", "V"),
    entry("evaluation.completed_max_late_task_percent", 20, "percent",
          "Tập thể Hoàn thành nhiệm vụ: tỷ lệ nhiệm vụ chậm tiến độ tối đa", Q366, "", "DOMAIN §5", "V"),
    entry("evaluation.excellent_cap_percent", 20, "percent",
          "Số Hoàn thành xuất sắc tối đa, tính trên số Hoàn thành tốt cùng cơ quan, nhóm nhiệm vụ",
          Q124, "", "DOMAIN §5", "CFG"),
    entry("evaluation.excellent_cap_percent", 20, "percent",
          "Số Hoàn thành xuất sắc tối đa, tính trên số Hoàn thành tốt cùng cơ quan, nhóm nhiệm vụ",
          Q366, "", "DOMAIN §5", "CFG",
          note="Chưa tìm thấy câu chữ của 366; giữ như 124-QĐ/TW (đối với công chức: Nghị định 335/2025)."),

    # §6 Discipline (statute of limitations, 69-QĐ/TW Art.4).
    entry("discipline.statute_reprimand_months", 60, "months",
          "Thời hiệu kỷ luật đảng viên vi phạm đến mức khiển trách", Q69, "Điều 4", "DOMAIN §6", "CFG",
          note="Chưa kiểm tra 296-QĐ/TW năm 2025 có thay đổi hay không."),
    entry("discipline.statute_warning_months", 120, "months",
          "Thời hiệu kỷ luật đảng viên vi phạm đến mức cảnh cáo hoặc cách chức", Q69, "Điều 4", "DOMAIN §6", "CFG",
          note="Chưa kiểm tra 296-QĐ/TW năm 2025 có thay đổi hay không."),
    entry("discipline.org_statute_reprimand_months", 60, "months",
          "Thời hiệu kỷ luật tổ chức đảng vi phạm đến mức khiển trách", Q69, "Điều 4", "DOMAIN §6", "CFG",
          note="Chưa kiểm tra 296-QĐ/TW năm 2025 có thay đổi hay không."),
    entry("discipline.org_statute_warning_months", 120, "months",
          "Thời hiệu kỷ luật tổ chức đảng vi phạm đến mức cảnh cáo", Q69, "Điều 4", "DOMAIN §6", "CFG",
          note="Chưa kiểm tra 296-QĐ/TW năm 2025 có thay đổi hay không."),
    entry("discipline.state_notice_days", 5, "days",
          "Cơ quan nhà nước, Mặt trận, đoàn thể kỷ luật đảng viên thì thông báo cho tổ chức đảng trong thời hạn",
          Q296, "", "DOMAIN §6", "V"),

    # §7 Cadre planning (377-QĐ/TW).
    entry("planning.max_people_per_post", 3, "count",
          "Số người tối đa quy hoạch vào một chức danh", Q377, "", "DOMAIN §7", "V"),
    entry("planning.max_posts_per_person", 3, "count",
          "Số chức danh tối đa quy hoạch cho một người cùng cấp", Q377, "", "DOMAIN §7", "V"),

    # §8 Confidence votes (96-QĐ/TW).
    entry("confidence.low_review_above_fraction", "1/2", "fraction",
          "Quá tỷ lệ này phiếu tín nhiệm thấp (dưới 2/3): đưa khỏi quy hoạch, xem xét cho thôi giữ chức vụ",
          Q96, "", "DOMAIN §8", "V"),
    entry("confidence.low_dismiss_min_fraction", "2/3", "fraction",
          "Từ tỷ lệ này phiếu tín nhiệm thấp trở lên: miễn nhiệm, bố trí công tác khác không chờ hết nhiệm kỳ",
          Q96, "", "DOMAIN §8", "V"),
    entry("confidence.attendance_min_fraction", "2/3", "fraction",
          "Hội nghị lấy phiếu tín nhiệm cần có mặt ít nhất tỷ lệ này số người được triệu tập",
          Q96, "", "DOMAIN §8", "V"),

    # §9 Citizen reception (11-QĐi/TW, amended by KL 215-KL/TW).
    entry("reception.province_days_per_month", 1, "count",
          "Người đứng đầu cấp ủy cấp tỉnh tiếp công dân định kỳ, số ngày mỗi tháng tối thiểu",
          QDI11, "", "DOMAIN §9", "V"),
    entry("reception.commune_days_per_month", 2, "count",
          "Người đứng đầu cấp ủy cấp xã, phường tiếp công dân định kỳ, số ngày mỗi tháng tối thiểu",
          KL215, "", "DOMAIN §9", "V"),
    entry("reception.answer_working_days", 10, "working_days",
          "Thông báo bằng văn bản cho người gửi đơn việc xử lý trực tiếp hay chuyển, giao, trong thời hạn kể từ ngày nhận",
          QDI11, "", "DOMAIN §9", "V", note="Kết luận 215-KL/TW năm 2025 không thay đổi (theo nguồn [S47][S48])."),

    # §10 Party fee: 342-QĐ/TW until 31/01/2026, then 01-QĐ/TW from 01/02/2026.
    entry("fee.salary_rate_percent", 1, "percent",
          "Đảng viên hưởng tiền lương: tỷ lệ trên tiền lương hằng tháng", Q342, "", "DOMAIN §10", "V",
          note="Ngày áp dụng lấy theo ngày ký, chưa đối chiếu."),
    entry("fee.salary_rate_percent", 1, "percent",
          "Đảng viên tham gia BHXH bắt buộc: tỷ lệ trên tiền lương làm căn cứ đóng BHXH tháng trước",
          Q01_2026, "", "DOMAIN §10", "V"),
    entry("fee.pension_rate_percent", 0.5, "percent",
          "Đảng viên hưởng lương hưu: tỷ lệ trên lương hưu", Q342, "", "DOMAIN §10", "V",
          note="Ngày áp dụng lấy theo ngày ký, chưa đối chiếu."),
    entry("fee.pension_rate_percent", 0.5, "percent",
          "Đảng viên hưởng lương hưu: tỷ lệ trên lương hưu", Q01_2026, "", "DOMAIN §10", "V"),
    entry("fee.other_min_vnd", 2000, "vnd",
          "Đảng viên khác: mức đóng tối thiểu mỗi tháng", Q342, "", "DOMAIN §10", "V",
          note="Hướng dẫn 03-HD/VPTW năm 2016 đặt 10.000 / 8.000 / 6.000 / 4.000 đồng theo địa bàn."),
    entry("fee.other_max_vnd", 30000, "vnd",
          "Đảng viên khác: mức đóng tối đa mỗi tháng", Q342, "", "DOMAIN §10", "V"),
    entry("fee.student_vnd", 5000, "vnd",
          "Đảng viên là học sinh, sinh viên: mức đóng mỗi tháng", Q01_2026, "", "DOMAIN §10", "V"),
    entry("fee.other_working_age_rate_percent", 0.3, "percent",
          "Đảng viên khác chưa đến tuổi nghỉ hưu: tỷ lệ trên lương tối thiểu vùng nơi sinh hoạt đảng",
          Q01_2026, "", "DOMAIN §10", "V", valid_to=date(2027, 12, 31)),
    entry("fee.other_working_age_rate_percent", 0.5, "percent",
          "Đảng viên khác chưa đến tuổi nghỉ hưu: tỷ lệ trên lương tối thiểu vùng nơi sinh hoạt đảng",
          Q01_2026, "", "DOMAIN §10", "V", valid_from=date(2028, 1, 1)),
    entry("fee.other_retirement_age_rate_percent", 0.2, "percent",
          "Đảng viên khác từ tuổi nghỉ hưu: tỷ lệ trên lương tối thiểu vùng nơi sinh hoạt đảng",
          Q01_2026, "", "DOMAIN §10", "V", valid_to=date(2027, 12, 31)),
    entry("fee.other_retirement_age_rate_percent", 0.3, "percent",
          "Đảng viên khác từ tuổi nghỉ hưu: tỷ lệ trên lương tối thiểu vùng nơi sinh hoạt đảng",
          Q01_2026, "", "DOMAIN §10", "V", valid_from=date(2028, 1, 1)),
    entry("fee.exempt_party_age_years", 50, "years",
          "Miễn đóng đảng phí khi có tuổi đảng từ", Q01_2026, "", "DOMAIN §10", "V"),
    entry("fee.hardship_max_months", 12, "months",
          "Miễn, giảm (30/50/70%) đảng phí vì khó khăn khác: tối đa mỗi lần quyết định",
          Q01_2026, "", "DOMAIN §10", "V"),

    # §12 Congress and elections.
    *implementing(
        "congress.notice_working_days", 30, "working_days",
        "Cấp ủy triệu tập thông báo ngày khai mạc đại hội trước ít nhất",
        "§11.1", "DOMAIN §12.7", "V",
    ),
    entry("congress.quorum_min_fraction", "2/3", "fraction",
          "Đại hội, hội nghị hợp lệ khi có mặt ít nhất tỷ lệ này số người được triệu tập",
          Q190, "", "DOMAIN §12.6", "CFG", note="R: chưa tìm thấy điều khoản; cần văn phòng cấp ủy xác nhận."),
    entry("election.elected_above_fraction", "1/2", "fraction",
          "Trúng cử khi số phiếu bầu hợp lệ tán thành quá tỷ lệ này so với cơ số", Q190, "Điều 30",
          "DOMAIN §12.4", "V"),
    entry("election.max_surplus_percent", 30, "percent",
          "Số dư tối đa danh sách bầu cử cấp ủy, ban thường vụ (so với số cần bầu)", Q190, "", "DOMAIN §12.2", "V"),
    entry("election.prepared_surplus_min_percent", 10, "percent",
          "Số dư cấp ủy triệu tập chuẩn bị, tối thiểu", Q190, "", "DOMAIN §12.2", "V"),
    entry("election.prepared_surplus_max_percent", 15, "percent",
          "Số dư cấp ủy triệu tập chuẩn bị, tối đa", Q190, "", "DOMAIN §12.2", "V"),
    entry("election.floor_nomination_above_percent", 30, "percent",
          "Người tự ứng cử, được đề cử tại đại hội chỉ đưa vào danh sách khi quá tỷ lệ này số người dự đồng ý",
          Q190, "", "DOMAIN §12.2", "V"),
]


class CatalogError(ValueError):
    """The catalog contradicts itself: two versions of a key overlap, or a field is wrong."""


def check_catalog(entries):
    """Raise CatalogError listing every problem in ``entries``; return them when clean."""
    from dangbo.rules.models import Mark, Unit, ranges_overlap

    problems = []
    by_key = {}
    for e in entries:
        where = f"{e['key']} từ {e['valid_from']:%d/%m/%Y}"
        if e["key"].split(".", 1)[0] not in DOMAIN_LABELS:
            problems.append(f"{where}: lĩnh vực chưa có trong DOMAINS")
        if not e["source_document"].strip():
            problems.append(f"{where}: thiếu văn bản nguồn")
        if e["mark"] not in Mark.values:
            problems.append(f"{where}: độ tin cậy {e['mark']} không hợp lệ")
        if e["unit"] not in Unit.values:
            problems.append(f"{where}: đơn vị {e['unit']} không hợp lệ")
        if e["configurable"] != (e["mark"] == Mark.CONFIG):
            problems.append(f"{where}: chỉ mục CFG mới được điều chỉnh")
        if e["valid_to"] is not None and e["valid_to"] < e["valid_from"]:
            problems.append(f"{where}: ngày kết thúc trước ngày bắt đầu")
        for other in by_key.get(e["key"], []):
            if ranges_overlap(e["valid_from"], e["valid_to"], other["valid_from"], other["valid_to"]):
                problems.append(f"{where}: trùng thời gian với phiên bản từ {other['valid_from']:%d/%m/%Y}")
        by_key.setdefault(e["key"], []).append(e)
    if problems:
        raise CatalogError("; ".join(problems))
    return entries

"""Demo documents for the demo ward: a resolution, a plan with tasks for the cells, a notice sent to them."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from dangbo.documents import actions
from dangbo.documents.models import Document, DocumentType, numbering_term, seed_default_types
from dangbo.organizations.models import Term

RESOLUTION_BODY = """- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;
- Căn cứ Quy chế làm việc của Đảng ủy phường khóa I, nhiệm kỳ 2025 – 2030;
Ngày 10/01/2026, Ban Chấp hành Đảng bộ phường họp, đánh giá kết quả thực hiện nhiệm vụ năm 2025, thống nhất mục tiêu, nhiệm vụ và giải pháp năm 2026.
QUYẾT NGHỊ:
I- MỤC TIÊU
Xây dựng Đảng bộ trong sạch, vững mạnh; nâng cao năng lực lãnh đạo và sức chiến đấu của các chi bộ; phát huy sức mạnh đại đoàn kết toàn dân; giữ vững quốc phòng, an ninh, trật tự an toàn xã hội trên địa bàn phường.
II- CHỈ TIÊU CHỦ YẾU
1. 100% chi bộ sinh hoạt thường kỳ đúng quy định, thời lượng tối thiểu 90 phút theo Chỉ thị 50-CT/TW.
2. Kết nạp ít nhất 15 đảng viên mới; 100% đảng viên được học tập, quán triệt nghị quyết.
3. Trên 90% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên.
III- NHIỆM VỤ, GIẢI PHÁP
1. Đổi mới nội dung, hình thức sinh hoạt chi bộ; mỗi quý ít nhất một lần sinh hoạt chuyên đề.
2. Làm tốt công tác tạo nguồn, bồi dưỡng quần chúng ưu tú, phát triển đảng viên ở khu dân cư.
3. Thực hiện nghiêm công tác kiểm tra, giám sát; giải quyết kịp thời ý kiến, kiến nghị của Nhân dân.
IV- TỔ CHỨC THỰC HIỆN
Các chi bộ trực thuộc xây dựng kế hoạch thực hiện Nghị quyết, báo cáo kết quả về Đảng ủy phường theo định kỳ."""

PLAN_BODY = """I- MỤC ĐÍCH, YÊU CẦU
Tổ chức học tập, quán triệt và triển khai thực hiện nghiêm túc Nghị quyết của Đảng ủy phường về nhiệm vụ năm 2026 đến từng chi bộ, đảng viên.
II- NỘI DUNG
1. Các chi bộ tổ chức học tập, quán triệt Nghị quyết đến 100% đảng viên.
2. Các chi bộ xây dựng chương trình hành động, cụ thể hóa chỉ tiêu phù hợp với điều kiện của đơn vị.
III- TỔ CHỨC THỰC HIỆN
Văn phòng Đảng ủy theo dõi, đôn đốc, tổng hợp kết quả, báo cáo Ban Thường vụ."""

NOTICE_BODY = """Ngày 02/3/2026, Ban Thường vụ Đảng ủy phường họp nghe báo cáo tình hình sinh hoạt chi bộ quý I năm 2026. Ban Thường vụ kết luận như sau:
1. Các chi bộ duy trì sinh hoạt thường kỳ đúng quy định; nhiều chi bộ đã lựa chọn nội dung sinh hoạt chuyên đề thiết thực.
2. Đề nghị các chi bộ chuẩn bị kỹ nội dung, tài liệu trước mỗi buổi sinh hoạt; gửi biên bản sinh hoạt về Văn phòng Đảng ủy trước ngày 05 hằng tháng.
3. Giao Văn phòng Đảng ủy theo dõi, tổng hợp, báo cáo Ban Thường vụ tại phiên họp tháng 4."""


def _on(day):
    """A demo date, never in the future (the demo may be loaded on any day)."""
    return min(day, timezone.localdate())


@transaction.atomic
def seed_documents(ward, *, by):
    """Issue a few realistic documents of ``ward``; does nothing if the ward already has documents.

    Needs the ward's term (numbers are per term); when the demo ward has none,
    the 2025–2030 term is recorded with its congress closing on 14/08/2025.
    Returns the documents of the ward.
    """
    if Document.objects.filter(organization=ward).exists():
        return list(Document.objects.filter(organization=ward))
    seed_default_types()
    if numbering_term(ward, _on(date(2026, 1, 15))) is None:
        term = Term(organization=ward, name="2025–2030", starts_on=date(2025, 8, 15),
                    congress_opened_on=date(2025, 8, 13), congress_closed_on=date(2025, 8, 14))
        term._history_user = by
        term.save()
    types = {t.code: t for t in DocumentType.objects.filter(code__in=["NQ", "KH", "TB"])}
    cells = list(ward.descendants().cells().active().order_by("name"))
    signer = actions.secretary_name(ward) or str(by)

    resolution = actions.create_draft(
        organization=ward, doc_type=types["NQ"], by=by, body=RESOLUTION_BODY, signer_name=signer,
        summary="về lãnh đạo thực hiện nhiệm vụ chính trị năm 2026",
        recipients_text="- Ban Thường vụ Tỉnh ủy (để báo cáo),\n- Các đồng chí Đảng ủy viên,\n"
                        "- Các chi bộ trực thuộc,\n- Lưu Văn phòng Đảng ủy.",
    )
    actions.issue_document(resolution, on=_on(date(2026, 1, 15)), by=by)

    plan = actions.create_draft(
        organization=ward, doc_type=types["KH"], by=by, body=PLAN_BODY, signer_name=signer,
        summary=f"triển khai thực hiện Nghị quyết số {resolution.reference} của Đảng ủy phường",
        recipients_text="- Thường trực Đảng ủy,\n- Các chi bộ trực thuộc,\n- Lưu Văn phòng Đảng ủy.",
    )
    actions.issue_document(plan, on=_on(date(2026, 1, 20)), by=by)
    for cell in cells:
        actions.add_task(plan, content="Tổ chức học tập, quán triệt Nghị quyết đến 100% đảng viên",
                         responsible_organization=cell, deadline=date(2026, 2, 28), by=by)
        actions.add_task(plan, content="Báo cáo kết quả thực hiện Nghị quyết 6 tháng đầu năm",
                         responsible_organization=cell, deadline=date(2026, 7, 15), by=by)
        actions.add_task(plan, content="Báo cáo tổng kết thực hiện Nghị quyết năm 2026",
                         responsible_organization=cell, deadline=date(2026, 12, 20), by=by)
    first_task = plan.tasks.order_by("pk").first()
    if first_task is not None:
        actions.report_progress(first_task, reported_on=_on(date(2026, 2, 25)), progress=100, done=True, by=by,
                                content="Đã tổ chức học tập Nghị quyết; 42/45 đảng viên dự, 3 đồng chí vắng có lý do "
                                        "được phổ biến bù.")

    notice = actions.create_draft(
        organization=ward, doc_type=types["TB"], by=by, body=NOTICE_BODY, signer_name=signer,
        summary="kết luận của Ban Thường vụ về sinh hoạt chi bộ quý I năm 2026",
        signing_authority="T/M BAN THƯỜNG VỤ",
        recipients_text="- Các chi bộ trực thuộc,\n- Lưu Văn phòng Đảng ủy.",
    )
    actions.issue_document(notice, on=_on(date(2026, 3, 5)), by=by)
    if cells:
        actions.distribute(notice, organizations=cells, by=by)
        actions.distribute(resolution, organizations=cells, by=by)
    return [resolution, plan, notice]

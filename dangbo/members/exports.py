"""Member lists out of the system: the .xlsx list, the import template and the roster PDF."""

from io import BytesIO

from django.utils import timezone

from dangbo.lib.pdf import render_pdf
from dangbo.lib.xlsx import safe_cell, write_workbook
from dangbo.members import importer
from dangbo.members.choices import ETHNICITIES, ON_ROLL, RELIGIONS, Degree, Sex, StateManagementLevel, TheoryLevel

STATUS_HEADER = "Tình trạng"
# The import's own headers, so an exported list can be corrected and imported back.
EXPORT_HEADERS = [column.header for column in importer.COLUMNS] + [STATUS_HEADER]
# Identifiers stay text: a number would lose the leading zero of a CCCD.
_TEXT_FIELDS = ("citizen_id", "phone", "card_number")


_LABELLED_KINDS = ("sex", "degree", "theory", "state")


def member_row(member):
    """One member as the list's cells: dates stay dates, listed values show their labels."""
    row = []
    for column in importer.COLUMNS:
        if column.field == "organization":
            value = member.organization.name
        else:
            value = getattr(member, column.field)
        if column.field in importer.DATE_FIELDS:
            row.append(value)
            continue
        if column.kind in _LABELLED_KINDS:
            value = importer.display(column.field, value)
        row.append(safe_cell("" if value in (None, "—") else str(value)))
    row.append(safe_cell(member.get_status_display()))
    return row


def members_xlsx(members, title):
    """The .xlsx of ``members`` with every profile column; text is neutralised by safe_cell."""
    return write_workbook(EXPORT_HEADERS, (member_row(m) for m in members.iterator(chunk_size=2000)), title)


def _allowed_values():
    rows = [
        ("Họ và tên", "Bắt buộc", "Ghi đầy đủ, có dấu. Chữ hoa, chữ thường đều được."),
        ("Giới tính", "Bắt buộc", ", ".join(str(label) for _v, label in Sex.choices)),
        ("Ngày sinh", "Bắt buộc", "Ngày/tháng/năm: 05/09/1975, 5/9/75, hoặc ô kiểu ngày của Excel."),
        ("Ngày vào Đảng", "Bắt buộc", "Như ngày sinh; phải sau ngày sinh."),
        ("Ngày chính thức", "", "Có ngày chính thức thì là đảng viên chính thức, để trống là dự bị."),
        ("Ngày cấp thẻ", "", "Như ngày sinh."),
        ("Số CCCD", "", "12 chữ số; nên định dạng ô là Văn bản (Text) để giữ số 0 đầu."),
        ("Số thẻ đảng viên", "", "6–12 chữ số. Nhập lại tệp thì đảng viên được nhận ra theo số thẻ, rồi theo CCCD."),
        ("Điện thoại", "", "Một số, 10 hoặc 11 chữ số, bắt đầu bằng 0."),
        ("Chi bộ", "Bắt buộc khi nhập vào đảng bộ",
         "Mã chi bộ (ví dụ NA.VH.CB01) hoặc tên chi bộ, có dấu hay không dấu đều được."),
        ("Dân tộc", "", "Để trống là Kinh. " + ", ".join(ETHNICITIES)),
        ("Tôn giáo", "", "Để trống là Không. " + ", ".join(RELIGIONS)),
        ("Chuyên môn", "", ", ".join(str(label) for _v, label in Degree.choices) + " (viết tắt ĐH, CĐ, ThS, TS được)"),
        ("Lý luận chính trị", "", ", ".join(str(label) for _v, label in TheoryLevel.choices)
         + " (viết tắt SC, TC, CC, CN được)"),
        ("Quản lý nhà nước", "", ", ".join(str(label) for _v, label in StateManagementLevel.choices)
         + " (viết tắt CV, CVC, CVCC được)"),
        ("Giáo dục phổ thông", "", "Ví dụ 12/12, 10/10."),
        ("Ô để trống", "", "Khi cập nhật đảng viên đã có, ô trống giữ nguyên thông tin cũ."),
    ]
    return rows


def import_template():
    """The import template: the headers, one example row, and a sheet of allowed values."""
    from datetime import date

    from openpyxl import load_workbook
    from openpyxl.styles import Font

    example = {
        "full_name": "Nguyễn Văn An", "other_name": "", "sex": "Nam", "date_of_birth": date(1985, 3, 15),
        "birthplace_text": "Phường Vinh Hưng, tỉnh Nghệ An", "hometown_text": "Xã Nam Đàn, tỉnh Nghệ An",
        "ethnicity": "Kinh", "religion": "Không", "citizen_id": "040085012345", "phone": "0912345678",
        "email": "an.nguyen@example.vn", "residence_address": "Số 12, Khối 1, phường Vinh Hưng",
        "occupation": "Giáo viên", "workplace": "Trường Tiểu học Hưng Bình", "general_education": "12/12",
        "professional_degree": "Đại học", "theory_level": "Trung cấp", "state_management_level": "",
        "admission_date": date(2010, 5, 19), "official_date": date(2011, 5, 19), "card_number": "12345678",
        "card_issued_on": date(2011, 9, 2), "organization": "Chi bộ Khối 1",
    }
    headers = [column.header for column in importer.COLUMNS]
    data = write_workbook(headers, [[example[c.field] for c in importer.COLUMNS]], "Danh sách đảng viên")
    workbook = load_workbook(BytesIO(data))
    sheet = workbook.active
    for index, column in enumerate(importer.COLUMNS, start=1):
        if column.required:
            sheet.cell(1, index).font = Font(bold=True, color="B3120F")
        if column.field in _TEXT_FIELDS + ("general_education",):
            # Typed numbers stay text, so 040… keeps its zero and 12/12 is not a date.
            for row in range(2, 1002):
                sheet.cell(row, index).number_format = "@"
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Bắt buộc", "Cách ghi, giá trị được nhận"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for row in _allowed_values():
        guide.append([safe_cell(v) for v in row])
    for letter, width in zip("ABC", (22, 26, 110)):
        guide.column_dimensions[letter].width = width
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- roster PDF -----------------------------------------------------------------------------------

_LOCALITY_PREFIXES = ("dang bo phuong ", "dang bo xa ", "dang bo thi tran ", "dang bo dac khu ")


def _issuing_body(organization):
    """The body that issues the list: a committee's executive committee (Đảng ủy), or the cell."""
    name = organization.name
    if not organization.is_cell and name.lower().startswith("đảng bộ"):
        name = "Đảng ủy" + name[len("Đảng bộ"):]
    return name.upper()


def _locality(organization):
    """'Vinh Hưng' from the nearest 'Đảng bộ phường Vinh Hưng' above or at ``organization``."""
    chain = list(organization.ancestors())[::-1]
    for org in chain:
        key = importer._key(org.name) + " "
        for prefix in _LOCALITY_PREFIXES:
            if key.startswith(prefix):
                words = len(prefix.split())
                return " ".join(org.name.split()[words:])
    return ""


def date_line(locality, on):
    """'Vinh Hưng, ngày 05 tháng 02 năm 2026' (HD 36-HD/VPTW: a zero before days under 10, months under 3)."""
    day = f"{on.day:02d}"
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    text = f"ngày {day} tháng {month} năm {on.year}"
    return f"{locality}, {text}" if locality else text[:1].upper() + text[1:]


def roster_context(organization, members, on=None):
    on = on or timezone.localdate()
    parent = organization.parent
    rows = []
    for index, member in enumerate(members, start=1):
        rows.append({
            "index": index, "member": member,
            "sex": member.get_sex_display(), "status": member.get_status_display(),
        })
    return {
        "organization": organization,
        # HD 36-HD/VPTW: the superior body above the issuing body, which is in bold with "*" under it.
        "superior": parent.name.upper() if parent else "",
        "issuing_body": _issuing_body(organization),
        "date_line": date_line(_locality(organization), on),
        "on": on,
        "rows": rows,
        # The signature block: on behalf of the issuing body, its secretary signs.
        "on_behalf": "T/M CHI BỘ" if organization.is_cell else "T/M ĐẢNG ỦY",
        "on_roll": sum(1 for row in rows if row["member"].status in ON_ROLL),
    }


def roster_pdf(organization, members, on=None):
    """The roster "Danh sách đảng viên" of an organization, landscape A4."""
    return render_pdf("members/io/roster.html", roster_context(organization, members, on))

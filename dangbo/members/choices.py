"""Fixed lists of the 2-HSĐV profile: ethnic groups, religions, education levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The 54 ethnic groups of Viet Nam (Tổng cục Thống kê, Quyết định 121-TCTK/PPCĐ 1979).
ETHNICITIES = [
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai",
    "Ê Đê", "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai",
    "Mnông", "Thổ", "Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ",
    "Giẻ - Triêng", "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí",
    "Kháng", "Phù Lá", "La Hủ", "La Ha", "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô",
    "Mảng", "Cơ Lao", "Bố Y", "Cống", "Si La", "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
]
ETHNICITY_CHOICES = [(name, name) for name in ETHNICITIES]

RELIGIONS = [
    "Không", "Phật giáo", "Công giáo", "Tin lành", "Cao Đài", "Phật giáo Hòa Hảo",
    "Hồi giáo", "Tôn giáo Baha'i", "Tịnh độ cư sĩ Phật hội", "Bửu Sơn Kỳ Hương",
    "Minh Sư đạo", "Minh Lý đạo", "Bà-la-môn", "Khác",
]
RELIGION_CHOICES = [(name, name) for name in RELIGIONS]


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Degree(models.TextChoices):
    NONE = "", _("Không")
    VOCATIONAL = "vocational", _("Sơ cấp nghề")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")
    BACHELOR = "bachelor", _("Đại học")
    MASTER = "master", _("Thạc sĩ")
    DOCTOR = "doctor", _("Tiến sĩ")


class TheoryLevel(models.TextChoices):
    NONE = "", _("Chưa qua đào tạo")
    ELEMENTARY = "elementary", _("Sơ cấp")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    ADVANCED = "advanced", _("Cao cấp")
    BACHELOR = "bachelor", _("Cử nhân")


class StateManagementLevel(models.TextChoices):
    NONE = "", _("Chưa qua đào tạo")
    OFFICER = "officer", _("Chuyên viên")
    PRINCIPAL = "principal", _("Chuyên viên chính")
    SENIOR = "senior", _("Chuyên viên cao cấp")


class Status(models.TextChoices):
    PROBATIONARY = "probationary", _("Dự bị")
    OFFICIAL = "official", _("Chính thức")
    EXEMPT = "exempt", _("Miễn sinh hoạt")
    AWAY = "away", _("Tạm vắng")
    TRANSFERRED_OUT = "transferred_out", _("Đã chuyển đi")
    REMOVED = "removed", _("Xóa tên")
    EXPELLED = "expelled", _("Khai trừ")
    DECEASED = "deceased", _("Từ trần")


# Statuses of someone still on the organization's roll (đảng số).
ON_ROLL = (Status.PROBATIONARY, Status.OFFICIAL, Status.EXEMPT, Status.AWAY)
# Statuses that end membership; time spent in them is an interruption of party age.
LEFT_PARTY = (Status.REMOVED, Status.EXPELLED)

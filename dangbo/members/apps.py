from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "dangbo.members"
    verbose_name = _("Đảng viên")

    def ready(self):
        from dangbo.members import signals  # noqa: F401

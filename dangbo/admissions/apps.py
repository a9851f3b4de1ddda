from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionsConfig(AppConfig):
    name = "dangbo.admissions"
    verbose_name = _("Phát triển đảng viên")

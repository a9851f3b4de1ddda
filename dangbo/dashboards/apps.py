from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dangbo.dashboards"
    verbose_name = _("Thống kê tổng hợp")

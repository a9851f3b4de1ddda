from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "dangbo.admissions"
    verbose_name = "Phát triển đảng viên"

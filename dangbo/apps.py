"""The project package as an app: base templates, static files, cross-app signals."""

from django.apps import AppConfig


class DangboConfig(AppConfig):
    name = "dangbo"
    verbose_name = "dangbo"

    def ready(self):
        from dangbo import signals  # noqa: F401  (connects the NFC normaliser)

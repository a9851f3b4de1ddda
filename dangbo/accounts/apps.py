from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangbo.accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from dangbo.accounts.models import remember_session_epoch

        user_logged_in.connect(remember_session_epoch, dispatch_uid="dangbo.accounts.session_epoch")

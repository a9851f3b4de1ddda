"""The rules app: which regulation's numbers apply on a date."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "dangbo.rules"
    verbose_name = _("Quy định")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from dangbo.rules.lookup import rules_changed
        from dangbo.rules.models import Rule, RuleOverride

        # Any change to the table clears the lookup cache, so the next lookup reads it again.
        for model in (Rule, RuleOverride):
            post_save.connect(rules_changed, sender=model, dispatch_uid=f"rules_changed_save_{model.__name__}")
            post_delete.connect(rules_changed, sender=model, dispatch_uid=f"rules_changed_delete_{model.__name__}")

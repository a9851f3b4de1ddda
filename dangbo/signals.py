"""Every text saved by one of our apps is stored in Unicode NFC, whatever its source."""

from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver

from dangbo.lib.vntext import nfc


def _is_ours(model):
    return model.__module__.startswith("dangbo.")


@receiver(pre_save)
def normalize_text_fields(sender, instance, **kwargs):
    if not _is_ours(sender):
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, nfc(value))

"""Test settings shared by the whole suite."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run beside one unless told it is safe (it is: one thread per test).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _english_off(settings):
    settings.LANGUAGE_CODE = "vi"

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
    # Sessions from the database, as the pages' query counts were written; the shared
    # file cache of config/settings.py is tested where it matters (meetings' check-in tests).
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture(autouse=True)
def _english_off(settings):
    settings.LANGUAGE_CODE = "vi"


def _reseed():
    """Put back the rows that data migrations load (rules, document types)."""
    from dangbo.documents.models import DocumentType, seed_default_types
    from dangbo.rules.loader import sync_catalog
    from dangbo.rules.lookup import clear_cache
    from dangbo.rules.models import Rule

    if not Rule.objects.exists():
        sync_catalog()
        clear_cache()
    if not DocumentType.objects.exists():
        seed_default_types()


@pytest.fixture(autouse=True)
def _seeded_after_flush(request):
    """Transactional tests flush the database afterwards, data migrations' rows included.

    pytest-django runs them after the TestCase-based tests, so only they need
    the seed put back before they start.
    """
    from django.test import TestCase, TransactionTestCase

    instance = getattr(request, "instance", None)
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames or (
        isinstance(instance, TransactionTestCase) and not isinstance(instance, TestCase)
    )
    if transactional:
        request.getfixturevalue("django_db_blocker").unblock()
        try:
            _reseed()
        finally:
            request.getfixturevalue("django_db_blocker").restore()
    yield

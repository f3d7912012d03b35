import os
import time

import pytest
from django.conf import settings

from tests import factories
from tests.localstripe import localstripe, stripe_client  # noqa: F401  (session emulator, shared by all test dirs)


@pytest.fixture
def channel(db):
    return factories.channel()


@pytest.fixture
def warehouse(channel):
    return factories.warehouse(channels=[channel])


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("operator@example.com", "pass-1234-word", is_staff=True)


@pytest.fixture(autouse=True)
def celery_tasks_run_in_process(settings):
    """Tests run tasks in-process unless they start a real worker (tests/tasks)."""
    from mall.celery import app as celery_app

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A test database of this run's own, so that several runs on one server never collide."""
    if not os.environ.get("TEST_DATABASE_NAME"):
        database = settings.DATABASES["default"]
        database["TEST"]["NAME"] = f"test_{database['NAME']}_{os.getpid()}"


@pytest.fixture(autouse=True)
def empty_cache():
    """Login counters and other cached values never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class Clock:
    """time.time() under the test's control, so that waits pass without sleeping (locmem's expiry reads it too)."""

    def __init__(self, monkeypatch):
        self.now = time.time()
        monkeypatch.setattr(time, "time", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)

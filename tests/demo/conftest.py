from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo seeded once for the module inside a transaction that is rolled back at its end.

    Each test still runs in its own savepoint (the `db` fixture), so what a test changes is undone
    before the next one; seeding 200 products per test would make the suite slow.
    """
    media_root = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=str(media_root), DEBUG=True), django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded_demo, db):
    """A test's view of the seeded demo: the summary the command printed."""
    return seeded_demo

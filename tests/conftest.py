import pytest

from tests import factories


@pytest.fixture
def channel(db):
    return factories.channel()


@pytest.fixture
def warehouse(channel):
    return factories.warehouse(channels=[channel])


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("operator@example.com", "pass-1234-word", is_staff=True)

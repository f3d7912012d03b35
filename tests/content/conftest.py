import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from content import services
from content.editorjs import editorjs_from_text
from tests.graphql.conftest import GraphQLClient, api, staff_api  # noqa: F401 (fixtures)


def grant(user, *permissions):
    codenames = [permission.codename for permission in permissions]
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames))
    return type(user).objects.get(pk=user.pk)  # a fresh instance: Django caches permissions per object


@pytest.fixture
def page_type(db):
    return services.create_page_type(requestor=None, name="说明页", slug="information")


@pytest.fixture
def make_page(page_type):
    def make(slug: str, *, title: str | None = None, text: str = "第一段。", published: bool = True, **fields):
        return services.create_page(
            requestor=None,
            page_type=page_type,
            title=title or slug,
            slug=slug,
            content=editorjs_from_text(text),
            is_published=published,
            **fields,
        )

    return make


@pytest.fixture
def editor(django_user_model):
    """An operator who may manage pages and menus (Saleor's MANAGE_PAGES and MANAGE_MENUS)."""
    from mall.permissions import PermissionEnum

    user = django_user_model.objects.create_user("editor@example.com", "pass-1234-word", is_staff=True)
    return grant(user, PermissionEnum.MANAGE_PAGES, PermissionEnum.MANAGE_MENUS)


@pytest.fixture
def editor_api(editor):
    client = Client(enforce_csrf_checks=False)
    client.force_login(editor)
    return GraphQLClient(client)

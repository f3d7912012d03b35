"""Menu trees kept by content.services: levels follow parents, no cycles, at most three levels."""

import pytest
from django.core.exceptions import ValidationError

from content import services
from content.models import MenuItem
from mall.errors import PermissionDenied


@pytest.fixture
def menu(db):
    return services.create_menu(requestor=None, name="导航栏", slug="navbar")


def item(menu, name, parent=None):
    return services.create_menu_item(requestor=None, menu=menu, name=name, parent=parent)


def test_moving_a_branch_relevels_every_item_below_it(menu):
    help_item, about = item(menu, "帮助"), item(menu, "关于")
    team = item(menu, "团队", parent=about)
    services.update_menu_item(about, requestor=None, parent=help_item)
    assert dict(MenuItem.objects.values_list("name", "level")) == {"帮助": 0, "关于": 1, "团队": 2}
    assert MenuItem.objects.get(pk=team.pk).parent_id == about.pk


def test_a_fourth_level_is_refused(menu):
    third = item(menu, "三", parent=item(menu, "二", parent=item(menu, "一")))
    with pytest.raises(ValidationError) as error:
        item(menu, "四", parent=third)
    assert error.value.error_dict["parent"][0].code == "invalid_menu_item"


def test_a_branch_that_would_grow_past_three_levels_is_not_moved(menu):
    target = item(menu, "二", parent=item(menu, "一"))
    branch = item(menu, "甲")
    item(menu, "乙", parent=branch)
    with pytest.raises(ValidationError):
        services.update_menu_item(branch, requestor=None, parent=target)
    assert MenuItem.objects.get(pk=branch.pk).parent_id is None


def test_an_item_cannot_move_under_its_own_descendant(menu):
    top = item(menu, "一")
    child = item(menu, "二", parent=top)
    with pytest.raises(ValidationError):
        services.update_menu_item(top, requestor=None, parent=child)


def test_a_requestor_without_manage_menus_is_refused(menu, staff_user):
    with pytest.raises(PermissionDenied):
        services.create_menu_item(requestor=staff_user, menu=menu, name="关于")
    assert MenuItem.objects.count() == 0

"""The tree in the admin: indented, in tree order, with roles inline; placements follow the level rules."""

from django.urls import reverse

from branches.models import UnionBranch

CHANGELIST = reverse("admin:branches_unionbranch_changelist")
ADD = reverse("admin:branches_unionbranch_add")


def test_the_admin_lists_the_tree_in_order_with_indentation(admin_client, tree):
    response = admin_client.get(CHANGELIST)
    assert [row.code for row in response.context["cl"].result_list][:3] == ["SZ", "SZ-FT", "SZ-FT-JY"]
    assert "\u3000\u3000\u3000\u3000\u3000\u3000科技园第一联合工会" in response.content.decode()


def test_the_change_page_has_the_roles_inline(admin_client, tree, clerk_of_yh):
    response = admin_client.get(reverse("admin:branches_unionbranch_change", args=[tree.yh.pk]))
    assert response.status_code == 200
    assert "clerk@example.com" in response.content.decode()


def test_adding_under_a_grassroots_union_is_a_form_error(admin_client, tree):
    data = {"code": "X", "name": "第五级", "kind": "", "parent": tree.yh1.pk, **empty_inline()}
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert "最多四级" in response.content.decode()
    assert not UnionBranch.objects.filter(code="X").exists()


def test_adding_a_union_in_the_admin_places_it_in_the_tree(admin_client, tree):
    data = {"code": "GH-YH-003", "name": "新工会", "kind": "enterprise", "parent": tree.yh.pk, **empty_inline()}
    response = admin_client.post(ADD, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = UnionBranch.objects.get(code="GH-YH-003")
    assert UnionBranch.objects.get_parent(created) == tree.yh
    assert created.level == 3


def empty_inline() -> dict:
    management = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}
    return {f"roles-{name}": value for name, value in management.items()}

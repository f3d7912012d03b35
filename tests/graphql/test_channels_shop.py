"""The `channels`, `channel` and `shop` queries."""

from django.contrib.auth.models import Permission

from catalog.models import Channel
from mall.permissions import PermissionEnum
from tests import factories
from tests.graphql.helpers import gid

CHANNELS = "{ channels { id slug name currencyCode isActive defaultCountry { code country } } }"


def test_channels_is_refused_to_anonymous_visitors_as_saleor_refuses_it(api, channel):
    status, body = api.post(CHANNELS)
    assert status == 200
    assert body["data"] == {"channels": None}
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert body["errors"][0]["message"] == (
        "You need one of the following permissions: AUTHENTICATED_STAFF_USER, AUTHENTICATED_APP, MANAGE_CHANNELS"
    )


def test_channels_is_refused_to_a_signed_in_customer(client, channel, django_user_model):
    client.force_login(django_user_model.objects.create_user("shopper@example.com", "pass-1234-word"))
    body = client.post("/graphql/", {"query": CHANNELS}, content_type="application/json").json()
    assert body["data"] == {"channels": None}


def test_a_user_with_manage_channels_lists_active_channels_in_saleor_shape(client, channel, django_user_model):
    user = django_user_model.objects.create_user("channels@example.com", "pass-1234-word")
    user.user_permissions.add(Permission.objects.get(codename=PermissionEnum.MANAGE_CHANNELS.codename))
    client.force_login(user)
    closed = factories.channel(slug="closed", name="已关闭")
    Channel.objects.filter(pk=closed.pk).update(is_active=False)
    body = client.post("/graphql/", {"query": CHANNELS}, content_type="application/json").json()
    assert body["data"]["channels"] == [
        {
            "id": gid("Channel", channel.pk),
            "slug": "union-mall",
            "name": "工会商城",
            "currencyCode": "CNY",
            "isActive": True,
            "defaultCountry": {"code": "CN", "country": "中国"},
        }
    ]


def test_operators_also_see_inactive_channels(staff_api, channel):
    closed = factories.channel(slug="closed", name="已关闭")
    Channel.objects.filter(pk=closed.pk).update(is_active=False)
    assert [entry["slug"] for entry in staff_api.data(CHANNELS)["channels"]] == ["closed", "union-mall"]


def test_a_channel_is_found_by_slug_or_id_and_an_unknown_one_is_null(api, channel):
    query = "query($id: ID, $slug: String) { channel(id: $id, slug: $slug) { slug } }"
    assert api.data(query, {"slug": "union-mall"})["channel"] == {"slug": "union-mall"}
    assert api.data(query, {"id": gid("Channel", channel.pk)})["channel"] == {"slug": "union-mall"}
    assert api.data(query, {"slug": "nowhere"})["channel"] is None
    assert api.error(query, {"id": gid("Product", channel.pk)}) == "Must receive a Channel id."


def test_shop_gives_the_mall_name_description_domain_and_country(api, channel, settings):
    settings.MALL_NAME = "某市工会商城"
    settings.MALL_DESCRIPTION = "会员普惠"
    settings.PUBLIC_URL = "https://mall.example.cn"
    data = api.data("{ shop { name description domain { host sslEnabled url } defaultCountry { code country } } }")
    assert data["shop"] == {
        "name": "某市工会商城",
        "description": "会员普惠",
        "domain": {"host": "mall.example.cn", "sslEnabled": True, "url": "http://testserver/graphql/"},
        "defaultCountry": {"code": "CN", "country": "中国"},
    }


def test_a_channel_lists_the_countries_it_ships_to(api, channel):
    data = api.data('{ channel(slug: "union-mall") { countries { code country } } }')
    assert data["channel"]["countries"] == [{"code": "CN", "country": "中国"}]

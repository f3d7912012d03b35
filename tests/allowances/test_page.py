"""/account/allowances/ (福利额度): balance, each grant, the history; and how it reads on a phone."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from allowances import services
from allowances.models import AllowanceGrant
from tests.allowances.conftest import issue, make_order
from tests.storefront.html import attributes, texts

URL = "/account/allowances/"


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def ledger(operator, member, relief_collection, channel):
    """¥300 中秋慰问 (any product, ¥120.50 spent on an order), ¥600 消费帮扶 (relief only), and an expired one."""
    mid_autumn = issue(operator, [member], "300.00", days=30)
    issue(operator, [member], "600.00", reason="消费帮扶", days=3, collection=relief_collection)
    old = issue(operator, [member], "100.00", reason="端午慰问", days=1)
    AllowanceGrant.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    order = make_order(member, channel)
    services.spend_for_order(order, {mid_autumn.pk: Decimal("120.50")})
    services.expire_allowances()
    return order


@pytest.mark.django_db
def test_the_page_needs_a_signed_in_person(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("storefront:login"))


@pytest.mark.django_db
def test_balance_grants_and_history(member_client, ledger):
    response = member_client.get(URL)

    assert response.status_code == 200
    assert texts(response, "allowance-balance__amount") == ["¥779.50"]
    assert texts(response, "allowance-grant__reason") == ["消费帮扶", "中秋慰问", "端午慰问"]
    assert texts(response, "allowance-grant__left") == [
        "剩余 ¥600.00 / 共 ¥600.00",
        "剩余 ¥179.50 / 共 ¥300.00",
        "剩余 ¥0.00 / 共 ¥100.00",
    ]
    assert texts(response, "allowance-grant__meta") == ["仅限帮扶专区 即将到期", "全场通用", "全场通用 已过期"]
    assert attributes(response, "badge--restricted")[0]["href"] == "/collections/relief-zone/"
    assert all(text.startswith("有效期至 ") for text in texts(response, "allowance-grant__expiry"))
    history = list(
        zip(texts(response, "allowance-entry__title"), texts(response, "allowance-entry__amount"), strict=True)
    )
    assert history == [
        ("过期 · 端午慰问", "−¥100.00"),
        ("使用 · 中秋慰问", "−¥120.50"),
        ("发放 · 端午慰问", "+¥100.00"),
        ("发放 · 消费帮扶", "+¥600.00"),
        ("发放 · 中秋慰问", "+¥300.00"),
    ]
    assert f"订单 {ledger.number}" in texts(response, "allowance-entry__detail")[1]


@pytest.mark.django_db
def test_a_member_without_allowances_sees_the_empty_state(member_client):
    response = member_client.get(URL)
    assert texts(response, "allowance-balance__amount") == ["¥0.00"]
    assert texts(response, "allowance-empty__title") == ["暂无福利额度"]
    assert "去实名认证" not in response.content.decode()


@pytest.mark.django_db
def test_an_unverified_person_is_told_allowances_need_verification(unverified_user):
    client = Client()
    client.force_login(unverified_user)
    response = client.get(URL)
    assert texts(response, "allowance-empty__title") == ["暂无福利额度"]
    assert "福利额度只发给已实名认证的会员。" in texts(response, "allowance-empty__text")
    assert "去实名认证" in response.content.decode()


@pytest.mark.django_db
def test_the_account_page_links_to_the_allowances(member_client):
    page = member_client.get(reverse("storefront:account"))
    assert any(link.get("href") == URL for link in attributes(page, "account__menu-item"))
    assert "福利额度" in texts(page, "account__menu-item")


@pytest.mark.django_db
def test_the_history_is_paged(operator, member, member_client, monkeypatch):
    monkeypatch.setattr("storefront.allowance_views.ENTRIES_PER_PAGE", 2)
    for number in range(3):
        issue(operator, [member], "10.00", reason=f"慰问{number}")

    first, second = member_client.get(URL), member_client.get(URL, {"page": 2})

    assert [title.split(" · ")[1] for title in texts(first, "allowance-entry__title")] == ["慰问2", "慰问1"]
    assert [title.split(" · ")[1] for title in texts(second, "allowance-entry__title")] == ["慰问0"]
    assert member_client.get(URL, {"page": "x"}).status_code == 200


QUERIES = []


def count_queries(client) -> int:
    client.get(URL)  # warm: the caches every page shares
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    QUERIES[:] = queries.captured_queries
    return len(queries)


@pytest.mark.django_db
def test_the_page_takes_as_many_queries_for_a_long_history_as_for_a_short_one(
    operator, member, member_client, relief_collection, channel
):
    issue(operator, [member], "50.00", collection=relief_collection)
    small = count_queries(member_client)
    for number in range(8):
        grant = issue(operator, [member], "50.00", reason=f"慰问{number}", collection=relief_collection)
        services.spend_for_order(make_order(member, channel), {grant.pk: Decimal("10.00")})
    large = count_queries(member_client)

    # session, user, grants, the history's count, the balance, the history's page
    assert small == large == 6, "\n".join(query["sql"][:150] for query in QUERIES)

"""/account/allowances/ on a 360 px phone, in chromium: the storefront's phone rules (tests/storefront)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from allowances import services
from allowances.models import AllowanceGrant
from tests.allowances.conftest import issue, make_order
from tests.storefront.browser import SMALL_PHONE, chromium, needs_chromium
from tests.storefront.test_accessibility import AUDIT, MINIMUMS, NO_PROBLEMS

pytestmark = needs_chromium

URL = "/account/allowances/"


@pytest.fixture
def ledger(operator, member, relief_collection, channel):
    mid_autumn = issue(operator, [member], "300.00", days=30)
    issue(operator, [member], "600.00", reason="消费帮扶", days=3, collection=relief_collection)
    old = issue(operator, [member], "100.00", reason="端午慰问", days=1)
    AllowanceGrant.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    services.spend_for_order(make_order(member, channel), {mid_autumn.pk: Decimal("120.50")})
    services.expire_allowances()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_ledger", [True, False], ids=["ledger", "empty"])
def test_the_page_on_a_360px_phone_has_readable_text_and_large_tap_targets(
    live_server, request, member, tmp_path, with_ledger
):
    if with_ledger:
        request.getfixturevalue("ledger")
    client = Client()
    client.force_login(member)
    with chromium() as browser:
        context = browser.new_context(locale="zh-CN", **SMALL_PHONE)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        page = context.new_page()
        page.goto(live_server.url + URL)
        page.wait_for_load_state("load")
        page.screenshot(path=tmp_path / "allowances.png", full_page=True)
        assert page.evaluate(AUDIT, MINIMUMS) == NO_PROBLEMS

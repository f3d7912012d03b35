"""工会看板 and 公示 pages: who may open which branch, figures equal to relief_sourcing.reports', nothing personal
on the public page, empty states, constant query counts, and the charts drawn in chromium on a phone."""

import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from branches.services import create_union_branch
from mall.permissions import PermissionEnum
from relief_sourcing import reports
from relief_sourcing.models import ReliefTarget
from tests.relief_sourcing.reports import report_factories as rf
from tests.relief_sourcing.reports.conftest import make_user
from tests.storefront.browser import SMALL_PHONE, chromium, needs_chromium

YEAR = 2025
# Session and user, the branch and the access check, the ancestors, then the reports' own: two summaries
# (the region one also reads the few partner regions), target progress and ranking.
DASHBOARD_QUERIES = 18
# The roots, four summaries (an aggregate and the groups each; CHILD_BRANCH also reads the children, REGION
# and COUNTY the partner regions).
DISCLOSURE_QUERIES = 13


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ledger(tree, relief_world, django_user_model):
    """Purchases in 2025 across the tree, by two named members, with a target on D1."""
    buyer = make_user("wang.fang@example.com")
    buyer.first_name, buyer.last_name = "芳", "王"
    buyer.save()
    rf.write(
        [
            rf.entry(relief_world, tree["G111"], "120.50", when=rf.local(YEAR, 3, 5), buyer=buyer, source=0),
            rf.entry(relief_world, tree["G112"], "80.00", when=rf.local(YEAR, 9, 12), buyer=buyer, source=2),
            rf.entry(relief_world, tree["S12"], "40.00", when=rf.local(YEAR, 9, 20), source=1),
            rf.entry(relief_world, tree["G211"], "300.00", when=rf.local(YEAR, 1, 2), source=2),
            rf.entry(relief_world, tree["G111"], "-20.50", when=rf.local(YEAR, 4, 1), source=0),
        ]
    )
    ReliefTarget.objects.create(branch=tree["D1"], year=YEAR, amount=Decimal("1000.00"))
    return buyer


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def dashboard(code: str, year: int = YEAR) -> str:
    return f"/branch/{code}/dashboard/?year={year}"


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def charts_of(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="relief-charts" type="application/json">') + len(
        '<script id="relief-charts" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


# --- Who may open what ----------------------------------------------------------------------------
def test_an_anonymous_visitor_is_sent_to_log_in(client, tree):
    for path in ("/branch/", dashboard("D1")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/")


def test_staff_of_a_sibling_branch_are_refused_in_chinese(tree, ledger):
    other_district = signed_in(make_user("d2@example.com", branch=tree["D2"]))
    response = other_district.get(dashboard("D1"))
    assert response.status_code == 403
    assert "你没有查看该工会组织数据的权限" in response.content.decode()
    assert "120.50" not in response.content.decode()


def test_staff_may_not_open_their_parent(tree, ledger):
    street = signed_in(make_user("s11@example.com", branch=tree["S11"]))
    assert street.get(dashboard("D1")).status_code == 403
    assert street.get(dashboard("G111")).status_code == 200


def test_an_unknown_branch_code_is_a_404_in_chinese(tree):
    response = signed_in(make_user("d1@example.com", branch=tree["D1"])).get(dashboard("NOPE"))
    assert response.status_code == 404
    assert "找不到这个工会组织" in response.content.decode()


def test_a_person_without_a_role_is_told_so(tree):
    response = signed_in(make_user("nobody@example.com")).get("/branch/")
    assert response.status_code == 403
    assert "你还没有工会职务" in response.content.decode()


def test_the_branch_portal_lists_each_branch_with_its_dashboard_and_bulk_orders(tree):
    one = signed_in(make_user("one@example.com", branch=tree["S11"]))
    html = one.get("/branch/").content.decode()
    assert "/branch/S11/dashboard/" in html and "/branch/S11/bulk/" in html

    user = make_user("two@example.com", branch=tree["G111"])
    make_user_role = tree["G211"].roles.create(user=user, role="CLERK")
    assert make_user_role.pk
    html = signed_in(user).get("/branch/").content.decode()
    assert "/branch/G111/dashboard/" in html and "/branch/G211/dashboard/" in html


def test_an_operator_with_the_report_permission_chooses_among_the_roots(tree, ledger):
    operator = make_user("ops@example.com", permissions=[PermissionEnum.VIEW_RELIEF_REPORTS])
    response = signed_in(operator).get("/branch/")
    assert response.status_code == 200 and "/branch/C/dashboard/" in response.content.decode()
    assert signed_in(operator).get(dashboard("D2")).status_code == 200


def test_my_page_links_to_the_dashboards_only_for_branch_staff(tree):
    staff = signed_in(make_user("s@example.com", branch=tree["S11"])).get("/account/").content.decode()
    member = signed_in(make_user("m@example.com")).get("/account/").content.decode()
    assert 'href="/branch/"' in staff
    assert 'href="/branch/"' not in member


# --- The figures are the reports' ------------------------------------------------------------------
def test_the_dashboard_shows_the_reports_figures(tree, ledger):
    branch = tree["D1"]
    response = signed_in(make_user("d1@example.com", branch=branch)).get(dashboard("D1"))
    html = response.content.decode()
    regions = reports.purchase_summary(branch, year=YEAR, group_by=reports.GroupBy.REGION)
    progress = reports.target_progress(branch, YEAR)
    ranking = reports.ranking(branch, YEAR)
    assert regions.total == Decimal("220.00")
    assert f'data-testid="relief-total">¥{money(regions.total)}<' in html
    for group in regions.groups:
        assert group.label in html and money(group.total) in html
    assert f"¥{money(progress.achieved)}" in html and "（22%）" in html  # 220 of 1,000
    for row in ranking:
        assert row.branch.name in html
    charts = charts_of(response)
    assert charts["ranking"] == {"labels": ["工会S11", "工会S12"], "values": ["180.00", "40.00"]}
    assert charts["regions"]["values"] == [str(group.total) for group in regions.groups]
    months = reports.purchase_summary(branch, year=YEAR, group_by=reports.GroupBy.MONTH)
    assert charts["months"]["labels"] == [group.label for group in months.groups]
    assert len(charts["months"]["labels"]) == 12


def test_the_dashboard_links_the_reports_exports(tree, ledger):
    html = signed_in(make_user("d1@example.com", branch=tree["D1"])).get(dashboard("D1")).content.decode()
    assert "/relief/reports/export.xlsx?report=summary&amp;groupBy=REGION&amp;branch=D1&amp;year=2025" in html
    assert "/relief/reports/export.csv?report=ranking&amp;branch=D1&amp;year=2025" in html


def test_a_bad_year_shows_the_current_year_with_a_note(tree, ledger):
    html = signed_in(make_user("d1@example.com", branch=tree["D1"])).get("/branch/D1/dashboard/?year=abc").content
    assert "年份“abc”无效".encode() in html


def test_a_year_without_purchases_and_without_target_says_so(tree, ledger):
    response = signed_in(make_user("d1@example.com", branch=tree["D1"])).get(dashboard("D1", 2023))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="relief-empty"' in html and "2023 年暂无帮扶采购记录" in html
    assert "2023 年尚未设定帮扶金额目标" in html


def test_a_grassroots_union_has_no_ranking_and_says_why(tree, ledger):
    html = signed_in(make_user("g@example.com", branch=tree["G111"])).get(dashboard("G111")).content.decode()
    assert "本工会没有下级工会" in html
    assert "¥100.00" in html  # 120.50 paid, 20.50 refunded


# --- The public disclosure ---------------------------------------------------------------------------
def test_the_disclosure_page_shows_the_citys_aggregates(client, tree, ledger):
    response = client.get(f"/relief/disclosure/?year={YEAR}")
    html = response.content.decode()
    city = tree["C"]
    assert response.status_code == 200
    total = reports.purchase_summary(city, year=YEAR, group_by=reports.GroupBy.REGION).total
    assert total == Decimal("520.00")
    assert f'data-testid="relief-total">¥{money(total)}<' in html
    for group_by in (reports.GroupBy.COUNTY, reports.GroupBy.CHILD_BRANCH):
        for group in reports.purchase_summary(city, year=YEAR, group_by=group_by).groups:
            if group.total:
                assert group.label in html and money(group.total) in html
    assert charts_of(response)["districts"] == {"labels": ["工会D2", "工会D1"], "values": ["300.00", "220.00"]}


def test_the_disclosure_page_names_no_person_and_no_order(client, tree, ledger, relief_world):
    html = client.get(f"/relief/disclosure/?year={YEAR}").content.decode()
    for private in ("王芳", "wang.fang", "@example.com", relief_world.order.number, str(relief_world.order.pk)):
        assert str(private) not in html
    assert "M-" not in html


def test_the_disclosure_page_is_cached(client, tree, ledger, django_assert_num_queries):
    client.get(f"/relief/disclosure/?year={YEAR}")
    with django_assert_num_queries(0):
        assert client.get(f"/relief/disclosure/?year={YEAR}").status_code == 200


def test_an_empty_year_on_the_disclosure_page_says_so(client, tree):
    html = client.get("/relief/disclosure/?year=2022").content.decode()
    assert "2022 年暂无帮扶采购数据" in html


# --- Query counts -----------------------------------------------------------------------------------
def _add_children(parent, world, count: int, prefix: str):
    """`count` more branches under `parent`, each with a purchase in YEAR."""
    for number in range(count):
        branch = create_union_branch(code=f"{prefix}{number}", name=f"新工会{prefix}{number}", parent=parent)
        rf.write([rf.entry(world, branch, "10.00", when=rf.local(YEAR, 5, 1))])


def _queries(client, path) -> int:
    client.get(path)  # the first request of a session may touch the session row; count a later one
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_dashboard_makes_the_same_number_of_queries_for_3_or_13_children(tree, ledger, relief_world):
    client = signed_in(make_user("s11@example.com", branch=tree["S11"]))
    _add_children(tree["S11"], relief_world, 1, "A")
    small = _queries(client, dashboard("S11"))
    _add_children(tree["S11"], relief_world, 10, "B")
    assert _queries(client, dashboard("S11")) == small == DASHBOARD_QUERIES


def test_the_disclosure_page_makes_the_same_number_of_queries_for_2_or_12_districts(client, tree, ledger, relief_world):
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        client.get(f"/relief/disclosure/?year={YEAR}")
    _add_children(tree["C"], relief_world, 10, "D-new-")
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        client.get(f"/relief/disclosure/?year={YEAR}")
    assert len(small) == len(large) == DISCLOSURE_QUERIES


# --- The charts in a browser ---------------------------------------------------------------------------
@pytest.fixture
def shown_world(transactional_db, channel):
    """As `ledger`, committed, for a live server."""
    tree = rf.branch_tree({"C": {"D1": {"S11": {"G111": {}, "G112": {}}, "S12": {}}, "D2": {"S21": {"G211": {}}}}})
    world = rf.world(channel)
    rf.write(
        [
            rf.entry(world, tree["G111"], "120.50", when=rf.local(YEAR, 3, 5), source=0),
            rf.entry(world, tree["G112"], "80.00", when=rf.local(YEAR, 9, 12), source=2),
            rf.entry(world, tree["G211"], "300.00", when=rf.local(YEAR, 1, 2), source=1),
        ]
    )
    return tree


def _page_with_charts(live_server, path: str, *, cookies=(), screenshot=None) -> dict:
    with chromium() as browser:
        context = browser.new_context(locale="zh-CN", **SMALL_PHONE)
        context.add_cookies([{"name": name, "value": value, "url": live_server.url} for name, value in cookies])
        page = context.new_page()
        problems = []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        page.wait_for_selector(".relief-chart--drawn canvas")
        if screenshot:
            page.screenshot(path=screenshot, full_page=True)
        return {
            "canvases": page.locator(".relief-chart canvas").count(),
            "charts": page.locator(".relief-chart").count(),
            "errors": problems,
            "wider_than_screen": page.evaluate("document.documentElement.scrollWidth > window.innerWidth"),
        }


@pytest.mark.browser
@pytest.mark.parametrize("who", ["public", "district"])
def test_the_charts_draw_on_a_360px_phone_without_console_errors(live_server, shown_world, who, tmp_path):
    pytest.importorskip("playwright")
    for mark in needs_chromium:
        if mark.name == "skipif" and mark.args[0]:
            pytest.skip(mark.kwargs["reason"])
    if who == "public":
        path, cookies = f"/relief/disclosure/?year={YEAR}", ()
    else:
        client = signed_in(make_user("d1-browser@example.com", branch=shown_world["D1"]))
        path, cookies = dashboard("D1"), (("sessionid", client.cookies["sessionid"].value),)
    seen = _page_with_charts(live_server, path, cookies=cookies, screenshot=tmp_path / f"{who}.png")
    assert seen["errors"] == []
    assert seen["canvases"] == seen["charts"] >= 3
    assert seen["wider_than_screen"] is False

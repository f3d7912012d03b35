"""The relief report queries over HTTP: figures, permission isolation by subtree, clear errors, query counts."""

from decimal import Decimal

import pytest
from graphql_relay import to_global_id

from mall.permissions import PermissionEnum
from relief_sourcing.models import ReliefChannel, ReliefTarget
from tests.relief_sourcing.conftest import api_for, make_user
from tests.relief_sourcing.report_factories import entry, local, write

pytestmark = pytest.mark.django_db

SUMMARY = """
query Summary($branch: ID!, $year: Int, $dateFrom: Date, $dateTo: Date, $channel: ReliefChannel,
              $groupBy: ReliefGroupBy!) {
  reliefPurchaseSummary(branch: $branch, year: $year, dateFrom: $dateFrom, dateTo: $dateTo, channel: $channel,
                        groupBy: $groupBy) {
    total { amount currency } quantity buyers
    groups { key label total { amount currency } quantity }
  }
}
"""
PROGRESS = """
query Progress($branch: ID!, $year: Int!) {
  reliefTargetProgress(branch: $branch, year: $year) {
    branch { id code } year target { amount } achieved { amount currency } amountRatio expectedByNow { amount }
    minimumShare spending { amount } share onTrack
  }
}
"""
RANKING = """
query Ranking($parent: ID!, $year: Int!) {
  reliefRanking(parent: $parent, year: $year) {
    rank branch { id code name } total { amount currency }
    progress { target { amount } amountRatio onTrack }
  }
}
"""


def gid(branch):
    return to_global_id("UnionBranch", branch.pk)


@pytest.fixture
def ledger(tree, relief_world):
    buyer = make_user("buyer@example.com")
    write(
        [
            entry(relief_world, tree["G111"], "100.00", buyer=buyer),
            entry(relief_world, tree["G112"], "50.50", source=1, buyer=buyer),
            entry(relief_world, tree["S11"], "20.00", source=2, channel=ReliefChannel.BRANCH),
            entry(relief_world, tree["D1"], "5.00", channel=ReliefChannel.BRANCH),
            entry(relief_world, tree["G211"], "30.00", source=2),
        ]
    )
    return tree


@pytest.fixture
def operator():
    return api_for(make_user("stats@example.com", permissions=[PermissionEnum.VIEW_RELIEF_REPORTS]))


def test_summary_by_child_branch_adds_up_with_the_own_group(ledger, operator):
    data = operator.data(SUMMARY, {"branch": gid(ledger["D1"]), "year": 2025, "groupBy": "CHILD_BRANCH"})
    summary = data["reliefPurchaseSummary"]
    assert summary["total"] == {"amount": 175.5, "currency": "CNY"}
    assert (summary["quantity"], summary["buyers"]) == (4, 1)
    assert [(g["key"], g["label"], g["total"]["amount"]) for g in summary["groups"]] == [
        (gid(ledger["D1"]), "本级", 5.0),
        (gid(ledger["S11"]), "工会S11", 170.5),
        (gid(ledger["S12"]), "工会S12", 0.0),
    ]


def test_summary_by_region_with_a_channel_and_dates(ledger, operator):
    data = operator.data(
        SUMMARY,
        {
            "branch": gid(ledger["C"]),
            "dateFrom": "2025-06-01",
            "dateTo": "2025-06-01",
            "channel": "MEMBER",
            "groupBy": "REGION",
        },
    )
    groups = data["reliefPurchaseSummary"]["groups"]
    assert [(g["key"], g["total"]["amount"]) for g in groups] == [("520500", 150.5), ("522600", 30.0)]


def test_target_progress_and_ranking(ledger, operator):
    ReliefTarget.objects.create(branch=ledger["D2"], year=2024, amount=Decimal("60"))
    ReliefTarget.objects.create(branch=ledger["D2"], year=2025, amount=Decimal("60"))
    progress = operator.data(PROGRESS, {"branch": gid(ledger["D2"]), "year": 2025})["reliefTargetProgress"]
    assert progress["branch"]["code"] == "D2"
    assert (progress["target"], progress["achieved"]) == ({"amount": 60.0}, {"amount": 30.0, "currency": "CNY"})
    assert (progress["amountRatio"], progress["minimumShare"], progress["share"]) == (0.5, 0.3, None)
    ranking = operator.data(RANKING, {"parent": gid(ledger["C"]), "year": 2025})["reliefRanking"]
    assert [(row["rank"], row["branch"]["code"], row["total"]["amount"]) for row in ranking] == [
        (1, "D1", 175.5),
        (2, "D2", 30.0),
    ]
    assert ranking[1]["progress"]["target"] == {"amount": 60.0}


def test_staff_see_their_branch_and_below_never_a_sibling_or_a_parent(ledger):
    staff = api_for(make_user("clerk@example.com", branch=ledger["S11"]))
    assert staff.data(SUMMARY, {"branch": gid(ledger["G111"]), "year": 2025, "groupBy": "MONTH"})
    for branch in ("S12", "D1", "C", "G211"):
        message = staff.error(SUMMARY, {"branch": gid(ledger[branch]), "year": 2025, "groupBy": "MONTH"})
        assert message == "您无权查看该工会组织的消费帮扶数据。"
    assert staff.error(RANKING, {"parent": gid(ledger["D1"]), "year": 2025}) == "您无权查看该工会组织的消费帮扶数据。"
    assert staff.error(PROGRESS, {"branch": gid(ledger["S12"]), "year": 2025}) == "您无权查看该工会组织的消费帮扶数据。"


def test_members_and_visitors_are_refused(ledger, api):
    variables = {"branch": gid(ledger["C"]), "year": 2025, "groupBy": "MONTH"}
    assert "authenticated" in api.error(SUMMARY, variables)
    member = api_for(make_user("member@example.com"))
    assert member.error(SUMMARY, variables) == "您无权查看该工会组织的消费帮扶数据。"


def test_operators_who_manage_relief_or_branches_see_every_branch(ledger):
    for permission in (PermissionEnum.MANAGE_RELIEF, PermissionEnum.MANAGE_BRANCHES):
        client = api_for(make_user(f"{permission.name}@example.com", permissions=[permission]))
        assert client.data(RANKING, {"parent": gid(ledger["C"]), "year": 2025})["reliefRanking"]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"year": 1999}, "年度须在 2000 至 2100 之间。"),
        ({"year": 20250}, "年度须在 2000 至 2100 之间。"),
        ({"dateFrom": "2025-05-02", "dateTo": "2025-05-01"}, "开始日期不能晚于结束日期。"),
    ],
)
def test_bad_periods_give_clear_errors(ledger, operator, variables, message):
    assert operator.error(SUMMARY, {"branch": gid(ledger["C"]), "groupBy": "MONTH", **variables}) == message


def test_unknown_or_malformed_branches_give_clear_errors(ledger, operator):
    missing = to_global_id("UnionBranch", 987654)
    assert operator.error(PROGRESS, {"branch": missing, "year": 2025}) == f"找不到该工会组织：{missing}。"
    assert operator.error(PROGRESS, {"branch": "nonsense", "year": 2025}) == "Couldn't resolve id: nonsense."
    product = to_global_id("Product", 1)
    assert operator.error(RANKING, {"parent": product, "year": 2025}) == "Must receive a UnionBranch id."
    assert operator.error(RANKING, {"parent": gid(ledger["C"]), "year": 3000}) == "年度须在 2000 至 2100 之间。"


def test_an_unknown_group_by_or_a_bad_date_is_refused_by_the_schema(ledger, operator):
    status, body = operator.post(SUMMARY, {"branch": gid(ledger["C"]), "groupBy": "WEEK"})
    assert status == 400 and "WEEK" in body["errors"][0]["message"]
    status, body = operator.post(SUMMARY, {"branch": gid(ledger["C"]), "groupBy": "MONTH", "dateFrom": "2025-13-01"})
    assert status == 400 and "dateFrom" in body["errors"][0]["message"]


def test_query_counts_do_not_grow_with_the_ledger_or_the_children(tree, relief_world):
    client = api_for(make_user("counts@example.com", branch=tree["C"]))

    def queries_for(query, variables):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            client.data(query, variables)
        return len(captured)

    small = (
        queries_for(SUMMARY, {"branch": gid(tree["C"]), "year": 2025, "groupBy": "CHILD_BRANCH"}),
        queries_for(RANKING, {"parent": gid(tree["S11"]), "year": 2025}),
    )
    write([entry(relief_world, tree[code], "3", source=n % 3) for n, code in enumerate(["G111", "G211", "D2"] * 30)])
    large = (
        queries_for(SUMMARY, {"branch": gid(tree["C"]), "year": 2025, "groupBy": "CHILD_BRANCH"}),
        queries_for(RANKING, {"parent": gid(tree["C"]), "year": 2025}),
    )
    assert small == large
    assert large[1] <= 9  # session, user, branch, permission/role checks, then the ranking's four


def test_years_in_the_answer_follow_local_time(tree, relief_world, operator):
    write([entry(relief_world, tree["G111"], "7.00", when=local(2025, 1, 1, 0))])
    data = operator.data(SUMMARY, {"branch": gid(tree["C"]), "year": 2025, "groupBy": "MONTH"})
    assert data["reliefPurchaseSummary"]["groups"][0] == {
        "key": "2025-01",
        "label": "2025年1月",
        "total": {"amount": 7.0, "currency": "CNY"},
        "quantity": 1,
    }

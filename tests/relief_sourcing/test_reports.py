"""The report services: roll-ups by subtree, the five groupings, periods, channels, targets and rankings."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from graphql_relay import to_global_id

from mall.errors import PermissionDenied
from mall.permissions import PermissionEnum
from members.models import MemberProfile
from orders.models import Order
from relief_sourcing import reports
from relief_sourcing.models import ReliefChannel, ReliefTarget
from relief_sourcing.targets import set_target
from tests.relief_sourcing.conftest import make_user
from tests.relief_sourcing.report_factories import entry, local, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(tree, relief_world):
    w = relief_world
    write(
        [
            entry(w, tree["G111"], "100.00", source=0),
            entry(w, tree["G112"], "50.00", source=1, when=local(2025, 3, 5)),
            entry(w, tree["S11"], "20.00", source=2, channel=ReliefChannel.BRANCH),
            entry(w, tree["D1"], "5.00", source=0, channel=ReliefChannel.BRANCH),
            entry(w, tree["G211"], "30.00", source=2),
            entry(w, tree["C"], "1.00", source=0, channel=ReliefChannel.BRANCH),
            entry(w, tree["G111"], "-10.00", source=0, quantity=1),
            entry(w, tree["G111"], "999.00", when=local(2024, 12, 31, 23)),  # the year before, local time
        ]
    )
    return tree


def gid(branch):
    return to_global_id("UnionBranch", branch.pk)


def test_a_branch_total_is_its_own_entries_plus_its_descendants(ledger):
    assert reports.purchase_summary(ledger["D1"], year=2025, group_by="MONTH").total == Decimal("165.00")
    assert reports.purchase_summary(ledger["S11"], year=2025, group_by="MONTH").total == Decimal("160.00")
    assert reports.purchase_summary(ledger["C"], year=2025, group_by="MONTH").total == Decimal("196.00")
    assert reports.purchase_summary(ledger["S12"], year=2025, group_by="MONTH").total == Decimal("0.00")


def test_child_branch_groups_plus_own_entries_add_up_to_the_total(ledger):
    summary = reports.purchase_summary(ledger["D1"], year=2025, group_by="CHILD_BRANCH")
    assert [(g.key, g.label, g.total) for g in summary.groups] == [
        (gid(ledger["D1"]), "本级", Decimal("5.00")),
        (gid(ledger["S11"]), "工会S11", Decimal("160.00")),
        (gid(ledger["S12"]), "工会S12", Decimal("0.00")),
    ]
    assert sum(g.total for g in summary.groups) == summary.total


def test_region_groups_counties_by_prefecture_and_county_by_partner_region(ledger):
    regions = reports.purchase_summary(ledger["C"], year=2025, group_by="REGION")
    assert [(g.key, g.label, g.total) for g in regions.groups] == [
        ("520500", "贵州省毕节市", Decimal("146.00")),
        ("522600", "贵州省黔东南苗族侗族自治州", Decimal("50.00")),
    ]
    counties = {g.key: g.total for g in reports.purchase_summary(ledger["C"], year=2025, group_by="COUNTY").groups}
    assert counties == {"520502": Decimal("96.00"), "520521": Decimal("50.00"), "522631": Decimal("50.00")}


def test_supplier_groups_are_keyed_by_the_supplier_id(ledger, relief_world):
    summary = reports.purchase_summary(ledger["C"], year=2025, group_by="SUPPLIER")
    first = relief_world.suppliers[0]
    assert summary.groups[0].key == to_global_id("ReliefSupplier", first.pk)
    assert summary.groups[0].label == first.merchant.name
    assert summary.groups[0].total == Decimal("96.00")


def test_month_groups_list_every_month_of_the_year(ledger):
    summary = reports.purchase_summary(ledger["C"], year=2025, group_by="MONTH")
    assert [g.key for g in summary.groups] == [f"2025-{month:02d}" for month in range(1, 13)]
    assert summary.groups[2].total == Decimal("50.00") and summary.groups[2].label == "2025年3月"
    assert summary.groups[5].total == Decimal("146.00")
    assert sum(g.total for g in summary.groups) == summary.total


def test_refunds_count_negative_and_quantities_follow(ledger):
    summary = reports.purchase_summary(ledger["G111"], year=2025, group_by="COUNTY")
    assert (summary.total, summary.quantity) == (Decimal("90.00"), 0)


def test_years_are_local_calendar_years(ledger):
    assert reports.purchase_summary(ledger["G111"], year=2024, group_by="MONTH").total == Decimal("999.00")


def test_dates_narrow_the_period_and_the_channel_filters(ledger):
    march = reports.purchase_summary(
        ledger["C"], date_from=local(2025, 3, 1).date(), date_to=local(2025, 3, 5).date(), group_by="MONTH"
    )
    assert march.total == Decimal("50.00")
    assert [g.key for g in march.groups] == ["2025-03"]
    bulk = reports.purchase_summary(ledger["C"], year=2025, channel="BRANCH", group_by="REGION")
    assert bulk.total == Decimal("26.00")


def test_buyers_are_distinct_members_with_a_paid_member_purchase(tree, relief_world):
    one, two = (make_user(f"buyer{n}@example.com") for n in (1, 2))
    write(
        [
            entry(relief_world, tree["G111"], "10", buyer=one),
            entry(relief_world, tree["G111"], "10", buyer=one),
            entry(relief_world, tree["G112"], "10", buyer=two),
            entry(relief_world, tree["G211"], "10", buyer=make_user("elsewhere@example.com")),
        ]
    )
    assert reports.purchase_summary(tree["S11"], year=2025, group_by="MONTH").buyers == 2


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"year": 1999}, "year"),
        ({"year": 2101}, "year"),
        ({"date_from": local(2025, 5, 2).date(), "date_to": local(2025, 5, 1).date()}, "dateFrom"),
        ({"year": 2025, "channel": "CASH"}, "channel"),
    ],
)
def test_bad_arguments_are_refused_with_the_field(tree, arguments, field):
    with pytest.raises(reports.ReportInputError) as error:
        reports.purchase_summary(tree["C"], group_by="MONTH", **arguments)
    assert error.value.field == field


def paid_order(channel, member_branch, amount, *, allowance="0", year=2025):
    user = get_user_model().objects.create_user(f"member-{member_branch.code}-{amount}@example.com", "x")
    MemberProfile.objects.create(user=user, number=f"N{user.pk:07d}", branch=member_branch)
    return Order.objects.create(
        channel=channel,
        user=user,
        undiscounted_subtotal_amount=Decimal(amount),
        subtotal_amount=Decimal(amount),
        total_amount=Decimal(amount),
        total_charged_amount=Decimal(amount),
        allowance_amount=Decimal(allowance),
        paid_at=local(year, 4, 1),
    )


def test_target_progress_against_the_amount_pro_rata_and_the_default_share(ledger, channel, settings):
    settings.RELIEF_MINIMUM_SHARE_DEFAULT = Decimal("0.30")
    ReliefTarget.objects.create(branch=ledger["D1"], year=2025, amount=Decimal("330.00"))
    paid_order(channel, ledger["G111"], "400", allowance="100")
    paid_order(channel, ledger["G211"], "9999")  # another district: not D1's spending
    paid_order(channel, ledger["G112"], "7777", year=2024)  # another year

    mid_year = local(2025, 7, 2)  # day 183 of 365
    progress = reports.target_progress(ledger["D1"], 2025, now=mid_year)
    assert progress.achieved == Decimal("165.00")
    assert progress.target_amount == Decimal("330.00")
    assert progress.amount_ratio == Decimal("0.5000")
    assert progress.expected_by_now == Decimal("165.45")
    assert progress.spending == Decimal("500.00")
    assert progress.share == Decimal("0.3300")
    assert progress.minimum_share == Decimal("0.30")
    assert progress.on_track is False  # 165.00 < 165.45 expected by 2 July
    assert reports.target_progress(ledger["D1"], 2025, now=local(2025, 7, 1)).on_track is True


def test_a_target_share_replaces_the_default(ledger, channel):
    ReliefTarget.objects.create(branch=ledger["D1"], year=2025, minimum_share=Decimal("0.5"))
    paid_order(channel, ledger["G111"], "500")
    progress = reports.target_progress(ledger["D1"], 2025)
    assert (progress.target_amount, progress.minimum_share, progress.share) == (None, Decimal("0.5"), Decimal("0.33"))
    assert progress.on_track is False


def test_ranking_orders_children_by_total_with_their_progress(ledger):
    ReliefTarget.objects.create(branch=ledger["D2"], year=2025, amount=Decimal("60"))
    rows = reports.ranking(ledger["C"], 2025, now=local(2026, 1, 1))
    assert [(row.branch.code, row.total) for row in rows] == [("D1", Decimal("165.00")), ("D2", Decimal("30.00"))]
    assert rows[1].target.amount == Decimal("60.00")
    assert rows[1].progress.amount_ratio == Decimal("0.5000") and rows[1].progress.on_track is False


def test_subtree_totals_of_every_branch(ledger):
    totals = reports.subtree_totals(2025)
    assert totals[ledger["C"].path] == Decimal("196.00")
    assert totals[ledger["D1"].path] == Decimal("165.00")
    assert totals[ledger["G111"].path] == Decimal("90.00")
    assert ledger["S12"].path not in totals
    assert reports.subtree_totals(2025, root=ledger["D2"]) == {
        ledger["D2"].path: Decimal("30.00"),
        ledger["S21"].path: Decimal("30.00"),
        ledger["G211"].path: Decimal("30.00"),
    }


@pytest.mark.parametrize("group_by", reports.GroupBy.ALL)
def test_a_summary_takes_the_same_queries_for_small_and_large_ledgers(
    tree, relief_world, group_by, django_assert_num_queries
):
    write([entry(relief_world, tree["G111"], "1")])
    with django_assert_num_queries(3 if group_by == "CHILD_BRANCH" else 2):
        reports.purchase_summary(tree["C"], year=2025, group_by=group_by)
    write([entry(relief_world, tree[code], "1", source=n % 3) for n, code in enumerate(["G112", "S12", "G211"] * 20)])
    with django_assert_num_queries(3 if group_by == "CHILD_BRANCH" else 2):
        reports.purchase_summary(tree["C"], year=2025, group_by=group_by)


def test_ranking_takes_four_queries_whatever_the_number_of_children(tree, django_assert_num_queries):
    with django_assert_num_queries(4):
        reports.ranking(tree["S11"], 2025)
    with django_assert_num_queries(4):
        reports.ranking(tree["C"], 2025)


def test_targets_are_set_by_operators_who_manage_relief(tree):
    operator = make_user("relief-operator@example.com", permissions=[PermissionEnum.MANAGE_RELIEF])
    target = set_target(branch=tree["D1"], year=2025, amount="1000", by=operator)
    again = set_target(branch=tree["D1"], year=2025, minimum_share="0.5", by=operator)
    assert again.pk == target.pk
    assert (again.amount, again.minimum_share) == (None, Decimal("0.5"))
    with pytest.raises(PermissionDenied):
        set_target(branch=tree["D1"], year=2025, amount="1", by=make_user("viewer@example.com", branch=tree["D1"]))
    with pytest.raises(ValidationError):
        set_target(branch=tree["D1"], year=2025, by=operator)
    with pytest.raises(ValidationError):
        set_target(branch=tree["D1"], year=2025, minimum_share="1.5", by=operator)
    assert ReliefTarget.objects.get().minimum_share == Decimal("0.5")

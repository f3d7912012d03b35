"""The demo's relief purchasing: the branch tree, branch staff, targets and a year of paid member orders."""

from datetime import timedelta

from django.db.models import Count, Max, Min
from django.utils import timezone

from accounts.models import User
from branches.models import BranchRole, UnionBranch
from demo.relief_demo import APPROVER_EMAIL, BUYERS, CLERK_EMAIL, DISTRICT_VIEWER_EMAIL
from members.models import MemberProfile
from orders.models import Order, OrderChargeStatus
from relief_sourcing.models import ReliefCertification, ReliefLedgerEntry, ReliefTarget


def test_the_branch_tree_has_48_branches_over_four_levels_under_one_city_federation(demo):
    levels = dict(UnionBranch.objects.order_by().values_list("depth").annotate(n=Count("pk")))
    assert levels == {1: 1, 2: 6, 3: 13, 4: 28}
    (city,) = UnionBranch.objects.filter(depth=1)
    assert (city.code, city.name) == ("SZ", "深圳市总工会")
    # Every grassroots union is a leaf, and every leaf a grassroots union: members belong to level 3.
    assert set(UnionBranch.objects.filter(numchild=0).values_list("depth", flat=True)) == {4}


def test_the_demo_member_stays_in_her_grassroots_union_now_inside_the_tree(demo):
    profile = MemberProfile.objects.select_related("branch").get(user__email="member@demo.union-mall.cn")
    branch = profile.branch
    assert (branch.code, branch.level) == ("GH-NS-001", 3)
    assert [a.name for a in UnionBranch.objects.get_ancestors(branch)] == [
        "深圳市总工会",
        "南山区总工会",
        "南山区粤海街道总工会",
    ]


def test_clerk_and_approver_of_the_members_union_and_a_district_viewer_sign_in(demo, client):
    roles = {
        (role.user.email, role.branch.code, role.role) for role in BranchRole.objects.select_related("user", "branch")
    }
    assert roles == {
        (CLERK_EMAIL, "GH-NS-001", "CLERK"),
        (APPROVER_EMAIL, "GH-NS-001", "APPROVER"),
        (DISTRICT_VIEWER_EMAIL, "SZ-NS", "VIEWER"),
    }
    for email in (CLERK_EMAIL, APPROVER_EMAIL, DISTRICT_VIEWER_EMAIL):
        assert client.login(email=email, password="union-mall-demo")


def test_every_branch_has_a_target_for_this_year(demo):
    year = timezone.localdate().year
    assert ReliefTarget.objects.filter(year=year).count() == 48
    assert ReliefTarget.objects.get(year=year, branch__code="SZ").amount == 60000


def test_a_year_of_paid_orders_by_verified_members_across_grassroots_unions(demo):
    orders = Order.objects.filter(user__email__startswith="buyer")
    assert orders.count() >= 100
    assert not orders.exclude(charge_status=OrderChargeStatus.FULL).exists()
    assert not orders.filter(paid_at__isnull=True).exists()
    buyers = User.objects.filter(email__startswith="buyer", member_profile__verification_status="verified")
    assert buyers.count() == BUYERS
    assert buyers.values("member_profile__branch").distinct().count() == 11
    span = orders.aggregate(first=Min("paid_at"), last=Max("paid_at"))
    now = timezone.now()
    assert now - timedelta(days=366) < span["first"] < now - timedelta(days=300)
    assert now - timedelta(days=60) < span["last"] < now
    # created_at is set to the replayed moment too (the one field set after the fact: auto_now_add).
    assert not [order for order in orders if abs(order.created_at - order.paid_at) > timedelta(seconds=1)]


def test_the_ledger_credits_the_demo_orders_once_certified_products_are_in_the_demo(demo):
    if not ReliefCertification.objects.exists():
        # The demo certifications come with the suppliers helper's catalogue; without them nothing counts.
        assert not ReliefLedgerEntry.objects.exists()
        return
    entries = ReliefLedgerEntry.objects.all()
    assert entries.exists()
    assert set(entries.values_list("branch__depth", flat=True)) == {4}
    assert not entries.exclude(order__user__email__startswith="buyer").exists()
    for entry in entries.select_related("order")[:20]:
        assert entry.occurred_at == entry.order.paid_at

"""The demo's relief purchasing: branch staff accounts, yearly targets, and a year of paid member orders.

The orders are made the way a member makes them — checkout.services, orders.services.complete_checkout,
a card payment recorded as a TransactionItem and orders.charge.refresh_charge_status — so the relief
ledger is written by its own hook, not by the demo. Each order replays a moment in the last 12 months:
complete_checkout and refresh_charge_status take that moment as `now` (prices, availability, paid_at and
the ledger's occurred_at all follow it). Order.created_at is auto_now_add and has no such parameter, so it
is the one field set afterwards, to the same moment, by an UPDATE — documented here and in the README.

Safe to run again: a buyer who already has an order is left alone, and so is an existing account, role
or target.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from branches import services as branch_services
from branches.models import BranchRole, UnionBranch
from catalog import services as catalog_services
from catalog.models import Channel, Merchant, ProductChannelListing, ProductVariant
from checkout import services as checkout_services
from checkout.models import ShippingMethod
from demo import catalogue
from demo.people import with_check_digit
from demo.plans import curated_plans
from demo.unions import DISTRICT_CODE, MEMBER_UNION_CODE, TREE, nodes
from members import services as members
from members.models import MemberProfile
from orders.charge import refresh_charge_status
from orders.models import Order
from orders.services import complete_checkout
from payments.models import TransactionItem
from relief_sourcing.models import ReliefTarget

CLERK_EMAIL = "clerk@demo.union-mall.cn"
APPROVER_EMAIL = "approver@demo.union-mall.cn"
DISTRICT_VIEWER_EMAIL = "district@demo.union-mall.cn"


@dataclass(frozen=True)
class DemoStaff:
    email: str
    last_name: str
    first_name: str
    branch_code: str
    role: str


STAFF = (
    DemoStaff(CLERK_EMAIL, "陈", "经办", MEMBER_UNION_CODE, BranchRole.Role.CLERK),
    DemoStaff(APPROVER_EMAIL, "周", "主席", MEMBER_UNION_CODE, BranchRole.Role.APPROVER),
    DemoStaff(DISTRICT_VIEWER_EMAIL, "黄", "区总", DISTRICT_CODE, BranchRole.Role.VIEWER),
)

BUYERS = 36
BUYER_EMAIL = "buyer{:02d}@demo.union-mall.cn"
# Members buy in eleven of the grassroots unions, so the rankings also show unions with nothing yet.
BUYER_UNIONS = (
    "GH-NS-001", "GH-NS-003", "GH-NS-002", "GH-NS-005", "GH-FT-001", "GH-FT-003",
    "GH-LH-001", "GH-LH-002", "GH-BA-001", "GH-LG-001", "GH-LHQ-001",
)  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN_NAMES = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
)
ORDERS_PER_BUYER = (2, 6)
DAYS_BACK = 360
# Festival months buy more (中秋, 春节): the monthly trend has a shape.
FESTIVAL_MONTHS = {1, 2, 9, 10}
MIN_STOCK = 40  # only variants with this much stock are bought, so the demo never sells out a product

# Yearly targets by level (city, district, street or industry union, grassroots union), in yuan.
TARGETS_BY_LEVEL = (Decimal("60000"), Decimal("15000"), Decimal("5000"), Decimal("1500"))

BUYER_ADDRESS = {
    "country": "CN",
    "country_area": "广东省",
    "city": "深圳市",
    "city_area": "南山区",
    "street_address_1": "粤海街道科技南十二路 2 号",
    "postal_code": "518057",
}


def seed_relief_demo(*, now=None) -> dict:
    """Staff, targets and the year of orders; counts of what exists afterwards."""
    now = now or timezone.now()
    branches = {branch.code: branch for branch in UnionBranch.objects.filter(code__in=[n.code for n, _ in nodes()])}
    password = make_password(catalogue.DEMO_PASSWORD)  # hashed once: PBKDF2 per account would take seconds
    _seed_staff(branches, password)
    _seed_targets(branches, year=timezone.localtime(now).year)
    orders = _seed_orders(branches, password, now=now)
    return {"staff": [staff.email for staff in STAFF], "orders": orders}


# --- Branch staff -----------------------------------------------------------------------------
def _seed_staff(branches: dict[str, UnionBranch], password: str) -> None:
    User = get_user_model()
    operator = User.objects.get(email=catalogue.OPERATOR_EMAIL)
    for staff in STAFF:
        with transaction.atomic():
            user = User.objects.filter(email=staff.email).first()
            if user is None:
                user = User.objects.create_user(
                    staff.email, None, last_name=staff.last_name, first_name=staff.first_name
                )
                user.password = password
                user.save(update_fields=["password"])
            branch = branches[staff.branch_code]
            branch_services.assign_role(user=user, branch=branch, role=staff.role, by=operator)


# --- Targets ----------------------------------------------------------------------------------
def _seed_targets(branches: dict[str, UnionBranch], *, year: int) -> None:
    """An amount per branch for the year, by level; an existing target is kept as it is."""
    existing = set(ReliefTarget.objects.filter(year=year).values_list("branch_id", flat=True))
    for node, _ in nodes(TREE):
        branch = branches[node.code]
        if branch.pk in existing:
            continue
        target = ReliefTarget(branch=branch, year=year, amount=TARGETS_BY_LEVEL[branch.level])
        target.full_clean()
        target.save()


# --- The year of member orders ----------------------------------------------------------------
def _seed_orders(branches: dict[str, UnionBranch], password: str, *, now) -> int:
    User = get_user_model()
    rng = random.Random(13)  # the same demo on every machine
    channel = Channel.objects.get(slug=catalogue.CHANNEL_SLUG)
    operator = User.objects.get(email=catalogue.OPERATOR_EMAIL)
    shipping = ShippingMethod.objects.filter(name="标准快递").first()
    variants = _relief_variants(channel, now=now)
    if not variants or shipping is None:
        return 0
    _on_sale_for_the_year(channel, variants, since=now - timedelta(days=DAYS_BACK + 1))
    made = 0
    for number in range(1, BUYERS + 1):
        buyer_rng = random.Random(rng.random())
        email = BUYER_EMAIL.format(number)
        if Order.objects.filter(user__email=email).exists():
            continue
        union = branches[BUYER_UNIONS[(number - 1) % len(BUYER_UNIONS)]]
        made += _seed_buyer(number, email, union, password, operator, channel, shipping, variants, buyer_rng, now)
    return made


def _relief_variants(channel: Channel, *, now) -> list[ProductVariant]:
    """Relief suppliers' variants on sale now with stock to spare, in a fixed order (presales stay presales).
    Only the hand-made catalogue's: the year of orders is the same demo however many products are generated."""
    listed = ProductChannelListing.objects.filter(
        channel=channel, is_published=True, available_for_purchase_at__lte=now
    ).values("product_id")
    return list(
        ProductVariant.objects.filter(
            product__slug__in=[plan.slug for plan in curated_plans()],
            product__merchant__kind=Merchant.Kind.RELIEF_SUPPLIER,
            product_id__in=listed,
            stocks__quantity__gte=MIN_STOCK,
        )
        .distinct()
        .order_by("sku")
    )


def _on_sale_for_the_year(channel: Channel, variants: list[ProductVariant], *, since) -> None:
    """The demo catalogue is published when seeded; the products the year of orders buys are put on sale
    from a year ago through catalog.services, as if they had been listed then."""
    product_ids = {variant.product_id for variant in variants}
    late = ProductChannelListing.objects.filter(channel=channel, product_id__in=product_ids).filter(
        Q(available_for_purchase_at__gt=since) | Q(published_at__gt=since)
    )
    for listing in late.select_related("product"):
        catalog_services.publish_product(
            product=listing.product,
            channel=channel,
            is_published=True,
            published_at=since,
            available_for_purchase_at=since,
            visible_in_listings=listing.visible_in_listings,
        )


@transaction.atomic
def _seed_buyer(number, email, union, password, operator, channel, shipping, variants, rng, now) -> int:
    buyer = _verified_buyer(number, email, union, password, operator, rng)
    moments = sorted(_moment(rng, now) for _ in range(rng.randint(*ORDERS_PER_BUYER)))
    for moment in moments:
        lines = [(variant, rng.randint(1, 3)) for variant in rng.sample(variants, k=rng.randint(1, 3))]
        _paid_order(buyer, channel, shipping, lines, moment)
    return len(moments)


def _verified_buyer(number, email, union, password, operator, rng):
    User = get_user_model()
    last_name = SURNAMES[number % len(SURNAMES)]
    first_name = GIVEN_NAMES[(number * 7) % len(GIVEN_NAMES)]
    buyer = User.objects.filter(email=email).first()
    if buyer is None:
        buyer = User.objects.create_user(
            email, None, last_name=last_name, first_name=first_name, phone=f"+86139{20260000 + number}"
        )
        buyer.password = password
        buyer.save(update_fields=["password"])
    profile = MemberProfile.objects.filter(user=buyer).first()
    if profile is None or profile.verification_status != MemberProfile.VerificationStatus.VERIFIED:
        # Born 1991–2003 in 南山区 (440305, a district only since 1990: stdnum checks the code at birth).
        born = f"{1991 + number % 13}{1 + number % 12:02d}{1 + number % 28:02d}"
        profile = members.request_verification(
            user=buyer,
            real_name=f"{last_name}{first_name}",
            id_number=with_check_digit(f"440305{born}{500 + number:03d}"),
            branch=union,
        )
        members.approve_verification(operator=operator, profile=profile)
    return buyer


def _moment(rng: random.Random, now):
    """A moment in the last DAYS_BACK days, in shop hours, festival months twice as likely."""
    while True:
        moment = now - timedelta(days=rng.randint(1, DAYS_BACK), hours=rng.randint(0, 9), minutes=rng.randint(0, 59))
        if timezone.localtime(moment).month in FESTIVAL_MONTHS or rng.random() < 0.5:
            return moment


def _paid_order(buyer, channel, shipping, lines, moment) -> Order:
    address = {**BUYER_ADDRESS, "last_name": buyer.last_name, "first_name": buyer.first_name, "phone": buyer.phone}
    checkout = checkout_services.create_checkout(
        channel=channel, user=buyer, lines=lines, shipping_address=address, billing_address=address
    )
    checkout_services.set_delivery_method(checkout, shipping.pk, requestor=buyer)
    order, _ = complete_checkout(checkout, user=buyer, now=moment)
    order = Order.objects.select_for_update().get(pk=order.pk)
    TransactionItem.objects.create(order=order, amount_charged=order.total_amount)
    refresh_charge_status(order, now=moment)
    # auto_now_add has no `now`: the one field set afterwards, to the moment the order replays.
    Order.objects.filter(pk=order.pk).update(created_at=moment)
    return order

"""合规检查 (compliance check) of a bulk order: shown live while the order is built, enforced on submit.

`check(bulk_order)` returns one Finding per rule, passing or failing, each explained in Chinese:

- FESTIVAL_GIFT_CAP: per member (a recipient, identified by mobile number) and calendar year, the
  festival gifts of the branch's bulk orders that are not canceled or rejected, this one included,
  stay within BULK_FESTIVAL_GIFT_CAP_PER_MEMBER. Measured at list prices (售价 / the pack's price),
  before volume discounts: one SQL aggregate over all the year's orders, and never lower than what
  was paid, so the cap is never exceeded by a discount computed later. Quick-order lines (no
  recipient, delivered to the branch) are not any one member's gift and do not count.
- RELIEF_SHARE: the share of this order's value that is relief-certified today
  (relief_sourcing.selectors.current_certifications) reaches the branch's ReliefTarget.minimum_share
  for the year, or RELIEF_MINIMUM_SHARE_DEFAULT. A gift pack counts by the list value of its
  certified components. An empty order passes (nothing to measure).
- PROCUREMENT_QUOTES: above BULK_QUOTES_THRESHOLD three QUOTE attachments or one MINUTES attachment.
- PROCUREMENT_TENDER: above BULK_TENDER_THRESHOLD the order is refused: 需要招标.
- CASH_LIKE: no cash-like items. A gift pack marked is_cash_like, a pack holding such a variant, or a
  variant whose product type or product name contains one of CASH_LIKE_WORDS (购物卡, 礼品卡, 储值卡,
  代金券, 提货券, 礼券, 卡券, 充值卡) is cash-like.

The number of queries does not depend on the number of lines.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from bulk_orders.models import BulkOrder, BulkOrderAttachment, BulkOrderLine, BulkOrderStatus, GiftPackItem
from bulk_orders.pricing import price_bulk_order, quantize

FESTIVAL_GIFT_CAP = "FESTIVAL_GIFT_CAP"
RELIEF_SHARE = "RELIEF_SHARE"
PROCUREMENT_QUOTES = "PROCUREMENT_QUOTES"
PROCUREMENT_TENDER = "PROCUREMENT_TENDER"
CASH_LIKE = "CASH_LIKE"
RULES = [FESTIVAL_GIFT_CAP, RELIEF_SHARE, PROCUREMENT_QUOTES, PROCUREMENT_TENDER, CASH_LIKE]

CASH_LIKE_WORDS = ("购物卡", "礼品卡", "储值卡", "代金券", "提货券", "礼券", "卡券", "充值卡")
NAMED_AT_MOST = 5
QUOTES_NEEDED = 3
NOT_COUNTED = (BulkOrderStatus.CANCELED, BulkOrderStatus.REJECTED)


@dataclass(frozen=True)
class Finding:
    rule: str
    ok: bool
    message: str
    details: dict = field(default_factory=dict)


def is_cash_like_variant(variant) -> bool:
    product = variant.product
    text = f"{product.product_type.name} {product.name} {variant.name}"
    return any(word in text for word in CASH_LIKE_WORDS)


def check(bulk_order: BulkOrder) -> list[Finding]:
    lines, prices = price_bulk_order(bulk_order)
    pack_items = _pack_items({line.gift_pack_id for line in lines if line.gift_pack_id})
    return [
        _festival_gift_cap(bulk_order),
        _relief_share(bulk_order, lines, prices, pack_items),
        *_procurement(bulk_order, prices.total),
        _cash_like(lines, pack_items),
    ]


def failures(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if not finding.ok]


def _pack_items(pack_ids) -> dict[int, list[GiftPackItem]]:
    items = defaultdict(list)
    if pack_ids:
        for item in GiftPackItem.objects.filter(pack_id__in=pack_ids).select_related("variant__product__product_type"):
            items[item.pack_id].append(item)
    return items


def _festival_gift_cap(bulk_order: BulkOrder) -> Finding:
    cap = quantize(settings.BULK_FESTIVAL_GIFT_CAP_PER_MEMBER)
    year = bulk_order.created_at.year
    value = ExpressionWrapper(
        F("quantity") * Coalesce(F("gift_pack__price_amount"), F("variant__price_amount")),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )
    over = list(
        BulkOrderLine.objects.filter(
            Q(bulk_order=bulk_order)
            | Q(
                bulk_order__branch_id=bulk_order.branch_id,
                bulk_order__created_at__year=year,
            )
            & ~Q(bulk_order__status__in=NOT_COUNTED),
            recipient__isnull=False,
            recipient__phone__in=BulkOrderLine.objects.filter(bulk_order=bulk_order, recipient__isnull=False).values(
                "recipient__phone"
            ),
        )
        .values("recipient__phone")
        .annotate(amount=Sum(value))
        .filter(amount__gt=cap)
        .order_by("-amount", "recipient__phone")
    )
    if not over:
        return Finding(FESTIVAL_GIFT_CAP, True, f"每位会员本年度节日慰问品合计未超过 {cap} 元。", {"cap": str(cap)})
    named = over[:NAMED_AT_MOST]
    listed = "、".join(f"{_masked(row['recipient__phone'])}（{quantize(row['amount'])} 元）" for row in named)
    more = f"等 {len(over)} 人" if len(over) > NAMED_AT_MOST else f"共 {len(over)} 人"
    return Finding(
        FESTIVAL_GIFT_CAP,
        False,
        f"以下会员本年度节日慰问品合计超过每人 {cap} 元的上限：{listed}，{more}。",
        {
            "cap": str(cap),
            "count": len(over),
            "members": [{"phone": row["recipient__phone"], "amount": str(quantize(row["amount"]))} for row in named],
        },
    )


def _masked(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 11 else phone


def minimum_share_for(bulk_order: BulkOrder) -> Decimal:
    from relief_sourcing.models import ReliefTarget

    share = (
        ReliefTarget.objects.filter(branch_id=bulk_order.branch_id, year=bulk_order.created_at.year)
        .values_list("minimum_share", flat=True)
        .first()
    )
    return Decimal(share if share is not None else settings.RELIEF_MINIMUM_SHARE_DEFAULT)


def _relief_share(bulk_order, lines, prices, pack_items) -> Finding:
    from relief_sourcing.selectors import current_certifications

    minimum = minimum_share_for(bulk_order)
    product_ids = {line.variant.product_id for line in lines if line.variant_id}
    product_ids |= {item.variant.product_id for items in pack_items.values() for item in items}
    certified = current_certifications(product_ids) if product_ids else {}
    relief = Decimal("0")
    for line in lines:
        total = prices.lines[line.pk].total
        if line.variant_id:
            if line.variant.product_id in certified:
                relief += total
            continue
        items = pack_items.get(line.gift_pack_id, [])
        whole = sum((item.variant.price_amount * item.quantity for item in items), Decimal("0"))
        part = sum(
            (item.variant.price_amount * item.quantity for item in items if item.variant.product_id in certified),
            Decimal("0"),
        )
        if whole:
            relief += total * part / whole
    relief = quantize(relief)
    details = {"minimum": str(minimum), "relief": str(relief), "total": str(prices.total)}
    percent_min = f"{minimum * 100:.0f}%"
    if not prices.total:
        return Finding(RELIEF_SHARE, True, f"帮扶产品占比要求不低于 {percent_min}（采购单暂无金额）。", details)
    share = relief / prices.total
    details["share"] = str(share.quantize(Decimal("0.0001")))
    text = f"帮扶产品金额 {relief} 元，占本单 {prices.total} 元的 {share * 100:.1f}%"
    if share >= minimum:
        return Finding(RELIEF_SHARE, True, f"{text}，不低于 {percent_min} 的要求。", details)
    needed = quantize(prices.total * minimum - relief)
    return Finding(
        RELIEF_SHARE,
        False,
        f"{text}，低于本工会 {percent_min} 的最低帮扶占比，还需增加约 {needed} 元帮扶产品。",
        details,
    )


def _procurement(bulk_order, total: Decimal) -> list[Finding]:
    quotes_threshold = quantize(settings.BULK_QUOTES_THRESHOLD)
    tender_threshold = quantize(settings.BULK_TENDER_THRESHOLD)
    counts = BulkOrderAttachment.objects.filter(bulk_order=bulk_order).aggregate(
        quotes=Count("pk", filter=Q(kind=BulkOrderAttachment.Kind.QUOTE)),
        minutes=Count("pk", filter=Q(kind=BulkOrderAttachment.Kind.MINUTES)),
    )
    details = {"total": str(total), "threshold": str(quotes_threshold), **counts}
    if total <= quotes_threshold:
        quotes = Finding(PROCUREMENT_QUOTES, True, f"金额未超过 {quotes_threshold} 元，无需比价材料。", details)
    elif counts["quotes"] >= QUOTES_NEEDED or counts["minutes"]:
        quotes = Finding(PROCUREMENT_QUOTES, True, "已上传三方报价单或会议纪要。", details)
    else:
        quotes = Finding(
            PROCUREMENT_QUOTES,
            False,
            f"金额 {total} 元超过 {quotes_threshold} 元，需上传至少 {QUOTES_NEEDED} 份报价单"
            f"（已上传 {counts['quotes']} 份）或一份会议纪要。",
            details,
        )
    tender_details = {"total": str(total), "threshold": str(tender_threshold)}
    if total > tender_threshold:
        tender = Finding(
            PROCUREMENT_TENDER,
            False,
            f"金额 {total} 元超过 {tender_threshold} 元，需要招标，不能通过商城采购。",
            tender_details,
        )
    else:
        tender = Finding(PROCUREMENT_TENDER, True, f"金额未超过 {tender_threshold} 元的招标限额。", tender_details)
    return [quotes, tender]


def _cash_like(lines, pack_items) -> Finding:
    skus = []
    for line in lines:
        if line.variant_id:
            if is_cash_like_variant(line.variant):
                skus.append(line.variant.sku)
        elif line.gift_pack.is_cash_like or any(
            is_cash_like_variant(item.variant) for item in pack_items.get(line.gift_pack_id, [])
        ):
            skus.append(line.gift_pack.sku)
    skus = sorted(set(skus))
    if not skus:
        return Finding(CASH_LIKE, True, "不含购物卡、代金券等类现金物品。", {"skus": []})
    return Finding(
        CASH_LIKE,
        False,
        f"工会经费不得购买购物卡、代金券等类现金物品，请移除：{'、'.join(skus)}。",
        {"skus": skus},
    )

"""Bulk order types of the API: BulkOrder with its lines, recipients, transitions and compliance.

A bulk order is readable by whoever sees its branch (branches.selectors: the branch's staff and
those above it, operators); anyone else gets null, as if it did not exist. Its lines are priced
once per bulk order and request (two queries at any size), its compliance check is run once.
"""

import graphene
from django.urls import reverse
from graphene import relay
from graphene.types.generic import GenericScalar

from branches.graphql import dataloaders as branch_loaders
from branches.graphql.types import UnionBranch, scope_for
from bulk_orders import compliance
from bulk_orders.graphql import delivery as delivery_api
from bulk_orders.models import BulkOrder as BulkOrderModel
from bulk_orders.models import BulkOrderStatus
from bulk_orders.models import BulkRecipient as BulkRecipientModel
from bulk_orders.notices import PUBLIC_STATUSES
from bulk_orders.pricing import order_totals, price_bulk_orders
from mall.graphql.dataloaders import DataLoader, note_siblings
from mall.graphql.pagination import CountableConnection, connection_field, paginate
from mall.graphql.types import Money
from mall.money import Money as MoneyValue
from orders.graphql.types import uuid_from_global_id

BulkOrderStatusEnum = graphene.Enum(
    "BulkOrderStatusEnum",
    [(value, value) for value in BulkOrderStatus.values],
    description="Status of a bulk order: DRAFT → SUBMITTED → APPROVED or REJECTED → PLACED → PAID → FULFILLED, "
    "or CANCELED before it is paid.",
)
BulkOrderPaymentMethodEnum = graphene.Enum(
    "BulkOrderPaymentMethodEnum",
    [(value, value) for value in BulkOrderModel.PaymentMethod.values],
    description="How a bulk order is paid: TRANSFER (对公转账) or CARD.",
)


def visible_bulk_orders(info):
    """The bulk orders of the branches the requestor sees (none for anyone else)."""
    scope = scope_for(info)
    if scope.empty:
        return BulkOrderModel.objects.none()
    if scope.everything:
        return BulkOrderModel.objects.all()
    return BulkOrderModel.objects.filter(branch__in=scope.branches())


def bulk_order_by_global_id(info, global_id: str) -> BulkOrderModel | None:
    pk = uuid_from_global_id(global_id, "BulkOrder")
    return visible_bulk_orders(info).select_related("branch", "created_by", "order").filter(pk=pk).first()


def _money(amount, currency) -> MoneyValue:
    return MoneyValue(amount, currency)


class PricedLinesByBulkOrderIdLoader(DataLoader):
    """Key bulk order pk → (lines, prices): two queries for a bulk order and its siblings."""

    kind = "bulk_order"

    def batch_load(self, keys):
        priced = price_bulk_orders(keys)
        return [priced[key] for key in keys]


class TotalsByBulkOrderIdLoader(DataLoader):
    """Key bulk order pk → (total, undiscounted total). A page of bulk orders sums its lines in SQL per
    order and item (two queries, whatever their number of lines); a bulk order read alone is priced
    with its lines, which its `lines` field then reuses."""

    kind = "bulk_order"

    def batch_load(self, keys):
        lines_loader = PricedLinesByBulkOrderIdLoader(self.context)
        if len(keys) == 1:
            lines_loader.load(keys[0])
        missing = [key for key in keys if key not in lines_loader.cache]
        totals = order_totals(missing) if missing else {}
        for key in keys:
            if key in lines_loader.cache:
                prices = lines_loader.cache[key][1]
                totals[key] = (prices.total, prices.undiscounted_total)
        return [totals[key] for key in keys]


def register_bulk_orders(context, bulk_orders) -> list:
    """Bulk orders handed out together: their prices and branches load for all of them at once."""
    bulk_orders = [bulk_order for bulk_order in bulk_orders if bulk_order is not None]
    note_siblings(context, "bulk_order", [bulk_order.pk for bulk_order in bulk_orders])
    # Read with their branch (select_related): the branch loader starts from those rows.
    branch_loaders.register_branches(context, [bulk_order.branch for bulk_order in bulk_orders])
    return bulk_orders


def _priced(info, bulk_order):
    """(lines, prices) of `bulk_order`, computed once per request (with its siblings')."""
    return PricedLinesByBulkOrderIdLoader(info.context).load(bulk_order.pk)


def _findings(info, bulk_order):
    cache = info.context.__dict__.setdefault("_bulk_order_compliance", {})
    if bulk_order.pk not in cache:
        cache[bulk_order.pk] = compliance.check(bulk_order)
    return cache[bulk_order.pk]


class BulkOrderComplianceFinding(graphene.ObjectType):
    rule = graphene.String(
        required=True,
        description="FESTIVAL_GIFT_CAP, RELIEF_SHARE, PROCUREMENT_QUOTES, PROCUREMENT_TENDER or CASH_LIKE.",
    )
    ok = graphene.Boolean(required=True, description="Whether the order passes the rule.")
    message = graphene.String(required=True, description="The rule's outcome explained in Chinese.")
    details = GenericScalar(description="The figures behind the outcome (amounts, counts, SKUs, members).")

    class Meta:
        description = "Union Mall extension: one rule of a bulk order's compliance check (合规检查)."


class BulkOrderCompliance(graphene.ObjectType):
    passed = graphene.Boolean(required=True, description="Whether every rule passes: the order may be submitted.")
    findings = graphene.NonNull(graphene.List(graphene.NonNull(BulkOrderComplianceFinding)))

    class Meta:
        description = "Union Mall extension: a bulk order's compliance check, as submitting would run it."


def compliance_result(findings) -> dict:
    return {"passed": all(finding.ok for finding in findings), "findings": findings}


class BulkOrderLine(graphene.ObjectType):
    sku = graphene.String(required=True, description="SKU of the variant or gift pack.")
    name = graphene.String(required=True, description="Product (and variant) name, or the gift pack's name.")
    is_gift_pack = graphene.Boolean(required=True)
    quantity = graphene.Int(required=True)
    recipient_name = graphene.String(description="The recipient's name; null for a quick-order line.")
    row_number = graphene.Int(description="The recipient list row it came from.")
    undiscounted_unit_price = graphene.Field(Money, required=True, description="List price of one unit.")
    unit_price = graphene.Field(Money, required=True, description="Price of one unit after the volume tier.")
    discount_percent = graphene.Float(required=True, description="The volume tier's discount (0 without one).")
    total_price = graphene.Field(Money, required=True)

    class Meta:
        interfaces = (relay.Node,)
        description = "Union Mall extension: a line of a bulk order: a variant or gift pack and how many."

    @staticmethod
    def resolve_sku(root, _info):
        return root.variant.sku if root.variant_id else root.gift_pack.sku

    @staticmethod
    def resolve_name(root, _info):
        if root.gift_pack_id:
            return root.gift_pack.name
        return f"{root.variant.product.name} {root.variant.name}".strip()

    @staticmethod
    def resolve_is_gift_pack(root, _info):
        return root.gift_pack_id is not None

    @staticmethod
    def resolve_recipient_name(root, _info):
        return root.recipient.name if root.recipient_id else None

    @staticmethod
    def resolve_undiscounted_unit_price(root, _info):
        return _money(root.price.undiscounted_unit_price, root.bulk_order_currency)

    @staticmethod
    def resolve_unit_price(root, _info):
        return _money(root.price.unit_price, root.bulk_order_currency)

    @staticmethod
    def resolve_discount_percent(root, _info):
        return float(root.price.discount_percent)

    @staticmethod
    def resolve_total_price(root, _info):
        return _money(root.price.total, root.bulk_order_currency)


class BulkRecipient(graphene.ObjectType):
    name = graphene.String(required=True)
    phone = graphene.String(required=True)
    province = graphene.String(required=True)
    city = graphene.String(required=True)
    district = graphene.String(required=True)
    street_address = graphene.String(required=True)
    row_number = graphene.Int(description="The recipient list row (header is row 1).")
    mobile = graphene.String(required=True, description="The mobile number, masked (138****0001).")
    delivery_status = graphene.Field(delivery_api.BulkRecipientDeliveryStatusEnum, required=True)
    tracking_numbers = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)), description="Tracking numbers of the parcels sent."
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Union Mall extension: a recipient of a bulk order's gifts (收件人)."

    resolve_mobile = staticmethod(delivery_api.resolve_mobile)
    resolve_delivery_status = staticmethod(delivery_api.resolve_delivery_status)
    resolve_tracking_numbers = staticmethod(delivery_api.resolve_tracking_numbers)


class BulkRecipientCountableConnection(CountableConnection):
    class Meta:
        node = BulkRecipient


class BulkOrderTransition(graphene.ObjectType):
    from_status = graphene.Field(BulkOrderStatusEnum, description="Null for the creation.")
    to_status = graphene.Field(BulkOrderStatusEnum, required=True)
    user_email = graphene.String(required=True, description="Who made the step.")
    comment = graphene.String(required=True, description="The comment, or the reason of a rejection.")
    created_at = graphene.DateTime(required=True)

    class Meta:
        description = "Union Mall extension: one step of a bulk order's workflow (流转记录)."

    @staticmethod
    def resolve_from_status(root, _info):
        return BulkOrderStatusEnum.get(str(root.from_status)) if root.from_status else None

    @staticmethod
    def resolve_to_status(root, _info):
        return BulkOrderStatusEnum.get(str(root.to_status))

    @staticmethod
    def resolve_user_email(root, _info):
        return root.user.email


class BulkOrder(graphene.ObjectType):
    number = graphene.String(required=True, description="The bulk order's number, e.g. CG1001.")
    name = graphene.String(required=True)
    note = graphene.String(required=True)
    status = graphene.Field(BulkOrderStatusEnum, required=True)
    branch = graphene.Field(UnionBranch, required=True, description="The branch union buying.")
    payment_reference = graphene.String(
        required=True, description="The code a bank transfer's remark must carry (付款识别码)."
    )
    payment_method = graphene.Field(BulkOrderPaymentMethodEnum, required=True)
    rejection_reason = graphene.String(description="Why it was rejected; null unless REJECTED.")
    total = graphene.Field(Money, required=True, description="What the order costs, volume tiers applied.")
    undiscounted_total = graphene.Field(Money, required=True, description="The order at list prices.")
    lines = graphene.NonNull(graphene.List(graphene.NonNull(BulkOrderLine)))
    recipients = connection_field(BulkRecipientCountableConnection, description="The recipients, in row order.")
    transitions = graphene.NonNull(
        graphene.List(graphene.NonNull(BulkOrderTransition)), description="The workflow's timeline, oldest first."
    )
    compliance = graphene.Field(BulkOrderCompliance, required=True, description="The compliance check, live.")
    order_number = graphene.String(description="The number of the order placing made; null before.")
    delivery_progress = graphene.Field(
        delivery_api.BulkOrderDeliveryProgress, required=True, description="How far delivery has got."
    )
    approved_at = graphene.DateTime(description="When it was approved; null before.")
    purchase_plan_url = graphene.String(
        description="The purchase plan (采购计划, XLSX) to download, for the branch's staff and operators; null "
        "before approval. The plan is the one approved: prices, names and people as they were then."
    )
    notice_url = graphene.String(
        description="The public notice page (采购公示) while the order goes ahead after approval; null otherwise."
    )
    created_by_email = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)

    class Meta:
        interfaces = (relay.Node,)
        description = "Union Mall extension: a branch union's bulk order (采购单)."

    @classmethod
    def get_node(cls, info, id):  # noqa: A002 (graphene's name)
        return visible_bulk_orders(info).select_related("branch").filter(pk=id).first()

    @staticmethod
    def resolve_number(root, _info):
        return str(root)

    @staticmethod
    def resolve_status(root, _info):
        return BulkOrderStatusEnum.get(str(root.status))

    @staticmethod
    def resolve_payment_method(root, _info):
        return BulkOrderPaymentMethodEnum.get(str(root.payment_method))

    @staticmethod
    def resolve_rejection_reason(root, _info):
        return root.rejection_reason or None

    @staticmethod
    def resolve_branch(root, info):
        return branch_loaders.UnionBranchByIdLoader(info.context).load(root.branch_id)

    @staticmethod
    def resolve_total(root, info):
        return _money(TotalsByBulkOrderIdLoader(info.context).load(root.pk)[0], root.currency)

    @staticmethod
    def resolve_undiscounted_total(root, info):
        return _money(TotalsByBulkOrderIdLoader(info.context).load(root.pk)[1], root.currency)

    @staticmethod
    def resolve_lines(root, info):
        lines, prices = _priced(info, root)
        for line in lines:
            line.price = prices.lines[line.pk]
            line.bulk_order_currency = root.currency
        return lines

    @staticmethod
    def resolve_recipients(root, info, **args):
        connection = paginate(
            BulkRecipientModel.objects.filter(bulk_order=root),
            info,
            args,
            ordering=["row_number", "pk"],
            connection_type=BulkRecipientCountableConnection,
        )
        return delivery_api.register_recipients(info.context, connection)

    @staticmethod
    def resolve_transitions(root, _info):
        return list(root.transitions.select_related("user").order_by("created_at", "pk"))

    @staticmethod
    def resolve_compliance(root, info):
        return compliance_result(_findings(info, root))

    resolve_delivery_progress = staticmethod(delivery_api.resolve_delivery_progress)

    @staticmethod
    def resolve_order_number(root, _info):
        return str(root.order.number) if root.order_id else None

    @staticmethod
    def resolve_purchase_plan_url(root, info):
        if root.purchase_plan is None:
            return None
        path = reverse("storefront:bulk_plan_xlsx", kwargs={"code": root.branch.code, "number": str(root)})
        return info.context.build_absolute_uri(path)

    @staticmethod
    def resolve_notice_url(root, info):
        if root.purchase_plan is None or root.status not in PUBLIC_STATUSES:
            return None
        return info.context.build_absolute_uri(reverse("storefront:bulk_notice", kwargs={"number": str(root)}))

    @staticmethod
    def resolve_created_by_email(root, _info):
        return root.created_by.email


class BulkOrderCountableConnection(CountableConnection):
    class Meta:
        node = BulkOrder

"""What the checkout services refuse: DomainErrors with Saleor's CheckoutErrorCode values.

Each class carries its code and a Chinese default message; a service raises it with the input
field concerned (`field="quantity"`) and, where Saleor's CheckoutError has them, the global IDs of
the variants or lines at fault (`variants=[...]`, `lines=[...]`) or the address type
(`address_type="shipping"`). The API turns them into `errors { field message code variants }`.
"""

from mall.errors import DomainError
from mall.graphql.ids import to_global_id


def variant_ids(variants) -> list[str]:
    """Global IDs of variants (rows or primary keys), for an error's `variants`."""
    return [to_global_id("ProductVariant", getattr(variant, "pk", variant)) for variant in variants]


def line_ids(lines) -> list[str]:
    """Global IDs of checkout lines (rows or primary keys), for an error's `lines`."""
    return [to_global_id("CheckoutLine", getattr(line, "pk", line)) for line in lines]


class CheckoutDomainError(DomainError):
    """A refusal of a checkout service; subclasses set the code and the default message."""

    code = "INVALID"
    default_message = "输入无效。"

    def __init__(self, message: str | None = None, *, field: str | None = None, **extra):
        super().__init__(message or self.default_message, field=field, **extra)


class CheckoutInvalid(CheckoutDomainError):
    code = "INVALID"


class CheckoutRequired(CheckoutDomainError):
    code = "REQUIRED"
    default_message = "此项为必填项。"


class CheckoutNotFound(CheckoutDomainError):
    code = "NOT_FOUND"
    default_message = "找不到该购物车。"


class ChannelInactive(CheckoutDomainError):
    code = "CHANNEL_INACTIVE"
    default_message = "该销售渠道已停用。"


class ZeroQuantity(CheckoutDomainError):
    code = "ZERO_QUANTITY"
    default_message = "数量必须大于 0。"


class QuantityGreaterThanLimit(CheckoutDomainError):
    code = "QUANTITY_GREATER_THAN_LIMIT"
    default_message = "超过了每单限购数量。"


class InsufficientStock(CheckoutDomainError):
    code = "INSUFFICIENT_STOCK"
    default_message = "库存不足。"


class ProductNotPublished(CheckoutDomainError):
    code = "PRODUCT_NOT_PUBLISHED"
    default_message = "商品未上架。"


class ProductUnavailableForPurchase(CheckoutDomainError):
    code = "PRODUCT_UNAVAILABLE_FOR_PURCHASE"
    default_message = "商品暂不可购买。"


class UnavailableVariantInChannel(CheckoutDomainError):
    code = "UNAVAILABLE_VARIANT_IN_CHANNEL"
    default_message = "该商品在此渠道不销售。"


class ShippingNotRequired(CheckoutDomainError):
    code = "SHIPPING_NOT_REQUIRED"
    default_message = "购物车中的商品无需配送。"


class ShippingAddressNotSet(CheckoutDomainError):
    code = "SHIPPING_ADDRESS_NOT_SET"
    default_message = "请先填写收货地址。"


class BillingAddressNotSet(CheckoutDomainError):
    code = "BILLING_ADDRESS_NOT_SET"
    default_message = "请先填写账单地址。"


class ShippingMethodNotSet(CheckoutDomainError):
    code = "SHIPPING_METHOD_NOT_SET"
    default_message = "请选择配送方式。"


class ShippingMethodNotApplicable(CheckoutDomainError):
    code = "SHIPPING_METHOD_NOT_APPLICABLE"
    default_message = "该配送方式不适用于此收货地址或订单金额。"


class DeliveryMethodNotApplicable(CheckoutDomainError):
    code = "DELIVERY_METHOD_NOT_APPLICABLE"
    default_message = "该配送方式不适用于此收货地址或订单金额。"


class InvalidShippingMethod(CheckoutDomainError):
    code = "INVALID_SHIPPING_METHOD"
    default_message = "所选配送方式已不可用，请重新选择。"


class VoucherNotApplicable(CheckoutDomainError):
    code = "VOUCHER_NOT_APPLICABLE"
    default_message = "该优惠券不适用于此购物车。"


class EmailNotSet(CheckoutDomainError):
    code = "EMAIL_NOT_SET"
    default_message = "请填写电子邮箱。"


class NoLines(CheckoutDomainError):
    code = "NO_LINES"
    default_message = "购物车是空的。"


class CheckoutNotFullyPaid(CheckoutDomainError):
    code = "CHECKOUT_NOT_FULLY_PAID"
    default_message = "订单尚未付清。"


class InsufficientAllowance(CheckoutDomainError):
    """Union Mall's own code: the member's welfare allowance cannot cover what was asked."""

    code = "INSUFFICIENT_ALLOWANCE"
    default_message = "福利额度不足。"


class AddressInvalid(CheckoutDomainError):
    """An address that accounts.addresses refused. The first refusal is the error's own field and
    message; `errors` holds all of them ({model field: [ValidationError]}) for forms."""

    def __init__(self, message: str, *, field: str, code: str, address_type: str, errors: dict):
        super().__init__(message, field=field, address_type=address_type)
        self.code = code.upper()
        self.errors = errors

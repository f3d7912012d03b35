"""What the pages say when a service refuses: the service's own message when it is written for shoppers
(Chinese), otherwise a Chinese sentence for its Saleor error code, never an English or internal text."""

import re

from mall.errors import DomainError

# Saleor's CheckoutErrorCode / OrderErrorCode / TransactionErrorCode values the pages can meet.
MESSAGES_BY_CODE = {
    "INSUFFICIENT_STOCK": "库存不足，请减少数量或稍后再来。",
    "QUANTITY_GREATER_THAN_LIMIT": "超过了每人限购数量。",
    "PRODUCT_NOT_PUBLISHED": "该商品已下架。",
    "PRODUCT_UNAVAILABLE_FOR_PURCHASE": "该商品暂不可购买。",
    "UNAVAILABLE_VARIANT_IN_CHANNEL": "该规格暂不可购买。",
    "NOT_FOUND": "找不到该商品或订单，请刷新页面后重试。",
    "REQUIRED": "请填写必填项。",
    "INVALID": "填写的内容有误，请检查后重试。",
    "SHIPPING_METHOD_NOT_SET": "请选择配送方式。",
    "SHIPPING_ADDRESS_NOT_SET": "请填写收货地址。",
    "EMAIL_NOT_SET": "请填写电子邮箱。",
    "INVALID_SHIPPING_METHOD": "该配送方式不适用于您的收货地址，请重新选择。",
    "VOUCHER_NOT_APPLICABLE": "该优惠码不适用于当前订单。",
    "NO_LINES": "购物车是空的。",
    "ZERO_QUANTITY": "数量至少为 1。",
    "INSUFFICIENT_ALLOWANCE": "福利额度余额不足，请刷新后重试。",
    "CHECKOUT_NOT_FULLY_PAID": "订单尚未付清。",
    "CANNOT_CANCEL_ORDER": "该订单已无法取消。",
    "PAYMENT_ERROR": "支付未成功，请重试或换一张卡。",
    "GRAPHQL_ERROR": "操作未成功，请稍后重试。",
}
FALLBACK = "操作未成功，请刷新页面后重试。"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def service_message(error: Exception) -> str:
    message = getattr(error, "message", "") or str(error)
    if CHINESE.search(message):
        return message
    code = getattr(error, "code", None) if isinstance(error, DomainError) else None
    return MESSAGES_BY_CODE.get(code, FALLBACK)

"""The order e-mails' text, in Chinese, sent through Django's mail backend."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from orders.models import Fulfillment, Order


def _yuan(amount) -> str:
    return f"¥{amount:.2f}"


def _line_rows(order: Order) -> list[str]:
    return [f"· {line} × {line.quantity}  {_yuan(line.total_price_amount)}" for line in order.lines.all()]


def _totals(order: Order) -> list[str]:
    rows = [f"商品小计：{_yuan(order.subtotal_amount)}"]
    if order.discount_amount:
        rows.append(f"优惠：-{_yuan(order.discount_amount)}")
    rows.append(f"运费：{_yuan(order.shipping_price_amount)}")
    if order.allowance_amount:
        rows.append(f"福利额度抵扣：-{_yuan(order.allowance_amount)}")
    rows.append(f"应付金额：{_yuan(order.total_amount)}")
    return rows


def _send(order: Order, subject: str, paragraphs: list[str]) -> None:
    body = "\n\n".join(["您好：", *paragraphs, f"—— {settings.MALL_NAME}"]) + "\n"
    send_mail(f"【{settings.MALL_NAME}】{subject}", body, None, [order.user_email])


def order_link(order: Order) -> str:
    """The storefront page of the order: a member's under 我的订单; a guest's by its unguessable id."""
    name = "storefront:order" if order.user_id else "storefront:guest_order"
    return settings.PUBLIC_URL.rstrip("/") + reverse(name, kwargs={"order_id": order.pk})


def send_order_confirmation(order: Order) -> None:
    paragraphs = [f"您的订单 {order.number} 已提交。", "\n".join(_line_rows(order)), "\n".join(_totals(order))]
    paragraphs.append(f"查看订单和支付：{order_link(order)}")
    if order.payment_due_at and not order.is_paid:
        due = timezone.localtime(order.payment_due_at).strftime("%Y-%m-%d %H:%M")
        paragraphs.append(f"请在 {due} 前完成支付，逾期订单将自动关闭，库存和福利额度将退回。")
    _send(order, f"订单 {order.number} 已提交", paragraphs)


def send_payment_confirmation(order: Order) -> None:
    _send(
        order,
        f"订单 {order.number} 支付成功",
        [f"您的订单 {order.number} 已支付成功，我们会尽快为您发货。", "\n".join(_totals(order))],
    )


def send_fulfillment_confirmation(fulfillment: Fulfillment) -> None:
    order = fulfillment.order
    rows = [f"· {line.order_line} × {line.quantity}" for line in fulfillment.lines.select_related("order_line")]
    paragraphs = [f"您的订单 {order.number} 已发货：", "\n".join(rows)]
    if fulfillment.tracking_number:
        paragraphs.append(f"运单号：{fulfillment.tracking_number}")
    _send(order, f"订单 {order.number} 已发货", paragraphs)

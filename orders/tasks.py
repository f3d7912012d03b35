"""Celery tasks of orders: small wrappers around the services and the order e-mails."""

from celery import shared_task

from orders import emails, services
from orders.models import Fulfillment, Order, OrderEvent, OrderEventType


@shared_task(name="orders.release_unpaid_orders")
def release_unpaid_orders() -> int:
    """Beat task: expire orders unpaid past their payment deadline and give back what they held."""
    return services.release_unpaid_orders()


def _send_and_record(order_id: str, email_type: str, send) -> bool:
    order = Order.objects.filter(pk=order_id).first()
    if order is None or not order.user_email:
        return False
    send(order)
    OrderEvent.objects.create(
        order=order,
        type=OrderEventType.EMAIL_SENT,
        parameters={"email": order.user_email, "email_type": email_type},
    )
    return True


@shared_task(name="orders.send_order_confirmation_email")
def send_order_confirmation_email(order_id: str) -> bool:
    return _send_and_record(order_id, "ORDER_CONFIRMATION", emails.send_order_confirmation)


@shared_task(name="orders.send_payment_confirmation_email")
def send_payment_confirmation_email(order_id: str) -> bool:
    return _send_and_record(order_id, "PAYMENT_CONFIRMATION", emails.send_payment_confirmation)


@shared_task(name="orders.send_fulfillment_confirmation_email")
def send_fulfillment_confirmation_email(fulfillment_id: int) -> bool:
    fulfillment = Fulfillment.objects.select_related("order").filter(pk=fulfillment_id).first()
    if fulfillment is None:
        return False
    return _send_and_record(
        fulfillment.order_id, "SHIPPING_CONFIRMATION", lambda _order: emails.send_fulfillment_confirmation(fulfillment)
    )

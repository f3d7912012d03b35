"""我的订单 and paying an order: list, detail with its timeline, 取消订单, 去支付 with Stripe's Payment Element.

A member reaches their orders under /account/orders/; a guest reaches their order through /orders/<id>/,
the order's random UUID being the secret (shown after ordering and in the e-mail). A member's order is
never shown through the guest address, and nobody else's order is ever shown: both give 404. A guest can
look and pay through the link but not cancel (orders.services lets only the owner's account cancel).
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from bulk_orders.delivery import gifts_for_member
from mall.errors import DomainError, PermissionDenied
from orders import services as order_services
from orders.models import Order
from payments import services as payment_services
from payments.gateway import stripe_enabled
from payments.models import TransactionItem
from storefront import buying, stripe_stand_in
from storefront.messages import service_message

ORDERS_PER_PAGE = 10


# --- Finding the order --------------------------------------------------------------------------------------
def _member_order(request, order_id) -> Order:
    order = buying.member_order(request.user, order_id)
    if order is None:
        raise Http404("找不到该订单。")
    return order


def _guest_order(order_id) -> Order:
    order = buying.guest_order(order_id)
    if order is None:
        raise Http404("找不到该订单。")
    return order


def _order_of(request, order_id, *, guest: bool) -> Order:
    return _guest_order(order_id) if guest else _member_order(request, order_id)


# --- Lists and details ---------------------------------------------------------------------------------------
@login_required
@require_safe
def orders(request):
    page = Paginator(buying.orders_list(request.user), ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    cards = [buying.order_card(order) for order in page.object_list]
    # 工会礼品: what branches sent this member in bulk orders (bulk_orders.delivery), on the first page.
    gifts = gifts_for_member(request.user) if page.number == 1 else []
    return render(request, "storefront/orders/list.html", {"page": page, "cards": cards, "gifts": gifts})


def _detail(request, order: Order, *, guest: bool):
    context = {"detail": buying.order_detail(order), "guest": guest}
    return render(request, "storefront/orders/detail.html", context)


@login_required
@require_safe
def order(request, order_id):
    return _detail(request, _member_order(request, order_id), guest=False)


@require_safe
def guest_order(request, order_id):
    return _detail(request, _guest_order(order_id), guest=True)


# --- 取消订单 ------------------------------------------------------------------------------------------------
@login_required
@require_POST
def order_cancel(request, order_id):
    order = _member_order(request, order_id)
    try:
        order_services.cancel_order(order, by=request.user, reason="买家取消")
    except (DomainError, PermissionDenied) as error:
        messages.error(request, service_message(error))
    else:
        messages.success(request, f"订单 {order.number} 已取消。")
    return redirect(buying.order_url(order))


def _payer(request, guest: bool):
    """Who asks the payments services: the member; for a guest's order nobody (its link is the credential)."""
    return None if guest else request.user


# --- 去支付 --------------------------------------------------------------------------------------------------
def _pay(request, order_id, *, guest: bool):
    """The Payment Element for what is left to pay. A new PaymentIntent (Saleor's transactionInitialize) is
    made each time the page opens, as Saleor's storefront does; an unpaid one expires unused at Stripe."""
    order = _order_of(request, order_id, guest=guest)
    if not buying.awaiting_payment(order):
        if order.is_paid or order.total_amount == 0:
            messages.info(request, "该订单无需支付。")
        else:
            messages.info(request, "该订单已无法支付。")
        return redirect(buying.order_url(order))
    context = {"detail": buying.order_detail(order), "guest": guest, "error": ""}
    if not stripe_enabled():
        context["error"] = "暂未开通在线支付，请稍后再试或联系客服。"
        return render(request, "storefront/orders/pay.html", context, status=503)
    try:
        transaction, _event, data = payment_services.initialize_transaction(order=order, user=_payer(request, guest))
    except (DomainError, PermissionDenied) as error:
        context["error"] = service_message(error)
        return render(request, "storefront/orders/pay.html", context, status=400)
    errors = (data.get("paymentIntent") or {}).get("errors")
    if errors:
        context["error"] = errors[0].get("message") or "支付网关暂时不可用，请稍后再试。"
        return render(request, "storefront/orders/pay.html", context, status=502)
    context.update(
        transaction=transaction,
        client_secret=(data.get("paymentIntent") or {}).get("stripeClientSecret", ""),
        publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
        stripe_js_url=settings.STRIPE_JS_URL,
    )
    return render(request, "storefront/orders/pay.html", context)


@login_required
@require_safe
def order_pay(request, order_id):
    return _pay(request, order_id, guest=False)


@require_safe
def guest_order_pay(request, order_id):
    return _pay(request, order_id, guest=True)


# What the page says after Stripe.js confirmed, by what our records say now.
RESULT_PAID = ("paid", "支付成功！")
RESULT_PENDING = ("pending", "支付处理中，结果将稍后更新。")
RESULT_FAILED = ("failed", "支付未成功，请重试或换一张卡。")


def _process(request, order_id, *, guest: bool):
    """After Stripe.js confirmed the payment: ask Stripe for the PaymentIntent's state (Saleor's
    transactionProcess) and answer what it means for the order. The webhook says the same a moment later;
    either marks the order paid, once (orders.charge)."""
    order = _order_of(request, order_id, guest=guest)
    transaction = TransactionItem.objects.filter(order=order, pk=_token(request.POST.get("transaction"))).first()
    if transaction is None:
        return JsonResponse({"status": "failed", "message": "找不到该笔支付，请刷新页面后重试。"}, status=404)
    try:
        _transaction, event, _data = payment_services.process_transaction(transaction, user=_payer(request, guest))
    except (DomainError, PermissionDenied) as error:
        return JsonResponse({"status": "failed", "message": service_message(error)}, status=400)
    order.refresh_from_db()
    status, message = RESULT_PAID if order.is_paid else RESULT_FAILED if _failed(event) else RESULT_PENDING
    if status == "paid":
        messages.success(request, message)
    return JsonResponse({"status": status, "message": message, "url": buying.order_url(order)})


def _token(raw):
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


def _failed(event) -> bool:
    """The event process_transaction recorded says the charge failed (CHARGE_FAILURE, AUTHORIZATION_FAILURE)."""
    return bool(event) and str(getattr(event, "type", "")).endswith("_FAILURE")


@login_required
@require_POST
def order_pay_stand_in(request, order_id):
    return stripe_stand_in.confirm_card(
        request, _member_order(request, order_id), _token(request.POST.get("transaction"))
    )


@require_POST
def guest_order_pay_stand_in(request, order_id):
    return stripe_stand_in.confirm_card(request, _guest_order(order_id), _token(request.POST.get("transaction")))


@login_required
@require_POST
def order_pay_process(request, order_id):
    return _process(request, order_id, guest=False)


@require_POST
def guest_order_pay_process(request, order_id):
    return _process(request, order_id, guest=True)

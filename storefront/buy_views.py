"""Buying pages: 加入购物车 on the product page, 购物车, 结算 and 提交订单. Thin views over checkout.services
and orders.services, so these pages and the GraphQL API apply the same rules.

Every change is a POST with CSRF; bad input re-renders the page with the error beside the field it
concerns, status 400, and changes nothing (the services refuse before they write).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.addresses import validation_rules
from catalog.models import ProductVariant
from checkout import services as checkout_services
from checkout.models import CheckoutLine
from mall.errors import DomainError
from orders import services as order_services
from storefront import buying, carts, pages
from storefront.account_forms import add_service_errors
from storefront.buy_forms import (
    AddressForm,
    AddToCartForm,
    AllowanceForm,
    EmailForm,
    LineQuantityForm,
    SavedAddressForm,
    ShippingMethodForm,
    VoucherForm,
)
from storefront.messages import service_message
from storefront.views import not_found

FORM_METHODS = ["GET", "HEAD", "POST"]
ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "country_area",
    "city",
    "city_area",
    "street_address_1",
    "street_address_2",
    "postal_code",
    "country",
)


# --- The product page: choose a variant, 加入购物车 / 立即购买 ------------------------------------------------
@require_http_methods(FORM_METHODS)
def product(request, slug: str):
    channel = carts.shop_channel()
    page = pages.product_page(channel, slug, user=request.user) if channel else None
    if page is None:
        return not_found(request, "该商品不存在或已下架。")
    sellable = [row for row in page.product.variants if row.stock_state.code != "out-of-stock"]
    form = AddToCartForm(request.POST or None, variants=sellable)
    if request.method == "POST":
        if not page.product.is_on_sale:
            form.add_error(None, "该商品暂未开售。")
        elif form.is_valid() and _added(request, channel, form):
            if form.buys_now:
                return redirect("storefront:checkout")
            messages.success(request, "已加入购物车。")
            return redirect("storefront:product", slug=slug)
    status = 400 if form.is_bound else 200
    return render(request, "storefront/product.html", {"page": page, "form": form}, status=status)


def _added(request, channel, form: AddToCartForm) -> bool:
    variant = ProductVariant.objects.select_related("product").filter(pk=form.cleaned_data["variant"]).first()
    if variant is None:
        form.add_error("variant", "请选择在售的规格。")
        return False
    try:
        checkout = carts.add_to_cart(request, channel, variant, form.cleaned_data["quantity"])
    except DomainError as error:
        form.add_error("quantity" if error.field in ("quantity", "lines") else None, service_message(error))
        return False
    carts.remember_quantity(request, sum(checkout.lines.values_list("quantity", flat=True)))
    return True


# --- 购物车 ---------------------------------------------------------------------------------------------------
def _cart_context(request, checkout, **extra):
    page = buying.cart_page(checkout) if checkout else None
    carts.remember_quantity(request, page.quantity if page else 0)
    return {"cart": page, **extra}


@require_safe
def cart(request):
    channel = carts.shop_channel()
    checkout = carts.current_cart(request, channel) if channel else None
    return render(request, "storefront/cart.html", _cart_context(request, checkout))


def _own_line(request, line_id):
    channel = carts.shop_channel()
    checkout = carts.current_cart(request, channel) if channel else None
    line = CheckoutLine.objects.filter(checkout=checkout, pk=line_id).first() if checkout else None
    if line is None:
        raise Http404("购物车中没有这件商品。")
    return checkout, line


@require_POST
def cart_line_update(request, line_id):
    checkout, line = _own_line(request, line_id)
    form = LineQuantityForm(request.POST)
    if form.is_valid():
        try:
            wanted = [(line.variant, form.cleaned_data["quantity"])]
            checkout_services.update_lines(checkout, wanted, requestor=request.user)
        except DomainError as error:
            form.add_error("quantity", service_message(error))
        else:
            messages.success(request, "已删除该商品。" if form.cleaned_data["quantity"] == 0 else "数量已更新。")
            return redirect("storefront:cart")
    context = _cart_context(request, checkout, line_form=form, line_id=str(line.pk))
    return render(request, "storefront/cart.html", context, status=400)


@require_POST
def cart_line_delete(request, line_id):
    checkout, line = _own_line(request, line_id)
    checkout_services.delete_lines(checkout, [line.pk], requestor=request.user)
    messages.success(request, "已删除该商品。")
    return redirect("storefront:cart")


# --- 结算 -----------------------------------------------------------------------------------------------------
def _province_names() -> list[str]:
    return list(dict.fromkeys(raw for raw, _verbose in validation_rules().country_area_choices))


def _checkout_for(request):
    """The visitor's cart when it has lines; None sends them back to the cart."""
    channel = carts.shop_channel()
    checkout = carts.current_cart(request, channel) if channel else None
    if checkout is None or not checkout.lines.exists():
        return None
    return checkout


def _saved_addresses(request):
    return list(request.user.addresses.all()) if request.user.is_authenticated else []


def _render_checkout(request, checkout, status=200, **forms):
    page = buying.checkout_page(checkout)
    carts.remember_quantity(request, page.cart.quantity)
    addresses = _saved_addresses(request)
    context = {
        "page": page,
        "checkout": checkout,
        "addresses": addresses,
        "provinces": _province_names(),
        "email_form": forms.get("email_form") or EmailForm(initial={"email": checkout.email}),
        "saved_address_form": forms.get("saved_address_form") or SavedAddressForm(addresses=addresses),
        "address_form": forms.get("address_form") or AddressForm(prefix="new"),
        "shipping_form": forms.get("shipping_form")
        or ShippingMethodForm(initial={"shipping_method": checkout.shipping_method_id}),
        "voucher_form": forms.get("voucher_form") or VoucherForm(),
        "allowance_form": forms.get("allowance_form") or AllowanceForm(),
        "complete_errors": forms.get("complete_errors", []),
        "new_address_open": bool(forms.get("address_form")) or not (addresses or checkout.shipping_address_id),
        "hold_minutes": settings.ORDER_PAYMENT_HOLD_MINUTES,
    }
    return render(request, "storefront/checkout.html", context, status=status)


def _empty_cart_redirect(request):
    messages.info(request, "购物车是空的，先去挑选商品吧。")
    return redirect("storefront:cart")


@require_safe
def checkout(request):
    checkout = _checkout_for(request)
    if checkout is None:
        return _empty_cart_redirect(request)
    return _render_checkout(request, checkout)


def checkout_step(view):
    """A POST to one part of the checkout page: the cart must have lines; on success back to the page."""

    @require_POST
    def wrapped(request):
        checkout = _checkout_for(request)
        if checkout is None:
            return _empty_cart_redirect(request)
        return view(request, checkout)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _apply(request, checkout, form_name, form, change, *, field=None, success=""):
    """Run `change` when the form is valid; a refusal goes onto the form and the page shows it."""
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except (DomainError, ValidationError) as error:
            _show_refusal(form, error, field)
        else:
            if success:
                messages.success(request, success)
            return redirect("storefront:checkout")
    return _render_checkout(request, checkout, status=400, **{form_name: form})


def _show_refusal(form, error, field) -> None:
    by_field = getattr(error, "errors", None)
    if isinstance(error, DomainError) and isinstance(by_field, dict) and by_field:
        # An address refused by accounts.addresses: every field's reason beside that field.
        add_service_errors(form, ValidationError(by_field))
    elif isinstance(error, DomainError):
        form.add_error(field if field in form.fields else None, service_message(error))
    else:
        add_service_errors(form, error)


@checkout_step
def checkout_email(request, checkout):
    form = EmailForm(request.POST)
    return _apply(
        request,
        checkout,
        "email_form",
        form,
        lambda data: checkout_services.set_email(checkout, data["email"], requestor=request.user),
        field="email",
        success="电子邮箱已保存。",
    )


def _address_data(address) -> dict:
    return {name: getattr(address, name) for name in ADDRESS_FIELDS}


@checkout_step
def checkout_address(request, checkout):
    """A saved address (the `address` field) or a new one (the address form's fields, prefixed new-)."""
    if "address" in request.POST:
        addresses = _saved_addresses(request)
        by_pk = {address.pk: address for address in addresses}
        form = SavedAddressForm(request.POST, addresses=addresses)
        return _apply(
            request,
            checkout,
            "saved_address_form",
            form,
            lambda data: checkout_services.set_shipping_address(
                checkout, _address_data(by_pk[data["address"]]), requestor=request.user
            ),
            field="address",
            success="收货地址已选择。",
        )
    form = AddressForm(request.POST, prefix="new")
    return _apply(
        request,
        checkout,
        "address_form",
        form,
        lambda data: checkout_services.set_shipping_address(
            checkout, {**data, "country": "CN"}, requestor=request.user
        ),
        success="收货地址已保存。",
    )


@checkout_step
def checkout_shipping(request, checkout):
    choices = [(choice.id, choice.name) for choice in buying.checkout_page(checkout).shipping_choices]
    form = ShippingMethodForm(request.POST, choices=choices)
    return _apply(
        request,
        checkout,
        "shipping_form",
        form,
        lambda data: checkout_services.set_delivery_method(checkout, data["shipping_method"], requestor=request.user),
        field="shipping_method",
        success="配送方式已选择。",
    )


@checkout_step
def checkout_voucher(request, checkout):
    form = VoucherForm(request.POST)
    return _apply(
        request,
        checkout,
        "voucher_form",
        form,
        lambda data: checkout_services.add_promo_code(checkout, data["code"].strip(), requestor=request.user),
        field="code",
        success="优惠码已使用。",
    )


@checkout_step
def checkout_voucher_remove(request, checkout):
    checkout_services.remove_promo_code(checkout, requestor=request.user)
    messages.success(request, "优惠码已移除。")
    return redirect("storefront:checkout")


@checkout_step
def checkout_allowance(request, checkout):
    form = AllowanceForm(request.POST)

    def change(data):
        if data["use"]:
            checkout_services.apply_allowance(checkout, requestor=request.user)
        else:
            checkout_services.remove_allowance(checkout, requestor=request.user)

    if not request.user.is_authenticated:
        # A guest's page has no allowance part to show the refusal in: it goes above the steps.
        return _render_checkout(request, checkout, status=400, complete_errors=["福利额度仅限登录的会员使用。"])
    success = "已使用福利额度。" if request.POST.get("use") else "已不使用福利额度。"
    return _apply(request, checkout, "allowance_form", form, change, field="use", success=success)


@checkout_step
def checkout_complete(request, checkout):
    """提交订单: the order is placed now and paid next (下单 then 支付), or is paid already by allowance."""
    user = request.user if request.user.is_authenticated else None
    try:
        order, _created = order_services.complete_checkout(checkout, user=user)
    except DomainError as error:
        return _render_checkout(request, checkout, status=400, complete_errors=[service_message(error)])
    carts.forget(request)
    if buying.awaiting_payment(order):
        messages.success(request, f"订单 {order.number} 已提交，请在支付截止时间前完成支付。")
        return redirect(buying.pay_url(order))
    messages.success(request, f"订单 {order.number} 已提交。")
    return redirect(buying.order_url(order))

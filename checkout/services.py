"""Checkout services: every change to a cart, checked, in one transaction each.

The API's mutations and the storefront's pages call these and nothing else. Each function locks
the checkout row first (two requests changing one cart queue instead of colliding), refuses bad
input with a checkout.errors exception before anything is written, and ends by settling what the
change may have invalidated: a voucher that no longer applies and a shipping method that no
longer fits the address or the amount are dropped, an allowance the owner may not use is removed.
Prices are never stored; they are worked out for the owner whenever the checkout is read.

Access: pass `requestor` (the person asking; AnonymousUser for a guest) and the service refuses a
checkout that belongs to somebody else (checkout.selectors.can_access). Internal callers that
already hold a checkout they reached through checkout.selectors.checkout_for leave it out.
"""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.addresses import TEXT_FIELDS, clean_address
from accounts.models import Address
from accounts.services import normalize_email
from allowances.selectors import spendable_allowances
from catalog.models import Channel, ProductVariant
from catalog.pricing import is_available_for_purchase, stock_quantity, user_pays_member_price
from checkout import errors
from checkout.calculations import calculate_checkout
from checkout.fetch import CheckoutLineInfo, fetch_checkout_lines, fetch_variants
from checkout.models import Checkout, CheckoutLine, ShippingMethod
from checkout.selectors import (
    applicable_voucher,
    can_access,
    goods_subtotal,
    goods_total,
    is_shipping_required,
    shipping_listings_for,
)
from checkout.vouchers import find_voucher, voucher_refusal
from mall.money import quantize
from mall.permissions import PermissionEnum, require_authenticated, require_permissions

# AddressInput's keys (snake_case, as graphene hands them over) → the Address model's fields.
ADDRESS_INPUT_FIELDS = {"street_address1": "street_address_1", "street_address2": "street_address_2"}
ADDRESS_TYPES = {"shipping": "shipping_address", "billing": "billing_address"}


# --- Reaching a checkout ---------------------------------------------------------------------
def _lock(checkout: Checkout, requestor=None) -> Checkout:
    """Lock the checkout's row and re-read it (another request may have just changed it)."""
    try:
        checkout.refresh_from_db(from_queryset=Checkout.objects.select_for_update(of=("self",)))
    except Checkout.DoesNotExist as error:
        # Completed (and so deleted) since the caller read it.
        raise errors.CheckoutNotFound(field="id") from error
    if requestor is not None and not can_access(checkout, requestor):
        raise errors.CheckoutNotFound(field="id")
    if not Channel.objects.filter(pk=checkout.channel_id, is_active=True).exists():
        raise errors.ChannelInactive(field="channel")
    return checkout


# --- Lines -----------------------------------------------------------------------------------
def _variant_name(variant: ProductVariant) -> str:
    product = variant.product.name
    return f"{product}（{variant.name}）" if variant.name and variant.name != product else product


def _quantity_limit(variant: ProductVariant) -> int:
    limits = [settings.MAX_CHECKOUT_LINE_QUANTITY]
    if variant.quantity_limit_per_customer:
        limits.append(variant.quantity_limit_per_customer)
    return min(limits)


def _check_quantities(wanted: dict[int, int], infos: dict[int, CheckoutLineInfo]) -> None:
    for variant_id, quantity in wanted.items():
        variant = infos[variant_id].variant
        limit = _quantity_limit(variant)
        if quantity > limit:
            raise errors.QuantityGreaterThanLimit(
                f"“{_variant_name(variant)}”每单最多购买 {limit} 件。",
                field="quantity",
                variants=errors.variant_ids([variant_id]),
            )


def _check_availability(wanted: dict[int, int], infos: dict[int, CheckoutLineInfo], *, now) -> None:
    """Listed in the channel, published and on sale now; Saleor's codes, one error per rule naming
    every variant that breaks it."""
    checks = (
        (
            lambda info: info.listing is None,
            errors.UnavailableVariantInChannel,
            "以下商品在此渠道不销售：{}。",
        ),
        (
            lambda info: (
                not (info.listing.is_published and info.listing.published_at and info.listing.published_at <= now)
            ),
            errors.ProductNotPublished,
            "以下商品未上架：{}。",
        ),
        (
            lambda info: not is_available_for_purchase(info.listing, now=now),
            errors.ProductUnavailableForPurchase,
            "以下商品暂不可购买：{}。",
        ),
    )
    for fails, error_class, message in checks:
        failing = [variant_id for variant_id in wanted if fails(infos[variant_id])]
        if failing:
            names = "、".join(_variant_name(infos[variant_id].variant) for variant_id in failing)
            raise error_class(message.format(names), field="lines", variants=errors.variant_ids(failing))


def _check_stock(wanted: dict[int, int], infos: dict[int, CheckoutLineInfo]) -> None:
    short = []
    for variant_id, quantity in wanted.items():
        info = infos[variant_id]
        if info.variant.track_inventory and quantity > stock_quantity(info.stocks):
            short.append((variant_id, stock_quantity(info.stocks)))
    if short:
        details = "；".join(f"“{_variant_name(infos[pk].variant)}”仅剩 {left} 件" for pk, left in short)
        raise errors.InsufficientStock(
            f"库存不足：{details}。", field="quantity", variants=errors.variant_ids([pk for pk, _ in short])
        )


def _clean_lines(channel: Channel, wanted: dict[int, int]) -> None:
    """Refuse `wanted` ({variant id: quantity the line will hold}) unless every variant can be
    bought in that quantity in `channel`."""
    if not wanted:
        return
    infos = fetch_variants(channel, wanted)
    missing = [variant_id for variant_id in wanted if variant_id not in infos]
    if missing:
        raise errors.CheckoutNotFound("找不到该商品规格。", field="variant_id", variants=errors.variant_ids(missing))
    _check_quantities(wanted, infos)
    _check_availability(wanted, infos, now=timezone.now())
    _check_stock(wanted, infos)


def _quantity(quantity, *, allow_zero: bool) -> int:
    if not isinstance(quantity, int) or quantity < 0 or (quantity == 0 and not allow_zero):
        raise errors.ZeroQuantity(field="quantity")
    return quantity


def _summed(lines: Iterable[tuple]) -> dict[int, int]:
    """{variant id: total quantity} of (variant, quantity) pairs, duplicates merged."""
    total: dict[int, int] = {}
    for variant, quantity in lines:
        variant_id = getattr(variant, "pk", variant)
        total[variant_id] = total.get(variant_id, 0) + _quantity(quantity, allow_zero=False)
    return total


def _write_lines(checkout: Checkout, quantities: dict[int, int]) -> None:
    """Make each variant's line hold the given quantity (0: no line)."""
    existing = {line.variant_id: line for line in CheckoutLine.objects.filter(checkout=checkout)}
    for variant_id, quantity in quantities.items():
        line = existing.get(variant_id)
        if quantity == 0:
            if line is not None:
                line.delete()
        elif line is None:
            CheckoutLine.objects.create(checkout=checkout, variant_id=variant_id, quantity=quantity)
        elif line.quantity != quantity:
            line.quantity = quantity
            line.save(update_fields=["quantity"])


def _current_quantities(checkout: Checkout) -> dict[int, int]:
    return dict(CheckoutLine.objects.filter(checkout=checkout).values_list("variant_id", "quantity"))


def add_lines(checkout: Checkout, lines, *, requestor=None) -> Checkout:
    """Add (variant, quantity) pairs; a variant already in the cart has its quantity raised."""
    with transaction.atomic():
        _lock(checkout, requestor)
        added = _summed(lines)
        current = _current_quantities(checkout)
        new = {variant_id: current.get(variant_id, 0) + quantity for variant_id, quantity in added.items()}
        _clean_lines(checkout.channel, new)
        _write_lines(checkout, new)
        return _settle(checkout)


def update_lines(checkout: Checkout, lines, *, requestor=None) -> Checkout:
    """Set quantities: pairs of (a CheckoutLine of this checkout or a variant, quantity); 0 removes
    the line, a variant not yet in the cart is added."""
    with transaction.atomic():
        _lock(checkout, requestor)
        current_lines = {line.pk: line for line in CheckoutLine.objects.filter(checkout=checkout)}
        new: dict[int, int] = {}
        for target, quantity in lines:
            if isinstance(target, CheckoutLine):
                if target.pk not in current_lines:
                    raise errors.CheckoutInvalid(
                        "该商品不在此购物车中。", field="line_id", lines=errors.line_ids([target])
                    )
                variant_id = current_lines[target.pk].variant_id
            else:
                variant_id = getattr(target, "pk", target)
            if variant_id in new:
                raise errors.CheckoutInvalid(
                    "同一商品不能在一次修改中出现两次。", field="lines", variants=errors.variant_ids([variant_id])
                )
            new[variant_id] = _quantity(quantity, allow_zero=True)
        _clean_lines(checkout.channel, {variant_id: quantity for variant_id, quantity in new.items() if quantity})
        _write_lines(checkout, new)
        return _settle(checkout)


def delete_lines(checkout: Checkout, line_ids, *, requestor=None) -> Checkout:
    """Remove lines by id (CheckoutLine rows or their UUIDs); all of them must be in this checkout."""
    with transaction.atomic():
        _lock(checkout, requestor)
        ids = {getattr(line, "pk", line) for line in line_ids}
        found = set(CheckoutLine.objects.filter(checkout=checkout, pk__in=ids).values_list("pk", flat=True))
        foreign = [line_id for line_id in ids if line_id not in found]
        if foreign:
            raise errors.CheckoutInvalid(
                "所选商品不在此购物车中。", field="line_id", lines=errors.line_ids(sorted(foreign, key=str))
            )
        CheckoutLine.objects.filter(checkout=checkout, pk__in=ids).delete()
        return _settle(checkout)


# --- Creating ------------------------------------------------------------------------------
def create_checkout(
    *,
    channel: Channel,
    user,
    lines,
    email: str | None = None,
    shipping_address: dict | None = None,
    billing_address: dict | None = None,
) -> Checkout:
    """A new cart in `channel`, owned by `user` when they are signed in (Saleor attaches them),
    with its first lines, e-mail and addresses; the owner's e-mail when none is given."""
    if channel is None or not channel.is_active:
        raise errors.ChannelInactive(field="channel")
    owner = user if user is not None and user.is_authenticated else None
    wanted = _summed(lines)
    _clean_lines(channel, wanted)
    cleaned_email = _clean_email(email) if email else (owner.email if owner else "")
    addresses = {
        kind: _clean_address_data(data, kind)
        for kind, data in (("shipping", shipping_address), ("billing", billing_address))
        if data is not None
    }
    with transaction.atomic():
        checkout = Checkout.objects.create(
            channel=channel, user=owner, email=cleaned_email, currency=channel.currency_code
        )
        for kind, cleaned in addresses.items():
            setattr(checkout, ADDRESS_TYPES[kind], Address.objects.create(**cleaned))
        checkout.save()
        _write_lines(checkout, wanted)
    return checkout


# --- E-mail and addresses --------------------------------------------------------------------
def _clean_email(email: str) -> str:
    try:
        return normalize_email(email)
    except ValidationError as error:
        first = error.error_dict["email"][0]
        error_class = errors.CheckoutRequired if first.code == "required" else errors.CheckoutInvalid
        raise error_class(first.messages[0], field="email") from error


def set_email(checkout: Checkout, email: str, *, requestor=None) -> Checkout:
    with transaction.atomic():
        _lock(checkout, requestor)
        checkout.email = _clean_email(email)
        checkout.save(update_fields=["email", "last_change"])
        return checkout


def _clean_address_data(data: dict, kind: str) -> dict:
    """An AddressInput (snake_case keys) or model-field dict checked by accounts.addresses."""
    fields = {ADDRESS_INPUT_FIELDS.get(key, key): value for key, value in (data or {}).items()}
    try:
        return clean_address({key: fields.get(key) for key in (*TEXT_FIELDS, "country")})
    except ValidationError as error:
        field, field_errors = next(iter(error.error_dict.items()))
        first = field_errors[0]
        raise errors.AddressInvalid(
            first.messages[0], field=field, code=first.code or "invalid", address_type=kind, errors=error.error_dict
        ) from error


def _set_address(checkout: Checkout, data: dict, kind: str, requestor) -> Checkout:
    with transaction.atomic():
        _lock(checkout, requestor)
        cleaned = _clean_address_data(data, kind)
        attribute = ADDRESS_TYPES[kind]
        previous = getattr(checkout, attribute)
        # The checkout owns its address rows (they are copies, never the owner's address book), so
        # the one replaced is no one's any more.
        setattr(checkout, attribute, Address.objects.create(**cleaned))
        checkout.save(update_fields=[attribute, "last_change"])
        if previous is not None and not previous.user_addresses.exists():
            previous.delete()
        return _settle(checkout) if kind == "shipping" else checkout


def set_shipping_address(checkout: Checkout, data: dict, *, requestor=None) -> Checkout:
    """Where the goods go; a shipping method that does not deliver there is dropped."""
    return _set_address(checkout, data, "shipping", requestor)


def set_billing_address(checkout: Checkout, data: dict, *, requestor=None) -> Checkout:
    return _set_address(checkout, data, "billing", requestor)


# --- Delivery --------------------------------------------------------------------------------
def set_delivery_method(checkout: Checkout, shipping_method_id, *, requestor=None) -> Checkout:
    """Choose one of the shipping methods that deliver to the address and accept the order;
    None takes the choice back."""
    with transaction.atomic():
        _lock(checkout, requestor)
        if shipping_method_id is None:
            checkout.shipping_method = None
            checkout.save(update_fields=["shipping_method", "last_change"])
            return checkout
        lines = fetch_checkout_lines(checkout)
        if not is_shipping_required(lines):
            raise errors.ShippingNotRequired(field="delivery_method_id")
        if checkout.shipping_address is None:
            raise errors.ShippingAddressNotSet(field="delivery_method_id")
        method = ShippingMethod.objects.filter(pk=shipping_method_id).first()
        if method is None:
            raise errors.CheckoutNotFound("找不到该配送方式。", field="delivery_method_id")
        applicable = {
            listing.shipping_method_id for listing in shipping_listings_for(checkout, goods_total(checkout, lines))
        }
        if method.pk not in applicable:
            raise errors.DeliveryMethodNotApplicable(
                f"“{method.name}”不配送到{checkout.shipping_address.country_area}，或不适用于此订单金额。",
                field="delivery_method_id",
            )
        checkout.shipping_method = method
        checkout.save(update_fields=["shipping_method", "last_change"])
        return checkout


# --- Promo codes -----------------------------------------------------------------------------
def add_promo_code(checkout: Checkout, code: str, *, requestor=None) -> Checkout:
    """Attach a voucher (one at a time: a new code replaces the previous one)."""
    with transaction.atomic():
        _lock(checkout, requestor)
        voucher = find_voucher(code)
        if voucher is None:
            raise errors.CheckoutInvalid("优惠码无效。", field="promo_code")
        lines = fetch_checkout_lines(checkout)
        subtotal = goods_subtotal(lines, member=user_pays_member_price(checkout.user))
        refusal = voucher_refusal(
            voucher, channel_id=checkout.channel_id, currency=checkout.currency, subtotal=subtotal
        )
        if refusal is not None:
            raise refusal
        checkout.voucher = voucher
        checkout.voucher_code = voucher.code
        checkout.save(update_fields=["voucher", "voucher_code", "last_change"])
        return _settle(checkout, lines)


def remove_promo_code(checkout: Checkout, code: str | None = None, *, voucher_id=None, requestor=None) -> Checkout:
    """Detach the voucher; a `code` (or `voucher_id`) that is not the attached one is refused."""
    with transaction.atomic():
        _lock(checkout, requestor)
        if code is not None and (code or "").strip() != checkout.voucher_code:
            raise errors.CheckoutInvalid("此购物车未使用该优惠码。", field="promo_code")
        if voucher_id is not None and voucher_id != checkout.voucher_id:
            raise errors.CheckoutInvalid("此购物车未使用该优惠码。", field="promo_code_id")
        checkout.voucher = None
        checkout.voucher_code = ""
        checkout.save(update_fields=["voucher", "voucher_code", "last_change"])
        return _settle(checkout)


# --- Customer --------------------------------------------------------------------------------
def attach_customer(checkout: Checkout, user, *, requestor=None) -> Checkout:
    """Make `user` the checkout's owner: their prices apply from now on. Only the user themself
    may do it, or staff who impersonate customers (IMPERSONATE_USER), as in Saleor."""
    acting = requestor if requestor is not None else user
    require_authenticated(acting)  # as Saleor: only a signed-in user (or staff) attaches anybody
    if user is None or not user.is_authenticated or not user.is_active:
        raise errors.CheckoutInvalid("找不到该用户。", field="customer_id")
    if not (acting.is_authenticated and acting.pk == user.pk):
        require_permissions(acting, PermissionEnum.IMPERSONATE_USER)
    with transaction.atomic():
        _lock(checkout, acting)
        if checkout.user_id != user.pk:
            # Another person's allowance is not spent for them.
            checkout.allowance_requested = None
        checkout.user = user
        checkout.email = user.email
        checkout.save(update_fields=["user", "email", "allowance_requested", "last_change"])
        return _settle(checkout)


def detach_customer(checkout: Checkout, *, requestor=None) -> Checkout:
    """Take the owner off: the cart becomes a guest's again, at list prices, without allowance."""
    with transaction.atomic():
        if requestor is not None:
            require_authenticated(requestor)  # as Saleor: a guest has nobody to detach
        _lock(checkout, requestor)
        if checkout.user_id is None:
            return checkout
        if requestor is not None and requestor.pk != checkout.user_id:
            require_permissions(requestor, PermissionEnum.IMPERSONATE_USER)
        checkout.user = None
        checkout.allowance_requested = None
        checkout.save(update_fields=["user", "allowance_requested", "last_change"])
        return _settle(checkout)


# --- Welfare allowance -----------------------------------------------------------------------
def _clean_amount(amount) -> Decimal:
    try:
        value = quantize(amount if isinstance(amount, Decimal) else str(amount))
    except (ValueError, InvalidOperation) as error:
        raise errors.CheckoutInvalid("请输入有效的金额。", field="amount") from error
    if not value.is_finite() or value <= 0:
        raise errors.CheckoutInvalid("金额必须大于 0。", field="amount")
    return value


def apply_allowance(checkout: Checkout, amount=None, *, requestor=None) -> Checkout:
    """Pay up to `amount` (None: as much as possible) of the cart from the owner's welfare allowance.

    Only a verified member's own allowance is spent, and only on the goods each grant may pay for
    (a grant restricted to a collection pays for that collection's products). What is actually
    spent is worked out again at each calculation, capped by the balance and the eligible lines.
    """
    with transaction.atomic():
        _lock(checkout, requestor)
        if not user_pays_member_price(checkout.user):
            raise errors.CheckoutInvalid("福利额度仅限实名认证会员使用，请先登录并完成实名认证。", field="id")
        requested = None if amount is None else _clean_amount(amount)
        allowances = spendable_allowances(checkout.user)
        balance = sum((allowance.balance for allowance in allowances), Decimal("0.00"))
        if balance <= 0:
            raise errors.InsufficientAllowance("您没有可用的福利额度。", field="amount")
        if requested is not None and requested > balance:
            raise errors.InsufficientAllowance(f"福利额度不足，当前可用 ¥{balance}。", field="amount")
        requested = balance if requested is None else requested
        lines = fetch_checkout_lines(checkout)
        prices = calculate_checkout(
            lines,
            currency=checkout.currency,
            member=True,
            voucher=applicable_voucher(checkout, goods_subtotal(lines, member=True)),
            allowances=allowances,
            allowance_requested=requested,
        )
        if prices.allowance <= 0:
            raise errors.InsufficientAllowance("购物车中没有可用福利额度支付的商品。", field="amount")
        checkout.allowance_requested = requested
        checkout.save(update_fields=["allowance_requested", "last_change"])
        return checkout


def remove_allowance(checkout: Checkout, *, requestor=None) -> Checkout:
    with transaction.atomic():
        _lock(checkout, requestor)
        checkout.allowance_requested = None
        checkout.save(update_fields=["allowance_requested", "last_change"])
        return checkout


# --- Settling after a change -----------------------------------------------------------------
def _settle(checkout: Checkout, lines: list[CheckoutLineInfo] | None = None) -> Checkout:
    """Drop what the last change invalidated: a voucher that no longer applies (dates, channel,
    usage or minimum spend), then a shipping method that no longer fits the address, the goods or
    the amount, and an allowance the owner may no longer use."""
    if lines is None:
        lines = fetch_checkout_lines(checkout)
    changed = []
    if checkout.voucher_id is not None:
        subtotal = goods_subtotal(lines, member=user_pays_member_price(checkout.user))
        if applicable_voucher(checkout, subtotal) is None:
            checkout.voucher, checkout.voucher_code = None, ""
            changed += ["voucher", "voucher_code"]
    if checkout.shipping_method_id is not None:
        fits = is_shipping_required(lines) and checkout.shipping_method_id in {
            listing.shipping_method_id for listing in shipping_listings_for(checkout, goods_total(checkout, lines))
        }
        if not fits:
            checkout.shipping_method = None
            changed.append("shipping_method")
    if checkout.allowance_requested is not None and not user_pays_member_price(checkout.user):
        checkout.allowance_requested = None
        changed.append("allowance_requested")
    checkout.save(update_fields=[*changed, "last_change"])
    return checkout

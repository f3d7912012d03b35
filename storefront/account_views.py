"""Account pages (登录, 注册, 找回密码, 我的, 收货地址): thin views over accounts.services, so the pages and
the GraphQL API apply the same rules."""

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.addresses import validation_rules
from accounts.backends import login_refusal
from mall.errors import DomainError
from storefront import carts, relief_views
from storefront.account_forms import (
    AddressForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    ProfileForm,
    RegisterForm,
    SetPasswordForm,
    add_service_errors,
)

FORM_METHODS = ["GET", "HEAD", "POST"]
WRONG_CREDENTIALS = "邮箱/手机号或密码不正确。新注册的账户请先打开确认邮件中的链接。"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("storefront:account")


# --- Signing in and out -----------------------------------------------------------------------
@require_http_methods(FORM_METHODS)
def login_view(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is not None:
            login(request, user)
            _adopt_guest_cart(request)
            return redirect(_next_url(request))
        form.add_error(None, _refusal_message(request))
    return render(request, "storefront/account/login.html", {"form": form, "next": _next_url(request)})


def _refusal_message(request) -> str:
    """Why authenticate() said no: the reason the backend gave (throttled, not confirmed, disabled),
    otherwise a wrong name or password."""
    refusal = login_refusal(request)
    return refusal.message if refusal else WRONG_CREDENTIALS


def _adopt_guest_cart(request) -> None:
    """What was put in the cart before signing in stays in the cart (storefront.carts)."""
    for refusal in carts.adopt_guest_cart(request):
        messages.warning(request, f"未能并入购物车：{refusal}")


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, "您已退出登录。")
    return redirect("storefront:home")


# --- Registration and confirmation -------------------------------------------------------------
@require_http_methods(FORM_METHODS)
def register(request):
    if request.user.is_authenticated:
        return redirect("storefront:account")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if registration.requires_confirmation:
                return render(request, "storefront/account/register_done.html", {"email": registration.user.email})
            login(request, registration.user, backend="accounts.backends.RateLimitedModelBackend")
            _adopt_guest_cart(request)
            messages.success(request, "注册成功，欢迎加入！")
            return redirect("storefront:account")
    return render(request, "storefront/account/register.html", {"form": form})


@require_http_methods(FORM_METHODS)
def confirm_account(request):
    """The link in the confirmation e-mail opens this page; the button confirms (a POST), so that mail
    scanners following links confirm nothing."""
    email = request.POST.get("email") or request.GET.get("email", "")
    token = request.POST.get("token") or request.GET.get("token", "")
    error = None
    if request.method == "POST":
        try:
            services.confirm_account(email=email, token=token)
        except ValidationError as refusal:
            error = refusal.error_dict["token"][0].message
        else:
            messages.success(request, "邮箱已确认，请登录。")
            return redirect("storefront:login")
    return render(request, "storefront/account/confirm.html", {"email": email, "token": token, "error": error})


# --- Passwords ------------------------------------------------------------------------------------
@require_http_methods(FORM_METHODS)
def password_reset(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_password_reset(email=form.cleaned_data["email"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "storefront/account/password_reset_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "storefront/account/password_reset.html", {"form": form})


@require_http_methods(FORM_METHODS)
def password_reset_confirm(request):
    email = request.POST.get("email") or request.GET.get("email", "")
    token = request.POST.get("token") or request.GET.get("token", "")
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password(email=email, token=token, password=form.cleaned_data["password"])
        except ValidationError as error:
            add_service_errors(form, error, field_names={"token": None})
        else:
            messages.success(request, "新密码已设置，请用新密码登录。")
            return redirect("storefront:login")
    context = {"form": form, "email": email, "token": token}
    return render(request, "storefront/account/password_reset_confirm.html", context)


@login_required
@require_http_methods(FORM_METHODS)
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            add_service_errors(form, error, field_names={"new_password": "password"})
        else:
            update_session_auth_hash(request, request.user)  # stay signed in on this device
            messages.success(request, "密码已修改。")
            return redirect("storefront:account")
    return render(request, "storefront/account/password_change.html", {"form": form})


# --- 我的 -----------------------------------------------------------------------------------------
def _member_verification_url() -> str:
    return reverse("storefront:member_verification")


@login_required
@require_http_methods(FORM_METHODS)
def account(request):
    user = request.user
    initial = {"first_name": user.first_name, "last_name": user.last_name, "phone": _local_mobile(user.phone)}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_account(user=user, **form.cleaned_data)
        except ValidationError as error:
            user.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, "个人资料已保存。")
            return redirect("storefront:account")
    context = {
        "form": form,
        "member_verification_url": _member_verification_url(),
        # 工会看板: for branch staff (their roles' subtrees) and operators who read every branch.
        "has_branch_dashboard": relief_views.has_branch_dashboard(user),
    }
    return render(request, "storefront/account/account.html", context)


def _local_mobile(phone: str | None) -> str:
    """+8613800138000 as people write it: 13800138000."""
    return (phone or "").removeprefix("+86")


# --- 收货地址 ---------------------------------------------------------------------------------------
@login_required
def addresses(request):
    user = request.user
    context = {
        "addresses": list(user.addresses.all()),
        "default_shipping_id": user.default_shipping_address_id,
        "default_billing_id": user.default_billing_address_id,
    }
    return render(request, "storefront/account/addresses.html", context)


def _own_address(request, pk: int):
    address = request.user.addresses.filter(pk=pk).first()
    if address is None:
        raise Http404("找不到该地址。")
    return address


def _province_names() -> list[str]:
    return list(dict.fromkeys(raw for raw, _verbose in validation_rules().country_area_choices))


@login_required
@require_http_methods(FORM_METHODS)
def address_add(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_address(user=request.user, data=form.cleaned_data)
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "地址已保存。")
            return redirect("storefront:addresses")
    context = {"form": form, "provinces": _province_names(), "title": "新增收货地址"}
    return render(request, "storefront/account/address_form.html", context)


@login_required
@require_http_methods(FORM_METHODS)
def address_edit(request, pk: int):
    address = _own_address(request, pk)
    initial = {name: getattr(address, name) for name in AddressForm.base_fields}
    initial["phone"] = _local_mobile(address.phone)
    form = AddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_address(user=request.user, address=address, data=form.cleaned_data)
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "地址已保存。")
            return redirect("storefront:addresses")
    context = {"form": form, "provinces": _province_names(), "title": "修改收货地址", "address": address}
    return render(request, "storefront/account/address_form.html", context)


@login_required
@require_POST
def address_delete(request, pk: int):
    services.delete_address(user=request.user, address=_own_address(request, pk))
    messages.success(request, "地址已删除。")
    return redirect("storefront:addresses")


@login_required
@require_POST
def address_set_default(request, pk: int):
    address_type = request.POST.get("type")
    if address_type not in services.ADDRESS_TYPES:
        raise Http404("未知的地址类型。")
    services.set_default_address(user=request.user, address=_own_address(request, pk), address_type=address_type)
    messages.success(request, "默认地址已设置。")
    return redirect("storefront:addresses")

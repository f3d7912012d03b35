"""The account pages with the Django test client: 注册, 登录, 退出, 找回密码, 我的, 收货地址."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import services, throttling
from tests.storefront.html import texts

User = get_user_model()
PASSWORD = "union-mall-demo"
SHENZHEN = {
    "last_name": "李",
    "first_name": "小红",
    "phone": "13900139000",
    "country_area": "广东省",
    "city": "深圳市",
    "city_area": "南山区",
    "street_address_1": "科技园南区 1 栋 101",
    "postal_code": "518057",
}


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as a browser would, with the request's transaction committed so e-mails go out."""

    def send(url, data, *, as_client=None):
        with django_capture_on_commit_callbacks(execute=True):
            return (as_client or client).post(url, data)

    return send


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("member@example.com", PASSWORD, first_name="小红", last_name="李")


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def field_errors(response) -> list[str]:
    return texts(response, "form__error") + texts(response, "form__errors")


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- 注册 and confirmation ------------------------------------------------------------------------
def test_registering_mails_a_link_that_activates_the_account(client, post, settings, db):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = True
    assert client.get(reverse("storefront:register")).status_code == 200

    response = post(reverse("storefront:register"), {"email": "newcomer@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert "请确认邮箱" in texts(response, "account__title")
    assert User.objects.get(email="newcomer@example.com").is_active is False
    confirm_page = client.get(path_of(link_in(mail.outbox[0])))
    assert confirm_page.status_code == 200
    email = confirm_page.context["email"]
    token = confirm_page.context["token"]
    confirmed = post(reverse("storefront:confirm_account"), {"email": email, "token": token})
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("storefront:login")
    signed_in = post(reverse("storefront:login"), {"username": "newcomer@example.com", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert signed_in_user_id(client) == str(User.objects.get(email="newcomer@example.com").pk)


def test_a_forged_confirmation_link_confirms_nothing(client, post, settings, db):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = True
    post(reverse("storefront:register"), {"email": "newcomer@example.com", "password": PASSWORD})

    response = post(reverse("storefront:confirm_account"), {"email": "newcomer@example.com", "token": "abc-def"})

    assert response.status_code == 200
    assert texts(response, "form__errors") == ["链接无效或已过期，请重新申请。"]
    assert User.objects.get(email="newcomer@example.com").is_confirmed is False


def test_without_confirmation_registering_signs_the_member_in(client, post, settings, db):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = False

    response = post(reverse("storefront:register"), {"email": "newcomer@example.com", "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == reverse("storefront:account")
    assert signed_in_user_id(client) is not None


def test_a_weak_password_is_shown_in_chinese_next_to_the_field(post, db):
    response = post(reverse("storefront:register"), {"email": "newcomer@example.com", "password": "12345678"})

    assert response.status_code == 200
    assert "这个密码太常见了，请换一个。" in field_errors(response)
    assert "密码不能全是数字。" in field_errors(response)
    assert User.objects.count() == 0


# --- 登录 and 退出 -------------------------------------------------------------------------------------
def test_a_member_signs_in_with_the_email_address(client, post, member):
    assert client.get(reverse("storefront:login")).status_code == 200

    response = post(reverse("storefront:login"), {"username": "Member@example.com ", "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == reverse("storefront:account")
    assert signed_in_user_id(client) == str(member.pk)


def test_a_wrong_password_is_refused_with_a_chinese_message(client, post, member):
    response = post(reverse("storefront:login"), {"username": member.email, "password": "wrong-password"})

    assert response.status_code == 200
    assert texts(response, "form__errors") == ["邮箱/手机号或密码不正确。新注册的账户请先打开确认邮件中的链接。"]
    assert signed_in_user_id(client) is None


def test_a_throttled_login_shows_the_wait_the_backend_gives_even_for_the_right_password(
    client, post, member, settings, clock
):
    for _ in range(settings.LOGIN_THROTTLE_FREE_FAILURES + 1):
        post(reverse("storefront:login"), {"username": member.email, "password": "wrong-password"})

    response = post(reverse("storefront:login"), {"username": member.email, "password": PASSWORD})

    assert texts(response, "form__errors") == [throttling.delayed_message(1)]
    assert signed_in_user_id(client) is None


def test_login_returns_to_a_page_of_the_mall_but_never_to_another_site(client, post, member):
    inside = post(reverse("storefront:login"), {"username": member.email, "password": PASSWORD, "next": "/search/"})
    client.logout()
    outside = post(
        reverse("storefront:login"), {"username": member.email, "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert inside["Location"] == "/search/"
    assert outside["Location"] == reverse("storefront:account")


def test_the_login_form_needs_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("storefront:login"), {"username": member.email, "password": PASSWORD})

    assert response.status_code == 403
    assert signed_in_user_id(client) is None


def test_the_login_form_with_its_csrf_token_signs_in(member):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("storefront:login"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)

    response = client.post(
        reverse("storefront:login"), {"username": member.email, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(member.pk)


def test_logging_out_takes_a_post(member_client):
    assert member_client.get(reverse("storefront:logout")).status_code == 405
    assert signed_in_user_id(member_client) is not None

    response = member_client.post(reverse("storefront:logout"))

    assert response.status_code == 302
    assert signed_in_user_id(member_client) is None


# --- 找回密码 ----------------------------------------------------------------------------------------
def test_the_reset_link_from_the_email_sets_a_new_password(client, post, member):
    assert client.get(reverse("storefront:password_reset")).status_code == 200
    sent = post(reverse("storefront:password_reset"), {"email": member.email})
    assert texts(sent, "account__title") == ["请查收邮件"]
    link = link_in(mail.outbox[0])
    assert link.startswith("http://127.0.0.1:8000/account/password/set/?email=member%40example.com&token=")
    page = client.get(path_of(link))
    assert page.status_code == 200

    data = {"email": page.context["email"], "token": page.context["token"]}
    saved = post(
        reverse("storefront:password_reset_confirm"),
        {**data, "password": "spring-rice-2026", "password_again": "spring-rice-2026"},
    )

    assert saved.status_code == 302 and saved["Location"] == reverse("storefront:login")
    member.refresh_from_db()
    assert member.check_password("spring-rice-2026")


def test_the_reset_page_answers_the_same_for_an_unknown_address(post, member):
    known = post(reverse("storefront:password_reset"), {"email": member.email})
    unknown = post(reverse("storefront:password_reset"), {"email": "nobody@example.com"})

    assert texts(known, "sent-notice")[0].replace(member.email, "X") == texts(unknown, "sent-notice")[0].replace(
        "nobody@example.com", "X"
    )
    assert len(mail.outbox) == 1


def test_a_used_reset_link_is_refused_on_the_page(client, post, member):
    post(reverse("storefront:password_reset"), {"email": member.email})
    page = client.get(path_of(link_in(mail.outbox[0])))
    data = {"email": page.context["email"], "token": page.context["token"], "password_again": "spring-rice-2026"}
    post(reverse("storefront:password_reset_confirm"), {**data, "password": "spring-rice-2026"})

    again = post(reverse("storefront:password_reset_confirm"), {**data, "password": "spring-rice-2026"})

    assert again.status_code == 200
    assert field_errors(again) == ["链接无效或已过期，请重新申请。"]


# --- 我的 -------------------------------------------------------------------------------------------
def test_my_account_asks_a_visitor_to_sign_in_first(client, db):
    response = client.get(reverse("storefront:account"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('storefront:login')}?next={reverse('storefront:account')}"


def test_my_account_shows_the_profile_and_links_to_addresses(member_client):
    response = member_client.get(reverse("storefront:account"))

    assert response.status_code == 200
    assert texts(response, "account__email") == ["member@example.com"]
    assert "收货地址" in texts(response, "account__menu-item")
    assert 'href="/static/storefront/css/account.css"' in response.content.decode()


def test_saving_the_profile_with_a_bad_mobile_number_shows_a_field_error_and_changes_nothing(member_client, member):
    response = member_client.post(reverse("storefront:account"), {"last_name": "王", "first_name": "", "phone": "123"})

    assert response.status_code == 200
    assert field_errors(response) == ["请输入有效的中国大陆手机号码，例如 13800138000。"]
    member.refresh_from_db()
    assert (member.last_name, member.phone) == ("李", None)


def test_saving_the_profile_stores_names_and_the_mobile_number(member_client, member):
    response = member_client.post(
        reverse("storefront:account"), {"last_name": "王", "first_name": "小明", "phone": "13800138000"}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.last_name, member.first_name, member.phone) == ("王", "小明", "+8613800138000")


def test_changing_the_password_keeps_the_member_signed_in(member_client, member, post):
    response = post(
        reverse("storefront:password_change"),
        {"old_password": PASSWORD, "password": "spring-rice-2026", "password_again": "spring-rice-2026"},
        as_client=member_client,
    )

    assert response.status_code == 302
    assert member_client.get(reverse("storefront:account")).status_code == 200
    member.refresh_from_db()
    assert member.check_password("spring-rice-2026")


def test_a_wrong_old_password_is_shown_next_to_its_field(member_client, member):
    response = member_client.post(
        reverse("storefront:password_change"),
        {"old_password": "nope", "password": "spring-rice-2026", "password_again": "spring-rice-2026"},
    )

    assert field_errors(response) == ["原密码不正确。"]
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


# --- 收货地址 -------------------------------------------------------------------------------------------
def test_adding_an_address_from_the_page(member_client, member):
    assert member_client.get(reverse("storefront:address_add")).status_code == 200

    response = member_client.post(reverse("storefront:address_add"), {**SHENZHEN, "city_area": "nanshan qu"})

    assert response.status_code == 302 and response["Location"] == reverse("storefront:addresses")
    listing = member_client.get(reverse("storefront:addresses"))
    assert texts(listing, "address__text") == ["广东省深圳市南山区 科技园南区 1 栋 101 518057"]
    assert texts(listing, "badge") == ["默认收货", "默认账单"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"country_area": "火星省"}, "省份不在官方行政区划中，请从列表中选择。"),
        ({"city": "成都市"}, "城市不属于所选省份，请从列表中选择。"),
        ({"city_area": "朝阳区"}, "区县不属于所选城市，请从列表中选择。"),
        ({"phone": "12345"}, "请输入有效的中国大陆手机号码，例如 13800138000。"),
        ({"postal_code": "5180"}, "邮政编码应为 6 位数字。"),
    ],
)
def test_a_bad_address_on_the_page_shows_the_field_error_and_stores_nothing(member_client, member, change, message):
    response = member_client.post(reverse("storefront:address_add"), {**SHENZHEN, **change})

    assert response.status_code == 200
    assert field_errors(response) == [message]
    assert member.addresses.count() == 0


def test_editing_deleting_and_choosing_the_default_address_from_the_page(member_client, member):
    first = services.create_address(user=member, data=SHENZHEN)
    second = services.create_address(
        user=member, data={**SHENZHEN, "city": "广州市", "city_area": "天河区", "postal_code": "510630"}
    )

    edited = member_client.post(
        reverse("storefront:address_edit", args=[second.pk]),
        {**SHENZHEN, "city": "广州市", "city_area": "越秀区", "postal_code": "510030"},
    )
    made_default = member_client.post(reverse("storefront:address_set_default", args=[second.pk]), {"type": "shipping"})
    deleted = member_client.post(reverse("storefront:address_delete", args=[first.pk]))

    assert edited.status_code == made_default.status_code == deleted.status_code == 302
    member.refresh_from_db()
    assert list(member.addresses.values_list("city_area", flat=True)) == ["越秀区"]
    assert member.default_shipping_address_id == second.pk
    assert member.default_billing_address_id is None


def test_someone_elses_address_is_not_found_on_the_pages(member_client, django_user_model):
    other = django_user_model.objects.create_user("other@example.com", PASSWORD)
    theirs = services.create_address(user=other, data=SHENZHEN)

    assert member_client.get(reverse("storefront:address_edit", args=[theirs.pk])).status_code == 404
    assert member_client.post(reverse("storefront:address_delete", args=[theirs.pk])).status_code == 404
    assert other.addresses.count() == 1


@pytest.mark.parametrize("count", [1, 10])
def test_the_address_book_page_runs_the_same_queries_for_any_number(
    member_client, member, count, django_assert_num_queries
):
    for index in range(count):
        services.create_address(user=member, data={**SHENZHEN, "street_address_1": f"科技园 {index} 号"})

    member_client.get(reverse("storefront:account"))  # the header and footer menus are cached from here on
    # session, user with member profile, addresses
    with django_assert_num_queries(3):
        response = member_client.get(reverse("storefront:addresses"))

    assert len(texts(response, "address")) == count

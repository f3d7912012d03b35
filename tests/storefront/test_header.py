from django.urls import reverse

from tests.storefront.html import attributes, texts


def test_the_sign_in_link_goes_to_the_storefronts_sign_in_page_once_it_exists(client, channel):
    response = client.get("/")
    assert attributes(response, "header-action")[0]["href"] == reverse("storefront:login") + "?next=/"


def test_a_signed_in_person_sees_mine_with_their_name_linking_to_their_account(client, channel, django_user_model):
    person = django_user_model.objects.create_user(
        "zhang@example.com", "pass-1234-word", last_name="张", first_name="伟"
    )
    client.force_login(person)
    response = client.get("/")
    assert texts(response, "header-action--account") == ["我的 张伟"]
    assert attributes(response, "header-action--account")[0]["href"] == reverse("storefront:account")
    assert texts(response, "header-action__label") == ["我的", "购物车"]


def test_a_person_without_a_name_is_shown_by_their_masked_mobile(client, channel, django_user_model):
    person = django_user_model.objects.create_user("li@example.com", "pass-1234-word", phone="+8613800138000")
    client.force_login(person)
    assert texts(client.get("/"), "header-action__name") == ["138****8000"]


def test_a_person_with_neither_name_nor_mobile_is_shown_by_the_name_of_their_email(client, channel, django_user_model):
    client.force_login(django_user_model.objects.create_user("wang.fang@example.com", "pass-1234-word"))
    assert texts(client.get("/"), "header-action__name") == ["wang.fang"]


def test_the_cart_entry_leads_to_a_cart_page_that_says_it_is_empty(client, channel):
    home = client.get("/")
    assert attributes(home, "header-action")[-1]["href"] == "/cart/"

    cart = client.get("/cart/")

    assert cart.status_code == 200
    assert texts(cart, "page-title") == ["购物车"]
    assert texts(cart, "empty__title") == ["购物车是空的"]
    assert texts(cart, "button") == ["继续逛逛"]
    assert attributes(cart, "button")[0]["href"] == "/"


def test_pages_name_the_svg_favicon_and_a_png_for_phones(client, channel):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/storefront/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/storefront/apple-touch-icon.png">' in html

"""加入购物车 on the product page and the cart page: lines, prices for the viewer, changes, stock messages."""

import pytest
from django.test import Client

from catalog import services as catalog_services
from checkout.models import Checkout, CheckoutLine
from tests.storefront.buying import PASSWORD, cart_rows, guest_session, make_member
from tests.storefront.html import attributes, texts


def lines_of(checkout):
    return sorted((line.variant.name, line.quantity) for line in checkout.lines.select_related("variant"))


# --- The product page's buy form ----------------------------------------------------------------------------
def test_the_product_page_offers_each_variant_as_a_choice_with_quantity_and_both_buttons(client, shop):
    response = client.get("/products/pu-er/")

    radios = attributes(response, "variant__radio")
    assert [radio["value"] for radio in radios] == [str(shop.tea_small.pk), str(shop.tea_large.pk)]
    assert texts(response, "buy-form__add") == ["加入购物车"]
    assert texts(response, "buy-form__buy") == ["立即购买"]
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_a_guest_adds_a_variant_to_a_new_cart_kept_in_the_session(client, shop):
    response = client.post("/products/pu-er/", {"variant": shop.tea_large.pk, "quantity": 2, "action": "add"})

    assert response.status_code == 302
    assert response["Location"] == "/products/pu-er/"
    checkout = Checkout.objects.get()
    assert (checkout.user, lines_of(checkout)) == (None, [("规格2", 2)])
    assert client.session["checkout_token"] == str(checkout.token)
    page = client.get(response["Location"])
    assert texts(page, "flash__item") == ["已加入购物车。 去购物车 ›"]
    assert texts(page, "header-action__count") == ["2"]


def test_adding_the_same_variant_again_adds_to_its_line(client, shop):
    for _ in range(2):
        client.post("/products/pu-er/", {"variant": shop.tea_small.pk, "quantity": 3, "action": "add"})
    assert lines_of(Checkout.objects.get()) == [("规格1", 6)]


def test_buy_now_adds_the_variant_and_goes_to_checkout(member_client, member, shop):
    response = member_client.post("/products/pu-er/", {"variant": shop.tea_small.pk, "quantity": 1, "action": "buy"})

    assert response["Location"] == "/checkout/"
    checkout = Checkout.objects.get()
    assert (checkout.user, checkout.email, lines_of(checkout)) == (member, member.email, [("规格1", 1)])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"variant": "", "quantity": 1}, "variant", "请选择规格。"),
        ({"variant": "999999", "quantity": 1}, "variant", "请选择在售的规格。"),
        ({"variant": "abc", "quantity": 1}, "variant", "请选择在售的规格。"),
        ({"quantity": 0}, "quantity", "数量至少为 1。"),
        ({"quantity": "两"}, "quantity", "数量须为整数。"),
        ({"quantity": 51}, "quantity", "每件商品最多购买 50 件。"),
        ({"quantity": ""}, "quantity", "请填写数量。"),
    ],
)
def test_bad_buy_form_input_is_shown_in_chinese_and_changes_nothing(client, shop, data, field, message):
    data = {"variant": shop.tea_small.pk, "action": "add", **data}

    response = client.post("/products/pu-er/", data)

    assert response.status_code == 400
    assert message in texts(response, "form__error")
    assert Checkout.objects.count() == 0


def test_more_than_the_stock_is_refused_with_a_stock_message_and_nothing_changes(client, shop):
    client.post("/products/wu-chang/", {"variant": shop.rice.pk, "quantity": 1, "action": "add"})

    response = client.post("/products/wu-chang/", {"variant": shop.rice.pk, "quantity": 5, "action": "add"})

    assert response.status_code == 400
    assert any("库存" in error for error in texts(response, "form__error") + texts(response, "form__errors"))
    assert lines_of(Checkout.objects.get()) == [("规格1", 1)]


def test_a_sold_out_variant_cannot_be_chosen(client, shop):
    catalog_services.set_stock(variant=shop.tea_large, warehouse=shop.warehouse, quantity=0)

    response = client.post("/products/pu-er/", {"variant": shop.tea_large.pk, "quantity": 1, "action": "add"})

    assert response.status_code == 400
    assert "请选择在售的规格。" in texts(response, "form__error")
    assert ["disabled" in radio for radio in attributes(response, "variant__radio")] == [False, True]
    assert Checkout.objects.count() == 0


def test_adding_to_the_cart_needs_the_csrf_token(shop):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/products/pu-er/", {"variant": shop.tea_small.pk, "quantity": 1})
    assert response.status_code == 403
    assert Checkout.objects.count() == 0


# --- The cart page ------------------------------------------------------------------------------------------
def test_the_cart_lists_lines_with_variant_unit_price_stock_and_subtotal(client, shop):
    guest_session(client, cart_rows(shop.channel, [(shop.tea_small, 2), (shop.rice, 1)]))

    response = client.get("/cart/")

    assert texts(response, "cart-line__name") == ["普洱茶", "五常大米"]
    assert texts(response, "cart-line__variant") == ["规格1", "规格1"]
    assert texts(response, "cart-line__price") == ["¥30.00", "¥50.00"]
    assert texts(response, "cart-line__total") == ["¥60.00", "¥50.00"]
    assert texts(response, "line-stock") == ["有货", "库存紧张"]
    assert texts(response, "totals__row") == ["共 3 件商品 ¥110.00"]
    assert texts(response, "summary__go") == ["去结算"]
    assert texts(response, "member-note")  # a guest is told how member prices are had


def test_a_verified_member_sees_member_prices_with_the_list_price_struck_through(member_client, member, shop):
    cart_rows(shop.channel, [(shop.tea_small, 2)], user=member)

    response = member_client.get("/cart/")

    assert texts(response, "cart-line__price") == ["会员价¥25.00 ¥30.00"]
    assert texts(response, "totals__row") == ["共 2 件商品 ¥50.00", "会员价已省 ¥10.00"]
    assert texts(response, "member-note") == []


def test_an_unverified_member_pays_list_prices_in_the_cart(client, django_user_model, shop):
    person = make_member(django_user_model, "new@example.com", verified=False)
    cart_rows(shop.channel, [(shop.tea_small, 1)], user=person)
    client.force_login(person)
    assert texts(client.get("/cart/"), "cart-line__price") == ["¥30.00"]


def test_lines_wanting_more_than_is_left_say_so_and_block_checkout(client, shop):
    guest_session(client, cart_rows(shop.channel, [(shop.rice, 3), (shop.tea_small, 1)]))
    catalog_services.set_stock(variant=shop.rice, warehouse=shop.warehouse, quantity=2)

    response = client.get("/cart/")

    assert texts(response, "line-stock") == ["库存不足，仅剩 2 件", "有货"]
    assert texts(response, "summary__go") == []
    assert texts(response, "summary__blocked") == ["部分商品库存不足或已下架，请先调整数量或删除后再结算。"]


def test_a_sold_out_line_says_sold_out(client, shop):
    guest_session(client, cart_rows(shop.channel, [(shop.rice, 1)]))
    catalog_services.set_stock(variant=shop.rice, warehouse=shop.warehouse, quantity=0)
    assert texts(client.get("/cart/"), "line-stock") == ["已售罄"]


def test_changing_a_quantity_updates_the_line(client, shop):
    checkout = cart_rows(shop.channel, [(shop.tea_small, 1)])
    guest_session(client, checkout)
    line = checkout.lines.get()

    response = client.post(f"/cart/lines/{line.pk}/", {"quantity": 4}, follow=True)

    assert texts(response, "flash__item") == ["数量已更新。"]
    assert lines_of(checkout) == [("规格1", 4)]
    assert texts(response, "header-action__count") == ["4"]


def test_quantity_zero_removes_the_line(client, shop):
    checkout = cart_rows(shop.channel, [(shop.tea_small, 1), (shop.rice, 1)])
    guest_session(client, checkout)
    line = checkout.lines.get(variant=shop.tea_small)
    client.post(f"/cart/lines/{line.pk}/", {"quantity": 0})
    assert [line.variant for line in checkout.lines.all()] == [shop.rice]


@pytest.mark.parametrize(
    ("quantity", "message"),
    [("-1", "数量不能为负数。"), ("x", "数量须为整数。"), ("51", "每件商品最多购买 50 件。"), ("", "请填写数量。")],
)
def test_a_bad_quantity_is_refused_in_chinese_beside_its_line_and_nothing_changes(client, shop, quantity, message):
    checkout = cart_rows(shop.channel, [(shop.tea_small, 2)])
    guest_session(client, checkout)
    line = checkout.lines.get()

    response = client.post(f"/cart/lines/{line.pk}/", {"quantity": quantity})

    assert response.status_code == 400
    assert texts(response, "form__error") == [message]
    assert lines_of(checkout) == [("规格1", 2)]


def test_a_quantity_over_the_stock_is_refused_with_the_services_stock_message(client, shop):
    checkout = cart_rows(shop.channel, [(shop.rice, 1)])
    guest_session(client, checkout)

    response = client.post(f"/cart/lines/{checkout.lines.get().pk}/", {"quantity": 4})

    assert response.status_code == 400
    assert "库存" in texts(response, "form__error")[0]
    assert lines_of(checkout) == [("规格1", 1)]


def test_removing_a_line_deletes_it(client, shop):
    checkout = cart_rows(shop.channel, [(shop.tea_small, 1)])
    guest_session(client, checkout)

    response = client.post(f"/cart/lines/{checkout.lines.get().pk}/delete/", follow=True)

    assert texts(response, "flash__item") == ["已删除该商品。"]
    assert texts(response, "empty__title") == ["购物车是空的"]
    assert CheckoutLine.objects.count() == 0


def test_nobody_changes_a_line_of_someone_elses_cart(client, shop):
    theirs = cart_rows(shop.channel, [(shop.tea_small, 1)])
    guest_session(client, cart_rows(shop.channel, [(shop.rice, 1)]))
    line = theirs.lines.get()

    assert client.post(f"/cart/lines/{line.pk}/", {"quantity": 5}).status_code == 404
    assert client.post(f"/cart/lines/{line.pk}/delete/").status_code == 404
    assert lines_of(theirs) == [("规格1", 1)]


def test_cart_changes_need_the_csrf_token(shop):
    client = Client(enforce_csrf_checks=True)
    checkout = cart_rows(shop.channel, [(shop.tea_small, 1)])
    guest_session(client, checkout)
    line = checkout.lines.get()

    assert client.post(f"/cart/lines/{line.pk}/", {"quantity": 5}).status_code == 403
    assert client.post(f"/cart/lines/{line.pk}/delete/").status_code == 403
    assert lines_of(checkout) == [("规格1", 1)]


@pytest.mark.parametrize("count", [1, 5])
def test_the_cart_runs_the_same_queries_for_1_or_5_lines(
    member_client, member, channel, warehouse, count, django_assert_num_queries, media_root
):
    from tests import factories

    products = [factories.product(channel=channel, warehouse=warehouse, member_price="8.00") for _ in range(count)]
    for product in products:
        factories.product_image(product)
    cart_rows(channel, [(product.variants.get(), 1) for product in products], user=member)
    member_client.get("/cart/")  # menus and channels cached from here on

    # session, user, the checkout, its lines, their stocks, their listings, the first pictures
    with django_assert_num_queries(7):
        response = member_client.get("/cart/")
    assert len(texts(response, "cart-line__name")) == count
    assert len(attributes(response, "cart-line__image")) == count


# --- Signing in with a guest cart ---------------------------------------------------------------------------
def sign_in(client, user):
    return client.post("/account/login/", {"username": user.email, "password": PASSWORD})


def test_a_guest_cart_becomes_the_members_cart_on_sign_in_when_they_have_none(client, member, shop):
    client.post("/products/pu-er/", {"variant": shop.tea_small.pk, "quantity": 2, "action": "add"})

    sign_in(client, member)

    checkout = Checkout.objects.get()
    assert (checkout.user, lines_of(checkout)) == (member, [("规格1", 2)])
    response = client.get("/cart/")
    assert texts(response, "cart-line__price") == ["会员价¥25.00 ¥30.00"]  # now priced for the member
    assert "checkout_token" not in client.session


def test_a_guest_cart_is_added_to_the_members_own_cart_on_sign_in(client, member, shop):
    own = cart_rows(shop.channel, [(shop.tea_small, 1)], user=member)
    client.post("/products/pu-er/", {"variant": shop.tea_small.pk, "quantity": 2, "action": "add"})
    client.post("/products/wu-chang/", {"variant": shop.rice.pk, "quantity": 1, "action": "add"})

    sign_in(client, member)

    assert sorted((line.variant_id, line.quantity) for line in own.lines.all()) == sorted(
        [(shop.tea_small.pk, 3), (shop.rice.pk, 1)]
    )
    assert texts(client.get("/cart/"), "totals__row")[0] == "共 4 件商品 ¥125.00"

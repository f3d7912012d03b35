import re

from django.test import Client

from tests.storefront.html import attributes, texts


def test_pages_are_in_chinese_by_default(client, channel, food):
    response = client.get("/categories/food/")
    assert response["Content-Language"] == "zh-hans"
    assert texts(response, "search__button") == ["搜索"]
    assert texts(response, "empty__title") == ["该分类暂无商品"]


def test_switching_to_english_shows_the_pages_in_english(client, food, rice):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/categories/food/"})
    assert response.status_code == 302
    assert response["Location"] == "/categories/food/"

    response = client.get("/categories/food/")

    assert '<html lang="en">' in response.content.decode()
    assert texts(response, "search__button") == ["Search"]
    assert texts(response, "listing-header__count") == ["1 product"]
    assert texts(response, "sorts__option") == ["Relevance", "Name", "Price ↑", "Price ↓", "Newest"]
    assert texts(response, "member-price") == ["Member price¥35.00"]
    assert texts(response, "breadcrumbs") == ["Home 食品"]  # names of things stay as the shop wrote them


def test_english_product_page_and_404_page(client, rice):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    product = client.get("/products/gao-yuan-hong-mi/")
    assert texts(product, "facts__row") == ["Stock In stock", "Origin 云南省怒江州", "Merchant 怒江高原农业合作社"]
    missing = client.get("/products/nothing/")
    assert missing.status_code == 404
    assert texts(missing, "empty__title") == ["Page not found"]


def test_switching_back_to_chinese(client, channel, food):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert texts(client.get("/categories/food/"), "empty__title") == ["该分类暂无商品"]


def test_the_language_switch_posts_with_a_csrf_token_back_to_the_same_page(channel, food):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/categories/food/?sort=price")
    form = attributes(page, "language-switch")[0]
    assert (form["action"], form["method"]) == ("/i18n/setlang/", "post")
    html = page.content.decode()
    assert '<input type="hidden" name="next" value="/categories/food/?sort=price">' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    assert browser.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 403
    switched = browser.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    assert switched.cookies["django_language"].value == "en"


def test_switching_to_an_unknown_language_keeps_chinese(client, channel, food):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert texts(client.get("/categories/food/"), "empty__title") == ["该分类暂无商品"]


def test_an_english_browser_still_gets_chinese_until_the_visitor_switches(client, channel, food):
    response = client.get("/categories/food/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert texts(response, "search__button") == ["搜索"]

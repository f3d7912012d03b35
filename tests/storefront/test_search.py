from tests import factories
from tests.storefront.html import attributes, product_names, texts


def test_search_finds_products_by_name(client, channel, warehouse):
    for name in ["普洱熟茶饼", "滇红工夫红茶", "高原红米"]:
        factories.product(channel=channel, name=name, warehouse=warehouse)
    factories.product(channel=channel, name="未上架红茶", warehouse=warehouse, published=False)

    response = client.get("/search/", {"q": "茶"})

    assert response.status_code == 200
    assert product_names(response) == ["普洱熟茶饼", "滇红工夫红茶"]
    assert texts(response, "listing-header__title") == ["“茶”的搜索结果"]
    assert attributes(response, "search__input")[0]["value"] == "茶"


def test_search_results_can_be_sorted_and_filtered_without_losing_the_words(client, channel, warehouse):
    factories.product(channel=channel, name="红茶", price="30.00", warehouse=warehouse)
    factories.product(channel=channel, name="绿茶", price="20.00", warehouse=warehouse)

    response = client.get("/search/", {"q": "茶", "sort": "-price"})

    assert product_names(response) == ["红茶", "绿茶"]
    assert attributes(response, "sorts__option")[1]["href"] == "?q=%E8%8C%B6&sort=price"
    assert product_names(client.get("/search/", {"q": "茶", "max_price": "25"})) == ["绿茶"]


def test_search_without_words_asks_what_to_look_for(client, channel):
    response = client.get("/search/", {"q": "   "})
    assert response.status_code == 200
    assert texts(response, "empty__title") == ["想找什么商品？"]


def test_search_with_no_match_says_so(client, channel, warehouse):
    factories.product(channel=channel, name="红茶", warehouse=warehouse)
    response = client.get("/search/", {"q": "咖啡"})
    assert texts(response, "empty__title") == ["没有找到相关商品，换个词试试吧。"]
    assert texts(response, "listing-header__count") == ["共 0 件商品"]


def test_search_words_are_shown_escaped(client, channel):
    response = client.get("/search/", {"q": '<script>alert("x")</script>'})
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_very_long_search_is_cut_to_100_characters(client, channel):
    response = client.get("/search/", {"q": "米" * 500})
    assert response.status_code == 200
    assert texts(response, "listing-header__title") == ["“" + "米" * 100 + "”的搜索结果"]


def test_control_characters_in_the_search_are_dropped(client, channel, warehouse):
    factories.product(channel=channel, name="红茶", warehouse=warehouse)
    response = client.get("/search/", {"q": "红\x00茶"})
    assert response.status_code == 200
    assert texts(response, "listing-header__title") == ["“红 茶”的搜索结果"]

from tests import factories
from tests.storefront.html import product_names, texts


def test_collection_page_lists_its_products_and_is_linked_from_the_home_page(client, channel, warehouse):
    honey, rice = (factories.product(channel=channel, name=name, warehouse=warehouse) for name in ["蜂蜜", "红米"])
    factories.product(channel=channel, name="其他商品", warehouse=warehouse)
    factories.collection(channel=channel, slug="relief-zone", name="帮扶专区", products=[rice, honey])

    response = client.get("/collections/relief-zone/")

    assert response.status_code == 200
    assert texts(response, "listing-header__title") == ["帮扶专区"]
    assert product_names(response) == ["红米", "蜂蜜"]  # sorted by name unless asked otherwise
    assert 'href="/collections/relief-zone/"' in client.get("/").content.decode()


def test_an_empty_collection_says_it_has_no_products(client, channel):
    factories.collection(channel=channel, slug="festival-gifts", name="节日礼包")
    response = client.get("/collections/festival-gifts/")
    assert texts(response, "empty__title") == ["该专区暂无商品"]


def test_an_unpublished_or_unknown_collection_gives_a_404_page(client, channel):
    factories.collection(channel=channel, slug="member-deals", name="会员特惠", published=False)
    for address in ["/collections/member-deals/", "/collections/no-such-collection/"]:
        response = client.get(address)
        assert response.status_code == 404
        assert "该专区不存在。" in response.content.decode()

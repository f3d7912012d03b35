from catalog import services
from tests import factories
from tests.storefront.html import product_names, texts


def test_home_shows_the_mall_name_the_search_box_and_the_language_switch_in_chinese(client, channel):
    response = client.get("/")
    assert response.status_code == 200
    assert texts(response, "brand__name") == ["工会商城"]
    assert texts(response, "search__button") == ["搜索"]
    assert texts(response, "language-switch__option") == ["EN"]  # one button: the other language
    assert '<html lang="zh-hans">' in response.content.decode()


def test_home_offers_the_root_categories_as_entrances_in_their_order(client, channel):
    drinks = factories.category(name="茶叶冲饮", sort_order=2)
    food = factories.category(name="粮油米面", sort_order=1)
    factories.category(name="大米", parent=food)
    factories.category(name="红茶", parent=drinks)
    response = client.get("/")
    assert texts(response, "entrance__name") == ["粮油米面", "茶叶冲饮"]
    assert f'href="/categories/{food.slug}/"' in response.content.decode()


def test_home_shows_the_relief_member_and_festival_collections_as_rows_in_that_order(client, channel, warehouse):
    rice, tea, honey, gift = (
        factories.product(channel=channel, name=name, warehouse=warehouse)
        for name in ["红米", "滇红茶", "蜂蜜", "年货礼包"]
    )
    factories.collection(channel=channel, slug="festival-gifts", name="节日礼包", products=[gift, honey])
    factories.collection(channel=channel, slug="member-deals", name="会员特惠", products=[tea])
    factories.collection(channel=channel, slug="relief-zone", name="帮扶专区", products=[honey, rice])
    factories.collection(channel=channel, slug="other", name="其他专区", products=[rice])

    response = client.get("/")

    assert texts(response, "collection-row__title") == ["帮扶专区", "会员特惠", "节日礼包"]
    assert product_names(response) == ["蜂蜜", "红米", "滇红茶", "年货礼包", "蜂蜜"]
    assert texts(response, "section__tagline")[0] == "买帮扶地区好物，助农户增收"


def test_home_leaves_out_unpublished_collections_and_unpublished_products(client, channel, warehouse):
    shown = factories.product(channel=channel, name="红米", warehouse=warehouse)
    hidden = factories.product(channel=channel, name="未上架商品", warehouse=warehouse, published=False)
    factories.collection(channel=channel, slug="relief-zone", name="帮扶专区", products=[hidden, shown])
    factories.collection(channel=channel, slug="member-deals", name="会员特惠", products=[shown], published=False)

    response = client.get("/")

    assert texts(response, "collection-row__title") == ["帮扶专区"]
    assert product_names(response) == ["红米"]


def test_home_says_so_when_no_products_are_on_show(client, channel):
    factories.collection(channel=channel, slug="relief-zone", name="帮扶专区")
    response = client.get("/")
    assert texts(response, "empty__title") == ["暂无上架商品"]


def test_home_says_the_mall_is_not_open_when_its_channel_is_missing(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert texts(response, "empty__title") == ["商城尚未开放"]


def test_home_runs_the_same_queries_for_one_or_five_products_per_row(
    client, channel, warehouse, django_assert_num_queries
):
    products = [factories.product(channel=channel, warehouse=warehouse, variants=3) for _ in range(15)]
    rows = {
        slug: factories.collection(channel=channel, slug=slug, products=products[index : index + 1])
        for index, slug in enumerate(["relief-zone", "member-deals", "festival-gifts"])
    }
    factories.category(name="食品")
    client.get("/")  # the header and footer menus and the active channels are cached from here on
    with django_assert_num_queries(8):
        assert len(product_names(client.get("/"))) == 3

    for index, collection in enumerate(rows.values()):
        services.add_products_to_collection(collection=collection, products=products[3 + 4 * index : 7 + 4 * index])
    for name in ["日用", "家电", "礼盒"]:
        factories.category(name=name)
    with django_assert_num_queries(8):
        assert len(product_names(client.get("/"))) == 15

import pytest

from catalog import services
from catalog.models import Merchant
from tests import factories
from tests.storefront.buying import member, member_client, shop  # noqa: F401  (fixtures of the buying pages)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def food(db):
    """食品 → 粮油 → 大米: a root category with a child and a grandchild."""
    root = factories.category(name="食品", slug="food")
    grain = factories.category(name="粮油", slug="grain-oil", parent=root)
    rice = factories.category(name="大米", slug="rice", parent=grain)
    return {"root": root, "grain": grain, "rice": rice}


@pytest.fixture
def relief_supplier(db):
    return factories.merchant(
        name="怒江高原农业合作社",
        slug="nujiang-coop",
        kind=Merchant.Kind.RELIEF_SUPPLIER,
        region="云南省怒江傈僳族自治州泸水市",
    )


@pytest.fixture
def rice(channel, warehouse, food, relief_supplier):
    """A relief product with two variants, an origin and a second attribute."""
    product = factories.product(
        channel=channel,
        name="高原红米",
        slug="gao-yuan-hong-mi",
        category=food["rice"],
        merchant=relief_supplier,
        price="39.90",
        member_price="35.00",
        quantity=50,
        warehouse=warehouse,
        variants=2,
    )
    services.assign_attribute(product=product, attribute_name="产地", value="云南省怒江州")
    services.assign_attribute(product=product, attribute_name="保质期", value="12个月", sort_order=1)
    return product

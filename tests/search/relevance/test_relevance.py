"""The relevance set: searches on the demo catalogue and the products that must be in the top 3.

Each case is (query, expectation): a tuple of product names that must all be in the top 3, or
`("category", name)` (all of the top 3 in that category), or `("name_has", word)` (each of the top 3 has the
word in its name). The share that passes is printed; any failing case fails the test.
"""

import pytest

from catalog import selectors

CATEGORY, NAME_HAS = "category", "name_has"

RELEVANCE_SET = [
    # Chinese words
    ("脐橙", ("赣南脐橙",)),
    ("大米", (CATEGORY, "大米")),
    ("蜂蜜", (CATEGORY, "蜂蜜")),
    ("枸杞", (NAME_HAS, "枸杞")),
    ("核桃", (NAME_HAS, "核桃")),
    ("腊肉", (NAME_HAS, "腊肉")),
    ("当归", ("岷县当归", "岷县当归片")),
    ("红茶", (CATEGORY, "茶叶")),
    ("黄金茶", ("保靖黄金茶",)),
    ("鸭蛋", ("侗乡生态鸭蛋", "高邮咸鸭蛋")),
    ("香菇", ("恩施椴木香菇",)),
    ("辣椒", ("湘西剁辣椒",)),
    ("保温杯", ("316不锈钢保温杯 500ml",)),
    ("洗衣液", ("薰衣草植物洗衣液 3kg",)),
    ("菜籽油", ("互助小榨菜籽油",)),
    ("平凡的世界", ("平凡的世界（全三册）",)),
    ("空气炸锅", ("可视空气炸锅 5.5L",)),
    ("脐橙礼盒", ("赣南脐橙礼盒",)),
    ("猕猴桃 湘西", ("湘西猕猴桃",)),
    ("大 米", (CATEGORY, "大米")),
    # Partial words
    ("猕猴", ("湘西猕猴桃",)),
    ("稻花香", ("五常稻花香大米", "兴安盟稻花香大米")),
    ("稻花香米", ("五常稻花香大米", "兴安盟稻花香大米")),
    ("压力锅", ("双胆电压力锅 5L",)),
    ("苦荞", (NAME_HAS, "苦荞")),
    ("麦饭石", ("麦饭石不粘炒锅 32cm",)),
    ("不锈钢", (NAME_HAS, "不锈钢")),
    # Category words and region names
    ("茶", (CATEGORY, "茶叶")),
    ("怒江", (NAME_HAS, "怒江")),
    ("雷山", (NAME_HAS, "雷山")),
    ("赣南", ("赣南脐橙", "赣南脐橙礼盒")),
    ("兴安盟", ("兴安盟稻花香大米", "兴安盟小米")),
    ("红岩", ("红岩",)),
    # Synonyms
    ("橙子", ("赣南脐橙",)),
    ("土豆", (CATEGORY, "蔬菜薯类")),
    ("马铃薯", ("定西马铃薯", "西吉马铃薯")),
    ("洋芋", ("巫山洋芋",)),
    ("奇异果", ("湘西猕猴桃",)),
    ("胡桃", (NAME_HAS, "核桃")),
    ("番茄", ("百色圣女果",)),
    ("西红柿", ("百色圣女果",)),
    ("电饭锅", ("智能电饭煲 4L",)),
    ("吹风机", ("负离子电吹风",)),
    ("纸巾", (CATEGORY, "纸品湿巾")),
    # Full pinyin and initials
    ("qicheng", ("赣南脐橙",)),
    ("qi cheng", ("赣南脐橙",)),
    ("qc", ("赣南脐橙",)),
    ("dami", (CATEGORY, "大米")),
    ("cha", (CATEGORY, "茶叶")),
    ("fengmi", (CATEGORY, "蜂蜜")),
    ("gouqi", (NAME_HAS, "枸杞")),
    ("danggui", ("岷县当归",)),
    ("huangjincha", ("保靖黄金茶",)),
    ("mihoutao", ("湘西猕猴桃",)),
    ("kqzg", ("可视空气炸锅 5.5L",)),
    ("gnqc", ("赣南脐橙",)),
    ("qicheng lihe", ("赣南脐橙礼盒",)),
    # Homophone slips
    ("脐澄", ("赣南脐橙",)),
    ("猕猴淘", ("湘西猕猴桃",)),
    ("苦乔茶", ("大凉山苦荞茶",)),
    ("当规", ("岷县当归",)),
    # Chinese with Latin, and English
    ("5L电压力锅", ("双胆电压力锅 5L",)),
    ("电压力锅 5l", ("双胆电压力锅 5L",)),
    ("rice", (CATEGORY, "大米")),
    ("tea", (CATEGORY, "茶叶")),
    ("honey", (CATEGORY, "蜂蜜")),
    ("coffee", ("怒江小粒咖啡豆（中度烘焙）",)),
    ("cadr", ("家用空气净化器",)),
    # A region and a product word together: the honey of 怒江 has no 怒江 in its name
    ("怒江 蜂蜜", ("高黎贡山土蜂蜜",)),
]


def top(channel, text: str, count: int = 3):
    products = selectors.product_listing(
        channel, product_filter=selectors.ProductFilter(search=text), sort_field="RANK", descending=True
    )
    return list(products.select_related("category")[:count])


def passes(products, expectation) -> bool:
    if not products:
        return False
    if expectation[0] == CATEGORY:
        return all(product.category.name == expectation[1] for product in products)
    if expectation[0] == NAME_HAS:
        return all(expectation[1] in product.name for product in products)
    names = {product.name for product in products}
    return all(name in names for name in expectation)


def test_the_relevance_set_passes(demo_catalogue):
    assert len(RELEVANCE_SET) >= 40
    failures = []
    for text, expectation in RELEVANCE_SET:
        products = top(demo_catalogue, text)
        if not passes(products, expectation):
            failures.append(f"{text!r}: wanted {expectation}, got {[p.name for p in products]}")
    passed = len(RELEVANCE_SET) - len(failures)
    print(f"\nrelevance: {passed}/{len(RELEVANCE_SET)} queries pass ({passed / len(RELEVANCE_SET):.0%})")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("text", ["大米", "dami", "大 米", "rice"])
def test_a_rice_cooperatives_other_goods_are_not_found_by_rice(demo_catalogue, text):
    names = {product.name for product in top(demo_catalogue, text, count=100)}
    assert len(names) >= 3
    assert not names & {"科尔沁风干牛肉干", "兴安岭黑木耳", "兴安盟小米"}


def test_tea_does_not_find_chili_sauce_or_bacon(demo_catalogue):
    names = [product.name for product in top(demo_catalogue, "茶", count=100)]
    assert not {"湘西剁辣椒", "苗家烟熏腊肉"} & set(names)


def test_a_merchant_name_finds_its_goods_when_no_product_is_named_so(demo_catalogue):
    names = {product.name for product in top(demo_catalogue, "惠工电器", count=100)}
    assert "双胆电压力锅 5L" in names

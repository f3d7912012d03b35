"""What each demo product will be (prices, variants, stock, attributes, description), decided without the database.

Every choice comes from a random generator seeded by the product itself, so a product comes out the
same on every run and whatever else exists.
"""

import html
import random
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import cache

from catalog.slugs import slug_from_name
from demo.catalogue import CATEGORIES, MERCHANTS, SCHEMES, Item, Leaf, MerchantData, Root

SEED = "union-mall-demo-2025"
ONE = Decimal("1")
DIME = Decimal("0.1")
TEN_FEN = Decimal("0.10")

RELIEF_DISCOUNTS = ("1.00", "0.98", "0.95", "0.95", "0.92", "0.90")
MEMBER_DISCOUNTS = ("0.95", "0.92", "0.90", "0.88", "0.85", "0.80")
DEAL_SHARE = Decimal("0.88")  # a member price at most 88% of the price makes a 会员特惠

# Large catalogues name their products "<adjective><hand-written product>·<edition>".
# Books and stationery are "<title>（<adjective>·<edition>）" instead.
ADJECTIVES = ("精选", "优选", "臻选", "特级", "产地直发", "会员专享", "新品", "甄选")
EDITIONS = ("经济装", "家庭装", "尝鲜装", "囤货装", "单位采购装", "节日装")
BOOK_ADJECTIVES = ("典藏版", "插图版", "大字版", "纪念版", "青少版", "精编版", "修订版", "珍藏版")
BOOK_EDITIONS = ("单册", "套装", "职工书屋版", "工会定制版", "礼品装", "团购装")


@dataclass(frozen=True)
class VariantPlan:
    sku: str
    name: str
    price: Decimal
    member_price: Decimal
    quantity: int


@dataclass(frozen=True)
class ProductPlan:
    merchant: MerchantData
    root: Root
    leaf: Leaf
    name: str
    slug: str
    variants: tuple[VariantPlan, ...]
    attributes: tuple[tuple[str, str], ...]
    description: dict
    is_published: bool = True
    presale: bool = False  # published, but on sale only from a later date

    @property
    def is_deal(self) -> bool:
        first = self.variants[0]
        return first.member_price <= (first.price * DEAL_SHARE).quantize(TEN_FEN)

    @property
    def is_gift(self) -> bool:
        return self.root.name == "节日礼盒" or any("礼盒" in variant.name for variant in self.variants)


@cache
def leaves_by_name() -> dict[str, tuple[Root, Leaf]]:
    return {leaf.name: (root, leaf) for root in CATEGORIES for leaf in root.leaves}


def retail_price(amount: Decimal) -> Decimal:
    """Round to a shop price ending in .90 (56.81 → 56.90)."""
    return max(amount.quantize(ONE, rounding=ROUND_HALF_UP) - TEN_FEN, Decimal("0.90"))


def member_price(price: Decimal, discount: str) -> Decimal:
    """Never above the price: the discount is applied and rounded down to the dime."""
    return min((price * Decimal(discount)).quantize(DIME, rounding=ROUND_DOWN).quantize(TEN_FEN), price)


def _variants(rng: random.Random, item: Item, merchant: MerchantData, base: Decimal, sku_prefix: str):
    scheme = SCHEMES[item.scheme or leaves_by_name()[item.leaf][1].scheme]
    chosen = scheme[: rng.randint(1, len(scheme))]
    discount = rng.choice(RELIEF_DISCOUNTS if merchant.relief else MEMBER_DISCOUNTS)
    roll = rng.random()
    variants = []
    for index, (name, multiplier) in enumerate(chosen):
        price = base if multiplier == "1" else retail_price(base * Decimal(multiplier))
        if roll < 0.06:
            quantity = 0  # sold out
        elif roll < 0.16:
            quantity = rng.randint(1, 5)  # 库存紧张
        else:
            quantity = rng.randint(20, 400)
        variants.append(VariantPlan(f"{sku_prefix}-{index + 1}", name, price, member_price(price, discount), quantity))
    return tuple(variants)


def _attributes(item: Item, merchant: MerchantData, leaf: Leaf, variants) -> tuple[tuple[str, str], ...]:
    pairs = [
        ("产地", item.origin or merchant.region),
        ("规格", item.spec or "、".join(variant.name for variant in variants)),
        ("保质期", leaf.shelf_life),
        ("储存方式", leaf.storage),
    ]
    return tuple((name, value) for name, value in pairs if value)


def _blocks(*blocks) -> dict:
    return {"time": 0, "version": "2.24.3", "blocks": list(blocks)}


def _paragraph(text: str) -> dict:
    return {"type": "paragraph", "data": {"text": html.escape(text)}}


def _header(text: str) -> dict:
    return {"type": "header", "data": {"text": html.escape(text), "level": 3}}


def _list(items) -> dict:
    return {"type": "list", "data": {"style": "unordered", "items": [html.escape(item) for item in items]}}


def description(rng: random.Random, name: str, merchant: MerchantData, leaf: Leaf, attributes) -> dict:
    """An EditorJS description: introduction, highlights, the relief story, storage and delivery."""
    highlights = list(leaf.highlights)
    rng.shuffle(highlights)
    values = dict(attributes)
    if merchant.relief:
        intro = f"{name}来自{merchant.region}，由{merchant.name}直供。{highlights[0]}，{highlights[1]}。"
    else:
        intro = f"{name}，{merchant.name}为工会会员精选。{highlights[0]}，{highlights[1]}。"
    blocks = [_paragraph(intro), _header("产品亮点"), _list([*highlights, f"规格：{values['规格']}"])]
    if merchant.relief:
        households = rng.randint(60, 900)
        blocks += [
            _header("帮扶故事"),
            _paragraph(
                f"{merchant.description}合作社以“合作社+农户”的方式带动当地{households}户农户增收。"
                "会员和基层工会购买本商品，都计入消费帮扶统计。"
            ),
        ]
    care = [f"储存方式：{values['储存方式']}。"] if "储存方式" in values else []
    care += [f"保质期：{values['保质期']}。"] if "保质期" in values else []
    care.append("下单后48小时内发货，新疆、西藏等偏远地区以实际物流为准。")
    return _blocks(*blocks, _header("储存与配送"), _paragraph("".join(care)))


def _plan(item: Item, merchant: MerchantData, *, name: str, slug: str, sku_prefix: str, base: Decimal, **flags):
    rng = random.Random(f"{SEED}:{slug}")
    root, leaf = leaves_by_name()[item.leaf]
    variants = _variants(rng, item, merchant, base, sku_prefix)
    attributes = _attributes(item, merchant, leaf, variants)
    return ProductPlan(
        merchant=merchant,
        root=root,
        leaf=leaf,
        name=name,
        slug=slug,
        variants=variants,
        attributes=attributes,
        description=description(rng, name, merchant, leaf, attributes),
        **flags,
    )


@cache
def curated_plans() -> tuple[ProductPlan, ...]:
    """The hand-written catalogue; a few products are unpublished and a few go on sale later."""
    plans = []
    for merchant in MERCHANTS:
        for number, item in enumerate(merchant.items, start=1):
            index = len(plans)
            plans.append(
                _plan(
                    item,
                    merchant,
                    name=item.name,
                    slug=slug_from_name(item.name),
                    sku_prefix=f"{merchant.code}-{number:03d}",
                    base=Decimal(item.price),
                    is_published=index % 41 != 13,
                    presale=index % 37 == 22,
                )
            )
    return tuple(plans)


@cache
def _bases() -> tuple[tuple[Item, MerchantData, str], ...]:
    return tuple((item, merchant, slug_from_name(item.name)) for merchant in MERCHANTS for item in merchant.items)


def generated_plan(number: int) -> ProductPlan:
    """Product `number` (1, 2, …) of a large catalogue: a variation on a hand-written product."""
    bases = _bases()
    position = number - 1
    item, merchant, base_slug = bases[position % len(bases)]
    position //= len(bases)
    books = leaves_by_name()[item.leaf][0].name == "图书文创"
    adjectives, editions = (BOOK_ADJECTIVES, BOOK_EDITIONS) if books else (ADJECTIVES, EDITIONS)
    adjective = adjectives[position % len(adjectives)]
    position //= len(adjectives)
    edition = editions[position % len(editions)]
    batch = position // len(editions)
    name = f"{item.name}（{adjective}·{edition}）" if books else f"{adjective}{item.name}·{edition}"
    name += f"（第{batch + 1}批）" if batch else ""
    slug = f"{base_slug}-g{number:05d}"
    base = retail_price(Decimal(item.price) * Decimal(random.Random(f"{SEED}:{slug}:price").randint(80, 130)) / 100)
    return _plan(item, merchant, name=name, slug=slug, sku_prefix=f"G{number:06d}", base=base)

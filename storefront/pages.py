"""What each storefront page shows, read through catalog.selectors: the views only render these."""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from catalog import pricing, selectors
from catalog.models import Category, Channel, Collection
from catalog.search import clean_search_text
from catalog.selectors import ProductFilter
from catalog.thumbnails import thumbnail_url
from storefront import searching
from storefront.display import ProductCard, ProductDetail, product_cards, product_detail
from storefront.listing import Link, Listing, build_listing
from storefront.relief import ReliefBlock, relief_block
from storefront.searching import SearchPage

# The home page's product rows, top to bottom, found by collection slug.
HOME_COLLECTIONS = {
    "relief-zone": _("Buy from partner regions and help rural families earn more"),
    "member-deals": _("Prices for verified union members"),
    "festival-gifts": _("Gift packs for festivals and union welfare"),
}
HOME_ROW_LENGTH = 10
CATEGORY_IMAGE_SIZE = 128
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class CategoryEntrance:
    name: str
    url: str
    image_url: str | None
    initial: str


@dataclass(frozen=True)
class CollectionRow:
    name: str
    tagline: str | Promise
    url: str
    cards: list[ProductCard]


@dataclass
class HomePage:
    categories: list[CategoryEntrance] = field(default_factory=list)
    rows: list[CollectionRow] = field(default_factory=list)


@dataclass
class ListingPage:
    title: str
    listing: Listing
    breadcrumbs: list[Link] = field(default_factory=list)
    subcategories: list[Link] = field(default_factory=list)
    description_html: str = ""


@dataclass
class ProductPage:
    product: ProductDetail
    breadcrumbs: list[Link]
    seo_title: str
    seo_description: str
    relief: ReliefBlock | None = None


def category_url(category: Category) -> str:
    return reverse("storefront:category", kwargs={"slug": category.slug})


def collection_url(collection: Collection) -> str:
    return reverse("storefront:collection", kwargs={"slug": collection.slug})


def home_link() -> Link:
    return Link(str(_("Home")), reverse("storefront:home"))


def category_entrance(category: Category) -> CategoryEntrance:
    image = (
        thumbnail_url("Category", category.pk, size=CATEGORY_IMAGE_SIZE, format="WEBP")
        if category.background_image
        else None
    )
    return CategoryEntrance(category.name, category_url(category), image, category.name[:1])


def home_page(channel: Channel | None, *, user=None) -> HomePage:
    page = HomePage(categories=[category_entrance(category) for category in selectors.root_categories()])
    if channel is None:
        return page
    collections = sorted(
        selectors.visible_collections(channel, user=user).filter(slug__in=HOME_COLLECTIONS),
        key=lambda collection: list(HOME_COLLECTIONS).index(collection.slug),
    )
    products = selectors.collection_products(channel, collections, user=user, limit=HOME_ROW_LENGTH)
    member = pricing.user_pays_member_price(user)
    page.rows = [
        CollectionRow(
            name=collection.name,
            tagline=HOME_COLLECTIONS[collection.slug],
            url=collection_url(collection),
            cards=product_cards(products[collection.pk], member=member),
        )
        for collection in collections
        if products[collection.pk]
    ]
    return page


def category_breadcrumbs(category: Category, *, link_last: bool) -> list[Link]:
    crumbs = [home_link()] + [Link(c.name, category_url(c)) for c in selectors.category_ancestors(category)]
    crumbs.append(Link(category.name, category_url(category) if link_last else "", is_current=not link_last))
    return crumbs


def category_page(channel: Channel, slug: str, query: QueryDict, *, user=None) -> ListingPage | None:
    """A category with the products of its whole branch; None when the slug is unknown."""
    category = selectors.category_by_slug(slug)
    if category is None:
        return None
    base = ProductFilter(category_ids=[category.pk])
    merchants = selectors.merchants_of(selectors.product_listing(channel, user=user, product_filter=base))
    return ListingPage(
        title=category.name,
        listing=build_listing(channel, query, base, user=user, merchants=merchants),
        breadcrumbs=category_breadcrumbs(category, link_last=False),
        subcategories=[Link(child.name, category_url(child)) for child in selectors.subcategories(category)],
    )


def collection_page(channel: Channel, slug: str, query: QueryDict, *, user=None) -> ListingPage | None:
    collection = selectors.collection_by_slug(channel, slug, user=user)
    if collection is None:
        return None
    base = ProductFilter(collection_ids=[collection.pk])
    merchants = selectors.merchants_of(selectors.product_listing(channel, user=user, product_filter=base))
    return ListingPage(
        title=collection.name,
        listing=build_listing(channel, query, base, user=user, merchants=merchants),
        breadcrumbs=[home_link(), Link(collection.name, "", is_current=True)],
    )


def search_text(query: QueryDict) -> str:
    """The words searched for: control characters (PostgreSQL refuses NUL) and extra spaces dropped."""
    return clean_search_text(query.get("q"), max_length=MAX_QUERY_LENGTH)


def search_page(channel: Channel, query: QueryDict, *, user=None) -> SearchPage | None:
    """Products found for the words in `query` (storefront.searching); None when nothing was asked."""
    text = search_text(query)
    if not text:
        return None
    return searching.search_page(channel, text, query, user=user)


def product_page(channel: Channel, slug: str, *, user=None) -> ProductPage | None:
    product = selectors.product_detail(channel, user=user, slug=slug)
    if product is None:
        return None
    breadcrumbs = category_breadcrumbs(product.category, link_last=True) if product.category else [home_link()]
    breadcrumbs.append(Link(product.name, "", is_current=True))
    return ProductPage(
        product=product_detail(product, member=pricing.user_pays_member_price(user)),
        breadcrumbs=breadcrumbs,
        seo_title=product.seo_title or product.name,
        seo_description=product.seo_description or product.description_plaintext[:150],
        relief=relief_block(product),
    )

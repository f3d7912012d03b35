"""The storefront search page: results in the 综合 order, facets as links, and an empty state that helps.

Everything about finding and counting goes through search.service; this module turns the address into
facet selections (search.backends.base.SearchFilters) and the answers into links a page can show.
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from catalog import pricing, selectors
from catalog.models import Channel
from catalog.selectors import ProductFilter
from search import service
from search.backends.base import FACET_NAMES, Facet, SearchFilters
from storefront.display import ProductCard, product_cards
from storefront.forms import RELEVANCE
from storefront.listing import Link, Listing, build_listing

# What the address may carry besides q: one parameter per facet (several values for the lists).
FACET_PARAMETERS = ("category", "region", "price", "relief", "in_stock")
# Facets whose choices add up (any of the regions chosen); a category choice replaces the one before, since
# the facet then offers the chosen category's subcategories and each count is for that subcategory alone.
LIST_FACETS = ("region",)
SEARCH_SORTS = (RELEVANCE, "price", "-price", "newest")
MAX_VALUES_PER_FACET = 20
POPULAR_COUNT = 8
CATEGORY_COUNT = 8
HOT_COUNT = 10
TRUE_VALUES = ("1", "true", "on")
PRICE_BUCKETS = {value for value, _low, _high in selectors.PRICE_BUCKETS}


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    url: str
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: str
    links: list[FacetLink]


@dataclass
class SearchPage:
    text: str
    listing: Listing
    breadcrumbs: list[Link]
    facets: list[FacetGroup] = field(default_factory=list)
    has_selections: bool = False
    clear_url: str = ""
    # The empty state's help: other words, what others search, what sells, where to browse.
    alternatives: list[Link] = field(default_factory=list)
    hot: list[Link] = field(default_factory=list)
    popular: list[ProductCard] = field(default_factory=list)
    categories: list[Link] = field(default_factory=list)

    @property
    def found_nothing(self) -> bool:
        """Nothing for the words themselves (not for the facets chosen): the page helps instead of filtering."""
        return self.listing.total == 0 and not self.has_selections


@dataclass
class SearchHome:
    """/search/ without words: 热搜 and where to browse."""

    hot: list[Link] = field(default_factory=list)
    categories: list[Link] = field(default_factory=list)


def search_url(text: str) -> str:
    query = QueryDict(mutable=True)
    query["q"] = text
    return f"{reverse('storefront:search')}?{query.urlencode()}"


# --- The address → facet selections ------------------------------------------------------
def _digits(values, *, length: int | None = None) -> tuple:
    chosen = []
    for value in values[:MAX_VALUES_PER_FACET]:
        value = value.strip()
        if value.isascii() and value.isdigit() and (length is None or len(value) == length) and value not in chosen:
            chosen.append(value)
    return tuple(chosen)


def facet_choices(query: QueryDict) -> ProductFilter:
    """The facets chosen in the address as catalog.selectors.ProductFilter extras; values that make no sense
    are ignored, never an error."""
    price = (query.get("price") or "").strip()
    return ProductFilter(
        category_ids=[int(value) for value in _digits(query.getlist("category")) if len(value) < 10],
        region_codes=list(_digits(query.getlist("region"), length=6)),
        relief_certified=True if query.get("relief", "").lower() in TRUE_VALUES else None,
        in_stock=True if query.get("in_stock", "").lower() in TRUE_VALUES else None,
        price_bucket=price if price in PRICE_BUCKETS else "",
    )


def _bucket_url(query: QueryDict, facet: str, value: str, selected: bool) -> str:
    query = query.copy()
    query.pop("page", None)
    if facet in LIST_FACETS or (facet == "category" and selected):
        values = [chosen for chosen in query.getlist(facet) if chosen != value]
        query.setlist(facet, values if selected else [*values, value])
    elif selected:
        query.pop(facet, None)
    else:
        query[facet] = "1" if facet in ("relief", "in_stock") else value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def facet_groups(facets: list[Facet], query: QueryDict) -> list[FacetGroup]:
    """Facets in FACET_NAMES order, each bucket a link that adds or removes it; empty buckets are left out
    unless chosen (so a choice can always be undone)."""
    groups = []
    for facet in sorted(facets, key=lambda facet: FACET_NAMES.index(facet.name) if facet.name in FACET_NAMES else 99):
        if facet.name not in FACET_PARAMETERS:
            continue
        links = [
            FacetLink(
                bucket.label,
                bucket.count,
                _bucket_url(query, facet.name, bucket.value, bucket.selected),
                bucket.selected,
            )
            for bucket in facet.buckets
            if bucket.count or bucket.selected
        ]
        if links:
            groups.append(FacetGroup(facet.name, facet.label, links))
    return groups


# --- The page -----------------------------------------------------------------------------
def is_first_look(query: QueryDict) -> bool:
    """A search as typed: not a later page, another order or a facet of it, so that 热搜 counts searches,
    not clicks inside one."""
    return not any(name in query for name in ("page", "sort", *FACET_PARAMETERS))


def hot_links(*, limit: int = HOT_COUNT) -> list[Link]:
    return [Link(term, search_url(term)) for term in service.hot_searches(limit=limit)]


def category_links(*, limit: int = CATEGORY_COUNT) -> list[Link]:
    from storefront.pages import category_url

    return [Link(category.name, category_url(category)) for category in selectors.root_categories()[:limit]]


def popular_products(channel: Channel, *, user=None, limit: int = POPULAR_COUNT) -> list[ProductCard]:
    """大家都在买: the products that sell best and can be bought now."""
    products = (
        selectors.visible_products(channel, user=user)
        .filter(selectors.available_condition(channel))
        .order_by("-popularity", "name", "pk")[:limit]
    )
    loaded = selectors.with_listing_data(products, channel, descriptions=False)
    return product_cards(loaded, member=pricing.user_pays_member_price(user))


def search_home() -> SearchHome:
    return SearchHome(hot=hot_links(), categories=category_links())


def search_page(channel: Channel, text: str, query: QueryDict, *, user=None) -> SearchPage:
    """One page of the products found for `text`, narrowed by the facets in `query`, with the facets'
    counts; when the words find nothing, what to try instead."""
    from storefront.pages import home_link

    choices = facet_choices(query)
    filters = service.filters_of(choices)
    listing = build_listing(
        channel,
        query,
        ProductFilter(search=text),
        user=user,
        sorts=SEARCH_SORTS,
        # After the words: the facets narrow what the words found, as their counts do.
        narrow=lambda products: selectors.filter_products(products, channel, choices),
    )
    clear = QueryDict(mutable=True)
    clear["q"] = text
    page = SearchPage(
        text=text,
        listing=listing,
        breadcrumbs=[home_link(), Link(str(_("Search")), "", is_current=True)],
        has_selections=filters != SearchFilters(),
        clear_url=f"?{clear.urlencode()}",
    )
    if is_first_look(query):
        service.record_search(text, listing.total)
    if page.found_nothing:
        page.alternatives = [Link(word, search_url(word)) for word in service.alternatives(text) if word != text]
        page.hot = hot_links()
        page.popular = popular_products(channel, user=user)
        page.categories = category_links()
        return page
    visible = selectors.visible_products(channel, user=user)
    page.facets = facet_groups(service.facets(visible, channel, text, filters), query)
    return page


# --- Suggestions as you type ------------------------------------------------------------
SUGGESTION_COUNT = 8
MAX_PREFIX_LENGTH = 32


SUGGESTION_PAGES = {"product": "storefront:product", "category": "storefront:category"}


def _suggestion_url(suggestion) -> str:
    """A product or category suggestion goes to its page, anything else searches its text."""
    name = SUGGESTION_PAGES.get(suggestion.kind)
    if name and suggestion.slug:
        try:
            return reverse(name, kwargs={"slug": suggestion.slug})
        except NoReverseMatch:
            pass  # a slug the address cannot carry: searching the text still finds it
    return search_url(suggestion.text)


def suggestions_payload(channel: Channel | None, typed: str | None) -> dict:
    """What the search box's dropdown shows: completions of what is typed, or 热搜 when nothing is."""
    from storefront.pages import search_text

    query = QueryDict(mutable=True)
    query["q"] = (typed or "")[: MAX_PREFIX_LENGTH * 4]
    prefix = search_text(query)[:MAX_PREFIX_LENGTH]
    if not prefix:
        return {"q": "", "suggestions": [], "hot": [link.label for link in hot_links()]}
    found = []
    if channel is not None:
        found = service.suggest(prefix, channel, limit=SUGGESTION_COUNT)
    return {
        "q": prefix,
        "suggestions": [
            {"text": suggestion.text, "kind": suggestion.kind, "url": _suggestion_url(suggestion)}
            for suggestion in found
        ],
    }

"""Listing pages (category, collection, search): the form's values → a product query, a page, links."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict

from catalog import pricing, selectors
from catalog.models import Channel
from catalog.selectors import ProductFilter
from storefront.display import ProductCard, product_cards
from storefront.forms import SORTS, ListingForm

PER_PAGE = 24


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    is_current: bool = False


@dataclass
class Listing:
    form: ListingForm
    page: Page
    cards: list[ProductCard]
    page_links: list[Link | None] = field(default_factory=list)  # None stands for "…"
    sort_links: list[Link] = field(default_factory=list)
    previous_url: str = ""
    next_url: str = ""
    has_filters: bool = False

    @property
    def total(self) -> int:
        return self.page.paginator.count


def address_with(query: QueryDict, **changes) -> str:
    """The query string of this page with some parameters changed (None removes one)."""
    query = query.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def chosen_filter(form: ListingForm, base: ProductFilter) -> ProductFilter:
    merchant_slug = form.valid_value("merchant") if "merchant" in form.fields else None
    merchant = form.merchants.get(merchant_slug) if merchant_slug else None
    return replace(
        base,
        price_gte=form.valid_value("min_price"),
        price_lte=form.valid_value("max_price"),
        is_available=True if form.valid_value("available") else None,
        merchant_ids=[merchant.pk] if merchant else [],
    )


def page_links(query: QueryDict, page: Page) -> list[Link | None]:
    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            links.append(None)
        else:
            links.append(Link(str(number), address_with(query, page=number), is_current=number == page.number))
    return links


def sort_links(query: QueryDict, current: str, offered=tuple(SORTS)) -> list[Link]:
    return [
        Link(label, address_with(query, sort=value, page=None), is_current=value == current)
        for value, (label, _field, _descending) in SORTS.items()
        if value in offered
    ]


# 综合: the best match first when searching, then what sells, then by name (a stable order for pages).
RELEVANCE_ORDERING = ("-popularity", "name", "pk")


def relevance_order(products: QuerySet) -> QuerySet:
    """The 综合 order. A search annotates `search_rank` (search.service.match); a category or collection has
    no rank, so there it is popularity and name."""
    if "search_rank" in products.query.annotations:
        return products.order_by("-search_rank", *RELEVANCE_ORDERING)
    return products.order_by(*RELEVANCE_ORDERING)


def build_listing(
    channel: Channel,
    query: QueryDict,
    base: ProductFilter,
    *,
    user=None,
    merchants=(),
    sorts=tuple(SORTS),
    narrow: Callable[[QuerySet], QuerySet] | None = None,
) -> Listing:
    """One page of products matching `base` and the filters in `query`, loaded for cards.

    `sorts` are the sort options the page offers; `narrow` applies selections the form does not know
    (the search page's facets). Bad filter values are reported by the form and ignored; a bad page
    number shows the first page and one past the end shows the last, so no address gives an error.
    """
    form = ListingForm(query, merchants=list(merchants))
    product_filter = chosen_filter(form, base)
    sort = form.sort_value if form.sort_value in sorts else sorts[0]
    _label, sort_field, descending = SORTS[sort]
    products = selectors.product_listing(
        channel, user=user, product_filter=product_filter, sort_field=sort_field or "NAME", descending=descending
    )
    if narrow is not None:
        products = narrow(products)
    if sort_field is None:
        products = relevance_order(products)
    products = selectors.with_listing_data(products, channel)
    page = Paginator(products, PER_PAGE).get_page(query.get("page"))
    return Listing(
        form=form,
        page=page,
        cards=product_cards(page.object_list, member=pricing.user_pays_member_price(user)),
        page_links=page_links(query, page) if page.paginator.num_pages > 1 else [],
        sort_links=sort_links(query, sort, sorts),
        previous_url=address_with(query, page=page.previous_page_number()) if page.has_previous() else "",
        next_url=address_with(query, page=page.next_page_number()) if page.has_next() else "",
        has_filters=product_filter != base,
    )

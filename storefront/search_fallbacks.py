"""What the search page needs before search.service answers it in full: narrowing by the facets chosen, facet
counts, 热搜 and completions, read plainly from the catalogue and the search tables.

The pages ask search.service first and come here only when it answers nothing (the groundwork's stubs return
empty lists); once search.facets, search.stats and search.suggestions are implemented these readings are
never reached and this module can go, except `narrow` until ProductFilter filters by region and certification.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from catalog import selectors
from catalog.models import Category, Product
from catalog.selectors import ProductFilter
from relief_sourcing.models import PartnerRegion, ReliefCertification, ReliefSupplier
from search.backends.base import Facet, FacetBucket, SearchFilters, Suggestion
from search.models import SearchQueryStat, SuggestionTerm
from search.text import clean

PRICE_RANGES = ((None, Decimal(50)), (Decimal(50), Decimal(100)), (Decimal(100), Decimal(200)), (Decimal(200), None))
HOT_DAYS = 7
MAX_CATEGORY_BUCKETS = 12


def _certified_now(**conditions) -> Exists:
    today = timezone.localdate()
    return Exists(
        ReliefCertification.products.through.objects.filter(
            product_id=OuterRef("pk"),
            reliefcertification__status=ReliefCertification.Status.VALID,
            reliefcertification__valid_from__lte=today,
            reliefcertification__valid_to__gte=today,
            reliefcertification__supplier__admission_status=ReliefSupplier.AdmissionStatus.APPROVED,
            **conditions,
        )
    )


def _conditions(channel, filters: SearchFilters, *, leave_out: str = "") -> Q:
    condition = Q()
    if filters.category_ids and leave_out != "category":
        condition &= Q(category__in=selectors.category_branch(filters.category_ids))
    if filters.region_codes and leave_out != "region":
        condition &= Q(_certified_now(reliefcertification__origin__code__in=filters.region_codes))
    if leave_out != "price":
        if filters.price_gte is not None:
            condition &= Q(max_price__gte=filters.price_gte)
        if filters.price_lte is not None:
            condition &= Q(min_price__lte=filters.price_lte)
    if filters.relief_certified and leave_out != "relief":
        condition &= Q(_certified_now())
    if filters.in_stock and leave_out != "in_stock":
        condition &= selectors.available_condition(channel)
    return condition


def narrow(products: QuerySet[Product], channel, filters: SearchFilters) -> QuerySet[Product]:
    """`products` with the chosen facets applied (a product is in a price range when its prices overlap it)."""
    return products.filter(_conditions(channel, filters)) if filters != SearchFilters() else products


def _price_label(low, high) -> str:
    if low is None:
        return f"{high}元以下"
    if high is None:
        return f"{low}元以上"
    return f"{low}–{high}元"


def _price_value(low, high) -> str:
    return f"{low if low is not None else ''}-{high if high is not None else ''}"


def facets(visible: QuerySet[Product], channel, text: str, filters: SearchFilters) -> list[Facet]:
    """Facet counts in five queries whatever the results: each facet counted with the others applied."""
    found = selectors.filter_products(visible, channel, ProductFilter(search=text)).order_by()

    def base(leave_out):
        return found.filter(_conditions(channel, filters, leave_out=leave_out))

    # Categories: the category each product sits in (the page links the branch).
    rows = base("category").values("category_id").annotate(count=Count("pk")).order_by("-count", "category_id")
    counts = {row["category_id"]: row["count"] for row in rows if row["category_id"]}
    names = dict(Category.objects.filter(pk__in=set(counts) | set(filters.category_ids)).values_list("pk", "name"))
    category_ids = [*counts][:MAX_CATEGORY_BUCKETS] + [pk for pk in filters.category_ids if pk not in counts]
    categories = tuple(
        FacetBucket(str(pk), names[pk], counts.get(pk, 0), pk in filters.category_ids)
        for pk in category_ids
        if pk in names
    )

    # Partner regions: the origin county of a certification in force.
    regions = {}
    for region in PartnerRegion.objects.order_by("code"):
        regions[region.code] = region
    region_counts = (
        base("region").aggregate(
            **{
                f"r{code}": Count("pk", filter=Q(_certified_now(reliefcertification__origin__code=code)))
                for code in regions
            }
        )
        if regions
        else {}
    )
    region_buckets = tuple(
        FacetBucket(code, f"{region.province}{region.county}", region_counts[f"r{code}"], code in filters.region_codes)
        for code, region in regions.items()
    )

    prices = base("price").aggregate(
        **{
            f"p{index}": Count("pk", filter=_price_condition(low, high))
            for index, (low, high) in enumerate(PRICE_RANGES)
        }
    )
    price_buckets = tuple(
        FacetBucket(
            _price_value(low, high),
            _price_label(low, high),
            prices[f"p{index}"],
            (low, high) == (filters.price_gte, filters.price_lte),
        )
        for index, (low, high) in enumerate(PRICE_RANGES)
    )
    relief = FacetBucket(
        "true", "帮扶认证产品", base("relief").filter(_certified_now()).count(), bool(filters.relief_certified)
    )
    stock_count = base("in_stock").filter(selectors.available_condition(channel)).count()
    return [
        Facet("category", "分类", categories),
        Facet("region", "帮扶地区", region_buckets),
        Facet("price", "价格", price_buckets),
        Facet("relief", "帮扶认证", (relief,)),
        Facet("in_stock", "有货", (FacetBucket("true", "仅看有货", stock_count, bool(filters.in_stock)),)),
    ]


def _price_condition(low, high) -> Q:
    condition = Q()
    if low is not None:
        condition &= Q(max_price__gte=low)
    if high is not None:
        condition &= Q(min_price__lte=high)
    return condition


def hot_searches(*, limit: int = 10) -> list[str]:
    """The texts searched most in the last days that found something."""
    since = timezone.localdate() - timedelta(days=HOT_DAYS)
    rows = (
        SearchQueryStat.objects.filter(day__gte=since, searches_with_results__gt=0)
        .values("text")
        .annotate(total=Sum("searches"))
        .order_by("-total", "text")[:limit]
    )
    return [row["text"] for row in rows]


def suggest(prefix: str, *, limit: int = 8) -> list[Suggestion]:
    """Suggestion terms starting with what is typed, or whose pinyin or initials do."""
    prefix = clean(prefix)
    if not prefix:
        return []
    condition = Q(text__startswith=prefix)
    if prefix.isascii():
        latin = "".join(prefix.split())
        condition |= Q(pinyin__startswith=latin) | Q(initials__startswith=latin)
    terms = SuggestionTerm.objects.filter(condition).order_by("-weight", "text")[:limit]
    return [Suggestion(term.text, term.kind.lower(), term.slug) for term in terms]

"""What every search backend answers, in plain values, so that the API and the pages never know which one runs.

A backend finds products for a text, counts facets, suggests completions and keeps its index up to date.
PostgreSQL (search.backends.postgres) is the default; Elasticsearch (search.backends.elastic) is the path
for a catalogue that outgrows one database. settings.SEARCH_BACKEND picks one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

# The facets every backend counts, in the order pages show them.
FACET_NAMES = ("category", "region", "price", "relief", "in_stock")


@dataclass(frozen=True)
class SearchFilters:
    """The facet selections of a search, on top of the text."""

    category_ids: tuple[int, ...] = ()
    # PartnerRegion.code (GB/T 2260) of the county a product's valid relief certification names as origin.
    region_codes: tuple[str, ...] = ()
    price_gte: Decimal | None = None
    price_lte: Decimal | None = None
    relief_certified: bool | None = None
    in_stock: bool | None = None


@dataclass(frozen=True)
class FacetBucket:
    value: str  # what goes back into SearchFilters (a category id, a region code, "0-50", "true")
    label: str  # what a person reads (Chinese)
    count: int  # how many results there are with this bucket selected, the other facets as they are
    selected: bool = False


@dataclass(frozen=True)
class Facet:
    name: str  # one of FACET_NAMES
    label: str
    buckets: tuple[FacetBucket, ...]


@dataclass(frozen=True)
class Suggestion:
    text: str  # what goes into the search box
    kind: str  # "product", "category" or "term" (a popular or synonym search)
    slug: str = ""  # the product's or category's slug, for a direct link


class SearchBackend:
    """The interface; subclasses implement every method."""

    name = ""

    def match(self, queryset: QuerySet, text: str) -> QuerySet:
        """`queryset` (products) narrowed to those matching `text`, annotated with `search_rank` (higher is
        better), in no particular order. An empty or meaningless text matches nothing."""
        raise NotImplementedError

    def facets(self, queryset: QuerySet, channel, text: str, filters: SearchFilters) -> list[Facet]:
        """Counts per facet bucket for the products of `queryset` (already visible in `channel`) matching
        `text`, each facet counted with the other facets' selections applied and its own left out."""
        raise NotImplementedError

    def suggest(self, prefix: str, channel, *, limit: int = 8) -> list[Suggestion]:
        """Completions for what is typed so far: Chinese prefixes, full pinyin and pinyin initials."""
        raise NotImplementedError

    def index_products(self, product_ids: Iterable[int]) -> int:
        """Bring these products' search documents up to date (deleted ones are removed); returns how many."""
        raise NotImplementedError

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild the whole index, calling progress(done, total) as it goes; returns how many products."""
        raise NotImplementedError

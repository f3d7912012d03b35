"""The product index and its alias: searches read settings.ELASTICSEARCH_INDEX, an alias.

Reindexing builds a new index named after the alias and the time, loads every product into it in bulk, then
moves the alias in one update_aliases call and deletes the old index: searches never see a missing or a half
built index. While a new index is being built it also carries a second alias (`<alias>-building`), and
single-product updates go to both, so that a change made during a long reindex is not lost by the swap.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch_dsl import Index

from search.elastic import analysis
from search.elastic.documents import IndexingContext, ProductDocument, build_document, products_for_indexing

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


# Bulk loading waits longer than a page would for a search.
BULK_TIMEOUT_SECONDS = 120


@cache
def _client_for(url: str, timeout: float) -> Elasticsearch:
    return Elasticsearch(url, request_timeout=timeout, retry_on_timeout=True, max_retries=2)


def client() -> Elasticsearch:
    if not settings.ELASTICSEARCH_URL:
        raise ImproperlyConfigured("SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL")
    return _client_for(settings.ELASTICSEARCH_URL, float(getattr(settings, "ELASTICSEARCH_TIMEOUT", 5)))


def bulk_client() -> Elasticsearch:
    return client().options(request_timeout=BULK_TIMEOUT_SECONDS)


def alias_name() -> str:
    return settings.ELASTICSEARCH_INDEX


def building_alias_name(alias: str | None = None) -> str:
    return f"{alias or alias_name()}-building"


def new_index_name(alias: str | None = None, now=None) -> str:
    return f"{alias or alias_name()}-{(now or timezone.now()).strftime('%Y%m%d%H%M%S%f')}"


def build_index(name: str, *, flavour: str, synonym_rules: list[str]) -> Index:
    """The index definition (settings, analyzers, the product mapping) as elasticsearch-dsl builds it."""
    index = Index(name)
    index.settings(
        number_of_shards=1,
        number_of_replicas=getattr(settings, "ELASTICSEARCH_REPLICAS", 0),
        # Search results are capped (search.elastic.queries.MAX_HITS); a bigger window is never needed.
        max_result_window=10_000,
    )
    for definition in analysis.analyzers(flavour, synonym_rules):
        index.analyzer(definition)
    # The mapping only: Index.document() would also bind ProductDocument to this index name for good.
    index.mapping(ProductDocument._doc_type.mapping)
    return index


def alias_swap_actions(alias: str, new_index: str, old_indices: Iterable[str], *, legacy_index: bool = False) -> list:
    """One atomic update_aliases body: the alias moves to the new index, the building alias goes away, and a
    concrete index that was created under the alias's own name (before aliases) is removed in the same step."""
    actions = [{"add": {"index": new_index, "alias": alias}}]
    actions += [{"remove": {"index": old, "alias": alias}} for old in sorted(old_indices) if old != new_index]
    actions.append({"remove": {"index": new_index, "alias": building_alias_name(alias)}})
    if legacy_index:
        actions.append({"remove_index": {"index": alias}})
    return actions


def indices_of(es: Elasticsearch, alias: str) -> list[str]:
    try:
        return sorted(es.indices.get_alias(name=alias))
    except NotFoundError:
        return []


def _is_concrete_index(es: Elasticsearch, name: str) -> bool:
    return bool(es.indices.exists(index=name)) and not es.indices.exists_alias(name=name)


def create_index(es: Elasticsearch, name: str) -> Index:
    flavour = analysis.resolve_flavour(analysis.configured_flavour(), analysis.installed_plugins(es))
    index = build_index(name, flavour=flavour, synonym_rules=analysis.active_synonym_rules())
    index.create(using=es)
    logger.info("created Elasticsearch index %s with the %s analyzer", name, flavour)
    return index


def _actions(product_ids: Iterable[int] | None, target: str, context: IndexingContext) -> Iterator[dict]:
    queryset = products_for_indexing(product_ids)
    for product in queryset.iterator(chunk_size=BATCH_SIZE):
        document = build_document(product, context)
        action = document.to_dict(include_meta=True)
        action["_index"] = target
        yield action


def reindex(progress: Callable[[int, int], None] | None = None) -> int:
    """Build a new index with every product, then move the alias to it and delete the old one."""
    from catalog.models import Product

    es, alias = bulk_client(), alias_name()
    name = new_index_name(alias)
    create_index(es, name)
    try:
        es.indices.put_alias(index=name, name=building_alias_name(alias))
        es.indices.put_settings(index=name, settings={"index": {"refresh_interval": "-1"}})
        total = Product.objects.count()
        done = 0
        context = IndexingContext.load()
        for _ok, _item in helpers.streaming_bulk(es, _actions(None, name, context), chunk_size=BATCH_SIZE):
            done += 1
            if progress and (done % BATCH_SIZE == 0 or done == total):
                progress(done, total)
        es.indices.put_settings(index=name, settings={"index": {"refresh_interval": "1s"}})
        es.indices.refresh(index=name)
        old = [index for index in indices_of(es, alias) if index != name]
        legacy = _is_concrete_index(es, alias)
        es.indices.update_aliases(actions=alias_swap_actions(alias, name, old, legacy_index=legacy))
    except BaseException:
        es.indices.delete(index=name, ignore_unavailable=True)
        raise
    for index in old:
        es.indices.delete(index=index, ignore_unavailable=True)
    if progress and done != total:
        progress(done, done)
    return done


def ensure_index(es: Elasticsearch) -> list[str]:
    """The indices writes go to; an empty index under the alias is made when there is none yet."""
    alias = alias_name()
    targets = indices_of(es, alias) + indices_of(es, building_alias_name(alias))
    if targets:
        return sorted(set(targets))
    name = new_index_name(alias)
    create_index(es, name)
    es.indices.update_aliases(actions=[{"add": {"index": name, "alias": alias}}])
    return [name]


def index_products(product_ids: Iterable[int], *, refresh: bool = False) -> int:
    """Index these products again, and remove the ones that no longer exist. Returns how many were handled."""
    ids = sorted({int(product_id) for product_id in product_ids})
    if not ids:
        return 0
    es = bulk_client()
    targets = ensure_index(es)
    context = IndexingContext.load()
    documents = [build_document(product, context).to_dict(include_meta=True) for product in products_for_indexing(ids)]
    found = {int(document["_id"]) for document in documents}
    actions: list[dict] = []
    for target in targets:
        actions += [{**document, "_index": target} for document in documents]
        actions += [{"_op_type": "delete", "_index": target, "_id": pk} for pk in ids if pk not in found]
    helpers.bulk(es, actions, ignore_status=(404,), refresh=refresh)
    return len(ids)


def delete_indices() -> None:
    """Remove the alias and every index behind it (the live tests clean up with it)."""
    es, alias = client(), alias_name()
    for index in set(indices_of(es, alias) + indices_of(es, building_alias_name(alias))):
        es.indices.delete(index=index, ignore_unavailable=True)

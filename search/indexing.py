"""Keeping the search index fresh.

Every change that affects a product (its row, variants, channel listings and prices, stock, relief
certifications) marks it stale: a row in search.StaleProduct (mark_stale); the first product a
transaction marks queues one Celery task when the transaction commits, a few seconds later
(INDEX_COUNTDOWN_SECONDS), and none when a task queued less than that ago is still to run, so that a
burst of changes (in one transaction or many) becomes one batch. The task claims every stale
product at once (deleting their rows) and gives them to the configured backend's index_products, in
batches: a later change marks the product again and queues another task, so nothing is lost, and a
task that finds nothing claimed does nothing.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Prefetch, TextField
from django.db.models.expressions import RawSQL
from django.db.models.sql import Query

from catalog.models import Product, ProductVariant
from search.models import StaleProduct

INDEX_COUNTDOWN_SECONDS = 2
TASK_QUEUED_KEY = "search:index-task-queued"
BATCH_SIZE = 500
_deferred = contextvars.ContextVar("search_indexing_deferred", default=False)


# --- Marking products stale ---------------------------------------------------------------
def mark_stale(product_ids: Iterable[int], *, force: bool = False) -> int:
    """Mark products stale and, if any was not yet (or `force`), queue one index task for this transaction.
    Returns how many were newly marked."""
    ids = sorted({int(pk) for pk in product_ids if pk is not None})
    if not ids:
        return 0
    with transaction.atomic():
        newly = _mark(ids)
        if newly or force:
            queue_index_task()
    return newly


def _mark(ids: list[int]) -> int:
    """Insert the products' rows, or touch those already there: either way the row stays locked until this
    transaction ends, so that a task claiming stale products meanwhile skips it and cannot index the product
    as it was before this change. Products deleted meanwhile are left out. Returns how many were new."""
    stale, products = StaleProduct._meta.db_table, Product._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{stale}" ("product_id", "marked_at") '
            f'SELECT "id", now() FROM "{products}" WHERE "id" = ANY(%s) ORDER BY "id" '
            f'ON CONFLICT ("product_id") DO UPDATE SET "marked_at" = excluded."marked_at" '
            f"RETURNING xmax = 0",  # a row version no transaction has updated yet: inserted now
            [ids],
        )
        return sum(1 for (inserted,) in cursor.fetchall() if inserted)


def queue_index_task() -> None:
    """One index task per transaction, sent when it commits (none if it rolls back)."""
    pending = (callback for _savepoints, callback, _robust in connection.run_on_commit)
    if any(isinstance(callback, IndexTaskOnCommit) and not callback.sent for callback in pending):
        return
    transaction.on_commit(IndexTaskOnCommit())


class IndexTaskOnCommit:
    """The on-commit callback of a transaction that marked products stale (knows whether it ran, for tests
    that run callbacks without committing)."""

    sent = False

    def __call__(self):
        self.sent = True
        _send_index_task()


@contextlib.contextmanager
def deferred():
    """Within it, marked products stay stale and no index task is queued: for work that changes thousands
    of products in many transactions (seeding the demo), which then indexes them once, in batches, with
    index_stale_products. In process (no broker) every commit would otherwise index on the spot."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def _send_index_task() -> None:
    """Queue the task unless one was queued less than its countdown ago: that one has not started yet and
    will claim what this transaction (committed by now) marked. Bursts over many transactions are one task.
    Without a broker (tasks run at once, in process) nothing is pending: always run it."""
    from mall.celery import app

    if _deferred.get():
        return
    if app.conf.task_always_eager or cache.add(TASK_QUEUED_KEY, 1, timeout=INDEX_COUNTDOWN_SECONDS):
        requeue()


def requeue() -> None:
    from search.tasks import index_stale_products

    index_stale_products.apply_async(countdown=INDEX_COUNTDOWN_SECONDS)


def claim_stale(limit: int = BATCH_SIZE) -> list[int]:
    """Take up to `limit` stale products off the list and return their ids (rows locked by a running
    change are skipped). Run it in the transaction that indexes them."""
    return _take_off_list('ORDER BY "product_id" LIMIT %s', [limit])


def unmark_stale(ids: list[int]) -> None:
    """Take these products off the list, but for those a running change has just marked (its row is locked):
    they stay stale, and are indexed again once it commits. Call it before reading the products to index
    them, in the same transaction: a change that marks one afterwards waits for this transaction, and its
    mark stays."""
    _take_off_list('WHERE "product_id" = ANY(%s)', [ids])


def _take_off_list(selection: str, params: list) -> list[int]:
    """Delete the stale rows `selection` picks, skipping those a running change holds, and return their ids."""
    table = StaleProduct._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{table}" WHERE "product_id" IN ('
            f'SELECT "product_id" FROM "{table}" {selection} FOR UPDATE SKIP LOCKED) RETURNING "product_id"',
            params,
        )
        return sorted(row[0] for row in cursor.fetchall())


def index_stale_products(*, batch_size: int = BATCH_SIZE, max_batches: int = 200) -> int:
    """What the task does: index every stale product, batch by batch, through the configured backend.

    Each batch is claimed and indexed in one transaction, so a failure leaves its products stale. Rows a
    running change holds locked are skipped; if any product is still stale at the end, one more task is
    queued for it."""
    from search import service

    done = 0
    for _ in range(max_batches):
        with transaction.atomic():
            ids = claim_stale(batch_size)
            if ids:
                done += service.get_backend().index_products(ids)
        if len(ids) < batch_size:
            break
    if StaleProduct.objects.exists():
        requeue()
    return done


# --- The PostgreSQL documents -------------------------------------------------------------
def _products_for_documents(product_ids):
    return (
        Product.objects.filter(pk__in=list(product_ids))
        .select_related("merchant", "category")
        .prefetch_related(
            Prefetch("variants", queryset=ProductVariant.objects.only("id", "product_id", "name", "sku")),
            "attribute_values__value",
        )
        .only("id", "name", "description_plaintext", "merchant__name", "category__name", "category__tree_path")
    )


def write_documents(product_ids) -> int:
    """Rebuild the weighted search documents (search.documents) and vectors of these products in a fixed
    number of statements: the products with their variants and attributes, their category paths and partner
    regions, and one UPDATE (_update_documents). Returns how many products were read."""
    from search import documents

    products = list(_products_for_documents(product_ids))
    if not products:
        return 0
    paths = documents.category_paths([product.category for product in products])
    regions = documents.certified_regions([product.pk for product in products])
    rows = []
    for product in products:
        variants = list(product.variants.all())
        parts = documents.DocumentParts(
            name=product.name,
            category_path=paths.get(product.category_id, []),
            regions=regions.get(product.pk, []),
            attribute_values=[assigned.value.name for assigned in product.attribute_values.all()],
            variant_names=[variant.name for variant in variants],
            skus=[variant.sku for variant in variants],
            description=product.description_plaintext,
            merchant_name=product.merchant.name,
        )
        rows.append((product.pk, documents.build_document(parts)))
    _update_documents(rows)
    return len(rows)


def _update_documents(rows: list[tuple[int, str]]) -> None:
    """One UPDATE for the batch: each changed product's document and both vectors computed from it in SQL,
    written as one new row version. A product whose document and vectors are what they would be is left as
    it is: a stock change or a rebuild that changes nothing writes no row (and no index entry) again."""
    from search import documents

    vectors = {
        column: _sql_of(expression) for column, expression in documents.search_vectors_from(NEW_DOCUMENT).items()
    }
    assignments = ", ".join(f'"{column}" = {sql}' for column, (sql, _params) in vectors.items())
    changed = " OR ".join(f'product."{column}" IS DISTINCT FROM {sql}' for column, (sql, _params) in vectors.items())
    vector_params = [param for _sql, params in vectors.values() for param in params]
    values = ", ".join(["(%s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{Product._meta.db_table}" AS product '
            f'SET "search_document" = new.document, {assignments} '
            f"FROM (VALUES {values}) AS new(id, document) "
            f'WHERE product."id" = new.id::bigint '
            f'AND (product."search_document" IS DISTINCT FROM new.document OR {changed})',
            [*vector_params, *(value for row in rows for value in row), *vector_params],
        )


NEW_DOCUMENT = RawSQL("new.document", [], output_field=TextField())


def _sql_of(expression) -> tuple[str, list]:
    query = Query(Product)
    compiler = query.get_compiler(connection=connection)
    return compiler.compile(expression.resolve_expression(query, allow_joins=False))


def index_products(product_ids) -> int:
    """The PostgreSQL backend's index_products: documents, and the products' suggestion terms."""
    from search import suggestions

    ids = list(product_ids)
    count = 0
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        with transaction.atomic():
            count += write_documents(batch)
            suggestions.refresh_product_terms(batch)
    return count


def reindex(progress: Callable[[int, int], None] | None = None, *, batch_size: int = BATCH_SIZE) -> int:
    """Rebuild every product's document, batch by batch, calling progress(done, total)."""
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    total, done = len(ids), 0
    for start in range(0, total, batch_size):
        batch = ids[start : start + batch_size]
        with transaction.atomic():
            unmark_stale(batch)
            write_documents(batch)
        done += len(batch)
        if progress:
            progress(done, total)
    return total

"""indexing.deferred(): work that changes many products (seeding) leaves them stale and indexes them once."""

from search import indexing
from search.models import StaleProduct


def stale(*products) -> set[str]:
    stale_ids = set(StaleProduct.objects.values_list("pk", flat=True))
    return {product.name for product in products if product.pk in stale_ids}


def test_deferred_changes_stay_stale_until_indexed_at_once(catalogue):
    tea, rice = catalogue.products["雷山银球茶"], catalogue.products["五常大米"]
    indexing.index_stale_products()
    assert not stale(tea, rice)

    with indexing.deferred():
        indexing.mark_stale([tea.pk])
        indexing.IndexTaskOnCommit()()  # what the commit runs: sends no task
    assert stale(tea, rice) == {"雷山银球茶"}

    indexing.mark_stale([rice.pk])
    indexing.IndexTaskOnCommit()()  # outside, the task runs (in process in tests) and indexes both
    assert not stale(tea, rice)

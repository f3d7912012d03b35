"""Search documents are now weighted (name, category and region, details, merchant) and hold pinyin: mark
every product stale so that the catch-up task (catalog.refresh_stale_search_documents) or
`manage.py search_reindex` rebuilds them. Until then a stale product is still found by its old document and
by its name."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_product_popularity")]

    operations = [
        migrations.RunSQL(
            "UPDATE catalog_product SET search_index_dirty = true WHERE NOT search_index_dirty",
            reverse_sql=migrations.RunSQL.noop,
        )
    ]

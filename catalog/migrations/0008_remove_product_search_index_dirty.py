"""The stale flag moves to search.StaleProduct (search 0002 copies it first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_search_indexes_with_listed_channels"),
        ("search", "0002_staleproduct"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="product", name="product_search_dirty_idx"),
        migrations.RemoveField(model_name="product", name="search_index_dirty"),
    ]

"""Stale products in a table of their own (search.models.StaleProduct), taken over from the product flag that
catalog 0008 removes; a trigger marks every product inserted without a search document, as the flag's default
did, whatever inserts it (the ORM, bulk_create, SQL)."""

import django.db.models.deletion
from django.db import migrations, models

MARK_NEW_PRODUCTS = """
CREATE FUNCTION search_mark_new_products_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_staleproduct (product_id, marked_at)
    SELECT id, now() FROM inserted WHERE search_document = ''
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER search_new_products_stale AFTER INSERT ON catalog_product
REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION search_mark_new_products_stale();
"""
UNMARK_NEW_PRODUCTS = """
DROP TRIGGER search_new_products_stale ON catalog_product;
DROP FUNCTION search_mark_new_products_stale();
"""
TAKE_OVER_FLAGS = """
INSERT INTO search_staleproduct (product_id, marked_at)
SELECT id, now() FROM catalog_product WHERE search_index_dirty
"""
GIVE_BACK_FLAGS = """
UPDATE catalog_product SET search_index_dirty = EXISTS (
    SELECT 1 FROM search_staleproduct WHERE search_staleproduct.product_id = catalog_product.id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_search_indexes_with_listed_channels"),
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="StaleProduct",
            fields=[
                (
                    "product",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="catalog.product",
                    ),
                ),
                ("marked_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "待索引商品",
                "verbose_name_plural": "待索引商品",
            },
        ),
        migrations.RunSQL(TAKE_OVER_FLAGS, GIVE_BACK_FLAGS),
        migrations.RunSQL(MARK_NEW_PRODUCTS, UNMARK_NEW_PRODUCTS),
    ]

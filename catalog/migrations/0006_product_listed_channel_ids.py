"""Product.listed_channel_ids, kept by the database from the product's channel listings.

Two triggers own the column, so no code path (a service, the admin, a bulk update, raw SQL) can leave it
stale:
- on catalog_product, before a row is inserted or the column is written (Product.save() writes every
  column), the value is computed from the listings: what the application wrote is replaced;
- on catalog_productchannellisting, after any change, the product row is locked and recomputed. The lock
  makes concurrent listing changes of one product wait for each other, and the computation runs in a
  statement of its own, after the lock, so it sees what the other transaction committed (READ COMMITTED).
"""

from django.contrib.postgres.fields import ArrayField
from django.db import migrations, models

LISTED_CHANNELS = """
CREATE FUNCTION catalog_listed_channel_ids(product bigint) RETURNS bigint[]
LANGUAGE sql VOLATILE AS $$
    SELECT coalesce(array_agg(channel_id ORDER BY channel_id), '{}')
    FROM catalog_productchannellisting
    WHERE product_id = product AND is_published AND visible_in_listings AND published_at IS NOT NULL
$$;

CREATE FUNCTION catalog_product_listed_channels() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.listed_channel_ids := catalog_listed_channel_ids(NEW.id);
    RETURN NEW;
END
$$;

CREATE TRIGGER catalog_product_listed_channels
BEFORE INSERT OR UPDATE OF listed_channel_ids ON catalog_product
FOR EACH ROW EXECUTE FUNCTION catalog_product_listed_channels();

CREATE FUNCTION catalog_refresh_listed_channels(product bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    listed bigint[];
BEGIN
    PERFORM 1 FROM catalog_product WHERE id = product FOR UPDATE;
    listed := catalog_listed_channel_ids(product);
    UPDATE catalog_product SET listed_channel_ids = listed
    WHERE id = product AND listed_channel_ids IS DISTINCT FROM listed;
END
$$;

CREATE FUNCTION catalog_listing_listed_channels() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM catalog_refresh_listed_channels(OLD.product_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.product_id <> OLD.product_id) THEN
        PERFORM catalog_refresh_listed_channels(NEW.product_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER catalog_listing_listed_channels
AFTER INSERT OR UPDATE OR DELETE ON catalog_productchannellisting
FOR EACH ROW EXECUTE FUNCTION catalog_listing_listed_channels();

UPDATE catalog_product SET listed_channel_ids = '{}'
WHERE id IN (SELECT product_id FROM catalog_productchannellisting);
"""

DROP_LISTED_CHANNELS = """
DROP TRIGGER catalog_listing_listed_channels ON catalog_productchannellisting;
DROP FUNCTION catalog_listing_listed_channels();
DROP FUNCTION catalog_refresh_listed_channels(bigint);
DROP TRIGGER catalog_product_listed_channels ON catalog_product;
DROP FUNCTION catalog_product_listed_channels();
DROP FUNCTION catalog_listed_channel_ids(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_search_speed"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="listed_channel_ids",
            field=ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, editable=False, size=None),
        ),
        migrations.AddIndex(
            model_name="productchannellisting",
            index=models.Index(fields=["channel", "published_at"], name="product_listing_schedule_idx"),
        ),
        migrations.RunSQL(sql=LISTED_CHANNELS, reverse_sql=DROP_LISTED_CHANNELS),
    ]

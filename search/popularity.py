"""Product.popularity: units sold in paid orders over the last POPULARITY_DAYS days."""

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from catalog.models import Product
from orders.models import Order, OrderChargeStatus, OrderLine, OrderStatus

POPULARITY_DAYS = 90


@transaction.atomic
def refresh_popularity(*, days: int = POPULARITY_DAYS) -> int:
    """Set every product's popularity in one statement; returns how many products changed."""
    since = timezone.now() - timedelta(days=days)
    product, order, line = Product._meta.db_table, Order._meta.db_table, OrderLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'WITH sold AS (SELECT line."product_id" AS id, SUM(line."quantity") AS units FROM "{line}" line '
            f'JOIN "{order}" o ON o."id" = line."order_id" '
            f'WHERE o."charge_status" IN (%s, %s) AND o."status" NOT IN (%s, %s) '
            f'AND COALESCE(o."paid_at", o."created_at") >= %s AND line."product_id" IS NOT NULL '
            f'GROUP BY line."product_id") '
            f'UPDATE "{product}" p SET "popularity" = COALESCE(sold.units, 0) '
            f'FROM "{product}" p2 LEFT JOIN sold ON sold.id = p2."id" '
            f'WHERE p."id" = p2."id" AND p."popularity" IS DISTINCT FROM COALESCE(sold.units, 0)',
            [
                OrderChargeStatus.FULL,
                OrderChargeStatus.OVERCHARGED,
                OrderStatus.CANCELED,
                OrderStatus.EXPIRED,
                since,
            ],
        )
        return cursor.rowcount

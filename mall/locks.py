"""PostgreSQL advisory locks: serialise work on one thing (a member's allowances, a periodic job)
without locking a table row other code also updates. Held until the transaction ends."""

import zlib

from django.db import connection


def _key(namespace: str) -> int:
    # The two-key form takes two int4s: fold the unsigned CRC into the signed range.
    return zlib.crc32(namespace.encode()) - 2**31


def lock_for_transaction(namespace: str, object_id: int = 0) -> None:
    """Wait for, then hold until commit or rollback, the lock on (namespace, object_id)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_key(namespace), object_id])


def try_lock_for_transaction(namespace: str, object_id: int = 0) -> bool:
    """Take the lock if nobody holds it; False (without waiting) if someone does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_key(namespace), object_id])
        return cursor.fetchone()[0]


def lock_many_for_transaction(namespace: str, object_ids) -> None:
    """Hold the locks on (namespace, id) for every id, in one statement. Taken in ascending id order
    (unnest keeps the array's order), so two callers with overlapping ids cannot deadlock."""
    ids = sorted(set(object_ids))
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, id)) FROM unnest(%s::integer[]) AS id",
            [_key(namespace), ids],
        )

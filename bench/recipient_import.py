"""Recipient list upload at scale: checking and creating 5,000 rows (issue 14's budget: under 10 s).

`python -m bench.recipient_import [--rows 5000]` runs against DATABASE_URL inside one transaction that is
rolled back, so the database is left as it was: it builds a channel, a published product, a gift pack, a
branch with its clerk and a draft bulk order, then imports a CSV and an XLSX file of `--rows` rows with
bulk_orders.services.import_recipients and reports the seconds and SQL queries of each (the query count
must be the same for 50 rows and for 5,000).
"""

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 10.0


class Rollback(Exception):
    pass


def setup_django(media_root: str) -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mall.settings")
    os.environ["MEDIA_ROOT"] = media_root
    import django

    django.setup()


def fixtures():
    from django.contrib.auth import get_user_model

    from branches.services import assign_role, create_union_branch
    from bulk_orders.models import BulkOrder, GiftPack
    from catalog import services

    channel = services.create_channel(name="压测渠道", slug="bench-bulk-import")
    merchant = services.create_merchant(name="压测商户")
    product = services.create_product(
        product_type=services.get_or_create_product_type(name="农产品"),
        merchant=merchant,
        category=None,
        name="压测茶叶",
    )
    variant = services.create_variant(product=product, sku="BENCH-BULK-TEA", name="500g", price=88)
    services.publish_product(product=product, channel=channel)
    GiftPack.objects.create(sku="BENCH-BULK-PACK", name="压测礼包", price_amount=200)
    city = create_union_branch(code="BENCH-BULK-C", name="压测市总工会", kind="federation")
    district = create_union_branch(code="BENCH-BULK-D", name="压测区总工会", parent=city, kind="federation")
    street = create_union_branch(code="BENCH-BULK-S", name="压测街道工会", parent=district, kind="street")
    union = create_union_branch(code="BENCH-BULK-U", name="压测企业工会", parent=street, kind="enterprise")
    clerk = get_user_model().objects.create_user("bench-bulk-clerk@example.com", "pass-1234-word")
    assign_role(user=clerk, branch=union, role="CLERK")
    return channel, variant, union, clerk, BulkOrder


def rows(count: int, sku: str) -> list[list[str]]:
    header = ["姓名", "手机号", "省", "市", "区", "详细地址", "SKU", "数量"]
    address = ["广东省", "深圳市", "南山区"]
    body = [
        [f"会员{n}", f"139{n:08d}", *address, f"科苑路 {n} 号", sku if n % 3 else "BENCH-BULK-PACK", "2"]
        for n in range(count)
    ]
    return [header, *body]


def as_csv(table) -> bytes:
    return "\r\n".join(",".join(row) for row in table).encode("gb18030")


def as_xlsx(table) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in table:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure_one(content: bytes, name: str, *, order_factory, clerk) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bulk_orders.services import import_recipients

    bulk_order = order_factory()
    upload = SimpleUploadedFile(name, content)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = import_recipients(bulk_order, upload, by=clerk)
        seconds = time.perf_counter() - started
    assert result.status == "DONE", result.errors[:5]
    return {"seconds": round(seconds, 2), "queries": len(queries), "rows": result.total_rows}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.recipient_import", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--output", type=Path, help="write the results here as JSON too")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as media_root:
        setup_django(media_root)
        from django.db import transaction

        results = {}
        try:
            with transaction.atomic():
                channel, variant, union, clerk, bulk_order_model = fixtures()
                numbers = iter(range(1, 100))

                def order_factory():
                    return bulk_order_model.objects.create(
                        branch=union,
                        channel=channel,
                        name="压测采购单",
                        payment_reference=f"BENCH-BULK-{next(numbers)}",
                        created_by=clerk,
                    )

                for count in (50, arguments.rows):
                    table = rows(count, variant.sku)
                    results[f"csv_{count}"] = measure_one(
                        as_csv(table), "r.csv", order_factory=order_factory, clerk=clerk
                    )
                    results[f"xlsx_{count}"] = measure_one(
                        as_xlsx(table), "r.xlsx", order_factory=order_factory, clerk=clerk
                    )
                raise Rollback
        except Rollback:
            pass
    results["budget_seconds"] = BUDGET_SECONDS
    results["within_budget"] = all(
        value["seconds"] < BUDGET_SECONDS for value in results.values() if isinstance(value, dict)
    )
    if arguments.output:
        arguments.output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


def budgets(results: dict, rows: int) -> list[dict]:
    """For `python -m bench`: the 5,000-row uploads within 10 s, with the query count of 50 rows."""
    found = []
    for kind in ("csv", "xlsx"):
        large, small = results.get(f"{kind}_{rows}"), results.get(f"{kind}_50")
        if not large:
            continue
        found.append(
            {
                "what": f"recipient list {kind.upper()} of {rows:,} rows: check and create (s)",
                "limit": f"< {BUDGET_SECONDS:.0f}",
                "measured": large["seconds"],
                "pass": large["seconds"] < BUDGET_SECONDS,
            }
        )
        if small:
            found.append(
                {
                    "what": f"recipient list {kind.upper()}: SQL queries at 50 / {rows:,} rows",
                    "limit": "not growing",
                    "measured": f"{small['queries']} / {large['queries']}",
                    "pass": large["queries"] <= small["queries"],
                }
            )
    return found


def print_section(results: dict) -> None:
    print("\nRecipient list upload (check and create)")
    for key, value in results.items():
        if isinstance(value, dict):
            print(f"  {key:<12}{value['rows']:>7,} rows{value['seconds']:>8} s{value['queries']:>5} SQL")


if __name__ == "__main__":
    sys.exit(main())

"""A bulk order of 5,000 recipient lines end to end: upload, submit, approve, place (issue 14's budgets:
upload under 10 s, placement under 10 s, and no step's SQL query count growing with the rows).

`python -m bench.bulk_placement [--rows 5000] [--small-rows 500] [--output file.json]` runs against
DATABASE_URL inside one transaction that is rolled back, so the database is left as it was. For each size
it builds a draft bulk order, imports a recipient list of that many valid rows (CSV, two thirds a
variant with a volume tier, a third a gift pack of two variants) with bulk_orders.services, submits it
(compliance check), approves it (prices frozen, purchase plan written), renders the purchase plan XLSX
and places it (stock allocated for every line, the order written), timing each step and counting its
SQL queries.

The procurement thresholds are lifted and the relief share set to 0 in this process only: a 5,000-gift
order is far above the tender line (¥150,000) and its goods are not relief-certified here; the check
itself still runs in full.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BUDGET_UPLOAD_SECONDS = 10.0
BUDGET_PLACE_SECONDS = 10.0
STEPS = ("upload", "submit", "approve", "plan_xlsx", "place")


class Rollback(Exception):
    pass


def setup_django(media_root: str) -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mall.settings")
    os.environ["MEDIA_ROOT"] = media_root
    import django

    django.setup()
    from django.conf import settings

    settings.BULK_QUOTES_THRESHOLD = Decimal("1000000000")
    settings.BULK_TENDER_THRESHOLD = Decimal("1000000000")
    settings.RELIEF_MINIMUM_SHARE_DEFAULT = Decimal("0")


def fixtures() -> dict:
    from django.contrib.auth import get_user_model

    from branches.services import assign_role, create_union_branch
    from bulk_orders.models import GiftPack, GiftPackItem, VolumePriceTier
    from catalog import services

    channel = services.create_channel(name="压测采购渠道", slug="bench-bulk-placement")
    warehouse = services.create_warehouse(name="压测采购仓", channels=[channel])
    product_type = services.get_or_create_product_type(name="农产品")
    variants = []
    for sku, name, price in (("BENCH-PLACE-RICE", "压测大米", 60), ("BENCH-PLACE-OIL", "压测花生油", 45)):
        merchant = services.create_merchant(name=f"{name}合作社")
        product = services.create_product(product_type=product_type, merchant=merchant, category=None, name=name)
        variant = services.create_variant(product=product, sku=sku, name="5kg", price=price)
        services.set_stock(variant=variant, warehouse=warehouse, quantity=10_000_000)
        services.publish_product(product=product, channel=channel)
        variants.append(variant)
    VolumePriceTier.objects.create(variant=variants[0], min_quantity=100, discount_percent=Decimal("5"))
    pack = GiftPack.objects.create(sku="BENCH-PLACE-PACK", name="压测帮扶礼包", price_amount=100)
    for variant in variants:
        GiftPackItem.objects.create(pack=pack, variant=variant, quantity=1)
    city = create_union_branch(code="BENCH-PLACE-C", name="压测市总工会", kind="federation")
    district = create_union_branch(code="BENCH-PLACE-D", name="压测区总工会", parent=city, kind="federation")
    street = create_union_branch(code="BENCH-PLACE-S", name="压测街道工会", parent=district, kind="street")
    union = create_union_branch(code="BENCH-PLACE-U", name="压测企业工会", parent=street, kind="enterprise")
    users = get_user_model().objects
    clerk = users.create_user("bench-place-clerk@example.com", "pass-1234-word")
    approver = users.create_user("bench-place-chair@example.com", "pass-1234-word")
    assign_role(user=clerk, branch=union, role="CLERK")
    assign_role(user=approver, branch=union, role="APPROVER")
    return {"channel": channel, "union": union, "clerk": clerk, "approver": approver, "sku": variants[0].sku}


def recipient_csv(count: int, sku: str) -> bytes:
    header = "姓名,手机号,省,市,区,详细地址,SKU,数量"
    body = [
        f"职工{n},137{n:08d},广东省,深圳市,南山区,科苑路 {n} 号,{sku if n % 3 else 'BENCH-PLACE-PACK'},1"
        for n in range(count)
    ]
    return "\r\n".join([header, *body]).encode("utf-8")


def timed(step):
    """(result, seconds, SQL queries) of calling `step`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - started
    return result, round(seconds, 2), len(queries)


def measure_size(rows: int, data: dict, number: int) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bulk_orders import purchase_plan, services
    from bulk_orders.models import BulkOrder

    bulk_order = BulkOrder.objects.create(
        branch=data["union"],
        channel=data["channel"],
        name=f"压测采购单 {rows} 行",
        payment_reference=f"BENCH-PLACE-{number}",
        created_by=data["clerk"],
    )
    upload = SimpleUploadedFile("recipients.csv", recipient_csv(rows, data["sku"]))
    clerk, approver = data["clerk"], data["approver"]
    steps = {
        "upload": lambda: services.import_recipients(bulk_order, upload, by=clerk),
        "submit": lambda: services.submit(bulk_order, by=clerk),
        "approve": lambda: services.approve(bulk_order, by=approver),
        "plan_xlsx": lambda: purchase_plan.xlsx_bytes(BulkOrder.objects.get(pk=bulk_order.pk).purchase_plan),
        "place": lambda: services.place(bulk_order, by=clerk),
    }
    result = {"rows": rows}
    for name in STEPS:
        outcome, seconds, queries = timed(steps[name])
        if name == "upload":
            assert outcome.status == "DONE", outcome.errors[:5]
        result[name] = {"seconds": seconds, "queries": queries}
    placed = BulkOrder.objects.select_related("order").get(pk=bulk_order.pk)
    assert placed.status == "PLACED" and placed.order.lines.count() == 2
    result["lines"] = placed.lines.count()
    result["total"] = str(placed.total_amount)
    return result


def summarise(small: dict, large: dict) -> dict:
    # Not growing: the upload's progress updates (at most four) may round to one fewer at a larger size.
    constant = {name: large[name]["queries"] <= small[name]["queries"] for name in STEPS}
    return {
        "small": small,
        "large": large,
        "queries_not_growing": constant,
        "budgets": [
            {
                "what": f"bulk order: upload (validate + create) of {large['rows']:,} rows (s)",
                "limit": f"< {BUDGET_UPLOAD_SECONDS:.0f}",
                "measured": large["upload"]["seconds"],
                "pass": large["upload"]["seconds"] < BUDGET_UPLOAD_SECONDS,
            },
            {
                "what": f"bulk order: placing {large['lines']:,} lines (s)",
                "limit": f"< {BUDGET_PLACE_SECONDS:.0f}",
                "measured": large["place"]["seconds"],
                "pass": large["place"]["seconds"] < BUDGET_PLACE_SECONDS,
            },
            {
                "what": f"bulk order: SQL queries per step at {small['rows']:,} / {large['rows']:,} rows",
                "limit": "not growing",
                "measured": ", ".join(f"{name} {small[name]['queries']}/{large[name]['queries']}" for name in STEPS),
                "pass": all(constant.values()),
            },
        ],
    }


def print_section(results: dict) -> None:
    small, large = results["small"], results["large"]
    print(f"\nBulk order of recipient lines: {small['rows']:,} and {large['rows']:,} rows")
    sizes = [f"s @ {size['rows']:,}" for size in (small, large)]
    header = f"{'step':<12}{sizes[0]:>12}{'SQL':>6}{sizes[1]:>12}{'SQL':>6}"
    print(header)
    print("-" * len(header))
    for name in STEPS:
        print(
            f"{name:<12}{small[name]['seconds']:>12}{small[name]['queries']:>6}"
            f"{large[name]['seconds']:>12}{large[name]['queries']:>6}"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bulk_placement", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--small-rows", type=int, default=500)
    parser.add_argument("--output", type=Path, help="write the results here as JSON too")
    arguments = parser.parse_args(argv)
    if min(arguments.rows, arguments.small_rows) < 3:
        parser.error("--rows and --small-rows must be at least 3")
    with tempfile.TemporaryDirectory() as media_root:
        setup_django(media_root)
        from django.db import transaction

        try:
            with transaction.atomic():
                data = fixtures()
                small = measure_size(arguments.small_rows, data, 1)
                large = measure_size(arguments.rows, data, 2)
                raise Rollback
        except Rollback:
            pass
    results = summarise(small, large)
    print_section(results)
    if arguments.output:
        arguments.output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    else:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

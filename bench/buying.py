"""Buying under load, through the public GraphQL API as a storefront would do it.

- Completed checkouts per second: checkoutCreate (lines, e-mail, address) → checkoutDeliveryMethodUpdate →
  checkoutComplete, one flow after another and from 8 clients at once. Orders are placed unpaid (下单 then
  支付), as the storefront does; paying goes to Stripe and is not what is measured here.
- A flash sale: 200 buyers' checkouts are made ready for a variant with 50 units, then all 200 complete at the
  same moment. Reported: orders per second, p95 latency of checkoutComplete, and oversold units (must be 0),
  counted from the answers and from the database.
"""

import json
import threading
import time
from dataclasses import dataclass, field

from bench import load

CHANNEL = "union-mall"
FLASH_UNITS = 50
FLASH_BUYERS = 200
STOCK_FOR_FLOWS = 1_000_000

CHECKOUT_CREATE = """
mutation BenchCheckoutCreate($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id totalPrice { gross { amount } } shippingMethods { id } }
    errors { field code message }
  }
}
"""
DELIVERY_METHOD_UPDATE = """
mutation BenchDelivery($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout { id totalPrice { gross { amount } } }
    errors { field code message }
  }
}
"""
CHECKOUT_COMPLETE = """
mutation BenchComplete($id: ID!) {
  checkoutComplete(id: $id) { order { id number total { gross { amount } } } errors { field code message } }
}
"""
ADDRESS = {
    "firstName": "小明",
    "lastName": "王",
    "streetAddress1": "中山五路 100 号",
    "city": "广州市",
    "cityArea": "越秀区",
    "countryArea": "广东省",
    "postalCode": "510030",
    "country": "CN",
    "phone": "+8613800138000",
}


class FlowFailed(Exception):
    pass


def call(port: int, query: str, variables: dict, name: str) -> dict:
    body = json.dumps({"query": query, "variables": variables}).encode()
    status, content = load.send(port, load.Request("POST", "/graphql/", body, {"Content-Type": "application/json"}))
    if status != 200:
        raise FlowFailed(f"{name}: HTTP {status}")
    answer = json.loads(content)
    if answer.get("errors"):
        raise FlowFailed(f"{name}: {answer['errors'][0]['message'][:160]}")
    return answer["data"][name]


def ready_checkout(port: int, variant_id: str, index: int) -> str:
    """A checkout of one unit with an address and the cheapest shipping method: ready to complete."""
    created = call(
        port,
        CHECKOUT_CREATE,
        {
            "input": {
                "channel": CHANNEL,
                "email": f"bench-{index}@example.com",
                "lines": [{"variantId": variant_id, "quantity": 1}],
                "shippingAddress": ADDRESS,
                "billingAddress": ADDRESS,
            }
        },
        "checkoutCreate",
    )
    if created["errors"]:
        raise FlowFailed(f"checkoutCreate: {created['errors'][0]['code']} {created['errors'][0]['message']}")
    checkout = created["checkout"]
    if not checkout["shippingMethods"]:
        raise FlowFailed("checkoutCreate: no shipping method for the address")
    delivered = call(
        port,
        DELIVERY_METHOD_UPDATE,
        {"id": checkout["id"], "method": checkout["shippingMethods"][0]["id"]},
        "checkoutDeliveryMethodUpdate",
    )
    if delivered["errors"]:
        raise FlowFailed(f"checkoutDeliveryMethodUpdate: {delivered['errors'][0]['code']}")
    return checkout["id"]


def complete(port: int, checkout_id: str) -> tuple[str | None, str | None]:
    """(order number, error code) of checkoutComplete."""
    completed = call(port, CHECKOUT_COMPLETE, {"id": checkout_id}, "checkoutComplete")
    if completed["errors"]:
        return None, completed["errors"][0]["code"]
    return completed["order"]["number"], None


# --- Preparing the variants (in this process, on the benchmark database) -------------------
def purchasable_variants(count: int):
    """Variants of different products on sale now in the channel, tracked in stock, with a price."""
    from django.utils import timezone

    from catalog.models import ProductVariant

    now = timezone.now()
    variants = (
        ProductVariant.objects.filter(
            product__channel_listings__channel__slug=CHANNEL,
            product__channel_listings__is_published=True,
            product__channel_listings__available_for_purchase_at__lte=now,
            track_inventory=True,
            quantity_limit_per_customer__isnull=True,
            price_amount__gt=0,
            stocks__isnull=False,
        )
        .order_by("product_id", "pk")
        .distinct("product_id")
    )
    chosen = list(variants[:count])
    if len(chosen) < count:
        raise RuntimeError("Not enough purchasable variants in the benchmark database: run without --no-seed.")
    return chosen


def set_available(variant, units: int) -> None:
    """Leave exactly `units` of `variant` available in its first stock row and none in the others."""
    from django.db import transaction
    from django.db.models import F

    from catalog.models import Stock

    with transaction.atomic():
        stocks = list(Stock.objects.select_for_update().filter(product_variant=variant).order_by("pk"))
        Stock.objects.filter(pk__in=[stock.pk for stock in stocks]).update(quantity=F("quantity_allocated"))
        Stock.objects.filter(pk=stocks[0].pk).update(quantity=F("quantity_allocated") + units)


def global_id(variant) -> str:
    from graphql_relay import to_global_id

    return to_global_id("ProductVariant", variant.pk)


def allocated_units(variant) -> tuple[int, int]:
    """(units allocated, units in stock) of the variant over all its stock rows."""
    from django.db.models import Sum

    from catalog.models import Stock

    totals = Stock.objects.filter(product_variant=variant).aggregate(
        allocated=Sum("quantity_allocated"), quantity=Sum("quantity")
    )
    return totals["allocated"] or 0, totals["quantity"] or 0


# --- Measuring --------------------------------------------------------------------------------
@dataclass
class FlowResults:
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run_flows(port: int, variant_id: str, *, count: int, concurrency: int, offset: int) -> FlowResults:
    """`count` full flows (create → delivery → complete) from `concurrency` client threads."""
    results = FlowResults()
    lock = threading.Lock()
    next_index = iter(range(count))

    def worker():
        while True:
            with lock:
                index = next(next_index, None)
            if index is None:
                return
            started = time.perf_counter()
            try:
                number, code = complete(port, ready_checkout(port, variant_id, offset + index))
                problem = None if number else f"checkoutComplete: {code}"
            except (FlowFailed, OSError, ValueError) as error:
                problem = str(error)
            elapsed = time.perf_counter() - started
            with lock:
                (results.failures.append(problem) if problem else results.latencies.append(elapsed))

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.seconds = time.perf_counter() - started
    return results


def summarise_flows(name: str, results: FlowResults, concurrency: int) -> dict:
    milliseconds = [latency * 1000 for latency in results.latencies]
    return {
        "name": name,
        "concurrency": concurrency,
        "completed": len(results.latencies),
        "errors": len(results.failures),
        "error_kinds": sorted(set(results.failures))[:5],
        "checkouts_per_second": round(len(results.latencies) / results.seconds, 2) if results.seconds else None,
        "p50_ms": _round(load.percentile(milliseconds, 0.50)),
        "p95_ms": _round(load.percentile(milliseconds, 0.95)),
    }


def flash_sale(port: int, variant, *, buyers: int = FLASH_BUYERS, units: int = FLASH_UNITS) -> dict:
    """`buyers` ready checkouts complete at the same moment for `units` units."""
    set_available(variant, units)
    allocated_before, _ = allocated_units(variant)
    variant_id = global_id(variant)

    checkout_ids = [None] * buyers
    prepare_errors = []

    def prepare(index):
        try:
            checkout_ids[index] = ready_checkout(port, variant_id, 900_000 + index)
        except (FlowFailed, OSError, ValueError) as error:
            prepare_errors.append(str(error))

    _in_threads(prepare, buyers, concurrency=8)
    ready = [checkout_id for checkout_id in checkout_ids if checkout_id]

    gate = threading.Barrier(len(ready) + 1)
    outcomes = []
    lock = threading.Lock()

    def buy(checkout_id):
        gate.wait()
        started = time.perf_counter()
        try:
            number, code = complete(port, checkout_id)
        except (FlowFailed, OSError, ValueError) as error:
            number, code = None, f"failed: {error}"
        with lock:
            outcomes.append((number, code, time.perf_counter() - started))

    threads = [threading.Thread(target=buy, args=(checkout_id,)) for checkout_id in ready]
    for thread in threads:
        thread.start()
    gate.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started

    orders = [outcome for outcome in outcomes if outcome[0]]
    refused = [outcome for outcome in outcomes if outcome[1] == "INSUFFICIENT_STOCK"]
    other = sorted({outcome[1] for outcome in outcomes if not outcome[0] and outcome[1] != "INSUFFICIENT_STOCK"})
    allocated_after, in_stock = allocated_units(variant)
    milliseconds = [outcome[2] * 1000 for outcome in outcomes]
    return {
        "name": f"flash sale: {len(ready)} buyers, {units} units",
        "buyers_ready": len(ready),
        "prepare_errors": sorted(set(prepare_errors))[:5],
        "orders": len(orders),
        "refused_insufficient_stock": len(refused),
        "other_errors": other[:5],
        "orders_per_second": round(len(orders) / seconds, 1) if seconds else None,
        "p50_ms": _round(load.percentile(milliseconds, 0.50)),
        "p95_ms": _round(load.percentile(milliseconds, 0.95)),
        "oversold_units": max(len(orders) - units, 0) + max(allocated_after - in_stock, 0),
        "units_allocated": allocated_after - allocated_before,
    }


def _in_threads(function, count: int, *, concurrency: int) -> None:
    lock = threading.Lock()
    indexes = iter(range(count))

    def worker():
        while True:
            with lock:
                index = next(indexes, None)
            if index is None:
                return
            function(index)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _round(value):
    return None if value is None else round(value, 1)


def measure(port: int, *, flows: int, concurrency: int = 8) -> dict:
    flow_variant, flash_variant = purchasable_variants(2)
    set_available(flow_variant, STOCK_FOR_FLOWS)
    variant_id = global_id(flow_variant)
    run_flows(port, variant_id, count=min(5, flows), concurrency=1, offset=0)  # warm-up
    sequential = run_flows(port, variant_id, count=flows, concurrency=1, offset=1_000)
    concurrent = run_flows(port, variant_id, count=flows, concurrency=concurrency, offset=2_000)
    return {
        "checkouts_sequential": summarise_flows("completed checkouts, one client", sequential, 1),
        "checkouts_concurrent": summarise_flows(f"completed checkouts, {concurrency} clients", concurrent, concurrency),
        "flash_sale": flash_sale(port, flash_variant),
    }


def budgets(results: dict) -> list[dict]:
    flash = results["flash_sale"]
    return [
        {
            "what": "flash sale: oversold units",
            "limit": "= 0",
            "measured": flash["oversold_units"],
            "pass": flash["oversold_units"] == 0 and flash["orders"] <= FLASH_UNITS,
        },
        {
            "what": f"flash sale: all {FLASH_UNITS} units sold",
            "limit": f"= {FLASH_UNITS}",
            "measured": flash["orders"],
            "pass": flash["orders"] == FLASH_UNITS,
        },
    ]


def print_section(results: dict) -> None:
    print("\nBuying (GraphQL checkoutCreate → checkoutDeliveryMethodUpdate → checkoutComplete)")
    for key in ("checkouts_sequential", "checkouts_concurrent"):
        result = results[key]
        print(
            f"  {result['name']:<34} {result['checkouts_per_second']} checkouts/s, p50 {result['p50_ms']} ms, "
            f"p95 {result['p95_ms']} ms, {result['completed']} completed, {result['errors']} errors"
        )
        for problem in result["error_kinds"]:
            print(f"    ! {problem}")
    flash = results["flash_sale"]
    print(
        f"  {flash['name']}: {flash['orders']} orders, {flash['refused_insufficient_stock']} refused "
        f"(INSUFFICIENT_STOCK), {flash['orders_per_second']} orders/s, p95 {flash['p95_ms']} ms, "
        f"oversold {flash['oversold_units']} units"
    )
    for problem in flash["prepare_errors"] + flash["other_errors"]:
        print(f"    ! {problem}")

"""Relief reports at scale: 5,000 branches over four levels and 1,000,000 ledger entries over three years.

`python -m bench.relief` (and `make bench`, through bench/__main__.py) builds the data in its own database
(`<bench database>_relief`) with set-based SQL (INSERT … SELECT generate_series: the ledger's trigger only
refuses UPDATE and DELETE), then measures in this process, with the real report functions:
- the subtree totals of every branch for one year (reports.subtree_totals: one query grouped by the
  credited branch's path, then each sum added to every prefix of its path);
- the ranking of a district's children (reports.ranking);
- a region breakdown of the whole federation for the year (reports.purchase_summary, group_by=REGION).
Each must take under BUDGET_MS (median of the timed runs). The data is kept and reused while its size
matches, so a second run only measures.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BUDGET_MS = 300.0
DEFAULT_ENTRIES = 1_000_000
BRANCHES = 5_000
DISTRICTS = 10
STREETS_PER_DISTRICT = 19  # 1 + 10 + 190 streets + 4,799 grassroots unions = 5,000 branches
YEARS = (2023, 2024, 2025)
MEASURED_YEAR = 2025
RUNS = 7
BENCH_ROOT_CODE = "BENCH-CITY"
# Real GB/T 2260 counties in five prefectures of two provinces.
COUNTIES = [
    ("520502", "贵州省", "毕节市", "七星关区"),
    ("520521", "贵州省", "毕节市", "大方县"),
    ("520522", "贵州省", "毕节市", "金沙县"),
    ("520523", "贵州省", "毕节市", "织金县"),
    ("522631", "贵州省", "黔东南苗族侗族自治州", "黎平县"),
    ("522632", "贵州省", "黔东南苗族侗族自治州", "榕江县"),
    ("522633", "贵州省", "黔东南苗族侗族自治州", "从江县"),
    ("522722", "贵州省", "黔南布依族苗族自治州", "荔波县"),
    ("522727", "贵州省", "黔南布依族苗族自治州", "平塘县"),
    ("451021", "广西壮族自治区", "百色市", "田阳县"),
    ("451022", "广西壮族自治区", "百色市", "田东县"),
    ("451026", "广西壮族自治区", "百色市", "那坡县"),
    ("451221", "广西壮族自治区", "河池市", "南丹县"),
    ("451222", "广西壮族自治区", "河池市", "天峨县"),
]
SUPPLIERS_PER_COUNTY = 4
BUYERS = 2_000


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.relief", description=__doc__.split("\n\n")[0])
    parser.add_argument("--relief-entries", type=int, default=DEFAULT_ENTRIES, help="ledger entries (default 1000000)")
    parser.add_argument("--database", default="union_mall_bench_relief", help="its own database")
    parser.add_argument("--output", type=Path, help="write the results as JSON here")
    arguments = parser.parse_args(argv)
    if arguments.relief_entries < 1:
        parser.error("--relief-entries must be at least 1 (0 skips it in `python -m bench`)")
    return arguments


def run(*, entries: int, database: str) -> dict:
    """Build (or reuse) the relief benchmark database and measure; the results as a dict."""
    from bench import database as bench_database

    url = bench_database.ensure_database(bench_database.server_url(), database)
    print(f"Relief benchmark database: {bench_database.describe(url)}", flush=True)
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update({"DATABASE_URL": url, "DEBUG": "true"})
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
    preparation = {"migrate_seconds": round(time.perf_counter() - started, 1)}
    # Measured as served: DEBUG off (no query log kept in memory).
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "mall.settings",
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        }
    )
    import django

    django.setup()
    preparation.update(build(entries))
    return {"database": bench_database.describe(url), "preparation": preparation, **measure()}


# --- Building -------------------------------------------------------------------------------------
def build(entries: int) -> dict:
    from django.db import connection, transaction

    from branches.models import UnionBranch
    from relief_sourcing.models import ReliefLedgerEntry

    root = UnionBranch.objects.filter(code=BENCH_ROOT_CODE).first()
    if root is not None:
        existing = ReliefLedgerEntry.objects.filter(branch_path__startswith=root.path).count()
        branches = UnionBranch.objects.filter(path__startswith=root.path).count()
        if existing == entries and branches == BRANCHES:
            print(f"Reusing {existing:,} ledger entries over {branches:,} branches.", flush=True)
            return {"reused": True}
        raise SystemExit(
            f"The relief benchmark database holds {existing:,} entries over {branches:,} branches, not "
            f"{entries:,}: drop it (dropdb {connection.settings_dict['NAME']}) or pass the same --relief-entries."
        )
    timings = {}
    # All or nothing: a failed build leaves no half tree for the next run to trip over.
    with transaction.atomic():
        started = time.perf_counter()
        root = build_tree()
        timings["branches_seconds"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        world = build_world()
        timings["suppliers_seconds"] = round(time.perf_counter() - started, 1)
        print(f"Writing {entries:,} ledger entries over {len(YEARS)} years…", flush=True)
        started = time.perf_counter()
        build_ledger(root, world, entries)
        timings["ledger_seconds"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) relief_sourcing_reliefledgerentry")
        cursor.execute("ANALYZE branches_unionbranch")
    timings["vacuum_analyze_seconds"] = round(time.perf_counter() - started, 1)
    return timings


def build_tree():
    """The federation in one INSERT per level, with treebeard's paths (four characters a step)."""
    from django.db import connection

    from branches.models import UnionBranch

    last_root = UnionBranch.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
    root_path = _next_step(last_root) if last_root else "0001"
    grassroots = BRANCHES - 1 - DISTRICTS - DISTRICTS * STREETS_PER_DISTRICT
    streets = DISTRICTS * STREETS_PER_DISTRICT
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO branches_unionbranch (path, depth, numchild, code, name, kind) "
            "VALUES (%s, 1, %s, %s, '基准测试市总工会', 'federation')",
            [root_path, DISTRICTS, BENCH_ROOT_CODE],
        )
        cursor.execute(
            """INSERT INTO branches_unionbranch (path, depth, numchild, code, name, kind)
               SELECT %(root)s || lpad(d::text, 4, '0'), 2, %(streets)s, 'BD' || d, '第' || d || '区总工会', ''
               FROM generate_series(1, %(districts)s) AS d""",
            {"root": root_path, "streets": STREETS_PER_DISTRICT, "districts": DISTRICTS},
        )
        # Grassroots unions are dealt round the streets, so each street gets 25 or 26.
        cursor.execute(
            """INSERT INTO branches_unionbranch (path, depth, numchild, code, name, kind)
               SELECT %(root)s || lpad(d::text, 4, '0') || lpad(s::text, 4, '0'), 3,
                      (SELECT count(*) FROM generate_series(1, %(grassroots)s) g
                        WHERE (g - 1) %% %(streets)s = (d - 1) * %(per_district)s + s - 1),
                      'BS' || d || '-' || s, '第' || d || '区第' || s || '街道工会', 'street'
               FROM generate_series(1, %(districts)s) AS d, generate_series(1, %(per_district)s) AS s""",
            {
                "root": root_path,
                "districts": DISTRICTS,
                "per_district": STREETS_PER_DISTRICT,
                "grassroots": grassroots,
                "streets": streets,
            },
        )
        cursor.execute(
            """INSERT INTO branches_unionbranch (path, depth, numchild, code, name, kind)
               SELECT %(root)s || lpad((((g - 1) %% %(streets)s) / %(per_district)s + 1)::text, 4, '0')
                      || lpad((((g - 1) %% %(streets)s) %% %(per_district)s + 1)::text, 4, '0')
                      || lpad(((g - 1) / %(streets)s + 1)::text, 4, '0'),
                      4, 0, 'BG' || g, '基层工会' || g, 'enterprise'
               FROM generate_series(1, %(grassroots)s) AS g""",
            {"root": root_path, "streets": streets, "per_district": STREETS_PER_DISTRICT, "grassroots": grassroots},
        )
    return UnionBranch.objects.get(code=BENCH_ROOT_CODE)


def _next_step(path: str) -> str:
    number = int(path[:4], 36) + 1
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = ""
    while number:
        number, remainder = divmod(number, 36)
        digits = alphabet[remainder] + digits
    return digits.rjust(4, "0")


def build_world() -> dict:
    """Regions, suppliers with certifications, one product, one order line the entries point at, buyers."""
    from datetime import date
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from catalog import services as catalog
    from catalog.richtext import editorjs_from_paragraphs
    from orders.models import Order, OrderLine
    from relief_sourcing.models import PartnerRegion, ReliefCertification, ReliefSupplier

    regions = [
        PartnerRegion.objects.get_or_create(
            code=code,
            defaults={
                "province": province,
                "prefecture": prefecture,
                "county": county,
                "pairing_type": PartnerRegion.PairingType.EAST_WEST,
                "active_from_year": 2020,
            },
        )[0]
        for code, province, prefecture, county in COUNTIES
    ]
    certifications = []
    for region in regions:
        for index in range(SUPPLIERS_PER_COUNTY):
            merchant = catalog.create_merchant(name=f"{region.county}帮扶合作社{index + 1}")
            supplier = ReliefSupplier.objects.create(
                merchant=merchant,
                region=region,
                credit_code=f"93{region.code}BENCH{index:05d}"[:18],
                entity_type=ReliefSupplier.EntityType.COOPERATIVE,
                admission_status=ReliefSupplier.AdmissionStatus.APPROVED,
            )
            certifications.append(
                ReliefCertification.objects.create(
                    number=f"BENCH-{region.code}-{index}",
                    certifying_body=f"{region.county}乡村振兴局",
                    supplier=supplier,
                    origin=region,
                    valid_from=date(2020, 1, 1),
                    valid_to=date(2030, 12, 31),
                )
            )
    channel = catalog.create_channel(name="基准测试", slug="bench-relief")
    product = catalog.create_product(
        product_type=catalog.get_or_create_product_type(name="农产品"),
        merchant=certifications[0].supplier.merchant,
        category=None,
        name="基准测试帮扶产品",
        description=editorjs_from_paragraphs("基准测试。"),
    )
    order = Order.objects.create(
        channel=channel, undiscounted_subtotal_amount=Decimal(1), subtotal_amount=Decimal(1), total_amount=1
    )
    line = OrderLine.objects.create(
        order=order,
        product_name=product.name,
        quantity=1,
        undiscounted_unit_price_amount=Decimal(1),
        unit_price_amount=Decimal(1),
        total_price_amount=Decimal(1),
    )
    User = get_user_model()
    buyers = User.objects.bulk_create(
        [User(email=f"relief-bench-{n}@example.com", password="!") for n in range(BUYERS)]
    )
    return {
        "certifications": [(c.pk, c.supplier_id, c.origin_id) for c in certifications],
        "product": product.pk,
        "order": order.pk,
        "line": line.pk,
        "first_buyer": min(buyer.pk for buyer in buyers),
    }


def build_ledger(root, world: dict, entries: int) -> None:
    """One INSERT … SELECT: a random branch (weighted to grassroots unions, as members buy there), a random
    certified supplier, a moment in the three years; one in thirty entries is a refund."""
    from django.db import connection

    certifications = world["certifications"]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_branch")
        cursor.execute(
            "CREATE TEMP TABLE bench_branch AS SELECT row_number() OVER (ORDER BY path) AS n, id, path "
            "FROM branches_unionbranch WHERE path LIKE %s",
            [root.path + "%"],
        )
        cursor.execute("DROP TABLE IF EXISTS bench_cert")
        cursor.execute("CREATE TEMP TABLE bench_cert (n int, id bigint, supplier_id bigint, region_id bigint)")
        cursor.executemany(
            "INSERT INTO bench_cert VALUES (%s, %s, %s, %s)",
            [(n + 1, *row) for n, row in enumerate(certifications)],
        )
        cursor.execute("SELECT count(*) FROM bench_branch")
        branch_count = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO relief_sourcing_reliefledgerentry
                (branch_id, branch_path, channel, event, event_key, amount, currency, quantity, region_id,
                 supplier_id, certification_id, product_id, order_id, order_line_id, buyer_id, occurred_at,
                 created_at)
            SELECT b.id, b.path,
                   CASE WHEN b.path ~ '^.{16}$' THEN 'MEMBER' ELSE 'BRANCH' END,
                   CASE WHEN r.refund THEN 'REFUNDED' ELSE 'PAID' END,
                   'bench-' || r.g,
                   CASE WHEN r.refund THEN -r.amount ELSE r.amount END,
                   'CNY',
                   CASE WHEN r.refund THEN -r.quantity ELSE r.quantity END,
                   c.region_id, c.supplier_id, c.id, %(product)s, %(order)s, %(line)s,
                   CASE WHEN b.path ~ '^.{16}$' THEN %(first_buyer)s + (r.g %% %(buyers)s) END,
                   r.occurred_at, now()
            FROM (
                SELECT g,
                       -- uniform over the branches, so 96 in 100 entries go to grassroots unions, as members buy
                       1 + floor(random() * %(branches)s)::int AS branch_n,
                       1 + floor(random() * %(certs)s)::int AS cert_n,
                       round((5 + random() * 295)::numeric, 2) AS amount,
                       1 + floor(random() * 5)::int AS quantity,
                       random() < 1.0 / 30 AS refund,
                       make_timestamptz(%(first_year)s, 1, 1, 0, 0, 0, 'Asia/Shanghai')
                           + random() * (make_timestamptz(%(last_year)s + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')
                                         - make_timestamptz(%(first_year)s, 1, 1, 0, 0, 0, 'Asia/Shanghai'))
                           AS occurred_at
                FROM generate_series(1, %(entries)s) AS g
            ) AS r
            JOIN bench_branch b ON b.n = r.branch_n
            JOIN bench_cert c ON c.n = r.cert_n
            -- in time order, as an append-only ledger is written day after day
            ORDER BY r.occurred_at
            """,
            {
                "product": world["product"],
                "order": str(world["order"]),
                "line": str(world["line"]),
                "first_buyer": world["first_buyer"],
                "buyers": BUYERS,
                "branches": branch_count,
                "certs": len(certifications),
                "entries": entries,
                "first_year": YEARS[0],
                "last_year": YEARS[-1],
            },
        )


# --- Measuring ------------------------------------------------------------------------------------
def timed(function, runs: int = RUNS) -> dict:
    function()  # warm the caches once, unmeasured
    milliseconds = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        milliseconds.append((time.perf_counter() - started) * 1000)
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(milliseconds), 1),
        "max_ms": round(max(milliseconds), 1),
    }


def measure() -> dict:
    from branches.models import UnionBranch
    from relief_sourcing import reports
    from relief_sourcing.models import ReliefLedgerEntry

    root = UnionBranch.objects.get(code=BENCH_ROOT_CODE)
    district = UnionBranch.objects.filter(path__startswith=root.path, depth=2).order_by("path").first()
    entries = ReliefLedgerEntry.objects.filter(branch_path__startswith=root.path).count()
    branches = UnionBranch.objects.filter(path__startswith=root.path).count()
    totals = reports.subtree_totals(MEASURED_YEAR, root=root)
    results = {
        "subtree_totals": {
            "name": f"subtree totals of every branch ({len(totals):,} with entries), one year",
            **timed(lambda: reports.subtree_totals(MEASURED_YEAR, root=root)),
        },
        "district_ranking": {
            "name": f"ranking of a district's {district.numchild} children with target progress",
            **timed(lambda: reports.ranking(district, MEASURED_YEAR)),
        },
        "region_breakdown": {
            "name": "region breakdown of the federation, one year",
            **timed(lambda: reports.purchase_summary(root, year=MEASURED_YEAR, group_by=reports.GroupBy.REGION)),
        },
    }
    # The same figure three ways: the roll-up, the summary and the ranking agree.
    summary_total = reports.purchase_summary(root, year=MEASURED_YEAR, group_by=reports.GroupBy.REGION).total
    consistent = totals.get(root.path) == summary_total
    return {
        "ledger_entries": entries,
        "branches": branches,
        "year": MEASURED_YEAR,
        "federation_total": str(summary_total),
        "consistent": consistent,
        "results": results,
    }


def budgets(relief: dict) -> list[dict]:
    return [
        {
            "what": f"relief: {result['name']}: p50 (ms)",
            "limit": f"< {BUDGET_MS:.0f}",
            "measured": result["p50_ms"],
            "pass": relief["consistent"] and result["p50_ms"] < BUDGET_MS,
        }
        for result in relief["results"].values()
    ]


def print_section(relief: dict) -> None:
    print(
        f"\nRelief reports: {relief['ledger_entries']:,} ledger entries over {relief['branches']:,} branches, "
        f"year {relief['year']} (federation total {relief['federation_total']} yuan; "
        f"{'figures agree' if relief['consistent'] else 'FIGURES DISAGREE'})"
    )
    header = f"{'report':<64}{'p50 ms':>9}{'max ms':>9}"
    print(header)
    print("-" * len(header))
    for result in relief["results"].values():
        print(f"{result['name']:<64}{result['p50_ms']:>9}{result['max_ms']:>9}")


def main(argv=None) -> int:
    arguments = parse_arguments(argv)
    relief = run(entries=arguments.relief_entries, database=arguments.database)
    relief["budgets"] = budgets(relief)
    print_section(relief)
    for budget in relief["budgets"]:
        print(f"  {'PASS' if budget['pass'] else 'FAIL'}  {budget['what']}: {budget['measured']}")
    if arguments.output:
        arguments.output.parent.mkdir(parents=True, exist_ok=True)
        arguments.output.write_text(json.dumps(relief, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

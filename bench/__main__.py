"""`python -m bench`: seed a large catalogue into its own database, serve it with gunicorn, measure.

Reports requests per second, p50/p95 latency and SQL queries per request for `products(first: 100)`
over GraphQL and for a storefront product page, buying under load, a 5,000-row bulk order (upload, approval
and placement: bench/recipient_import.py, bench/bulk_placement.py), and the relief reports over 1,000,000
ledger entries (bench/relief.py, in a database of its own), checks them against the budgets, and writes
bench-results/latest.json. It exits non-zero only when something crashes, never on a missed budget.
"""

import argparse
import json
import os
import platform
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import (
    auth,
    bulk_placement,
    buying,
    cost_check,
    database,
    load,
    members,
    recipient_import,
    relief,
    server,
)
from bench import search as search_bench

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTS_QUERY = """
query BenchProducts {
  products(first: 100, channel: "union-mall") {
    totalCount
    edges { node {
      id name slug
      thumbnail(size: 256) { url }
      category { id name }
      pricing { priceRange {
        start { gross { amount currency } }
        stop { gross { amount currency } }
      } }
      variants {
        id sku name
        pricing { price { gross { amount currency } } }
        quantityAvailable
        memberPrice { amount currency }
      }
    } }
  }
}
"""
BUDGET_QUERIES = 8
BUDGET_P50_MS = 60.0
SAMPLE_PRODUCT_PAGES = 20


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000, help="products in the catalogue (default 10000)")
    parser.add_argument("--requests", type=int, default=300, help="measured requests per endpoint (default 300)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests first (default 20)")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--worker-class", default="gthread", help="gunicorn worker class (default gthread, as in gunicorn.conf.py)"
    )
    parser.add_argument(
        "--checkouts", type=int, default=100, help="completed checkouts per buying run (default 100; 0 skips buying)"
    )
    parser.add_argument(
        "--relief-entries",
        type=int,
        default=1_000_000,
        help="relief ledger entries over 5,000 branches in the <database>_relief database (default 1000000; 0 skips)",
    )
    parser.add_argument(
        "--bulk-rows",
        type=int,
        default=5_000,
        help="recipient rows of the bulk order benchmarks (bench.recipient_import, bench.bulk_placement; "
        "default 5000; 0 skips)",
    )
    parser.add_argument(
        "--search-products",
        type=int,
        default=search_bench.DEFAULT_PRODUCTS,
        help="products of the search benchmark in the <database>_search database (default 100000; 0 skips)",
    )
    parser.add_argument("--database", default="union_mall_bench", help="database name (default union_mall_bench)")
    parser.add_argument("--no-seed", action="store_true", help="use the benchmark database as it is")
    parser.add_argument("--output", type=Path, default=BASE_DIR / "bench-results" / "latest.json")
    arguments = parser.parse_args(argv)
    if min(arguments.products, arguments.requests, arguments.concurrency, arguments.workers) < 1:
        parser.error("--products, --requests, --concurrency and --workers must be at least 1")
    if arguments.bulk_rows and arguments.bulk_rows < 500:
        parser.error("--bulk-rows must be 0 (skip) or at least 500")
    if arguments.relief_entries < 0:
        parser.error("--relief-entries must be 0 (skip) or more")
    return arguments


def main(argv=None) -> int:
    arguments = parse_arguments(argv)
    bench_dir = BASE_DIR / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    url = database.ensure_database(database.server_url(), arguments.database)
    print(f"Benchmark database: {database.describe(url)}", flush=True)
    base_env = server.child_environment(DATABASE_URL=url, MEDIA_ROOT=str(bench_dir / "media"))
    timings = {} if arguments.no_seed else prepare_database(base_env, arguments.products)
    started = time.perf_counter()
    database.vacuum_analyze(url)
    timings["vacuum_analyze_seconds"] = round(time.perf_counter() - started, 1)
    serving_env = {
        **base_env,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
    }
    timings["collectstatic_seconds"] = run_manage(serving_env, "collectstatic", "--noinput", "-v0")

    # The same SECRET_KEY here and in the server: tokens and sessions made here are honoured there.
    setup_django(url, base_env["MEDIA_ROOT"], secret_key=serving_env["SECRET_KEY"])
    catalogue_size = count_products()
    targets = endpoints(catalogue_size)
    log_path = bench_dir / "gunicorn.log"
    print(
        f"Serving with gunicorn ({arguments.workers} {arguments.worker_class} workers, DEBUG off); log in {log_path}",
        flush=True,
    )
    with server.gunicorn(
        env=serving_env,
        workers=arguments.workers,
        worker_class=arguments.worker_class,
        log_path=log_path,
        cwd=BASE_DIR,
    ) as port:
        results = {endpoint["key"]: measure(port, endpoint, arguments) for endpoint in targets}
        buying_results = buying.measure(port, flows=arguments.checkouts) if arguments.checkouts else None

    report = build_report(arguments, results, timings, catalogue_size, database.describe(url))
    report["cost_check"] = cost_check.measure(PRODUCTS_QUERY)
    if buying_results:
        report["buying"] = buying_results
        report["budgets"] += buying.budgets(buying_results)
    print_report(report)
    cost_check.print_section(report["cost_check"])
    if buying_results:
        buying.print_section(buying_results)
    if arguments.bulk_rows:
        report.update(measure_bulk_orders(arguments, url, bench_dir))
        bulk_budgets = recipient_import.budgets(report["recipient_import"], arguments.bulk_rows)
        bulk_budgets += report["bulk_placement"]["budgets"]
        report["budgets"] += bulk_budgets
        recipient_import.print_section(report["recipient_import"])
        bulk_placement.print_section(report["bulk_placement"])
        print_budgets(bulk_budgets)
    if arguments.relief_entries:
        relief_results = measure_relief(arguments, bench_dir)
        report["relief"] = relief_results
        report["budgets"] += relief.budgets(relief_results)
        relief.print_section(relief_results)
    if arguments.search_products > 0:
        search_results = measure_search(arguments, bench_dir)
        report["search"] = search_results
        report["budgets"] += search_bench.budgets(search_results)
        search_bench.print_section(search_results)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"\nWritten: {arguments.output}")
    return 0


def measure_relief(arguments, bench_dir: Path) -> dict:
    """bench.relief in a process of its own: Django there runs on the relief database, here on the catalogue's."""
    output = bench_dir / "relief.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.relief",
            "--relief-entries",
            str(arguments.relief_entries),
            "--database",
            f"{arguments.database}_relief",
            "--output",
            str(output),
        ],
        cwd=BASE_DIR,
        env=server.child_environment(),
        check=True,
    )
    return json.loads(output.read_text())


def measure_bulk_orders(arguments, url: str, bench_dir: Path) -> dict:
    """bench.recipient_import and bench.bulk_placement, each in a process of its own on the benchmark
    database, inside a transaction they roll back (the database is left as it was)."""
    found = {}
    for module, extra in (
        ("recipient_import", ["--rows", str(arguments.bulk_rows)]),
        ("bulk_placement", ["--rows", str(arguments.bulk_rows), "--small-rows", str(arguments.bulk_rows // 10)]),
    ):
        output = bench_dir / f"{module}.json"
        print(f"Bulk orders: bench.{module} with {arguments.bulk_rows:,} rows…", flush=True)
        subprocess.run(
            [sys.executable, "-m", f"bench.{module}", *extra, "--output", str(output)],
            cwd=BASE_DIR,
            env=server.child_environment(DATABASE_URL=url),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        found[module] = json.loads(output.read_text())
    return found


def measure_search(arguments, bench_dir: Path) -> dict:
    """bench.search in a process of its own, on the <database>_search database."""
    output = bench_dir / "search.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.search",
            "--products",
            str(arguments.search_products),
            "--database",
            f"{arguments.database}_search",
            "--output",
            str(output),
        ],
        cwd=BASE_DIR,
        env=server.child_environment(),
        check=True,
    )
    return json.loads(output.read_text())


def setup_django(url: str, media_root: str, *, secret_key: str) -> None:
    """Django in this process, on the benchmark database, for counting queries with the test client."""
    os.environ.update(
        {
            "DATABASE_URL": url,
            "MEDIA_ROOT": media_root,
            "SECRET_KEY": secret_key,
            "DJANGO_SETTINGS_MODULE": "mall.settings",
        }
    )
    import django

    django.setup()


def endpoints(catalogue_size: int) -> list[dict]:
    """What is measured: the request to send, how to check the answer, and its SQL query count."""
    from bench import queries

    body = json.dumps({"query": PRODUCTS_QUERY}).encode()
    slugs = queries.product_page_slugs(SAMPLE_PRODUCT_PAGES)
    if not slugs:
        raise RuntimeError("No product is on sale in the benchmark database: run without --no-seed.")

    def check_products(status, content):
        return queries.graphql_problem(status, content, expected_edges=min(100, catalogue_size))

    return [
        {
            "name": "products(first: 100) over GraphQL",
            "key": "graphql_products",
            "request": lambda index: load.Request("POST", "/graphql/", body, {"Content-Type": "application/json"}),
            "check": queries.graphql_problem,
            "full_check": check_products,
            "sql": queries.count_queries("POST", "/graphql/", body=body),
        },
        {
            "name": "product page /products/<slug>/",
            "key": "product_page",
            "request": lambda index: load.Request("GET", f"/products/{slugs[index % len(slugs)]}/"),
            "check": queries.page_problem,
            "full_check": queries.page_problem,
            # The most queries any of a few different products needs.
            "sql": max((queries.count_queries("GET", f"/products/{slug}/") for slug in slugs[:5]), key=lambda r: r[0]),
        },
        *members.endpoints(body, slugs, queries, check_products),
        auth.token_create_endpoint(queries.count_queries),
    ]


def measure(port: int, endpoint: dict, arguments) -> dict:
    options = {"concurrency": arguments.concurrency, "check": endpoint["check"]}
    requests = min(arguments.requests, endpoint.get("requests", arguments.requests))
    load.run(port, endpoint["request"], count=min(arguments.warmup, requests), **options)
    return summarise(endpoint, load.run(port, endpoint["request"], count=requests, **options))


def run_manage(env: dict, *command: str) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True)
    return round(time.monotonic() - started, 1)


def prepare_database(env: dict, products: int) -> dict:
    print("Migrating the benchmark database…", flush=True)
    migrate = run_manage({**env, "DEBUG": "true"}, "migrate", "--noinput", "-v0")
    print(f"Seeding {products} products…", flush=True)
    seed = run_manage({**env, "DEBUG": "true"}, "seed_demo", "--products", str(products))
    return {"migrate_seconds": migrate, "seed_seconds": seed}


def count_products() -> int:
    from catalog.models import Product

    return Product.objects.count()


def summarise(endpoint: dict, outcome: load.Outcome) -> dict:
    sql_count, sql_status, sql_body = endpoint["sql"]
    problem = endpoint["full_check"](sql_status, sql_body)
    milliseconds = [latency * 1000 for latency in outcome.latencies]
    failures = sorted(set(outcome.failures))
    return {
        "name": endpoint["name"],
        "requests": outcome.requests,
        "ok": len(outcome.latencies),
        "errors": len(outcome.failures),
        "error_kinds": failures[:5],
        "requests_per_second": round(len(outcome.latencies) / outcome.seconds, 1) if outcome.seconds else None,
        "p50_ms": _round(load.percentile(milliseconds, 0.50)),
        "p95_ms": _round(load.percentile(milliseconds, 0.95)),
        "max_ms": _round(max(milliseconds, default=None)),
        "sql_queries_per_request": sql_count,
        "sql_check": problem,
    }


def _round(value):
    return None if value is None else round(value, 1)


def build_report(arguments, results: dict, timings: dict, catalogue_size: int, where: str) -> dict:
    products = results["graphql_products"]
    healthy = products["errors"] == 0 and products["sql_check"] is None
    budgets = [
        {
            "what": "products(first: 100): SQL queries per request",
            "limit": f"<= {BUDGET_QUERIES}",
            "measured": products["sql_queries_per_request"],
            "pass": healthy and products["sql_queries_per_request"] <= BUDGET_QUERIES,
        },
        {
            "what": "products(first: 100): p50 latency (ms)",
            "limit": f"< {BUDGET_P50_MS:.0f}",
            "measured": products["p50_ms"],
            "pass": healthy and products["p50_ms"] is not None and products["p50_ms"] < BUDGET_P50_MS,
        },
    ]
    member = results.get("graphql_products_member")
    if member:
        member_healthy = member["errors"] == 0 and member["sql_check"] is None
        budgets += [
            {
                "what": "products(first: 100) as a verified member: SQL queries per request",
                "limit": f"<= {BUDGET_QUERIES}",
                "measured": member["sql_queries_per_request"],
                "pass": member_healthy and member["sql_queries_per_request"] <= BUDGET_QUERIES,
            },
            {
                "what": "products(first: 100) as a verified member: p50 within 10% of anonymous (ms)",
                "limit": f"<= {products['p50_ms'] * 1.1:.1f}" if products["p50_ms"] else "-",
                "measured": member["p50_ms"],
                "pass": member_healthy
                and None not in (member["p50_ms"], products["p50_ms"])
                and member["p50_ms"] <= products["p50_ms"] * 1.1,
            },
        ]
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "database": where,
        "catalogue_products": catalogue_size,
        "settings": {
            "requests_per_endpoint": arguments.requests,
            "warmup_per_endpoint": arguments.warmup,
            "concurrency": arguments.concurrency,
            "gunicorn_workers": arguments.workers,
            "gunicorn_worker_class": arguments.worker_class,
            "debug": False,
        },
        "preparation": timings,
        "results": results,
        "budgets": budgets,
    }


def _git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=BASE_DIR).returncode != 0
        return commit + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def print_report(report: dict) -> None:
    settings = report["settings"]
    print(
        f"\n工会商城 benchmark: {report['catalogue_products']:,} products, gunicorn {settings['gunicorn_workers']} "
        f"{settings['gunicorn_worker_class']} workers, {settings['requests_per_endpoint']} requests per endpoint "
        f"at concurrency {settings['concurrency']} "
        f"(after {settings['warmup_per_endpoint']} warm-up), {report['machine']['cpus']} CPUs, "
        f"commit {report['commit']}"
    )
    header = f"{'endpoint':<36}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'SQL/req':>9}{'errors':>8}"
    print(header)
    print("-" * len(header))
    for result in report["results"].values():
        print(
            f"{result['name']:<36}{_cell(result['requests_per_second'])}{_cell(result['p50_ms'], 9)}"
            f"{_cell(result['p95_ms'], 9)}{_cell(result['max_ms'], 9)}{_cell(result['sql_queries_per_request'], 9)}"
            f"{result['errors']:>8}"
        )
        for problem in [result["sql_check"], *result["error_kinds"]]:
            if problem:
                print(f"    ! {problem}")
    print("\nBudgets")
    print_budgets(report["budgets"])


def print_budgets(budgets: list[dict]) -> None:
    for budget in budgets:
        verdict = "PASS" if budget["pass"] else "FAIL"
        print(f"  {verdict}  {budget['what']}: {budget['measured']} (budget {budget['limit']})")


def _cell(value, width: int = 8) -> str:
    return f"{'-' if value is None else value:>{width}}"


if __name__ == "__main__":
    sys.exit(main())

"""Search at scale: 100,000 products on the default (PostgreSQL) backend.

`python -m bench.search` (and `make bench`, through bench/__main__.py) seeds the demo catalogue up to
--products in its own database (`<bench database>_search`; seed_demo's bulk creation), then measures in
this process, with the real search service:
- indexing throughput: the whole index rebuilt as search_reindex does (products per second; a document
  that comes out unchanged is not written), 5,000 documents rewritten, the suggestion terms rebuilt, the
  popularity refreshed;
- search: the products matching a text, counted, with the first page of 20 read (what a search page and
  `products(search:)` need), for Chinese words, partial words, full pinyin, initials and misses:
  p50/p95 and queries per second (one client);
- the same search through GraphQL (`products(first: 20, search:) { totalCount edges { node { name } } }`);
- facets of a search, and suggestions for prefixes (Chinese, pinyin, initials): p50/p95.
It also shows PostgreSQL's plan for a suggestion and a search, to check the indexes are used.
Budgets: search p95 under 50 ms, suggestions p95 under 20 ms. The data is kept and reused.
"""

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PRODUCTS = 100_000
BUDGET_SEARCH_P95_MS = 50.0
BUDGET_SUGGEST_P95_MS = 20.0
FIXED_TEXTS = [
    "脐橙",
    "橙子",
    "大米",
    "茶",
    "牛肉干",
    "木耳",
    "蜂蜜",
    "腊肉",
    "dami",
    "qicheng",
    "qc",
    "cha",
    "5L电压力锅",
    "怒江",
    "土豆",
    "稻花香米",
    "不存在的东西",
    "zzzz",
]
GRAPHQL_SEARCH = """query BenchSearch($text: String) {
  products(first: 20, channel: "union-mall", search: $text) { totalCount edges { node { id name slug } } }
}"""


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=DEFAULT_PRODUCTS, help="products (default 100000)")
    parser.add_argument(
        "--queries",
        type=int,
        default=200,
        help="timed searches (default 200; a quarter through GraphQL and for facets)",
    )
    parser.add_argument("--database", default="union_mall_bench_search", help="its own database")
    parser.add_argument("--output", type=Path, help="write the results as JSON here")
    arguments = parser.parse_args(argv)
    if arguments.products < 1 or arguments.queries < 1:
        parser.error("--products and --queries must be at least 1 (--search-products 0 skips it in `python -m bench`)")
    return arguments


def run(*, products: int, database: str, queries: int) -> dict:
    from bench import database as bench_database

    url = bench_database.ensure_database(bench_database.server_url(), database)
    print(f"Search benchmark database: {bench_database.describe(url)}", flush=True)
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update({"DATABASE_URL": url, "DEBUG": "true"})
    preparation = {}
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
    preparation["migrate_seconds"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    print(f"Seeding the demo catalogue up to {products:,} products (kept for the next run)…", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--products", str(products)],
        cwd=BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    preparation["seed_seconds"] = round(time.perf_counter() - started, 1)
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "mall.settings",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver,localhost",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        }
    )
    import django

    django.setup()
    indexing = measure_indexing()
    print(
        f"Index rebuilt: {indexing['products']:,} products in {indexing['reindex_seconds']} s "
        f"({indexing['products_per_second']}/s, unchanged documents not written); {indexing['rewritten']:,} "
        f"documents rewritten in {indexing['rewrite_seconds']} s ({indexing['rewritten_per_second']}/s); "
        f"{indexing['suggestion_terms']:,} suggestion terms in "
        f"{indexing['suggestions_seconds']} s",
        flush=True,
    )
    bench_database.vacuum_analyze(url)
    return {
        "database": bench_database.describe(url),
        "preparation": preparation,
        "indexing": indexing,
        **measure(queries),
    }


# --- Indexing --------------------------------------------------------------------------------------
REWRITTEN_SAMPLE = 5_000


def measure_indexing() -> dict:
    """The whole index rebuilt as search_reindex does (every document built again and compared; a product
    whose document is unchanged is not written), then the documents of a sample rewritten for real: their
    stored documents cleared first, so that indexing writes each of them again."""
    from catalog.models import Product
    from search import popularity, service, suggestions

    started = time.perf_counter()
    popularity.refresh_popularity()
    popularity_seconds = time.perf_counter() - started
    print("Rebuilding the search index (as search_reindex does)…", flush=True)
    started = time.perf_counter()
    total = service.reindex()
    index_seconds = time.perf_counter() - started
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    sample = random.Random(17).sample(ids, min(REWRITTEN_SAMPLE, len(ids)))  # the same rows on every run
    Product.objects.filter(pk__in=sample).update(search_document="")
    started = time.perf_counter()
    service.index_products(sample)
    rewrite_seconds = time.perf_counter() - started
    started = time.perf_counter()
    terms = suggestions.rebuild()
    terms_seconds = time.perf_counter() - started
    return {
        "products": total,
        "reindex_seconds": round(index_seconds, 1),
        "products_per_second": round(total / index_seconds) if index_seconds else None,
        "rewritten": len(sample),
        "rewrite_seconds": round(rewrite_seconds, 1),
        "rewritten_per_second": round(len(sample) / rewrite_seconds) if rewrite_seconds else None,
        "suggestion_terms": terms,
        "suggestions_seconds": round(terms_seconds, 1),
        "popularity_seconds": round(popularity_seconds, 2),
    }


# --- Searching -------------------------------------------------------------------------------------
def texts_to_search(count: int) -> list[str]:
    """Fixed texts, and words, pinyin and initials taken from random product names."""
    from catalog.models import Product
    from search import text as search_text

    # The same texts on every run over the same catalogue (ORDER BY random() made runs incomparable: one
    # sample held twice as many broad words as the next).
    rng = random.Random(15)
    names = list(Product.objects.order_by("pk").values_list("name", flat=True))
    names = rng.sample(names, min(200, len(names)))
    texts = list(FIXED_TEXTS)
    for name in names:
        words = [word for word in search_text.segment(name) if len(word) >= 2] or [name[:2]]
        word = rng.choice(words)
        texts += [word, search_text.pinyin_full(word), search_text.pinyin_initials(word)]
    return [text for text in texts if text][: max(count, len(FIXED_TEXTS))]


def prefixes_to_suggest(count: int) -> list[str]:
    from search import text as search_text
    from search.models import SuggestionTerm

    rng = random.Random(16)
    terms = list(SuggestionTerm.objects.order_by("pk").values_list("text", flat=True))
    terms = rng.sample(terms, min(300, len(terms)))
    prefixes = []
    for term in terms:
        pinyin, initials = search_text.pinyin_full(term), search_text.pinyin_initials(term)
        prefixes += [term[: rng.randint(1, 2)], pinyin[: rng.randint(1, 5)], initials[: rng.randint(1, 3)]]
    prefixes += ["q", "d", "c", "大", "脐", "qic", "dm", "x"]
    return [prefix for prefix in prefixes if prefix][:count]


def search_once(channel, text: str) -> int:
    """What a search page or `products(search:)` runs: match, count, read the first page of 20."""
    from catalog import selectors

    queryset = selectors.filter_products(
        selectors.visible_products(channel), channel, selectors.ProductFilter(search=text)
    )
    ordering = selectors.product_ordering("RANK", descending=True)
    total = queryset.count()
    list(selectors.product_rows(queryset.order_by(*ordering)).values_list("pk", "name")[:20])
    return total


def timed(function, values) -> tuple[list[float], float]:
    latencies = []
    started = time.perf_counter()
    for value in values:
        begun = time.perf_counter()
        function(value)
        latencies.append((time.perf_counter() - begun) * 1000)
    return latencies, time.perf_counter() - started


def summary(name: str, latencies: list[float], seconds: float) -> dict:
    ordered = sorted(latencies)
    return {
        "name": name,
        "runs": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2),
        "max_ms": round(ordered[-1], 2),
        "per_second": round(len(ordered) / seconds, 1) if seconds else None,
    }


def measure(queries: int) -> dict:
    from django.test import Client

    from catalog import selectors
    from catalog.models import Product
    from search import service
    from search.backends.base import SearchFilters

    channel = selectors.channel_by_slug(None)
    texts = texts_to_search(queries)
    rounds = [texts[index % len(texts)] for index in range(queries)]
    print(f"Searching {queries} times…", flush=True)
    for text in texts[:20]:  # warm up: jieba's dictionary, the plans, the caches
        search_once(channel, text)
    results = {}
    latencies, seconds = timed(lambda text: search_once(channel, text), rounds)
    results["search"] = summary("search: match, count, first 20 (service)", latencies, seconds)
    print(f"Search: p50 {results['search']['p50_ms']} ms, p95 {results['search']['p95_ms']} ms", flush=True)
    found = {text: search_once(channel, text) for text in FIXED_TEXTS}

    client = Client()

    def graphql(text):
        response = client.post(
            "/graphql/", {"query": GRAPHQL_SEARCH, "variables": {"text": text}}, content_type="application/json"
        )
        assert response.status_code == 200 and "errors" not in response.json(), response.content[:300]

    graphql(texts[0])
    print("Searching through GraphQL…", flush=True)
    latencies, seconds = timed(graphql, rounds[: max(20, queries // 4)])
    results["graphql_search"] = summary("search through GraphQL products(first: 20, search:)", latencies, seconds)

    def facets(text):
        queryset = selectors.filter_products(
            selectors.visible_products(channel), channel, selectors.ProductFilter(search=text)
        )
        service.facets(queryset, channel, "", SearchFilters())

    print("Counting facets…", flush=True)
    latencies, seconds = timed(facets, rounds[: max(20, queries // 4)])
    results["facets"] = summary("facets of a search (5 facets)", latencies, seconds)

    prefixes = prefixes_to_suggest(max(queries, 400))
    for prefix in prefixes[:20]:
        service.suggest(prefix, channel)
    latencies, seconds = timed(lambda prefix: service.suggest(prefix, channel), prefixes)
    results["suggest"] = summary("suggestions (Chinese, pinyin, initials prefixes)", latencies, seconds)
    return {
        "catalogue_products": Product.objects.count(),
        "results": results,
        "found": found,
        "plans": plans(channel),
    }


def plans(channel) -> dict:
    """PostgreSQL's plans of a suggestion by initials and of a search, to see which indexes they use."""
    from django.db import connection

    from catalog import selectors
    from search.models import SuggestionTerm

    suggestion = SuggestionTerm.objects.filter(initials__startswith="qc").order_by("-weight").values_list("text")[:24]
    search = (
        selectors.filter_products(selectors.visible_products(channel), channel, selectors.ProductFilter(search="脐橙"))
        .order_by(*selectors.product_ordering("RANK", descending=True))
        .values("pk")[:20]
    )
    found = {}
    for name, queryset in (("suggestion", suggestion), ("search", search)):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            found[name] = [row[0] for row in cursor.fetchall()]
    return found


# --- Report ----------------------------------------------------------------------------------------
def budgets(search: dict) -> list[dict]:
    results = search["results"]
    return [
        {
            "what": "search: p95 (ms)",
            "limit": f"< {BUDGET_SEARCH_P95_MS:.0f}",
            "measured": results["search"]["p95_ms"],
            "pass": results["search"]["p95_ms"] < BUDGET_SEARCH_P95_MS,
        },
        {
            "what": "suggestions: p95 (ms)",
            "limit": f"< {BUDGET_SUGGEST_P95_MS:.0f}",
            "measured": results["suggest"]["p95_ms"],
            "pass": results["suggest"]["p95_ms"] < BUDGET_SUGGEST_P95_MS,
        },
    ]


def print_section(search: dict) -> None:
    indexing = search["indexing"]
    print(
        f"\nSearch: {search['catalogue_products']:,} products, PostgreSQL backend. Index rebuilt in "
        f"{indexing['reindex_seconds']} s ({indexing['products_per_second']} products/s); "
        f"{indexing['rewritten']:,} documents rewritten at {indexing['rewritten_per_second']}/s; "
        f"{indexing['suggestion_terms']:,} suggestion terms in {indexing['suggestions_seconds']} s"
    )
    header = f"{'measured':<56}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
    print(header)
    print("-" * len(header))
    for result in search["results"].values():
        print(
            f"{result['name']:<56}{result['per_second']:>8}{result['p50_ms']:>9}"
            f"{result['p95_ms']:>9}{result['max_ms']:>9}"
        )
    print("Results per text: " + ", ".join(f"{text} {count}" for text, count in search["found"].items()))
    for name, plan in search["plans"].items():
        indexes = sorted({word for line in plan for word in line.split() if word.endswith("_idx")})
        print(f"Plan of a {name}: indexes used: {', '.join(indexes) or 'none'}")


def main(argv=None) -> int:
    arguments = parse_arguments(argv)
    search = run(products=arguments.products, database=arguments.database, queries=arguments.queries)
    search["budgets"] = budgets(search)
    print_section(search)
    for budget in search["budgets"]:
        print(f"  {'PASS' if budget['pass'] else 'FAIL'}  {budget['what']}: {budget['measured']}")
    if arguments.output:
        arguments.output.parent.mkdir(parents=True, exist_ok=True)
        arguments.output.write_text(json.dumps(search, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

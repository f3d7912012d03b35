"""What pricing a query costs: the query-cost check on a typical query (budget under 1 ms), and how
fast hostile documents are refused. Runs in this process, after Django is set up; no server needed.

`python -m bench` reports it as its own section; `python -m bench.cost_check` runs it alone (with the
settings and DATABASE_URL of the environment; refusals run no SQL).
"""

import json
import statistics
import time

BUDGET_MS = 1.0
REPEATS = 2000


def nested_products(levels: int) -> str:
    inner = "name"
    for _ in range(levels):
        inner = f"category {{ products(first: 100) {{ edges {{ node {{ name {inner} }} }} }} }}"
    return f'{{ product(slug: "tea") {{ name {inner} }} }}'


def fragment_bomb(levels: int) -> str:
    fragments = [f"fragment F{i} on Product {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on Product {{ name }}")
    return "{ products(first: 1) { edges { node { ...F0 } } } }\n" + "\n".join(fragments)


def cost_check_ms(query: str, *, repeats: int = REPEATS) -> float:
    """Median milliseconds to price `query` (already parsed and validated, as a cached document is)
    and compare it with the limits: what every request pays on top of what it paid before."""
    from mall.graphql.cost import Limits, limit_errors, measure_document
    from mall.graphql.views import parsed, validated
    from mall.schema import schema

    graphql_schema = schema.graphql_schema
    document, _known_valid, errors = parsed(query)
    errors = errors or validated(graphql_schema, query, document)
    if errors:
        raise ValueError(f"The benchmark query is invalid: {errors[0].message}")
    limits = Limits.from_settings()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        limit_errors(measure_document(graphql_schema, document, {}), limits)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def refusal_ms(query: str, *, repeats: int = 7) -> tuple[float, int, str]:
    """(median milliseconds, status, first error) of POSTing `query` through the view. A refused
    document is never cached, so each request parses and prices it anew."""
    from django.test import RequestFactory

    from mall.graphql.views import MallGraphQLView

    view = MallGraphQLView.as_view(graphiql=True)
    body = json.dumps({"query": query})
    timings, response = [], None
    for _ in range(repeats):
        request = RequestFactory().post("/graphql/", body, content_type="application/json")
        started = time.perf_counter()
        response = view(request)
        timings.append(time.perf_counter() - started)
    message = json.loads(response.content)["errors"][0]["message"]
    return statistics.median(timings) * 1000, response.status_code, message


def measure(typical_query: str) -> dict:
    overhead = cost_check_ms(typical_query)
    figures = {
        "typical_query_cost_check_ms": round(overhead, 3),
        "budget_ms": BUDGET_MS,
        "pass": overhead < BUDGET_MS,
        "refusals": {},
    }
    for name, query in (
        ("product{category{products(first:100){…}}} 4 deep", nested_products(4)),
        ("fragment bomb, 24 levels (1 KB)", fragment_bomb(24)),
        (
            "100 aliases of products(first:100)",
            "{ "
            + " ".join(f"p{i}: products(first: 100) {{ edges {{ node {{ id name slug }} }} }}" for i in range(100))
            + " }",
        ),
    ):
        milliseconds, status, message = refusal_ms(query)
        figures["refusals"][name] = {"ms": round(milliseconds, 2), "status": status, "error": message}
    return figures


def print_section(figures: dict) -> None:
    verdict = "PASS" if figures["pass"] else "FAIL"
    print("\nQuery cost check (in process)")
    print(
        f"  {verdict}  cost check on the products(first: 100) query: {figures['typical_query_cost_check_ms']} ms "
        f"(budget < {figures['budget_ms']:.0f} ms)"
    )
    for name, refusal in figures["refusals"].items():
        print(f"  refused in {refusal['ms']:>7} ms (HTTP {refusal['status']}): {name}: {refusal['error']}")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mall.settings")
    django.setup()
    from bench.__main__ import PRODUCTS_QUERY

    print_section(measure(PRODUCTS_QUERY))

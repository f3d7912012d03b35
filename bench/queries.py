"""SQL queries per request, counted in this process with Django's test client (DEBUG need not be on)."""

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def count_queries(
    method: str, path: str, *, body: bytes | None = None, headers: dict | None = None, repeat: int = 3
) -> tuple[int, int, bytes]:
    """(queries of the last of `repeat` identical requests, its status, its body); earlier ones warm caches.

    `headers` are sent as HTTP headers (Authorization, Cookie); a Content-Type among them is ignored.
    """
    client = Client()
    extra = {name: value for name, value in (headers or {}).items() if name.lower() != "content-type"}
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            if method == "POST":
                response = client.post(path, data=body, content_type="application/json", headers=extra)
            else:
                response = client.get(path, headers=extra)
    return len(queries), response.status_code, response.content


def product_page_slugs(count: int) -> list[str]:
    """Slugs of products on sale now, spread over the catalogue (hand-written and generated ones)."""
    from catalog import selectors

    channel = selectors.channel_by_slug(None)
    available = selectors.product_listing(channel, product_filter=selectors.ProductFilter(is_available=True))
    slugs = list(available.values_list("slug", flat=True))
    if not slugs:
        return []
    step = max(len(slugs) // count, 1)
    return slugs[::step][:count]


def graphql_problem(status: int, body: bytes, *, expected_edges: int | None = None) -> str | None:
    """None for a good `products` answer, else why it is not.

    Parsing 100 products' JSON costs the client a millisecond or two of the machine's CPU the server
    is measured on, so timed requests are only checked for errors; `expected_edges` checks fully.
    """
    if status != 200:
        return f"HTTP {status}"
    if b'"errors"' in body:
        try:
            return "GraphQL error: " + json.loads(body)["errors"][0]["message"][:200]
        except (ValueError, KeyError, IndexError, TypeError):
            return "GraphQL error"
    if expected_edges is not None:
        edges = json.loads(body)["data"]["products"]["edges"]
        if len(edges) != expected_edges:
            return f"{len(edges)} products instead of {expected_edges}"
    elif b'"products"' not in body:
        return "no products in the answer"
    return None


def page_problem(status: int, body: bytes) -> str | None:
    return None if status == 200 else f"HTTP {status}"

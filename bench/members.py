"""What a signed-in verified member is served: the products list with a Bearer token, the product
page with a session cookie, and `product(slug)` in the shape Saleor's storefront asks for its page.

The member is the demo's verified member (seed_demo). The bench process and the server share
SECRET_KEY, so a token or a session made here is honoured there.
"""

import json

from bench import load

MEMBER_EMAIL = "member@demo.union-mall.cn"
JSON_HEADERS = {"Content-Type": "application/json"}

# The product page query of Saleor's storefront (product details, media, category, variants with
# attributes and pricing, product attributes), written out for this benchmark.
STOREFRONT_PRODUCT_QUERY = """
query ProductDetails($slug: String!, $channel: String!) {
  product(slug: $slug, channel: $channel) {
    id name slug description seoTitle seoDescription
    category { id name slug }
    thumbnail(size: 1024, format: WEBP) { url alt }
    media { id url alt type }
    attributes { attribute { id name slug } values { id name slug } }
    pricing {
      onSale
      priceRange { start { gross { amount currency } } stop { gross { amount currency } } }
      priceRangeUndiscounted { start { gross { amount currency } } stop { gross { amount currency } } }
      discount { gross { amount currency } }
    }
    variants {
      id name sku quantityAvailable
      attributes { attribute { id name slug } values { id name slug } }
      pricing {
        onSale
        price { gross { amount currency } }
        priceUndiscounted { gross { amount currency } }
      }
    }
  }
}
"""


def verified_member():
    from members.models import MemberProfile
    from members.selectors import is_verified_member

    profile = MemberProfile.objects.select_related("user").filter(user__email=MEMBER_EMAIL).first()
    if profile is None or not is_verified_member(profile.user):
        raise RuntimeError(f"{MEMBER_EMAIL} is not a verified member in the benchmark database: run without --no-seed.")
    return profile.user


def bearer_headers() -> dict:
    from accounts import tokens

    return {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {tokens.create_access_token(verified_member())}",
    }


def session_cookie_headers() -> dict:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(verified_member())
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}


def storefront_product_body(slug: str) -> bytes:
    return json.dumps(
        {"query": STOREFRONT_PRODUCT_QUERY, "variables": {"slug": slug, "channel": "union-mall"}}
    ).encode()


def product_problem(status: int, content: bytes) -> str | None:
    if status != 200:
        return f"HTTP {status}"
    if b'"errors"' in content or b'"product":{' not in content.replace(b" ", b""):
        return "no product: " + content[:200].decode(errors="replace")
    return None


def endpoints(products_body: bytes, slugs: list[str], queries, check_products) -> list[dict]:
    """Entries of bench's endpoint list for a verified member and for the storefront product query."""
    bearer = bearer_headers()
    cookie = session_cookie_headers()
    return [
        {
            "name": "products(first: 100), verified member",
            "key": "graphql_products_member",
            "request": lambda index: load.Request("POST", "/graphql/", products_body, bearer),
            "check": queries.graphql_problem,
            "full_check": check_products,
            "sql": queries.count_queries("POST", "/graphql/", body=products_body, headers=bearer),
        },
        {
            "name": "product page, verified member",
            "key": "product_page_member",
            "request": lambda index: load.Request("GET", f"/products/{slugs[index % len(slugs)]}/", None, cookie),
            "check": queries.page_problem,
            "full_check": queries.page_problem,
            "sql": max(
                (queries.count_queries("GET", f"/products/{slug}/", headers=cookie) for slug in slugs[:5]),
                key=lambda result: result[0],
            ),
        },
        {
            "name": "product(slug), storefront's query",
            "key": "graphql_storefront_product",
            "request": lambda index: load.Request(
                "POST",
                "/graphql/",
                storefront_product_body(slugs[index % len(slugs)]),
                {"Content-Type": "application/json"},
            ),
            "check": product_problem,
            "full_check": product_problem,
            "sql": max(
                (queries.count_queries("POST", "/graphql/", body=storefront_product_body(slug)) for slug in slugs[:5]),
                key=lambda result: result[0],
            ),
        },
    ]

"""seed_demo writes the four pages and the `navbar` and `footer` menus, once."""

from content.editorjs import text_from_editorjs
from content.models import Menu, Page
from demo.content import seed_content
from tests.demo.conftest import demo, seeded_demo  # noqa: F401 (fixtures)


def test_the_demo_has_four_published_pages_with_useful_chinese_content(demo):  # noqa: F811
    pages = {page.slug: page for page in Page.objects.all()}
    assert {slug: page.title for slug, page in pages.items()} == {
        "about": "关于我们",
        "relief-policy": "帮扶政策",
        "member-verification": "会员认证说明",
        "delivery": "配送说明",
    }
    assert all(page.is_visible() and page.seo_description for page in pages.values())
    verification = text_from_editorjs(pages["member-verification"].content)
    for words in ("会员价", "实名认证", "基层工会", "4403**********1234", "审核"):
        assert words in verification
    assert all(len(text_from_editorjs(page.content)) > 300 for page in pages.values())


def test_the_navbar_links_top_categories_the_relief_zone_and_the_verification_page(demo):  # noqa: F811
    items = list(Menu.objects.get(slug="navbar").items.select_related("category", "collection", "page"))
    assert [item.category.level for item in items if item.category] == [0] * 10
    assert [item.collection.slug for item in items if item.collection] == ["relief-zone"]
    assert [item.page.slug for item in items if item.page] == ["member-verification"]


def test_the_footer_links_the_four_pages(demo):  # noqa: F811
    footer = Menu.objects.get(slug="footer")
    assert list(footer.items.values_list("page__slug", flat=True)) == [
        "about",
        "relief-policy",
        "member-verification",
        "delivery",
    ]


def test_seeding_again_keeps_operators_edits(demo):  # noqa: F811
    Page.objects.filter(slug="about").update(title="关于本站")
    Menu.objects.get(slug="footer").items.first().delete()
    seed_content()
    assert Page.objects.get(slug="about").title == "关于本站"
    assert Menu.objects.get(slug="footer").items.count() == 3
    assert Page.objects.count() == 4


def test_every_seeded_page_opens_in_the_storefront(demo, client):  # noqa: F811
    for slug in ("about", "relief-policy", "member-verification", "delivery"):
        assert client.get(f"/pages/{slug}/").status_code == 200

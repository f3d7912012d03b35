"""Pages (关于我们, 配送说明, ...) and the navigation menus that link to them, as in Saleor."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

# Only web links: a menu item must never carry a javascript: or data: URL into the storefront.
menu_url_validator = URLValidator(schemes=["http", "https"])


class PageType(models.Model):
    """页面类型 (page type): groups pages, as Saleor's PageType; every page has one."""

    name = models.CharField("名称", max_length=250)
    slug = models.SlugField("标识", max_length=255, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = "页面类型"
        verbose_name_plural = "页面类型"

    def __str__(self):
        return self.name


class Page(models.Model):
    """页面 (page): a static page operators write, its content in EditorJS JSON (Saleor's Page)."""

    page_type = models.ForeignKey(PageType, on_delete=models.PROTECT, related_name="pages", verbose_name="页面类型")
    title = models.CharField("标题", max_length=250)
    slug = models.SlugField("标识", max_length=255, unique=True, allow_unicode=True)
    content = models.JSONField("内容", blank=True, null=True, help_text="EditorJS JSON, as in Saleor")
    seo_title = models.CharField("SEO 标题", max_length=70, blank=True)
    seo_description = models.CharField("SEO 描述", max_length=300, blank=True)
    is_published = models.BooleanField("已发布", default=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = "页面"
        verbose_name_plural = "页面"
        indexes = [
            models.Index(fields=["title", "slug", "id"], name="page_title_idx"),
            models.Index(fields=["created_at", "id"], name="page_created_idx"),
        ]

    def __str__(self):
        return self.title

    def is_visible(self, now=None) -> bool:
        """Published, and the publication time (when set) has come."""
        now = now or timezone.now()
        return self.is_published and (self.published_at is None or self.published_at <= now)


def visible_pages_condition(now=None) -> Q:
    """The Q form of Page.is_visible, for querysets."""
    now = now or timezone.now()
    return Q(is_published=True) & (Q(published_at__isnull=True) | Q(published_at__lte=now))


class Menu(models.Model):
    """导航菜单 (menu): a named list of links; the storefront reads `navbar` and `footer`."""

    name = models.CharField("名称", max_length=250)
    slug = models.SlugField("标识", max_length=255, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = "导航菜单"
        verbose_name_plural = "导航菜单"

    def __str__(self):
        return self.name


def _at_most_one_target() -> Q:
    unlinked = {"category__isnull": True, "collection__isnull": True, "page__isnull": True, "url": ""}
    condition = Q(**unlinked)
    for target, linked in (
        ("category", {"category__isnull": False}),
        ("collection", {"collection__isnull": False}),
        ("page", {"page__isnull": False}),
        ("url", {}),
    ):
        others = {key: value for key, value in unlinked.items() if not key.startswith(target)}
        condition |= Q(**others, **linked) & ~Q(url="") if target == "url" else Q(**others, **linked)
    return condition


class MenuItem(models.Model):
    """菜单项 (menu item): a link to one category, collection, page or URL; items nest under a parent."""

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="items", verbose_name="菜单")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="上级菜单项"
    )
    name = models.CharField("名称", max_length=128)
    sort_order = models.IntegerField("排序", default=0)
    level = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="分类"
    )
    collection = models.ForeignKey(
        "catalog.Collection", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="专区"
    )
    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="页面"
    )
    url = models.CharField("链接", max_length=256, blank=True, validators=[menu_url_validator])

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "菜单项"
        verbose_name_plural = "菜单项"
        constraints = [
            models.CheckConstraint(
                name="menu_item_links_at_most_one_target",
                condition=_at_most_one_target(),
                violation_error_code="too_many_menu_items",
                violation_error_message="一个菜单项只能链接到分类、专区、页面或网址中的一个。",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.parent_id is not None and self.parent is not None and self.parent.menu_id != self.menu_id:
            raise ValidationError(
                {"parent": ValidationError("上级菜单项必须属于同一个菜单。", code="invalid_menu_item")}
            )

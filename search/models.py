from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q


class Synonym(models.Model):
    """同义词, edited by operators: words a search treats alike, or a broad word that also finds narrower ones.

    EQUIVALENT: every word finds what any of them finds (土豆 = 马铃薯 = 洋芋, 番茄 = 西红柿).
    EXPANSION: `term` also finds `words`, not the other way round (橙子 ⊃ 脐橙: 橙子 finds 脐橙, 脐橙 not 橙子).
    """

    class Kind(models.TextChoices):
        EQUIVALENT = "EQUIVALENT", "同义"
        EXPANSION = "EXPANSION", "包含"

    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.EQUIVALENT)
    term = models.CharField("上位词", max_length=64, blank=True, help_text="仅“包含”类型：搜索该词时也找下列词")
    words = ArrayField(models.CharField(max_length=64), verbose_name="词语", size=20)
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "term", "pk"]
        verbose_name = "同义词"
        verbose_name_plural = "同义词"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="EQUIVALENT") | ~Q(term=""), name="search_synonym_expansion_has_term"
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.EXPANSION:
            return f"{self.term} ⊃ {'、'.join(self.words)}"
        return " = ".join(self.words)


class SearchQueryStat(models.Model):
    """How often a search text was made on one day and how often it found something: the source of 热搜."""

    day = models.DateField("日期")
    text = models.CharField("搜索词", max_length=64)
    searches = models.PositiveIntegerField("次数", default=0)
    searches_with_results = models.PositiveIntegerField("有结果次数", default=0)

    class Meta:
        ordering = ["-day", "-searches"]
        verbose_name = "搜索统计"
        verbose_name_plural = "搜索统计"
        constraints = [models.UniqueConstraint(fields=["day", "text"], name="search_query_stat_day_text")]
        indexes = [models.Index(fields=["day", "-searches"], name="search_query_stat_hot_idx")]

    def __str__(self):
        return f"{self.day} {self.text} ×{self.searches}"


class SuggestionTerm(models.Model):
    """A completion offered while a person types: a product or category name, or a popular search, with the
    pinyin it is also found by (full, and initials), so that `qic` and `qc` both reach 脐橙."""

    class Kind(models.TextChoices):
        PRODUCT = "PRODUCT", "商品"
        CATEGORY = "CATEGORY", "分类"
        TERM = "TERM", "热搜词"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.CharField(max_length=250)
    slug = models.CharField(max_length=255, blank=True)
    pinyin = models.CharField(max_length=1000, blank=True)  # lower-case syllables without spaces
    initials = models.CharField(max_length=250, blank=True)
    # Higher first: sales for products, products for categories, searches for terms.
    weight = models.IntegerField(default=0)

    class Meta:
        ordering = ["-weight", "text"]
        constraints = [models.UniqueConstraint(fields=["kind", "text"], name="search_suggestion_kind_text")]
        indexes = [
            # Prefix lookups (LIKE 'abc%') need the pattern operator class whatever the collation.
            models.Index(fields=["text"], name="search_sugg_text_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["pinyin"], name="search_sugg_pinyin_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["initials"], name="search_sugg_initials_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.text


class StaleProduct(models.Model):
    """A product whose search document is out of date: saved, or one of its variants, prices, listings, stock or
    certifications changed, since it was last indexed (search.indexing). A row of its own rather than a flag on
    the product: setting and clearing a flag there wrote a new version of the whole product row and every one
    of its index entries, the GIN ones included, on every stock change (8 kB of GIN a change, measured), which
    grew the indexes and scattered the rows a search reads. A database trigger (migration 0002) marks every
    product inserted without a document. A deleted product's row stays until the next task takes it, which
    removes the product from the index (no foreign key: deleting a product's stock, variants and listings
    marks it stale in the same transaction that deletes it)."""

    product = models.OneToOneField(
        "catalog.Product", on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "待索引商品"
        verbose_name_plural = "待索引商品"

    def __str__(self):
        return f"{self.product_id} @ {self.marked_at:%Y-%m-%d %H:%M:%S}"

"""URL slugs for Chinese names: pinyin, so links stay readable and ASCII."""

from django.utils.text import slugify
from pypinyin import lazy_pinyin


def slug_from_name(name: str, *, max_length: int = 200) -> str:
    return slugify("-".join(lazy_pinyin(name)))[:max_length].strip("-") or "item"


def unique_slug(model, name: str, *, exclude_pk=None) -> str:
    """A slug for `name` not used by another row of `model`: "da-mi", "da-mi-2", …"""
    base = slug_from_name(name)
    taken = set(model.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"

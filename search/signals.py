"""Every change that affects what a product is found by marks it stale for the index (search.indexing).

Services already mark the products they change; these receivers also catch the admin, the shell and the
models whose changes only matter to search: variants (names, SKUs, prices), channel listings, stock and
relief certifications (added, changed, revoked, products linked or unlinked). Changes made with
queryset.update() send no signal: the catch-up task and search_reindex pick those up.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from catalog.models import Product, ProductChannelListing, ProductVariant, Stock
from relief_sourcing.models import ReliefCertification
from search.indexing import mark_stale


@receiver(post_save, sender=Product, dispatch_uid="search.product_saved")
def product_saved(sender, instance, created, raw=False, **kwargs):
    # A new product is stale already (a trigger lists every product inserted without a document): its task
    # is queued here.
    if not raw:
        mark_stale([instance.pk], force=created)


@receiver(post_delete, sender=Product, dispatch_uid="search.product_deleted")
def product_deleted(sender, instance, **kwargs):
    from search.tasks import index_products

    product_id = instance.pk
    transaction.on_commit(lambda: index_products.delay([product_id]))


@receiver(post_save, sender=ProductVariant, dispatch_uid="search.variant_saved")
@receiver(post_delete, sender=ProductVariant, dispatch_uid="search.variant_deleted")
@receiver(post_save, sender=ProductChannelListing, dispatch_uid="search.listing_saved")
@receiver(post_delete, sender=ProductChannelListing, dispatch_uid="search.listing_deleted")
def product_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_stale([instance.product_id])


@receiver(post_save, sender=Stock, dispatch_uid="search.stock_saved")
@receiver(post_delete, sender=Stock, dispatch_uid="search.stock_deleted")
def stock_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    product_id = ProductVariant.objects.filter(pk=instance.product_variant_id).values_list("product_id", flat=True)
    mark_stale(list(product_id))


@receiver(post_save, sender=ReliefCertification, dispatch_uid="search.certification_saved")
def certification_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and not created:
        mark_stale(instance.products.values_list("pk", flat=True))


@receiver(m2m_changed, sender=ReliefCertification.products.through, dispatch_uid="search.certification_products")
def certification_products_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        ids = [instance.pk] if reverse else list(instance.products.values_list("pk", flat=True))
        mark_stale(ids)
    elif action in ("post_add", "post_remove"):
        mark_stale([instance.pk] if reverse else pk_set or [])

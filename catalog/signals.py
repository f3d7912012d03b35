"""Caches of catalogue rows that must not outlive a change, however the change was made."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog import selectors
from catalog.models import Channel


@receiver(post_save, sender=Channel, dispatch_uid="catalog.forget_channels_on_save")
@receiver(post_delete, sender=Channel, dispatch_uid="catalog.forget_channels_on_delete")
def forget_channels(**_kwargs) -> None:
    # Again after the commit: a request reading the old row meanwhile may have cached it again.
    selectors.forget_channels()
    transaction.on_commit(selectors.forget_channels)

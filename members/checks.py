"""System checks for members: production needs its own, stable key for ID card number hashes."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def id_number_hash_key_is_set(app_configs, **kwargs):
    if settings.ID_NUMBER_HASH_KEY:
        return []
    return [
        Warning(
            "ID_NUMBER_HASH_KEY is not set, so ID card number hashes are keyed from SECRET_KEY: rotating "
            "SECRET_KEY would make every verified member's hash unmatchable.",
            hint="Set ID_NUMBER_HASH_KEY to a long random value once, and keep it.",
            id="members.W001",
        )
    ]

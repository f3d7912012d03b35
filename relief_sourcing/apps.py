from django.apps import AppConfig


class ReliefSourcingConfig(AppConfig):
    """Branches, partner regions and the relief ledger: arrives with the relief sourcing issue."""

    name = "relief_sourcing"
    verbose_name = "消费帮扶"

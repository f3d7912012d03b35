from django.apps import AppConfig


class AllowancesConfig(AppConfig):
    """Welfare allowances (福利额度) members spend at checkout, kept as a ledger."""

    name = "allowances"
    verbose_name = "福利额度"

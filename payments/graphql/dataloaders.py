"""Per-request loaders of transactions and their events, batched over siblings (mall.graphql.dataloaders).

`TransactionsByOrderIdLoader` is what Order.transactions resolves with: a page of orders registers
its ids as "order" siblings, and the first order's transactions load those of the whole page.
"""

from collections import defaultdict

from mall.graphql.dataloaders import DataLoader, note_siblings
from payments.models import TransactionEvent, TransactionItem


class _TransactionsByOwnerLoader(DataLoader):
    field = ""

    def batch_load(self, keys):
        by_owner = defaultdict(list)
        for item in TransactionItem.objects.filter(**{f"{self.field}__in": keys}).order_by("created_at", "pk"):
            by_owner[getattr(item, f"{self.field}_id")].append(item)
        # Their events load together too, whichever transaction asks first.
        note_siblings(self.context, "transaction", [item.pk for items in by_owner.values() for item in items])
        return [by_owner.get(key, []) for key in keys]


class TransactionsByOrderIdLoader(_TransactionsByOwnerLoader):
    kind = "order"
    field = "order"


class TransactionsByCheckoutIdLoader(_TransactionsByOwnerLoader):
    kind = "checkout"
    field = "checkout"


class EventsByTransactionIdLoader(DataLoader):
    kind = "transaction"

    def batch_load(self, keys):
        by_transaction = defaultdict(list)
        events = (
            TransactionEvent.objects.filter(transaction_id__in=keys)
            .select_related("created_by")
            .order_by("created_at", "pk")
        )
        for event in events:
            by_transaction[event.transaction_id].append(event)
        return [by_transaction.get(key, []) for key in keys]

"""Per-request batched loaders (the DataLoader pattern) for graphql-core's synchronous execution.

A resolver asks a loader for the rows of one key (`VariantsByProductIdLoader(info.context).load(product.id)`);
the loader answers from its cache or runs one query for that key and all its *siblings*. Siblings are
the keys that arrived together: when a resolver hands out a list of nodes (a page of products, a
product's variants, the categories of a page of products), it registers their ids as one group with
`note_siblings`. graphql-core resolves depth first, so the first product's `variants` is resolved
before the second product is reached; because the page registered all of its products, that first
call loads the variants of every product of the page in one query, and the others are cache hits.

This batches as an event-loop DataLoader does, without deferring execution: graphql-core's
synchronous executor has no tick to batch on, and `graphql-sync-dataloaders` adds one by replacing
the executor's field, list and object completion with a future per pending value. Measured on
`products(first: 100)` its executor ran as fast as ours (the difference was within this machine's
noise), so the choice rests elsewhere: siblings need no executor of our own (an unmaintained
package overriding graphql-core internals), resolvers keep returning plain values, and a list of
any size costs one query per loader, as does a node reached alone (`product(slug)`, a payload).
The one rule: a resolver that hands out a list of nodes registers them (catalog.graphql.loading).
"""

from collections.abc import Hashable, Iterable

_LOADERS = "_dataloaders"
_SIBLINGS = "_dataloader_siblings"


def note_siblings(context, kind: str, ids: Iterable[Hashable]) -> None:
    """Register `ids` of `kind` ("product", "category"…) as a group that loaders fetch together."""
    group = tuple(dict.fromkeys(key for key in ids if key is not None))
    if not group:
        return
    groups = context.__dict__.setdefault(_SIBLINGS, {}).setdefault(kind, {})
    for key in group:
        groups[key] = group


def siblings_of(context, kind: str, node_id: Hashable) -> tuple:
    """The group `node_id` was registered in (itself alone when it was not)."""
    return context.__dict__.get(_SIBLINGS, {}).get(kind, {}).get(node_id, (node_id,))


class DataLoader:
    """One instance per request and class. Subclasses set `kind` and implement `batch_load`.

    A key is a node id of `kind`, or a tuple whose first item is one (e.g. (product_id, channel_id));
    the other items are the same for all keys loaded together.
    """

    kind: str = ""

    def __new__(cls, context):
        loaders = context.__dict__.setdefault(_LOADERS, {})
        loader = loaders.get(cls)
        if loader is None:
            loader = super().__new__(cls)
            loader.context = context
            loader.cache = {}
            loaders[cls] = loader
        return loader

    def __init__(self, context):  # state is set once, in __new__
        pass

    def batch_load(self, keys: list) -> list:
        """The values for `keys`, in the same order."""
        raise NotImplementedError

    def load(self, key):
        if key in self.cache:
            return self.cache[key]
        self._load_batch([key])
        return self.cache[key]

    def load_many(self, keys: Iterable) -> list:
        keys = list(keys)
        missing = [key for key in keys if key not in self.cache]
        if missing:
            self._load_batch(missing)
        return [self.cache[key] for key in keys]

    def prime(self, key, value) -> None:
        self.cache.setdefault(key, value)

    def _load_batch(self, keys: list) -> None:
        batch = dict.fromkeys(keys)
        for key in keys:
            for sibling in self._sibling_keys(key):
                if sibling not in self.cache:
                    batch[sibling] = None
        batch_keys = list(batch)
        for key, value in zip(batch_keys, self.batch_load(batch_keys), strict=True):
            self.cache[key] = value

    def _sibling_keys(self, key) -> list:
        if isinstance(key, tuple):
            return [(node_id, *key[1:]) for node_id in siblings_of(self.context, self.kind, key[0])]
        return list(siblings_of(self.context, self.kind, key))


# --- Nested connections ---------------------------------------------------------------
def batchable(args: dict) -> bool:
    """Whether a nested connection asks for a first page (`first` alone), which loaders read for
    all parents at once; pages after a cursor or from the end are read per parent."""
    return bool(args.get("first")) and not (args.get("after") or args.get("before") or args.get("last"))


class PreloadedRows:
    """Stands in for the queryset that mall.graphql.pagination.paginate pages through, when a loader
    has read the first page already (one row more than asked, to tell whether more follow).

    Only for a first page: paginate filters the queryset only when a cursor is given. Rows and
    the total are read on first use, so paginate's argument checks come before any query.
    """

    def __init__(self, model, *, rows, count):
        self.model = model
        self._rows = rows
        self._count = count

    def order_by(self, *_terms) -> "PreloadedRows":
        return self  # the loader read the rows in this order

    def __getitem__(self, item):
        return self._rows()[item]

    def count(self) -> int:
        return self._count()

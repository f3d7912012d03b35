"""Per-request loaders of the allowance API."""

from allowances.selectors import members_counts
from mall.graphql.dataloaders import DataLoader


class MembersCountByGrantIdLoader(DataLoader):
    """How many members received each grant; a page of grants is counted in one query."""

    kind = "allowance_grant"

    def batch_load(self, keys: list) -> list:
        counts = members_counts(keys)
        return [counts.get(key, 0) for key in keys]

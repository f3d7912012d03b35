"""公示 (public disclosure): the city's relief purchasing for a year, as aggregates only, cached.

Published statistics name no person, no order and no member number (DOMAIN.md): every figure here is a
sum over a partner region, a county, a month or a district, read through relief_sourcing.reports so the
public page and the branch dashboards can never disagree.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

from branches.models import UnionBranch
from relief_sourcing import reports


@dataclass(frozen=True)
class DisclosureRow:
    """One aggregate: a label (region, county, month or district) and its sums; no key, no ID."""

    label: str
    total: Decimal
    quantity: int


@dataclass(frozen=True)
class Disclosure:
    year: int
    total: Decimal
    quantity: int
    buyers: int  # how many members bought, a count only
    regions: list[DisclosureRow] = field(default_factory=list)
    counties: list[DisclosureRow] = field(default_factory=list)
    months: list[DisclosureRow] = field(default_factory=list)
    districts: list[DisclosureRow] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.total and not self.quantity


PUBLISHED_GROUPS = (reports.GroupBy.REGION, reports.GroupBy.COUNTY, reports.GroupBy.MONTH, reports.GroupBy.CHILD_BRANCH)


def public_disclosure(year: int) -> Disclosure:
    """The year's disclosure, computed at most once per RELIEF_DISCLOSURE_CACHE_SECONDS."""
    key = f"relief-disclosure:v1:{year}"
    return cache.get_or_set(key, lambda: _compute(year), timeout=settings.RELIEF_DISCLOSURE_CACHE_SECONDS)


def _compute(year: int) -> Disclosure:
    # The city federation is the tree's root; a database that still has the placeholder's roots beside it
    # publishes their sums too, so the public total is every branch's.
    roots = list(UnionBranch.objects.get_root_nodes())
    by_group = {
        group_by: [reports.purchase_summary(root, year=year, group_by=group_by) for root in roots]
        for group_by in (
            reports.GroupBy.REGION,
            reports.GroupBy.COUNTY,
            reports.GroupBy.MONTH,
            reports.GroupBy.CHILD_BRANCH,
        )
    }
    totals = by_group[reports.GroupBy.REGION]
    return Disclosure(
        year=year,
        total=sum((summary.total for summary in totals), Decimal("0")),
        quantity=sum(summary.quantity for summary in totals),
        buyers=sum(summary.buyers for summary in totals),
        regions=_merged(by_group[reports.GroupBy.REGION]),
        counties=_merged(by_group[reports.GroupBy.COUNTY]),
        months=_merged(by_group[reports.GroupBy.MONTH], by_key=True),
        # The federation's own purchases (the "本级" group) are listed only when there are some.
        districts=[
            row
            for row in _merged(by_group[reports.GroupBy.CHILD_BRANCH])
            if row.total or row.quantity or row.label != reports.OWN_GROUP_LABEL
        ],
    )


def _worth_listing(row: DisclosureRow) -> bool:
    return row.label != reports.OWN_GROUP_LABEL or bool(row.total or row.quantity)


def _merged(summaries: Iterable, *, by_key: bool = False) -> list[DisclosureRow]:
    """Groups of several roots' summaries added up by key; largest first (months in calendar order)."""
    rows: dict = {}
    for summary in summaries:
        for group in summary.groups:
            label, total, quantity = rows.get(group.key, (group.label, Decimal("0"), 0))
            rows[group.key] = (label, total + group.total, quantity + group.quantity)
    keys = sorted(rows, key=str) if by_key else sorted(rows, key=lambda key: (-rows[key][1], str(rows[key][0])))
    return [DisclosureRow(label=rows[key][0], total=rows[key][1], quantity=rows[key][2]) for key in keys]

"""Relief purchase reports read from the ledger: summaries grouped five ways, target progress and rankings.

A branch's figure is its own entries plus all its descendants': every report is one aggregate over the
ledger rows whose `branch_path` starts with the branch's path (an indexed prefix scan), never a walk of
the tree in Python. Permission checks live in relief_sourcing.access; callers check before reading.

Decisions where the issue is silent (README "Relief reports"):
- REGION groups partner counties by their prefecture-level division (市、州: the first four digits of the
  GB/T 2260 code + "00"), the level East–West pairing is arranged at; COUNTY groups by partner region.
- CHILD_BRANCH has one group per child (zero when it bought nothing) plus a "本级" group, keyed by the
  branch's own ID, for entries credited to the branch itself; the groups add up exactly to the total.
- `buyers` counts distinct members with a paid MEMBER entry in the period (a bulk purchase's clerk is
  not a member who benefited).
- Festival-gift spending, the base of the minimum share, is what the subtree's members paid for their
  orders in the year (charged minus refunded, plus welfare allowance), read from the orders.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Min, Sum, Value
from django.db.models.functions import Coalesce, Concat, Substr, TruncMonth
from django.utils import timezone
from graphql_relay import to_global_id

from branches.models import UnionBranch
from mall.errors import DomainError
from mall.money import default_currency, quantize
from relief_sourcing.models import ReliefChannel, ReliefLedgerEntry, ReliefLedgerEvent, ReliefTarget

FIRST_YEAR = 2000
LAST_YEAR = 2100
OWN_GROUP_LABEL = "本级"
ZERO = Decimal("0.00")


class GroupBy:
    REGION = "REGION"
    COUNTY = "COUNTY"
    SUPPLIER = "SUPPLIER"
    MONTH = "MONTH"
    CHILD_BRANCH = "CHILD_BRANCH"
    ALL = (REGION, COUNTY, SUPPLIER, MONTH, CHILD_BRANCH)
    LABELS = {
        REGION: "帮扶地区（市州）",
        COUNTY: "区县",
        SUPPLIER: "供应商",
        MONTH: "月份",
        CHILD_BRANCH: "下级工会",
    }


class ReportInputError(DomainError):
    """A report asked for with arguments that cannot make sense (a year out of range, a reversed period)."""

    code = "INVALID"


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    total: Decimal
    quantity: int


@dataclass(frozen=True)
class Summary:
    total: Decimal
    quantity: int
    buyers: int
    groups: list[Group]
    currency: str = field(default_factory=default_currency)


@dataclass(frozen=True)
class Progress:
    branch: UnionBranch
    year: int
    target_amount: Decimal | None
    achieved: Decimal
    # achieved / target_amount, None without an amount target.
    amount_ratio: Decimal | None
    # What the amount target asks for by today, pro rata over the year (the whole target for past years).
    expected_by_now: Decimal | None
    minimum_share: Decimal
    spending: Decimal
    # achieved / spending, None when nothing was spent.
    share: Decimal | None
    on_track: bool
    currency: str = field(default_factory=default_currency)


@dataclass(frozen=True)
class RankingRow:
    branch: UnionBranch
    total: Decimal
    target: ReliefTarget | None
    progress: Progress


@dataclass(frozen=True)
class Period:
    start: datetime | None
    end: datetime | None  # exclusive

    @property
    def bounded(self) -> bool:
        return self.start is not None and self.end is not None


# --- Arguments -------------------------------------------------------------------------------------
def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def check_year(year: int, *, field_name: str = "year") -> int:
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ReportInputError(f"年度须在 {FIRST_YEAR} 至 {LAST_YEAR} 之间。", field=field_name, code="INVALID")
    return year


def resolve_period(*, year=None, date_from: date | None = None, date_to: date | None = None) -> Period:
    """The half-open interval of local days a report covers: the year, narrowed by the dates when given."""
    if year is not None:
        check_year(year)
    if date_from and date_to and date_from > date_to:
        raise ReportInputError("开始日期不能晚于结束日期。", field="dateFrom", code="INVALID")
    for name, value in (("dateFrom", date_from), ("dateTo", date_to)):
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ReportInputError(f"日期须在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间。", field=name, code="INVALID")
    zone = local_zone()
    starts = [datetime(year, 1, 1, tzinfo=zone)] if year is not None else []
    ends = [datetime(year + 1, 1, 1, tzinfo=zone)] if year is not None else []
    if date_from:
        starts.append(datetime.combine(date_from, time.min, tzinfo=zone))
    if date_to:
        ends.append(datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone))
    return Period(start=max(starts) if starts else None, end=min(ends) if ends else None)


def _channel(channel) -> str | None:
    if channel is None:
        return None
    channel = getattr(channel, "value", channel)
    if channel not in ReliefChannel.values:
        raise ReportInputError("未知的渠道。", field="channel", code="INVALID")
    return channel


# --- Queries ---------------------------------------------------------------------------------------
def subtree_entries(branch: UnionBranch, period: Period, channel: str | None = None):
    """Ledger rows of `branch` and every branch below it in `period`: one prefix scan of the subtree index."""
    entries = ReliefLedgerEntry.objects.filter(branch_path__startswith=branch.path)
    if period.start is not None:
        entries = entries.filter(occurred_at__gte=period.start)
    if period.end is not None:
        entries = entries.filter(occurred_at__lt=period.end)
    if channel:
        entries = entries.filter(channel=channel)
    return entries.order_by()


def children_of(branch: UnionBranch):
    return UnionBranch.objects.filter(path__startswith=branch.path, depth=branch.depth + 1).order_by("path")


def _money(value) -> Decimal:
    return quantize(value if value is not None else ZERO)


def purchase_summary(
    branch: UnionBranch, *, year=None, date_from=None, date_to=None, channel=None, group_by: str
) -> Summary:
    """Relief purchases of `branch`'s subtree in a period, with groups by `group_by` (see GroupBy)."""
    if group_by not in GroupBy.ALL:
        raise ReportInputError("未知的分组方式。", field="groupBy", code="INVALID")
    period = resolve_period(year=year, date_from=date_from, date_to=date_to)
    entries = subtree_entries(branch, period, _channel(channel))
    groups = GROUPERS[group_by](entries, branch=branch, period=period)
    # Every grouping partitions the entries, so the total is the groups' sum: one scan fewer, and the
    # groups add up to the total by construction.
    return Summary(
        total=_money(sum((group.total for group in groups), ZERO)),
        quantity=sum(group.quantity for group in groups),
        buyers=count_buyers(entries),
        groups=groups,
    )


def count_buyers(entries) -> int:
    """Distinct members with a paid MEMBER entry: COUNT over a DISTINCT subquery, which PostgreSQL hashes in
    parallel, where COUNT(DISTINCT …) sorts every row."""
    return (
        entries.filter(channel=ReliefChannel.MEMBER, event=ReliefLedgerEvent.PAID, buyer__isnull=False)
        .values("buyer_id")
        .distinct()
        .count()
    )


def _sums():
    return {"total": Sum("amount"), "quantity": Sum("quantity")}


def _by_total(groups: list[Group]) -> list[Group]:
    return sorted(groups, key=lambda group: (-group.total, group.key))


def _region_groups(entries, **_context) -> list[Group]:
    rows = (
        entries.values(key=Concat(Substr("region__code", 1, 4), Value("00")))
        .annotate(province=Min("region__province"), prefecture=Min("region__prefecture"), **_sums())
        .order_by()
    )
    return _by_total(
        [
            Group(row["key"], f"{row['province']}{row['prefecture']}", _money(row["total"]), row["quantity"])
            for row in rows
        ]
    )


def _county_groups(entries, **_context) -> list[Group]:
    rows = (
        entries.values("region__code", "region__province", "region__prefecture", "region__county")
        .annotate(**_sums())
        .order_by()
    )
    return _by_total(
        [
            Group(
                row["region__code"],
                f"{row['region__province']}{row['region__prefecture']}{row['region__county']}",
                _money(row["total"]),
                row["quantity"],
            )
            for row in rows
        ]
    )


def _supplier_groups(entries, **_context) -> list[Group]:
    rows = entries.values("supplier_id", "supplier__merchant__name").annotate(**_sums()).order_by()
    return _by_total(
        [
            Group(
                to_global_id("ReliefSupplier", row["supplier_id"]),
                row["supplier__merchant__name"],
                _money(row["total"]),
                row["quantity"],
            )
            for row in rows
        ]
    )


def _month_groups(entries, *, period: Period, **_context) -> list[Group]:
    zone = local_zone()
    rows = entries.values(month=TruncMonth("occurred_at", tzinfo=zone)).annotate(**_sums()).order_by()
    found = {row["month"].astimezone(zone).strftime("%Y-%m"): row for row in rows}
    # A bounded period lists every month in it, the empty ones too, so a trend chart has no gaps.
    keys = set(found)
    if period.bounded:
        keys |= set(_months_between(period.start.astimezone(zone), period.end.astimezone(zone)))
    groups = []
    for key in sorted(keys):
        row = found.get(key, {"total": ZERO, "quantity": 0})
        year_number, month_number = key.split("-")
        groups.append(Group(key, f"{year_number}年{int(month_number)}月", _money(row["total"]), row["quantity"] or 0))
    return groups


def _months_between(start: datetime, end: datetime) -> list[str]:
    months = []
    year_number, month_number = start.year, start.month
    last_moment = end - timedelta(microseconds=1)
    while (year_number, month_number) <= (last_moment.year, last_moment.month):
        months.append(f"{year_number:04d}-{month_number:02d}")
        month_number += 1
        if month_number > 12:
            year_number, month_number = year_number + 1, 1
    return months


def _child_prefix_sums(entries, parent: UnionBranch) -> dict[str, dict]:
    """{path prefix one level below `parent` (or `parent.path` itself for its own entries): sums}."""
    length = len(parent.path) + UnionBranch.steplen
    rows = entries.values(prefix=Substr("branch_path", 1, length)).annotate(**_sums()).order_by()
    return {row["prefix"]: row for row in rows}


def _child_groups(entries, *, branch: UnionBranch, **_context) -> list[Group]:
    sums = _child_prefix_sums(entries, branch)
    children = list(children_of(branch).only("pk", "path", "name", "code"))
    own = sums.pop(branch.path, {"total": ZERO, "quantity": 0})
    groups = [
        Group(to_global_id("UnionBranch", branch.pk), OWN_GROUP_LABEL, _money(own["total"]), own["quantity"] or 0)
    ]
    for child in children:
        row = sums.pop(child.path, {"total": ZERO, "quantity": 0})
        key = to_global_id("UnionBranch", child.pk)
        groups.append(Group(key, child.name, _money(row["total"]), row["quantity"] or 0))
    # Entries kept under a path no child holds any more (a branch moved away keeps its history where it was):
    # shown apart, so the groups still add up to the total.
    for prefix, row in sorted(sums.items()):
        groups.append(Group(f"path:{prefix}", "已调整的下级组织", _money(row["total"]), row["quantity"] or 0))
    return groups


GROUPERS = {
    GroupBy.REGION: _region_groups,
    GroupBy.COUNTY: _county_groups,
    GroupBy.SUPPLIER: _supplier_groups,
    GroupBy.MONTH: _month_groups,
    GroupBy.CHILD_BRANCH: _child_groups,
}


# --- Targets and rankings --------------------------------------------------------------------------
def minimum_share_default() -> Decimal:
    return Decimal(str(settings.RELIEF_MINIMUM_SHARE_DEFAULT))


def elapsed_fraction(year: int, now: datetime | None = None) -> Decimal:
    """How much of `year` has passed in local time: 0 before it, 1 after it."""
    now = (now or timezone.now()).astimezone(local_zone())
    if now.year < year:
        return Decimal(0)
    if now.year > year:
        return Decimal(1)
    days = 366 if calendar.isleap(year) else 365
    return Decimal(now.timetuple().tm_yday) / Decimal(days)


def _spending_by_prefix(paths_length: int, parent_path: str, year: int) -> dict[str, Decimal]:
    """What members of the subtree paid for orders in `year`, by their branch's path cut to `paths_length`."""
    from orders.models import Order

    period = resolve_period(year=year)
    rows = (
        Order.objects.filter(
            paid_at__gte=period.start,
            paid_at__lt=period.end,
            user__member_profile__branch__path__startswith=parent_path,
        )
        .values(prefix=Substr("user__member_profile__branch__path", 1, paths_length))
        .annotate(paid=Sum(F("total_charged_amount") + F("allowance_amount")))
        .order_by()
    )
    return {row["prefix"]: _money(row["paid"]) for row in rows}


def _progress(branch, year, *, achieved, target, spending, now=None) -> Progress:
    target_amount = target.amount if target is not None else None
    minimum_share = (
        target.minimum_share if target is not None and target.minimum_share is not None else minimum_share_default()
    )
    amount_ratio = expected = None
    amount_ok = True
    if target_amount:
        amount_ratio = (achieved / target_amount).quantize(Decimal("0.0001"))
        expected = quantize(target_amount * elapsed_fraction(year, now))
        amount_ok = achieved >= expected
    share = (achieved / spending).quantize(Decimal("0.0001")) if spending > 0 else None
    share_ok = share is None or share >= minimum_share
    return Progress(
        branch=branch,
        year=year,
        target_amount=target_amount,
        achieved=achieved,
        amount_ratio=amount_ratio,
        expected_by_now=expected,
        minimum_share=minimum_share,
        spending=spending,
        share=share,
        on_track=amount_ok and share_ok,
    )


def target_progress(branch: UnionBranch, year: int, *, now=None) -> Progress:
    """The branch's target for `year` against what its subtree bought (three queries)."""
    check_year(year)
    totals = subtree_entries(branch, resolve_period(year=year)).aggregate(total=Sum("amount"))
    target = ReliefTarget.objects.filter(branch=branch, year=year).first()
    spending = _spending_by_prefix(len(branch.path), branch.path, year).get(branch.path, ZERO)
    return _progress(branch, year, achieved=_money(totals["total"]), target=target, spending=spending, now=now)


def ranking(parent: UnionBranch, year: int, *, now=None) -> list[RankingRow]:
    """`parent`'s children ordered by their subtree totals for `year` (highest first), with target progress.
    Four queries whatever the number of children."""
    check_year(year)
    children = list(children_of(parent))
    sums = _child_prefix_sums(subtree_entries(parent, resolve_period(year=year)), parent)
    targets = {target.branch_id: target for target in ReliefTarget.objects.filter(branch__in=children, year=year)}
    spending = _spending_by_prefix(len(parent.path) + UnionBranch.steplen, parent.path, year)
    rows = []
    for child in children:
        achieved = _money(sums.get(child.path, {}).get("total"))
        target = targets.get(child.pk)
        progress = _progress(
            child, year, achieved=achieved, target=target, spending=spending.get(child.path, ZERO), now=now
        )
        rows.append(RankingRow(branch=child, total=achieved, target=target, progress=progress))
    return sorted(rows, key=lambda row: (-row.total, row.branch.code))


def subtree_totals(year: int, *, root: UnionBranch | None = None) -> dict[str, Decimal]:
    """{branch path: its subtree total for `year`} for every branch that has entries below it (under `root`
    when given): one query grouped by the credited branch's path, then each sum added to every prefix of its
    path — a linear pass, at most four additions per group."""
    check_year(year)
    period = resolve_period(year=year)
    entries = ReliefLedgerEntry.objects.filter(occurred_at__gte=period.start, occurred_at__lt=period.end)
    if root is not None:
        entries = entries.filter(branch_path__startswith=root.path)
    step = UnionBranch.steplen
    first = len(root.path) if root is not None else step
    totals: dict[str, Decimal] = {}
    for path, total in entries.values_list("branch_path").annotate(total=Coalesce(Sum("amount"), ZERO)).order_by():
        for end in range(first, len(path) + 1, step):
            totals[path[:end]] = totals.get(path[:end], ZERO) + total
    return totals

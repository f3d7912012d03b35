"""Relief report queries: reliefPurchaseSummary, reliefTargetProgress, reliefRanking (permission-checked by
subtree), and their types."""

import graphene
from graphql import GraphQLError

from branches.models import UnionBranch as UnionBranchModel
from mall.errors import PermissionDenied
from mall.graphql.ids import from_global_id_or_error
from mall.graphql.mutations import permission_denied_error
from mall.graphql.types import Money, enum_name
from mall.money import Money as MoneyValue
from members.graphql.types import UnionBranch
from relief_sourcing import reports
from relief_sourcing.access import require_report_access
from relief_sourcing.models import ReliefChannel as ReliefChannelChoices

PERMISSION_NOTE = (
    "Visible to staff of the branch or of a branch above it, and to operators with VIEW_RELIEF_REPORTS, "
    "MANAGE_RELIEF or MANAGE_BRANCHES."
)


class ReliefChannel(graphene.Enum):
    MEMBER = ReliefChannelChoices.MEMBER.value
    BRANCH = ReliefChannelChoices.BRANCH.value

    class Meta:
        description = (
            "How a relief purchase was made: MEMBER (a member's own purchase, credited to the member's grassroots "
            "union) or BRANCH (a branch's bulk purchase)."
        )


class ReliefGroupBy(graphene.Enum):
    REGION = reports.GroupBy.REGION
    COUNTY = reports.GroupBy.COUNTY
    SUPPLIER = reports.GroupBy.SUPPLIER
    MONTH = reports.GroupBy.MONTH
    CHILD_BRANCH = reports.GroupBy.CHILD_BRANCH

    class Meta:
        description = (
            "How relief purchases are grouped: REGION (partner prefecture, key = its GB/T 2260 code), COUNTY "
            "(partner county, key = its code), SUPPLIER (key = the supplier's ID), MONTH (key = YYYY-MM), "
            "CHILD_BRANCH (key = the child's ID; one more group, labelled 本级 and keyed by the branch's own ID, "
            "holds the branch's direct entries, so the groups add up to the total)."
        )


def money(amount) -> MoneyValue | None:
    return None if amount is None else MoneyValue(amount)


class ReliefPurchaseGroup(graphene.ObjectType):
    key = graphene.String(required=True, description="What the group is: see ReliefGroupBy.")
    label = graphene.String(required=True, description="The group's name for people.")
    total = graphene.Field(Money, required=True, description="Relief purchases in the group, refunds deducted.")
    quantity = graphene.Int(required=True, description="Units bought in the group, refunds deducted.")

    class Meta:
        description = "Union Mall extension: one group of a relief purchase summary."

    @staticmethod
    def resolve_total(root: reports.Group, _info):
        return money(root.total)


class ReliefPurchaseSummary(graphene.ObjectType):
    total = graphene.Field(
        Money, required=True, description="Relief purchases of the branch and every branch below it."
    )
    quantity = graphene.Int(required=True, description="Units bought, refunds deducted.")
    buyers = graphene.Int(required=True, description="Distinct members who made a relief purchase in the period.")
    groups = graphene.NonNull(graphene.List(graphene.NonNull(ReliefPurchaseGroup)), description="The breakdown.")

    class Meta:
        description = "Union Mall extension: relief purchases (消费帮扶) of a branch's subtree in a period."

    @staticmethod
    def resolve_total(root: reports.Summary, _info):
        return money(root.total)


class ReliefTargetProgress(graphene.ObjectType):
    branch = graphene.Field(UnionBranch, required=True)
    year = graphene.Int(required=True)
    target = graphene.Field(Money, description="The amount target for the year; null when none is set.")
    achieved = graphene.Field(Money, required=True, description="Relief purchases of the subtree in the year.")
    amount_ratio = graphene.Float(description="achieved / target; null without an amount target.")
    expected_by_now = graphene.Field(
        Money, description="What the amount target asks for by today, pro rata over the year."
    )
    minimum_share = graphene.Float(
        required=True, description="The minimum relief share of festival-gift spending (the target's or the default)."
    )
    spending = graphene.Field(
        Money,
        required=True,
        description="Festival-gift spending: what the subtree's members paid for orders that year.",
    )
    share = graphene.Float(description="achieved / spending; null when nothing was spent.")
    on_track = graphene.Boolean(
        required=True, description="Achieved at least the pro-rata target and the minimum share."
    )

    class Meta:
        description = "Union Mall extension: a branch's relief target for a year against what its subtree bought."

    @staticmethod
    def resolve_target(root: reports.Progress, _info):
        return money(root.target_amount)

    @staticmethod
    def resolve_achieved(root: reports.Progress, _info):
        return money(root.achieved)

    @staticmethod
    def resolve_expected_by_now(root: reports.Progress, _info):
        return money(root.expected_by_now)

    @staticmethod
    def resolve_spending(root: reports.Progress, _info):
        return money(root.spending)

    @staticmethod
    def resolve_amount_ratio(root: reports.Progress, _info):
        return None if root.amount_ratio is None else float(root.amount_ratio)

    @staticmethod
    def resolve_minimum_share(root: reports.Progress, _info):
        return float(root.minimum_share)

    @staticmethod
    def resolve_share(root: reports.Progress, _info):
        return None if root.share is None else float(root.share)


class ReliefRankingRow(graphene.ObjectType):
    rank = graphene.Int(required=True, description="1 for the highest total; equal totals share a rank (1, 2, 2, 4).")
    branch = graphene.Field(UnionBranch, required=True)
    total = graphene.Field(Money, required=True, description="Relief purchases of the child's subtree in the year.")
    progress = graphene.Field(ReliefTargetProgress, required=True)

    class Meta:
        description = "Union Mall extension: one child branch in a relief ranking."


def report_error(error: reports.ReportInputError) -> GraphQLError:
    return GraphQLError(error.message, extensions={"exception": {"code": "INVALID", "field": error.field}})


def visible_branch(info, global_id: str, *, argument: str) -> UnionBranchModel:
    """The branch `global_id` names, once the requestor may read its reports; clear errors otherwise."""
    pk = from_global_id_or_error(global_id, "UnionBranch")
    branch = UnionBranchModel.objects.filter(pk=pk).first()
    if branch is None:
        raise GraphQLError(
            f"找不到该工会组织：{global_id}。", extensions={"exception": {"code": "NOT_FOUND", "field": argument}}
        )
    try:
        require_report_access(info.context.user, branch)
    except PermissionDenied as error:
        raise permission_denied_error(error) from error
    return branch


class ReliefReportQueries(graphene.ObjectType):
    relief_purchase_summary = graphene.Field(
        ReliefPurchaseSummary,
        branch=graphene.ID(required=True, description="The branch; its subtree is counted."),
        year=graphene.Int(description="A calendar year (local time)."),
        date_from=graphene.Date(description="First day counted (inclusive)."),
        date_to=graphene.Date(description="Last day counted (inclusive)."),
        channel=ReliefChannel(description="Only purchases made this way."),
        group_by=ReliefGroupBy(required=True),
        description="Union Mall extension: relief purchases of a branch and all branches below it. " + PERMISSION_NOTE,
    )
    relief_target_progress = graphene.Field(
        ReliefTargetProgress,
        branch=graphene.ID(required=True),
        year=graphene.Int(required=True),
        description="Union Mall extension: a branch's relief target against its subtree's purchases. "
        + PERMISSION_NOTE,
    )
    relief_ranking = graphene.NonNull(
        graphene.List(graphene.NonNull(ReliefRankingRow)),
        parent=graphene.ID(required=True),
        year=graphene.Int(required=True),
        description="Union Mall extension: the children of a branch, highest relief total first, with their "
        "target progress. " + PERMISSION_NOTE,
    )

    @staticmethod
    def resolve_relief_purchase_summary(
        _root, info, branch, group_by, year=None, date_from=None, date_to=None, channel=None
    ):
        subject = visible_branch(info, branch, argument="branch")
        try:
            return reports.purchase_summary(
                subject,
                year=year,
                date_from=date_from,
                date_to=date_to,
                channel=enum_name(channel),
                group_by=enum_name(group_by),
            )
        except reports.ReportInputError as error:
            raise report_error(error) from error

    @staticmethod
    def resolve_relief_target_progress(_root, info, branch, year):
        subject = visible_branch(info, branch, argument="branch")
        try:
            return reports.target_progress(subject, year)
        except reports.ReportInputError as error:
            raise report_error(error) from error

    @staticmethod
    def resolve_relief_ranking(_root, info, parent, year):
        subject = visible_branch(info, parent, argument="parent")
        try:
            rows = reports.ranking(subject, year)
        except reports.ReportInputError as error:
            raise report_error(error) from error
        ranked, previous_total, rank = [], None, 0
        for position, row in enumerate(rows, start=1):
            if row.total != previous_total:
                rank, previous_total = position, row.total
            ranked.append({"rank": rank, "branch": row.branch, "total": money(row.total), "progress": row.progress})
        return ranked

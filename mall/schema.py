"""The root GraphQL schema, composed from the apps' schemas."""

import graphene

from accounts.graphql.account_mutations import AccountManagementMutations
from accounts.graphql.mutations import AccountMutations
from accounts.graphql.queries import AccountQueries
from allowances.graphql.mutations import AllowanceMutations
from allowances.graphql.queries import AllowanceQueries
from branches.graphql.mutations import BranchMutations
from branches.graphql.queries import BranchQueries
from bulk_orders.graphql.delivery import BulkDeliveryMutations
from bulk_orders.graphql.imports import BulkImportMutations, BulkImportQueries
from bulk_orders.graphql.mutations import BulkOrderMutations
from bulk_orders.graphql.payments import BulkPaymentMutations, BulkPaymentQueries
from bulk_orders.graphql.queries import BulkOrderQueries
from catalog.graphql.queries import CatalogQueries
from checkout.graphql.mutations import CheckoutMutations
from checkout.graphql.queries import CheckoutQueries
from content.graphql.mutations import ContentMutations
from content.graphql.queries import ContentQueries
from mall.graphql.shop import ShopQueries
from members.graphql.mutations import MemberMutations
from members.graphql.queries import MemberQueries
from orders.graphql.mutations import OrderMutations
from orders.graphql.queries import OrderQueries
from payments.graphql.mutations import PaymentMutations
from payments.graphql.queries import PaymentQueries
from relief_sourcing.graphql.mutations import ReliefMutations
from relief_sourcing.graphql.queries import ReliefQueries
from relief_sourcing.graphql.reports import ReliefReportQueries
from search.graphql.schema import SearchQueries


class Query(
    AccountQueries,
    AllowanceQueries,
    BranchQueries,
    BulkOrderQueries,
    BulkPaymentQueries,
    BulkImportQueries,
    CatalogQueries,
    CheckoutQueries,
    ContentQueries,
    MemberQueries,
    OrderQueries,
    PaymentQueries,
    ReliefReportQueries,
    ReliefQueries,
    ShopQueries,
    SearchQueries,
    graphene.ObjectType,
):
    pass


# Each app adds its root mutations as one more base class here.
class Mutation(
    AccountMutations,
    AccountManagementMutations,
    AllowanceMutations,
    BranchMutations,
    BulkOrderMutations,
    BulkPaymentMutations,
    BulkImportMutations,
    BulkDeliveryMutations,
    CheckoutMutations,
    ContentMutations,
    MemberMutations,
    OrderMutations,
    PaymentMutations,
    ReliefMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)

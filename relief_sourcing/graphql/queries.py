"""Root query fields of relief sourcing: partner regions and admitted suppliers for everyone, every
supplier and the certifications for operators (MANAGE_RELIEF)."""

import graphene
from django.db.models import F

from mall.errors import PermissionDenied
from mall.graphql.dataloaders import note_siblings
from mall.graphql.ids import from_global_id_or_error
from mall.graphql.mutations import permission_denied_error
from mall.graphql.pagination import connection_field, paginate
from mall.permissions import PermissionEnum
from relief_sourcing import selectors
from relief_sourcing.graphql.types import (
    PartnerRegionCountableConnection,
    PartnerRegionPairingTypeEnum,
    ReliefCertificationCountableConnection,
    ReliefCertificationStatusEnum,
    ReliefSupplier,
    ReliefSupplierCountableConnection,
    ReliefSupplierStatusEnum,
)
from relief_sourcing.models import ReliefCertification

REGION_ORDER = ["code", "pk"]
SUPPLIER_ORDER = ["region_code", "pk"]
CERTIFICATION_ORDER = ["-valid_to", "pk"]


class PartnerRegionFilterInput(graphene.InputObjectType):
    pairing_type = PartnerRegionPairingTypeEnum(description="Only regions paired this way.")
    province = graphene.String(description="Only regions of this province, e.g. 云南省.")


class ReliefSupplierFilterInput(graphene.InputObjectType):
    region = graphene.ID(description="ID of a partner region.")
    status = ReliefSupplierStatusEnum(description="Admission status; other than APPROVED needs MANAGE_RELIEF.")


class ReliefCertificationFilterInput(graphene.InputObjectType):
    supplier = graphene.ID(description="ID of a relief supplier.")
    product = graphene.ID(description="ID of a product.")
    status = ReliefCertificationStatusEnum(description="What the certificates are today.")


def _enum_value(value):
    return getattr(value, "value", value)


def _pk(global_id, type_name: str) -> int | None:
    return from_global_id_or_error(global_id, type_name) if global_id else None


def _regions_siblings(info, connection, attribute: str) -> None:
    note_siblings(info.context, "partner_region", [getattr(edge.node, attribute) for edge in connection.edges])


def _certification_state_filter(queryset, state: str):
    from django.utils import timezone

    today = timezone.localdate()
    valid = queryset.filter(status=ReliefCertification.Status.VALID)
    return {
        "REVOKED": queryset.filter(status=ReliefCertification.Status.REVOKED),
        "VALID": valid.filter(valid_from__lte=today, valid_to__gte=today),
        "EXPIRED": valid.filter(valid_to__lt=today),
        "NOT_YET_VALID": valid.filter(valid_from__gt=today),
    }[state]


class ReliefQueries(graphene.ObjectType):
    partner_regions = connection_field(
        PartnerRegionCountableConnection,
        description="Union Mall extension: partner regions (结对帮扶地区), by division code.",
        filter=PartnerRegionFilterInput(description="Filtering options for partner regions."),
    )
    relief_suppliers = connection_field(
        ReliefSupplierCountableConnection,
        description="Union Mall extension: relief suppliers by partner region. Everyone sees admitted ones; "
        "operators with MANAGE_RELIEF see every status.",
        filter=ReliefSupplierFilterInput(description="Filtering options for relief suppliers."),
    )
    relief_supplier = graphene.Field(
        ReliefSupplier,
        id=graphene.Argument(graphene.ID, required=True, description="ID of the relief supplier."),
        description="Union Mall extension: one relief supplier (admitted ones for everyone, any for operators).",
    )
    relief_certifications = connection_field(
        ReliefCertificationCountableConnection,
        description="Union Mall extension: relief certifications, latest expiry first. "
        f"Requires one of the following permissions: {PermissionEnum.MANAGE_RELIEF.name}.",
        filter=ReliefCertificationFilterInput(description="Filtering options for relief certifications."),
    )

    @staticmethod
    def resolve_partner_regions(_root, info, filter=None, **args):
        filter = filter or {}
        queryset = selectors.partner_regions(
            pairing_type=_enum_value(filter.get("pairing_type")), province=filter.get("province")
        )
        return paginate(queryset, info, args, ordering=REGION_ORDER, connection_type=PartnerRegionCountableConnection)

    @staticmethod
    def resolve_relief_suppliers(_root, info, filter=None, **args):
        filter = filter or {}
        region = None
        if filter.get("region"):
            region = from_global_id_or_error(filter["region"], "PartnerRegion")
        try:
            queryset = selectors.relief_suppliers(
                info.context.user, region=region, status=_enum_value(filter.get("status"))
            )
        except PermissionDenied as error:
            raise permission_denied_error(error) from error
        connection = paginate(
            queryset.annotate(region_code=F("region__code")),
            info,
            args,
            ordering=SUPPLIER_ORDER,
            connection_type=ReliefSupplierCountableConnection,
        )
        _regions_siblings(info, connection, "region_id")
        return connection

    @staticmethod
    def resolve_relief_supplier(_root, info, id):
        pk = from_global_id_or_error(id, "ReliefSupplier")
        return selectors.relief_suppliers(info.context.user).filter(pk=pk).first()

    @staticmethod
    def resolve_relief_certifications(_root, info, filter=None, **args):
        filter = filter or {}
        try:
            queryset = selectors.relief_certifications(
                info.context.user,
                supplier=from_global_id_or_error(filter["supplier"], "ReliefSupplier")
                if filter.get("supplier")
                else None,
                product=from_global_id_or_error(filter["product"], "Product") if filter.get("product") else None,
            )
        except PermissionDenied as error:
            raise permission_denied_error(error) from error
        if filter.get("status"):
            queryset = _certification_state_filter(queryset, _enum_value(filter["status"]))
        connection = paginate(
            queryset, info, args, ordering=CERTIFICATION_ORDER, connection_type=ReliefCertificationCountableConnection
        )
        _regions_siblings(info, connection, "origin_id")
        return connection

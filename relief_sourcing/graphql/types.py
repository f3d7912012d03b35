"""Relief sourcing types of the API: partner regions, relief suppliers, certifications, batches, errors.

Union Mall extensions in Saleor's style (relay IDs, countable connections, `errors { field message code }`).
"""

import graphene
from graphene import relay

from catalog.selectors import channel_by_slug
from mall.graphql.mutations import error_type
from mall.graphql.pagination import CountableConnection
from relief_sourcing.graphql.dataloaders import PartnerRegionByIdLoader
from relief_sourcing.models import PartnerRegion as PartnerRegionModel
from relief_sourcing.models import ReliefSupplier as ReliefSupplierModel
from relief_sourcing.selectors import CertificationState, can_manage_relief, certification_state


class ReliefErrorCode(graphene.Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    UNIQUE = "UNIQUE"
    INVALID_DIVISION_CODE = "INVALID_DIVISION_CODE"
    NOT_A_COUNTY = "NOT_A_COUNTY"
    UNKNOWN_DIVISION_CODE = "UNKNOWN_DIVISION_CODE"
    ABOLISHED_DIVISION_CODE = "ABOLISHED_DIVISION_CODE"
    INVALID_CREDIT_CODE_LENGTH = "INVALID_CREDIT_CODE_LENGTH"
    INVALID_CREDIT_CODE_FORMAT = "INVALID_CREDIT_CODE_FORMAT"
    INVALID_CREDIT_CODE_CHECKSUM = "INVALID_CREDIT_CODE_CHECKSUM"
    REGION_NOT_ACTIVE = "REGION_NOT_ACTIVE"
    ALREADY_REGISTERED = "ALREADY_REGISTERED"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    PRODUCT_NOT_OF_SUPPLIER = "PRODUCT_NOT_OF_SUPPLIER"
    CERTIFICATION_REVOKED = "CERTIFICATION_REVOKED"
    NOT_RELIEF_PRODUCT = "NOT_RELIEF_PRODUCT"

    class Meta:
        description = "An enumeration."


ReliefError = error_type("ReliefError", ReliefErrorCode, description="Represents errors in relief sourcing mutations.")


class PartnerRegionPairingTypeEnum(graphene.Enum):
    EAST_WEST = PartnerRegionModel.PairingType.EAST_WEST.value
    COUNTERPART = PartnerRegionModel.PairingType.COUNTERPART.value
    IN_PROVINCE = PartnerRegionModel.PairingType.IN_PROVINCE.value

    class Meta:
        description = "Union Mall extension: how the city is paired with a region: 东西部协作, 对口支援 or 省内帮扶."


class ReliefSupplierEntityTypeEnum(graphene.Enum):
    ENTERPRISE = ReliefSupplierModel.EntityType.ENTERPRISE.value
    COOPERATIVE = ReliefSupplierModel.EntityType.COOPERATIVE.value
    FAMILY_FARM = ReliefSupplierModel.EntityType.FAMILY_FARM.value

    class Meta:
        description = "Union Mall extension: the legal form of a relief supplier: 企业, 农民专业合作社 or 家庭农场."


class ReliefSupplierStatusEnum(graphene.Enum):
    APPLIED = ReliefSupplierModel.AdmissionStatus.APPLIED.value
    APPROVED = ReliefSupplierModel.AdmissionStatus.APPROVED.value
    SUSPENDED = ReliefSupplierModel.AdmissionStatus.SUSPENDED.value

    class Meta:
        description = "Union Mall extension: a relief supplier's admission (准入): APPLIED → APPROVED ⇄ SUSPENDED."


class ReliefCertificationStatusEnum(graphene.Enum):
    VALID = CertificationState.VALID
    NOT_YET_VALID = CertificationState.NOT_YET_VALID
    EXPIRED = CertificationState.EXPIRED
    REVOKED = CertificationState.REVOKED

    class Meta:
        description = (
            "Union Mall extension: a relief certification today: VALID, NOT_YET_VALID or EXPIRED by its dates, "
            "or REVOKED (with a reason)."
        )


class PartnerRegion(graphene.ObjectType):
    code = graphene.String(required=True, description="Six-digit administrative division code (GB/T 2260).")
    province = graphene.String(required=True, description="Province, as the official list names it.")
    prefecture = graphene.String(required=True, description="Prefecture (市、州、盟); empty under a municipality.")
    county = graphene.String(required=True, description="County-level division (县、县级市、区、旗).")
    name = graphene.String(required=True, description="Province, prefecture and county in one string.")
    pairing_type = graphene.Field(PartnerRegionPairingTypeEnum, required=True, description="How it is paired.")
    active_from_year = graphene.Int(required=True, description="First year of the pairing.")
    active_to_year = graphene.Int(description="Last year of the pairing; null while it lasts.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Union Mall extension: a partner region (结对帮扶地区), a county the city is paired with."

    @staticmethod
    def resolve_name(root, _info):
        return str(root)

    @staticmethod
    def resolve_pairing_type(root, _info):
        return str(root.pairing_type)


class ReliefSupplier(graphene.ObjectType):
    merchant = graphene.Field("catalog.graphql.types.Merchant", required=True, description="The merchant it is.")
    name = graphene.String(required=True, description="Name of the merchant.")
    region = graphene.Field(PartnerRegion, required=True, description="The partner county it is registered in.")
    credit_code = graphene.String(required=True, description="Unified social credit code (统一社会信用代码).")
    entity_type = graphene.Field(ReliefSupplierEntityTypeEnum, required=True, description="Its legal form.")
    farmer_linkage = graphene.String(required=True, description="How it brings farmers along (联农带农).")
    households_linked = graphene.Int(description="How many farming households it brings along.")
    story = graphene.String(required=True, description="Its story, as the storefront tells it.")
    recommended_by = graphene.String(required=True, description="The county office that recommended it.")
    status = graphene.Field(ReliefSupplierStatusEnum, required=True, description="Its admission status.")
    status_reason = graphene.String(
        description="Why it was admitted or suspended. Requires one of the following permissions: MANAGE_RELIEF; "
        "null otherwise."
    )
    decided_at = graphene.DateTime(description="When the admission status was last decided.")
    decided_by = graphene.Field(
        "accounts.graphql.types.User",
        description="Who decided it last. Requires one of the following permissions: MANAGE_RELIEF; null otherwise.",
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Union Mall extension: a relief supplier (帮扶供应商), a merchant of a partner county."

    @staticmethod
    def resolve_name(root, _info):
        return root.merchant.name

    @staticmethod
    def resolve_region(root, info):
        return PartnerRegionByIdLoader(info.context).load(root.region_id)

    # Choices are plain strings once read from the database, but enum members on a row just saved.
    @staticmethod
    def resolve_status(root, _info):
        return str(root.admission_status)

    @staticmethod
    def resolve_entity_type(root, _info):
        return str(root.entity_type)

    @staticmethod
    def resolve_status_reason(root, info):
        return root.status_reason if can_manage_relief(info.context.user) else None

    @staticmethod
    def resolve_decided_by(root, info):
        return root.decided_by if can_manage_relief(info.context.user) else None


class ReliefCertification(graphene.ObjectType):
    number = graphene.String(required=True, description="Certificate number (证书编号).")
    certifying_body = graphene.String(required=True, description="Who certified it (认定机构).")
    supplier = graphene.Field(ReliefSupplier, required=True, description="The supplier whose products it covers.")
    origin = graphene.Field(PartnerRegion, required=True, description="The origin county (产地).")
    valid_from = graphene.Date(required=True, description="First day it is valid.")
    valid_to = graphene.Date(required=True, description="Last day it is valid.")
    status = graphene.Field(ReliefCertificationStatusEnum, required=True, description="What it is today.")
    revoked_reason = graphene.String(description="Why it was revoked; null unless REVOKED.")
    revoked_at = graphene.DateTime(description="When it was revoked.")
    products = graphene.List(
        graphene.NonNull("catalog.graphql.types.Product"),
        description="The products it covers, as the default channel shows them. Requires one of the following "
        "permissions: MANAGE_RELIEF; null otherwise.",
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Union Mall extension: a relief certification (帮扶产品认定) of some of a supplier's products."

    @staticmethod
    def resolve_origin(root, info):
        return PartnerRegionByIdLoader(info.context).load(root.origin_id)

    @staticmethod
    def resolve_status(root, _info):
        return certification_state(root)

    @staticmethod
    def resolve_revoked_reason(root, _info):
        return root.revoked_reason or None

    @staticmethod
    def resolve_products(root, info):
        from catalog.graphql.loading import products_in_channel

        channel = channel_by_slug(None)
        if not can_manage_relief(info.context.user) or channel is None:
            return None
        return products_in_channel(info.context, list(root.products.order_by("pk")), channel)


class ProductBatch(graphene.ObjectType):
    batch_number = graphene.String(required=True, description="Batch number (批次号).")
    produced_on = graphene.Date(required=True, description="Harvest or production date.")
    quantity = graphene.Int(required=True, description="How much the batch holds, in `unit`.")
    unit = graphene.String(required=True, description="The unit of `quantity`, e.g. 箱.")
    producer = graphene.String(required=True, description="Producer on the 承诺达标合格证.")
    origin = graphene.String(required=True, description="Origin on the 承诺达标合格证.")
    contact = graphene.String(required=True, description="Producer's contact on the 承诺达标合格证.")
    certificate_issued_on = graphene.Date(required=True, description="When the 承诺达标合格证 was issued.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Union Mall extension: a harvest or production batch (批次) with its 承诺达标合格证 data."


class PartnerRegionCountableConnection(CountableConnection):
    class Meta:
        node = PartnerRegion


class ReliefSupplierCountableConnection(CountableConnection):
    class Meta:
        node = ReliefSupplier


class ReliefCertificationCountableConnection(CountableConnection):
    class Meta:
        node = ReliefCertification

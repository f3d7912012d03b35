"""Relief sourcing mutations (MANAGE_RELIEF): partner regions, supplier registration and admission,
certifications and batches. Each is a few lines calling relief_sourcing.services."""

import graphene
from graphql import GraphQLError

from catalog.models import Merchant, Product
from mall.errors import DomainError
from mall.graphql.ids import from_global_ids_or_error
from mall.graphql.mutations import BaseMutation
from mall.permissions import PermissionEnum
from relief_sourcing import services
from relief_sourcing.graphql.types import (
    PartnerRegion,
    PartnerRegionPairingTypeEnum,
    ProductBatch,
    ReliefCertification,
    ReliefError,
    ReliefSupplier,
    ReliefSupplierEntityTypeEnum,
)
from relief_sourcing.models import PartnerRegion as PartnerRegionModel
from relief_sourcing.models import ReliefCertification as ReliefCertificationModel
from relief_sourcing.models import ReliefSupplier as ReliefSupplierModel

MANAGE_RELIEF = (PermissionEnum.MANAGE_RELIEF,)


def _plain(input: dict, names) -> dict:
    """The given `names` of `input`, enums as their values (absent keys stay absent: not changed)."""
    return {name: getattr(input[name], "value", input[name]) for name in names if name in input}


class ReliefMutation(BaseMutation):
    class Meta:
        abstract = True

    @classmethod
    def region(cls, global_id, field="region"):
        return cls.get_instance(PartnerRegionModel.objects.all(), global_id, type_name="PartnerRegion", field=field)

    @classmethod
    def supplier(cls, global_id, field="id"):
        queryset = ReliefSupplierModel.objects.select_related("merchant", "region")
        return cls.get_instance(queryset, global_id, type_name="ReliefSupplier", field=field)

    @classmethod
    def certification(cls, global_id, field="id"):
        queryset = ReliefCertificationModel.objects.select_related("supplier")
        return cls.get_instance(queryset, global_id, type_name="ReliefCertification", field=field)

    @classmethod
    def products(cls, global_ids, field):
        try:
            ids = from_global_ids_or_error(global_ids or [], "Product")
        except GraphQLError as error:
            raise DomainError(str(error), field=field, code="GRAPHQL_ERROR") from error
        found = list(Product.objects.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise DomainError("有商品 ID 不存在。", field=field, code="NOT_FOUND")
        return found


# --- Partner regions --------------------------------------------------------------------
class PartnerRegionInput(graphene.InputObjectType):
    code = graphene.String(description="Six-digit county-level division code (GB/T 2260), e.g. 500237.")
    pairing_type = PartnerRegionPairingTypeEnum(description="How the city is paired with it.")
    active_from_year = graphene.Int(description="First year of the pairing.")
    active_to_year = graphene.Int(description="Last year of the pairing; null while it lasts.")


class PartnerRegionCreate(ReliefMutation):
    """Union Mall extension: add a partner region; province, prefecture and county come from the official list."""

    partner_region = graphene.Field(PartnerRegion)

    class Arguments:
        input = PartnerRegionInput(required=True, description="Fields required to create a partner region.")

    class Meta:
        error_type_class = ReliefError
        permissions = MANAGE_RELIEF

    @classmethod
    def perform_mutation(cls, _root, info, input):
        for name in ("code", "pairing_type", "active_from_year"):
            if input.get(name) is None:
                raise DomainError("必填。", field=name, code="REQUIRED")
        fields = _plain(input, ["code", "pairing_type", "active_from_year", "active_to_year"])
        return cls(partner_region=services.create_partner_region(user=info.context.user, **fields))


class PartnerRegionUpdate(ReliefMutation):
    """Union Mall extension: change a partner region's code, pairing type or years."""

    partner_region = graphene.Field(PartnerRegion)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the partner region.")
        input = PartnerRegionInput(required=True, description="Fields to change.")

    class Meta:
        error_type_class = ReliefError
        permissions = MANAGE_RELIEF

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        region = cls.region(id, field="id")
        fields = _plain(input, ["code", "pairing_type", "active_from_year", "active_to_year"])
        return cls(partner_region=services.update_partner_region(region, user=info.context.user, **fields))


# --- Suppliers --------------------------------------------------------------------------
SUPPLIER_FIELDS = ["credit_code", "entity_type", "farmer_linkage", "households_linked", "story", "recommended_by"]


class ReliefSupplierInput(graphene.InputObjectType):
    region = graphene.ID(description="ID of the partner region it is registered in (paired this year).")
    credit_code = graphene.String(description="Unified social credit code (统一社会信用代码), 18 characters.")
    entity_type = ReliefSupplierEntityTypeEnum(description="Its legal form.")
    farmer_linkage = graphene.String(description="How it brings farmers along (联农带农).")
    households_linked = graphene.Int(description="How many households it brings along.")
    story = graphene.String(description="Its story for the storefront.")
    recommended_by = graphene.String(description="The county office that recommended it.")


class ReliefSupplierCreateInput(ReliefSupplierInput):
    merchant = graphene.ID(required=True, description="ID of the merchant to register.")


class ReliefSupplierCreate(ReliefMutation):
    """Union Mall extension: register a merchant as a relief supplier (status APPLIED)."""

    relief_supplier = graphene.Field(ReliefSupplier)

    class Arguments:
        input = ReliefSupplierCreateInput(required=True, description="Fields required to register a supplier.")

    class Meta:
        error_type_class = ReliefError
        permissions = MANAGE_RELIEF

    @classmethod
    def perform_mutation(cls, _root, info, input):
        for name in ("region", "credit_code", "entity_type"):
            if input.get(name) is None:
                raise DomainError("必填。", field=name, code="REQUIRED")
        merchant = cls.get_instance(Merchant.objects.all(), input["merchant"], type_name="Merchant", field="merchant")
        supplier = services.register_supplier(
            user=info.context.user,
            merchant=merchant,
            region=cls.region(input["region"]),
            **{key: value for key, value in _plain(input, SUPPLIER_FIELDS).items() if value is not None},
        )
        return cls(relief_supplier=supplier)


class ReliefSupplierUpdate(ReliefMutation):
    """Union Mall extension: change a relief supplier's registration details."""

    relief_supplier = graphene.Field(ReliefSupplier)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the relief supplier.")
        input = ReliefSupplierInput(required=True, description="Fields to change.")

    class Meta:
        error_type_class = ReliefError
        permissions = MANAGE_RELIEF

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        supplier = cls.supplier(id)
        changes = _plain(input, SUPPLIER_FIELDS)
        if input.get("region"):
            changes["region"] = cls.region(input["region"])
        return cls(relief_supplier=services.update_supplier(supplier, user=info.context.user, **changes))


class ReliefSupplierApprove(ReliefMutation):
    """Union Mall extension: admit an applicant, or readmit a suspended supplier."""

    relief_supplier = graphene.Field(ReliefSupplier)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the relief supplier.")
        reason = graphene.String(description="A note on the decision.")

    class Meta:
        error_type_class = ReliefError
        permissions = MANAGE_RELIEF

    @classmethod
    def perform_mutation(cls, _root, info, id, reason=""):
        supplier = services.approve_supplier(cls.supplier(id), user=info.context.user, reason=reason or "")
        return cls(relief_supplier=supplier)


class ReliefSupplierSuspend(ReliefMutation):
    """Union Mall extension: suspend an admitted supplier; its certificates stop counting until readmitted."""

    relief_supplier = graphene.Field(ReliefSupplier)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the relief supplier.")
        reason = graphene.String(required=True, description="Why it is suspended.")

    class Meta:
        error_type_class = ReliefError
        permissions = MANAGE_RELIEF

    @classmethod
    def perform_mutation(cls, _root, info, id, reason):
        supplier = services.suspend_supplier(cls.supplier(id), user=info.context.user, reason=reason)
        return cls(relief_supplier=supplier)


# --- Certifications and batches ---------------------------------------------------------
CERTIFICATION_FIELDS = ["number", "certifying_body", "valid_from", "valid_to"]


class ReliefCertificationInput(graphene.InputObjectType):
    number = graphene.String(description="Certificate number (证书编号).")
    certifying_body = graphene.String(description="Who certified it (认定机构).")
    origin = graphene.ID(description="ID of the origin partner region; defaults to the supplier's.")
    valid_from = graphene.Date(description="First day it is valid.")
    valid_to = graphene.Date(description="Last day it is valid.")


class ReliefCertificationCreateInput(ReliefCertificationInput):
    supplier = graphene.ID(required=True, description="ID of the relief supplier.")
    products = graphene.List(graphene.NonNull(graphene.ID), description="IDs of the supplier's products it covers.")


class ReliefCertificationUpdateInput(ReliefCertificationInput):
    add_products = graphene.List(graphene.NonNull(graphene.ID), description="IDs of the supplier's products to add.")
    remove_products = graphene.List(graphene.NonNull(graphene.ID), description="IDs of products to remove.")


class ReliefCertificationCreate(ReliefMutation):
    """Union Mall extension: certify products of a supplier as relief products (帮扶产品认定)."""

    relief_certification = graphene.Field(ReliefCertification)

    class Arguments:
        input = ReliefCertificationCreateInput(required=True, description="Fields required to certify.")

    class Meta:
        error_type_class = ReliefError
        permissions = MANAGE_RELIEF

    @classmethod
    def perform_mutation(cls, _root, info, input):
        for name in CERTIFICATION_FIELDS:
            if not input.get(name):
                raise DomainError("必填。", field=name, code="REQUIRED")
        certification = services.create_certification(
            user=info.context.user,
            supplier=cls.supplier(input["supplier"], field="supplier"),
            origin=cls.region(input["origin"], field="origin") if input.get("origin") else None,
            products=cls.products(input.get("products"), "products"),
            **_plain(input, CERTIFICATION_FIELDS),
        )
        return cls(relief_certification=certification)


class ReliefCertificationUpdate(ReliefMutation):
    """Union Mall extension: change a certification's details or the products it covers."""

    relief_certification = graphene.Field(ReliefCertification)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the relief certification.")
        input = ReliefCertificationUpdateInput(required=True, description="Fields to change.")

    class Meta:
        error_type_class = ReliefError
        permissions = MANAGE_RELIEF

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        changes = _plain(input, CERTIFICATION_FIELDS)
        if input.get("origin"):
            changes["origin"] = cls.region(input["origin"], field="origin")
        certification = services.update_certification(
            cls.certification(id),
            user=info.context.user,
            add_products=cls.products(input.get("add_products"), "addProducts"),
            remove_products=cls.products(input.get("remove_products"), "removeProducts"),
            **changes,
        )
        return cls(relief_certification=certification)


class ReliefCertificationRevoke(ReliefMutation):
    """Union Mall extension: revoke a certification from now on; purchases made before stay relief purchases."""

    relief_certification = graphene.Field(ReliefCertification)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the relief certification.")
        reason = graphene.String(required=True, description="Why it is revoked.")

    class Meta:
        error_type_class = ReliefError
        permissions = MANAGE_RELIEF

    @classmethod
    def perform_mutation(cls, _root, info, id, reason):
        certification = services.revoke_certification(cls.certification(id), user=info.context.user, reason=reason)
        return cls(relief_certification=certification)


class ProductBatchCreateInput(graphene.InputObjectType):
    product = graphene.ID(required=True, description="ID of a relief supplier's product.")
    batch_number = graphene.String(required=True, description="Batch number (批次号).")
    produced_on = graphene.Date(required=True, description="Harvest or production date.")
    quantity = graphene.Int(required=True, description="How much the batch holds.")
    unit = graphene.String(description="Unit of `quantity`; 件 by default.")
    producer = graphene.String(required=True, description="Producer on the 承诺达标合格证.")
    origin = graphene.String(required=True, description="Origin on the 承诺达标合格证.")
    contact = graphene.String(required=True, description="Contact on the 承诺达标合格证.")
    certificate_issued_on = graphene.Date(required=True, description="When the 承诺达标合格证 was issued.")


BATCH_FIELDS = [
    "batch_number",
    "produced_on",
    "quantity",
    "unit",
    "producer",
    "origin",
    "contact",
    "certificate_issued_on",
]


class ProductBatchCreate(ReliefMutation):
    """Union Mall extension: record a batch of a relief product with its 承诺达标合格证 data."""

    product_batch = graphene.Field(ProductBatch)

    class Arguments:
        input = ProductBatchCreateInput(required=True, description="Fields required to record a batch.")

    class Meta:
        error_type_class = ReliefError
        permissions = MANAGE_RELIEF

    @classmethod
    def perform_mutation(cls, _root, info, input):
        product = cls.get_instance(
            Product.objects.select_related("merchant"), input["product"], type_name="Product", field="product"
        )
        fields = _plain(
            input,
            [
                "batch_number",
                "produced_on",
                "quantity",
                "unit",
                "producer",
                "origin",
                "contact",
                "certificate_issued_on",
            ],
        )
        if fields.get("unit") is None:
            fields.pop("unit", None)
        batch = services.create_batch(user=info.context.user, product=product, **fields)
        return cls(product_batch=batch)


class ReliefMutations(graphene.ObjectType):
    partner_region_create = PartnerRegionCreate.Field()
    partner_region_update = PartnerRegionUpdate.Field()
    relief_supplier_create = ReliefSupplierCreate.Field()
    relief_supplier_update = ReliefSupplierUpdate.Field()
    relief_supplier_approve = ReliefSupplierApprove.Field()
    relief_supplier_suspend = ReliefSupplierSuspend.Field()
    relief_certification_create = ReliefCertificationCreate.Field()
    relief_certification_update = ReliefCertificationUpdate.Field()
    relief_certification_revoke = ReliefCertificationRevoke.Field()
    product_batch_create = ProductBatchCreate.Field()

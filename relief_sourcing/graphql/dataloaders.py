"""Per-request loaders for what a product shows of relief sourcing: one query per page of products each."""

from mall.graphql.dataloaders import DataLoader
from relief_sourcing import selectors
from relief_sourcing.models import PartnerRegion, ReliefSupplier


class CurrentCertificationByProductIdLoader(DataLoader):
    """The certificate in force today for each product (with supplier, merchant and origin), or None."""

    kind = "product"

    def batch_load(self, keys):
        found = selectors.current_certifications(keys)
        regions = PartnerRegionByIdLoader(self.context)
        for certification in found.values():
            regions.prime(certification.origin_id, certification.origin)
            regions.prime(certification.supplier.region_id, certification.supplier.region)
        return [found.get(key) for key in keys]


class CurrentBatchByProductIdLoader(DataLoader):
    kind = "product"

    def batch_load(self, keys):
        found = selectors.current_batches(keys)
        return [found.get(key) for key in keys]


class ReliefSupplierByMerchantIdLoader(DataLoader):
    """The supplier record (with its region) of each merchant, or None for a merchant that is not one."""

    kind = "merchant"

    def batch_load(self, keys):
        suppliers = {
            supplier.merchant_id: supplier
            for supplier in ReliefSupplier.objects.filter(merchant_id__in=keys).select_related("region", "merchant")
        }
        return [suppliers.get(key) for key in keys]


class PartnerRegionByIdLoader(DataLoader):
    kind = "partner_region"

    def batch_load(self, keys):
        regions = PartnerRegion.objects.in_bulk(keys)
        return [regions.get(key) for key in keys]

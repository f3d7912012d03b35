"""What the relief sourcing services refuse, each with the ReliefErrorCode the API returns."""

from mall.errors import DomainError


class ReliefError(DomainError):
    pass


class RegionNotActive(ReliefError):
    code = "REGION_NOT_ACTIVE"
    field = "region"

    def __init__(self, region, year: int):
        super().__init__(f"{region} 不是 {year} 年度的结对帮扶地区，不能在此登记帮扶供应商。")


class AlreadyRegistered(ReliefError):
    code = "ALREADY_REGISTERED"
    field = "merchant"

    def __init__(self, merchant):
        super().__init__(f"商户“{merchant}”已登记为帮扶供应商。")


class InvalidTransition(ReliefError):
    code = "INVALID_TRANSITION"
    field = "admissionStatus"

    def __init__(self, supplier, target_label: str):
        super().__init__(
            f"帮扶供应商“{supplier}”当前为“{supplier.get_admission_status_display()}”，不能改为“{target_label}”。"
        )


class ProductNotOfSupplier(ReliefError):
    code = "PRODUCT_NOT_OF_SUPPLIER"
    field = "products"

    def __init__(self, products, supplier):
        names = "、".join(product.name for product in products)
        super().__init__(f"只能认定该供应商（{supplier}）自己的商品，以下商品不属于它：{names}。")


class CertificationRevoked(ReliefError):
    code = "CERTIFICATION_REVOKED"
    field = "id"

    def __init__(self, certification):
        super().__init__(f"认定证书 {certification.number} 已撤销，不能再修改。")


class NotReliefProduct(ReliefError):
    code = "NOT_RELIEF_PRODUCT"
    field = "product"

    def __init__(self, product):
        super().__init__(f"“{product.name}”不是帮扶供应商的商品，不能登记承诺达标合格证批次。")

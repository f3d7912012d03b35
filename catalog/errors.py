"""Domain errors of the catalogue: each has a code the API and the pages turn into a message."""

from mall.errors import DomainError


class CatalogError(DomainError):
    pass


class MemberPriceAboveListPrice(CatalogError):
    code = "MEMBER_PRICE_ABOVE_PRICE"
    field = "memberPrice"

    def __init__(self, price, member_price):
        super().__init__(f"会员价 {member_price} 不能高于售价 {price}。")


class InvalidPrice(CatalogError):
    code = "INVALID"
    field = "price"

"""Domain errors of the catalogue: each has a code the API and the pages turn into a message."""


class CatalogError(Exception):
    code = "INVALID"
    field = None

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field
        if code is not None:
            self.code = code


class MemberPriceAboveListPrice(CatalogError):
    code = "MEMBER_PRICE_ABOVE_PRICE"
    field = "memberPrice"

    def __init__(self, price, member_price):
        super().__init__(f"会员价 {member_price} 不能高于售价 {price}。")


class InvalidPrice(CatalogError):
    code = "INVALID"
    field = "price"

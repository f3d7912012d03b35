"""Types every part of the API shares, in Saleor's shapes: money, images, weights, countries, sorting."""

from decimal import Decimal

import graphene
from django.core.files.uploadedfile import UploadedFile
from graphql import GraphQLError

from mall.money import Money as MoneyValue
from mall.money import MoneyRange as MoneyRangeValue

# Retail prices in China are quoted with VAT included and the mall shows no separate tax line.
TAX_NOTE = (
    "Retail prices in China include VAT, so `gross` and `net` are both the shelf price and `tax` is 0; "
    "the VAT inside the price appears on the invoice, not here."
)
FRACTION_DIGITS = {"CNY": 2}
COUNTRY_NAMES = {"CN": "中国", "HK": "中国香港", "MO": "中国澳门", "TW": "中国台湾"}


def enum_name(value) -> str | None:
    """The name of an enum argument: graphene passes explicit values as members, defaults as strings."""
    return getattr(value, "name", value)


class Money(graphene.ObjectType):
    currency = graphene.String(required=True, description="Currency code.")
    amount = graphene.Float(required=True, description="Amount of money.")
    fractional_amount = graphene.Int(
        required=True, description="Amount of money represented as an integer in the smallest currency unit."
    )
    fraction_digits = graphene.Int(
        required=True, description="Number of digits after the decimal point in the currency."
    )

    class Meta:
        description = "Represents amount of money in specific currency."

    @staticmethod
    def resolve_amount(root: MoneyValue, _info):
        return float(root.amount)

    @staticmethod
    def resolve_fraction_digits(root: MoneyValue, _info):
        return FRACTION_DIGITS.get(root.currency, 2)

    @staticmethod
    def resolve_fractional_amount(root: MoneyValue, _info):
        return int(root.amount.scaleb(FRACTION_DIGITS.get(root.currency, 2)))


class MoneyRange(graphene.ObjectType):
    start = graphene.Field(Money, description="Lower bound of a price range.")
    stop = graphene.Field(Money, description="Upper bound of a price range.")

    class Meta:
        description = "Represents a range of amounts of money."


class TaxedMoney(graphene.ObjectType):
    currency = graphene.String(required=True, description="Currency code.")
    gross = graphene.Field(Money, required=True, description="Amount of money including taxes.")
    net = graphene.Field(Money, required=True, description="Amount of money without taxes.")
    tax = graphene.Field(Money, required=True, description="Amount of taxes.")

    class Meta:
        description = "Represents a monetary value with taxes. " + TAX_NOTE


class TaxedMoneyRange(graphene.ObjectType):
    start = graphene.Field(TaxedMoney, description="Lower bound of a price range.")
    stop = graphene.Field(TaxedMoney, description="Upper bound of a price range.")

    class Meta:
        description = "Represents a range of monetary values."


def taxed(money: MoneyValue | None) -> dict | None:
    """A VAT-inclusive shelf price as TaxedMoney (see TAX_NOTE)."""
    if money is None:
        return None
    return {"currency": money.currency, "gross": money, "net": money, "tax": MoneyValue(Decimal(0), money.currency)}


def taxed_range(money_range: MoneyRangeValue | None) -> dict | None:
    if money_range is None:
        return None
    return {"start": taxed(money_range.start), "stop": taxed(money_range.stop)}


class ThumbnailFormatEnum(graphene.Enum):
    ORIGINAL = "ORIGINAL"
    AVIF = "AVIF"
    WEBP = "WEBP"

    class Meta:
        description = "Thumbnail formats for icon images."


def thumbnail_arguments() -> dict:
    return {
        "size": graphene.Int(
            description="Desired longest side the image in pixels. Defaults to 4096. Images are never cropped. "
            "Pass 0 to retrieve the original size (not recommended)."
        ),
        "format": ThumbnailFormatEnum(
            default_value=ThumbnailFormatEnum.ORIGINAL.value,
            description="The format of the image. When not provided, format of the original image will be used.",
        ),
    }


class Image(graphene.ObjectType):
    url = graphene.String(required=True, description="The URL of the image.")
    alt = graphene.String(description="Alt text for an image.")

    class Meta:
        description = "Represents an image."


class WeightUnitsEnum(graphene.Enum):
    G = "G"
    LB = "LB"
    OZ = "OZ"
    KG = "KG"
    TONNE = "TONNE"

    class Meta:
        description = "An enumeration."


class Weight(graphene.ObjectType):
    unit = graphene.Field(WeightUnitsEnum, required=True, description="Weight unit.")
    value = graphene.Float(required=True, description="Weight value.")

    class Meta:
        description = "Represents weight value in a specific weight unit."


def weight_in_grams(grams: Decimal | None) -> dict | None:
    return None if grams is None else {"unit": WeightUnitsEnum.G.value, "value": float(grams)}


class CountryDisplay(graphene.ObjectType):
    code = graphene.String(required=True, description="Country code.")
    country = graphene.String(required=True, description="Country name.")

    class Meta:
        description = "Represents a country with its code and name."


def country_display(code: str) -> dict:
    return {"code": code, "country": COUNTRY_NAMES.get(code, code)}


class OrderDirection(graphene.Enum):
    ASC = "ASC"
    DESC = "DESC"

    class Meta:
        description = "Sorting direction."

    @property
    def description(self):
        return {"ASC": "Specifies an ascending sort order.", "DESC": "Specifies a descending sort order."}.get(
            self.name
        )


class Upload(graphene.Scalar):
    """Variables of this type must be set to null in mutations. They will be replaced with a filename from a
    following multipart part containing a binary file. See:
    https://github.com/jaydenseric/graphql-multipart-request-spec."""

    @staticmethod
    def serialize(value):
        return getattr(value, "name", None)

    @staticmethod
    def parse_literal(_node, _variables=None):
        raise GraphQLError("An Upload is sent as a file part of a multipart request, never inline.")

    @staticmethod
    def parse_value(value):
        if isinstance(value, UploadedFile):
            return value
        raise GraphQLError("Expected a file part of a multipart request (the GraphQL multipart request spec).")

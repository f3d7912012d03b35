"""Root query fields about accounts, with Saleor 3.21's names."""

import graphene

from accounts.addresses import validation_rules
from accounts.graphql.types import AddressValidationData, CountryCode, User, address_validation_data
from mall.graphql.types import enum_name


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(User, description="Return the currently authenticated user.")
    address_validation_rules = graphene.Field(
        AddressValidationData,
        description="Returns address validation rules.",
        country_code=graphene.Argument(CountryCode, required=True, description="Two-letter ISO 3166-1 country code."),
        country_area=graphene.String(description="Designation of a region, province or state."),
        city=graphene.String(description="City or a town name."),
        city_area=graphene.String(description="Sublocality like a district."),
    )

    @staticmethod
    def resolve_me(_root, info):
        user = info.context.user
        return user if user.is_authenticated else None

    @staticmethod
    def resolve_address_validation_rules(_root, _info, country_code, country_area=None, city=None, city_area=None):
        rules = validation_rules(
            country_code=enum_name(country_code), country_area=country_area, city=city, city_area=city_area
        )
        return address_validation_data(rules)

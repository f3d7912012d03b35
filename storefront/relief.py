"""What the storefront shows of relief sourcing (消费帮扶): the 帮扶认定 block of a product page, a supplier's
page and the 帮扶专区 grouped by partner region and county.

Only what relief_sourcing.selectors calls current is shown: a certificate valid today, not revoked, of an
admitted supplier. A product without one shows nothing of it and never claims 认定, whatever its merchant is.
Every page reads a fixed number of queries however many products, suppliers or counties it shows.
"""

from dataclasses import dataclass, field
from datetime import date

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from catalog import pricing, selectors
from catalog.models import Channel, Product
from relief_sourcing import selectors as relief
from relief_sourcing.models import PartnerRegion, ProductBatch, ReliefCertification, ReliefSupplier
from storefront.display import ProductCard, product_cards
from storefront.listing import Link

FILTER_PROVINCE = "province"
FILTER_COUNTY = "county"


def supplier_url(supplier: ReliefSupplier) -> str:
    return reverse("storefront:supplier", kwargs={"slug": supplier.merchant.slug})


def relief_zone_url() -> str:
    return reverse("storefront:relief_zone")


def county_name(region: PartnerRegion) -> str:
    """省市县 as the official list names them, e.g. 云南省怒江傈僳族自治州泸水市."""
    return str(region)


# --- The product page's 帮扶认定 block ------------------------------------------------------
@dataclass(frozen=True)
class SupplierSummary:
    name: str
    url: str
    entity_type: str
    county: str


@dataclass(frozen=True)
class ReliefBlock:
    number: str
    certifying_body: str
    valid_from: date
    valid_to: date
    origin: str
    pairing_type: str
    supplier: SupplierSummary
    batch: ProductBatch | None


def supplier_summary(supplier: ReliefSupplier) -> SupplierSummary:
    return SupplierSummary(
        name=supplier.merchant.name,
        url=supplier_url(supplier),
        entity_type=supplier.get_entity_type_display(),
        county=county_name(supplier.region),
    )


def relief_block(product: Product) -> ReliefBlock | None:
    """The certificate in force today with its supplier and the latest batch: one query without a
    certificate, two with one."""
    certification: ReliefCertification | None = relief.current_certification(product)
    if certification is None:
        return None
    return ReliefBlock(
        number=certification.number,
        certifying_body=certification.certifying_body,
        valid_from=certification.valid_from,
        valid_to=certification.valid_to,
        origin=county_name(certification.origin),
        pairing_type=certification.origin.get_pairing_type_display(),
        supplier=supplier_summary(certification.supplier),
        batch=relief.current_batch(product),
    )


# --- The supplier page ----------------------------------------------------------------------
@dataclass
class SupplierPage:
    name: str
    entity_type: str
    county: str
    pairing_type: str
    story: str
    farmer_linkage: str
    households_linked: int | None
    recommended_by: str
    cards: list[ProductCard]
    breadcrumbs: list[Link] = field(default_factory=list)


def certified_products(channel: Channel | None, candidates, *, user=None) -> tuple[list[Product], dict]:
    """The visible products among `candidates` (product ids) that hold a current certificate, loaded for
    cards, and their certificates by product id."""
    if channel is None:
        return [], {}
    certifications = relief.current_certifications(candidates)
    if not certifications:
        return [], {}
    products = selectors.with_listing_data(
        selectors.visible_products(channel, user=user).filter(pk__in=list(certifications)).order_by("name", "pk"),
        channel,
        descriptions=False,
    )
    return list(products), certifications


def supplier_page(channel: Channel | None, slug: str, *, user=None) -> SupplierPage | None:
    """An admitted supplier with its certified products; None for an unknown, applied or suspended one."""
    supplier = relief.supplier_by_merchant_slug(slug)
    if supplier is None:
        return None
    candidates = (
        selectors.visible_products(channel, user=user).filter(merchant=supplier.merchant).values_list("pk", flat=True)
        if channel
        else []
    )
    products, _certifications = certified_products(channel, candidates, user=user)
    return SupplierPage(
        name=supplier.merchant.name,
        entity_type=supplier.get_entity_type_display(),
        county=county_name(supplier.region),
        pairing_type=supplier.region.get_pairing_type_display(),
        story=supplier.story or supplier.merchant.description,
        farmer_linkage=supplier.farmer_linkage,
        households_linked=supplier.households_linked,
        recommended_by=supplier.recommended_by,
        cards=product_cards(products, member=pricing.user_pays_member_price(user)),
        breadcrumbs=[
            Link("首页", reverse("storefront:home")),
            Link("帮扶专区", relief_zone_url()),
            Link(supplier.merchant.name, "", is_current=True),
        ],
    )


# --- 帮扶专区 ---------------------------------------------------------------------------------
@dataclass
class CountyGroup:
    code: str
    county: str
    full_name: str
    pairing_type: str
    suppliers: list[SupplierSummary]
    cards: list[ProductCard]


@dataclass
class RegionGroup:
    """A province and prefecture (e.g. 云南省 怒江傈僳族自治州) with its counties."""

    label: str
    counties: list[CountyGroup]


@dataclass
class ReliefZonePage:
    groups: list[RegionGroup]
    total: int
    province_links: list[Link]
    county_links: list[Link]
    is_filtered: bool
    breadcrumbs: list[Link]


def _chosen(query: QueryDict, regions: list[PartnerRegion]) -> tuple[str, str]:
    """(province, county code) asked for; a county names its province. Unknown values are kept, so the page
    says that nothing matches rather than silently showing everything."""
    province = (query.get(FILTER_PROVINCE) or "").strip()[:64]
    county = (query.get(FILTER_COUNTY) or "").strip()[:6]
    if county:
        province = next((region.province for region in regions if region.code == county), province)
    return province, county


def _filter_links(regions: list[PartnerRegion], province: str, county: str) -> tuple[list[Link], list[Link]]:
    provinces = list(dict.fromkeys(region.province for region in regions))
    province_links = [Link("全部地区", "?", is_current=not province and not county)] + [
        Link(name, "?" + urlencode({FILTER_PROVINCE: name}), is_current=name == province) for name in provinces
    ]
    county_links = [
        Link(region.county, f"?{FILTER_COUNTY}={region.code}", is_current=region.code == county)
        for region in regions
        if region.province == province
    ]
    return province_links, county_links


def relief_zone_page(channel: Channel | None, query: QueryDict, *, user=None) -> ReliefZonePage:
    """The certified products visible to `user`, grouped by partner region (province, prefecture) and origin
    county, each county with its admitted suppliers; `province` and `county` (GB/T 2260 code) narrow it.

    Five queries with products (candidates, certificates, products and their listing data, suppliers),
    whatever their number."""
    candidates = (
        selectors.visible_products(channel, user=user)
        .filter(merchant__relief_supplier__admission_status=relief.Approved)
        .values_list("pk", flat=True)
        if channel
        else []
    )
    products, certifications = certified_products(channel, candidates, user=user)
    regions = sorted({certifications[product.pk].origin for product in products}, key=lambda region: region.code)
    province, county = _chosen(query, regions)
    if county:
        products = [product for product in products if certifications[product.pk].origin.code == county]
    elif province:
        products = [product for product in products if certifications[product.pk].origin.province == province]
    shown = sorted({certifications[product.pk].origin for product in products}, key=lambda region: region.code)
    suppliers: dict[int, list[SupplierSummary]] = {region.pk: [] for region in shown}
    if shown:
        for supplier in (
            ReliefSupplier.objects.filter(region__in=shown, admission_status=relief.Approved, merchant__is_active=True)
            .select_related("merchant", "region")
            .order_by("merchant__name", "pk")
        ):
            suppliers[supplier.region_id].append(supplier_summary(supplier))
    member = pricing.user_pays_member_price(user)
    groups: dict[str, RegionGroup] = {}
    for region in shown:
        label = f"{region.province} {region.prefecture}".strip()
        group = groups.setdefault(label, RegionGroup(label=label, counties=[]))
        group.counties.append(
            CountyGroup(
                code=region.code,
                county=region.county,
                full_name=county_name(region),
                pairing_type=region.get_pairing_type_display(),
                suppliers=suppliers[region.pk],
                cards=product_cards(
                    [product for product in products if certifications[product.pk].origin_id == region.pk],
                    member=member,
                ),
            )
        )
    province_links, county_links = _filter_links(regions, province, county)
    return ReliefZonePage(
        groups=list(groups.values()),
        total=len(products),
        province_links=province_links,
        county_links=county_links,
        is_filtered=bool(province or county),
        breadcrumbs=[Link("首页", reverse("storefront:home")), Link("帮扶专区", "", is_current=True)],
    )

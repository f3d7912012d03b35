"""The filter and sort form of listing pages (category, collection, search): GET, never trusted."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

# The value in the address → (label, catalog.selectors sort field, descending). 综合 has no single field: it
# is the search rank (when searching) and then popularity, see storefront.listing.relevance_order.
RELEVANCE = "relevance"
SORTS = {
    RELEVANCE: (_("Relevance"), None, False),
    "name": (_("Name"), "NAME", False),
    "price": (_("Price ↑"), "PRICE", False),
    "-price": (_("Price ↓"), "PRICE", True),
    "newest": (_("Newest"), "CREATED_AT", True),
}
DEFAULT_SORT = RELEVANCE
MAX_PRICE = Decimal("9999999999.99")


class ListingForm(forms.Form):
    min_price = forms.DecimalField(
        label=_("Lowest price"),
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_PRICE,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "placeholder": _("Lowest")}),
    )
    max_price = forms.DecimalField(
        label=_("Highest price"),
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_PRICE,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "placeholder": _("Highest")}),
    )
    available = forms.BooleanField(label=_("Only in stock"), required=False)
    merchant = forms.ChoiceField(label=_("Merchant"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(value, label) for value, (label, _field, _descending) in SORTS.items()],
        widget=forms.HiddenInput,
    )

    def __init__(self, data, *, merchants=(), **kwargs):
        super().__init__(data, **kwargs)
        self.merchants = {merchant.slug: merchant for merchant in merchants}
        self.fields["merchant"].choices = [("", _("All merchants"))] + [
            (merchant.slug, merchant.name) for merchant in merchants
        ]
        if not merchants:
            del self.fields["merchant"]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The highest price must not be below the lowest price."))
        return cleaned

    def valid_value(self, name: str):
        """The cleaned value of one field, or None when it is missing or was refused."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None

    @property
    def sort_value(self) -> str:
        return self.valid_value("sort") or DEFAULT_SORT

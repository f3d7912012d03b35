"""checkout.calculations.split_allowance: which allowance pays which line. Pure, no database."""

from datetime import datetime, timedelta
from decimal import Decimal

from checkout.calculations import SpendableAllowance, split_allowance

SOON = datetime(2026, 10, 1)
LATER = SOON + timedelta(days=90)
RELIEF_PRODUCT, OTHER_PRODUCT = 1, 2
LINES = {"relief": Decimal("100.00"), "other": Decimal("100.00")}
PRODUCTS = {"relief": RELIEF_PRODUCT, "other": OTHER_PRODUCT}


def allowance(grant_id, balance, *, expires_at=SOON, products=None):
    return SpendableAllowance(
        grant_id=grant_id,
        balance=Decimal(balance),
        expires_at=expires_at,
        product_ids=frozenset(products) if products is not None else None,
    )


def test_an_unrestricted_allowance_expiring_first_leaves_the_relief_line_to_the_relief_allowance():
    # In expiry order the any-product allowance would take the first (relief) line and the
    # relief-only one would find nothing left it may pay for: ¥100 instead of ¥200.
    allowances = [
        allowance(1, "100.00", expires_at=SOON),
        allowance(2, "100.00", expires_at=LATER, products={RELIEF_PRODUCT}),
    ]

    by_line, by_grant = split_allowance(LINES, PRODUCTS, allowances, Decimal("1000.00"))

    assert by_grant == {1: Decimal("100.00"), 2: Decimal("100.00")}
    assert by_line == {"relief": Decimal("100.00"), "other": Decimal("100.00")}


def test_a_restricted_allowance_never_pays_a_line_outside_its_collection():
    allowances = [allowance(1, "500.00", products={RELIEF_PRODUCT})]

    by_line, by_grant = split_allowance(LINES, PRODUCTS, allowances, Decimal("1000.00"))

    assert by_line == {"relief": Decimal("100.00"), "other": Decimal("0.00")}
    assert by_grant == {1: Decimal("100.00")}


def test_within_the_limit_the_allowance_expiring_first_is_spent_first():
    allowances = [
        allowance(1, "100.00", expires_at=LATER),
        allowance(2, "100.00", expires_at=SOON),
    ]

    _, by_grant = split_allowance(LINES, PRODUCTS, allowances, Decimal("30.00"))

    assert by_grant == {2: Decimal("30.00")}


def test_the_split_never_exceeds_the_limit_a_balance_or_a_line_total():
    lines = {"a": Decimal("10.05"), "b": Decimal("3.10")}
    products = {"a": OTHER_PRODUCT, "b": RELIEF_PRODUCT}
    allowances = [allowance(1, "7.77"), allowance(2, "50.00", expires_at=LATER, products={RELIEF_PRODUCT})]

    by_line, by_grant = split_allowance(lines, products, allowances, Decimal("9.99"))
    assert sum(by_line.values()) == Decimal("9.99") == sum(by_grant.values())
    assert by_grant[1] <= Decimal("7.77")
    assert all(by_line[line] <= lines[line] for line in lines)

    # Asked for more than the allowances may pay: line a only from grant 1 (¥7.77), line b in full.
    by_line, by_grant = split_allowance(lines, products, allowances, Decimal("100.00"))
    assert by_line == {"a": Decimal("7.77"), "b": Decimal("3.10")}
    assert by_grant == {1: Decimal("7.77"), 2: Decimal("3.10")}


def test_relief_only_money_is_used_before_any_product_money_expiring_later():
    # ¥150 of goods, ¥150 asked: the relief line is paid from the relief allowance (it can pay
    # nothing else) and the any-product allowance covers only the rest, keeping its ¥50.
    lines = {"relief": Decimal("100.00"), "other": Decimal("50.00")}
    allowances = [
        allowance(1, "100.00", expires_at=LATER),
        allowance(2, "100.00", expires_at=SOON, products={RELIEF_PRODUCT}),
    ]

    by_line, by_grant = split_allowance(lines, PRODUCTS, allowances, Decimal("150.00"))

    assert by_grant == {2: Decimal("100.00"), 1: Decimal("50.00")}
    assert by_line == {"relief": Decimal("100.00"), "other": Decimal("50.00")}


def test_nothing_is_spent_without_a_limit_or_a_balance():
    assert split_allowance(LINES, PRODUCTS, [allowance(1, "100.00")], Decimal("0")) == (
        {"relief": Decimal("0.00"), "other": Decimal("0.00")},
        {},
    )
    assert split_allowance(LINES, PRODUCTS, [allowance(1, "0.00")], Decimal("50")) == (
        {"relief": Decimal("0.00"), "other": Decimal("0.00")},
        {},
    )

"""Fixtures of the transfer refund tests: the bulk delivery tests' paid bulk order (paid by bank transfer)."""

from tests.bulk_orders.delivery import conftest as delivery

tree, people, shop, draft = delivery.tree, delivery.people, delivery.shop, delivery.draft
fast_password_hashing, no_relief_minimum = delivery.fast_password_hashing, delivery.no_relief_minimum
shipper, paid = delivery.shipper, delivery.paid

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from mall.errors import PermissionDenied
from relief_sourcing import selectors, services
from relief_sourcing.errors import CertificationRevoked, NotReliefProduct, ProductNotOfSupplier
from relief_sourcing.models import ReliefCertification
from relief_sourcing.selectors import CertificationState, certification_state
from tests import factories
from tests.relief_sourcing.conftest import add_batch, certify, make_supplier, today


@pytest.fixture
def plum(channel, supplier):
    return factories.product(channel=channel, name="巫山脆李", merchant=supplier.merchant)


def test_a_certificate_covers_its_products_from_the_suppliers_county(operator, supplier, plum):
    certification = certify(operator, supplier, [plum])
    assert certification.origin == supplier.region
    assert selectors.current_certification(plum) == certification
    assert certification_state(certification) == CertificationState.VALID


def test_expiry_is_read_from_the_dates(operator, supplier, plum):
    expired = certify(
        operator, supplier, [plum], valid_from=today() - timedelta(days=400), valid_to=today() - timedelta(days=1)
    )
    assert certification_state(expired) == CertificationState.EXPIRED
    assert certification_state(expired, on=today() - timedelta(days=1)) == CertificationState.VALID
    assert selectors.current_certification(plum) is None


def test_a_certificate_covers_only_the_suppliers_own_products(operator, supplier, plum, channel, region):
    other = make_supplier(operator, region, name="另一家合作社")
    honey = factories.product(channel=channel, name="土蜂蜜", merchant=other.merchant)
    with pytest.raises(ProductNotOfSupplier) as refused:
        certify(operator, supplier, [plum, honey])
    assert "土蜂蜜" in refused.value.message
    assert not ReliefCertification.objects.exists()
    certification = certify(operator, supplier, [plum])
    with pytest.raises(ProductNotOfSupplier):
        services.add_certified_products(certification, user=operator, products=[honey])
    assert list(certification.products.all()) == [plum]


def test_products_are_added_and_removed(operator, supplier, plum, channel):
    certification = certify(operator, supplier, [])
    services.add_certified_products(certification, user=operator, products=[plum])
    assert selectors.current_certification(plum) == certification
    services.remove_certified_products(certification, user=operator, products=[plum])
    assert selectors.current_certification(plum) is None


def test_dates_must_be_in_order_and_numbers_unique(operator, supplier, plum):
    with pytest.raises(ValidationError) as refused:
        certify(operator, supplier, [plum], valid_from=today(), valid_to=today() - timedelta(days=1))
    assert "有效期止不能早于有效期起" in str(refused.value)
    certify(operator, supplier, [plum], number="CQ-1")
    with pytest.raises(ValidationError) as refused:
        certify(operator, supplier, [plum], number="CQ-1")
    assert refused.value.error_dict["number"][0].code == "unique"
    assert ReliefCertification.objects.count() == 1


def test_revoking_keeps_the_row_with_reason_and_ends_the_certificate(operator, supplier, plum):
    certification = certify(operator, supplier, [plum])
    with pytest.raises(ValidationError):
        services.revoke_certification(certification, user=operator, reason="")
    revoked = services.revoke_certification(certification, user=operator, reason="抽检农残超标")
    assert (revoked.status, revoked.revoked_reason, revoked.revoked_by) == ("REVOKED", "抽检农残超标", operator)
    assert certification_state(revoked) == CertificationState.REVOKED
    assert selectors.current_certification(plum) is None
    with pytest.raises(CertificationRevoked):
        services.update_certification(revoked, user=operator, certifying_body="别处")
    with pytest.raises(CertificationRevoked):
        services.revoke_certification(revoked, user=operator, reason="再次")


def test_a_suspended_suppliers_certificate_is_not_shown(operator, supplier, plum):
    certify(operator, supplier, [plum])
    services.suspend_supplier(supplier, user=operator, reason="暂停供货")
    assert selectors.current_certification(plum) is None


def test_only_relief_operators_certify(clerk, operator, supplier, plum):
    with pytest.raises(PermissionDenied):
        certify(clerk, supplier, [plum])
    certification = certify(operator, supplier, [plum])
    with pytest.raises(PermissionDenied):
        services.revoke_certification(certification, user=clerk, reason="x")
    certification.refresh_from_db()
    assert certification.status == "VALID"


def test_the_current_batch_is_the_latest_produced(operator, plum):
    add_batch(operator, plum, number="B-1", produced_on=today() - timedelta(days=20))
    latest = add_batch(operator, plum, number="B-2", produced_on=today() - timedelta(days=2))
    assert selectors.current_batch(plum) == latest


def test_a_batch_is_refused_for_other_merchants_and_for_impossible_dates(operator, plum, channel):
    stranger = factories.product(channel=channel, name="洗衣液")
    with pytest.raises(NotReliefProduct):
        add_batch(operator, stranger)
    with pytest.raises(ValidationError) as refused:
        add_batch(operator, plum, produced_on=today() + timedelta(days=1))
    assert "不能晚于今天" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        add_batch(operator, plum, certificate_issued_on=today() - timedelta(days=30))
    assert "合格证开具日期不能早于" in str(refused.value)
    add_batch(operator, plum, number="B-1")
    with pytest.raises(ValidationError):
        add_batch(operator, plum, number="B-1")
    assert plum.relief_batches.count() == 1

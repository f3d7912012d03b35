"""issue_allowance: who may issue, who may receive, how much and until when, once per submission."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from allowances import services
from allowances.errors import NotVerifiedMembers, YearlyLimitExceeded
from allowances.models import AllowanceEntry, AllowanceGrant
from allowances.selectors import allowance_balance
from mall.errors import AuthenticationRequired, DomainError, PermissionDenied
from tests.allowances.conftest import in_days, issue, make_members

pytestmark = pytest.mark.django_db


def test_each_member_gets_one_issue_entry_of_the_amount(operator, branch):
    members = make_members(3, branch=branch)

    grant = issue(operator, members + [members[0].pk], "300.00")

    entries = AllowanceEntry.objects.filter(grant=grant).order_by("user_id")
    assert [(entry.user_id, entry.type, entry.amount) for entry in entries] == [
        (member.pk, "ISSUE", Decimal("300.00")) for member in members
    ]
    assert (grant.reason, grant.amount, grant.issued_by, grant.currency) == (
        "中秋慰问",
        Decimal("300.00"),
        operator,
        "CNY",
    )
    assert allowance_balance(members[0]) == Decimal("300.00")


def test_issuing_needs_manage_allowances(member, staff_user):
    with pytest.raises(PermissionDenied):
        issue(staff_user, [member])
    with pytest.raises(AuthenticationRequired):
        issue(None, [member])
    assert not AllowanceGrant.objects.exists()


def test_only_verified_members_receive_and_nobody_does_if_one_is_not(operator, member, unverified_user):
    with pytest.raises(NotVerifiedMembers) as refused:
        issue(operator, [member, unverified_user])

    assert refused.value.users == [unverified_user]
    assert unverified_user.email in refused.value.message
    assert not AllowanceEntry.objects.exists() and not AllowanceGrant.objects.exists()


def test_an_inactive_member_does_not_receive(operator, member):
    member.is_active = False
    member.save(update_fields=["is_active"])
    with pytest.raises(NotVerifiedMembers):
        issue(operator, [member])


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("0", "INVALID"),
        ("-5", "INVALID"),
        ("10.005", "INVALID"),
        ("NaN", "INVALID"),
        ("abc", "INVALID"),
        ("", "REQUIRED"),
        ("2500.01", "AMOUNT_ABOVE_LIMIT"),
        ("1E+30", "AMOUNT_ABOVE_LIMIT"),
    ],
)
def test_a_bad_amount_is_refused_with_its_code(operator, member, amount, code):
    with pytest.raises(DomainError) as refused:
        services.issue_allowance(
            reason="中秋慰问", amount=amount, expires_at=in_days(30), members=[member], issued_by=operator
        )
    assert (refused.value.field, refused.value.code) == ("amount", code)
    assert not AllowanceGrant.objects.exists()


def test_two_decimal_places_and_the_cap_itself_are_accepted(operator, member, settings):
    settings.ALLOWANCE_MAX_PER_GRANT = Decimal("2500")
    assert issue(operator, [member], "2500.00").amount == Decimal("2500.00")
    assert issue(operator, make_members(1), "0.01").amount == Decimal("0.01")


def test_the_per_grant_cap_is_a_setting(operator, member, settings):
    settings.ALLOWANCE_MAX_PER_GRANT = Decimal("100")
    with pytest.raises(DomainError) as refused:
        issue(operator, [member], "100.01")
    assert refused.value.code == "AMOUNT_ABOVE_LIMIT"
    assert "100" in refused.value.message


def test_the_expiry_must_be_in_the_future(operator, member):
    for expires_at, code in ((timezone.now() - timedelta(seconds=1), "INVALID"), (None, "REQUIRED")):
        with pytest.raises(DomainError) as refused:
            services.issue_allowance(
                reason="中秋慰问", amount="10", expires_at=expires_at, members=[member], issued_by=operator
            )
        assert (refused.value.field, refused.value.code) == ("expires_at", code)


@pytest.mark.parametrize(("reason", "code"), [("", "REQUIRED"), ("  \u200b ", "REQUIRED"), ("慰" * 201, "INVALID")])
def test_a_reason_is_required_and_short(operator, member, reason, code):
    with pytest.raises(DomainError) as refused:
        issue(operator, [member], reason=reason)
    assert (refused.value.field, refused.value.code) == ("reason", code)


def test_no_members_or_unknown_members_are_refused(operator, member):
    with pytest.raises(DomainError) as refused:
        issue(operator, [])
    assert (refused.value.field, refused.value.code) == ("members", "REQUIRED")
    with pytest.raises(DomainError) as refused:
        issue(operator, [member.pk, 987654321])
    assert (refused.value.field, refused.value.code) == ("members", "NOT_FOUND")


def test_all_verified_members_of_a_branch(operator, branch):
    members = make_members(4, branch=branch)
    make_members(2, branch=branch, verified=False)
    make_members(3)  # in no branch

    grant = issue(operator, (), branch=branch, all_branch_members=True)

    assert set(AllowanceEntry.objects.filter(grant=grant).values_list("user_id", flat=True)) == {m.pk for m in members}
    assert grant.branch == branch


def test_all_branch_members_needs_a_branch_with_verified_members(operator, branch, member):
    with pytest.raises(DomainError) as refused:
        issue(operator, (), all_branch_members=True)
    assert (refused.value.field, refused.value.code) == ("branch", "REQUIRED")
    with pytest.raises(DomainError) as refused:
        issue(operator, [member], branch=branch, all_branch_members=True)
    assert (refused.value.field, refused.value.code) == ("members", "INVALID")


def submit(operator, members, amount="300.00", *, expires_at, **extra):
    return services.issue_allowance(
        reason="中秋慰问", amount=amount, expires_at=expires_at, members=members, issued_by=operator, **extra
    )


def test_the_same_idempotency_key_returns_the_first_grant(operator, member):
    expires_at = in_days(30)
    first = submit(operator, [member], expires_at=expires_at, idempotency_key="form-1")
    again = submit(operator, [member], expires_at=expires_at, idempotency_key="form-1")

    assert again.pk == first.pk
    assert AllowanceEntry.objects.count() == 1
    assert allowance_balance(member) == Decimal("300.00")


def test_an_idempotency_key_reused_for_something_else_is_refused(operator, member):
    expires_at = in_days(30)
    submit(operator, [member], "300.00", expires_at=expires_at, idempotency_key="form-1")
    with pytest.raises(DomainError) as refused:
        submit(operator, [member], "200.00", expires_at=expires_at, idempotency_key="form-1")
    assert (refused.value.field, refused.value.code) == ("idempotency_key", "UNIQUE")
    assert AllowanceGrant.objects.count() == 1


def test_the_yearly_cap_counts_every_grant_of_the_year(operator, member, settings):
    settings.ALLOWANCE_MAX_PER_MEMBER_YEAR = Decimal("2500")
    settings.ALLOWANCE_RELIEF_EXTRA_PER_MEMBER_YEAR = Decimal("600")
    issue(operator, [member], "2000.00", reason="春节慰问")

    with pytest.raises(YearlyLimitExceeded) as refused:
        issue(operator, [member], "500.01")
    assert refused.value.users == [member]
    assert "2500" in refused.value.message and member.email in refused.value.message

    issue(operator, [member], "500.00")
    assert allowance_balance(member) == Decimal("2500.00")


def test_relief_only_grants_may_use_the_extra_relief_allowance(operator, member, relief_collection, settings):
    settings.ALLOWANCE_MAX_PER_MEMBER_YEAR = Decimal("2500")
    settings.ALLOWANCE_RELIEF_EXTRA_PER_MEMBER_YEAR = Decimal("600")
    issue(operator, [member], "2500.00")

    issue(operator, [member], "600.00", reason="消费帮扶", collection=relief_collection)
    with pytest.raises(YearlyLimitExceeded):
        issue(operator, [member], "0.01", reason="消费帮扶", collection=relief_collection)
    assert allowance_balance(member) == Decimal("3100.00")


def test_the_relief_extra_never_lets_an_any_product_grant_past_the_general_cap(operator, member, relief_collection):
    issue(operator, [member], "600.00", reason="消费帮扶", collection=relief_collection)
    issue(operator, [member], "2500.00")  # the relief grant used the extra, not the general cap
    with pytest.raises(YearlyLimitExceeded):
        issue(operator, [member], "0.01")


def test_issuing_to_a_thousand_members_takes_as_many_queries_as_to_two(operator, branch):
    few, many = make_members(2, branch=branch), make_members(1000, branch=branch)
    issue(operator, make_members(1, branch=branch))  # the operator's permissions are read once, then cached

    with CaptureQueriesContext(connection) as for_few:
        issue(operator, few)
    with CaptureQueriesContext(connection) as for_many:
        grant = issue(operator, many)

    assert len(for_few) == len(for_many) == 11, "\n".join(query["sql"][:150] for query in for_many)
    assert AllowanceEntry.objects.filter(grant=grant).count() == 1000

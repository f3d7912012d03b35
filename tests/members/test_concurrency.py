"""Two operators deciding at the same moment, on real threads with their own database connections."""

import threading

import pytest
from django.db import connection

from mall.errors import DomainError
from members import services
from members.models import MemberProfile
from tests.members.conftest import ID_NUMBER

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls) -> list:
    """Start every call at once on its own thread; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the test inspects what each thread met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_operators_approving_at_once_verify_the_member_once(pending_profile, reviewer, second_reviewer):
    results = run_together(
        lambda: services.approve_verification(operator=reviewer, profile=pending_profile),
        lambda: services.approve_verification(operator=second_reviewer, profile=pending_profile),
    )

    approved = [result for result in results if isinstance(result, MemberProfile)]
    refused = [result for result in results if isinstance(result, DomainError)]
    assert (len(approved), [error.code for error in refused]) == (1, ["ALREADY_VERIFIED"])
    profile = MemberProfile.objects.get()
    assert profile.verification_status == MemberProfile.VerificationStatus.VERIFIED
    assert profile.verification_decided_by_id == approved[0].verification_decided_by_id


def test_approving_and_rejecting_at_once_leaves_exactly_one_decision(pending_profile, reviewer, second_reviewer):
    results = run_together(
        lambda: services.approve_verification(operator=reviewer, profile=pending_profile),
        lambda: services.reject_verification(operator=second_reviewer, profile=pending_profile, reason="信息不符"),
    )

    decided = [result for result in results if isinstance(result, MemberProfile)]
    assert len(decided) == 1
    assert [type(result) for result in results].count(DomainError) == 1
    assert MemberProfile.objects.get().verification_status == decided[0].verification_status


def test_two_accounts_with_one_number_approved_at_once_give_one_verified_member(
    pending_profile, reviewer, second_reviewer, other_user, branch
):
    second = services.request_verification(user=other_user, real_name="李晓梅", id_number=ID_NUMBER, branch=branch)
    results = run_together(
        lambda: services.approve_verification(operator=reviewer, profile=pending_profile),
        lambda: services.approve_verification(operator=second_reviewer, profile=second),
    )

    assert sorted(type(result).__name__ for result in results) == ["DuplicatedIdNumber", "MemberProfile"]
    assert MemberProfile.objects.filter(verification_status="verified").count() == 1

import pytest

from mall.errors import PermissionDenied
from members import selectors


def test_a_search_drops_invisible_characters_before_asking_the_database(reviewer, pending_profile):
    found = selectors.members_for_review(reviewer, search="晓\x00梅\u200b")
    assert list(found) == [pending_profile]


def test_the_review_list_needs_manage_users(member_user, pending_profile):
    with pytest.raises(PermissionDenied):
        selectors.members_for_review(member_user)


def test_a_member_sees_their_own_profile_and_nobody_elses(member_user, other_user, reviewer, pending_profile):
    assert selectors.member_visible_to(member_user, member_user) == pending_profile
    assert selectors.member_visible_to(other_user, member_user) is None
    assert selectors.member_visible_to(reviewer, member_user) == pending_profile

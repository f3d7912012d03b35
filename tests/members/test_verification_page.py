"""The member's verification page /account/verification/ with the test client."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from members import services
from members.models import MemberProfile
from tests.members.conftest import ID_NUMBER
from tests.storefront.html import texts

URL = "/account/verification/"


@pytest.fixture
def member_client(member_user):
    client = Client()
    client.force_login(member_user)
    return client


def form_data(union, **overrides) -> dict:
    return {"real_name": "李晓梅", "id_number": ID_NUMBER, "branch": union.pk, **overrides}


def test_the_page_is_at_account_verification():
    assert reverse("storefront:member_verification") == URL


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    login = reverse(settings.LOGIN_URL)
    response = client.get(URL)
    assert (response.status_code, response.url) == (302, f"{login}?next={URL}")


def test_an_unverified_member_sees_the_status_the_form_and_what_member_prices_are(member_client, branch):
    response = member_client.get(URL)
    assert response.status_code == 200
    assert texts(response, "status-badge") == ["未认证"]
    assert "会员价是工会为职工会员争取的优惠价格" in response.content.decode()
    assert [option for option in texts(response, "verification-form") if "测试区第一联合工会" in option]
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_a_bad_id_number_shows_a_chinese_error_under_the_field_and_saves_nothing(member_client, branch):
    response = member_client.post(URL, form_data(branch, id_number="44030519880612"))
    assert response.status_code == 400
    assert texts(response, "form-field__error") == ["身份证号码应为 18 位，您填写的是 14 位，请核对。"]
    assert not MemberProfile.objects.filter(verification_status="pending").exists()


def test_an_empty_form_shows_what_is_required(member_client, branch):
    response = member_client.post(URL, {"real_name": "", "id_number": "", "branch": ""})
    assert response.status_code == 400
    # The service checks the name first and stops there, as the API does.
    assert texts(response, "form-field__error") == ["请填写与身份证一致的真实姓名。"]


def test_an_unknown_union_is_refused_in_chinese(member_client, branch):
    response = member_client.post(URL, form_data(branch, branch=branch.pk + 99))
    assert texts(response, "form-field__error") == ["请从列表中选择您所在的基层工会。"]


def test_submitting_the_form_shows_the_request_under_review(member_client, branch):
    response = member_client.post(URL, form_data(branch), follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert texts(response, "status-badge") == ["审核中"]
    assert texts(response, "verification__message") == ["已提交实名认证申请，我们会尽快审核。"]
    page = response.content.decode()
    assert "4403**********1220" in page and ID_NUMBER not in page
    assert "verification-form" not in page
    assert MemberProfile.objects.get().verification_status == "pending"


def test_a_rejected_member_sees_the_reason_and_the_form_again(member_client, pending_profile, reviewer):
    services.reject_verification(operator=reviewer, profile=pending_profile, reason="姓名与身份证不一致")
    response = member_client.get(URL)
    assert texts(response, "status-badge") == ["未通过"]
    assert texts(response, "verification__reason") == ["原因：姓名与身份证不一致"]
    assert texts(response, "verification__heading")[1] == "重新提交认证"


def test_a_verified_member_sees_their_number_and_no_form(member_client, pending_profile, reviewer):
    services.approve_verification(operator=reviewer, profile=pending_profile)
    response = member_client.get(URL)
    assert texts(response, "status-badge") == ["已认证"]
    assert pending_profile.number in response.content.decode()
    assert "verification-form" not in response.content.decode()


def test_posting_while_under_review_changes_nothing(member_client, pending_profile, branch):
    response = member_client.post(URL, form_data(branch, real_name="别人"))
    assert response.status_code == 302
    assert MemberProfile.objects.get().real_name == "李晓梅"


def test_the_form_is_protected_against_cross_site_posts(member_user, branch):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member_user)
    response = client.post(URL, form_data(branch))
    assert response.status_code == 403
    assert not MemberProfile.objects.filter(verification_status="pending").exists()


def test_the_page_uses_tap_targets_of_44px_and_text_of_at_least_14px():
    css = Path(finders.find("storefront/css/member-verification.css")).read_text(encoding="utf-8")
    assert "min-height: 44px" in css
    sizes = [int(size) for size in re.findall(r"font-size: (\d+)px", css)]
    assert sizes and min(sizes) >= 14

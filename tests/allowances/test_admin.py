"""The admin: operators issue grants through the service; the ledger is read-only there."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from allowances.models import AllowanceEntry, AllowanceGrant
from tests.allowances.conftest import in_days, issue, make_members

pytestmark = pytest.mark.django_db

ADD = reverse("admin:allowances_allowancegrant_add")
GRANTS = reverse("admin:allowances_allowancegrant_changelist")
ENTRIES = reverse("admin:allowances_allowanceentry_changelist")


@pytest.fixture
def admin(operator):
    client = Client()
    client.force_login(operator)
    return client


def form_data(**fields):
    expires = timezone.localtime(in_days(30))
    return {
        "reason": "中秋慰问",
        "amount": "300.00",
        "expires_at_0": expires.strftime("%Y-%m-%d"),
        "expires_at_1": expires.strftime("%H:%M:%S"),
        "collection": "",
        "branch": "",
        "submission_key": "admin-form-1",
        **fields,
    }


def test_the_add_form_offers_verified_members_only(admin, member, unverified_user):
    page = admin.get(ADD).content.decode()
    assert member.email in page
    assert unverified_user.email not in page
    assert 'name="submission_key"' in page


def test_an_operator_issues_to_picked_members(admin, operator, member, branch):
    other = make_members(1, branch=branch)[0]

    response = admin.post(ADD, form_data(members=[member.pk, other.pk]))

    assert response.status_code == 302, response.context["adminform"].form.errors
    grant = AllowanceGrant.objects.get()
    assert (grant.reason, grant.amount, grant.issued_by) == ("中秋慰问", Decimal("300.00"), operator)
    assert set(AllowanceEntry.objects.values_list("user_id", flat=True)) == {member.pk, other.pk}


def test_an_operator_issues_to_a_whole_branch(admin, branch):
    members = make_members(3, branch=branch)

    response = admin.post(ADD, form_data(branch=branch.pk, all_branch_members="on"))

    assert response.status_code == 302
    assert set(AllowanceEntry.objects.values_list("user_id", flat=True)) == {m.pk for m in members}


def test_a_double_submit_issues_once(admin, member):
    admin.post(ADD, form_data(members=[member.pk]))
    admin.post(ADD, form_data(members=[member.pk]))
    assert AllowanceGrant.objects.count() == 1 and AllowanceEntry.objects.count() == 1


def test_what_the_service_refuses_is_shown_on_the_form_and_nothing_is_issued(admin, member):
    past = timezone.localtime(timezone.now() - timezone.timedelta(days=1))
    response = admin.post(ADD, form_data(members=[member.pk], expires_at_0=past.strftime("%Y-%m-%d"), amount="9999.00"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "每人额度不能超过" in str(errors["amount"])
    assert not AllowanceGrant.objects.exists() and not AllowanceEntry.objects.exists()

    response = admin.post(ADD, form_data(members=[]))
    assert "请选择发放对象" in str(response.context["adminform"].form.errors)


def test_grants_are_listed_with_member_counts_and_cannot_be_changed_or_deleted(admin, operator, member):
    grant = issue(operator, [member])

    page = admin.get(GRANTS).content.decode()
    assert "中秋慰问" in page and "全场通用" in page
    change = admin.get(reverse("admin:allowances_allowancegrant_change", args=[grant.pk])).content.decode()
    assert 'name="reason"' not in change and 'name="_save"' not in change
    assert admin.get(reverse("admin:allowances_allowancegrant_delete", args=[grant.pk])).status_code == 403
    assert 'value="delete_selected"' not in page


def test_the_ledger_is_read_only_with_filters(admin, operator, member):
    issue(operator, [member])
    entry = AllowanceEntry.objects.get()

    page = admin.get(ENTRIES, {"type__exact": "ISSUE"})
    assert list(page.context["cl"].result_list) == [entry]
    assert list(admin.get(ENTRIES, {"type__exact": "SPEND"}).context["cl"].result_list) == []
    assert list(admin.get(ENTRIES, {"q": member.email}).context["cl"].result_list) == [entry]
    html = page.content.decode()
    assert 'value="delete_selected"' not in html
    assert reverse("admin:allowances_allowanceentry_add") not in html
    assert admin.get(reverse("admin:allowances_allowanceentry_add")).status_code == 403
    assert admin.get(reverse("admin:allowances_allowanceentry_delete", args=[entry.pk])).status_code == 403
    change = admin.post(reverse("admin:allowances_allowanceentry_change", args=[entry.pk]), {"amount": "1"})
    assert change.status_code == 403
    response = admin.post(ENTRIES, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    assert AllowanceEntry.objects.get().amount == Decimal("300.00")


def test_staff_without_manage_allowances_cannot_open_the_pages(staff_user):
    client = Client()
    client.force_login(staff_user)
    for url in (ADD, GRANTS, ENTRIES):
        assert client.get(url).status_code == 403

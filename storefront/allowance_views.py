"""福利额度 (welfare allowances) in 我的: the member's balance, each grant with what is left of it, and the ledger.

Read-only: allowances are issued by the union and spent at checkout, never here; reads come from
allowances.selectors, the same ones the API's `me { allowances }` uses.
"""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from allowances.selectors import allowance_balance, allowance_entries, member_grants
from members.selectors import is_verified_member

ENTRIES_PER_PAGE = 30
# A grant ending this soon is marked 即将到期, so the member spends it in time.
EXPIRING_SOON = timedelta(days=7)


@login_required
def allowances(request):
    user, now = request.user, timezone.now()
    grants = member_grants(user, now=now)
    history = Paginator(allowance_entries(user), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "balance": allowance_balance(user, now=now),
        "grants": grants,
        "expiring_before": now + EXPIRING_SOON,
        "history": history,
        "is_verified_member": is_verified_member(user),
        "member_verification_url": reverse("storefront:member_verification"),
    }
    return render(request, "storefront/account/allowances.html", context)

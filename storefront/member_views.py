"""The member's real-name verification page (/account/verification/): status, form and what it brings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from mall.errors import DomainError
from members import selectors, services
from members.forms import VerificationRequestForm
from members.models import MemberProfile

# Who sees the form: nobody has decided yet, or the decision was a rejection.
FORM_STATUSES = {None, MemberProfile.VerificationStatus.UNVERIFIED, MemberProfile.VerificationStatus.REJECTED}


@sensitive_post_parameters("id_number")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_verification(request):
    profile = selectors.member_profile_with_branch(request.user)
    status = profile.verification_status if profile else None
    form = None
    if status in FORM_STATUSES:
        form = VerificationRequestForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid() and _submitted(request, form):
            messages.success(request, "已提交实名认证申请，我们会尽快审核。")
            return redirect("storefront:member_verification")
    elif request.method == "POST":
        return redirect("storefront:member_verification")
    return render(
        request,
        "storefront/account/verification.html",
        {"profile": profile, "status": status or MemberProfile.VerificationStatus.UNVERIFIED, "form": form},
        status=400 if form is not None and form.is_bound else 200,
    )


def _submitted(request, form: VerificationRequestForm) -> bool:
    """Ask the service; its refusal becomes an error on the field it concerns."""
    data = form.cleaned_data
    try:
        services.request_verification(
            user=request.user, real_name=data["real_name"], id_number=data["id_number"], branch=data["branch"]
        )
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return False
    return True

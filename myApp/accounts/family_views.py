"""The Family page: a child makes a pairing code and decides what each parent sees; a parent
enters a code or creates a child's account, and sees their children."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from myApp.accounts import selectors, services
from myApp.accounts.forms import ChildAccountForm, PairingCodeForm
from myApp.accounts.throttling import PairingAddressThrottle, PairingUserThrottle, RegisterRateThrottle
from myApp.lib.exceptions import ServiceError
from myApp.lib.forms import add_service_errors
from myApp.lib.selectors import owned_by
from myApp.lib.throttling import throttled_page


def _refused_throttle(request, *throttles):
    return throttled_page(request, *throttles, back_url=reverse("accounts:family"), back_label="Back to Family")


def _family_page(request, *, status: int = 200, new_code: str = "", code_form=None, child_form=None):
    user = request.user
    parents, children = selectors.family_links(user=user)
    context = {
        "parents": parents,
        "children": children,
        "open_code": selectors.pairing_code_open(child=user),
        "new_code": new_code,
        "is_parent": services.may_link_children(user),
        "code_form": code_form or PairingCodeForm(),
        "child_form": child_form or ChildAccountForm(),
    }
    return render(request, "accounts/family.html", context, status=status)


# The new code rides in the session across one redirect, so reloading the page never makes another one.
NEW_CODE_SESSION_KEY = "family:new_pairing_code"


@login_required
@require_GET
def family(request):
    """Shows a code just made exactly once (it is stored only as a hash)."""
    return _family_page(request, new_code=request.session.pop(NEW_CODE_SESSION_KEY, ""))


@login_required
@require_POST
def family_code_create(request):
    _, code = services.pairing_code_create(child=request.user)
    request.session[NEW_CODE_SESSION_KEY] = code
    return redirect("accounts:family")


def _submit(request, form, form_name: str, act, success_message) -> HttpResponse:
    """A Family form posted: on valid input call the service, then say what happened (or show why not)."""
    if not form.is_valid():
        return _family_page(request, status=400, **{form_name: form})
    try:
        link = act(form.cleaned_data)
    except ServiceError as error:
        add_service_errors(form, error)
        return _family_page(request, status=error.status_code, **{form_name: form})
    messages.success(request, success_message(link))
    return redirect("accounts:family")


@login_required
@require_POST
def family_link(request):
    refused = _refused_throttle(request, PairingUserThrottle(), PairingAddressThrottle())
    return refused or _submit(
        request,
        PairingCodeForm(request.POST),
        "code_form",
        lambda data: services.pairing_code_redeem(parent=request.user, code=data["code"]),
        lambda link: f"You are now linked to {link.child.username}.",
    )


@login_required
@require_POST
def family_child_create(request):
    refused = _refused_throttle(request, RegisterRateThrottle())
    return refused or _submit(
        request,
        ChildAccountForm(request.POST),
        "child_form",
        lambda data: services.child_account_create(
            parent=request.user, username=data["username"], password=data["password1"]
        ),
        lambda link: f"Account {link.child.username} is ready and linked to you.",
    )


@login_required
@require_POST
def family_consent(request, link_id: int):
    """The child turns sharing with one parent on (``share=on``) or off."""
    links = owned_by(selectors.child_links(), user=request.user, owner_fields=selectors.CHILD_LINK_OWNERS)
    link = get_object_or_404(links, pk=link_id)
    share = request.POST.get("share") == "on"
    try:
        services.child_consent_set(link=link, by=request.user, share=share)
    except ServiceError as error:
        messages.error(request, error.detail)
        return _family_page(request, status=error.status_code)
    verb = "now sees" if share else "no longer sees"
    messages.success(request, f"{link.parent.username} {verb} your quest progress.")
    return redirect("accounts:family")

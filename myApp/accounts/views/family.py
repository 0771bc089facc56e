"""The Family links page: a child makes a pairing code and decides what each parent sees; a parent
enters a code or creates a child's account, and sees their children (and, with the child's
consent, their learning progress here and their wellbeing report at ``chat:report_user``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from myApp.accounts import selectors, services
from myApp.accounts.forms import ChildAccountForm, PairingCodeForm
from myApp.accounts.throttling import PairingAddressThrottle, PairingUserThrottle, RegisterRateThrottle
from myApp.curriculum import selectors as curriculum_selectors
from myApp.lib import access
from myApp.lib.exceptions import ServiceError
from myApp.lib.forms import add_service_errors
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
        "shared_with_parent": SHARED_WITH_PARENT,
    }
    return render(request, "accounts/family.html", context, status=status)


# What a child's consent shares with a parent (``myApp.accounts.relationships``), in the page's words.
# What a child's consent shows their parent (lib.access: the kinds accounts.relationships grants with consent).
SHARED_WITH_PARENT = "your learning progress, wellbeing report and quest progress"

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
    link = get_object_or_404(selectors.child_links_owned_by(user=request.user), pk=link_id)
    share = request.POST.get("share") == "on"
    try:
        services.child_consent_set(link=link, by=request.user, share=share)
    except ServiceError as error:
        messages.error(request, error.detail)
        return _family_page(request, status=error.status_code)
    verb = "now sees" if share else "no longer sees"
    messages.success(request, f"{link.parent.username} {verb} {SHARED_WITH_PARENT}.")
    return redirect("accounts:family")


@login_required
@require_GET
def child_progress(request, child_id: int):
    """A child's learning progress, for a parent the child shares it with (404 for anyone else)."""
    seen = access.subject_visible_to(
        viewer=request.user, subject_id=child_id, what=access.LEARNING_PROGRESS, where=request.path
    )
    context = {
        "child": seen.subject,
        "is_own": seen.is_own,
        "progress": curriculum_selectors.learning_progress(user=seen.subject),
    }
    return render(request, "accounts/child_progress.html", context)

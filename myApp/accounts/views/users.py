"""Account pages: sign-up, login, logout, onboarding and the home page."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from myApp.accounts import selectors, services
from myApp.accounts.forms import OnboardingForm, SignupForm
from myApp.accounts.throttling import LoginRateThrottle, RegisterRateThrottle
from myApp.curriculum import selectors as curriculum_selectors
from myApp.lib.exceptions import ServiceError
from myApp.lib.forms import add_service_errors
from myApp.lib.throttling import throttled_page
from myApp.quests import selectors as quest_selectors
from myApp.quests import services as quest_services
from myApp.quests.daily_rules import LearnerZone
from myApp.quests.selectors import daily as daily_quest_selectors


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if refused := throttled_page(request, RegisterRateThrottle()):
            return refused
        if form.is_valid():
            try:
                user = services.user_register(
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    role=form.cleaned_data["role"],
                    source="web",
                )
            except ServiceError as error:
                add_service_errors(form, error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("accounts:onboarding")
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if refused := throttled_page(request, LoginRateThrottle()):
            return refused
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.login_record(user=form.get_user(), source="web")
        messages.success(self.request, f"You are logged in as {form.get_user().get_username()}.")
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:  # recorded before Django's logout forgets who it was
            services.logout_record(user=request.user, source="web", scope="session")
        response = super().post(request, *args, **kwargs)
        # Said after the session is flushed, so the message outlives it: the log-in page alone left it unclear
        # whether the log-out had worked.
        messages.success(request, "You are logged out.")
        return response


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request):
    profile = selectors.profile_for(user=request.user)  # a GET reads; the service writes on POST
    form = OnboardingForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_complete_onboarding(user=request.user, persona=form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:home")
    return render(request, "accounts/onboarding.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD"])
def home(request):
    """The learner's dashboard: balance, the path of levels and modules, the places to practise.

    Reading it writes nothing: the first module is open to everyone without a row (its row is
    written on the learner's first lesson start), and the A/B variant is drawn when the
    profile is created.
    """
    profile = selectors.profile_for(user=request.user)
    dashboard = curriculum_selectors.home_dashboard(user=request.user)
    daily = daily_quest_selectors.daily_dashboard(user=request.user, zone=LearnerZone.of(profile))
    # A psychologist's work is the review queue: home says how many quests wait (one COUNT, for them only).
    awaiting = (
        quest_selectors.quests_awaiting_review().count() if quest_services.is_psychologist(request.user) else None
    )
    context = {"profile": profile, "dashboard": dashboard, "daily": daily, "awaiting_reviews": awaiting}
    return render(request, "accounts/home.html", context)

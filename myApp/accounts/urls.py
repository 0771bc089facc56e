from django.urls import path

from myApp.accounts import family_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("onboarding/", views.onboarding, name="onboarding"),
    path("family/", family_views.family, name="family"),
    path("family/code/", family_views.family_code_create, name="family_code"),
    path("family/link/", family_views.family_link, name="family_link"),
    path("family/new-child/", family_views.family_child_create, name="family_new_child"),
    path("family/links/<int:link_id>/consent/", family_views.family_consent, name="family_consent"),
    path("family/children/<int:child_id>/progress/", family_views.child_progress, name="child_progress"),
]

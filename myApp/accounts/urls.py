from django.urls import path

from myApp.accounts.views import data_rights, family, users

app_name = "accounts"

urlpatterns = [
    path("", users.home, name="home"),
    path("signup/", users.signup, name="signup"),
    path("login/", users.LoginView.as_view(), name="login"),
    path("logout/", users.LogoutView.as_view(), name="logout"),
    path("onboarding/", users.onboarding, name="onboarding"),
    path("my-data/export/", data_rights.export, name="export"),
    path("my-data/erase/", data_rights.erase, name="erase"),
    path("family/", family.family, name="family"),
    path("family/code/", family.family_code_create, name="family_code"),
    path("family/link/", family.family_link, name="family_link"),
    path("family/new-child/", family.family_child_create, name="family_new_child"),
    path("family/links/<int:link_id>/consent/", family.family_consent, name="family_consent"),
    path("family/children/<int:child_id>/progress/", family.child_progress, name="child_progress"),
]

from django.urls import path

from myApp.accounts import api
from myApp.accounts.api import data_rights

urlpatterns = [
    path("auth/register/", api.RegisterView.as_view(), name="api-register"),
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("auth/logout/", api.LogoutView.as_view(), name="api-logout"),
    path("auth/logout-everywhere/", api.LogoutEverywhereView.as_view(), name="api-logout-everywhere"),
    path("me/", api.MeView.as_view(), name="api-me"),
    path("me/export", data_rights.ExportView.as_view(), name="api-me-export"),
    path("me/erase", data_rights.EraseView.as_view(), name="api-me-erase"),
]

"""Account pages under /accounts/."""

from django.urls import include, path

from photos import accounts

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("settings/", accounts.account_settings, name="account-settings"),
    path("", include("django.contrib.auth.urls")),
]

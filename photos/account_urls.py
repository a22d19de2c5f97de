"""Account pages under /accounts/."""

from django.urls import include, path

from photos import accounts

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("login/", accounts.login_view, name="login"),
    path("password_reset/", accounts.password_reset, name="password_reset"),
    path("settings/", accounts.account_settings, name="account-settings"),
    path("", include("django.contrib.auth.urls")),
]

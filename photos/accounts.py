"""Sign-up, settings, and the API token: the account pages Django does not ship."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken

from config.ratelimit import ApiThrottle, LoginThrottle, address_key, limit, login_form_key
from photos import forms, services
from photos.selectors import profile_of

# Django's own account views, each behind its rate limit (BROUETTE_RATE_*).
login_view = limit("login", login_form_key)(auth_views.LoginView.as_view())
password_reset = limit("password_reset", address_key)(auth_views.PasswordResetView.as_view())


@require_http_methods(["GET", "POST"])
@limit("signup", address_key)
def signup(request):
    """Create an account and sign the new person in."""
    if request.user.is_authenticated:
        return redirect("home")
    form = forms.SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_signup(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to Brouette, {user.username}!")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    """Let a person edit their display name, bio and defaults."""
    profile = profile_of(request.user)
    form = forms.ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_update(profile=profile, **form.cleaned_data)
        messages.success(request, "Your settings are saved.")
        return redirect("account-settings")
    return render(request, "registration/settings.html", {"form": form})


@extend_schema(
    request=inline_serializer(
        "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
    ),
    responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
)
class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token."""

    throttle_classes = [ApiThrottle, LoginThrottle]  # a log-in by password, counted as one

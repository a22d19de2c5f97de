"""Rate limits on log-in, sign-up, password reset, uploads and the API (django-ratelimit).

One counter store serves every gunicorn worker: ``config.cache.FileCache`` under the var
dir (no server to run), whose ``add`` and ``incr`` are atomic across processes. Rates are
read from ``settings.BROUETTE_RATES`` when a request arrives, so ``override_settings``
works. Web pages answer 429 with a page (or JSON for the upload page's script); the API
answers 429 with the contract's error document, through DRF throttles built on the same
counters. Both carry a ``Retry-After`` header.
"""

from __future__ import annotations

import ipaddress
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle

MESSAGES = {
    "login": "Too many log-in attempts for this account from your address.",
    "signup": "Too many new accounts from your address.",
    "password_reset": "Too many password reset requests from your address.",
    "upload": "You have uploaded too many files in a short time.",
    "api_anon": "Too many API requests from your address.",
    "api_user": "Too many API requests from your account.",
}


def client_ip(request) -> str:
    """Return the client's address: the proxy's last X-Forwarded-For hop when behind one."""
    if settings.SECURE_PROXY_SSL_HEADER:  # BROUETTE_BEHIND_PROXY: the proxy appends the client
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return _network(hops[-1])
    return _network(request.META.get("REMOTE_ADDR") or "")


def _network(address: str) -> str:
    """Return an IPv6 address's /64 (one household or server holds a whole one)."""
    if ":" not in address:
        return address
    try:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    except ValueError:
        return address


def _rate(group: str, request=None) -> str:
    return settings.BROUETTE_RATES[group]


def hit(request, group: str, value: str) -> int | None:
    """Count one request against ``group`` for ``value``; return seconds to wait, or None."""
    usage = get_usage(request, group=group, key=lambda _g, _r: value, rate=_rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, usage["time_left"])


def wait_words(seconds: int) -> str:
    """Return a wait as a person says it ("30 seconds", "about 4 minutes")."""
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"about {minutes} minutes"
    return f"about {round(seconds / 3600)} hours"


def message(group: str, wait: int) -> str:
    """Return the sentence a limited person reads."""
    return f"{MESSAGES[group]} Please try again in {wait_words(wait)}."


def too_many_requests(request, group: str, wait: int):
    """Answer 429: JSON for scripts and /api/, a readable page otherwise."""
    # Imported here: config.api loads DRF's views, whose settings load this module's throttle,
    # so a top-level import is circular whenever config.api is imported first (system checks).
    from config.api import error_body

    text = message(group, wait)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if wants_json or request.path.startswith("/api/"):
        response = JsonResponse(error_body("rate_limited", text), status=429)
    else:
        response = render(request, "429.html", {"message": text}, status=429)
    response["Retry-After"] = str(wait)
    return response


# --- Keys: who shares a counter -------------------------------------------------


def login_key(request, username: str) -> str:
    """Guesses at one account from one address share a counter; other people keep theirs."""
    return f"{client_ip(request)}|{username.strip().lower()}"


def person_key(request) -> str:
    """A signed-in person's own counter, else their address's."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


# --- Web views --------------------------------------------------------------------


def limit(group: str, key):
    """Limit POSTs to a view; ``key(request)`` names whose counter a request counts on."""

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if request.method == "POST":
                wait = hit(request, group, key(request))
                if wait is not None:
                    return too_many_requests(request, group, wait)
            return view(request, *args, **kwargs)

        return limited

    return decorator


def login_form_key(request) -> str:
    return login_key(request, request.POST.get("username", ""))


def address_key(request) -> str:
    return f"ip:{client_ip(request)}"


# --- API throttles (DRF) ----------------------------------------------------------


class _CounterThrottle(BaseThrottle):
    """A DRF throttle on django-ratelimit's counters; 429s carry the group's sentence."""

    wait_seconds: int | None = None

    def counter(self, request, view) -> tuple[str, str] | None:
        """Return (group, key) for a request to count, or None to let it through."""
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        found = self.counter(request, view)
        if found is None:
            return True
        group, value = found
        self.wait_seconds = hit(request, group, value)
        if self.wait_seconds is None:
            return True
        request.rate_limit_message = message(group, self.wait_seconds)
        return False

    def wait(self) -> int | None:
        return self.wait_seconds


class ApiThrottle(_CounterThrottle):
    """Every API request: per account when signed in, per address otherwise."""

    def counter(self, request, view):
        if request.user and request.user.is_authenticated:
            return "api_user", f"user:{request.user.pk}"
        return "api_anon", f"ip:{client_ip(request)}"


class UploadThrottle(_CounterThrottle):
    """Uploads through the API share the upload page's counter."""

    def counter(self, request, view):
        if request.method != "POST" or getattr(view, "action", "create") != "create":
            return None
        return "upload", person_key(request)


class LoginThrottle(_CounterThrottle):
    """Token requests are log-ins: they share the log-in page's counter."""

    def counter(self, request, view):
        if request.method != "POST":
            return None
        username = request.data.get("username", "") if hasattr(request.data, "get") else ""
        return "login", login_key(request, str(username))

"""Refuse NUL characters in addresses before any view reads them.

No Brouette address, tag, username or search uses a NUL, and PostgreSQL refuses one in any text
it is asked to compare ("PostgreSQL text fields cannot contain NUL (0x00) bytes"), so a view that
passes a query parameter or path segment to the database would answer 500. Forms and DRF
serializers already refuse NULs in the fields they validate; this covers what views read straight
from the URL. A NUL in the path is an address where nothing is (404); in the query, invalid
input (400).
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse

from config.api import error_body
from config.views import not_found

MESSAGE = "The address contains a NUL character, which nothing here uses."
PARAM_MESSAGE = "may not contain NUL characters."


def refuse_nul(get_response):
    """Answer 404 for a NUL in the path and 400 for one in the query string."""

    def middleware(request):
        if "\x00" in request.path:
            return not_found(request)
        name = _parameter_with_nul(request)
        if name is not None:
            return _bad_request(request, name)
        return get_response(request)

    return middleware


def _parameter_with_nul(request) -> str | None:
    """Return the name of the first query parameter holding a NUL (in its name or value)."""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key
    return None


def _bad_request(request, name: str):
    clean = name.replace("\x00", "")
    if not clean or clean != name:
        message, fields = MESSAGE, None
    else:
        message, fields = f"{name}: {name} {PARAM_MESSAGE}", {name: [f"{name} {PARAM_MESSAGE}"]}
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("invalid", message, fields), status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

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


def refuse_nul(get_response):
    """Answer 404 for a NUL in the path and 400 for one in the query string."""

    def middleware(request):
        if "\x00" in request.path:
            return not_found(request)
        if _query_has_nul(request):
            return _bad_request(request)
        return get_response(request)

    return middleware


def _query_has_nul(request) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


def _bad_request(request):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("invalid", MESSAGE), status=400)
    return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")

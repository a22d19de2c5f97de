"""API plumbing shared by every app: the error shape, pagination, JSON 404/500."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_type",
    exceptions.Throttled: "rate_limited",
    exceptions.ParseError: "malformed_request",
    exceptions.ValidationError: "invalid",
}


class ApiError(exceptions.APIException):
    """An API error with its own status, machine code and sentence."""

    def __init__(self, message: str, *, code: str, status_code: int) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code


def int_or_404(value) -> int:
    """Return a numeric id from a URL, or 404 for anything else (never a 500 on /x/abc/)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    """Return the contract's error document."""
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def exception_handler(exc, context):
    """Turn every API exception into the contract's error shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found, or not visible to you.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        body = error_body("invalid", _validation_message(fields), fields)
    elif isinstance(exc, exceptions.Throttled):  # DRF has already set Retry-After
        body = error_body("rate_limited", _throttled_message(exc, context))
    else:
        code = getattr(exc, "error_code", None) or _code_for(exc)
        body = error_body(code, _sentence(exc.detail))
    response.data = body
    return response


def _throttled_message(exc: exceptions.Throttled, context) -> str:
    """Return the rate limit's own sentence (config.ratelimit), or a general one."""
    message = getattr(context.get("request"), "rate_limit_message", None)
    if message:
        return message
    wait = f" in {exc.wait:.0f} seconds" if exc.wait else " later"
    return f"Too many requests. Please try again{wait}."


def _code_for(exc: exceptions.APIException) -> str:
    """Return the machine code for a DRF exception class."""
    for cls, code in _CODES.items():
        if isinstance(exc, cls):
            return code
    return exc.default_code or "error"


def _flatten(detail) -> dict[str, list[str]]:
    """Return validation details as {field: [sentences]}."""
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in detail]}
    fields: dict[str, list[str]] = {}
    for name, errors in detail.items():
        if isinstance(errors, dict):
            for sub, msgs in _flatten(errors).items():
                fields[f"{name}.{sub}"] = msgs
        elif isinstance(errors, list):
            fields[name] = [str(e) for e in errors]
        else:
            fields[name] = [str(errors)]
    return fields


def _validation_message(fields: dict[str, list[str]]) -> str:
    """Return one sentence summing up a validation failure."""
    if list(fields) == ["non_field_errors"]:
        return fields["non_field_errors"][0]
    if len(fields) == 1:
        name, errors = next(iter(fields.items()))
        return f"{name}: {errors[0]}"
    return "Some fields are invalid: " + ", ".join(sorted(fields)) + "."


def _sentence(detail) -> str:
    """Return a single sentence from an exception detail."""
    if isinstance(detail, list | tuple) and detail:
        return str(detail[0])
    if isinstance(detail, dict) and detail:
        return str(next(iter(detail.values())))
    return str(detail)


class Pagination(PageNumberPagination):
    """Page-number pagination with a client-chosen page size up to 100."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data) -> Response:
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )


def json_not_found(request, exception=None) -> JsonResponse:
    """Answer an unknown /api/ path with the contract's 404 body."""
    body = error_body("not_found", "There is nothing at this address.")
    return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)


def json_server_error(request) -> JsonResponse:
    """Answer an unexpected /api/ failure with the contract's 500 body."""
    body = error_body(
        "server_error", "Something went wrong on our side; nothing you sent was lost."
    )
    return JsonResponse(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)

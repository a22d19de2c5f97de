"""The OpenAPI side of API v1: every operation documents the contract's error answers."""

from __future__ import annotations

import copy

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SENTENCES = {
    400: "Invalid input; `fields` names each field that is wrong, and why.",
    401: "Not authenticated, or the token is not valid.",
    403: "Not allowed.",
    404: "Absent, or not visible to you.",
    409: "Conflict: it exists already, or the change needs confirming.",
    413: "File too large.",
    415: "Unsupported file type or request content type.",
    429: "Rate limited; Retry-After says when to try again.",
    503: "The photo store is unavailable for a moment; nothing you sent was lost.",
}


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A machine code: invalid, not_found, duplicate…")
    message = serializers.CharField(help_text="One sentence a person understands.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors only: each invalid field and what is wrong with it.",
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx and 5xx answer from /api/."""

    error = ErrorDetailSerializer()


def error(status: int, serializer=ErrorSerializer) -> OpenApiResponse:
    """Return a documented error answer, for views that add one to `responses`."""
    return OpenApiResponse(serializer, description=SENTENCES.get(status, ""))


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus the error answers each kind of operation can give."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in self._error_statuses():
            responses.setdefault(
                str(status),
                self._get_response_for_code(error(status), str(status), direction=direction),
            )
        return responses

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if str(status_code) == "429":
            headers.setdefault(
                "Retry-After",
                {
                    "schema": {"type": "integer"},
                    "required": True,
                    "description": "Seconds to wait before retrying.",
                },
            )
        return headers

    def _map_basic_serializer(self, serializer, direction):
        """Add the fields a serializer sends only to some callers (`optional_fields`)."""
        schema = super()._map_basic_serializer(serializer, direction)
        for name, field in getattr(serializer, "optional_fields", {}).items():
            field = copy.deepcopy(field)
            field.bind(name, serializer)
            schema["properties"][name] = self._map_serializer_field(field, direction)
        return schema

    def _error_statuses(self) -> list[int]:
        """Return the statuses any view of this shape answers with, whatever it does."""
        parameters = self._get_parameters()
        places = {parameter["in"] for parameter in parameters}
        names = {parameter["name"] for parameter in parameters if parameter["in"] == "query"}
        has_body = self.method not in SAFE_METHODS and self._get_request_body() is not None
        # A wrong token is refused everywhere, every view is throttled, and a NUL anywhere in the
        # query is refused before any view runs (config.middleware).
        statuses = [400, 401, 429]
        if self.method not in SAFE_METHODS:
            statuses.append(403)
        if "path" in places or "page" in names:  # a page past the last one is 404 too
            statuses.append(404)
        if has_body:
            statuses.append(415)
        return sorted(statuses)

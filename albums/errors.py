"""Why an album action was refused: each error carries its HTTP status, code and sentence."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class AlbumError(Exception):
    """An album action that cannot be done as asked; the message says why."""

    status = 400
    code = "invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PolicyRefused(AlbumError):
    """The photo does not fit the album's license policy, or its license forbids sharing it."""

    code = "license_policy"


class Conflict(AlbumError):
    """The thing already exists (already a member, photo already in the album)."""

    status = 409
    code = "conflict"


class NotAllowed(AlbumError, PermissionDenied):
    """The person's role (or lack of one) does not allow this."""

    status = 403
    code = "permission_denied"

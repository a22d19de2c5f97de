"""Direct browser-to-S3 uploads: presign a size- and key-limited POST, then verify the object.

The browser sends the bytes straight to the bucket; Django only signs the form and then
checks the stored object exactly as it checks a normal upload (``services.photo_upload``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core import signing

from photos import services, storage
from photos.ingest import PhotoRejected

SALT = "brouette.direct-upload"
TOKEN_MAX_AGE = 3600


class DirectUploadUnavailable(Exception):
    """Direct uploads need S3 storage."""

    message = "Direct uploads need S3 storage; send the file to POST /api/v1/photos/ instead."


def direct_upload_start(*, owner) -> dict:
    """Return a presigned POST for one file, and a token naming its staging key."""
    if not storage.is_s3():
        raise DirectUploadUnavailable
    key = f"{storage.UPLOAD_PREFIX}/{owner.pk}/{uuid.uuid4().hex}"
    post = storage.presigned_upload(key, max_bytes=settings.BROUETTE_MAX_UPLOAD_BYTES)
    token = signing.dumps({"key": key, "owner": owner.pk}, salt=SALT)
    return {"url": post["url"], "fields": post["fields"], "token": token}


def _staged_key(token: str, owner) -> str:
    """Return the staging key a token names, refusing forged, expired or foreign tokens."""
    try:
        data = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise PhotoRejected("invalid_token", "This upload token is invalid or expired.") from None
    if data.get("owner") != owner.pk:
        raise PhotoRejected("invalid_token", "This upload token belongs to someone else.")
    return data["key"]


def direct_upload_finish(*, owner, token: str, original_name: str = "", **fields):
    """Verify the object the browser stored, keep it as a photo, and drop the staging copy."""
    key = _staged_key(token, owner)
    size = storage.staged_size(key)
    if size is None:
        raise PhotoRejected("missing_upload", "No file arrived for this upload token.")
    try:
        with storage.open_original(key) as fh:
            return services.photo_upload(
                owner=owner, file=fh, original_name=original_name, **fields
            )
    finally:
        storage.delete_original(key)

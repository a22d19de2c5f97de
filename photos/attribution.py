"""Build the credit of a photo from its row (the pure rules live in licensing.attribution)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from licensing import catalogue
from licensing.attribution import Work


def absolute_url(request, path: str) -> str:
    """Return an absolute URL for a path, from the request or the configured site URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


def work_of(photo, *, request=None) -> Work:
    """Return the licensing Work describing a photo: title, creator, source, license."""
    profile = getattr(photo.owner, "profile", None)
    creator = profile.name if profile else photo.owner.get_username()
    return Work(
        license=catalogue.get(photo.license),
        title=photo.title,
        creator_name=creator,
        creator_url=absolute_url(request, reverse("person", args=[photo.owner.get_username()])),
        source_url=absolute_url(request, photo.get_absolute_url()),
    )

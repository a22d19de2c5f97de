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
    page = absolute_url(request, photo.get_absolute_url())
    if photo.creator_name:
        return Work(
            license=catalogue.get(photo.license),
            title=photo.title,
            creator_name=photo.creator_name,
            creator_url=photo.creator_url,
            source_url=photo.source_url or page,
        )
    profile = getattr(photo.owner, "profile", None)
    return Work(
        license=catalogue.get(photo.license),
        title=photo.title,
        creator_name=profile.name if profile else photo.owner.get_username(),
        creator_url=absolute_url(request, reverse("person", args=[photo.owner.get_username()])),
        source_url=page,
    )

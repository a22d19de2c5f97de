"""Build the credit of a photo from its row (the pure rules live in licensing.attribution)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from licensing import catalogue
from licensing.attribution import Work
from licensing.metadata import Rights


def absolute_url(request, path: str) -> str:
    """Return an absolute URL for a path, from the request or the configured site URL."""
    if path.startswith(("http://", "https://")):
        return path
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


def rights_of(photo) -> Rights:
    """Return the rights statement stamped into the photo's files."""
    work = work_of(photo)
    year = photo.taken_at.year if photo.taken_at else photo.uploaded_at.year
    return Rights(
        title=work.title,
        creator_name=work.creator_name,
        creator_url=work.creator_url,
        source_url=work.source_url,
        license=work.license,
        year=year,
        keywords=tuple(item.tag.name for item in photo.tagged.all()),
    )


def work_of(photo, *, request=None, changes: str = "", with_sources: bool = True) -> Work:
    """Return the licensing Work describing a photo: title, creator, source, license."""
    page = absolute_url(request, photo.get_absolute_url())
    sources = ()
    if with_sources:
        sources = tuple(
            work_of(link.source, request=request, with_sources=False)
            for link in photo.source_links.all()
        )
    if photo.creator_name:
        name, url = photo.creator_name, photo.creator_url
    else:
        profile = getattr(photo.owner, "profile", None)
        name = profile.name if profile else photo.owner.get_username()
        url = absolute_url(request, reverse("person", args=[photo.owner.get_username()]))
    return Work(
        license=catalogue.get(photo.license),
        title=photo.title,
        creator_name=name,
        creator_url=url,
        source_url=photo.source_url or page,
        changes=changes,
        adapted_from=sources or None,
    )

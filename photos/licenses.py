"""License changes, their append-only history, and what a derivative may be licensed under."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F

from licensing import catalogue, compatibility
from photos.attribution import work_of
from photos.models import LicenseGrant, Photo

RIGHTS_FIELDS = ("title", "license", "creator_name", "creator_url", "source_url")


class ConfirmationRequired(Exception):
    """A change to more restrictive terms needs the owner's explicit confirmation."""

    def __init__(self, photos: list[Photo], new_license: str) -> None:
        self.photos = photos
        self.new_license = catalogue.get(new_license)
        names = ", ".join(sorted({catalogue.get(p.license).name for p in photos}))
        super().__init__(
            f"{self.new_license.name} is more restrictive than {names}. Copies people already "
            "obtained keep the old terms; confirm to apply the new terms from now on."
        )


class LicenseNotAllowed(ValueError):
    """The license conflicts with what the photo's sources allow."""


@dataclass(frozen=True)
class Period:
    """One stretch of a photo's license history."""

    license: catalogue.License
    start: datetime
    end: datetime | None
    attribution_name: str
    attribution_url: str


def record_grant(photo: Photo, *, actor) -> LicenseGrant:
    """Append the photo's current license and credit to its history."""
    work = work_of(photo, with_sources=False)
    return LicenseGrant.objects.create(
        photo=photo,
        license=photo.license,
        actor=actor,
        attribution_name=work.creator_name[:200],
        attribution_url=work.creator_url[:500],
    )


def history(photo: Photo) -> list[Period]:
    """Return the photo's license periods, oldest first."""
    grants = list(photo.grants.all())
    periods = []
    for index, grant in enumerate(grants):
        end = grants[index + 1].granted_at if index + 1 < len(grants) else None
        periods.append(
            Period(
                catalogue.get(grant.license),
                grant.granted_at,
                end,
                grant.attribution_name,
                grant.attribution_url,
            )
        )
    return periods


def needs_confirmation(photos: list[Photo], new_license: str) -> list[Photo]:
    """Return the photos for which the new license takes away something the old one gave."""
    return [p for p in photos if catalogue.is_more_restrictive(p.license, new_license)]


def check_sources_allow(photo: Photo, new_license: str) -> None:
    """Refuse a license the photo's sources do not allow for an adaptation."""
    sources = [catalogue.get(link.source.license) for link in photo.source_links.all()]
    if not sources:
        return
    verdict = compatibility.adaptation_licenses(sources, candidates=[catalogue.get(new_license)])[
        catalogue.get(new_license).id
    ]
    if not verdict.allowed:
        raise LicenseNotAllowed(verdict.reason)


def rights_changed(photo: Photo, before: dict) -> bool:
    """Say whether anything stamped into the files changed."""
    return any(before.get(name) != getattr(photo, name) for name in RIGHTS_FIELDS)


def bump_rights(photo: Photo) -> None:
    """Mark the photo's files as out of date and queue new, re-stamped renditions."""
    Photo.objects.filter(pk=photo.pk).update(rights_version=F("rights_version") + 1)
    photo.refresh_from_db(fields=["rights_version"])
    transaction.on_commit(lambda: _enqueue_render(photo.pk))


def _enqueue_render(photo_id: int) -> None:
    from photos.tasks import render_photo_task

    render_photo_task.enqueue(photo_id)


def disabled_choices(photo: Photo | None = None, sources: list[Photo] = ()) -> dict[str, str]:
    """Return {license id: why not} for licenses a photo's sources do not allow."""
    if photo is not None:
        sources = [link.source for link in photo.source_links.all()]
    if not sources:
        return {}
    verdicts = compatibility.adaptation_licenses([catalogue.get(s.license) for s in sources])
    return {lic_id: v.reason for lic_id, v in verdicts.items() if not v.allowed}

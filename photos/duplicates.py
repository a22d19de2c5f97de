"""Find and record near-duplicates across people, after the renditions are made."""

from __future__ import annotations

from django.db import transaction

from photos import similarity
from photos.models import NearDuplicate, Photo


def record_hash(photo: Photo, small_jpeg: bytes) -> list[NearDuplicate]:
    """Store the photo's perceptual hash and flag earlier photos of others it looks like."""
    phash = similarity.perceptual_hash(small_jpeg)
    Photo.objects.filter(pk=photo.pk).update(phash=phash)
    earlier = (
        Photo.objects.exclude(owner=photo.owner)
        .exclude(phash="")
        .filter(uploaded_at__lte=photo.uploaded_at)
        .values_list("pk", "phash")
    )
    matches = similarity.nearest(phash, list(earlier))
    with transaction.atomic():
        return [
            NearDuplicate.objects.get_or_create(
                photo=photo, earlier_id=pk, defaults={"distance": bits}
            )[0]
            for pk, bits in matches
        ]


def flagged_for_owner(photo: Photo, *, viewer) -> list[NearDuplicate]:
    """Return what the photo's owner should know: earlier photos of others it resembles."""
    if viewer is None or not viewer.is_authenticated or photo.owner_id != viewer.pk:
        return []
    return list(photo.looks_like.select_related("earlier__owner__profile")[:5])


def moderation_queue() -> list[NearDuplicate]:
    """Return unreviewed near-duplicates for moderators, closest first."""
    return list(
        NearDuplicate.objects.filter(reviewed=False).select_related(
            "photo__owner__profile", "earlier__owner__profile"
        )[:200]
    )

"""Read paths: every query that knows who is looking lives here.

One rule decides what a viewer may see, and every surface uses it:
- a list shows public photos, plus everything of the viewer's own;
- a single photo by its address shows public and unlisted photos, and the owner's own.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from photos.models import Photo, Profile, Visibility


def profile_of(user: AbstractBaseUser) -> Profile:
    """Return the person's profile, creating an empty one on first use."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def _with_relations(qs: QuerySet[Photo]) -> QuerySet[Photo]:
    return qs.select_related("owner", "owner__profile").prefetch_related(
        "renditions",
        "tagged__tag",
        "tagged__added_by",
        "source_links__source__owner__profile",
        "derivative_links__derivative",
    )


def photo_list_visible_to(viewer) -> QuerySet[Photo]:
    """Return the photos a viewer may find in lists: public ones, and their own."""
    qs = Photo.objects.all()
    if viewer is not None and viewer.is_authenticated:
        qs = qs.filter(Q(visibility=Visibility.PUBLIC) | Q(owner=viewer))
    else:
        qs = qs.filter(visibility=Visibility.PUBLIC)
    return _with_relations(qs)


def photo_stream_of(owner, *, viewer) -> QuerySet[Photo]:
    """Return one person's photostream as a viewer may see it, newest first."""
    return photo_list_visible_to(viewer).filter(owner=owner)


def photo_get_for_viewer(photo_id: int, *, viewer) -> Photo:
    """Return a photo the viewer may open by its address, else 404."""
    qs = _with_relations(Photo.objects.filter(pk=photo_id))
    photo = qs.annotate(favorite_count=Count("favorites", distinct=True)).first()
    if photo is None or not can_view(photo, viewer):
        raise Http404("No such photo, or it is not visible to you.")
    return photo


def photo_get_for_editor(photo_id: int, *, viewer) -> Photo:
    """Return a photo the viewer may change: 404 if unseen, 403 if seen but not theirs."""
    from django.core.exceptions import PermissionDenied

    photo = photo_get_for_viewer(photo_id, viewer=viewer)
    if not can_edit(photo, viewer):
        raise PermissionDenied("Only the owner can change this photo.")
    return photo


def can_view(photo: Photo, viewer) -> bool:
    """Say whether a viewer may open this photo by its address."""
    if photo.visibility != Visibility.PRIVATE:
        return True
    return viewer is not None and viewer.is_authenticated and photo.owner_id == viewer.pk


def can_edit(photo: Photo, viewer) -> bool:
    """Say whether a viewer may change or delete this photo."""
    return viewer is not None and viewer.is_authenticated and photo.owner_id == viewer.pk


def person_get(username: str):
    """Return an active person by username, else 404."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise Http404("No such person.")
    return user


def neighbours(photo: Photo, *, viewer) -> tuple[Photo | None, Photo | None]:
    """Return the previous (newer) and next (older) photo in the owner's stream."""
    stream = photo_stream_of(photo.owner, viewer=viewer)
    if photo.visibility != Visibility.PUBLIC and photo.owner_id != getattr(viewer, "pk", None):
        return None, None
    newer = stream.filter(
        Q(uploaded_at__gt=photo.uploaded_at) | Q(uploaded_at=photo.uploaded_at, id__gt=photo.id)
    ).order_by("uploaded_at", "id")
    older = stream.filter(
        Q(uploaded_at__lt=photo.uploaded_at) | Q(uploaded_at=photo.uploaded_at, id__lt=photo.id)
    ).order_by("-uploaded_at", "-id")
    return newer.first(), older.first()


def derivatives_of(photo: Photo, *, viewer) -> list[Photo]:
    """Return the adaptations of a photo that the viewer may find in lists."""
    return [
        link.derivative
        for link in photo.derivative_links.all()
        if can_list(link.derivative, viewer)
    ]


def can_list(photo: Photo, viewer) -> bool:
    """Say whether a photo may appear in lists the viewer sees (public, or their own)."""
    if photo.visibility == Visibility.PUBLIC:
        return True
    return viewer is not None and viewer.is_authenticated and photo.owner_id == viewer.pk

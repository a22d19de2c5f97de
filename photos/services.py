"""Write paths: one function per user action, shared by pages, API and commands."""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from licensing import catalogue, compatibility
from photos import hooks, ingest, licenses, storage, tagging
from photos import tags as tag_actions
from photos.models import (
    Comment,
    CommentPolicy,
    Favorite,
    Photo,
    PhotoSource,
    Profile,
    Status,
    TagSource,
)
from photos.search import index as search_index
from photos.selectors import profile_of


class DuplicatePhoto(Exception):
    """The uploader already has a photo with exactly these bytes."""

    def __init__(self, photo: Photo) -> None:
        super().__init__(f"You already uploaded this file as photo {photo.pk}.")
        self.photo = photo


@transaction.atomic
def user_signup(*, username: str, email: str, password: str):
    """Create a person with their profile."""
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    Profile.objects.create(user=user)
    return user


def profile_update(*, profile: Profile, **fields) -> Profile:
    """Change a person's public name and defaults; a new name re-stamps their photos."""
    old_name = profile.name
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    with transaction.atomic():
        profile.save()
        if profile.name != old_name:
            search_index.owner_renamed(profile.user)
            for photo in Photo.objects.filter(owner=profile.user, creator_name=""):
                licenses.bump_rights(photo)
    return profile


def photo_upload(
    *,
    owner,
    file: IO[bytes],
    original_name: str = "",
    title: str = "",
    description: str = "",
    tags: str | list[str] = "",
    license: str | None = None,
    visibility: str | None = None,
    creator_name: str = "",
    creator_url: str = "",
    source_url: str = "",
    sources: list[Photo] | tuple = (),
) -> Photo:
    """Check, store and record one uploaded file; renditions follow in the background."""
    names = tagging.parse(tags) if isinstance(tags, str) else tagging.clean_list(tags)
    size = ingest.check_size(file)
    sha256 = ingest.sha256_of(file)
    existing = Photo.objects.filter(owner=owner, sha256=sha256).first()
    if existing:
        raise DuplicatePhoto(existing)
    checked = ingest.check_image(file, sha256=sha256, size=size)
    profile = profile_of(owner)
    photo = _new_photo(checked, owner=owner, original_name=original_name)
    photo.title = title or _title_from(original_name)
    photo.description = description
    photo.license = license or profile.default_license
    photo.visibility = visibility or profile.default_visibility
    photo.creator_name, photo.creator_url = creator_name, creator_url
    photo.source_url = source_url
    photo.tagging, photo.tag_review = profile.default_tagging, profile.default_tag_review
    photo.full_clean(exclude=["sha256"])
    _check_adaptation(sources, photo.license)
    storage.save_original(photo.original_key, file)  # blob first: a rollback orphans, never loses
    try:
        with transaction.atomic():
            photo.save()
            PhotoSource.objects.bulk_create(
                PhotoSource(derivative=photo, source=source) for source in sources
            )
            licenses.record_grant(photo, actor=owner)
            _tag(photo, names, owner=owner, source=TagSource.OWNER)
            _tag(photo, _file_keywords(checked, names), owner=owner, source=TagSource.METADATA)
            search_index.photo_indexed(photo)
    except IntegrityError:
        raise DuplicatePhoto(Photo.objects.get(owner=owner, sha256=checked.sha256)) from None
    transaction.on_commit(lambda: _enqueue_render(photo.pk))
    return photo


def _check_adaptation(sources, license_id: str) -> None:
    """Refuse a license that the adapted works do not allow."""
    if not sources:
        return
    verdict = compatibility.adaptation_licenses(
        [catalogue.get(source.license) for source in sources],
        candidates=[catalogue.get(license_id)],
    )[license_id]
    if not verdict.allowed:
        raise licenses.LicenseNotAllowed(verdict.reason)


def _new_photo(checked: ingest.CheckedFile, *, owner, original_name: str) -> Photo:
    """Return an unsaved photo filled from what the checks learned."""
    info, meta = checked.info, checked.info.metadata
    return Photo(
        owner=owner,
        sha256=checked.sha256,
        original_name=original_name[:255],
        format=info.format,
        bytes=checked.size,
        width=info.width,
        height=info.height,
        frames=info.frames,
        taken_at=_aware(meta.taken_at),
        taken_offset=_offset_of(meta.taken_at),
        camera_make=meta.camera_make[:100],
        camera_model=meta.camera_model[:100],
        lens=meta.lens[:150],
        exposure_time=meta.exposure_time[:20],
        f_number=meta.f_number,
        iso=meta.iso,
        focal_length=meta.focal_length,
        gps_lat=meta.gps_lat,
        gps_lon=meta.gps_lon,
        suggestions=_suggestions(meta),
    )


def _aware(moment):
    """Return the moment tz-aware; a camera clock without an offset is read as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def _offset_of(moment) -> str:
    """Return the camera's UTC offset as +HH:MM, or '' when the file did not say."""
    if moment is None or moment.utcoffset() is None:
        return ""
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _suggestions(meta) -> dict:
    """Return creator and license claims found in the file, to offer, never to apply."""
    found = {}
    if meta.creator:
        found["creator"] = meta.creator[:300]
    if meta.license_url:
        found["license_url"] = meta.license_url[:300]
        claimed = catalogue.from_url(meta.license_url)
        if claimed:
            found["license"] = claimed.id
    named = {catalogue.from_url(url) for url in meta.license_claims} - {None}
    if len(named) > 1:
        found["conflicts"] = sorted(f"the file claims {lic.name}" for lic in named)
    return found


def _title_from(name: str) -> str:
    """Return a readable title from a file name (``IMG_0042.jpg`` -> ``IMG_0042``)."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("_", " ").strip()[:200] if stem else ""


def _tag(photo: Photo, names: list[str], *, owner, source: str) -> None:
    """Put already-checked tags on a new photo, recording who added them and from where."""
    for name in names:
        tag_actions.attach(photo, tag_actions.tag_for(name), owner, source, restamp=False)


def _file_keywords(checked: ingest.CheckedFile, typed: list[str]) -> list[str]:
    """Return the file's own keywords that are valid tags and fit beside the typed ones."""
    taken = {tagging.canonical(name) for name in typed}
    found = []
    for keyword in checked.info.metadata.keywords:
        try:
            name = tagging.clean(keyword)
        except tagging.TagError:
            continue  # another tool accepted it; we do not, and the upload goes on
        if tagging.canonical(name) not in taken:
            taken.add(tagging.canonical(name))
            found.append(name)
    return found[: max(0, tagging.MAX_TAGS_PER_PHOTO - len(typed))]


def _enqueue_render(photo_id: int) -> None:
    from photos.tasks import render_photo_task

    render_photo_task.enqueue(photo_id)


def photo_update(
    *, photo: Photo, actor=None, confirm: bool = False, tags: str | None = None, **fields
) -> Photo:
    """Change a photo's words, license, visibility or settings; license changes are recorded."""
    before = {name: getattr(photo, name) for name in (*licenses.RIGHTS_FIELDS, "visibility")}
    old_keys = list(photo.renditions.values_list("key", flat=True))
    new_license = fields.get("license", photo.license)
    if new_license != photo.license:
        licenses.check_sources_allow(photo, new_license)
        if not confirm and licenses.needs_confirmation([photo], new_license):
            raise licenses.ConfirmationRequired([photo], new_license)
    for name, value in fields.items():
        setattr(photo, name, value)
    photo.full_clean()
    with transaction.atomic():
        photo.save()
        if tags is not None:
            tag_actions.tags_replace(photo=photo, user=actor or photo.owner, text=tags)
        if photo.license != before["license"]:
            licenses.record_grant(photo, actor=actor or photo.owner)
            old = before["license"]
            transaction.on_commit(
                lambda: hooks.photo_license_changed.send(sender=Photo, photo=photo, old=old)
            )
        restamp = licenses.rights_changed(photo, before)
        if restamp:
            licenses.bump_rights(photo)
        search_index.photo_indexed(photo)
    was_public = before["visibility"] == "public"
    if photo.is_public != was_public and restamp:  # fresh renditions go to the new store
        transaction.on_commit(lambda: storage.delete_renditions(old_keys, public=was_public))
    elif photo.is_public != was_public:
        transaction.on_commit(lambda: _enqueue_move(photo.pk, to_public=photo.is_public))
    return photo


def photos_relicense(*, owner, photos: list[Photo], license: str, confirm: bool = False) -> int:
    """Change the license of many of one owner's photos at once; return how many changed."""
    photos = [p for p in photos if p.owner_id == owner.pk and p.license != license]
    if not confirm and licenses.needs_confirmation(photos, license):
        raise licenses.ConfirmationRequired(licenses.needs_confirmation(photos, license), license)
    with transaction.atomic():
        for photo in photos:
            photo_update(photo=photo, actor=owner, confirm=True, license=license)
    return len(photos)


def _enqueue_move(photo_id: int, *, to_public: bool) -> None:
    """Move renditions now (no public copy outlives privacy); queue a retry if the store fails."""
    from photos.tasks import move_renditions_task

    try:
        move_renditions_task.call(photo_id, to_public)
    except storage.StorageUnavailable:
        move_renditions_task.enqueue(photo_id, to_public)


def photo_delete(*, photo: Photo) -> None:
    """Delete a photo; its blobs go after commit unless another photo shares them."""
    keys = list(photo.renditions.values_list("key", flat=True))
    sha, public, original_key = photo.sha256, photo.is_public, photo.original_key
    photo.delete()
    transaction.on_commit(lambda: _delete_unshared_blobs(sha, original_key, keys, public))


def _delete_unshared_blobs(sha: str, original_key: str, keys: list[str], public: bool) -> None:
    """Remove the photo's renditions, and its original unless another photo shares it."""
    storage.delete_renditions(keys, public=public)
    if not Photo.objects.filter(sha256=sha).exists():
        storage.delete_original(original_key)


def photo_retry(*, photo: Photo) -> Photo:
    """Try the renditions of a failed photo again."""
    Photo.objects.filter(pk=photo.pk).update(
        status=Status.PROCESSING, failure_reason="", attempts=0
    )
    photo.refresh_from_db()
    transaction.on_commit(lambda: _enqueue_render(photo.pk))
    return photo


def photo_favorite(*, photo: Photo, user) -> bool:
    """Star a photo; return False if it was already starred."""
    _, created = Favorite.objects.get_or_create(photo=photo, user=user)
    return created


def photo_unfavorite(*, photo: Photo, user) -> None:
    """Remove a star."""
    Favorite.objects.filter(photo=photo, user=user).delete()


def photo_comment(*, photo: Photo, author, body: str) -> Comment:
    """Add a comment, if the owner allows comments from this person."""
    if photo.comment_policy == CommentPolicy.NOBODY and author != photo.owner:
        raise PermissionDenied("The owner has turned comments off for this photo.")
    comment = Comment(photo=photo, author=author, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment

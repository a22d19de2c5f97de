"""Tagging actions: who may tag, suggestions, removal, blocks, bulk tagging.

Identity and parsing rules are the pure core in photos/tagging.py; this module stores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404

from photos import hooks, licenses, tagging
from photos.models import Photo, Tag, TagBlock, TaggedPhoto, Tagging, TagSource, TagSuggestion
from photos.search import index as search_index


@dataclass
class TagResult:
    """What happened to each requested tag."""

    added: list[Tag] = field(default_factory=list)
    suggested: list[Tag] = field(default_factory=list)


def tag_for(display: str) -> Tag:
    """Return the tag with this canonical form, creating it (race-safe) on first use."""
    canonical = tagging.canonical(display)
    tag = Tag.objects.filter(canonical=canonical).first()
    if tag is not None:
        return tag
    machine = tagging.machine(display)
    parts = {}
    if machine:
        parts = {
            "namespace": machine.namespace[:50],
            "predicate": machine.predicate[:50],
            "value": machine.canonical_value[:100],
        }
    try:
        with transaction.atomic():
            return Tag.objects.create(
                name=_free_name(display), slug=_free_slug(display), canonical=canonical, **parts
            )
    except IntegrityError:  # someone created it at the same moment
        return Tag.objects.get(canonical=canonical)


def _free_slug(display: str) -> str:
    """Return the tag's slug, suffixed when another tag already uses it ("a b" vs "a-b")."""
    base = tagging.slug(display)[:90]
    candidate, n = base, 1
    while Tag.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _free_name(display: str) -> str:
    """Return the display name, made unique (taggit keeps names unique) if needed."""
    candidate, n = display, 1
    while Tag.objects.filter(name=candidate).exists():
        n += 1
        candidate = f"{display[:95]} ({n})"
    return candidate


def can_tag(photo: Photo, user) -> bool:
    """Say whether the user may add tags (or suggest them) on the photo."""
    if user is None or not user.is_authenticated:
        return False
    if photo.owner_id == user.pk:
        return True
    if TagBlock.objects.filter(owner_id=photo.owner_id, blocked=user).exists():
        return False
    if photo.tagging == Tagging.SIGNED_IN:
        return True
    if photo.tagging == Tagging.ALBUM_MEMBERS:
        return hooks.shares_album(photo, user)
    return False


def photo_tag(*, photo: Photo, user, names: list[str], source: str | None = None) -> TagResult:
    """Add tags (owner, or others when allowed and not reviewed) or suggest them (reviewed)."""
    if not can_tag(photo, user):
        raise PermissionDenied(_refusal(photo, user))
    names = tagging.clean_list(names)
    is_owner = photo.owner_id == user.pk
    result = TagResult()
    if not is_owner and photo.tag_review:
        for name in names:
            result.suggested.append(_suggest(photo, user, name))
        return result
    existing = set(photo.tagged.values_list("tag__canonical", flat=True))
    new = [n for n in names if tagging.canonical(n) not in existing]
    tagging.check_count(len(existing), len(new))
    source = source or (TagSource.OWNER if is_owner else TagSource.OTHER)
    for name in names:
        result.added.append(attach(photo, tag_for(name), user, source, restamp=False))
    if new:
        restamp_later(photo)
    return result


def _refusal(photo: Photo, user) -> str:
    """Explain why a person may not tag this photo."""
    if user is None or not user.is_authenticated:
        return "Log in to add tags."
    if TagBlock.objects.filter(owner_id=photo.owner_id, blocked=user).exists():
        return "The owner does not accept tags from you on their photos."
    if photo.tagging == Tagging.ALBUM_MEMBERS:
        return "Only members of the albums this photo is in may tag it."
    return "Only the owner may tag this photo."


def attach(photo: Photo, tag: Tag, user, source: str, *, restamp: bool = True) -> Tag:
    """Put one tag on a photo once, whoever gets there first (race-safe)."""
    try:
        with transaction.atomic():
            _, created = TaggedPhoto.objects.get_or_create(
                content_object=photo, tag=tag, defaults={"added_by": user, "source": source}
            )
            if created:
                search_index.photo_indexed(photo)
    except IntegrityError:
        created = False  # added at the same moment by another request: the tag is there
    TagSuggestion.objects.filter(photo=photo, tag=tag).delete()
    if created and restamp:
        restamp_later(photo)
    return tag


def restamp_later(photo: Photo) -> None:
    """Queue one re-stamp of the photo's files (its tags travel in XMP) after commit."""
    if photo.pk and photo.status != "processing":
        transaction.on_commit(lambda: _restamp(photo.pk), robust=True)


def _restamp(photo_id: int) -> None:
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is not None:
        with transaction.atomic():
            licenses.bump_rights(photo)


def _suggest(photo: Photo, user, name: str) -> Tag:
    """Record a suggestion for the owner's review (once per tag and photo)."""
    tag = tag_for(name)
    if photo.tagged.filter(tag=tag).exists():
        return tag
    try:
        with transaction.atomic():
            TagSuggestion.objects.get_or_create(photo=photo, tag=tag, defaults={"added_by": user})
    except IntegrityError:
        pass
    return tag


@transaction.atomic
def photo_untag(*, photo: Photo, user, slug: str) -> None:
    """Remove a tag: the owner any, others only their own, moderators any."""
    item = photo.tagged.select_related("tag").filter(tag__slug=slug).first()
    if item is None:
        raise Http404("This photo has no such tag.")
    allowed = (
        photo.owner_id == user.pk
        or item.added_by_id == user.pk
        or user.has_perm("photos.moderate_tags")
    )
    if not allowed:
        raise PermissionDenied("Only the owner, or whoever added a tag, may remove it.")
    item.delete()
    search_index.photo_indexed(photo)
    restamp_later(photo)


def suggestion_decide(*, photo: Photo, user, slug: str, accept: bool) -> Tag:
    """Accept (the tag appears, credited to its suggester) or reject a suggestion."""
    if photo.owner_id != user.pk:
        raise PermissionDenied("Only the owner reviews suggested tags.")
    suggestion = photo.tag_suggestions.select_related("tag").filter(tag__slug=slug).first()
    if suggestion is None:
        raise Http404("There is no such suggestion on this photo.")
    tag = suggestion.tag
    if accept:
        tagging.check_count(photo.tagged.count(), 1)
        attach(photo, tag, suggestion.added_by, TagSource.OTHER)
    suggestion.delete()
    return tag


def tag_block(*, owner, user) -> None:
    """Stop one person from tagging the owner's photos, and drop their pending suggestions."""
    if owner.pk == user.pk:
        raise ValueError("You cannot block yourself.")
    TagBlock.objects.get_or_create(owner=owner, blocked=user)
    TagSuggestion.objects.filter(photo__owner=owner, added_by=user).delete()


def tag_unblock(*, owner, user) -> None:
    """Let a blocked person tag the owner's photos again."""
    TagBlock.objects.filter(owner=owner, blocked=user).delete()


@transaction.atomic
def tag_remove_everywhere(*, tag: Tag, moderator) -> int:
    """Remove a tag from every photo (moderators only); return how many photos had it."""
    if not moderator.has_perm("photos.moderate_tags"):
        raise PermissionDenied("Only moderators may remove a tag across the site.")
    photo_ids = list(tag.tagged_photos.values_list("content_object_id", flat=True))
    count, _ = TaggedPhoto.objects.filter(tag=tag).delete()
    TagSuggestion.objects.filter(tag=tag).delete()
    search_index.photos_indexed(photo_ids)
    return count


@transaction.atomic
def photos_bulk_tag(*, owner, photos: list[Photo], add: list[str], remove: list[str]) -> int:
    """Add and remove tags on many of the owner's photos at once; return photos changed."""
    mine = [p for p in photos if p.owner_id == owner.pk]
    add, drop = tagging.clean_list(add), {tagging.canonical(n) for n in remove}
    for photo in mine:
        if drop:
            photo.tagged.filter(tag__canonical__in=drop).delete()
        if add:
            photo_tag(photo=photo, user=owner, names=add)
        search_index.photo_indexed(photo)
    return len(mine)


def tags_replace(*, photo: Photo, user, text: str) -> None:
    """Make the photo's tags exactly those typed (the owner's edit form)."""
    names = tagging.parse(text)
    keep = {tagging.canonical(n) for n in names}
    photo.tagged.exclude(tag__canonical__in=keep).delete()
    existing = set(photo.tagged.values_list("tag__canonical", flat=True))
    tagging.check_count(0, len(keep))
    for name in names:
        if tagging.canonical(name) not in existing:
            attach(photo, tag_for(name), user, TagSource.OWNER, restamp=False)
    search_index.photo_indexed(photo)
    restamp_later(photo)

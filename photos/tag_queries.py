"""Read paths for tags. Counts only ever include public photos, so no count reveals a
private photo's existence."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from photos import tagging
from photos.models import Photo, Tag, TaggedPhoto, Visibility
from photos.selectors import photo_list_visible_to

PUBLIC = Q(tagged_photos__content_object__visibility=Visibility.PUBLIC)


def with_public_counts(qs: QuerySet[Tag]) -> QuerySet[Tag]:
    """Annotate each tag with how many public photos carry it; drop tags on none."""
    return qs.annotate(count=Count("tagged_photos", filter=PUBLIC)).filter(count__gt=0)


def tag_get(slug: str, *, viewer=None) -> Tag:
    """Return a tag carried by a photo the viewer may find in lists (anonymous: public), else 404.

    A tag found only on unlisted or private photos answers like a missing one, so its page,
    feed and API never reveal that such a photo exists, nor the tag's name.
    """
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None or not photo_list_visible_to(viewer).filter(tagged__tag=tag).exists():
        raise Http404("No such tag.")
    return tag


def tag_get_for_moderator(slug: str) -> Tag:
    """Return any tag by slug, whatever carries it, else 404 (site-wide moderation)."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("No such tag.")
    return tag


def autocomplete(prefix: str, limit: int = 10) -> list[Tag]:
    """Return tags starting with the prefix (canonical comparison), most used first."""
    start = tagging.canonical(prefix)
    if not start:
        return []
    qs = with_public_counts(Tag.objects.filter(canonical__startswith=start))
    return list(qs.order_by("-count", "canonical")[:limit])


def cloud(limit: int = 80) -> list[Tag]:
    """Return the most used tags, alphabetically, each with its public count."""
    top = with_public_counts(Tag.objects.all()).order_by("-count", "canonical")[:limit]
    return sorted(top, key=lambda tag: tag.canonical)


def related(tag: Tag, limit: int = 12) -> list[Tag]:
    """Return tags most often found on the same public photos as this one."""
    photos = TaggedPhoto.objects.filter(
        tag=tag, content_object__visibility=Visibility.PUBLIC
    ).values("content_object")
    counts = (
        TaggedPhoto.objects.filter(content_object__in=photos)
        .exclude(tag=tag)
        .values("tag")
        .annotate(n=Count("id"))
        .order_by("-n", "tag")[:limit]
    )
    by_id = {row["tag"]: row["n"] for row in counts}
    tags = Tag.objects.in_bulk(list(by_id))
    for tag_id, n in by_id.items():
        tags[tag_id].count = n
    return sorted(tags.values(), key=lambda t: (-t.count, t.canonical))


def photos_tagged(tag: Tag, *, viewer, order: str = "newest") -> QuerySet[Photo]:
    """Return the photos with this tag that the viewer may find, newest or most favourited."""
    qs = photo_list_visible_to(viewer).filter(tagged__tag=tag)
    if order == "favorites":
        return qs.annotate(fav=Count("favorites", distinct=True)).order_by("-fav", "-uploaded_at")
    return qs.order_by("-uploaded_at", "-id")


def public_count(tag: Tag) -> int:
    """Return how many public photos carry the tag."""
    return tag.tagged_photos.filter(content_object__visibility=Visibility.PUBLIC).count()


def tags_of(owner, *, viewer) -> list[Tag]:
    """Return one person's tags with counts over the photos the viewer may see."""
    visible = photo_list_visible_to(viewer).filter(owner=owner).values("pk")
    return list(
        Tag.objects.filter(tagged_photos__content_object__in=visible)
        .annotate(count=Count("tagged_photos"))
        .order_by("canonical")
    )


def filter_machine(qs: QuerySet[Photo], query: tagging.MachineQuery) -> QuerySet[Photo]:
    """Keep photos with a machine tag matching the query (None parts are wildcards)."""
    condition = Q(tagged__tag__namespace__gt="")
    if query.namespace is not None:
        condition &= Q(tagged__tag__namespace=query.namespace)
    if query.predicate is not None:
        condition &= Q(tagged__tag__predicate=query.predicate)
    if query.value is not None:
        condition &= Q(tagged__tag__value=tagging.canonical(query.value))
    return qs.filter(condition).distinct()


def filter_tags(qs: QuerySet[Photo], names: list[str], *, mode: str = "all") -> QuerySet[Photo]:
    """Keep photos carrying all (or any) of the named tags."""
    canon = [tagging.canonical(n) for n in names if tagging.canonical(n)]
    if not canon:
        return qs
    if mode == "any":
        return qs.filter(tagged__tag__canonical__in=canon).distinct()
    for name in canon:
        qs = qs.filter(tagged__tag__canonical=name)
    return qs

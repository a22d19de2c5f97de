"""Data for bench/load.py: many photos that reuse the demo's stored files, and the run's counts.

Runs inside a child process with Django set up for the site under test. The extra photos are
rows only (bulk-created, one owner per copy of a demo photo, since an owner has each file
once), pointing at the demo photos' originals and renditions, so pages and images render
without making a single new file.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from photos import storage
from photos.models import (
    Favorite,
    LicenseGrant,
    Photo,
    Profile,
    Rendition,
    Tag,
    TaggedPhoto,
    TagSuggestion,
)
from photos.search import index

BATCH = 2000


def seed(count: int, config: Path, *, loaders: int, uploads: list[Path]) -> None:
    """Create ``count`` photos, the loaders' accounts, the index; write the locust config."""
    demo = list(Photo.objects.filter(status="ready").prefetch_related("renditions", "tagged"))
    if not demo:
        raise SystemExit("load_demo left no ready photo to copy")
    rng = random.Random(8)
    with transaction.atomic():
        owners = _people("owner", -(-count // len(demo)))
        photos = _photos(demo, owners, count)
        _copies(demo, photos, rng)
    loaders = [
        {"token": Token.objects.create(user=user).key, "own": _own_photos(user, demo, rng)}
        for user in _people("loader", loaders)
    ]
    index.rebuild()
    config.write_text(json.dumps(_config(demo, loaders, owners, uploads)))


def _people(prefix: str, n: int) -> list:
    """Create n people with profiles and no usable password; return them in order."""
    user_model, unusable = get_user_model(), make_password(None)
    user_model.objects.bulk_create(
        user_model(username=f"{prefix}{i:05d}", password=unusable) for i in range(n)
    )
    people = list(user_model.objects.filter(username__startswith=prefix).order_by("username"))
    Profile.objects.bulk_create(
        Profile(user=p, display_name=f"{prefix.title()} {i}") for i, p in enumerate(people)
    )
    return people


def _own_photos(user, demo: list[Photo], rng: random.Random, n: int = 3) -> list[int]:
    """Give a loader a few photos with renditions of their own (copied through the storage
    API), which they tag directly: tagging re-stamps them, and a re-stamp deletes the old
    files, which must not be the demo's files that the bulk copies share."""
    ids = []
    for source in rng.sample(demo, n):
        photo = _photos([source], [user], 1, title=f"{source.title} (mine)")[0]
        rows = []
        for r in source.renditions.all():
            key = Rendition.key_for(photo, r.name, r.format)
            with storage.open_rendition(r.key, public=True) as fh:
                storage.save_rendition(key, fh.read(), public=True)
            rows.append(Rendition(photo=photo, name=r.name, format=r.format, width=r.width,
                                  height=r.height, bytes=r.bytes, key=key))  # fmt: skip
        Rendition.objects.bulk_create(rows)
        LicenseGrant.objects.create(photo=photo, license=photo.license, actor=user,
                                    attribution_name=source.creator_name or "Loader")  # fmt: skip
        ids.append(photo.pk)
    return ids


def _photos(demo: list[Photo], owners: list, count: int, title: str = "") -> list[Photo]:
    """Bulk-create the photo rows, copies of the demo photos, one owner per copy round."""
    now = timezone.now()
    fields = ["description", "license", "creator_name", "creator_url", "source_url", "sha256",
              "original_name", "format", "bytes", "width", "height", "placeholder",
              "rights_version", "camera_make", "camera_model"]  # fmt: skip
    rows = []
    for i in range(count):
        source = demo[i % len(demo)]
        photo = Photo(
            owner=owners[i // len(demo)],
            title=title or f"{source.title} {i}",
            visibility="public",
            status="ready",
            uploaded_at=now - dt.timedelta(minutes=i + 1),
            tag_review=True,  # the default: others' tags wait for the owner (no re-stamp)
            **{name: getattr(source, name) for name in fields},
        )
        rows.append(photo)
    Photo.objects.bulk_create(rows, batch_size=BATCH)
    return rows


def _copies(demo: list[Photo], photos: list[Photo], rng: random.Random) -> None:
    """Give every new photo the renditions, license grant and tags of its demo original."""
    all_tags = list(Tag.objects.all())
    renditions, grants, tagged = [], [], []
    for i, photo in enumerate(photos):
        source = demo[i % len(demo)]
        renditions += [
            Rendition(photo=photo, name=r.name, format=r.format, width=r.width,
                      height=r.height, bytes=r.bytes, key=r.key)
            for r in source.renditions.all()
        ]  # fmt: skip
        grants.append(
            LicenseGrant(photo=photo, license=photo.license, granted_at=photo.uploaded_at,
                         actor=photo.owner, attribution_name=source.creator_name or "Owner")
        )  # fmt: skip
        tags = {t.tag_id for t in source.tagged.all()} | {rng.choice(all_tags).pk}
        tagged += [
            TaggedPhoto(content_object=photo, tag_id=tag, added_by=photo.owner) for tag in tags
        ]
    Rendition.objects.bulk_create(renditions, batch_size=BATCH)
    LicenseGrant.objects.bulk_create(grants, batch_size=BATCH)
    TaggedPhoto.objects.bulk_create(tagged, batch_size=BATCH)


def _config(demo: list[Photo], loaders: list[dict], owners: list, uploads: list[Path]) -> dict:
    """Return what the locust users pick from."""
    text = " ".join(f"{photo.title} {photo.description}" for photo in demo)
    words = {word.lower() for word in re.findall(r"[A-Za-z]{4,}", text)}
    images = [
        storage.rendition_url(r.key, public=True)
        for photo in demo
        for r in photo.renditions.all()
        if r.name in ("small", "medium", "large")
    ]
    tags = list(Tag.objects.values_list("name", "slug"))
    return {
        "photos": list(Photo.objects.filter(visibility="public").values_list("pk", flat=True)),
        "loaders": loaders,
        "words": [*sorted(words), "nowhere", "zebra"],
        "tag_names": [name for name, _ in tags],
        "tags": [slug for _, slug in tags],
        "renditions": images,
        "people": ["demo", "ines", "tomas", *(o.username for o in owners[:200])],
        "uploads": [str(p) for p in uploads],
    }


UPLOAD_TITLE = "Load test upload"  # bench/locustfile.py gives every upload this title


def counts() -> dict:
    """Return what the run changed: uploads and their renditions, tags, favourites."""
    uploaded = Photo.objects.filter(title=UPLOAD_TITLE)
    tagged = TaggedPhoto.objects.filter(added_by__username__startswith="loader")
    return {
        "photos": Photo.objects.count(),
        "tags": Tag.objects.count(),
        "grants": LicenseGrant.objects.count(),
        "uploaded": uploaded.count(),
        "uploaded_ready": uploaded.filter(status="ready").count(),
        "uploaded_waiting": uploaded.filter(status="processing").count(),
        "tagged": tagged.exclude(content_object__title=UPLOAD_TITLE).count(),
        "suggested": TagSuggestion.objects.filter(added_by__username__startswith="loader").count(),
        "favourites": Favorite.objects.count(),
    }

"""Compare what the database expects with what the stores hold, after crashes and outages.

Blobs are written before the rows that point at them and deleted after commit, so a crash
can leave an orphan blob (never a row without its file, except through outside damage).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from photos import storage
from photos.models import Photo, Rendition, Status

STAGING_GRACE = dt.timedelta(days=1)


@dataclass
class Report:
    """What the audit found, per kind of problem."""

    orphan_originals: list[str] = field(default_factory=list)
    orphan_renditions: dict[str, list[str]] = field(default_factory=dict)
    missing_originals: list[int] = field(default_factory=list)
    missing_renditions: list[int] = field(default_factory=list)
    stale_uploads: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (
            self.stale_uploads
            or self.orphan_originals
            or any(self.orphan_renditions.values())
            or self.missing_originals
            or self.missing_renditions
        )


def audit() -> Report:
    """Return every mismatch between rows and blobs."""
    report = Report()
    expected = set(Photo.objects.values_list("sha256", "format").distinct())
    wanted = {f"{sha[:2]}/{sha}.{fmt.lower()}" for sha, fmt in expected}
    stored = set(storage.list_keys(storage.ORIGINALS))
    report.orphan_originals = sorted(k for k in stored - wanted if _is_original(k))
    by_photo = {p.pk: p.original_key for p in Photo.objects.only("sha256", "format")}
    report.missing_originals = sorted(pk for pk, key in by_photo.items() if key not in stored)
    for public in (True, False):
        _audit_renditions(report, public=public)
    report.stale_uploads = stale_uploads()
    return report


def _is_original(key: str) -> bool:
    """Tell originals from download copies and staged direct uploads (judged elsewhere)."""
    return not key.startswith(("downloads/", f"{storage.UPLOAD_PREFIX}/"))


def _audit_renditions(report: Report, *, public: bool) -> None:
    """Find rendition blobs without rows and ready photos missing rendition blobs."""
    alias = storage.rendition_alias(public=public)
    visibility = {"photo__visibility": "public"}
    rows = (
        Rendition.objects.filter(**visibility)
        if public
        else Rendition.objects.exclude(**visibility)
    )
    wanted = dict(rows.values_list("key", "photo_id"))
    stored = set(storage.list_keys(alias))
    report.orphan_renditions[alias] = sorted(stored - set(wanted))
    missing = {photo_id for key, photo_id in wanted.items() if key not in stored}
    report.missing_renditions = sorted(set(report.missing_renditions) | missing)


def fix(report: Report) -> None:
    """Delete orphans, queue missing renditions again, and flag photos whose original is gone."""
    from photos.tasks import render_photo_task

    storage.delete_keys(storage.ORIGINALS, [*report.orphan_originals, *report.stale_uploads])
    for alias, keys in report.orphan_renditions.items():
        storage.delete_keys(alias, keys)
    Photo.objects.filter(pk__in=report.missing_originals).update(
        status=Status.FAILED,
        failure_reason="The original file is missing from storage; upload it again.",
    )
    for photo_id in set(report.missing_renditions) - set(report.missing_originals):
        Photo.objects.filter(pk=photo_id).update(attempts=0)
        render_photo_task.enqueue(photo_id)


def stale_uploads(now=None) -> list[str]:
    """Return staged direct uploads older than a day (abandoned by their browsers)."""
    now = now or timezone.now()
    keys = storage.list_keys(storage.ORIGINALS, storage.UPLOAD_PREFIX)
    return [k for k in keys if storage.modified_at(k) < now - STAGING_GRACE]

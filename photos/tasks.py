"""Background work: renditions after upload, moves after visibility changes."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from photos import renditions, storage
from photos.models import Photo, Status

logger = logging.getLogger(__name__)

RETRY_DELAYS = (dt.timedelta(seconds=10), dt.timedelta(seconds=60))
UNEXPECTED = (
    "Brouette could not make this photo's sizes because of an unexpected error; use Retry, "
    "and tell the site's team if it happens again."
)


@task()
def render_photo_task(photo_id: int) -> str:
    """Make a photo's renditions; retry when the store is down, give up on a broken file."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return "gone"
    attempt = photo.attempts + 1
    Photo.objects.filter(pk=photo_id).update(attempts=attempt)
    try:
        renditions.render(photo)
    except renditions.RenderFailed as exc:
        renditions.mark_failed(photo_id, str(exc))
        return "failed"
    except storage.StorageUnavailable:
        return _retry_or_fail(photo_id, attempt)
    except Exception:  # a bug must not leave the photo "processing" for ever
        logger.exception("photo %s: rendering failed unexpectedly", photo_id)
        renditions.mark_failed(photo_id, UNEXPECTED)
        return "failed"
    return "ready"


def _retry_or_fail(photo_id: int, attempt: int) -> str:
    """Schedule another try after a storage outage, or record the failure."""
    if attempt > len(RETRY_DELAYS):
        renditions.mark_failed(
            photo_id, "The photo store was unreachable; use Retry once it is back."
        )
        return "failed"
    retry = render_photo_task
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1])
    retry.enqueue(photo_id)
    logger.info("photo %s: store unavailable, retry %s scheduled", photo_id, attempt)
    return "retrying"


@task()
def move_renditions_task(photo_id: int, to_public: bool) -> str:
    """Move a photo's renditions between the public and private stores."""
    photo = Photo.objects.filter(pk=photo_id, status=Status.READY).first()
    if photo is None or photo.is_public != to_public:
        return "skipped"
    renditions.move(photo, to_public=to_public)
    return "moved"

"""Make the benchmark ladder with django-photologue, easy-thumbnails or sorl-thumbnail.

Runs inside var/bench-peers-venv (see bench/renditions.py), never in Brouette's own
environment: it configures a throwaway Django (in-memory SQLite, temporary MEDIA_ROOT),
stores each photo once, then times only the thumbnail generation, through each library's
real public API, and prints one JSON line like the in-process contenders do.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

EDGES = (320, 800, 1600, 2048)
SQUARE = 150
JPEG_QUALITY, WEBP_QUALITY = 82, 80
_names = itertools.count()


def configure(media_root: str) -> None:
    """Configure a minimal Django with the three libraries and migrate an in-memory DB."""
    import django
    from django.conf import settings
    from django.core.management import call_command

    settings.configure(
        SECRET_KEY="bench-only",  # noqa: S106 - throwaway process, no secrets
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sites",
            "sortedm2m",
            "photologue",
            "easy_thumbnails",
            "sorl.thumbnail",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        MEDIA_ROOT=media_root,
        MEDIA_URL="/media/",
        SITE_ID=1,
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        THUMBNAIL_KVSTORE="sorl.thumbnail.kvstores.cached_db_kvstore.KVStore",
        THUMBNAIL_DEBUG=True,  # sorl: raise instead of silently returning a dummy
        LOGGING_CONFIG=None,
    )
    django.setup()
    call_command("migrate", verbosity=0, run_syncdb=True)


def ladder_edges(size: tuple[int, int]) -> list[int]:
    """Return the long edges to make: small always, larger ones if not upscaling."""
    return [edge for edge in EDGES if edge <= max(size) or edge == EDGES[0]]


def store(path: str) -> str:
    """Copy a photo into default storage under a fresh name; return the name."""
    from django.core.files import File
    from django.core.files.storage import default_storage

    with open(path, "rb") as source:
        return default_storage.save(f"originals/{next(_names)}.jpg", File(source))


def photologue_sizes():
    """Create the photologue PhotoSize rows for the ladder (once)."""
    from photologue.models import PhotoSize

    sizes = [
        PhotoSize.objects.create(
            name="square", width=SQUARE, height=SQUARE, crop=True, quality=JPEG_QUALITY
        )
    ]
    for edge in EDGES:
        sizes.append(
            PhotoSize.objects.create(
                name=f"edge{edge}",
                width=edge,
                height=edge,
                crop=False,
                upscale=False,
                quality=JPEG_QUALITY,
            )
        )
    return sizes


def run_photologue(name: str, size: tuple[int, int], formats: list[str]) -> int:
    """Make every PhotoSize of a photologue Photo (JPEG: photologue keeps the format)."""
    from photologue.models import Photo, PhotoSize

    photo = Photo(title=name, slug=name.replace("/", "-").replace(".", "-"))
    photo.image.name = name  # already in storage; avoid timing the upload copy
    Photo.objects.bulk_create([photo])
    photo = Photo.objects.get(slug=photo.slug)
    written = 0
    for photosize in PhotoSize.objects.all():
        if photosize.name != "square" and photosize.width not in ladder_edges(size):
            continue
        photo.create_size(photosize)
        written += photo.image.storage.size(photo._get_SIZE_filename(photosize.name))
    return written


def run_easy_thumbnails(name: str, size: tuple[int, int], formats: list[str]) -> int:
    """Make the ladder with easy-thumbnails' get_thumbnailer().get_thumbnail()."""
    from django.core.files.storage import default_storage
    from easy_thumbnails.files import get_thumbnailer

    written = 0
    for extension in formats:
        thumbnailer = get_thumbnailer(default_storage.open(name), relative_name=name)
        thumbnailer.thumbnail_extension = "jpg" if extension == "jpeg" else "webp"
        quality = JPEG_QUALITY if extension == "jpeg" else WEBP_QUALITY
        options = [{"size": (SQUARE, SQUARE), "crop": True, "quality": quality}]
        options += [{"size": (e, e), "quality": quality} for e in ladder_edges(size)]
        for option in options:
            written += thumbnailer.get_thumbnail(option).size
    return written


def run_sorl(name: str, size: tuple[int, int], formats: list[str]) -> int:
    """Make the ladder with sorl-thumbnail's get_thumbnail()."""
    from sorl.thumbnail import get_thumbnail

    written = 0
    for extension in formats:
        fmt = "JPEG" if extension == "jpeg" else "WEBP"
        quality = JPEG_QUALITY if extension == "jpeg" else WEBP_QUALITY
        jobs = [(f"{SQUARE}x{SQUARE}", {"crop": "center"})]
        jobs += [(f"{e}x{e}", {"upscale": False}) for e in ladder_edges(size)]
        for geometry, extra in jobs:
            thumbnail = get_thumbnail(name, geometry, format=fmt, quality=quality, **extra)
            written += thumbnail.storage.size(thumbnail.name)
    return written


PEERS = {
    "photologue": run_photologue,
    "easy-thumbnails": run_easy_thumbnails,
    "sorl-thumbnail": run_sorl,
}


def main() -> int:
    """Time one peer over the photos and print one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--peer", choices=sorted(PEERS), required=True)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--formats", default="jpeg,webp")
    parser.add_argument("photos", nargs="+")
    args = parser.parse_args()
    media_root = tempfile.mkdtemp(prefix="bench-peers-", dir=_fast_tmp())
    try:
        configure(media_root)
        results = time_peer(args.peer, args.photos, args.formats.split(","), args.repeat)
    finally:
        shutil.rmtree(media_root, ignore_errors=True)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"results": results, "peak_mb": peak_kb / 1024}))
    return 0


def time_peer(peer: str, photos: list[str], formats: list[str], repeat: int) -> list[dict]:
    """Return the best wall/CPU milliseconds per photo for one peer."""
    from PIL import Image

    if peer == "photologue":
        photologue_sizes()
    run = PEERS[peer]
    run(store(photos[0]), Image.open(photos[0]).size, formats)  # warm up
    results = []
    for path in photos:
        with Image.open(path) as image:
            size = image.size
        walls, cpus, written = [], [], 0
        for _ in range(repeat):
            name = store(path)  # a fresh name each time, so no library serves a cached result
            wall, cpu = time.perf_counter(), time.process_time()
            written = run(name, size, formats)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        results.append({"ms": min(walls), "cpu_ms": min(cpus), "bytes": written})
    return results


def _fast_tmp() -> str | None:
    """Prefer a RAM-backed temp dir so disk speed does not count against the peers."""
    return "/dev/shm" if Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK) else None


if __name__ == "__main__":
    sys.exit(main())

"""Peak memory of exporting an album as a ZIP: the streamed export against a naive in-memory ZIP.

    .venv/bin/python bench/album_export.py [--photos 500] [--size medium] [--s3]

Uploads N generated photos (noise, so their renditions do not compress away) through the real
pipeline into a fresh SQLite database and media folder (or a SeaweedFS it starts, with --s3),
puts them in one album, then in the same process:
(1) streams the export (albums.export.plan + stream) and throws each chunk away, as a client
    reading the response would, and
(2) builds the same archive the naive way: read each rendition whole into a BytesIO ZipFile.
Python's peak allocation (tracemalloc) is measured around each; the script prints both peaks,
the archive sizes and the ratio naive/streamed. It always exits 0.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MB = 1024 * 1024


def configure(var_dir: Path) -> None:
    """Point Django at a fresh SQLite database and immediate tasks (storage from the env)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "BROUETTE_VAR_DIR": str(var_dir),
            "BROUETTE_TASKS": "immediate",
            "BROUETTE_LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def noise_jpeg(width: int, height: int) -> bytes:
    from PIL import Image

    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def build_album(count: int):
    """Upload `count` generated photos and put them all in one community album."""
    from albums import contributions, services
    from photos import services as photo_services

    owner = photo_services.user_signup(username="bench", email="b@example.org", password="x" * 20)
    album = services.album_create(owner=owner, title="Bench album", join_policy="open")
    started = time.perf_counter()
    for n in range(count):
        photo = photo_services.photo_upload(
            owner=owner,
            file=io.BytesIO(noise_jpeg(900, 600)),
            original_name=f"noise-{n}.jpg",
            license="CC-BY-4.0",
        )
        contributions.album_add_photo(album=album, actor=owner, photo=photo)
        if (n + 1) % 100 == 0:
            print(f"  {n + 1} photos ready ({time.perf_counter() - started:.0f} s)", flush=True)
    return album, owner


def streamed(album, owner, size: str) -> int:
    """Consume the streamed export chunk by chunk; return the archive's size."""
    from albums import export

    planned = export.plan(album, owner, size)
    return sum(len(chunk) for chunk in export.stream(album, planned))


def naive(album, owner, size: str) -> int:
    """Build the archive in memory, each file read whole (what a quick view would do)."""
    from albums import credits, export
    from photos import storage

    planned = export.plan(album, owner, size)
    buffer = io.BytesIO()
    entries = []
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in planned:
            with storage.open_rendition(part.key, public=part.photo.is_public) as fh:
                archive.writestr(part.filename, fh.read())
            entries.append(credits.entry_for(part.photo, filename=part.filename))
        archive.writestr("CREDITS.txt", credits.as_text(album.title, entries))
        archive.writestr("credits.html", credits.as_html(album.title, entries))
    return len(buffer.getvalue())


def peak(func, *args) -> tuple[int, int, float]:
    """Return (result, peak bytes allocated, seconds) of one call."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    result = func(*args)
    seconds = time.perf_counter() - started
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, top, seconds


def run(count: int, size: str) -> None:
    with tempfile.TemporaryDirectory(prefix="brouette-bench-") as var_dir:
        os.environ["BROUETTE_MEDIA_ROOT"] = str(Path(var_dir) / "media")
        configure(Path(var_dir))
        from django.conf import settings

        backend = settings.STORAGES["renditions"]["BACKEND"].rsplit(".", 1)[-1]
        print(f"Building an album of {count} photos (900x600 noise), storage: {backend}")
        album, owner = build_album(count)
        streamed(album, owner, size)  # warm caches (imports, querysets) before measuring
        s_bytes, s_peak, s_secs = peak(streamed, album, owner, size)
        n_bytes, n_peak, n_secs = peak(naive, album, owner, size)
    print()
    print(f"Export of {count} photos at size {size!r}:")
    for label, size_bytes, top, secs in (
        ("streamed", s_bytes, s_peak, s_secs),
        ("naive   ", n_bytes, n_peak, n_secs),
    ):
        print(
            f"  {label} : archive {size_bytes / MB:7.1f} MB, "
            f"peak memory {top / MB:7.1f} MB, {secs:.1f} s"
        )
    print(f"  ratio naive/streamed peak memory: {n_peak / s_peak:.1f}x")
    print(f"  streamed peak as a share of the archive: {100 * s_peak / s_bytes:.1f}%")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=500)
    parser.add_argument("--size", default="medium")
    parser.add_argument("--s3", action="store_true", help="store in a SeaweedFS started here")
    args = parser.parse_args()
    if not args.s3:
        run(args.photos, args.size)
        return 0
    from tests.services import SeaweedFS

    server = SeaweedFS().start()
    try:
        os.environ.update(server.env())
        run(args.photos, args.size)
    finally:
        server.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())

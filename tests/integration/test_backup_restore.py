"""Back up a small site, wipe it, restore it, and find every photo as it was (docs/operations.md).

The database is dumped with the tool of its engine (SQLite's online backup API, which is
what ``sqlite3 .backup`` uses; ``pg_dump``/``pg_restore`` on PostgreSQL, in the second pass),
the files are copied with ``manage.py backup_media`` from local disk or from SeaweedFS (both
run in both passes), then both are wiped for real (tables and buckets emptied, the PostgreSQL
database dropped) and restored, and every photo's bytes and license history are compared.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import override_settings

from photos import licenses, services, storage
from photos.backups import ALIASES
from photos.models import Photo
from tests.conftest import s3_storages
from tests.factories import jpeg_bytes, upload
from tests.services import _pg_bindir

pytestmark = pytest.mark.django_db(transaction=True)

GRANT_FIELDS = ("license", "granted_at", "actor_id", "attribution_name", "attribution_url")


@pytest.fixture(params=["local disk", pytest.param("SeaweedFS", marks=pytest.mark.s3)])
def store(request, tmp_path):
    """Files on local disk, or in SeaweedFS under a key prefix of this test's own."""
    from config.storages import storages_from_env

    if request.param == "SeaweedFS":
        server = request.getfixturevalue("seaweedfs")
        config = s3_storages(server, prefix=f"backup-{uuid.uuid4().hex}")
    else:
        os.environ["BROUETTE_MEDIA_ROOT"] = str(tmp_path / "site-media")
        try:
            config = storages_from_env(Path(tmp_path))
        finally:
            del os.environ["BROUETTE_MEDIA_ROOT"]
    with override_settings(STORAGES=config):
        yield request.param


def small_site(alice, bob) -> list[Photo]:
    """Four photos: public, relicensed twice, private, unlisted, and one shared original."""
    harbour = upload(alice, jpeg_bytes((900, 600), color=(20, 80, 160)), "harbour.jpg",
                     tags="harbour dawn", license="CC-BY-4.0")  # fmt: skip
    services.photo_update(photo=harbour, actor=alice, license="CC-BY-SA-4.0", confirm=True)
    services.photo_update(photo=harbour, actor=alice, license="CC-BY-NC-SA-4.0", confirm=True)
    private = upload(alice, jpeg_bytes((640, 800), color=(160, 40, 20)), "private.jpg",
                     visibility="private", license="all-rights-reserved")  # fmt: skip
    unlisted = upload(bob, jpeg_bytes((500, 500), color=(10, 120, 30)), "unlisted.jpg",
                      visibility="unlisted", license="CC0-1.0", creator_name="Aunt B")  # fmt: skip
    same_bytes = upload(bob, jpeg_bytes((900, 600), color=(20, 80, 160)), "copy.jpg")
    return [harbour, private, unlisted, same_bytes]


def snapshot() -> dict[int, dict]:
    """Return every photo's row, license history, and the bytes of its original and sizes."""
    found = {}
    for photo in Photo.objects.order_by("pk").prefetch_related("renditions", "grants"):
        with storage.open_original(photo.original_key) as fh:
            original = fh.read()
        sizes = {}
        for rendition in photo.renditions.all():
            with storage.open_rendition(rendition.key, public=photo.is_public) as fh:
                sizes[(rendition.name, rendition.format, rendition.key)] = fh.read()
        found[photo.pk] = {
            "row": Photo.objects.filter(pk=photo.pk).values().get(),
            "tags": sorted(photo.tags.names()),
            "grants": list(photo.grants.values(*GRANT_FIELDS)),
            "history": [(p.license.id, p.start, p.end) for p in licenses.history(photo)],
            "original": original,
            "sizes": sizes,
        }
    return found


# --- Database: dump, wipe, restore with the engine's own tools -----------------------------


def pg(tool: str, *args: str) -> None:
    """Run a PostgreSQL client tool with the test database's credentials."""
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"]}
    where = ["-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"]]
    subprocess.run([str(_pg_bindir() / tool), *where, *args], check=True, env=env,
                   capture_output=True)  # fmt: skip


def dump_database(folder: Path) -> Path:
    if connection.vendor == "postgresql":
        target = folder / "brouette.dump"
        pg("pg_dump", "--format=custom", "--no-owner", f"--file={target}",
           connection.settings_dict["NAME"])  # fmt: skip
        return target
    target = folder / "brouette.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)  # what `sqlite3 DB ".backup FILE"` does
    copy.close()
    return target


def wipe_database() -> None:
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        connection.close()
        pg("dropdb", "--force", name)
        pg("createdb", name)
        return
    connection.ensure_connection()
    empty = sqlite3.connect(":memory:")
    empty.backup(connection.connection)  # every page replaced: no table is left
    empty.close()


def restore_database(dump: Path) -> None:
    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        pg("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={name}", str(dump))
        return
    connection.ensure_connection()
    with sqlite3.connect(dump) as backup:
        backup.backup(connection.connection)
    backup.close()


def wipe_media() -> None:
    for alias in ALIASES:
        storage.delete_keys(alias, storage.list_keys(alias))


# --- The test ------------------------------------------------------------------------------


def test_a_site_backed_up_wiped_and_restored_has_every_photo_byte_for_byte(
    store, alice, bob, tmp_path
):
    photos = small_site(alice, bob)
    before = snapshot()
    assert len(before) == 4 and all(entry["sizes"] for entry in before.values())
    assert [p.license.id for p in licenses.history(photos[0])] == [
        "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-SA-4.0"
    ]  # fmt: skip
    stored = {alias: sorted(storage.list_keys(alias)) for alias in ALIASES}
    assert all(stored.values()), stored  # public, private and original files all exist
    backup = tmp_path / "backup"
    backup.mkdir()

    dump = dump_database(backup)  # database first, files second (see docs/operations.md)
    call_command("backup_media", str(backup / "media"), stdout=StringIO())

    wipe_media()
    wipe_database()
    assert {alias: storage.list_keys(alias) for alias in ALIASES} == {a: [] for a in ALIASES}
    with pytest.raises(DatabaseError):  # the tables themselves are gone
        Photo.objects.count()
    connection.close()  # meet the restored database on a fresh connection

    call_command("restore_media", str(backup / "media"), stdout=StringIO())
    restore_database(dump)

    assert {alias: sorted(storage.list_keys(alias)) for alias in ALIASES} == stored
    after = snapshot()
    assert after.keys() == before.keys()
    for pk, entry in before.items():
        assert after[pk] == entry, f"photo {pk} differs after the restore"
    out = StringIO()
    call_command("reconcile_storage", stdout=out)
    assert "Everything matches." in out.getvalue()
    again = StringIO()  # a second backup into the same folder copies nothing new
    call_command("backup_media", str(backup / "media"), stdout=again)
    assert again.getvalue().count(": 0 copied, ") == len(ALIASES)
    files = sum(len(keys) for keys in stored.values())
    size = dump.stat().st_size
    print(f"\n{store} + {connection.vendor}: {len(after)} photos, {files} files and a {size}-byte")
    print("dump restored; every photo's row, bytes and license history identical")


def test_a_backup_refuses_keys_that_would_escape_its_folder(tmp_path):
    from photos.backups import UnsafeKey, _path_for

    assert _path_for(tmp_path, "originals", "ab/abc.jpg") == tmp_path / "originals/ab/abc.jpg"
    for key in ("../etc/passwd", "/etc/passwd", "ab/../../x", "ab//c", "."):
        with pytest.raises(UnsafeKey):
            _path_for(tmp_path, "originals", key)


def test_restoring_from_a_folder_that_holds_no_backup_says_so(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="holds no backup"):
        call_command("restore_media", str(tmp_path), stdout=StringIO())

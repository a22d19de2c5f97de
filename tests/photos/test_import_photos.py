"""manage.py import_photos: folders walked, duplicates skipped, refusals explained."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from photos.models import Photo
from tests.factories import jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "trip" / "day2").mkdir(parents=True)
    (tmp_path / "trip" / "a.jpg").write_bytes(jpeg_bytes(color=(200, 0, 0)))
    (tmp_path / "trip" / "day2" / "b.png").write_bytes(png_bytes())
    (tmp_path / "trip" / "day2" / "copy-of-a.jpg").write_bytes(jpeg_bytes(color=(200, 0, 0)))
    (tmp_path / "trip" / "notes.jpg").write_text("shopping list, not a photo")
    (tmp_path / "trip" / ".hidden.jpg").write_bytes(jpeg_bytes(color=(0, 0, 200)))
    return tmp_path / "trip"


def run(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command("import_photos", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_importing_a_folder_walks_it_and_sums_up(folder, alice):
    output = run(str(folder), "--owner", "alice", "--license", "CC0-1.0", "--tags", "trip")
    assert "Imported 2, duplicates skipped 1, refused 1." in output
    assert "notes.jpg:" in output and "text" in output.lower()
    assert Photo.objects.filter(owner=alice, license="CC0-1.0").count() == 2
    assert all("trip" in p.tags.names() for p in Photo.objects.all())
    assert "file/s" in output or "it/s" in output  # the progress bar shows a rate


def test_running_it_again_imports_nothing_new(folder, alice):
    run(str(folder), "--owner", "alice")
    output = run(str(folder), "--owner", "alice")
    assert "Imported 0, duplicates skipped 3, refused 1." in output
    assert Photo.objects.count() == 2


def test_older_license_versions_are_accepted_on_import(folder, alice):
    run(str(folder / "a.jpg"), "--owner", "alice", "--license", "CC-BY-SA-2.0")
    assert Photo.objects.get().license == "CC-BY-SA-2.0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--owner", "nobody"], "There is no user named 'nobody'"),
        (["--owner", "alice", "--license", "CC-BY-7.0"], "CC-BY-7.0"),
    ],
)
def test_bad_arguments_stop_with_a_clear_message(folder, alice, args, message):
    with pytest.raises(CommandError, match=message):
        run(str(folder), *args)
    assert Photo.objects.count() == 0


def test_a_missing_path_is_named(alice, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run(str(tmp_path / "nope"), "--owner", "alice")

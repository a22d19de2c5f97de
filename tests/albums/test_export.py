"""Album export: a streamed ZIP of stamped renditions, with credits and what was left out."""

import io
import json
import os
import shutil
import subprocess
import zipfile

import pytest
from django.http import StreamingHttpResponse
from django.test import TestCase
from PIL import Image

from albums import contributions as c
from albums import export
from photos import services as photo_services
from tests.albums.conftest import add_member, make_album, photo_of
from tests.factories import upload

pytestmark = pytest.mark.django_db


def noisy_jpeg(size=(1000, 700)) -> bytes:
    """Return a JPEG of noise: it compresses badly, so its renditions span many chunks."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=92)
    return buf.getvalue()


def exiftool(path) -> dict:
    if not shutil.which("exiftool"):
        pytest.fail("exiftool is required (apt-get install libimage-exiftool-perl)")
    out = subprocess.run(["exiftool", "-j", "-G1", str(path)], capture_output=True, check=True)
    return json.loads(out.stdout)[0]


@pytest.fixture
def community(alice, bob, carol):
    """Alice's album: bob's CC BY-SA photo, carol's CC0 photo, bob's all-rights-reserved one."""
    album = make_album(alice, title="Harbours of the North")
    add_member(album, bob)
    add_member(album, carol)
    by_sa = photo_of(bob, license="CC-BY-SA-4.0", size=(900, 600), title="Quay at dawn")
    cc0 = photo_of(carol, license="CC0-1.0", size=(900, 600), title="Nets")
    reserved = photo_of(bob, license="all-rights-reserved", size=(900, 600), title="Mine only")
    for photo, actor in ((by_sa, bob), (cc0, carol), (reserved, bob)):
        c.album_add_photo(album=album, actor=actor, photo=photo)
    return album, by_sa, cc0, reserved


def download(client, album, size="medium") -> zipfile.ZipFile:
    response = client.get(f"/api/v1/albums/{album.pk}/export/?size={size}")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="harbours')
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_zip_holds_one_stamped_file_per_shareable_photo_and_the_credits(
    client, community, tmp_path
):
    album, by_sa, cc0, _ = community
    archive = download(client, album)
    names = archive.namelist()
    assert names == [
        f"001-quay-at-dawn-{by_sa.pk}.jpg",
        f"002-nets-{cc0.pk}.jpg",
        "CREDITS.txt",
        "credits.html",
    ]
    assert archive.testzip() is None
    expected = {
        names[0]: "https://creativecommons.org/licenses/by-sa/4.0/",
        names[1]: "https://creativecommons.org/publicdomain/zero/1.0/",
    }
    for name, url in expected.items():
        path = tmp_path / name
        path.write_bytes(archive.read(name))
        tags = exiftool(path)
        assert tags["XMP-cc:License"] == url
        assert (tags["File:ImageWidth"], tags["File:ImageHeight"]) == (800, 533)  # medium


def test_the_credits_name_every_file_and_what_was_left_out_with_the_reason(client, community):
    album, by_sa, _, _ = community
    archive = download(client, album)
    text = archive.read("CREDITS.txt").decode()
    assert f'001-quay-at-dawn-{by_sa.pk}.jpg: "Quay at dawn"' in text
    assert "by Bob Builder is licensed under CC BY-SA 4.0" in text
    assert '"Nets"' in text and "Carol Danvers" in text and "CC0 1.0" in text
    left = text.split("Left out of this download:")[1]
    assert "“Mine only”" in left and "all rights are reserved" in left
    html = archive.read("credits.html").decode()
    assert html.startswith("<!doctype html>")
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/"' in html
    assert "Left out of this download" in html and "Mine only" in html


def test_full_size_leaves_out_photos_whose_owner_keeps_them_back(client, alice):
    album = make_album(alice)
    photo = upload(alice, noisy_jpeg((2200, 1500)), "big.jpg", title="Big", license="CC-BY-4.0")
    kept_back = photo_of(alice, size=(2200, 1500), title="Held")
    kept_back.allow_original_download = False
    kept_back.save()
    for p in (photo, kept_back):
        c.album_add_photo(album=album, actor=alice, photo=p)
    archive = download(client, album, size="xlarge")
    assert archive.namelist() == [f"001-big-{photo.pk}.jpg", "CREDITS.txt", "credits.html"]
    assert "“Held”" in archive.read("CREDITS.txt").decode().split("Left out")[1]
    with Image.open(archive.open(archive.namelist()[0])) as img:
        assert max(img.size) == 2048


def test_a_photo_smaller_than_the_chosen_size_comes_in_its_largest_size(client, alice):
    album = make_album(alice)
    c.album_add_photo(album=album, actor=alice, photo=photo_of(alice, size=(640, 480)))
    archive = download(client, album, size="large")
    with Image.open(archive.open(archive.namelist()[0])) as img:
        assert img.size == (320, 240)  # small: the original is too small for medium or large


def test_the_export_contains_only_what_the_requester_may_see(client, alice, bob):
    album = make_album(alice)
    add_member(album, bob)
    mine = photo_of(bob, title="Open")
    hidden = photo_of(bob, title="Hidden")
    for p in (mine, hidden):
        c.album_add_photo(album=album, actor=bob, photo=p)
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo_services.photo_update(photo=hidden, actor=bob, visibility="private")
    names = download(client, album, size="small").namelist()
    assert names == [f"001-open-{mine.pk}.jpg", "CREDITS.txt", "credits.html"]
    client.force_login(bob)
    assert len(download(client, album, size="small").namelist()) == 4


def test_the_archive_is_streamed_in_bounded_chunks(alice):
    album = make_album(alice)
    for n in range(3):
        photo = upload(alice, noisy_jpeg(), f"n{n}.jpg", title=f"Noise {n}", license="CC0-1.0")
        c.album_add_photo(album=album, actor=alice, photo=photo)
    planned = export.plan(album, alice, "medium")
    sizes = [len(chunk) for chunk in export.stream(album, planned)]
    total = sum(sizes)
    assert total > 3 * export.CHUNK  # the files are larger than one chunk each…
    assert max(sizes) <= export.CHUNK + 4096  # …yet no chunk holds more than one read


def test_an_unknown_size_is_a_400_in_the_error_shape(client, alice):
    album = make_album(alice)
    response = client.get(f"/api/v1/albums/{album.pk}/export/?size=huge")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "size must be one of square, small, medium, large, xlarge.",
    }


def test_the_page_button_downloads_the_same_archive(client, community):
    album, by_sa, *_ = community
    response = client.get(f"/albums/{album.pk}/export/?size=small")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist()[0] == f"001-quay-at-dawn-{by_sa.pk}.jpg"
    assert client.get(f"/albums/{album.pk}/export/?size=huge").status_code == 302

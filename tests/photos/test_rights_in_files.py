"""Every file handed out carries its rights and none of the camera's private data (exiftool)."""

import json
import shutil
import subprocess

import pytest

from photos import storage
from tests.factories import upload
from tests.photos.imaging_helpers import corpus_path

pytestmark = pytest.mark.django_db

PRIVATE_TAGS = ("GPS", "SerialNumber", "OwnerName", "CameraOwnerName", "MakerNote")


def exiftool(data: bytes, tmp_path, suffix: str) -> dict:
    if not shutil.which("exiftool"):
        pytest.fail("exiftool is required (apt-get install libimage-exiftool-perl)")
    path = tmp_path / f"file.{suffix}"
    path.write_bytes(data)
    out = subprocess.run(
        ["exiftool", "-j", "-G1", "-struct", str(path)], capture_output=True, check=True
    )
    return json.loads(out.stdout)[0]


def files_of(photo, api):
    """Yield (name, suffix, bytes) for every rendition and the original download."""
    for rendition in photo.renditions.all():
        with storage.open_rendition(rendition.key, public=photo.is_public) as fh:
            yield f"{rendition.name}.{rendition.format}", rendition.format, fh.read()


@pytest.mark.parametrize(
    ("license_id", "url", "marked"),
    [
        ("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/", True),
        ("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/", False),
        ("all-rights-reserved", None, True),
    ],
)
def test_every_rendition_carries_the_license_and_no_gps(
    alice, api, tmp_path, license_id, url, marked
):
    data = corpus_path("C/derived_gps_privacy.jpg").read_bytes()
    photo = upload(alice, data, "gps.jpg", title="Private place", license=license_id)
    assert photo.gps_lat is not None  # the original had GPS
    checked = 0
    for name, suffix, blob in files_of(photo, api):
        tags = exiftool(blob, tmp_path, suffix)
        leaked = [k for k in tags if any(p in k for p in PRIVATE_TAGS)]
        assert leaked == [], f"{name} leaks {leaked}"
        assert tags.get("XMP-dc:Creator") in ("Alice Liddell", ["Alice Liddell"]), name
        assert tags.get("XMP-dc:Title") == "Private place", name
        assert tags.get("XMP-xmpRights:Marked") == marked, name
        if url:
            assert tags["XMP-cc:License"] == url, name
            assert tags["XMP-xmpRights:WebStatement"].endswith(photo.get_absolute_url()), name
            assert tags["XMP-cc:AttributionName"] == "Alice Liddell", name
        else:
            assert "All rights reserved" in tags["XMP-dc:Rights"], name
        assert "Alice Liddell" in tags.get("IFD0:Artist", ""), name
        checked += 1
    assert checked == 8  # square, small, medium, large (1920 px wide), in JPEG and WebP


def test_the_original_download_carries_the_license_and_no_gps(alice, api, tmp_path):
    data = corpus_path("C/derived_gps_privacy.jpg").read_bytes()
    photo = upload(alice, data, "gps.jpg", license="CC-BY-4.0")
    api.force_authenticate(alice)
    response = api.get(f"/api/v1/photos/{photo.pk}/download/")
    if response.status_code == 302:
        import urllib.request

        blob = urllib.request.urlopen(response["Location"]).read()
    else:
        blob = b"".join(response.streaming_content)
    tags = exiftool(blob, tmp_path, "jpg")
    assert not [k for k in tags if any(p in k for p in PRIVATE_TAGS)]
    assert tags["XMP-cc:License"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "Alice Liddell" in tags["IFD0:Copyright"]

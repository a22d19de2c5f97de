"""Every corpus file through the API upload route: refused with a sentence, or kept and ready.

The expected outcome of each hostile file is listed once, in test_imaging.D_EXPECTED; files
whose only damage is in metadata or trailing bytes decode fine and are accepted, and their
renditions carry none of the payload (see test_imaging).
"""

import pytest
from django.test import TestCase

from photos.ingest import PhotoRejected
from photos.models import Photo
from tests.factories import uploaded
from tests.photos.imaging_helpers import corpus_path
from tests.photos.test_imaging import C_LOADABLE, D_EXPECTED

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_alice(api, alice):
    api.force_authenticate(alice)
    return api


def post(client, relative: str):
    path = corpus_path(relative)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/api/v1/photos/",
            {"file": uploaded(path.read_bytes(), path.name)},
            format="multipart",
        )


@pytest.mark.parametrize("name", sorted(D_EXPECTED))
def test_hostile_file_is_refused_with_4xx_and_a_sentence_or_kept_clean(as_alice, name):
    response = post(as_alice, f"D/{name}")
    expected = D_EXPECTED[name]
    if expected is None:
        assert response.status_code == 201, response.content
        photo = Photo.objects.get(pk=response.json()["id"])
        assert photo.status == "ready"
        return
    assert response.status_code == PhotoRejected(expected, "").status
    error = response.json()["error"]
    assert error["code"] == expected
    assert error["message"].endswith(".") and len(error["message"]) > 20
    assert Photo.objects.count() == 0


@pytest.mark.parametrize("relative", C_LOADABLE)
def test_tricky_valid_file_is_accepted_and_processed(as_alice, relative):
    response = post(as_alice, relative)
    assert response.status_code == 201, response.content
    body = as_alice.get(f"/api/v1/photos/{response.json()['id']}/").json()
    assert body["status"] == "ready"
    assert {"square", "small"} <= set(body["renditions"])

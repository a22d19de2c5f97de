"""The configured Django storages work against a real SeaweedFS."""

import time
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test.utils import override_settings

from tests.conftest import s3_storages

pytestmark = pytest.mark.s3


@pytest.fixture
def s3(seaweedfs):
    with override_settings(STORAGES=s3_storages(seaweedfs)):
        yield seaweedfs


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_saving_reading_listing_and_deleting_originals(s3):
    store = storages["originals"]
    store.save("ab/test-original.jpg", ContentFile(b"original bytes"))
    with store.open("ab/test-original.jpg") as fh:
        assert fh.read() == b"original bytes"
    assert "test-original.jpg" in store.listdir("ab")[1]
    store.delete("ab/test-original.jpg")
    assert not store.exists("ab/test-original.jpg")


def test_private_originals_are_refused_anonymously_but_signed_urls_work(s3):
    store = storages["originals"]
    store.save("cd/secret.jpg", ContentFile(b"secret bytes"))
    plain = f"{s3.endpoint}/brouette-test/originals/cd/secret.jpg"
    assert fetch(plain)[0] == 403
    assert fetch(store.url("cd/secret.jpg")) == (200, b"secret bytes")


def test_private_renditions_are_refused_anonymously(s3):
    store = storages["private_renditions"]
    store.save("ef/x/small.jpg", ContentFile(b"small"))
    assert fetch(f"{s3.endpoint}/brouette-test/renditions/ef/x/small.jpg")[0] == 403
    assert fetch(store.url("ef/x/small.jpg")) == (200, b"small")


def test_public_renditions_are_readable_at_a_plain_url(s3):
    store = storages["renditions"]
    store.save("gh/y/small.jpg", ContentFile(b"public"))
    url = store.url("gh/y/small.jpg")
    assert "X-Amz-Signature" not in url
    assert fetch(url) == (200, b"public")


def test_signed_urls_expire(s3):
    store = storages["originals"]
    store.save("ij/expiring.jpg", ContentFile(b"soon gone"))
    url = store.url("ij/expiring.jpg", expire=1)
    time.sleep(2.5)
    assert fetch(url)[0] == 403


def test_bucket_listing_is_refused_anonymously(s3):
    assert fetch(f"{s3.endpoint}/brouette-test-public/")[0] == 403
    assert fetch(f"{s3.endpoint}/brouette-test/")[0] == 403

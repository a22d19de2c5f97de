"""Reach fixtures: alice's photos in every visibility, and a client per persona."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.request import urlopen

import pytest
from django.test import Client

from tests.factories import jpeg_bytes, upload

PERSONAS = ("anonymous", "alice", "bob", "carol")


@pytest.fixture
def shots(alice):
    """Alice's photos, all tagged "harbour": public (two licenses), unlisted and private."""
    return {
        "public": upload(
            alice,
            jpeg_bytes((1700, 1000), (200, 60, 40)),
            "dawn.jpg",
            title="Harbour at dawn",
            description="Fog over the quay.\nSecond line.",
            tags="harbour boats",
            license="CC-BY-SA-4.0",
        ),
        "public_arr": upload(
            alice,
            jpeg_bytes((900, 600), (30, 60, 200)),
            "nets.jpg",
            title="Nets",
            tags="harbour",
            license="all-rights-reserved",
        ),
        "unlisted": upload(
            alice,
            jpeg_bytes((900, 600), (40, 200, 60)),
            "secret.jpg",
            title="Unlisted quay",
            tags="harbour",
            visibility="unlisted",
        ),
        "private": upload(
            alice,
            jpeg_bytes((900, 600), (90, 90, 90)),
            "diary.jpg",
            title="Private diary",
            tags="harbour",
            visibility="private",
        ),
    }


@pytest.fixture
def clients(alice, bob, carol) -> dict[str, Client]:
    """One browser per persona: alice owns, bob collaborates, carol is a stranger."""
    found = {"anonymous": Client()}
    for user in (alice, bob, carol):
        client = Client()
        client.force_login(user)
        found[user.username] = client
    return found


class HeadLinks(HTMLParser):
    """Collect <link> and <meta> attributes the way a consumer reads a page's head."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")

    def alternate(self, media_type: str) -> list[str]:
        return [
            link["href"]
            for link in self.links
            if link.get("rel") == "alternate" and link.get("type") == media_type
        ]


def head_of(response) -> HeadLinks:
    parser = HeadLinks()
    parser.feed(response.content.decode())
    return parser


def direct_url(photo, name: str) -> str:
    """Return the absolute URL a rendition is stored at (local media or the S3 bucket)."""
    from photos import renditions

    url = renditions.urls_for(photo)[name]
    return url if "://" in url else f"http://testserver{url}"


def fetch_status(url: str) -> int:
    """Fetch a URL like a crawler: this site through the test client, the bucket over HTTP."""
    if url.startswith("/"):
        url = f"http://testserver{url}"
    if url.startswith("http://testserver/"):
        response = Client().get(url.removeprefix("http://testserver"))
        if response.status_code in (301, 302):
            return fetch_status(response["Location"])
        return response.status_code
    with urlopen(url, timeout=10) as response:
        return response.status

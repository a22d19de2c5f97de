"""The users of bench/load.py: people browsing, searching, tagging and uploading at once.

Locust runs this (``bench/load.py`` starts it headless); it needs two variables:
``BROUETTE_LOAD_CONFIG``, a JSON file written by the setup (photo ids, API tokens, words, tags,
rendition paths, people, upload files), and ``BROUETTE_LOAD_STATUS``, where the HTTP status
counts per request type are written at the end. No Django here: locust patches the standard
library with gevent, and this file only speaks HTTP.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import struct
from collections import Counter
from pathlib import Path

from locust import HttpUser, between, events, task

CONFIG = json.loads(Path(os.environ["BROUETTE_LOAD_CONFIG"]).read_text())
STATUS: Counter[tuple[str, int]] = Counter()
_UNIQUE = itertools.count()
_LOADERS = itertools.cycle(CONFIG["loaders"])
UPLOADS = [Path(p).read_bytes() for p in CONFIG["uploads"]]


@events.request.add_listener
def _count_status(name, response, exception, **_):
    """Count every response by request type and status (0: no response at all)."""
    STATUS[(name, getattr(response, "status_code", 0) or 0)] += 1


@events.quitting.add_listener
def _write_status(**_):
    rows = [{"name": name, "status": code, "count": n} for (name, code), n in STATUS.items()]
    Path(os.environ["BROUETTE_LOAD_STATUS"]).write_text(json.dumps(rows))


def unique_jpeg(data: bytes) -> bytes:
    """Return the JPEG with a comment segment after SOI, so every upload has new bytes."""
    comment = f"brouette load test {os.getpid()}-{next(_UNIQUE)}".encode()
    return data[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + data[2:]


class Browsing(HttpUser):
    """An anonymous visitor: home, photo pages and their images, people, tags, Explore."""

    weight = 6
    wait_time = between(0.3, 1.2)

    @task(5)
    def photo_page(self):
        self.client.get(f"/photos/{random.choice(CONFIG['photos'])}/", name="page: photo")

    @task(4)
    def image(self):
        self.client.get(random.choice(CONFIG["renditions"]), name="image: rendition")

    @task(2)
    def home(self):
        self.client.get("/", name="page: home")

    @task(1)
    def explore(self):
        self.client.get("/explore/", name="page: explore")

    @task(2)
    def tag_page(self):
        self.client.get(f"/tags/{random.choice(CONFIG['tags'])}/", name="page: tag")

    @task(1)
    def person(self):
        self.client.get(f"/people/{random.choice(CONFIG['people'])}/", name="page: person")

    @task(2)
    def api_photo(self):
        pk = random.choice(CONFIG["photos"])
        self.client.get(f"/api/v1/photos/{pk}/", name="api: photo")


class Searching(HttpUser):
    """An anonymous visitor searching by words, tags and license, on pages and the API."""

    weight = 3
    wait_time = between(0.3, 1.2)

    @task(3)
    def search_page(self):
        words = " ".join(random.sample(CONFIG["words"], random.choice((1, 1, 2))))
        self.client.get("/search/", params={"q": words}, name="page: search")

    @task(3)
    def search_api(self):
        params = random.choice(
            (
                {"q": random.choice(CONFIG["words"])},
                {"tags": random.choice(CONFIG["tag_names"])},
                {"q": random.choice(CONFIG["words"]), "license_type": "commercial"},
                {"sort": "newest", "page": str(random.randint(1, 20))},
            )
        )
        self.client.get("/api/v1/photos/", params=params, name="api: search")

    @task(1)
    def autocomplete(self):
        prefix = random.choice(CONFIG["tag_names"])[:2]
        self.client.get("/api/v1/tags/", params={"prefix": prefix}, name="api: autocomplete")


class Tagging(HttpUser):
    """A signed-in person (API token) tagging their own photos (added at once, files
    re-stamped in the background), suggesting tags on others' (held for review), starring."""

    weight = 2
    wait_time = between(0.3, 1.2)

    def on_start(self):
        self.loader = next(_LOADERS)
        self.client.headers["Authorization"] = f"Token {self.loader['token']}"

    def _tag(self, pk: int, name: str):
        names = [random.choice(CONFIG["tag_names"]), f"load {random.randint(1, 500)}"]
        self.client.post(f"/api/v1/photos/{pk}/tags/", json={"tags": names}, name=name)

    @task(2)
    def tag_own(self):
        self._tag(random.choice(self.loader["own"]), "api: tag own photo")

    @task(2)
    def suggest(self):
        self._tag(random.choice(CONFIG["photos"]), "api: suggest tag")

    @task(1)
    def favourite(self):
        pk = random.choice(CONFIG["photos"])
        self.client.post(f"/api/v1/photos/{pk}/favorite/", name="api: favourite")


class Uploading(HttpUser):
    """A signed-in person (API token) uploading small real JPEGs through the API."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {next(_LOADERS)['token']}"

    @task
    def upload(self):
        data = unique_jpeg(random.choice(UPLOADS))
        fields = {"title": "Load test upload", "tags": "load upload", "license": "CC-BY-4.0"}
        files = {"file": ("load.jpg", data, "image/jpeg")}
        self.client.post("/api/v1/photos/", data=fields, files=files, name="api: upload")

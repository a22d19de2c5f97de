"""Twenty people tag, favourite and comment on one photo at the same moment: nothing is lost.

Each person is a thread with its own database connection, going through the real endpoints
(the API for tags and favourites, the page's form for comments). A barrier starts every round
together; in each round a third of the people tag, a third favourite and a third comment, so
the three writes contend with each other as well as with themselves. PostgreSQL only: SQLite
serialises writers, so it would prove nothing here (this runs in the second pass).
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from photos import services, storage
from photos.models import Comment, Favorite, Profile, Tag
from tests.factories import jpeg_bytes, upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 20
ACTIONS = ("tag", "favourite", "comment")
EXPECTED_STATUS = {"tag": 201, "favourite": 201, "comment": 302}
SHARED_TAG = "Harbour at Dawn"


@pytest.fixture
def people(db):
    """Twenty signed-up people (no password hashing: they are logged in by the test)."""
    users = []
    for n in range(PEOPLE):
        user = get_user_model().objects.create(username=f"person{n:02d}")
        Profile.objects.create(user=user)
        users.append(user)
    return users


@pytest.fixture
def photo(alice):
    """Alice's photo, open to tags from anyone signed in without review."""
    photo = upload(alice, jpeg_bytes((900, 600), color=(30, 90, 140)))
    return services.photo_update(photo=photo, actor=alice, tag_review=False)


def act(action: str, user, photo_id: int, api: APIClient, web: Client) -> int:
    """Do one person's action through its real endpoint; return the HTTP status."""
    if action == "tag":
        names = [SHARED_TAG, f"seen by {user.username}"]
        url = f"/api/v1/photos/{photo_id}/tags/"
        return api.post(url, {"tags": names}, format="json").status_code
    if action == "favourite":
        return api.post(f"/api/v1/photos/{photo_id}/favorite/").status_code
    body = f"Comment from {user.username}"
    return web.post(f"/photos/{photo_id}/comments/", {"body": body}).status_code


def storm(users, photo_id: int) -> tuple[list[tuple[str, int]], list[BaseException], float]:
    """Run three barrier-started rounds; return (action, status) pairs, errors, seconds."""
    barrier = threading.Barrier(len(users))
    results: list[tuple[str, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def person(index: int, user) -> None:
        try:
            api, web = APIClient(), Client()
            api.force_authenticate(user)
            web.force_login(user)
            for round_ in range(len(ACTIONS)):
                action = ACTIONS[(index + round_) % len(ACTIONS)]
                barrier.wait(timeout=120)
                status = act(action, user, photo_id, api, web)
                with lock:
                    results.append((action, status))
        except BaseException as exc:  # reported by the test, not lost in the thread
            with lock:
                errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=person, args=(i, u)) for i, u in enumerate(users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors, time.monotonic() - started


def test_twenty_people_tagging_favouriting_and_commenting_at_once_lose_nothing(
    alice, people, photo
):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: runs on PostgreSQL in the second pass")
    renditions_before = photo.renditions.count()

    results, errors, seconds = storm(people, photo.pk)

    assert errors == []
    assert not [(a, s) for a, s in results if s >= 500], "a request failed with a 5xx"
    assert Counter(results) == Counter(dict.fromkeys(EXPECTED_STATUS.items(), PEOPLE))
    usernames = {u.username for u in people}
    favourites = Favorite.objects.filter(photo=photo)
    assert favourites.count() == PEOPLE
    assert {f.user.username for f in favourites} == usernames
    comments = Comment.objects.filter(photo=photo)
    assert sorted(c.body for c in comments) == sorted(f"Comment from {u}" for u in usernames)
    assert {c.author.username for c in comments} == usernames
    tagged = photo.tagged.select_related("tag", "added_by")
    assert sorted(t.tag.name for t in tagged) == sorted(
        [SHARED_TAG, *(f"seen by {u}" for u in usernames)]
    )
    assert Tag.objects.filter(canonical="harbour at dawn").count() == 1
    assert {t.added_by.username for t in tagged} <= usernames
    shown = APIClient().get(f"/api/v1/photos/{photo.pk}/").json()
    assert shown["favorites"] == PEOPLE
    assert len(shown["tags"]) == PEOPLE + 1
    page = Client().get(f"/photos/{photo.pk}/").content.decode()
    assert f"{PEOPLE} favourites" in page
    assert all(f"Comment from {u}" in page for u in usernames)
    photo.refresh_from_db()  # twenty re-stamps raced: the photo still has every size stored
    assert photo.status == "ready"
    assert photo.renditions.count() == renditions_before
    current = f"-v{photo.rights_version}/"  # the files carry the latest tags, not older ones
    assert all(current in key for key in photo.renditions.values_list("key", flat=True))
    assert all(
        storage.rendition_exists(key, public=True)
        for key in photo.renditions.values_list("key", flat=True)
    )
    print(
        f"\n{PEOPLE} people x {len(ACTIONS)} actions in {seconds:.1f} s: "
        f"{len(results)} requests, statuses {dict(Counter(s for _, s in results))}, "
        f"{favourites.count()} favourites, {comments.count()} comments, {tagged.count()} tags"
    )

"""Tagging together: permissions from every side, suggestions, removal, identity, discovery."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.test import TestCase

from photos import tag_queries, tagging, tags
from photos.models import Tag, TagSuggestion
from tests.factories import jpeg_bytes, upload

pytestmark = pytest.mark.django_db


def names(photo) -> set[str]:
    return set(photo.tagged.values_list("tag__name", flat=True))


@pytest.fixture
def open_photo(alice):
    """A photo anyone signed in may tag directly."""
    photo = upload(alice, tags="harbour")
    photo.tagging, photo.tag_review = "signed-in", False
    photo.save()
    return photo


# --- Who may tag ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "review", "who", "outcome"),
    [
        ("owner", False, "alice", "added"),
        ("owner", False, "bob", "refused"),
        ("signed-in", False, "bob", "added"),
        ("signed-in", True, "bob", "suggested"),
        ("signed-in", True, "alice", "added"),
        ("album-members", False, "bob", "refused"),  # bob shares no album with the photo
        ("album-members", False, "alice", "added"),
    ],
)
def test_who_may_tag_follows_the_owners_choice(alice, bob, policy, review, who, outcome):
    photo = upload(alice)
    photo.tagging, photo.tag_review = policy, review
    photo.save()
    user = {"alice": alice, "bob": bob}[who]
    if outcome == "refused":
        with pytest.raises(PermissionDenied):
            tags.photo_tag(photo=photo, user=user, names=["night"])
        assert "night" not in names(photo)
        return
    result = tags.photo_tag(photo=photo, user=user, names=["night"])
    assert ("night" in names(photo)) == (outcome == "added")
    assert bool(result.suggested) == (outcome == "suggested")


def test_anonymous_visitors_cannot_tag(open_photo):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied, match="Log in"):
        tags.photo_tag(photo=open_photo, user=AnonymousUser(), names=["x"])


def test_a_blocked_person_cannot_tag_and_their_suggestions_go(alice, bob, open_photo):
    open_photo.tag_review = True
    open_photo.save()
    tags.photo_tag(photo=open_photo, user=bob, names=["spam"])
    tags.tag_block(owner=alice, user=bob)
    assert not TagSuggestion.objects.exists()
    with pytest.raises(PermissionDenied, match="does not accept tags from you"):
        tags.photo_tag(photo=open_photo, user=bob, names=["more"])
    tags.tag_unblock(owner=alice, user=bob)
    tags.photo_tag(photo=open_photo, user=bob, names=["welcome"])


def test_tags_added_by_others_record_who_and_where(open_photo, bob):
    tags.photo_tag(photo=open_photo, user=bob, names=["lighthouse"])
    item = open_photo.tagged.get(tag__name="lighthouse")
    assert item.added_by == bob and item.source == "other"
    owner_item = open_photo.tagged.get(tag__name="harbour")
    assert owner_item.source == "owner"


# --- Suggestions -------------------------------------------------------------------------


def test_the_owner_accepts_a_suggestion_credited_to_its_suggester(alice, bob):
    photo = upload(alice)
    tags.photo_tag(photo=photo, user=bob, names=["Tour Eiffel"])
    assert "Tour Eiffel" not in names(photo)
    tag = Tag.objects.get(canonical="tour eiffel")
    tags.suggestion_decide(photo=photo, user=alice, slug=tag.slug, accept=True)
    item = photo.tagged.get(tag=tag)
    assert item.added_by == bob and not TagSuggestion.objects.exists()


def test_the_owner_rejects_a_suggestion(alice, bob):
    photo = upload(alice)
    tags.photo_tag(photo=photo, user=bob, names=["wrong"])
    tags.suggestion_decide(photo=photo, user=alice, slug="wrong", accept=False)
    assert "wrong" not in names(photo) and not TagSuggestion.objects.exists()


def test_only_the_owner_reviews_suggestions(alice, bob, carol):
    photo = upload(alice)
    tags.photo_tag(photo=photo, user=bob, names=["maybe"])
    with pytest.raises(PermissionDenied):
        tags.suggestion_decide(photo=photo, user=carol, slug="maybe", accept=True)


# --- Removal -----------------------------------------------------------------------------


def test_removal_rules(open_photo, alice, bob, carol):
    tags.photo_tag(photo=open_photo, user=bob, names=["bobs"])
    tags.photo_tag(photo=open_photo, user=carol, names=["carols"])
    with pytest.raises(PermissionDenied):
        tags.photo_untag(photo=open_photo, user=bob, slug="carols")
    tags.photo_untag(photo=open_photo, user=bob, slug="bobs")  # one's own tag
    tags.photo_untag(photo=open_photo, user=alice, slug="carols")  # the owner: any tag
    with pytest.raises(PermissionDenied):
        tags.photo_untag(photo=open_photo, user=carol, slug="harbour")
    assert names(open_photo) == {"harbour"}


def test_a_moderator_removes_a_tag_across_the_site(alice, bob, carol):
    first = upload(alice, jpeg_bytes(color=(10, 10, 10)), tags="offensive")
    second = upload(bob, jpeg_bytes(color=(200, 10, 10)), tags="offensive fine")
    tag = Tag.objects.get(canonical="offensive")
    with pytest.raises(PermissionDenied):
        tags.tag_remove_everywhere(tag=tag, moderator=carol)
    carol.user_permissions.add(Permission.objects.get(codename="moderate_tags"))
    carol = type(carol).objects.get(pk=carol.pk)
    assert tags.tag_remove_everywhere(tag=tag, moderator=carol) == 2
    assert names(first) == set() and names(second) == {"fine"}


# --- Identity and limits -----------------------------------------------------------------


def test_spellings_of_one_tag_are_one_tag_keeping_the_first_display_form(alice, bob):
    upload(alice, jpeg_bytes(color=(1, 100, 1)), tags='"Tour Eiffel"')
    upload(bob, jpeg_bytes(color=(1, 1, 100)), tags='"TOUR  EIFFEL", "tour eiffel"')
    tag = Tag.objects.get()
    assert tag.name == "Tour Eiffel" and tag.canonical == "tour eiffel"
    assert tag.tagged_photos.count() == 2


def test_slugs_that_would_collide_are_kept_apart(alice):
    photo = upload(alice, tags='"a b", a-b')
    slugs = set(photo.tagged.values_list("tag__slug", flat=True))
    assert len(slugs) == 2


def test_an_over_long_tag_is_refused_naming_it(alice, client):
    client.force_login(alice)
    long_tag = "x" * 101
    response = client.post(
        "/upload/",
        {
            "tags": long_tag,
            "license": "CC-BY-4.0",
            "visibility": "public",
            "file": jpeg_bytes_file(),
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "longer than 100 characters" in str(response.json()["fields"]["tags"])


def jpeg_bytes_file():
    from tests.factories import uploaded

    return uploaded(jpeg_bytes(), "a.jpg")


def test_a_photo_holds_at_most_75_tags(alice):
    photo = upload(alice, tags=" ".join(f"t{i}" for i in range(75)))
    with pytest.raises(tagging.TagError, match="at most 75"):
        tags.photo_tag(photo=photo, user=alice, names=["one-more"])


def test_keywords_in_the_file_become_tags_from_its_metadata(alice):
    from pathlib import Path

    data = (Path(__file__).parent.parent / "data" / "xmp_keywords.jpg").read_bytes()
    photo = upload(alice, data, "kw.jpg", tags="mine")
    sources = dict(photo.tagged.values_list("tag__name", "source"))
    assert sources["mine"] == "owner"
    assert sources["Lighthouse"] == "metadata"
    assert sources["Places|France|Brittany"] == "metadata"
    assert "Brittany" not in sources  # the leaf of the hierarchy, not a second tag


# --- Machine tags ------------------------------------------------------------------------


def test_machine_tags_are_stored_in_parts_and_searchable_with_wildcards(api, alice):
    bear = upload(alice, jpeg_bytes(color=(90, 60, 30)), tags='taxonomy:binomial="Ursus arctos"')
    tower = upload(alice, jpeg_bytes(color=(30, 60, 90)), tags="wikidata:depicts=Q243")
    tag = Tag.objects.get(namespace="taxonomy")
    assert (tag.predicate, tag.value) == ("binomial", "ursus arctos")

    def found(query):
        body = api.get("/api/v1/photos/", {"machine_tags": query}).json()
        return {p["id"] for p in body["results"]}

    assert found('taxonomy:binomial="ursus arctos"') == {bear.pk}
    assert found("taxonomy:*") == {bear.pk}
    assert found("taxonomy:binomial=*") == {bear.pk}
    assert found("wikidata:depicts=Q243") == {tower.pk}
    assert found("geo:*") == set()
    response = api.get("/api/v1/photos/", {"machine_tags": "not a query"})
    assert (
        response.status_code == 400 and "namespace:predicate" in response.json()["error"]["message"]
    )


def test_tag_filters_with_all_and_any(api, alice):
    a = upload(alice, jpeg_bytes(color=(1, 2, 200)), tags="paris tower")
    b = upload(alice, jpeg_bytes(color=(200, 2, 1)), tags="paris")
    ids = lambda **p: {x["id"] for x in api.get("/api/v1/photos/", p).json()["results"]}  # noqa: E731
    assert ids(tags="paris,tower") == {a.pk}
    assert ids(tags="paris,tower", tag_mode="any") == {a.pk, b.pk}


# --- Discovery ---------------------------------------------------------------------------


@pytest.fixture
def seeded(alice, bob):
    """Photos tagged so that 'eiffel' co-occurs with 'paris' most, then 'tower'."""
    sets = ["eiffel paris tower", "eiffel paris", "eiffel paris night", "eiffel tower", "paris"]
    photos = [upload(alice, jpeg_bytes(color=(i * 40, 5, 5)), tags=t) for i, t in enumerate(sets)]
    upload(bob, jpeg_bytes(color=(5, 5, 250)), tags="eiffel secret", visibility="private")
    return photos


def test_related_tags_come_from_co_occurrence_on_public_photos(seeded):
    related = tag_queries.related(Tag.objects.get(canonical="eiffel"))
    assert [(t.name, t.count) for t in related[:2]] == [("paris", 3), ("tower", 2)]
    assert "secret" not in {t.name for t in related}


def test_autocomplete_is_by_prefix_most_used_first(api, seeded):
    upload(seeded[0].owner, jpeg_bytes(color=(7, 200, 7)), tags="pari")
    body = api.get("/api/v1/tags/", {"prefix": "PAR"}).json()
    assert [t["name"] for t in body][:2] == ["paris", "pari"]
    assert body[0]["count"] == 4


def test_counts_never_reveal_private_photos(api, seeded):
    assert api.get("/api/v1/tags/", {"prefix": "secr"}).json() == []
    assert api.get("/api/v1/tags/eiffel/").json()["count"] == 4


def test_the_tag_page_lists_what_the_viewer_may_see_and_related_tags(client, seeded, bob):
    page = client.get("/tags/eiffel/").content.decode()
    assert page.count('class="tile"') == 4
    assert "paris" in page and 'type="application/atom+xml"' in page
    client.force_login(bob)
    assert client.get("/tags/eiffel/").content.decode().count('class="tile"') == 5


def test_the_tag_cloud_and_a_persons_tags(client, seeded, alice):
    cloud = client.get("/tags/").content.decode()
    assert "eiffel" in cloud and "secret" not in cloud
    mine = client.get("/people/alice/tags/").content.decode()
    assert "tower" in mine


def test_the_tag_feed_is_atom_with_public_photos_only(client, seeded):
    import feedparser

    feed = feedparser.parse(client.get("/feeds/tag/eiffel/").content)
    assert feed.version == "atom10" and len(feed.entries) == 4
    assert all("creativecommons.org" in e.summary for e in feed.entries)


def test_bulk_tagging_from_the_photostream(client, seeded, alice):
    client.force_login(alice)
    ids = [p.pk for p in seeded[:3]]
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/photos/bulk-tag/", {"photos": ids, "add": "france", "remove": "night"})
    for photo in seeded[:3]:
        assert "france" in names(photo) and "night" not in names(photo)
    assert "france" not in names(seeded[3])


# --- API ---------------------------------------------------------------------------------


def test_the_tag_endpoints_answer_201_202_403_and_remove(api, alice, bob, carol):
    photo = upload(alice)
    url = f"/api/v1/photos/{photo.pk}/tags/"
    api.force_authenticate(bob)
    assert api.post(url, {"tags": ["dusk"]}, format="json").status_code == 202
    photo.tag_review = False
    photo.save()
    assert api.post(url, {"tags": ["dawn"]}, format="json").status_code == 201
    photo.tagging = "owner"
    photo.save()
    response = api.post(url, {"tags": ["noon"]}, format="json")
    assert response.status_code == 403 and "Only the owner" in response.json()["error"]["message"]
    api.force_authenticate(alice)
    queue = api.get(f"/api/v1/photos/{photo.pk}/suggestions/").json()
    assert [s["name"] for s in queue] == ["dusk"] and queue[0]["added_by"] == "bob"
    decided = api.post(
        f"/api/v1/photos/{photo.pk}/suggestions/dusk/", {"decision": "accept"}, format="json"
    )
    assert decided.status_code == 200
    assert api.delete(f"{url}dawn/").status_code == 204
    body = api.get(f"/api/v1/photos/{photo.pk}/").json()
    assert {t["name"]: t["added_by"] for t in body["tags"]} == {"dusk": "bob"}


def test_a_bad_tag_through_the_api_is_a_400_naming_it(api, alice):
    photo = upload(alice)
    api.force_authenticate(alice)
    response = api.post(
        f"/api/v1/photos/{photo.pk}/tags/", {"tags": ["bad\u202etag"]}, format="json"
    )
    assert response.status_code == 400
    assert "control characters" in response.json()["error"]["message"]


# --- Query counts ------------------------------------------------------------------------


def count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_tag_page_queries_do_not_grow_with_the_photos_shown(client, alice):
    upload(alice, jpeg_bytes(color=(1, 1, 1)), tags="sea boat")
    few = count_queries(client, "/tags/sea/", None)
    for i in range(8):
        upload(alice, jpeg_bytes(color=(i * 25, 80, 1)), tags=f"sea boat t{i} u{i}")
    assert count_queries(client, "/tags/sea/", None) == few


def test_photo_page_queries_do_not_grow_with_the_tags_shown(client, alice):
    photo = upload(alice, tags="one")
    few = count_queries(client, photo.get_absolute_url(), None)
    tags.photo_tag(photo=photo, user=alice, names=[f"tag{i}" for i in range(30)])
    assert count_queries(client, photo.get_absolute_url(), None) == few


# --- Tags travel with files --------------------------------------------------------------


def test_tags_travel_in_xmp_and_come_back_on_upload(alice, bob, tmp_path):
    import json
    import shutil
    import subprocess

    from photos import storage

    photo = upload(alice, jpeg_bytes((900, 600)), tags='harbour "north sea" Places|France|Brest')
    photo.refresh_from_db()
    rendition = photo.renditions.get(name="medium", format="jpg")
    with storage.open_rendition(rendition.key, public=True) as fh:
        data = fh.read()
    path = tmp_path / "medium.jpg"
    path.write_bytes(data)
    assert shutil.which("exiftool"), "exiftool is required (apt-get install libimage-exiftool-perl)"
    out = subprocess.run(["exiftool", "-j", "-G1", str(path)], capture_output=True, check=True)
    found = json.loads(out.stdout)[0]
    assert set(found["XMP-dc:Subject"]) == {"harbour", "north sea", "Brest"}
    assert found["XMP-lr:HierarchicalSubject"] == "Places|France|Brest"
    again = upload(bob, data, "medium.jpg")
    assert names(again) == {"harbour", "north sea", "Places|France|Brest"}


# --- Concurrency ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_requests_adding_one_new_tag_leave_exactly_one(alice):
    """Twenty threads, twenty connections, one new tag: PostgreSQL, in the second pass."""
    import threading

    from django.db import connection
    from rest_framework.test import APIClient

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: runs on PostgreSQL in the second pass")

    photo = upload(alice)
    barrier = threading.Barrier(20)
    statuses = []

    def add():
        client = APIClient()
        client.force_authenticate(alice)
        barrier.wait()
        try:
            response = client.post(
                f"/api/v1/photos/{photo.pk}/tags/", {"tags": ["Brand New"]}, format="json"
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 20
    assert photo.tagged.filter(tag__canonical="brand new").count() == 1
    assert Tag.objects.filter(canonical="brand new").count() == 1


def test_a_moderator_removes_a_tag_everywhere_from_the_tag_page(client, alice, carol):
    photo = upload(alice, tags="offensive")
    client.force_login(carol)
    assert "Remove this tag everywhere" not in client.get("/tags/offensive/").content.decode()
    assert client.post("/tags/offensive/remove-everywhere/").status_code == 403
    carol.user_permissions.add(Permission.objects.get(codename="moderate_tags"))
    assert "Remove this tag everywhere" in client.get("/tags/offensive/").content.decode()
    client.post("/tags/offensive/remove-everywhere/")
    assert names(photo) == set()

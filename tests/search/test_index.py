"""The index follows every change in the same transaction, and rebuilds from scratch."""

import pytest
from django.core.management import call_command
from django.db import transaction

from photos import search, services
from photos import tags as tag_actions
from photos.models import Photo
from photos.search import backends, keys
from tests.search.conftest import ids, make

pytestmark = pytest.mark.django_db


def found(q, viewer=None):
    return ids(search.search(search.parse({"q": q}), viewer=viewer))


def test_upload_is_searchable_at_once(alice):
    photo = make(alice, title="Kingfisher", tags="river")
    assert found("kingfisher") == found("river") == [photo.pk]


def test_edit_replaces_the_old_words(alice):
    photo = make(alice, title="Heron")
    services.photo_update(photo=photo, actor=alice, title="Egret", description="wading")
    assert found("heron") == [] and found("egret wading") == [photo.pk]


def test_tag_added_and_removed(alice, bob):
    photo = make(alice, title="Meadow")
    photo.tag_review = False
    photo.save()
    tag_actions.photo_tag(photo=photo, user=bob, names=["poppies"])
    assert found("poppies") == [photo.pk]
    tag_actions.photo_untag(photo=photo, user=alice, slug="poppies")
    assert found("poppies") == []


def test_license_change_moves_the_photo_between_license_filters(alice):
    photo = make(alice, title="Dunes", license="CC-BY-NC-4.0")
    query = search.parse({"q": "dunes", "license_type": "commercial"})
    assert search.search(query, viewer=None).count == 0
    services.photo_update(photo=photo, actor=alice, license="CC-BY-4.0")
    assert search.search(query, viewer=None).count == 1


def test_visibility_change_hides_and_shows(alice):
    photo = make(alice, title="Lagoon")
    services.photo_update(photo=photo, actor=alice, visibility="private")
    assert found("lagoon") == []
    services.photo_update(photo=photo, actor=alice, visibility="public")
    assert found("lagoon") == [photo.pk]


def test_delete_removes_the_document(alice):
    photo = make(alice, title="Quarry")
    pk = photo.pk
    services.photo_delete(photo=photo)
    assert found("quarry") == []
    assert _documents() == 0 or pk not in _indexed_ids()


def test_renaming_the_owner_reindexes_their_photos(alice):
    photo = make(alice, title="Canal")
    services.profile_update(profile=alice.profile, display_name="Lorina Charlotte")
    assert found("lorina") == [photo.pk] and found("liddell") == []


def test_a_rolled_back_edit_leaves_the_index_as_it_was(alice):
    photo = make(alice, title="Glacier")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.photo_update(photo=Photo.objects.get(pk=photo.pk), actor=alice, title="Moraine")
        raise RuntimeError
    assert found("glacier") == [photo.pk] and found("moraine") == []


def test_rebuild_command_restores_a_wiped_index(alice, bob):
    photos = [make(alice, title="Tundra"), make(bob, title="Tundra wolves")]
    backends.current().clear()
    assert found("tundra") == []
    call_command("rebuild_search_index", verbosity=0)
    assert set(found("tundra")) == {p.pk for p in photos}
    assert _documents() == 2


def _documents() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM photos_search")
        return cursor.fetchone()[0]


def _indexed_ids() -> set[int]:
    from django.db import connection

    column = f"rowid & {keys.ID_MASK}" if connection.vendor == "sqlite" else "photo_id"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM photos_search")  # noqa: S608
        return {row[0] for row in cursor.fetchall()}

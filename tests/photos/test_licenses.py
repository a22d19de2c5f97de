"""License history, confirmation of stricter terms, bulk changes and derivative rules."""

import pytest
from django.test import TestCase

from photos import licenses, services
from photos.models import LicenseGrant
from tests.factories import jpeg_bytes, upload

pytestmark = pytest.mark.django_db


def update(photo, **fields):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.photo_update(photo=photo, actor=photo.owner, **fields)


def test_an_upload_records_its_first_grant_with_the_credit_of_that_time(alice):
    photo = upload(alice, license="CC-BY-4.0")
    grant = photo.grants.get()
    assert grant.license == "CC-BY-4.0"
    assert grant.attribution_name == "Alice Liddell"
    assert grant.attribution_url.endswith("/people/alice/")
    assert grant.actor == alice


def test_changing_the_license_appends_a_grant_and_never_edits_one(alice):
    photo = upload(alice, license="CC-BY-4.0")
    first = photo.grants.get()
    update(photo, license="CC-BY-SA-4.0", confirm=True)
    update(photo, license="CC0-1.0")
    assert list(photo.grants.values_list("license", flat=True)) == [
        "CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0"
    ]  # fmt: skip
    first.refresh_from_db()
    assert first.license == "CC-BY-4.0"
    periods = licenses.history(photo)
    assert periods[0].end == periods[1].start and periods[-1].end is None


def test_grants_cannot_be_rewritten(alice):
    grant = upload(alice).grants.get()
    grant.license = "CC0-1.0"
    with pytest.raises(ValueError, match="append-only"):
        grant.save()


def test_stricter_terms_need_confirmation(alice):
    photo = upload(alice, license="CC-BY-4.0")
    with pytest.raises(licenses.ConfirmationRequired, match="more restrictive"):
        update(photo, license="CC-BY-NC-4.0")
    photo.refresh_from_db()
    assert photo.license == "CC-BY-4.0" and photo.grants.count() == 1
    update(photo, license="CC-BY-NC-4.0", confirm=True)
    assert photo.grants.count() == 2


def test_freer_terms_need_no_confirmation(alice):
    photo = upload(alice, license="all-rights-reserved")
    update(photo, license="CC-BY-4.0")
    assert photo.grants.last().license == "CC-BY-4.0"


def test_a_new_license_or_title_restamps_the_renditions_under_new_keys(alice):
    photo = upload(alice, jpeg_bytes((900, 600)), license="CC-BY-4.0")
    old_keys = set(photo.renditions.values_list("key", flat=True))
    update(photo, title="New title")
    photo.refresh_from_db()
    new_keys = set(photo.renditions.values_list("key", flat=True))
    assert photo.rights_version == 2 and not old_keys & new_keys
    from photos import storage

    assert not any(storage.rendition_exists(k, public=True) for k in old_keys)
    assert all(storage.rendition_exists(k, public=True) for k in new_keys)


def test_a_rights_change_restamps_the_sizes_without_reading_or_resizing_the_original(
    alice, monkeypatch
):
    from photos import imaging, renditions, storage
    from photos.stamp import stamp

    photo = upload(alice, jpeg_bytes((900, 600)), license="CC-BY-4.0")
    before = {(r.name, r.format): r for r in photo.renditions.all()}
    with storage.open_rendition(before["medium", "jpg"].key, public=True) as fh:
        medium = fh.read()

    def untouched(*args, **kwargs):
        raise AssertionError("the original was read again")

    monkeypatch.setattr(renditions.storage, "open_original", untouched)
    monkeypatch.setattr(imaging, "make_renditions", untouched)
    update(photo, license="CC0-1.0")
    photo.refresh_from_db()
    after = {(r.name, r.format): r for r in photo.renditions.all()}
    assert set(after) == set(before) and photo.status == "ready"
    old, new = before["medium", "jpg"], after["medium", "jpg"]
    expected = stamp(medium, "JPEG", renditions.rights_of(photo))  # same pixels, new rights
    with storage.open_rendition(new.key, public=True) as fh:
        assert fh.read() == expected and (new.width, new.height) == (old.width, old.height)


def test_a_missing_size_file_falls_back_to_rendering_from_the_original(alice):
    from photos import storage

    photo = upload(alice, jpeg_bytes((900, 600)), license="CC-BY-4.0")
    lost = photo.renditions.get(name="small", format="webp")
    storage.delete_renditions([lost.key], public=True)
    update(photo, title="After the loss")
    photo.refresh_from_db()
    assert photo.status == "ready" and photo.renditions.count() > 0
    assert all(storage.rendition_exists(r.key, public=True) for r in photo.renditions.all())


def test_bulk_relicensing_changes_only_the_owners_photos(alice, bob):
    mine = [upload(alice, jpeg_bytes(color=(i * 60, 1, 1)), license="CC-BY-4.0") for i in range(3)]
    theirs = upload(bob, license="CC-BY-4.0")
    with TestCase.captureOnCommitCallbacks(execute=True):
        count = services.photos_relicense(
            owner=alice, photos=[*mine, theirs], license="CC-BY-SA-4.0", confirm=True
        )
    assert count == 3
    theirs.refresh_from_db()
    assert theirs.license == "CC-BY-4.0"
    assert LicenseGrant.objects.filter(license="CC-BY-SA-4.0").count() == 3


def test_bulk_relicensing_to_stricter_terms_needs_confirmation(alice):
    photos = [
        upload(alice, jpeg_bytes(color=(i * 60, 2, 2)), license="CC-BY-4.0") for i in range(2)
    ]
    with pytest.raises(licenses.ConfirmationRequired):
        services.photos_relicense(owner=alice, photos=photos, license="CC-BY-ND-4.0")


def test_an_adaptation_of_a_no_derivatives_photo_is_refused(alice, bob):
    source = upload(alice, license="CC-BY-ND-4.0")
    with pytest.raises(licenses.LicenseNotAllowed, match="adapt"):
        upload(bob, jpeg_bytes(color=(90, 9, 200)), license="CC-BY-4.0", sources=[source])


def test_an_adaptation_of_a_share_alike_photo_must_share_alike(alice, bob):
    source = upload(alice, license="CC-BY-SA-4.0")
    with pytest.raises(licenses.LicenseNotAllowed):
        upload(bob, jpeg_bytes(color=(9, 190, 20)), license="CC-BY-4.0", sources=[source])
    remix = upload(bob, jpeg_bytes(color=(250, 250, 30)), license="CC-BY-SA-4.0", sources=[source])
    assert remix.source_links.get().source == source
    assert (
        "only" in licenses.disabled_choices(remix)["CC-BY-4.0"]
        or licenses.disabled_choices(remix)["CC-BY-4.0"]
    )


def test_an_adaptation_credits_its_sources(alice, bob, client):
    source = upload(alice, title="Fjord", license="CC-BY-4.0")
    remix = upload(bob, jpeg_bytes(color=(120, 20, 120)), title="Fjord at night", sources=[source])
    text = client.get(f"/api/v1/photos/{remix.pk}/attribution/?format=text").content.decode()
    assert 'Adapted from "Fjord"' in text and "Alice Liddell" in text
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Fjord at night" in page  # links both ways


def test_the_license_history_endpoint(api, alice):
    photo = upload(alice, license="CC-BY-4.0")
    update(photo, license="CC0-1.0")
    body = api.get(f"/api/v1/photos/{photo.pk}/licenses/").json()
    assert [p["license"]["id"] for p in body] == ["CC-BY-4.0", "CC0-1.0"]
    assert body[0]["until"] == body[1]["from"] and body[1]["until"] is None


def test_patching_to_stricter_terms_answers_409_until_confirmed(api, alice):
    photo = upload(alice, license="CC-BY-4.0")
    api.force_authenticate(alice)
    url = f"/api/v1/photos/{photo.pk}/"
    response = api.patch(url, {"license": "CC-BY-NC-ND-4.0"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "confirmation_required"
    response = api.patch(url, {"license": "CC-BY-NC-ND-4.0", "confirm": True}, format="json")
    assert response.json()["license"]["id"] == "CC-BY-NC-ND-4.0"


def test_the_modified_form_of_the_credit(api, alice):
    photo = upload(alice, title="Harbour", license="CC-BY-4.0")
    url = f"/api/v1/photos/{photo.pk}/attribution/?format=text&changes=cropped"
    assert "Changes: cropped." in api.get(url).content.decode()


def test_the_photo_page_shows_the_history_with_dates(client, alice):
    photo = upload(alice, license="CC-BY-4.0")
    update(photo, license="CC-BY-SA-4.0", confirm=True)
    page = client.get(photo.get_absolute_url()).content.decode()
    assert "Offered under" in page and "copies obtained then may still be used under it" in page
    assert "CC BY-SA 4.0</a> from" in page


def test_editing_to_stricter_terms_on_the_page_asks_first(client, alice):
    photo = upload(alice, license="CC-BY-4.0")
    client.force_login(alice)
    form = {
        "title": photo.title, "description": "", "license": "CC-BY-NC-4.0",
        "visibility": "public", "creator_name": "", "creator_url": "", "source_url": "",
        "comment_policy": "signed-in", "tagging": "signed-in", "tag_review": "on",
        "allow_original_download": "on", "tags": "",
    }  # fmt: skip
    page = client.post(f"/photos/{photo.pk}/edit/", form).content.decode()
    assert "Confirm the new license" in page
    photo.refresh_from_db()
    assert photo.license == "CC-BY-4.0"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/photos/{photo.pk}/edit/", {**form, "confirm": "yes"})
    photo.refresh_from_db()
    assert photo.license == "CC-BY-NC-4.0"


def test_bulk_change_from_the_photostream_lists_every_change_first(client, alice):
    a = upload(alice, jpeg_bytes(color=(10, 100, 200)), title="Alpha", license="CC-BY-4.0")
    b = upload(alice, jpeg_bytes(color=(200, 100, 10)), title="Beta", license="CC0-1.0")
    client.force_login(alice)
    data = {"photos": [a.pk, b.pk], "license": "CC-BY-SA-4.0"}
    page = client.post("/photos/relicense/", data).content.decode()
    assert "Alpha" in page and "CC BY 4.0 → <strong>CC BY-SA 4.0</strong>" in page
    assert "more restrictive" in page  # CC0 -> BY-SA takes something away
    a.refresh_from_db()
    assert a.license == "CC-BY-4.0"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/photos/relicense/", {**data, "confirm": "yes"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.license == b.license == "CC-BY-SA-4.0"

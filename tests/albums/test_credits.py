"""The license summary and the credits documents."""

import pytest

from albums import credits

pytestmark = pytest.mark.django_db


def test_the_summary_counts_licenses_and_names_what_they_allow():
    ids = ["CC-BY-4.0"] * 20 + ["CC0-1.0"] * 12 + ["CC-BY-SA-4.0"] * 6
    assert credits.license_summary(ids) == (
        "38 photos: 20 CC BY 4.0, 12 CC0 1.0, 6 CC BY-SA 4.0; all allow commercial use; "
        "6 require share-alike"
    )


def test_the_summary_says_what_some_do_not_allow():
    ids = ["CC-BY-NC-ND-4.0", "CC-BY-4.0", "all-rights-reserved"]
    assert credits.license_summary(ids) == (
        "3 photos: 1 All rights reserved, 1 CC BY 4.0, 1 CC BY-NC-ND 4.0; "
        "1 of 3 allow commercial use; 2 do not allow adaptations"
    )


def test_the_summary_of_one_photo_and_of_none():
    assert credits.license_summary(["CC-BY-NC-SA-4.0"]) == (
        "1 photo: 1 CC BY-NC-SA 4.0; none allow commercial use; 1 requires share-alike"
    )
    assert credits.license_summary([]) == "No photos yet."


def test_documents_list_left_out_photos_apart(alice):
    from tests.albums.conftest import photo_of

    shared = credits.entry_for(photo_of(alice, title="Quay"), filename="001-quay.jpg")
    kept = credits.entry_for(photo_of(alice, title="Mine"), left_out="all rights are reserved.")
    text = credits.as_text("Harbours <b>", [shared, kept])
    assert text.startswith("Credits for “Harbours <b>”")
    assert '- 001-quay.jpg: "Quay"' in text
    assert text.split("Left out of this download:")[1].strip().startswith("- “Mine”")
    html = credits.as_html("Harbours <b>", [shared, kept])
    assert "Harbours &lt;b&gt;" in html and "<code>001-quay.jpg</code>" in html
    assert "Mine</a>: all rights are reserved." in html
    assert "Mine" not in credits.as_markdown("Harbours", [shared, kept])
    data = credits.as_json("Harbours", [shared, kept])
    assert [p["title"] for p in data["photos"]] == ["Quay"]
    assert data["left_out"][0]["reason"] == "all rights are reserved."

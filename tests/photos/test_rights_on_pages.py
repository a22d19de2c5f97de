"""Machine-readable rights on the photo page, read back with real parsers (extruct)."""

import extruct
import pytest

from tests.factories import jpeg_bytes, upload

pytestmark = pytest.mark.django_db

CC = "http://creativecommons.org/ns#"
DCT = "http://purl.org/dc/terms/"


def structured(client, photo):
    response = client.get(photo.get_absolute_url())
    url = "http://testserver" + photo.get_absolute_url()
    return extruct.extract(
        response.content.decode(), base_url=url, syntaxes=["json-ld", "rdfa"], uniform=False
    )


def rdfa_values(data, predicate: str) -> list[str]:
    values = []
    for node in data["rdfa"]:
        for item in node.get(predicate, []):
            values.append(item.get("@value") or item.get("@id"))
    return values


def test_the_photo_page_carries_cc_rel_rdfa(client, alice):
    photo = upload(alice, jpeg_bytes((1700, 1100)), title="Harbour", license="CC-BY-SA-4.0")
    data = structured(client, photo)
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in rdfa_values(
        data, "http://www.w3.org/1999/xhtml/vocab#license"
    )
    assert rdfa_values(data, CC + "attributionName") == ["Alice Liddell"]
    assert rdfa_values(data, CC + "attributionURL") == [
        "http://testserver" + photo.get_absolute_url()
    ]
    assert rdfa_values(data, DCT + "title") == ["Harbour"]


def test_the_photo_page_carries_schema_org_image_object(client, alice):
    photo = upload(alice, jpeg_bytes((1700, 1100)), title="Harbour", license="CC-BY-4.0")
    image = structured(client, photo)["json-ld"][0]
    assert image["@type"] == "ImageObject"
    assert image["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert image["acquireLicensePage"] == "http://testserver" + photo.get_absolute_url()
    assert image["creditText"] == "Alice Liddell"
    assert image["creator"]["name"] == "Alice Liddell"
    assert "large.jpg" in image["contentUrl"]
    assert "CC BY 4.0" in image["copyrightNotice"]


def test_a_derivative_names_its_source_in_rdfa(client, alice, bob):
    source = upload(alice, title="Fjord", license="CC-BY-4.0")
    remix = upload(bob, jpeg_bytes(color=(1, 200, 90)), title="Remix", sources=[source])
    data = structured(client, remix)
    assert "http://testserver" + source.get_absolute_url() in rdfa_values(data, DCT + "source")


def test_hostile_titles_stay_escaped_in_json_ld_and_rdfa(client, alice):
    title = '</script><script>alert("x")</script>'
    photo = upload(alice, title=title, license="CC-BY-4.0")
    html = client.get(photo.get_absolute_url()).content.decode()
    assert '<script>alert("x")' not in html
    assert structured(client, photo)["json-ld"][0]["name"] == title

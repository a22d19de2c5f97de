import hashlib
import struct
import xml.etree.ElementTree as ET

import pytest

from licensing import catalogue
from licensing.attribution import as_text
from licensing.metadata import (
    ARTIST,
    COPYRIGHT,
    MAX_XMP_BYTES,
    NAMESPACES,
    Rights,
    exif_rights,
    iptc_iim,
    iptc_rights,
    xmp_packet,
)

PAGE = "https://photos.example/p/123"
PROFILE = "https://photos.example/u/zoe"
RDF = "{" + NAMESPACES["rdf"] + "}"
HOSTILE_NAME = "<script>alert('x')</script> \"Zoë\" & Co \u202eexe.jpg\x00\x07\x1b\ud800\ufffe"


def rights(license_id="CC-BY-SA-4.0", **kwargs):
    defaults = {
        "title": "Sunset over Oslo",
        "creator_name": "Zoë Martin",
        "creator_url": PROFILE,
        "source_url": PAGE,
        "year": 2026,
    }
    return Rights(license=catalogue.get(license_id), **{**defaults, **kwargs})


def xmp_fields(packet: bytes) -> dict:
    """Parse a packet and return {prefix:name: value or list of values}."""
    root = ET.fromstring(packet)  # noqa: S314 - our own output, no DTD
    assert root.tag == "{adobe:ns:meta/}xmpmeta"
    (description,) = root.iter(RDF + "Description")
    prefixes = {f"{{{uri}}}": prefix for prefix, uri in NAMESPACES.items()}
    fields = {}
    for prop in description:
        uri, _, name = prop.tag[1:].partition("}")
        key = f"{prefixes['{' + uri + '}']}:{name}"
        if RDF + "resource" in prop.attrib:
            fields[key] = prop.attrib[RDF + "resource"]
        elif key == "plus:Licensor":
            item = prop.find(f"{RDF}Seq/{RDF}li")
            fields[key] = {child.tag.split("}")[1]: child.text for child in item}
        elif len(prop):
            items = list(prop.iter(RDF + "li"))
            fields[key] = [item.text for item in items]
        else:
            fields[key] = prop.text
    return fields


def iim_datasets(iim: bytes) -> dict[tuple[int, int], bytes]:
    """Parse IPTC-IIM bytes into {(record, dataset): value}."""
    datasets, pos = {}, 0
    while pos < len(iim):
        marker, record, number, length = struct.unpack(">BBBH", iim[pos : pos + 5])
        assert marker == 0x1C
        datasets[(record, number)] = iim[pos + 5 : pos + 5 + length]
        pos += 5 + length
    assert pos == len(iim)
    return datasets


def test_copyright_notice_names_the_year_the_creator_and_the_license():
    assert rights().copyright_notice == "© 2026 Zoë Martin. Licensed under CC BY-SA 4.0."
    assert rights("CC-BY-4.0", year=None).copyright_notice == (
        "© Zoë Martin. Licensed under CC BY 4.0."
    )
    assert rights(creator_name="", year=None).copyright_notice == "Licensed under CC BY-SA 4.0."


def test_copyright_notice_for_public_domain_tools_reserves_nothing():
    assert rights("CC0-1.0").copyright_notice == (
        "No rights reserved: dedicated to the public domain (CC0 1.0)."
    )
    assert rights("CC-PDM-1.0").copyright_notice == (
        "No known copyright: marked with the Public Domain Mark 1.0."
    )


def test_copyright_notice_for_all_rights_reserved_says_so():
    assert rights("all-rights-reserved").copyright_notice == (
        "© 2026 Zoë Martin. All rights reserved."
    )
    assert rights("all-rights-reserved", creator_name="").copyright_notice == (
        "© 2026. All rights reserved."
    )


@pytest.mark.parametrize("year", [0, -5, 10_000, True, "2026"])
def test_implausible_years_are_left_out(year):
    assert rights(year=year).copyright_notice == "© Zoë Martin. Licensed under CC BY-SA 4.0."


@pytest.mark.parametrize(
    ("license_id", "marked"),
    [("CC-BY-SA-4.0", True), ("CC-BY-NC-ND-3.0", True), ("all-rights-reserved", True),
     ("CC0-1.0", False), ("CC-PDM-1.0", False)],
)  # fmt: skip
def test_only_public_domain_works_are_unmarked(license_id, marked):
    assert rights(license_id).marked is marked
    expected = "True" if marked else "False"
    assert xmp_fields(xmp_packet(rights(license_id)))["xmpRights:Marked"] == expected


def test_credit_line_is_name_then_license():
    assert rights().credit_line == "Zoë Martin / CC BY-SA 4.0"
    assert rights("all-rights-reserved").credit_line == "Zoë Martin"
    assert rights(creator_name="").credit_line == "CC BY-SA 4.0"


def test_attribution_url_is_the_photo_page_else_the_creator():
    assert rights().attribution_url == PAGE
    assert rights(source_url="").attribution_url == PROFILE
    assert rights(creator_url="", source_url="").attribution_url == ""


def test_usage_terms_are_the_plain_text_attribution():
    r = rights()
    assert r.usage_terms == as_text(r.work)
    assert r.usage_terms.startswith('"Sunset over Oslo" (https://photos.example/p/123) by Zoë')


def test_packet_is_a_complete_xpacket():
    packet = xmp_packet(rights())
    assert packet.startswith('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'.encode())
    assert packet.endswith(b'<?xpacket end="w"?>')
    assert b"\x00" not in packet


def test_packet_for_a_cc_by_sa_photo_carries_every_field():
    assert xmp_fields(xmp_packet(rights())) == {
        "cc:license": "https://creativecommons.org/licenses/by-sa/4.0/",
        "cc:attributionName": "Zoë Martin",
        "cc:attributionURL": PAGE,
        "xmpRights:Marked": "True",
        "xmpRights:WebStatement": PAGE,
        "xmpRights:UsageTerms": [rights().usage_terms],
        "dc:creator": ["Zoë Martin"],
        "dc:rights": ["© 2026 Zoë Martin. Licensed under CC BY-SA 4.0."],
        "dc:title": ["Sunset over Oslo"],
        "photoshop:Credit": "Zoë Martin / CC BY-SA 4.0",
        "plus:Licensor": {"LicensorName": "Zoë Martin", "LicensorURL": PAGE},
    }


def test_packet_for_a_cc0_photo_points_at_the_cc0_deed():
    fields = xmp_fields(xmp_packet(rights("CC0-1.0")))
    assert fields["cc:license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert fields["xmpRights:Marked"] == "False"
    assert fields["dc:rights"] == ["No rights reserved: dedicated to the public domain (CC0 1.0)."]
    assert fields["xmpRights:UsageTerms"][0].endswith(
        "is marked with CC0 1.0. To view the terms, visit "
        "https://creativecommons.org/publicdomain/zero/1.0/"
    )


def test_packet_for_all_rights_reserved_names_no_license():
    fields = xmp_fields(xmp_packet(rights("all-rights-reserved")))
    assert "cc:license" not in fields
    assert fields["xmpRights:Marked"] == "True"
    assert fields["dc:rights"] == ["© 2026 Zoë Martin. All rights reserved."]
    assert fields["xmpRights:UsageTerms"] == [
        '"Sunset over Oslo" (https://photos.example/p/123) © Zoë Martin, all rights reserved.'
    ]


def test_empty_fields_are_left_out_rather_than_written_empty():
    fields = xmp_fields(xmp_packet(rights(title="", creator_name="", creator_url="")))
    assert "dc:title" not in fields
    assert "dc:creator" not in fields
    assert "cc:attributionName" not in fields
    assert fields["cc:attributionURL"] == PAGE
    assert fields["plus:Licensor"] == {"LicensorURL": PAGE}


def test_hostile_text_is_escaped_and_cleaned_but_kept():
    packet = xmp_packet(rights(creator_name=HOSTILE_NAME, title='a</dc:title><x y="1">&amp;'))
    fields = xmp_fields(packet)  # parses: the packet is well-formed
    name = "<script>alert('x')</script> \"Zoë\" & Co exe.jpg"
    assert fields["cc:attributionName"] == name
    assert fields["dc:creator"] == [name]
    assert fields["dc:title"] == ['a</dc:title><x y="1">&amp;']
    assert b"<script" not in packet
    assert "\u202e".encode() not in packet


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>", "/u/zoe", "ftp://x"])
def test_only_http_urls_are_written(url):
    packet = xmp_packet(rights(creator_url=url, source_url=url))
    fields = xmp_fields(packet)
    assert url.encode() not in packet
    assert "cc:attributionURL" not in fields
    assert "xmpRights:WebStatement" not in fields
    assert fields["cc:license"] == "https://creativecommons.org/licenses/by-sa/4.0/"


def test_a_5000_character_name_round_trips():
    name = "Zoë " * 1250
    packet = xmp_packet(rights(creator_name=name))
    assert len(packet) <= MAX_XMP_BYTES
    assert xmp_fields(packet)["cc:attributionName"] == name.strip()


def test_a_name_too_long_for_one_jpeg_segment_is_shortened_to_fit():
    name = "漢" * 30_000
    packet = xmp_packet(rights(creator_name=name, title="題" * 30_000))
    fields = xmp_fields(packet)
    assert len(packet) <= MAX_XMP_BYTES
    assert fields["cc:attributionName"].endswith("…")
    assert fields["cc:attributionName"][:-1] == name[: len(fields["cc:attributionName"]) - 1]
    assert fields["cc:license"] == "https://creativecommons.org/licenses/by-sa/4.0/"


def test_exif_rights_are_artist_and_copyright():
    assert exif_rights(rights()) == {
        ARTIST: "Zoë Martin",
        COPYRIGHT: "© 2026 Zoë Martin. Licensed under CC BY-SA 4.0.",
    }
    assert exif_rights(rights("all-rights-reserved", creator_name="")) == {
        COPYRIGHT: "© 2026. All rights reserved."
    }


def test_exif_rights_strip_controls_and_cap_length():
    values = exif_rights(rights(creator_name="a\x00b\u202ec" + "é" * 5000))
    assert values[ARTIST].startswith("abcé")
    assert len(values[ARTIST].encode("utf-8")) <= 4000
    assert values[ARTIST].endswith("…")


def test_iptc_iim_declares_utf8_and_carries_the_credit():
    datasets = iim_datasets(iptc_iim(rights()))
    assert datasets[(1, 90)] == b"\x1b%G"
    assert datasets[(2, 0)] == b"\x00\x04"
    assert datasets[(2, 5)].decode() == "Sunset over Oslo"
    assert datasets[(2, 80)].decode() == "Zoë Martin"
    assert datasets[(2, 110)].decode() == "Zoë Martin / CC BY-SA 4.0"
    assert datasets[(2, 116)].decode() == "© 2026 Zoë Martin. Licensed under CC BY-SA 4.0."


def test_iptc_rights_is_a_photoshop_block_with_the_iim_and_its_digest():
    payload = iptc_rights(rights())
    assert payload.startswith(b"Photoshop 3.0\x00")
    resources, pos = {}, 14
    while pos < len(payload):
        assert payload[pos : pos + 4] == b"8BIM"
        resource_id, name, size = struct.unpack(">HHI", payload[pos + 4 : pos + 12])
        assert name == 0
        resources[resource_id] = payload[pos + 12 : pos + 12 + size]
        pos += 12 + size + size % 2
    assert resources[0x0404] == iptc_iim(rights())
    assert resources[0x0425] == hashlib.md5(resources[0x0404], usedforsecurity=False).digest()


def test_iptc_leaves_out_empty_datasets():
    datasets = iim_datasets(iptc_iim(rights("CC0-1.0", title="", creator_name="")))
    assert set(datasets) == {(1, 90), (2, 0), (2, 110), (2, 116)}

"""Tests for photos/imaging_meta.py: EXIF, XMP and IPTC reading from hostile files."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PIL import Image, TiffImagePlugin

from photos.imaging import DEFAULT_MAX_PIXELS, inspect
from photos.imaging_meta import MAX_TEXT, PhotoMetadata, clean_text, read_metadata
from tests.photos.imaging_helpers import corpus_bytes, image_file, manifest_rows


def _metadata(fp) -> PhotoMetadata:
    """Return the metadata inspect() finds in a file."""
    return inspect(fp, max_pixels=DEFAULT_MAX_PIXELS).metadata


def _xmp(inner: str, *, doctype: str = "") -> bytes:
    """Wrap RDF properties in an XMP packet."""
    return (
        f"{doctype}<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'"
        " xmlns:cc='http://creativecommons.org/ns#'"
        " xmlns:xmpRights='http://ns.adobe.com/xap/1.0/rights/'"
        " xmlns:lr='http://ns.adobe.com/lightroom/1.0/'>"
        f"{inner}</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def _jpeg_with(*, exif: Image.Exif | None = None, xmp: bytes | None = None):
    """Return an in-memory JPEG carrying the given EXIF and XMP."""
    params = {}
    if exif is not None:
        params["exif"] = exif.tobytes()
    if xmp is not None:
        params["xmp"] = xmp
    return image_file(Image.new("RGB", (64, 48), "grey"), "JPEG", **params)


def _camera_exif(offset: str | None = "+02:00") -> Image.Exif:
    """Build EXIF as a camera writes it, with an exposure of 1/250 s."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x013B] = "Canon\x00", "EOS R6", "Ada Lovelace"
    sub = exif.get_ifd(0x8769)
    sub[0x829A] = TiffImagePlugin.IFDRational(1, 250)
    sub[0x829D] = TiffImagePlugin.IFDRational(28, 10)
    sub[0x8827] = 400
    sub[0x920A] = TiffImagePlugin.IFDRational(50, 1)
    sub[0xA434] = "RF 50mm F1.8 STM"
    sub[0x9003] = "2024:05:17 09:30:00"
    if offset:
        sub[0x9011] = offset
    return exif


# --- Corpus files -----------------------------------------------------------------------


def test_gps_position_matches_the_manifest():
    row = next(r for r in manifest_rows("C") if r["file"] == "C/derived_gps_privacy.jpg")
    lat, lon = map(float, row["gps_position"].split(","))
    meta = _metadata(corpus_bytes("C/derived_gps_privacy.jpg"))
    assert meta.gps_lat == pytest.approx(lat, abs=1e-4)
    assert meta.gps_lon == pytest.approx(lon, abs=1e-4)
    assert (meta.camera_make, meta.camera_model) == ("TestCam", "Fake GPS")


def test_cc0_license_url_is_read_from_xmp():
    meta = _metadata(corpus_bytes("C/derived_xmp_cc0_license.jpg"))
    assert meta.license_url == "http://creativecommons.org/publicdomain/zero/1.0/"


def test_taken_at_is_aware_when_the_camera_recorded_an_offset():
    meta = _metadata(corpus_bytes("C/exifsamples_heic_IMG_5195.HEIC"))
    assert meta.taken_at == datetime.fromisoformat("2021-04-11T15:47:53-05:00")
    assert meta.taken_at.utcoffset() == timedelta(hours=-5)
    assert (meta.camera_make, meta.gps_lat is not None) == ("Apple", True)


def test_taken_at_is_naive_without_an_offset():
    meta = _metadata(corpus_bytes("C/exifsamples_hdr_canon_hdr_NO.jpg"))
    assert meta.taken_at == datetime(2015, 2, 9, 22, 47, 44)
    assert meta.taken_at.tzinfo is None
    assert (meta.exposure_time, meta.f_number, meta.iso) == ("1/60", 5.6, 800)


def test_xmp_subject_becomes_keywords():
    assert _metadata(corpus_bytes("C/pillowheif_xmp.webp")).keywords == ("TestSubject",)


@pytest.mark.parametrize(
    "relative",
    [
        "D/pillow_hopper_bad_exif.jpg",
        "D/pillow_invalid-exif.jpg",
        "D/pillow_exif-dpi-zerodivision.jpg",
        "D/pillow_broken_exif_dpi.jpg",
        "D/exifsamples_tests_36-memory_error.jpg",
        "D/pillow_empty_gps_ifd.jpg",
        "D/exifsamples_tests_67-0_length_string.jpg",
    ],
)
def test_broken_exif_never_rejects_a_decodable_photo(relative):
    assert isinstance(_metadata(corpus_bytes(relative)), PhotoMetadata)


def test_empty_gps_ifd_gives_no_position():
    meta = _metadata(corpus_bytes("D/pillow_empty_gps_ifd.jpg"))
    assert meta.gps_lat is None and meta.gps_lon is None


# --- Crafted EXIF -----------------------------------------------------------------------


def test_camera_exif_fields_are_read_and_formatted():
    meta = _metadata(_jpeg_with(exif=_camera_exif()))
    assert meta.camera_make == "Canon"  # trailing NUL stripped
    assert (meta.camera_model, meta.lens, meta.creator) == (
        "EOS R6",
        "RF 50mm F1.8 STM",
        "Ada Lovelace",
    )
    assert (meta.exposure_time, meta.f_number, meta.iso, meta.focal_length) == (
        "1/250",
        2.8,
        400,
        50.0,
    )
    assert meta.taken_at == datetime.fromisoformat("2024-05-17T09:30:00+02:00")


def test_long_exposures_are_written_in_seconds():
    exif = _camera_exif()
    exif.get_ifd(0x8769)[0x829A] = TiffImagePlugin.IFDRational(5, 2)
    assert _metadata(_jpeg_with(exif=exif)).exposure_time == "2.5"


def test_zero_denominators_and_garbage_dates_give_empty_fields():
    exif = _camera_exif(offset="+99:xx")
    sub = exif.get_ifd(0x8769)
    sub[0x829A] = TiffImagePlugin.IFDRational(1, 0)
    sub[0x829D] = TiffImagePlugin.IFDRational(0, 0)
    sub[0x9003] = "    :  :     :  :  "
    meta = _metadata(_jpeg_with(exif=exif))
    assert (meta.exposure_time, meta.f_number, meta.taken_at) == ("", None, None)
    assert meta.camera_model == "EOS R6"


def test_southern_and_western_positions_are_negative():
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (33.0, 51.0, 36.0)
    gps[3], gps[4] = "W", (70.0, 39.0, 0.0)
    meta = _metadata(_jpeg_with(exif=exif))
    assert meta.gps_lat == pytest.approx(-33.86) and meta.gps_lon == pytest.approx(-70.65)


# --- Crafted XMP ------------------------------------------------------------------------


def test_xmp_creator_license_and_hierarchical_keywords_are_read():
    xmp = _xmp(
        "<dc:creator><rdf:Seq><rdf:li>Grace Hopper</rdf:li></rdf:Seq></dc:creator>"
        "<cc:license rdf:resource='https://creativecommons.org/licenses/by/4.0/'/>"
        "<dc:subject><rdf:Bag><rdf:li>harbour</rdf:li><rdf:li>Boats</rdf:li></rdf:Bag></dc:subject>"
        "<lr:hierarchicalSubject><rdf:Bag><rdf:li>Places|Brest</rdf:li><rdf:li>boats</rdf:li>"
        "</rdf:Bag></lr:hierarchicalSubject>"
    )
    meta = _metadata(_jpeg_with(exif=_camera_exif(), xmp=xmp))
    assert meta.creator == "Grace Hopper"  # XMP wins over EXIF Artist
    assert meta.license_url == "https://creativecommons.org/licenses/by/4.0/"
    assert meta.keywords == ("harbour", "Boats", "Places|Brest")


def test_web_statement_is_the_license_when_cc_license_is_absent():
    xmp = _xmp("<xmpRights:WebStatement>https://example.org/terms</xmpRights:WebStatement>")
    assert _metadata(_jpeg_with(xmp=xmp)).license_url == "https://example.org/terms"


def test_javascript_license_url_is_dropped():
    xmp = _xmp("<cc:license rdf:resource='javascript:alert(1)'/>")
    assert _metadata(_jpeg_with(xmp=xmp)).license_url == ""


def test_xmp_with_a_doctype_is_ignored_so_entities_never_expand():
    doctype = "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
    xmp = _xmp("<dc:creator><rdf:Seq><rdf:li>&e;</rdf:li></rdf:Seq></dc:creator>", doctype=doctype)
    meta = _metadata(_jpeg_with(xmp=xmp))
    assert meta.creator == "" and "root" not in repr(meta)


def test_malformed_xmp_gives_empty_fields_but_keeps_exif():
    meta = _metadata(_jpeg_with(exif=_camera_exif(), xmp=b"<x:xmpmeta><unclosed>"))
    assert meta.camera_model == "EOS R6" and meta.license_url == ""


def test_creator_is_capped_and_cleaned_of_bidi_overrides():
    name = "Mallory\u202e" + "x" * 5000
    xmp = _xmp(f"<dc:creator><rdf:Seq><rdf:li>{name}</rdf:li></rdf:Seq></dc:creator>")
    meta = _metadata(_jpeg_with(xmp=xmp))
    assert meta.creator.startswith("Malloryx") and len(meta.creator) == MAX_TEXT


def test_clean_text_decodes_bytes_and_rejects_non_text():
    assert clean_text(b"caf\xc3\xa9\x00") == "café"
    assert clean_text(b"caf\xe9") == "café"  # Latin-1 fallback
    assert clean_text(12) == ""
    assert clean_text("a\x00b\x1bc\u2066d\n") == "abcd"


def test_read_metadata_of_an_image_without_any_is_empty():
    assert read_metadata(Image.new("RGB", (4, 4))) == PhotoMetadata()

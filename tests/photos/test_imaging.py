"""Tests for photos/imaging.py: sniffing, inspection, rejection and renditions."""

from __future__ import annotations

import ast
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from photos import imaging
from photos.imaging import DEFAULT_MAX_PIXELS, ImageRejected, inspect, make_renditions
from tests.photos.imaging_helpers import (
    corpus_bytes,
    corpus_path,
    decode,
    image_file,
    manifest_rows,
    mean_difference,
    mean_rgb,
)

# What each hostile file in corpus D must give: a rejection code, or None when it is a
# decodable photo in an accepted format whose damage is only in metadata or in bytes after
# the image (those are accepted: re-encoding drops the payload, see the polyglot tests).
D_EXPECTED = {
    "bomb_20000x20000_1bit.png": "too_many_pixels",
    "bomb_20000x20000_rgb.png": "too_many_pixels",
    "exif_orientation_invalid_9.jpg": None,
    "exifsamples_tests_28-hex_value.jpg": None,
    "exifsamples_tests_36-memory_error.jpg": None,
    "exifsamples_tests_42_IndexError.jpg": None,
    "exifsamples_tests_67-0_length_string.jpg": None,
    "gif_php_polyglot.php.jpg": None,
    "jpeg_declares_65500x65500.jpg": "too_many_pixels",
    "jpeg_trailing_php.jpg": None,
    "pillow_bmp_b_badheadersize.bmp": "unsupported_type",
    "pillow_bmp_b_badpalettesize.bmp": "unsupported_type",
    "pillow_bmp_b_badrle.bmp": "unsupported_type",
    "pillow_bmp_b_pal8badindex.bmp": "unsupported_type",
    "pillow_broken.png": "corrupt",
    "pillow_broken_data_stream.png": "corrupt",
    "pillow_broken_exif_dpi.jpg": None,
    "pillow_combined_larger_than_size.psd": "unsupported_type",
    "pillow_crash-2020-10-test.tif": "corrupt",
    "pillow_crash-4fb027452e6988530aa5dabee76eecacb3b79f8a.j2k": "unsupported_type",
    "pillow_crash-5762152299364352.fli": "unsupported_type",
    "pillow_crash-74d2a78403a5a59db1fb0a2b8735ac068a75f6e3.tif": None,
    "pillow_crash-754d9c7ec485ffb76a90eeaab191ef69a2a3a3cd.sgi": "unsupported_type",
    "pillow_crash-86214e58da443d2b80820cff9677a38a33dcbbca.tif": "corrupt",
    "pillow_crash-b82e64d4f3f76d7465b6af535283029eda211259.sgi": "unsupported_type",
    "pillow_crash-f46f5b2f43c370fe65706c11449f567ecc345e74.tif": "corrupt",
    "pillow_decompression_bomb.ico": "unsupported_type",
    "pillow_empty_gps_ifd.jpg": None,
    "pillow_exif-dpi-zerodivision.jpg": None,
    "pillow_fli_overflow.fli": "unsupported_type",
    "pillow_hopper_bad_checksum.msp": "unsupported_type",
    "pillow_hopper_bad_exif.jpg": None,
    "pillow_invalid-exif.jpg": None,
    "pillow_negative_size.ppm": "unsupported_type",
    "pillow_ossfuzz-4836216264589312.pcx": "unsupported_type",
    "pillow_ossfuzz-5730089102868480.sgi": "unsupported_type",
    "pillow_pcx_overrun.bin": "unsupported_type",
    "pillow_png_decompression_dos.png": "corrupt",
    "pillow_pngtest_bad.png.bin": "unsupported_type",
    "pillow_psd-oob-write.psd": "unsupported_type",
    "pillow_seek_too_large.tif": "corrupt",
    "pillow_sgi_crash.bin": "unsupported_type",
    "pillow_sugarshack_bad_mpo_header.jpg": None,
    "pillow_tiff_overflow_rows_per_strip.tif": "corrupt",
    "pillow_tiff_wrong_bits_per_sample.tiff": None,
    "pillow_timeout-1ee28a249896e05b83840ae8140622de8e648ba9.psd": "unsupported_type",
    "pillow_timeout-6646305047838720": "corrupt",
    "pillow_timeout-9139147ce93e20eb14088fe238e541443ffd64b3.fli": "unsupported_type",
    "pillow_timeout-c60a3d7314213624607bfb3e38d551a8b24a7435.dds": "unsupported_type",
    "pillow_truncated_end_chunk.png": "corrupt",
    "pillow_truncated_image.png": "corrupt",
    "pillow_zero_height.j2k": "unsupported_type",
    "pillow_zero_width.gif": "corrupt",
    "pillowheif_200MP.heic": "too_many_pixels",
    "pillowheif_broken_thumbnail.heic": None,
    "pillowheif_empty.heic": "empty",
    "pillowheif_empty_icc.heic": None,
    "pillowheif_invalid_id.heic": None,
    "pillowheif_invalid_metadata_type.heic": None,
    "png_bad_idat_crc.png": "corrupt",
    "png_bad_ihdr_crc.png": "corrupt",
    "png_text_chunk_xss.png": None,
    "polyglot_jpeg_html.jpg": None,
    "svg_xxe.svg": "unsupported_type",
    "text_named.jpg": "unsupported_type",
    "truncated_half_seeding.jpg": "corrupt",
    "zip_named.png": "unsupported_type",
}

C_LOADABLE = [
    row["file"]
    for row in manifest_rows("C", include_shared=True)
    if row["pillow_load"].startswith("ok")
]
C_JXL = [row["file"] for row in manifest_rows("C", include_shared=True) if row["format"] == "JXL"]


def _process(relative: str):
    """Inspect a corpus file and make its renditions, as an upload would."""
    fp = corpus_bytes(relative)
    info = inspect(fp, max_pixels=DEFAULT_MAX_PIXELS)
    return info, make_renditions(fp)


# --- Hostile and tricky corpus files ----------------------------------------------------


def test_every_hostile_file_in_the_corpus_has_an_expected_outcome():
    listed = {row["file"].removeprefix("D/") for row in manifest_rows("D", include_shared=True)}
    assert listed == set(D_EXPECTED)


@pytest.mark.parametrize("name", sorted(D_EXPECTED))
def test_hostile_file_is_rejected_with_a_sentence_or_cleanly_accepted(name):
    expected = D_EXPECTED[name]
    if expected is None:
        info, result = _process(f"D/{name}")
        assert info.width > 0 and info.height > 0
        assert all(decode(r.jpeg).size == (r.width, r.height) for r in result.renditions)
        return
    with pytest.raises(ImageRejected) as caught:
        _process(f"D/{name}")
    assert caught.value.code == expected
    assert len(caught.value.message) > 20 and caught.value.message.endswith(".")
    assert str(caught.value) == caught.value.message


@pytest.mark.parametrize("relative", C_LOADABLE)
def test_tricky_valid_file_is_inspected_and_rendered(relative):
    info, result = _process(relative)
    assert info.format in {"JPEG", "PNG", "WEBP", "GIF", "TIFF", "HEIF", "AVIF"}
    names = [r.name for r in result.renditions]
    assert names[:2] == ["square", "small"]
    for rendition in result.renditions:
        jpeg, webp = decode(rendition.jpeg), decode(rendition.webp)
        assert jpeg.format == "JPEG" and webp.format == "WEBP"
        assert jpeg.size == webp.size == (rendition.width, rendition.height)
        assert not jpeg.getexif() and "xmp" not in jpeg.info and "comment" not in jpeg.info
    assert result.placeholder.startswith("#") and len(result.placeholder) == 7


@pytest.mark.parametrize("relative", C_JXL)
def test_jpeg_xl_is_an_unsupported_type(relative):
    with pytest.raises(ImageRejected) as caught:
        inspect(corpus_bytes(relative), max_pixels=DEFAULT_MAX_PIXELS)
    assert caught.value.code == "unsupported_type"
    assert "JPEG XL" in caught.value.message


def test_polyglot_jpeg_is_accepted_but_its_html_never_reaches_a_rendition():
    raw = corpus_path("D/polyglot_jpeg_html.jpg").read_bytes()
    assert b"<script" in raw.lower()
    info, result = _process("D/polyglot_jpeg_html.jpg")
    assert info.format == "JPEG"
    for rendition in result.renditions:
        assert b"<script" not in rendition.jpeg.lower() and b"<script" not in rendition.webp.lower()


def test_gif_with_php_payload_is_a_gif_whose_renditions_hold_no_php():
    info, result = _process("D/gif_php_polyglot.php.jpg")
    assert info.format == "GIF"
    assert all(b"<?php" not in r.jpeg + r.webp for r in result.renditions)


# --- Sniffing ---------------------------------------------------------------------------


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    """Build an ISO-BMFF ftyp box."""
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + b"\x00\x00\x00\x08meta"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"GIF89a\x01\x00", "GIF"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WEBP"),
        (b"II*\x00\x08\x00\x00\x00", "TIFF"),
        (b"MM\x00*\x00\x00\x00\x08", "TIFF"),
        (_ftyp(b"heic", b"mif1", b"heic"), "HEIF"),
        (_ftyp(b"mif1", b"mif1", b"heic"), "HEIF"),
        (_ftyp(b"avif", b"mif1", b"miaf"), "AVIF"),
        (_ftyp(b"avis", b"msf1", b"avis"), "AVIF"),
        (_ftyp(b"mif1", b"mif1", b"avif", b"miaf"), "AVIF"),
    ],
)
def test_sniffing_names_accepted_formats_from_magic_bytes(head, expected):
    assert imaging.sniff_format(head) == expected


@pytest.mark.parametrize(
    ("head", "named"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (b"\xff\x0a\xfa\x7f", "JPEG XL"),
        (b"\x00\x00\x00\x0cJXL \r\n\x87\n\x00\x00\x00\x14ftypjxl ", "JPEG XL"),
        (b"<?xml version='1.0'?>\n<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "web page"),
        (b"<?xml version='1.0'?><note/>", "XML"),
        (b"BM\x36\x00\x0c\x00", "BMP"),
        (b"8BPS\x00\x01", "Photoshop"),
        (b"Just some words, honestly.\n", "plain text"),
        (_ftyp(b"mp42", b"isom", b"mp42"), "video"),
    ],
)
def test_sniffing_rejects_other_files_and_says_what_they_are(head, named):
    with pytest.raises(ImageRejected) as caught:
        imaging.sniff_format(head)
    assert caught.value.code == "unsupported_type"
    assert named in caught.value.message and "Brouette accepts JPEG" in caught.value.message


def test_sniffing_nothing_is_an_empty_file():
    with pytest.raises(ImageRejected) as caught:
        imaging.sniff_format(b"")
    assert caught.value.code == "empty"


@pytest.mark.parametrize(
    ("relative", "named"),
    [("D/text_named.jpg", "plain text"), ("D/zip_named.png", "ZIP"), ("D/svg_xxe.svg", "SVG")],
)
def test_file_name_does_not_decide_the_type(relative, named):
    with pytest.raises(ImageRejected) as caught:
        inspect(corpus_bytes(relative), max_pixels=DEFAULT_MAX_PIXELS)
    assert caught.value.code == "unsupported_type" and named in caught.value.message


def test_mpo_is_sniffed_as_jpeg_and_reports_its_frames():
    info = inspect(corpus_bytes("C/pillow_frozenpond.mpo"), max_pixels=DEFAULT_MAX_PIXELS)
    assert info.format == "JPEG" and info.frames == 2 and not info.animated


# --- Limits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "relative",
    ["D/bomb_20000x20000_1bit.png", "D/bomb_20000x20000_rgb.png", "D/pillowheif_200MP.heic"],
)
def test_decompression_bomb_has_too_many_pixels_under_the_default_limit(relative):
    with pytest.raises(ImageRejected) as caught:
        inspect(corpus_bytes(relative), max_pixels=DEFAULT_MAX_PIXELS)
    assert caught.value.code == "too_many_pixels"


def test_pixel_limit_is_checked_from_the_header_before_decoding():
    fp = image_file(Image.new("RGB", (1000, 1000), "white"), "PNG")
    with pytest.raises(ImageRejected) as caught:
        inspect(fp, max_pixels=999_999)
    assert caught.value.code == "too_many_pixels"
    assert "1000 × 1000" in caught.value.message
    assert inspect(fp, max_pixels=1_000_000).width == 1000


def test_truncated_jpeg_is_corrupt_even_though_its_header_is_fine():
    with pytest.raises(ImageRejected) as caught:
        inspect(corpus_bytes("D/truncated_half_seeding.jpg"), max_pixels=DEFAULT_MAX_PIXELS)
    assert caught.value.code == "corrupt" and "JPEG" in caught.value.message


# --- Ladder -----------------------------------------------------------------------------


def test_large_photo_gets_every_size_with_exact_long_edges():
    result = make_renditions(image_file(Image.new("RGB", (4000, 3000), (90, 120, 60))))
    sizes = {r.name: (r.width, r.height) for r in result.renditions}
    assert sizes == {
        "square": (150, 150),
        "small": (320, 240),
        "medium": (800, 600),
        "large": (1600, 1200),
        "xlarge": (2048, 1536),
    }
    for rendition in result.renditions:
        assert decode(rendition.jpeg).size == decode(rendition.webp).size == sizes[rendition.name]


def test_small_photo_gets_square_and_small_only_without_upscaling():
    result = make_renditions(image_file(Image.new("RGB", (200, 100), (200, 30, 30)), "PNG"))
    assert [(r.name, r.width, r.height) for r in result.renditions] == [
        ("square", 150, 150),
        ("small", 200, 100),
    ]
    assert decode(result.renditions[0].jpeg).size == (150, 150)


def test_size_equal_to_a_rung_makes_that_rung_at_its_own_size():
    planned = imaging.ladder_sizes((800, 533))
    assert [(rung.name, size) for rung, size in planned] == [
        ("square", (150, 150)),
        ("small", (320, 213)),
        ("medium", (800, 533)),
    ]


def test_square_is_a_centre_crop():
    image = Image.new("RGB", (600, 200), "blue")
    image.paste((255, 0, 0), (200, 0, 400, 200))  # red centre third
    square = decode(make_renditions(image_file(image, "PNG")).renditions[0].webp)
    red, _green, blue = mean_rgb(square)
    assert red > 240 and blue < 15


def test_placeholder_is_the_average_colour():
    result = make_renditions(image_file(Image.new("RGB", (640, 480), (10, 200, 30)), "PNG"))
    assert result.placeholder == "#0ac81e"


# --- Orientation ------------------------------------------------------------------------

ORIENTED = [
    ("C/orient_Landscape_3.jpg", "C/orient_Landscape_1.jpg"),
    ("C/orient_Landscape_4.jpg", "C/orient_Landscape_1.jpg"),
    ("C/orient_Landscape_5.jpg", "C/orient_Landscape_1.jpg"),
    ("C/orient_Landscape_6.jpg", "C/orient_Landscape_1.jpg"),
    ("C/orient_Portrait_0.jpg", "C/orient_Portrait_1.jpg"),
    ("C/orient_Portrait_2.jpg", "C/orient_Portrait_1.jpg"),
    ("C/orient_Portrait_4.jpg", "C/orient_Portrait_1.jpg"),
    ("C/orient_Portrait_5.jpg", "C/orient_Portrait_1.jpg"),
    ("C/orient_Portrait_6.jpg", "C/orient_Portrait_1.jpg"),
    ("C/orient_Portrait_7.jpg", "C/orient_Portrait_1.jpg"),
]


def _rendition(relative: str, name: str = "small") -> Image.Image:
    """Return the decoded WebP of one rendition of a corpus file."""
    result = make_renditions(corpus_bytes(relative))
    return decode(next(r for r in result.renditions if r.name == name).webp)


@pytest.mark.parametrize(("relative", "reference"), ORIENTED)
def test_exif_orientation_is_applied_so_the_rendition_matches_the_upright_reference(
    relative, reference
):
    upright, turned = _rendition(reference), _rendition(relative)
    assert turned.size == upright.size
    assert mean_difference(turned, upright) < 4
    info = inspect(corpus_bytes(relative), max_pixels=DEFAULT_MAX_PIXELS)
    landscape = "Landscape" in relative
    assert (info.width > info.height) == landscape


def test_orientation_check_would_notice_an_unrotated_image():
    upright = _rendition("C/orient_Landscape_1.jpg")
    assert mean_difference(upright.transpose(Image.Transpose.ROTATE_180), upright) > 20


def test_invalid_orientation_is_ignored():
    info = inspect(corpus_bytes("D/exif_orientation_invalid_9.jpg"), max_pixels=DEFAULT_MAX_PIXELS)
    assert (info.width, info.height) == (640, 360)


def test_avif_rotation_and_mirror_boxes_are_applied():
    info, result = _process("C/pillow_avif_rot3mir1.avif")
    assert (info.width, info.height) == (640, 427)
    assert (result.renditions[1].width, result.renditions[1].height) == (320, 214)


# --- Colour -----------------------------------------------------------------------------


def _p3_profile() -> bytes:
    """Return the Display P3 ICC profile embedded in the corpus P3 PNG."""
    with Image.open(corpus_path("C/derived_displayp3_icc.png")) as image:
        return image.info["icc_profile"]


def test_display_p3_colour_is_converted_to_srgb():
    p3 = _p3_profile()
    raw = (200, 100, 50)
    expected = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), raw),
        ImageCms.ImageCmsProfile(io.BytesIO(p3)),
        ImageCms.createProfile("sRGB"),
    ).getpixel((0, 0))
    assert max(abs(a - b) for a, b in zip(expected, raw, strict=True)) > 10
    fp = image_file(Image.new("RGB", (400, 300), raw), "PNG", icc_profile=p3)
    small = decode(make_renditions(fp).renditions[1].jpeg)
    got = small.getpixel((160, 120))
    assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) <= 3


def test_display_p3_photo_matches_a_reference_conversion():
    source = Image.open(corpus_path("C/derived_displayp3_icc.png"))
    reference = ImageCms.profileToProfile(
        source,
        ImageCms.ImageCmsProfile(io.BytesIO(source.info["icc_profile"])),
        ImageCms.createProfile("sRGB"),
    ).resize((800, 450), Image.Resampling.LANCZOS)
    ours = decode(make_renditions(corpus_bytes("C/derived_displayp3_icc.png")).renditions[2].webp)
    assert mean_difference(ours, reference) < 4
    assert mean_difference(ours, source.convert("RGB").resize((800, 450))) > mean_difference(
        ours, reference
    )


def test_cmyk_jpeg_without_profile_renders_upright_colours_not_a_negative():
    reference = Image.open(corpus_path("C/derived_cmyk_noicc.jpg")).convert("RGB")
    ours = decode(make_renditions(corpus_bytes("C/derived_cmyk_noicc.jpg")).renditions[1].jpeg)
    expected = mean_rgb(reference)
    got = mean_rgb(ours)
    assert ours.mode == "RGB"
    assert all(abs(a - b) < 4 for a, b in zip(got, expected, strict=True))
    assert any(abs(a - (255 - b)) > 20 for a, b in zip(got, expected, strict=True))


def test_cmyk_tiff_renders_as_rgb():
    _, result = _process("C/pillow_tiff_tiled_cmyk_jpeg.tif")
    assert decode(result.renditions[1].jpeg).mode == "RGB"


# --- Modes ------------------------------------------------------------------------------


def test_sixteen_bit_grey_is_scaled_not_clipped():
    deep = Image.new("I;16", (64, 64), 32896)  # mid-grey in 16 bits
    small = decode(make_renditions(image_file(deep, "PNG")).renditions[1].webp)
    assert abs(mean_rgb(small)[0] - 128) < 3


def test_sixteen_bit_colour_pngs_render():
    for relative in ("C/pillowheif_RGB_16__128x128.png", "C/pillowheif_RGBA_16__128x128.png"):
        _, result = _process(relative)
        assert result.renditions[1].width == 128


def test_palette_png_transparency_becomes_white_in_jpeg_and_alpha_in_webp():
    image = Image.new("P", (100, 100), 0)
    image.putpalette([0, 0, 0, 255, 0, 0])
    image.paste(1, (50, 0, 100, 100))  # right half red, left half transparent black
    _, result = _process_image(image_file(image, "PNG", transparency=0))
    jpeg, webp = decode(result.renditions[1].jpeg), decode(result.renditions[1].webp)
    assert min(jpeg.getpixel((10, 50))) > 245
    assert webp.mode == "RGBA" and webp.getpixel((10, 50))[3] == 0
    assert jpeg.getpixel((90, 50))[0] > 240


def test_corpus_palette_png_with_transparency_renders():
    _, result = _process("C/pillow_p_trns_single.png")
    assert decode(result.renditions[1].webp).mode == "RGBA"


def test_one_bit_image_renders():
    _, result = _process_image(image_file(Image.new("1", (400, 200), 1), "PNG"))
    assert mean_rgb(decode(result.renditions[1].jpeg))[0] > 250


def test_opaque_alpha_channel_is_dropped():
    _, result = _process_image(image_file(Image.new("RGBA", (300, 200), (1, 2, 3, 255)), "PNG"))
    assert decode(result.renditions[1].webp).mode == "RGB"


def _process_image(fp: io.BytesIO):
    """Inspect and render an in-memory file."""
    return inspect(fp, max_pixels=DEFAULT_MAX_PIXELS), make_renditions(fp)


# --- Animation --------------------------------------------------------------------------


def test_animated_gif_renders_its_first_frame_and_reports_its_frames():
    frames = [Image.new("RGB", (200, 100), colour) for colour in ("red", "blue", "lime")]
    fp = io.BytesIO()
    frames[0].save(fp, "GIF", save_all=True, append_images=frames[1:], duration=100)
    info, result = _process_image(fp)
    assert info.frames == 3 and info.animated
    red, _green, blue = mean_rgb(decode(result.renditions[1].jpeg))
    assert red > 240 and blue < 15


def test_corpus_animations_report_frames():
    for relative, frames in (("C/pillow_iss634.gif", 42), ("C/pillow_avif_star.avifs", 5)):
        info = inspect(corpus_bytes(relative), max_pixels=DEFAULT_MAX_PIXELS)
        assert info.frames == frames and info.animated


# --- Privacy ----------------------------------------------------------------------------


def test_renditions_of_a_gps_photo_carry_no_metadata_at_all(tmp_path):
    assert inspect(
        corpus_bytes("C/derived_gps_privacy.jpg"), max_pixels=DEFAULT_MAX_PIXELS
    ).metadata.gps_lat
    result = make_renditions(corpus_bytes("C/derived_gps_privacy.jpg"))
    for rendition in result.renditions:
        for data in (rendition.jpeg, rendition.webp):
            image = decode(data)
            assert not image.getexif()
            assert not {"exif", "xmp", "comment", "photoshop"} & set(image.info)
            assert b"Jane Example" not in data and b"SN-0001" not in data


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool is not installed")
def test_exiftool_finds_no_gps_serial_or_owner_in_renditions(tmp_path):
    result = make_renditions(corpus_bytes("C/derived_gps_privacy.jpg"))
    paths = []
    for rendition in result.renditions:
        for ext in ("jpg", "webp"):
            path = tmp_path / f"{rendition.name}.{ext}"
            path.write_bytes(getattr(rendition, "jpeg" if ext == "jpg" else "webp"))
            paths.append(str(path))
    original = json.loads(_exiftool(str(corpus_path("C/derived_gps_privacy.jpg"))))[0]
    assert "GPSLatitude" in original and "SerialNumber" in original  # the check can fail
    for tags in json.loads(_exiftool(*paths)):
        leaked = [t for t in tags if t.startswith("GPS") or t in ("SerialNumber", "OwnerName")]
        assert not leaked, (tags["SourceFile"], leaked)


def _exiftool(*paths: str) -> str:
    """Run exiftool -j on some files and return its JSON output."""
    command = ["exiftool", "-j", "-a", *paths]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


# --- Module hygiene ---------------------------------------------------------------------


def test_registering_plugins_twice_is_harmless():
    imaging.register_plugins()
    imaging.register_plugins()
    assert "HEIF" in Image.OPEN


def test_imaging_modules_import_nothing_from_django():
    for module in ("imaging.py", "imaging_meta.py", "imaging_colour.py", "sniff.py"):
        tree = ast.parse((Path(imaging.__file__).parent / module).read_text())
        imported = [
            node.module or "" if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        ]
        assert not [name for name in imported if name.split(".")[0] == "django"]

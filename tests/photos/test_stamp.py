import contextlib
import io
import json
import random
import shutil
import subprocess

import pytest
from PIL import Image, ImageCms, ImageOps, ImageSequence, TiffImagePlugin, features
from PIL.PngImagePlugin import PngInfo

from licensing import catalogue
from licensing.metadata import Rights, xmp_packet
from photos.imaging import register_plugins
from photos.sniff import ImageRejected, sniff_format
from photos.stamp import StampError, stamp
from tests.photos.imaging_helpers import corpus_path, mean_difference

PAGE = "https://photos.example/p/123"
PROFILE = "https://photos.example/u/zoe"
SUFFIX = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "AVIF": ".avif", "GIF": ".gif",
          "TIFF": ".tif", "HEIF": ".heic"}  # fmt: skip
BYTE_LEVEL = ("JPEG", "PNG", "WEBP", "GIF")
CAMERA_TAGS = ["-GPSLatitude=48.688", "-GPSLatitudeRef=N", "-GPSLongitude=113.655",
               "-GPSLongitudeRef=W", "-SerialNumber=SN-123456789", "-OwnerName=Owner Person",
               "-Make=Phone Maker", "-XMP-dc:Description=Phone Maker private"]  # fmt: skip
PRIVATE_TAGS = ("GPS", "SerialNumber", "OwnerName", "MakerNote", "ThumbnailImage", "Comment")


@pytest.fixture(scope="module", autouse=True)
def _plugins():
    register_plugins()


def rights(license_id="CC-BY-SA-4.0", **kwargs):
    defaults = {"title": "Sunset over Oslo", "creator_name": "Zoë Martin",
                "creator_url": PROFILE, "source_url": PAGE, "year": 2026}  # fmt: skip
    return Rights(license=catalogue.get(license_id), **{**defaults, **kwargs})


def exiftool(data: bytes, fmt: str, tmp_path) -> dict:
    """Return exiftool's -G1 reading of the bytes, every tag, duplicates included."""
    if shutil.which("exiftool") is None:
        pytest.fail("exiftool is required: apt-get install libimage-exiftool-perl")
    path = tmp_path / f"stamped{SUFFIX[fmt]}"
    path.write_bytes(data)
    result = subprocess.run(
        ["exiftool", "-j", "-G1", "-a", "-u", "-validate", "-warning", "-all", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)[0]


def photo(mode="RGB", size=(96, 64)) -> Image.Image:
    """Return a small image with texture, so encoders have real work to do."""
    bands = [Image.linear_gradient("L").resize(size), Image.effect_noise(size, 40).convert("L"),
             Image.radial_gradient("L").resize(size)]  # fmt: skip
    image = Image.merge("RGB", bands)
    if mode == "I;16":
        return image.convert("L").convert("I;16")
    return image.convert(mode) if mode != "RGB" else image


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def pixels(data: bytes) -> list[bytes]:
    """Decode every frame and return its mode, size and raw pixels."""
    with Image.open(io.BytesIO(data)) as image:
        return [f"{f.mode} {f.size}".encode() + f.tobytes() for f in ImageSequence.Iterator(image)]


def camera_exif() -> Image.Exif:
    """Return EXIF with the private fields a phone writes, plus an orientation."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Phone Maker"
    exif[0xA431] = "SN-123456789"  # BodySerialNumber
    exif[0xA430] = "Owner Person"  # CameraOwnerName
    exif[0x8825] = {1: "N", 2: (48.0, 41.0, 16.8), 3: "W", 4: (113.0, 39.0, 19.8)}
    return exif


# --- every field, for three licenses, on the four main formats ----------------------------

EXPECTED = {
    "CC-BY-SA-4.0": {
        "XMP-cc:License": "https://creativecommons.org/licenses/by-sa/4.0/",
        "XMP-xmpRights:Marked": True,
        "XMP-dc:Rights": "© 2026 Zoë Martin. Licensed under CC BY-SA 4.0.",
        "XMP-photoshop:Credit": "Zoë Martin / CC BY-SA 4.0",
    },
    "CC0-1.0": {
        "XMP-cc:License": "https://creativecommons.org/publicdomain/zero/1.0/",
        "XMP-xmpRights:Marked": False,
        "XMP-dc:Rights": "No rights reserved: dedicated to the public domain (CC0 1.0).",
        "XMP-photoshop:Credit": "Zoë Martin / CC0 1.0",
    },
    "all-rights-reserved": {
        "XMP-xmpRights:Marked": True,
        "XMP-dc:Rights": "© 2026 Zoë Martin. All rights reserved.",
        "XMP-photoshop:Credit": "Zoë Martin",
    },
}


def source_image(fmt: str) -> bytes:
    if fmt == "AVIF":
        assert features.check("avif"), "Pillow was built without AVIF support"
    params = {"exif": camera_exif(), "xmp": b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'}
    if fmt == "PNG":
        params = {"exif": camera_exif()}
    return encode(photo(), fmt, **params)


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "PNG", "AVIF"])
@pytest.mark.parametrize("license_id", list(EXPECTED))
def test_stamped_file_carries_every_rights_field(fmt, license_id, tmp_path):
    r = rights(license_id)
    tags = exiftool(stamp(source_image(fmt), fmt, r), fmt, tmp_path)
    expected = {
        **EXPECTED[license_id],
        "XMP-cc:AttributionName": "Zoë Martin",
        "XMP-cc:AttributionURL": PAGE,
        "XMP-xmpRights:WebStatement": PAGE,
        "XMP-xmpRights:UsageTerms": r.usage_terms,
        "XMP-dc:Creator": "Zoë Martin",
        "XMP-dc:Title": "Sunset over Oslo",
        "XMP-plus:LicensorName": "Zoë Martin",
        "XMP-plus:LicensorURL": PAGE,
        "IFD0:Artist": "Zoë Martin",
        "IFD0:Copyright": EXPECTED[license_id]["XMP-dc:Rights"],
        "ExifTool:Validate": "OK",
    }
    if fmt == "JPEG":
        expected |= {
            "IPTC:CodedCharacterSet": "UTF8",
            "IPTC:By-line": "Zoë Martin",
            "IPTC:ObjectName": "Sunset over Oslo",
            "IPTC:Credit": EXPECTED[license_id]["XMP-photoshop:Credit"],
            "IPTC:CopyrightNotice": EXPECTED[license_id]["XMP-dc:Rights"],
        }
    assert {key: tags.get(key) for key in expected} == expected
    if license_id == "all-rights-reserved":
        assert "XMP-cc:License" not in tags


@pytest.mark.parametrize("fmt", ["GIF", "TIFF", "HEIF"])
def test_other_formats_carry_the_xmp_fields(fmt, tmp_path):
    tags = exiftool(stamp(encode(photo(), fmt), fmt, rights()), fmt, tmp_path)
    assert tags["XMP-cc:License"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert tags["XMP-cc:AttributionName"] == "Zoë Martin"
    assert tags["XMP-dc:Rights"] == "© 2026 Zoë Martin. Licensed under CC BY-SA 4.0."
    assert tags["XMP-xmpRights:WebStatement"] == PAGE
    if fmt != "GIF":  # GIF has no EXIF
        assert tags["IFD0:Artist"] == "Zoë Martin"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF"])
def test_pillow_reads_back_the_packet_unchanged(fmt):
    with Image.open(io.BytesIO(stamp(encode(photo(), fmt), fmt, rights()))) as image:
        packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    packet = packet.encode() if isinstance(packet, str) else packet
    assert packet == xmp_packet(rights())


# --- privacy: nothing else survives -----------------------------------------------------


def test_gps_serial_and_owner_are_removed_from_a_real_photo(tmp_path):
    original = corpus_path("C/derived_gps_privacy.jpg").read_bytes()
    before = exiftool(original, "JPEG", tmp_path)
    assert any(key.startswith("GPS") for key in before)  # the test can fail
    assert {"ExifIFD:SerialNumber", "ExifIFD:OwnerName"} <= set(before)
    tags = exiftool(stamp(original, "JPEG", rights()), "JPEG", tmp_path)
    leaked = [key for key in tags if any(word in key for word in PRIVATE_TAGS)]
    assert leaked == []
    assert tags["IFD0:Artist"] == "Zoë Martin"
    assert pixels(stamp(original, "JPEG", rights())) == pixels(original)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "AVIF", "HEIF", "TIFF"])
def test_camera_metadata_written_by_exiftool_is_removed(fmt, tmp_path):
    path = tmp_path / f"camera{SUFFIX[fmt]}"
    path.write_bytes(encode(photo(), fmt))
    subprocess.run(["exiftool", "-q", "-overwrite_original", *CAMERA_TAGS, str(path)], check=True)
    before = exiftool(path.read_bytes(), fmt, tmp_path)
    assert {"SerialNumber", "OwnerName", "GPSLatitude"} <= {k.split(":")[-1] for k in before}
    tags = exiftool(stamp(path.read_bytes(), fmt, rights()), fmt, tmp_path)
    leaked = [key for key in tags if any(w in key for w in (*PRIVATE_TAGS, "Make", "Owner"))]
    assert leaked == []
    assert not [value for value in tags.values() if "Phone Maker" in str(value)]
    assert tags["IFD0:Artist"] == "Zoë Martin"


def test_jpeg_comments_app_segments_and_thumbnails_are_removed(tmp_path):
    data = encode(photo(), "JPEG", comment=b"private note", exif=camera_exif())
    data = data[:2] + b"\xff\xec\x00\x08Ducky\x00" + data[2:]  # an APP12 segment
    stamped = stamp(data, "JPEG", rights())
    assert b"private note" not in stamped
    assert b"Ducky" not in stamped
    tags = exiftool(stamped, "JPEG", tmp_path)
    assert not [key for key in tags if "Comment" in key or "Ducky" in key]


def test_png_text_time_and_exif_chunks_are_removed():
    info = PngInfo()
    info.add_text("Comment", "secret-text")
    info.add_itxt("Author", "secret-itxt")
    info.add(b"tIME", b"\x07\xea\x01\x01\x00\x00\x00")
    stamped = stamp(encode(photo(), "PNG", pnginfo=info, exif=camera_exif()), "PNG", rights())
    assert b"secret" not in stamped
    assert b"tIME" not in stamped
    assert stamped.count(b"eXIf") == 1


@pytest.mark.parametrize(
    ("relative", "fmt"),
    [("D/jpeg_trailing_php.jpg", "JPEG"), ("D/polyglot_jpeg_html.jpg", "JPEG"),
     ("D/gif_php_polyglot.php.jpg", "GIF"), ("D/png_text_chunk_xss.png", "PNG")],
)  # fmt: skip
def test_polyglot_payloads_are_dropped(relative, fmt):
    original = corpus_path(relative).read_bytes()
    assert b"<?php" in original or b"<script" in original  # the test can fail
    stamped = stamp(original, fmt, rights())
    assert b"<?php" not in stamped
    assert b"<script" not in stamped
    assert pixels(stamped) == pixels(original)


def test_nothing_follows_the_end_of_the_image():
    jpeg = stamp(encode(photo(), "JPEG") + b"trailing", "JPEG", rights())
    png = stamp(encode(photo(), "PNG") + b"trailing", "PNG", rights())
    webp = stamp(encode(photo(), "WEBP") + b"trailing", "WEBP", rights())
    gif = stamp(encode(photo(), "GIF") + b"trailing", "GIF", rights())
    assert jpeg.endswith(b"\xff\xd9")
    assert png.endswith(b"IEND\xae\x42\x60\x82")
    assert int.from_bytes(webp[4:8], "little") == len(webp) - 8
    assert gif.endswith(b"\x00;")


# --- what must survive: pixels, colour, orientation, animation --------------------------


@pytest.mark.parametrize(
    ("fmt", "mode", "params"),
    [("JPEG", "RGB", {}), ("JPEG", "L", {"progressive": True}), ("JPEG", "CMYK", {}),
     ("PNG", "RGBA", {}), ("PNG", "P", {}), ("PNG", "I;16", {}),
     ("WEBP", "RGB", {}), ("WEBP", "RGBA", {}), ("WEBP", "RGBA", {"lossless": True}),
     ("GIF", "P", {}), ("TIFF", "RGB", {}), ("TIFF", "CMYK", {"compression": "tiff_lzw"})],
)  # fmt: skip
def test_pixels_are_not_changed(fmt, mode, params):
    original = encode(photo(mode), fmt, **params)
    assert pixels(stamp(original, fmt, rights())) == pixels(original)


def test_jpeg_scan_data_is_copied_byte_for_byte():
    original = encode(photo(), "JPEG", quality=90)
    stamped = stamp(original, "JPEG", rights())
    start = original.index(b"\xff\xc0")  # SOF0, then DHT/SOS and the scan
    assert stamped.endswith(original[start:])


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "AVIF", "HEIF", "TIFF"])
def test_icc_profile_is_kept(fmt):
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    with Image.open(io.BytesIO(stamp(encode(photo(), fmt, icc_profile=icc), fmt, rights()))) as im:
        assert im.info.get("icc_profile") == icc


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_orientation_is_kept_so_viewers_still_rotate(fmt, tmp_path):
    stamped = stamp(encode(photo(), fmt, exif=camera_exif()), fmt, rights())
    with Image.open(io.BytesIO(stamped)) as im:
        assert im.getexif().get(0x0112) == 6
        assert ImageOps.exif_transpose(im).size == (64, 96)
    assert exiftool(stamped, fmt, tmp_path)["IFD0:Orientation"] == "Rotate 90 CW"


def test_avif_orientation_is_applied_to_the_pixels():
    original = encode(photo(), "AVIF", exif=camera_exif())
    with Image.open(io.BytesIO(stamp(original, "AVIF", rights()))) as im:
        assert im.getexif().get(0x0112) in (None, 1)
        assert im.size == (64, 96)
        assert mean_difference(im, ImageOps.exif_transpose(Image.open(io.BytesIO(original)))) < 3


def test_avif_from_the_corpus_is_shown_the_same_way_up():
    original = corpus_path("C/pillow_avif_rot3mir1.avif").read_bytes()
    before = ImageOps.exif_transpose(Image.open(io.BytesIO(original)))
    after = ImageOps.exif_transpose(Image.open(io.BytesIO(stamp(original, "AVIF", rights()))))
    assert after.size == before.size
    assert mean_difference(before, after) < 3


def test_heif_is_stamped_as_heif_readers_show_it():
    # HEIF readers apply irot/imir and ignore EXIF Orientation; pillow-heif does the same.
    original = encode(photo(), "HEIF", exif=camera_exif())
    before = Image.open(io.BytesIO(original))
    with Image.open(io.BytesIO(stamp(original, "HEIF", rights()))) as after:
        assert after.size == before.size
        assert after.info.get("original_orientation") in (None, 1)
        assert mean_difference(before, after) < 3


def test_tiff_is_stamped_upright_since_pillow_rotates_it_on_decoding():
    ifd = TiffImagePlugin.ImageFileDirectory_v2()
    ifd[0x0112] = 6
    original = encode(photo(), "TIFF", tiffinfo=ifd)
    with Image.open(io.BytesIO(stamp(original, "TIFF", rights()))) as im:
        assert im.size == (64, 96)
        assert 0x0112 not in im.getexif()
        assert pixels(encode(im, "PNG")) == pixels(encode(Image.open(io.BytesIO(original)), "PNG"))


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "PNG"])
def test_animations_keep_every_frame(fmt):
    frames = [photo().rotate(angle) for angle in (0, 90, 180)]
    original = encode(frames[0], fmt, save_all=True, append_images=frames[1:], loop=0,
                      duration=100)  # fmt: skip
    stamped = stamp(original, fmt, rights())
    assert len(pixels(stamped)) == 3
    assert pixels(stamped) == pixels(original)
    with Image.open(io.BytesIO(stamped)) as im:
        assert im.info.get("loop") == 0


def test_stamping_twice_gives_the_same_bytes():
    for fmt in BYTE_LEVEL:
        once = stamp(encode(photo(), fmt), fmt, rights())
        assert stamp(once, fmt, rights()) == once, fmt


def test_restamping_replaces_the_old_rights():
    once = stamp(encode(photo(), "JPEG"), "JPEG", rights())
    twice = stamp(once, "JPEG", rights("CC0-1.0", creator_name="Someone Else"))
    assert "Zoë".encode() not in twice
    assert twice.count(b"http://ns.adobe.com/xap/1.0/\x00") == 1


# --- hostile rights and hostile files ---------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_hostile_rights_text_is_inert_in_the_file(fmt, tmp_path):
    name = '<script>alert(1)</script> "Zoë" & \u202egpj.exe' + "x" * 5000
    r = rights(creator_name=name, creator_url="javascript:alert(1)", title="<?php echo 1; ?>")
    stamped = stamp(encode(photo(), fmt), fmt, r)
    tags = exiftool(stamped, fmt, tmp_path)
    assert tags["XMP-cc:AttributionName"] == name.replace("\u202e", "")
    assert tags["XMP-cc:AttributionURL"] == PAGE
    assert tags["XMP-dc:Title"] == "<?php echo 1; ?>"
    assert b"<script" not in xmp_packet(r)
    assert b"javascript:" not in stamped
    assert "\u202e".encode() not in stamped


def malformed_inputs():
    jpeg, png = encode(photo(), "JPEG"), encode(photo(), "PNG")
    webp, gif = encode(photo(), "WEBP"), encode(photo(), "GIF")
    return [
        ("JPEG", b""), ("JPEG", png), ("JPEG", jpeg[: len(jpeg) // 2]),
        ("JPEG", jpeg[:2] + b"\xff\xe1\xff\xff"), ("JPEG", jpeg[:20] + b"garbage"),
        ("PNG", png[:-12]), ("PNG", png[:16] + b"\x00" * 20), ("PNG", png[:30] + b"x" + png[31:]),
        ("WEBP", webp[:20]), ("WEBP", webp[:4] + b"\xff\xff\xff\x7f" + webp[8:]),
        ("WEBP", webp[:12] + b"JUNK\x00\x00\x00\x00"), ("GIF", gif[:20]), ("GIF", b"GIF89a"),
        ("AVIF", b"\x00\x00\x00\x1cftypavif" + b"\x00" * 40), ("HEIF", jpeg), ("TIFF", png),
        ("BMP", jpeg), ("JPEG", "not bytes"),
    ]  # fmt: skip


@pytest.mark.parametrize(("fmt", "data"), malformed_inputs())
def test_malformed_input_raises_stamp_error_with_a_sentence(fmt, data):
    with pytest.raises(StampError) as raised:
        stamp(data, fmt, rights())
    message = str(raised.value)
    assert message.endswith(".")
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize("fmt", BYTE_LEVEL)
def test_damaged_files_raise_only_stamp_error(fmt):
    original = encode(photo(), fmt)
    generator = random.Random(fmt)
    for _ in range(150):
        data = bytearray(original)
        for _ in range(generator.randint(1, 4)):
            data[generator.randrange(len(data))] = generator.randrange(256)
        cut = generator.choice([len(data), generator.randrange(len(data))])
        with contextlib.suppress(StampError):
            stamp(bytes(data[:cut]), fmt, rights())


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about the broken TIFFs
def test_every_hostile_corpus_file_is_stamped_or_refused_with_stamp_error():
    directory = corpus_path("D/jpeg_trailing_php.jpg").parent
    stamped = refused = 0
    for path in sorted(directory.iterdir()):
        data = path.read_bytes()
        try:
            fmt = sniff_format(data[:4096])
        except ImageRejected:
            continue
        try:
            stamp(data, fmt, rights())
            stamped += 1
        except StampError:
            refused += 1
    assert stamped > 5
    assert refused > 5

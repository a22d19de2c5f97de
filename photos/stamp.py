"""Write a photo's rights into a copy of its file and drop every other piece of metadata.

`stamp(data, fmt, rights)` returns new bytes; the input is never changed. What survives:
the pixels, the ICC profile (and the chunks that describe colour), the EXIF Orientation (and,
in JPEG, the resolution tags EXIF requires), the structure of animations, and the rights from
`licensing.metadata`. Everything else goes: EXIF (GPS, serial numbers, owner names, maker
notes, thumbnails), XMP, IPTC, comments, text chunks, unknown chunks and segments, the JFIF
thumbnail, MPO/gain-map images and any bytes after the end of the image (polyglot payloads).

JPEG, PNG, WebP and GIF are rewritten at the byte level, so their pixels are not re-encoded.
AVIF, HEIF and TIFF go through Pillow / pillow-heif and come out upright with no Orientation:
TIFF losslessly, AVIF and HEIF at quality 90 (editing ISO-BMFF boxes in place is not
attempted; a HEIF keeps only its primary image). GIF cannot hold EXIF, so it carries only XMP,
in the standard "XMP DataXMP" application extension. Bad input only ever raises `StampError`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from PIL import Image, ImageSequence, TiffImagePlugin, TiffTags, UnidentifiedImageError

from licensing.metadata import Rights, exif_rights, iptc_rights, xmp_packet
from photos.imaging import TRANSPOSE, register_plugins
from photos.imaging_meta import DECODE_ERRORS
from photos.stamp_chunks import _stamp_gif, _stamp_png, _stamp_webp
from photos.stamp_exif import (
    ORIENTATION,
    StampError,
    exif_block,
    kept_exif,
    valid_orientation,
)

LABELS = {"WEBP": "WebP", "HEIF": "HEIC/HEIF"}
AVIF_HEIF_QUALITY = 90


def stamp(data: bytes, fmt: str, rights: Rights) -> bytes:
    """Return a copy of the image that carries the rights and no other metadata."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        known = ", ".join(_WRITERS)
        raise StampError(f"Cannot stamp rights into {fmt!r} files; the formats are {known}.")
    if not isinstance(data, bytes | bytearray | memoryview):
        raise StampError(f"Expected the image as bytes, not {type(data).__name__}.")
    label = LABELS.get(fmt, fmt)
    try:
        return writer(bytes(data), rights)
    except StampError as exc:
        raise StampError(f"This {label} file cannot be stamped: {exc}") from None
    except UnidentifiedImageError:
        raise StampError(f"This file cannot be read as {label}, so it cannot be stamped.") from None
    except (*DECODE_ERRORS, Image.DecompressionBombError) as exc:
        raise StampError(f"This {label} file cannot be stamped: it is damaged ({exc}).") from exc


# --- JPEG: walk the segments, copy the scans byte for byte ---------------------------------

SOI = b"\xff\xd8"
EOI, SOS, COM = 0xD9, 0xDA, 0xFE
APP0, APP1, APP2, APP13, APP14 = 0xE0, 0xE1, 0xE2, 0xED, 0xEE
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
# The end of entropy-coded data: 0xFF followed by neither a stuffed 0x00, a restart marker
# nor another 0xFF (fill); a run of fill bytes matches at its last 0xFF.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _stamp_jpeg(data: bytes, rights: Rights) -> bytes:
    """Rebuild the JPEG: new APP0/APP1/APP13 headers, kept colour segments, copied scans."""
    if not data.startswith(SOI):
        raise StampError("it does not start with a JPEG start-of-image marker.")
    jfif, exif, kept = b"", None, []
    for marker, payload, raw in _jpeg_segments(data):
        if marker == APP0 and payload.startswith(b"JFIF\x00") and not jfif:
            jfif = _jfif_without_thumbnail(payload)
        elif marker == APP1 and payload.startswith(b"Exif\x00\x00"):
            exif = exif or payload
        elif _keep_jpeg_segment(marker, payload):
            kept.append(raw)
    if not any(raw.startswith(b"\xff\xda") for raw in kept):
        raise StampError("it holds no image data (no start-of-scan marker).")
    head = [SOI, _segment(APP0, jfif) if jfif else b""]
    head += [
        _segment(APP1, exif_block(rights, kept_exif(exif, jpeg=True))),
        _segment(APP1, XMP_HEADER + xmp_packet(rights)),
        _segment(APP13, iptc_rights(rights)),
    ]
    return b"".join([*head, *kept, b"\xff\xd9"])


def _keep_jpeg_segment(marker: int | None, payload: bytes) -> bool:
    """Keep image structure, ICC profiles and Adobe colour; drop other APPn and comments."""
    if marker == APP2:
        return payload.startswith(b"ICC_PROFILE\x00")
    if marker == APP14:
        return payload.startswith(b"Adobe")
    return marker is None or not (APP0 <= marker <= 0xEF or marker == COM)


def _jpeg_segments(data: bytes) -> Iterator[tuple[int | None, bytes, bytes]]:
    """Yield (marker, payload, raw bytes) up to EOI; entropy-coded data has marker None."""
    pos = 2
    while True:
        marker, pos = _next_marker(data, pos)
        if marker == EOI:
            return
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # standalone markers carry no length
            yield marker, b"", bytes((0xFF, marker))
            continue
        if pos + 2 > len(data):
            raise StampError("a segment header is cut off.")
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > len(data):
            raise StampError(f"segment 0xFF{marker:02X} claims more bytes than the file has.")
        payload = data[pos + 2 : pos + length]
        yield marker, payload, bytes((0xFF, marker)) + data[pos : pos + length]
        pos += length
        if marker == SOS:
            match = _SCAN_END.search(data, pos)
            if match is None:
                raise StampError("the image data ends before the end-of-image marker.")
            yield None, b"", data[pos : match.start()]
            pos = match.start()


def _next_marker(data: bytes, pos: int) -> tuple[int, int]:
    """Return the marker at `pos` (skipping fill bytes) and the position after it."""
    if pos >= len(data):
        raise StampError("it ends before the end-of-image marker.")
    if data[pos] != 0xFF:
        raise StampError(f"expected a marker at byte {pos} but found data.")
    while pos < len(data) and data[pos] == 0xFF:
        pos += 1
    if pos >= len(data) or data[pos] == 0x00:
        raise StampError("it ends before the end-of-image marker.")
    return data[pos], pos + 1


def _jfif_without_thumbnail(payload: bytes) -> bytes:
    """Return the JFIF header with its embedded thumbnail removed, or b'' if malformed."""
    return payload[:12] + b"\x00\x00" if len(payload) >= 14 else b""


def _segment(marker: int, payload: bytes) -> bytes:
    """Return one marker segment; the length field counts itself."""
    if len(payload) + 2 > 0xFFFF:
        raise StampError("a metadata block is too large for one JPEG segment.")
    return bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload


# --- AVIF, HEIF, TIFF: re-save through Pillow / pillow-heif -------------------------------

_LOSSLESS_TIFF = {"raw", "tiff_lzw", "tiff_adobe_deflate", "packbits"}


def _stamp_with_pillow(fmt: str, data: bytes, rights: Rights) -> bytes:
    """Decode and re-save upright, with only the rights and the ICC profile."""
    register_plugins()
    with Image.open(io.BytesIO(data), formats=[fmt]) as im:
        frames = [_bare_copy(frame) for frame in ImageSequence.Iterator(im)]
        if fmt == "HEIF":
            frames = frames[:1]  # the primary image; bursts and depth maps are not kept
        # Pillow turns TIFF upright and pillow-heif HEIF while decoding, but leaves AVIF's
        # irot/imir in the EXIF; apply it, since Pillow re-encodes AVIF EXIF text as ASCII.
        if fmt == "AVIF" and (orientation := valid_orientation(im.getexif().get(ORIENTATION))):
            frames = [frame.transpose(TRANSPOSE[orientation]) for frame in frames]
        params = {"icc_profile": im.info.get("icc_profile") or None}
        if len(frames) > 1:
            params |= {"save_all": True, "append_images": frames[1:]}
        params |= _format_params(fmt, im, frames) | _rights_params(fmt, rights)
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, **params)
    return buffer.getvalue()


def _bare_copy(frame: Image.Image) -> Image.Image:
    """Return the frame's pixels with no info dictionary (so no metadata is carried over)."""
    copy = frame.copy()
    copy.info = {"duration": frame.info["duration"]} if "duration" in frame.info else {}
    return copy


def _format_params(fmt: str, im: Image.Image, frames: list[Image.Image]) -> dict:
    """Return encoder settings: lossless TIFF, quality 90 AVIF/HEIF, frame durations."""
    if fmt == "TIFF":
        compression = im.info.get("compression")
        lossless = compression if compression in _LOSSLESS_TIFF else "tiff_lzw"
        return {"compression": lossless, "dpi": im.info.get("dpi") or (72, 72)}
    params: dict = {"quality": AVIF_HEIF_QUALITY}
    if fmt == "AVIF" and len(frames) > 1:
        params["duration"] = [frame.info.get("duration", 0) for frame in frames]
    return params


def _rights_params(fmt: str, rights: Rights) -> dict:
    """Return the save() arguments that write the rights for this format."""
    if fmt != "TIFF":
        return {"exif": exif_block(rights, {}), "xmp": xmp_packet(rights)}
    ifd = TiffImagePlugin.ImageFileDirectory_v2()
    for tag, value in exif_rights(rights).items():
        ifd[tag] = value.encode("utf-8")
        ifd.tagtype[tag] = TiffTags.ASCII
    ifd[TiffImagePlugin.XMP] = xmp_packet(rights)
    ifd.tagtype[TiffImagePlugin.XMP] = TiffTags.BYTE
    return {"tiffinfo": ifd}


_WRITERS = {
    "JPEG": _stamp_jpeg,
    "PNG": _stamp_png,
    "WEBP": _stamp_webp,
    "GIF": _stamp_gif,
    "AVIF": lambda data, rights: _stamp_with_pillow("AVIF", data, rights),
    "HEIF": lambda data, rights: _stamp_with_pillow("HEIF", data, rights),
    "TIFF": lambda data, rights: _stamp_with_pillow("TIFF", data, rights),
}

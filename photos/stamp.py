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
import struct
import zlib
from collections.abc import Iterator

from PIL import Image, ImageSequence, TiffImagePlugin, TiffTags, UnidentifiedImageError

from licensing.metadata import Rights, exif_rights, iptc_rights, xmp_packet
from photos.imaging import TRANSPOSE, register_plugins
from photos.imaging_meta import DECODE_ERRORS

ORIENTATION = 0x0112
_JPEG_REQUIRED_EXIF = {
    0x011A: TiffImagePlugin.IFDRational(72, 1),  # XResolution
    0x011B: TiffImagePlugin.IFDRational(72, 1),  # YResolution
    0x0128: 2,  # ResolutionUnit: inches
    0x0213: 1,  # YCbCrPositioning: centred
}
LABELS = {"WEBP": "WebP", "HEIF": "HEIC/HEIF"}
AVIF_HEIF_QUALITY = 90


class StampError(ValueError):
    """A file that cannot be stamped, with a sentence that says why."""


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


def _exif_tiff(rights: Rights, kept: dict[int, object]) -> bytes:
    """Return an EXIF block (with the b'Exif\\0\\0' header): the rights plus the kept tags."""
    exif = Image.Exif()
    for tag, value in exif_rights(rights).items():
        exif[tag] = value.encode("utf-8")  # EXIF 'ASCII' as UTF-8: what exiftool reads back
    for tag, value in kept.items():
        exif[tag] = value
    return exif.tobytes()


def _kept_exif(payload: bytes | None, *, jpeg: bool = False) -> dict[int, object]:
    """Return the harmless EXIF tags to carry over: orientation and, for JPEG, resolution."""
    exif = Image.Exif()
    try:
        exif.load(payload or b"")
    except DECODE_ERRORS:
        exif = Image.Exif()
    kept: dict[int, object] = {}
    if orientation := _valid_orientation(exif.get(ORIENTATION)):
        kept[ORIENTATION] = orientation
    if jpeg:  # EXIF 2.32 requires these in a JPEG's IFD0; 72 dpi, centred is the default
        for tag, default in _JPEG_REQUIRED_EXIF.items():
            value = exif.get(tag)
            kept[tag] = value if _plausible(value, default) else default
    return kept


def _plausible(value: object, default: object) -> bool:
    """Tell whether a resolution value is usable: same type, positive and bounded."""
    if isinstance(default, TiffImagePlugin.IFDRational):
        return isinstance(value, TiffImagePlugin.IFDRational) and 0 < float(value) < 1e6
    return isinstance(value, int) and 1 <= value <= 3


def _valid_orientation(value: object) -> int | None:
    """Return value when it is an EXIF orientation (1-8), else None."""
    return value if isinstance(value, int) and 1 <= value <= 8 else None


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
        _segment(APP1, _exif_tiff(rights, _kept_exif(exif, jpeg=True))),
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


# --- PNG: keep the chunks that make the picture, add eXIf and iTXt ------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Critical chunks, colour (iCCP, gAMA, cHRM, sRGB, cICP, mDCV, cLLI, sBIT), transparency,
# background, density and APNG animation; text, eXIf, tIME and unknown chunks are dropped.
_PNG_KEEP = frozenset(
    b"IHDR PLTE IDAT IEND tRNS iCCP gAMA cHRM sRGB cICP mDCV cLLI mDCv cLLi sBIT bKGD pHYs "
    b"acTL fcTL fdAT".split()
)
_XMP_ITXT_KEYWORD = b"XML:com.adobe.xmp"


def _stamp_png(data: bytes, rights: Rights) -> bytes:
    """Rebuild the PNG with its image chunks, then eXIf and XMP iTXt after IHDR."""
    if not data.startswith(PNG_SIGNATURE):
        raise StampError("it does not start with the PNG signature.")
    chunks = list(_png_chunks(data))
    if not chunks or chunks[0][0] != b"IHDR":
        raise StampError("its first chunk is not IHDR.")
    exif_chunk = next((body for kind, body, _ in chunks if kind == b"eXIf"), None)
    kept = [raw for kind, _, raw in chunks if kind in _PNG_KEEP]
    if not any(kind == b"IDAT" for kind, _, _ in chunks):
        raise StampError("it holds no image data (no IDAT chunk).")
    exif = _exif_tiff(rights, _kept_exif(exif_chunk))[6:]  # eXIf holds bare TIFF
    itxt = _XMP_ITXT_KEYWORD + b"\x00\x00\x00\x00\x00" + xmp_packet(rights)
    added = [_png_chunk(b"eXIf", exif), _png_chunk(b"iTXt", itxt)]
    return b"".join([PNG_SIGNATURE, kept[0], *added, *kept[1:]])


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes, bytes]]:
    """Yield (type, body, raw) up to IEND; ancillary chunks with a bad CRC are skipped."""
    pos = len(PNG_SIGNATURE)
    while True:
        if pos + 12 > len(data):
            raise StampError("it ends before the IEND chunk.")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if length > 0x7FFFFFFF or end > len(data):
            raise StampError(f"chunk {kind!r} claims more bytes than the file has.")
        body, crc = data[pos + 8 : end - 4], data[end - 4 : end]
        if zlib.crc32(kind + body).to_bytes(4, "big") == crc:
            yield kind, body, data[pos:end]
        elif kind[:1].isupper():
            raise StampError(f"critical chunk {kind!r} has a bad checksum.")
        if kind == b"IEND":
            return
        pos = end


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    """Return one PNG chunk with its length and CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


# --- WebP: extended (VP8X) container with EXIF and XMP chunks -----------------------------

_WEBP_KEEP = frozenset((b"ICCP", b"ANIM", b"ANMF", b"ALPH", b"VP8 ", b"VP8L"))
VP8X_ICC, VP8X_ALPHA, VP8X_EXIF, VP8X_XMP, VP8X_ANIMATION = 0x20, 0x10, 0x08, 0x04, 0x02


def _stamp_webp(data: bytes, rights: Rights) -> bytes:
    """Rebuild the RIFF container: VP8X, the image chunks, then EXIF and XMP."""
    chunks = list(_riff_chunks(data))
    if not chunks:
        raise StampError("it holds no image chunk.")
    kind, body = chunks[0]
    if kind == b"VP8X":
        if len(body) < 10:
            raise StampError("its VP8X header is cut off.")
        flags = body[0] & (VP8X_ALPHA | VP8X_ANIMATION)
        size = body[4:10]
    else:
        flags, size = _simple_webp_header(kind, body)
    kept = [(kind, body) for kind, body in chunks if kind in _WEBP_KEEP]
    if any(kind == b"ICCP" for kind, _ in kept):
        flags |= VP8X_ICC
    exif_chunk = next((body for kind, body in chunks if kind == b"EXIF"), None)
    exif = _exif_tiff(rights, _kept_exif(exif_chunk))[6:]
    header = bytes((flags | VP8X_EXIF | VP8X_XMP, 0, 0, 0)) + size
    parts = [(b"VP8X", header), *kept, (b"EXIF", exif), (b"XMP ", xmp_packet(rights))]
    riff = b"WEBP" + b"".join(_riff_chunk(kind, body) for kind, body in parts)
    return b"RIFF" + struct.pack("<I", len(riff)) + riff


def _riff_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """Yield (fourcc, body) within the RIFF size; bytes after it are ignored."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise StampError("it is not a RIFF WEBP container.")
    end = 8 + int.from_bytes(data[4:8], "little")
    if end > len(data):
        raise StampError("the RIFF header claims more bytes than the file has.")
    pos = 12
    while pos + 8 <= end:
        kind, length = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        if pos + 8 + length > end:
            raise StampError(f"chunk {kind!r} claims more bytes than the file has.")
        yield kind, data[pos + 8 : pos + 8 + length]
        pos += 8 + length + (length & 1)


def _simple_webp_header(kind: bytes, body: bytes) -> tuple[int, bytes]:
    """Return VP8X flags and the 6-byte canvas size read from a VP8 or VP8L bitstream."""
    if kind == b"VP8 " and len(body) >= 10 and body[3:6] == b"\x9d\x01\x2a":
        width, height = (int.from_bytes(body[i : i + 2], "little") & 0x3FFF for i in (6, 8))
        flags = 0
    elif kind == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        bits = int.from_bytes(body[1:5], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        flags = VP8X_ALPHA if bits >> 28 & 1 else 0
    else:
        raise StampError(f"its first chunk {kind!r} is not a VP8, VP8L or VP8X header.")
    if not width or not height:
        raise StampError("its bitstream declares an empty image.")
    return flags, (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")


def _riff_chunk(kind: bytes, body: bytes) -> bytes:
    """Return one RIFF chunk, padded to an even length."""
    return kind + struct.pack("<I", len(body)) + body + b"\x00" * (len(body) & 1)


# --- GIF: keep frames, loops and ICC; add XMP ---------------------------------------------

_GIF_KEEP_APPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012")
# XMP spec part 3: the packet is written raw, then a 258-byte "magic trailer" that any
# sub-block reader, wherever it lands in it, follows to the closing zero-length block.
_XMP_MAGIC_TRAILER = b"\x01" + bytes(range(255, -1, -1)) + b"\x00"


def _stamp_gif(data: bytes, rights: Rights) -> bytes:
    """Rebuild the GIF: screen, frames, loop and ICC extensions, and an XMP extension."""
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise StampError("it does not start with a GIF header.")
    pos = 13 + _colour_table_size(data[10])
    xmp = b"\x21\xff\x0bXMP DataXMP" + xmp_packet(rights) + _XMP_MAGIC_TRAILER
    out = [b"GIF89a", data[6:pos], xmp]
    while pos < len(data) and data[pos] != 0x3B:
        end = _gif_block_end(data, pos)
        if _keep_gif_block(data, pos):
            out.append(data[pos:end])
        pos = end
    if not any(block.startswith(b"\x2c") for block in out[3:]):
        raise StampError("it holds no image.")
    return b"".join([*out, b";"])


def _colour_table_size(packed: int) -> int:
    """Return the byte size of the colour table a GIF packed-fields byte announces."""
    return 3 * (2 << (packed & 7)) if packed & 0x80 else 0


def _gif_block_end(data: bytes, pos: int) -> int:
    """Return the position after the extension or image starting at `pos`."""
    if data[pos] == 0x21:
        return _sub_blocks_end(data, pos + 2)
    if data[pos] == 0x2C:
        if pos + 11 > len(data):
            raise StampError("an image descriptor is cut off.")
        return _sub_blocks_end(data, pos + 11 + _colour_table_size(data[pos + 9]))
    raise StampError(f"unexpected byte 0x{data[pos]:02X} at {pos} between GIF blocks.")


def _sub_blocks_end(data: bytes, pos: int) -> int:
    """Return the position after a chain of data sub-blocks ending with a zero length."""
    while pos < len(data):
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos
    raise StampError("it ends inside a data block.")


def _keep_gif_block(data: bytes, pos: int) -> bool:
    """Keep images, graphic controls and loop/ICC extensions; drop comments and the rest."""
    if data[pos] == 0x2C:
        return True
    label = data[pos + 1]
    return label == 0xF9 or (label == 0xFF and data[pos + 3 : pos + 14] in _GIF_KEEP_APPS)


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
        if fmt == "AVIF" and (orientation := _valid_orientation(im.getexif().get(ORIENTATION))):
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
        return {"exif": _exif_tiff(rights, {}), "xmp": xmp_packet(rights)}
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

"""Stamp PNG, WebP and GIF files by rewriting their chunks; pixels are copied byte for byte.

See photos.stamp for what is kept and what is dropped; `stamp()` there calls these writers.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

from licensing.metadata import Rights, xmp_packet
from photos.stamp_exif import StampError, exif_block, kept_exif

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
    exif = exif_block(rights, kept_exif(exif_chunk))[6:]  # eXIf holds bare TIFF
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
    exif = exif_block(rights, kept_exif(exif_chunk))[6:]
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

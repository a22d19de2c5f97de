"""Tell what a file really is from its first bytes; no Django, no Pillow decoding here."""

from __future__ import annotations

import re

ACCEPTED = "Brouette accepts JPEG, PNG, WebP, GIF, TIFF, HEIC/HEIF and AVIF."


class ImageRejected(Exception):
    """An upload that is not a photo Brouette can use, with a code and a human sentence."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_MAGIC = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"II+\x00", "TIFF"),  # BigTIFF
    (b"MM\x00+", "TIFF"),
)
# Formats that are images, but not ones Brouette accepts.
_OTHER_IMAGES = (
    (b"\xff\x0a", "a JPEG XL image"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "a JPEG XL image"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "a JPEG 2000 image"),
    (b"\xff\x4f\xff\x51", "a JPEG 2000 image"),
    (b"BM", "a BMP image"),
    (b"8BPS", "a Photoshop document (PSD)"),
    (b"\x00\x00\x01\x00", "a Windows icon (ICO)"),
    (b"\x01\xda", "an SGI image"),
    (b"DDS ", "a DirectDraw texture (DDS)"),
)
_NOT_IMAGES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
_AVIF_BRANDS = {b"avif", b"avis"}
_GENERIC_BRANDS = {b"mif1", b"msf1", b"miaf", b"mif2"}
_VIDEO_BRANDS = {b"isom", b"iso2", b"mp41", b"mp42", b"qt  ", b"M4V ", b"3gp4", b"3gp5", b"avc1"}


def sniff_format(head: bytes) -> str:
    """Return the real image format of a file from its first bytes, or reject it."""
    if not head:
        raise ImageRejected("empty", "This file is empty (0 bytes), so there is no photo in it.")
    for magic, fmt in _MAGIC:
        if head.startswith(magic):
            return fmt
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        return _sniff_ftyp(head)
    raise _unsupported(*_describe(head))


def _sniff_ftyp(head: bytes) -> str:
    """Tell HEIF from AVIF (and from video) by the brands of an ISO-BMFF ftyp box."""
    box_size = int.from_bytes(head[:4], "big")
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major in _AVIF_BRANDS or (major in _GENERIC_BRANDS and compatible & _AVIF_BRANDS):
        return "AVIF"
    if major in _HEIF_BRANDS or major in _GENERIC_BRANDS or compatible & _HEIF_BRANDS:
        return "HEIF"
    if compatible & _AVIF_BRANDS:
        return "AVIF"
    if major == b"jxl ":
        raise _unsupported("a JPEG XL image", image=True)
    if major == b"crx ":
        raise _unsupported("a Canon raw photo (CR3)", image=True)
    if major in _VIDEO_BRANDS or compatible & _VIDEO_BRANDS:
        raise _unsupported("a video (MP4/QuickTime)")
    raise _unsupported("a media file that holds no HEIF or AVIF image")


def _describe(head: bytes) -> tuple[str, bool]:
    """Name what a rejected file is, as far as its first bytes tell, and if it is an image."""
    for table, image in ((_OTHER_IMAGES, True), (_NOT_IMAGES, False)):
        for magic, what in table:
            if head.startswith(magic):
                return what, image
    if re.match(rb"P[1-7]\s", head):
        return "a Netpbm image (PPM/PGM/PBM)", True
    text = _as_text(head)
    if text is None:
        return "", False
    start = text.lstrip("\ufeff \t\r\n").lower()
    if "<svg" in start[:2048]:
        return "an SVG drawing", False
    if start.startswith(("<!doctype html", "<html")) or "<html" in start[:1024]:
        return "a web page (HTML)", False
    if start.startswith("<?xml"):
        return "an XML document", False
    return "plain text", False


def _as_text(head: bytes) -> str | None:
    """Return head decoded when it looks like text (a character may be cut at the end)."""
    for cut in range(4):
        try:
            text = head[: len(head) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return None if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text) else text
    return None


def _unsupported(what: str, image: bool = False) -> ImageRejected:
    """Build the rejection for a file that is not in an accepted image format."""
    if not what:
        first = "This file is not in an image format Brouette recognises."
    elif image:
        first = f"This file is {what}, a format Brouette cannot read."
    else:
        first = f"This file is {what}, not a photo."
    return ImageRejected("unsupported_type", f"{first} {ACCEPTED}")

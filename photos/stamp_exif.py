"""EXIF for stamped files: the rights, plus the few tags worth keeping from the original.

Shared by the JPEG writer (photos.stamp) and the chunk writers (photos.stamp_chunks).
"""

from __future__ import annotations

from PIL import Image, TiffImagePlugin

from licensing.metadata import Rights, exif_rights
from photos.imaging_meta import DECODE_ERRORS

ORIENTATION = 0x0112
_JPEG_REQUIRED_EXIF = {
    0x011A: TiffImagePlugin.IFDRational(72, 1),  # XResolution
    0x011B: TiffImagePlugin.IFDRational(72, 1),  # YResolution
    0x0128: 2,  # ResolutionUnit: inches
    0x0213: 1,  # YCbCrPositioning: centred
}


class StampError(ValueError):
    """A file that cannot be stamped, with a sentence that says why."""


def exif_block(rights: Rights, kept: dict[int, object]) -> bytes:
    """Return an EXIF block (with the b'Exif\\0\\0' header): the rights plus the kept tags."""
    exif = Image.Exif()
    for tag, value in exif_rights(rights).items():
        exif[tag] = value.encode("utf-8")  # EXIF 'ASCII' as UTF-8: what exiftool reads back
    for tag, value in kept.items():
        exif[tag] = value
    return exif.tobytes()


def kept_exif(payload: bytes | None, *, jpeg: bool = False) -> dict[int, object]:
    """Return the harmless EXIF tags to carry over: orientation and, for JPEG, resolution."""
    exif = Image.Exif()
    try:
        exif.load(payload or b"")
    except DECODE_ERRORS:
        exif = Image.Exif()
    kept: dict[int, object] = {}
    if orientation := valid_orientation(exif.get(ORIENTATION)):
        kept[ORIENTATION] = orientation
    if jpeg:  # EXIF 2.32 requires these in a JPEG's IFD0; 72 dpi, centred is the default
        for tag, default in _JPEG_REQUIRED_EXIF.items():
            value = exif.get(tag)
            kept[tag] = value if plausible(value, default) else default
    return kept


def plausible(value: object, default: object) -> bool:
    """Tell whether a resolution value is usable: same type, positive and bounded."""
    if isinstance(default, TiffImagePlugin.IFDRational):
        return isinstance(value, TiffImagePlugin.IFDRational) and 0 < float(value) < 1e6
    return isinstance(value, int) and 1 <= value <= 3


def valid_orientation(value: object) -> int | None:
    """Return value when it is an EXIF orientation (1-8), else None."""
    return value if isinstance(value, int) and 1 <= value <= 8 else None

"""Colour for renditions: a working mode Pillow can resize, sRGB, and alpha only when used.

Pure Pillow (with its LittleCMS binding); photos.imaging calls these while making sizes.
"""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageCms

from photos.imaging_meta import DECODE_ERRORS


def working_mode(im: Image.Image) -> Image.Image:
    """Return the image in a mode resize() and the encoders handle: RGB(A), L(A) or CMYK."""
    transparent = "transparency" in im.info
    if im.mode in ("RGB", "L") and transparent:
        return im.convert("RGBA")
    if im.mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return im
    if im.mode in ("P", "PA"):
        return im.convert("RGBA" if transparent or im.mode == "PA" else "RGB")
    if im.mode == "1":
        return im.convert("L")
    if im.mode.startswith("I") or im.mode == "F":
        return deep_to_l(im)
    if im.mode in ("RGBa", "La"):
        return im.convert(im.mode.upper())
    return im.convert("RGB")


def deep_to_l(im: Image.Image) -> Image.Image:
    """Scale 16-bit (I;16, I) or float grey down to 8 bits instead of clipping at 255."""
    if im.mode == "F":
        return im.convert("L")
    deep = im if im.mode == "I" else im.convert("I")
    return deep.point(lambda value: value * (1 / 257)).convert("L")


@cache
def srgb() -> ImageCms.ImageCmsProfile:
    """Return the sRGB profile, built once on first use."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Convert through the embedded ICC profile to sRGB; untagged CMYK is inverted naively."""
    profile = profile_of(icc) if icc and image.mode in ("RGB", "RGBA", "CMYK") else None
    if profile is None or (image.mode != "CMYK" and is_srgb(profile)):
        return image.convert("RGB") if image.mode == "CMYK" else image
    out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        return ImageCms.profileToProfile(image, profile, srgb(), outputMode=out_mode)
    except (ImageCms.PyCMSError, *DECODE_ERRORS):  # a profile that lies about its colour space
        return image.convert(out_mode)


def profile_of(icc: bytes) -> ImageCms.ImageCmsProfile | None:
    """Parse an embedded ICC profile, or None when it is broken."""
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except (ImageCms.PyCMSError, *DECODE_ERRORS):
        return None


def is_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    """Return whether a profile already describes sRGB, so converting would change nothing."""
    try:
        description = profile.profile.profile_description or ""
    except DECODE_ERRORS:
        return False
    return "srgb" in description.lower()


def drop_opaque_alpha(image: Image.Image) -> Image.Image:
    """Drop an alpha channel that is fully opaque, to encode less."""
    if image.mode in ("RGBA", "LA") and image.getextrema()[-1] == (255, 255):
        return image.convert(image.mode[:-1])
    return image

"""Check uploaded photos and make their web renditions with Pillow; no Django here.

The three entry points are `sniff_format` (what the bytes really are), `inspect` (decode
fully, enforce the pixel limit, read metadata) and `make_renditions` (the size ladder as
JPEG and WebP, stripped of all metadata). Bad input only ever raises `ImageRejected`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import BinaryIO

from PIL import Image, features

from photos import imaging_colour as colour
from photos.imaging_meta import DECODE_ERRORS, PhotoMetadata, read_metadata
from photos.sniff import ImageRejected, sniff_format

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "HEAD_BYTES",
    "LADDER",
    "ImageInfo",
    "ImageRejected",
    "PhotoMetadata",
    "Rendition",
    "RenditionSet",
    "Size",
    "inspect",
    "ladder_sizes",
    "make_renditions",
    "placeholder_colour",
    "register_plugins",
    "sniff_format",
]

HEAD_BYTES = 4096  # enough for any magic number and an ISO-BMFF ftyp box
DEFAULT_MAX_PIXELS = 100_000_000
JPEG_QUALITY = 82
WEBP_QUALITY = 80
# WebP effort: method 4 costs ~2.3x method 2's time for ~3% smaller files; on the two largest
# rungs (the costliest encodes) method 1 saves another ~30% of their time for ~10% more bytes.
WEBP_METHOD = 2
WEBP_METHOD_LARGE = 1
LARGE_EDGE = 1600
# Measured on corpus A against single-step LANCZOS: HAMMING for the first (largest, most
# costly) step then BICUBIC keeps every rung above 40 dB PSNR at half LANCZOS's cost.
# Measured here (Pillow 13, 2 cores): resize is the largest cost of the ladder. HAMMING keeps
# every rung above 40 dB PSNR against LANCZOS at about half of BICUBIC's cost.
FIRST_RESAMPLE = Image.Resampling.HAMMING
RESAMPLE = Image.Resampling.HAMMING
REDUCING_GAP = 2.0  # box-reduce first when shrinking >= 4x: Pillow's thumbnail() default
LABELS = {"HEIF": "HEIC/HEIF", "WEBP": "WebP"}


@dataclass(frozen=True)
class Size:
    """One rung of the rendition ladder: a long edge, or a centre-cropped square."""

    name: str
    edge: int
    square: bool = False
    always: bool = False  # made even when the original is smaller (at the original's size)


LADDER = (
    Size("square", 150, square=True),
    Size("small", 320, always=True),
    Size("medium", 800),
    Size("large", 1600),
    Size("xlarge", 2048),
)


@dataclass(frozen=True)
class ImageInfo:
    """What `inspect` learnt about a decodable image; width/height as displayed."""

    format: str
    width: int
    height: int
    frames: int
    animated: bool
    mode: str
    has_icc: bool
    metadata: PhotoMetadata


@dataclass(frozen=True)
class Rendition:
    """One resized copy of a photo, encoded as JPEG and WebP, with no metadata."""

    name: str
    width: int
    height: int
    jpeg: bytes
    webp: bytes


@dataclass(frozen=True)
class RenditionSet:
    """The renditions of a photo in ladder order and its placeholder colour (#rrggbb)."""

    renditions: list[Rendition]
    placeholder: str


# --- Plugins and sniffing ---------------------------------------------------------------


@cache
def register_plugins() -> None:
    """Register the HEIF opener (and AVIF if Pillow lacks it); safe to call repeatedly."""
    import pillow_heif

    # Thumbnails, depth and auxiliary images are never used: skip decoding them.
    pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
    if not features.check("avif") and hasattr(pillow_heif, "register_avif_opener"):
        pillow_heif.register_avif_opener()


# --- Opening and inspecting -------------------------------------------------------------


@contextmanager
def _rejecting_bad_input(fmt: str) -> Iterator[None]:
    """Turn whatever Pillow raises on hostile bytes into ImageRejected."""
    try:
        yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(
            "too_many_pixels",
            "This image has far too many pixels to process safely; "
            "Brouette accepts images up to 100 megapixels.",
        ) from exc
    except DECODE_ERRORS as exc:
        label = LABELS.get(fmt, fmt)
        raise ImageRejected(
            "corrupt",
            f"This {label} file is damaged or incomplete, so it cannot be read. "
            "Try exporting or uploading it again.",
        ) from exc


def _sniff_stream(fp: BinaryIO) -> str:
    """Sniff the format of a seekable binary file and rewind it."""
    fp.seek(0)
    head = fp.read(HEAD_BYTES)
    fp.seek(0)
    return sniff_format(head)


def _open(fp: BinaryIO, fmt: str, max_pixels: int | None = None) -> Image.Image:
    """Open fp with only the plugin for its sniffed format, enforcing the pixel limit."""
    register_plugins()
    fp.seek(0)
    im = Image.open(fp, formats=(fmt,))  # Pillow still checks its own bomb limit here
    if max_pixels is not None and im.width * im.height > max_pixels:
        # Not im.close(): that would close the caller's file object too.
        raise ImageRejected(
            "too_many_pixels",
            f"This image is {im.width} × {im.height} pixels "
            f"({im.width * im.height / 1e6:.0f} megapixels); "
            f"Brouette accepts images up to {max_pixels / 1e6:g} megapixels.",
        )
    return im


def inspect(fp: BinaryIO, *, max_pixels: int) -> ImageInfo:
    """Decode an upload fully and describe it, or raise ImageRejected."""
    fmt = _sniff_stream(fp)
    with _rejecting_bad_input(fmt):
        if fmt == "PNG":
            _verify_png(fp)
        with _open(fp, fmt, max_pixels) as im:
            orientation = orientation_of(im)  # before load(): TIFF forgets it afterwards
            frames = max(1, int(getattr(im, "n_frames", 1)))
            im.seek(0)
            im.load()  # decodes the first frame: truncated or corrupt data fails here
            width, height = displayed_size(im.size, orientation)
            return ImageInfo(
                format=fmt,
                width=width,
                height=height,
                frames=frames,
                animated=frames > 1 and fmt in ("GIF", "PNG", "WEBP", "AVIF"),
                mode=im.mode,
                has_icc=bool(im.info.get("icc_profile")),
                metadata=read_metadata(im),
            )


def _verify_png(fp: BinaryIO) -> None:
    """Check every PNG chunk CRC, as browsers do, so they agree with us on what is broken."""
    with Image.open(fp, formats=("PNG",)) as probe:
        probe.verify()
    fp.seek(0)


TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def orientation_of(im: Image.Image) -> int:
    """Return the EXIF (or XMP) orientation 1-8, treating broken or odd values as 1."""
    try:
        value = im.getexif().get(0x0112)
    except DECODE_ERRORS:
        return 1
    return value if isinstance(value, int) and value in TRANSPOSE else 1


def displayed_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """Return (width, height) as displayed once the orientation is applied."""
    return (size[1], size[0]) if orientation >= 5 else size


# --- Renditions -------------------------------------------------------------------------


def ladder_sizes(
    size: tuple[int, int], ladder: tuple[Size, ...] = LADDER
) -> list[tuple[Size, tuple[int, int]]]:
    """Return the (rung, (width, height)) pairs to make for a displayed size, never upscaling."""
    width, height = size
    long_edge = max(width, height)
    planned = []
    for rung in ladder:
        if rung.square:
            planned.append((rung, (rung.edge, rung.edge)))
        elif long_edge >= rung.edge or rung.always:
            scale = min(rung.edge, long_edge) / long_edge
            planned.append((rung, (max(1, round(width * scale)), max(1, round(height * scale)))))
    return planned


def make_renditions(
    fp: BinaryIO, *, ladder: tuple[Size, ...] = LADDER, threads: int = 2
) -> RenditionSet:
    """Make every rung of the ladder as metadata-free sRGB JPEG and WebP.

    Encoding runs on `threads` worker threads while the next, smaller size is being made
    (Pillow releases the GIL while resizing and encoding); threads=0 does it all inline.
    """
    fmt = _sniff_stream(fp)
    with _rejecting_bad_input(fmt):
        with _open(fp, fmt) as im:
            orientation = orientation_of(im)
            planned = ladder_sizes(displayed_size(im.size, orientation), ladder)
            scaled = sorted((p for p in planned if not p[0].square), key=lambda p: -max(p[1]))
            base = _decode_at(im, scaled[0][1] if scaled else im.size, orientation)
        with _Encoder(threads) as encoder:
            images = _cascade(base, scaled, encoder)
            for rung, size in planned:
                if rung.square:
                    encoder.submit(rung.name, _square(images, scaled, base, size))
            renditions = [encoder.result(rung.name) for rung, _ in planned]
    smallest = images[scaled[-1][0].name] if scaled else base
    return RenditionSet(renditions=renditions, placeholder=placeholder_colour(smallest))


class _Encoder:
    """Encode renditions as JPEG and WebP, inline or on a small thread pool."""

    def __init__(self, threads: int) -> None:
        self._pool = ThreadPoolExecutor(threads) if threads > 0 else None
        self._jobs: dict[str, tuple] = {}

    def __enter__(self) -> _Encoder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, name: str, image: Image.Image) -> None:
        """Start encoding one image in both formats."""
        jpeg_args = (_on_white(image), "JPEG", {"quality": JPEG_QUALITY})
        method = WEBP_METHOD_LARGE if max(image.size) >= LARGE_EDGE else WEBP_METHOD
        webp_args = (image, "WEBP", {"quality": WEBP_QUALITY, "method": method})
        if self._pool is None:
            self._jobs[name] = (image.size, _save(*jpeg_args), _save(*webp_args))
        else:
            jobs = (self._pool.submit(_save, *jpeg_args), self._pool.submit(_save, *webp_args))
            self._jobs[name] = (image.size, *jobs)

    def result(self, name: str) -> Rendition:
        """Wait for one image's encodings and return its Rendition."""
        (width, height), jpeg, webp = self._jobs[name]
        if self._pool is not None:
            jpeg, webp = jpeg.result(), webp.result()
        return Rendition(name=name, width=width, height=height, jpeg=jpeg, webp=webp)


def _decode_at(im: Image.Image, target: tuple[int, int], orientation: int) -> Image.Image:
    """Decode the first frame no larger than needed, as upright sRGB at the target size."""
    stored = displayed_size(target, orientation)  # a swap is its own inverse
    floor = min(LADDER[0].edge, *im.size)  # the square needs this much short edge
    im.draft(None, (max(stored[0], floor), max(stored[1], floor)))  # JPEG DCT scaling
    im.seek(0)
    im.load()
    icc = im.info.get("icc_profile")
    image = _shrink(colour.working_mode(im), stored, FIRST_RESAMPLE)
    image = colour.to_srgb(image, icc)
    if orientation != 1:
        image = image.transpose(TRANSPOSE[orientation])
    image.info = {}  # no comment, EXIF, XMP or ICC may travel into the outputs
    return colour.drop_opaque_alpha(image)


def _shrink(image: Image.Image, size: tuple[int, int], resample=RESAMPLE) -> Image.Image:
    """Resize to size (box-reducing first when far larger); a no-op at the same size."""
    if image.size == size:
        return image
    return image.resize(size, resample, reducing_gap=REDUCING_GAP)


def _cascade(base: Image.Image, scaled: list, encoder: _Encoder) -> dict[str, Image.Image]:
    """Make each size from the previous, larger one, handing each to the encoder."""
    images: dict[str, Image.Image] = {}
    current = base
    for rung, size in scaled:
        current = _shrink(current, size)
        images[rung.name] = current
        encoder.submit(rung.name, current)
    return images


def _square(images: dict, scaled: list, base: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Centre-crop the smallest made image that is big enough into a square."""
    source = base
    for rung, _ in reversed(scaled):
        if min(images[rung.name].size) >= size[0]:
            source = images[rung.name]
            break
    side = min(source.size)
    left, top = (source.width - side) // 2, (source.height - side) // 2
    return source.resize(size, RESAMPLE, box=(left, top, left + side, top + side))


def _on_white(image: Image.Image) -> Image.Image:
    """Flatten an image with alpha onto white."""
    if image.mode not in ("RGBA", "LA"):
        return image
    background = Image.new(image.mode, image.size, (255,) * len(image.mode))
    return Image.alpha_composite(background.convert("RGBA"), image.convert("RGBA")).convert(
        "RGB" if image.mode == "RGBA" else "L"
    )


def _save(image: Image.Image, fmt: str, params: dict) -> bytes:
    """Encode image to bytes with only the given parameters (info is never consulted)."""
    image.info = {}  # JPEG would otherwise copy a COM segment from info["comment"]
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def placeholder_colour(image: Image.Image) -> str:
    """Return the average colour of a (small) image on white as #rrggbb."""
    rgb = _on_white(image).convert("RGB").resize((1, 1), Image.Resampling.BOX)
    red, green, blue = rgb.getpixel((0, 0))
    return f"#{red:02x}{green:02x}{blue:02x}"

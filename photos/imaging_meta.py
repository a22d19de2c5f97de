"""Read camera, date, place, creator, license and keyword metadata from an opened image.

Pure Python + Pillow, no Django. Every reader treats metadata as hostile: a broken EXIF,
XMP or IPTC block yields empty fields, never an exception, because metadata must not make
an otherwise decodable photo unusable.
"""

from __future__ import annotations

import math
import re
import struct
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from PIL import Image, IptcImagePlugin

# What Pillow and its plugins raise on hostile bytes; shared with photos.imaging.
DECODE_ERRORS = (
    OSError,
    ValueError,
    SyntaxError,
    struct.error,
    EOFError,
    MemoryError,
    IndexError,
    ZeroDivisionError,
    TypeError,
    KeyError,
    AttributeError,
    RuntimeError,
    OverflowError,
    UnicodeError,
)

MAX_TEXT = 500
MAX_KEYWORDS = 100
MAX_XMP_BYTES = 1_000_000

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
NS = {
    "dc": "{http://purl.org/dc/elements/1.1/}",
    "cc": "{http://creativecommons.org/ns#}",
    "xmpRights": "{http://ns.adobe.com/xap/1.0/rights/}",
    "lr": "{http://ns.adobe.com/lightroom/1.0/}",
    "aux": "{http://ns.adobe.com/exif/1.0/aux/}",
    "exifEX": "{http://cipa.jp/exif/1.0/}",
    "exif": "{http://ns.adobe.com/exif/1.0/}",
    "photoshop": "{http://ns.adobe.com/photoshop/1.0/}",
}

# EXIF tag numbers (CIPA DC-008).
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
MAKE, MODEL, ARTIST = 0x010F, 0x0110, 0x013B
EXPOSURE, FNUMBER, ISO, FOCAL, LENS = 0x829A, 0x829D, 0x8827, 0x920A, 0xA434
DATE_ORIGINAL, DATE_DIGITIZED, OFFSET_ORIGINAL = 0x9003, 0x9004, 0x9011

# C0/C1 controls and bidi overrides/isolates: they can disguise text shown to people.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class PhotoMetadata:
    """Descriptive metadata found in a photo; empty strings and None mean absent."""

    camera_make: str = ""
    camera_model: str = ""
    lens: str = ""
    exposure_time: str = ""
    f_number: float | None = None
    iso: int | None = None
    focal_length: float | None = None
    taken_at: datetime | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    creator: str = ""
    license_url: str = ""
    license_claims: tuple[str, ...] = field(default_factory=tuple)  # every CC URL the file names
    keywords: tuple[str, ...] = field(default_factory=tuple)


def clean_text(value: object, limit: int = MAX_TEXT) -> str:
    """Return value as safe one-paragraph text: decoded, controls removed, capped."""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    if not isinstance(value, str):
        return ""
    text = _UNSAFE_CHARS.sub("", unicodedata.normalize("NFC", value[: limit * 4]))
    return text.strip()[:limit].strip()


def read_metadata(im: Image.Image) -> PhotoMetadata:
    """Return the metadata of an opened image, tolerating any damage."""
    exif = _safe(_exif_fields, im) or {}
    xmp = _safe(_xmp_root, im)
    iptc = _safe(_iptc_fields, im) or {}
    xmp_fields = (_safe(_xmp_fields, xmp) or {}) if xmp is not None else {}
    keywords = _keywords(xmp_fields, iptc)
    return PhotoMetadata(
        camera_make=exif.get("camera_make", ""),
        camera_model=exif.get("camera_model", ""),
        lens=exif.get("lens") or xmp_fields.get("lens", ""),
        exposure_time=exif.get("exposure_time", ""),
        f_number=exif.get("f_number"),
        iso=exif.get("iso"),
        focal_length=exif.get("focal_length"),
        taken_at=exif.get("taken_at") or xmp_fields.get("taken_at"),
        gps_lat=exif.get("gps_lat"),
        gps_lon=exif.get("gps_lon"),
        creator=xmp_fields.get("creator") or iptc.get("creator") or exif.get("artist", ""),
        license_url=xmp_fields.get("license_url", ""),
        license_claims=tuple(xmp_fields.get("license_claims", ())),
        keywords=keywords,
    )


def _keywords(xmp_fields: dict, iptc: dict) -> tuple[str, ...]:
    """Return flat keywords that are not a leaf of a hierarchy, then the hierarchical ones."""
    hierarchical = list(xmp_fields.get("hierarchical", ()))
    leaves = {k.rsplit("|", 1)[-1].strip().casefold() for k in hierarchical if "|" in k}
    flat = [*xmp_fields.get("subjects", ()), *iptc.get("keywords", ())]
    return _unique([*(k for k in flat if k.casefold() not in leaves), *hierarchical])


def _safe(reader, arg):
    """Call reader(arg), returning None when the metadata is damaged."""
    try:
        return reader(arg)
    except DECODE_ERRORS:
        return None


# --- EXIF -------------------------------------------------------------------------------


def _exif_fields(im: Image.Image) -> dict:
    """Collect the EXIF fields we use from IFD0, the Exif IFD and the GPS IFD."""
    exif = im.getexif()
    sub = _safe(exif.get_ifd, EXIF_IFD) or {}
    gps = _safe(exif.get_ifd, GPS_IFD) or {}
    out = {
        "camera_make": clean_text(exif.get(MAKE)),
        "camera_model": clean_text(exif.get(MODEL)),
        "artist": clean_text(exif.get(ARTIST)),
        "lens": clean_text(sub.get(LENS)),
        "exposure_time": _safe(_exposure_text, sub.get(EXPOSURE)) or "",
        "f_number": _positive(sub.get(FNUMBER), 1000),
        "iso": _iso(sub.get(ISO)),
        "focal_length": _positive(sub.get(FOCAL), 100_000),
        "taken_at": _safe(_exif_datetime, sub),
    }
    out["gps_lat"], out["gps_lon"] = _safe(_gps_position, gps) or (None, None)
    return out


def _number(value: object) -> float | None:
    """Return an EXIF rational, tuple or number as a finite float."""
    if isinstance(value, tuple) and len(value) == 2:
        value = value[0] / value[1] if value[1] else math.nan
    if isinstance(value, tuple | list) and len(value) == 1:
        value = value[0]
    try:
        number = float(value)  # IFDRational with a zero denominator gives nan
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _positive(value: object, ceiling: float) -> float | None:
    """Return value rounded to 0.1 when it is a plausible positive number."""
    number = _number(value)
    return round(number, 1) if number is not None and 0 < number < ceiling else None


def _iso(value: object) -> int | None:
    """Return the ISO speed when it is a plausible integer."""
    number = _number(value)
    return int(number) if number is not None and 0 < number < 10_000_000 else None


def _exposure_text(value: object) -> str:
    """Format an exposure time the way photographers write it (1/250, 2.5)."""
    seconds = _number(value)
    if seconds is None or not 0 < seconds < 100_000:
        return ""
    if seconds >= 1:
        return f"{seconds:g}"
    return f"1/{round(1 / seconds)}"


def _exif_datetime(sub: dict) -> datetime | None:
    """Return DateTimeOriginal (or Digitized), aware when an offset is recorded."""
    raw = clean_text(sub.get(DATE_ORIGINAL) or sub.get(DATE_DIGITIZED), 40)
    if not raw:
        return None
    taken = datetime.strptime(raw[:19], "%Y:%m:%d %H:%M:%S")
    offset = clean_text(sub.get(OFFSET_ORIGINAL), 10)
    match = re.fullmatch(r"([+-])(\d\d):(\d\d)", offset)
    if match:
        delta = timedelta(hours=int(match[2]), minutes=int(match[3]))
        taken = taken.replace(tzinfo=timezone(-delta if match[1] == "-" else delta))
    return taken


def _gps_position(gps: dict) -> tuple[float, float] | None:
    """Return (lat, lon) in decimal degrees, or None when absent or implausible."""
    lat, lon = _degrees(gps.get(2)), _degrees(gps.get(4))
    if lat is None or lon is None or (lat == 0 and lon == 0):  # 0,0 means "no fix"
        return None
    if clean_text(gps.get(1), 2).upper() == "S":
        lat = -lat
    if clean_text(gps.get(3), 2).upper() == "W":
        lon = -lon
    if abs(lat) > 90 or abs(lon) > 180:
        return None
    return round(lat, 7), round(lon, 7)


def _degrees(value: object) -> float | None:
    """Return a degrees/minutes/seconds triple as decimal degrees."""
    if not isinstance(value, tuple | list) or len(value) != 3:
        return None
    parts = [_number(part) for part in value]
    if any(part is None for part in parts):
        return None
    return parts[0] + parts[1] / 60 + parts[2] / 3600


# --- XMP --------------------------------------------------------------------------------


def _xmp_root(im: Image.Image) -> ET.Element | None:
    """Parse the XMP packet, refusing DTDs (XMP never needs them; they enable XXE/bombs)."""
    packet = im.info.get("xmp") or im.info.get("XML:com.adobe.xmp")
    if isinstance(packet, str):
        packet = packet.encode("utf-8", "replace")
    if not isinstance(packet, bytes) or not packet or len(packet) > MAX_XMP_BYTES:
        return None
    if b"<!DOCTYPE" in packet.upper() or b"<!ENTITY" in packet.upper():
        return None
    return ET.fromstring(packet.rstrip(b"\x00 \r\n\t"))  # noqa: S314 - DTDs refused above


def _xmp_fields(root: ET.Element) -> dict:
    """Collect creator, license, keywords, lens and date from an XMP tree."""
    license_urls = [
        *_xmp_values(root, "cc", "license"),
        *_xmp_values(root, "xmpRights", "WebStatement"),
    ]

    statements = [*_xmp_values(root, "xmpRights", "UsageTerms"), *_xmp_values(root, "dc", "rights")]
    return {
        "creator": _joined(_xmp_values(root, "dc", "creator")),
        "license_url": next((url for url in map(_web_url, license_urls) if url), ""),
        "license_claims": _unique(
            [*filter(None, map(_web_url, license_urls)), *_cc_urls(" ".join(statements))]
        ),
        "subjects": _xmp_values(root, "dc", "subject"),
        "hierarchical": _xmp_values(root, "lr", "hierarchicalSubject"),
        "lens": next(
            iter(_xmp_values(root, "aux", "Lens") + _xmp_values(root, "exifEX", "LensModel")), ""
        ),
        "taken_at": _xmp_datetime(root),
    }


def _xmp_values(root: ET.Element, prefix: str, name: str) -> list[str]:
    """Return the cleaned values of one XMP property, wherever RDF put them."""
    tag = NS[prefix] + name
    values: list[str] = []
    for description in root.iter(RDF + "Description"):
        if tag in description.attrib:
            values.append(description.attrib[tag])
        for prop in description.iter(tag):
            values.extend(_property_values(prop))
    return [text for text in map(clean_text, values) if text]


def _property_values(prop: ET.Element) -> Iterator[str]:
    """Yield the resource, list items or text of one RDF property element."""
    if RDF + "resource" in prop.attrib:
        yield prop.attrib[RDF + "resource"]
        return
    items = list(prop.iter(RDF + "li"))
    if items:
        yield from (item.text or "" for item in items)
    else:
        yield prop.text or ""


def _xmp_datetime(root: ET.Element) -> datetime | None:
    """Return exif:DateTimeOriginal or photoshop:DateCreated from XMP when parseable."""
    for prefix, name in (("exif", "DateTimeOriginal"), ("photoshop", "DateCreated")):
        for value in _xmp_values(root, prefix, name):
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                continue
    return None


def _cc_urls(text: str) -> list[str]:
    """Return the Creative Commons URLs named inside free text (usage terms, rights)."""
    return re.findall(r"https?://creativecommons\.org/(?:licenses|publicdomain)/[\w+./-]+", text)


def _web_url(value: str) -> str:
    """Return value when it is an http(s) URL; drop javascript:, data: and the like."""
    url = value.strip()
    return url if re.match(r"https?://[^\s]+$", url, re.IGNORECASE) else ""


# --- IPTC -------------------------------------------------------------------------------


def _iptc_fields(im: Image.Image) -> dict:
    """Return IPTC By-line and Keywords (JPEG and TIFF only)."""
    if im.format not in ("JPEG", "MPO", "TIFF"):
        return {}
    info = IptcImagePlugin.getiptcinfo(im) or {}
    return {
        "creator": _joined(_as_list(info.get((2, 80)))),
        "keywords": _as_list(info.get((2, 25))),
    }


def _as_list(value: object) -> list[str]:
    """Return an IPTC dataset (bytes or list of bytes) as cleaned strings."""
    items = value if isinstance(value, list) else [value]
    return [text for text in map(clean_text, items) if text]


def _joined(names: list[str]) -> str:
    """Join several creators into one capped string."""
    return "; ".join(_unique(names, MAX_TEXT)[:10])[:MAX_TEXT]


def _unique(values: Iterable[str], limit: int = 200) -> tuple[str, ...]:
    """Return values without duplicates, in order, capped in count and length."""
    kept: list[str] = []
    folded: set[str] = set()
    for value in values:
        text = clean_text(value, limit)
        if text and text.casefold() not in folded:
            kept.append(text)
            folded.add(text.casefold())
        if len(kept) >= MAX_KEYWORDS:
            break
    return tuple(kept)

"""Perceptual hashes for near-duplicate detection (pure: Pillow and imagehash, no Django)."""

from __future__ import annotations

import io

import imagehash
from PIL import Image

HASH_BITS = 64
NEAR = 10  # at most this many differing bits of 64: resized, recompressed, lightly cropped


def perceptual_hash(jpeg: bytes) -> str:
    """Return the 64-bit DCT hash of an image as 16 hex digits."""
    with Image.open(io.BytesIO(jpeg)) as image:
        image.draft("L", (64, 64))
        return str(imagehash.phash(image.convert("L"), hash_size=8))


def distance(first: str, second: str) -> int:
    """Return how many of the 64 bits differ between two hashes."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


def nearest(
    target: str, candidates: list[tuple[int, str]], *, limit: int = NEAR
) -> list[tuple[int, int]]:
    """Return (id, distance) of candidates within `limit` bits, closest first."""
    found = [(pk, distance(target, other)) for pk, other in candidates if other]
    return sorted(((pk, d) for pk, d in found if d <= limit), key=lambda pair: pair[1])

"""Shared helpers for the imaging tests: corpus lookup and in-memory images."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

LOCAL_CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
SHARED_CORPUS = Path(os.environ.get("BROUETTE_SHARED_CORPUS", "/work/shared/corpus"))


def manifest_rows(category: str, *, include_shared: bool = False) -> list[dict]:
    """Return manifest rows of a category: the project's copies, plus the shared corpus's."""
    rows = _read_manifest(LOCAL_CORPUS / "manifest.csv")
    if include_shared:
        known = {row["file"] for row in rows}
        shared = _read_manifest(SHARED_CORPUS / "manifest.csv")
        rows += [row for row in shared if row["file"] not in known]
    return [row for row in rows if row["category"] == category]


def _read_manifest(path: Path) -> list[dict]:
    """Read a corpus manifest, or nothing when it is absent."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def corpus_path(relative: str) -> Path:
    """Return a corpus file: the project's copy, else the shared corpus, else skip the test."""
    for root in (LOCAL_CORPUS, SHARED_CORPUS):
        if (root / relative).exists():
            return root / relative
    pytest.skip(f"{relative} is neither in tests/data/corpus nor in {SHARED_CORPUS}")


def corpus_bytes(relative: str) -> io.BytesIO:
    """Return a corpus file's bytes as a seekable file object."""
    return io.BytesIO(corpus_path(relative).read_bytes())


def image_file(image: Image.Image, fmt: str = "JPEG", **params: object) -> io.BytesIO:
    """Encode an in-memory image and return it as a file object."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    buffer.seek(0)
    return buffer


def decode(data: bytes) -> Image.Image:
    """Decode rendition bytes into a loaded image."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def mean_difference(first: Image.Image, second: Image.Image) -> float:
    """Return the mean absolute per-channel difference of two same-size images."""
    diff = ImageChops.difference(first.convert("RGB"), second.convert("RGB"))
    return sum(ImageStat.Stat(diff).mean) / 3


def mean_rgb(image: Image.Image) -> tuple[float, float, float]:
    """Return the mean red, green and blue of an image."""
    return tuple(ImageStat.Stat(image.convert("RGB")).mean)

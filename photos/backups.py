"""Copy every stored file to a folder and back, through the storage aliases (local disk or S3).

The folder holds one sub-folder per alias (``originals/``, ``renditions/``,
``private_renditions/``) with the keys as relative paths, so it is the same whichever store
the site uses, and a backup taken from local disk restores into S3 and the other way round.
Keys never change content (originals are named by their SHA-256, renditions by photo and
rights version), so a file already in the folder is not copied again.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from photos import storage

ALIASES = (storage.ORIGINALS, storage.PUBLIC_RENDITIONS, storage.PRIVATE_RENDITIONS)
PARTIAL = ".partial"


class UnsafeKey(ValueError):
    """A key that would land outside the backup folder (``..``, absolute, empty parts)."""


@dataclass
class Tally:
    """How many files of one alias were copied, and how many were already there."""

    copied: int = 0
    skipped: int = 0


def backup_media(*, folder: Path, report: Callable[[str], None] = print) -> dict[str, Tally]:
    """Copy every file of every alias into the folder, skipping those already copied."""
    tallies = {}
    for alias in ALIASES:
        tally = tallies[alias] = Tally()
        for key in storage.list_keys(alias):
            target = _path_for(folder, alias, key)
            if target.is_file():
                tally.skipped += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + PARTIAL)
            with _open(alias, key) as source, open(partial, "wb") as out:
                shutil.copyfileobj(source, out)
            os.replace(partial, target)  # a file in the folder is always a whole one
            tally.copied += 1
        report(f"{alias}: {tally.copied} copied, {tally.skipped} already in {folder}")
    return tallies


def restore_media(*, folder: Path, report: Callable[[str], None] = print) -> dict[str, Tally]:
    """Put every file of the backup folder back into its store, under its key."""
    if not any((folder / alias).is_dir() for alias in ALIASES):
        raise FileNotFoundError(f"{folder} holds no backup ({', '.join(ALIASES)} missing).")
    tallies = {}
    for alias in ALIASES:
        tally = tallies[alias] = Tally()
        for path, key in _backed_up(folder / alias):
            with open(path, "rb") as fh:
                _save(alias, key, fh)
            tally.copied += 1
        report(f"{alias}: {tally.copied} restored from {folder}")
    return tallies


def _path_for(folder: Path, alias: str, key: str) -> Path:
    """Return where a key goes in the folder, refusing keys that would escape it."""
    parts = key.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise UnsafeKey(f"Refusing to copy {alias} key {key!r}: it is not a plain relative path.")
    return folder.joinpath(alias, *parts)


def _backed_up(root: Path) -> list[tuple[Path, str]]:
    """Return (file, key) for every whole file under one alias folder."""
    if not root.is_dir():
        return []
    return [
        (path, path.relative_to(root).as_posix())
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.endswith(PARTIAL)
    ]


def _open(alias: str, key: str) -> IO[bytes]:
    if alias == storage.ORIGINALS:
        return storage.open_original(key)
    return storage.open_rendition(key, public=alias == storage.PUBLIC_RENDITIONS)


def _save(alias: str, key: str, fh: IO[bytes]) -> None:
    if alias == storage.ORIGINALS:
        storage.save_original(key, fh)  # content-addressed: a present key has these bytes
    else:
        storage.save_rendition(key, fh.read(), public=alias == storage.PUBLIC_RENDITIONS)

"""Facet codes: a photo's visibility, license and shape packed into one small integer.

Search counts and filters by these three at every query, over tens of thousands of matches,
so the index carries them beside each document instead of joining back to the photos:
SQLite packs the code into the high bits of the FTS5 rowid (`code << 40 | photo id`), so a
range of rowids is a range of codes and a count by code never leaves the full-text index;
PostgreSQL keeps it in a column and as a `#c<code>` lexeme that the GIN index can intersect.

    code = visibility * 1024 + license rank * 4 + shape

Visibility comes first so that every public photo has a code below 1024. License ranks come
from the `photos_search_license` table (one row per catalogue license, never renumbered), so
a license added to the catalogue later gets the next rank without reindexing anything.
Database triggers recompute the code whenever a photo's visibility, license or size change,
however the change was made. `upload order` (the photo id) is the key's low part, which is
why search's newest-first order is the order in which photos were uploaded.
"""

# The SQL here is built from constants and a table alias, never from input.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from licensing import catalogue

VISIBILITIES = ("public", "unlisted", "private")
SHAPES = ("square", "wide", "tall")
PUBLIC_END = 1024  # codes below this are public photos
VISIBILITY_STEP = 1024
LICENSE_STEP = 4
OTHER_LICENSE = 255  # a license the rank table does not know (never expected)
ID_BITS = 40
ID_MASK = (1 << ID_BITS) - 1
LICENSE_TABLE = "photos_search_license"
COUNT_TABLE = "photos_search_count"


def code_sql(alias: str) -> str:
    """Return the SQL expression computing the code of the photos row `alias` (both databases)."""
    return (
        f"((CASE {alias}.visibility WHEN 'public' THEN 0 WHEN 'unlisted' THEN 1 ELSE 2 END) * "
        f"{VISIBILITY_STEP} + COALESCE((SELECT r.rank FROM {LICENSE_TABLE} r "
        f"WHERE r.license = {alias}.license), {OTHER_LICENSE}) * {LICENSE_STEP} + "
        f"(CASE WHEN {alias}.width > {alias}.height THEN 1 "
        f"WHEN {alias}.width < {alias}.height THEN 2 ELSE 0 END))"
    )


def key_sql(alias: str) -> str:
    """Return the SQL expression of the SQLite FTS5 rowid of the photos row `alias`."""
    return f"(({code_sql(alias)} << {ID_BITS}) | {alias}.id)"


@dataclass(frozen=True)
class Facets:
    """What one code stands for."""

    visibility: str
    license: str | None
    shape: str


class Ranks:
    """The license ranks, read once per query from the rank table."""

    def __init__(self, rows: Iterable[tuple[str, int]]) -> None:
        self.by_license = dict(rows)
        self.by_rank = {rank: license_id for license_id, rank in self.by_license.items()}

    def decode(self, code: int) -> Facets:
        visibility, rest = divmod(code, VISIBILITY_STEP)
        rank, shape = divmod(rest, LICENSE_STEP)
        return Facets(VISIBILITIES[min(visibility, 2)], self.by_rank.get(rank), SHAPES[shape % 3])

    def codes(
        self, *, visibilities: Iterable[str], licenses: Iterable[str] | None, shape: str = ""
    ) -> list[int]:
        """Return every code with one of the visibilities, licenses (None: any) and shape."""
        if licenses is None:  # every rank, so that the codes of a visibility form one run
            ranks = list(range(OTHER_LICENSE + 1))
        else:
            ranks = sorted(self.by_license[x] for x in licenses if x in self.by_license)
        # Without a shape, the unused fourth slot joins each license's codes into one run.
        shapes = [SHAPES.index(shape)] if shape else list(range(LICENSE_STEP))
        return sorted(
            VISIBILITIES.index(v) * VISIBILITY_STEP + rank * LICENSE_STEP + s
            for v in visibilities
            for rank in ranks
            for s in shapes
        )


def runs(codes: Iterable[int]) -> list[tuple[int, int]]:
    """Return sorted codes as inclusive (low, high) runs of consecutive values."""
    found: list[tuple[int, int]] = []
    for code in sorted(set(codes)):
        if found and found[-1][1] == code - 1:
            found[-1] = (found[-1][0], code)
        else:
            found.append((code, code))
    return found


def missing_ranks(known: dict[str, int]) -> list[tuple[str, int]]:
    """Return (license, rank) rows for catalogue licenses the rank table lacks, ranks appended."""
    rank = max(known.values(), default=-1)
    rows = []
    for entry in catalogue.all_licenses():
        if entry.id not in known:
            rank += 1
            rows.append((entry.id, rank))
    if rank >= OTHER_LICENSE:
        raise ValueError("More licenses than search codes can hold; widen LICENSE_STEP ranks.")
    return rows

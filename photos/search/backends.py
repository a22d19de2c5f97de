"""The full-text index on each database: SQLite FTS5 (photos.search.sqlite) and PostgreSQL
tsvector + GIN (photos.search.postgres), behind one interface.

Both keep one document per photo in a table named `photos_search` (migrations 0004, 0005):
title, tags, description and the owner's public name, weighted in that order, plus marks
for exact filters (each tag's id, the owner's id) and the photo's facet code
(photos.search.keys). Both stem English (Porter / the `english` configuration), fold case
and drop accents, so "Bridges" finds "bridge" and "cafe" finds "Café".

Queries arrive already parsed into words (photos.search.query) and ids, and each word is
quoted or passed as a parameter here, so nothing a person types is ever read as SQL or FTS
syntax. `counts` and `page` answer a whole search from the index alone: the visible matches
counted by facet code, and one page of photo ids.
"""

# SQL here is built from constants (table, column and function names), integers and "%s"
# marks only; every value a person typed travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from photos.search import keys
from photos.search.query import Term

TABLE = "photos_search"
# Relevance weights: title, tags, description, owner (bm25 column weights / tsvector A-D).
WEIGHTS = (10.0, 5.0, 2.0, 1.0)


@dataclass(frozen=True)
class Scope:
    """What a search asks of the index: words, exact marks, and the codes it may return.

    `public` holds the codes of public photos the filters allow, `own` those of the viewer's
    own unlisted and private ones (matched together with the viewer's owner mark).
    """

    include: tuple[Term, ...] = ()
    exclude: tuple[Term, ...] = ()
    tags: tuple[int, ...] = ()
    any_tag: bool = False
    owner_id: int | None = None
    public: tuple[int, ...] = ()
    own: tuple[int, ...] = ()
    viewer_id: int | None = None

    @property
    def matches(self) -> bool:
        """Whether the index can select the rows (it needs a word or a mark to start from)."""
        return bool(self.include or self.tags or self.owner_id is not None)


def source_sql(tag_agg: str, tag_ids: str, owner_name: str) -> str:
    """Return the SELECT of each photo's document parts: id, code, owner, words, tag ids."""
    users = get_user_model()._meta.db_table
    tagged = "FROM photos_taggedphoto tp JOIN photos_tag t ON t.id = tp.tag_id"
    return f"""
        SELECT p.id AS id, {keys.code_sql("p")} AS code, p.owner_id AS owner_id, p.title AS title,
               COALESCE((SELECT {tag_agg} {tagged} WHERE tp.content_object_id = p.id), '')
                 AS tags,
               p.description AS description, {owner_name} AS owner,
               (SELECT {tag_ids} FROM photos_taggedphoto tp WHERE tp.content_object_id = p.id)
                 AS tag_ids
        FROM photos_photo p
        JOIN {users} u ON u.id = p.owner_id
        LEFT JOIN photos_profile pr ON pr.user_id = u.id
    """


OWNER_NAME = (
    "CASE WHEN COALESCE(pr.display_name, '') = '' THEN u.username "
    "ELSE pr.display_name || ' ' || u.username END"
)


def current():
    """Return the backend for the default database (SQLiteBackend or PostgresBackend)."""
    if connection.vendor == "postgresql":
        from photos.search.postgres import PostgresBackend

        return PostgresBackend()
    if connection.vendor == "sqlite":
        from photos.search.sqlite import SQLiteBackend

        return SQLiteBackend()
    raise ImproperlyConfigured(
        f"Search needs SQLite or PostgreSQL; the database is {connection.vendor}."
    )

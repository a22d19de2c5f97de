"""The full-text index on each database: SQLite FTS5 and PostgreSQL tsvector + GIN.

Both keep one row per photo in a table named `photos_search` (created by migration 0004),
filled from the same source columns: title, tags, description and the owner's public name,
weighted in that order. Both stem English (Porter / the `english` configuration), fold case
and drop accents, so "Bridges" finds "bridge" and "cafe" finds "Café".

Queries arrive already parsed into words (photos.search.query), and each word is quoted or
passed as a parameter here, so nothing a person types is ever read as SQL or FTS syntax.
"""

# SQL here is built from constants (table, column and function names) and "%s" marks only;
# every value a person typed travels as a parameter.
# ruff: noqa: S608, S610

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from photos.search.query import Term

TABLE = "photos_search"
# Relevance weights: title, tags, description, owner (bm25 column weights / tsvector A-D).
WEIGHTS = (10.0, 5.0, 2.0, 1.0)


def _source_sql(tag_agg: str, owner_name: str) -> str:
    """Return the SELECT that builds each photo's document: id, title, tags, text, owner."""
    users = get_user_model()._meta.db_table
    return f"""
        SELECT p.id, p.title,
               COALESCE((SELECT {tag_agg} FROM photos_taggedphoto tp
                         JOIN photos_tag t ON t.id = tp.tag_id
                         WHERE tp.content_object_id = p.id), ''),
               p.description, {owner_name}
        FROM photos_photo p
        JOIN {users} u ON u.id = p.owner_id
        LEFT JOIN photos_profile pr ON pr.user_id = u.id
    """


class SQLiteBackend:
    """FTS5 table keyed by rowid = photo id; a trigger drops rows of deleted photos."""

    vendor = "sqlite"

    def _source(self) -> str:
        return _source_sql(
            "group_concat(t.name, ' ')",
            "CASE WHEN COALESCE(pr.display_name, '') = '' THEN u.username "
            "ELSE pr.display_name || ' ' || u.username END",
        )

    def match_sql(self, terms: Sequence[Term], *, any_: bool = False) -> tuple[str, list]:
        """Return SQL selecting the ids of photos matching all (or any) of the terms."""
        joiner = " OR " if any_ else " AND "
        expression = joiner.join(self._term(term) for term in terms)
        return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [expression]

    @staticmethod
    def _term(term: Term) -> str:
        # Words are runs of \w (never a quote), so wrapping them in quotes is always safe.
        text = '"' + " ".join(term.words) + '"'
        return text + "*" if term.prefix else text

    def ranked(self, qs, terms: Sequence[Term]):
        """Return qs joined to its matches, with `relevance` (higher is better) selected."""
        _, params = self.match_sql(terms)
        weights = ", ".join(str(w) for w in WEIGHTS)
        return qs.extra(
            tables=[TABLE],
            where=[f"{TABLE}.rowid = photos_photo.id", f"{TABLE} MATCH %s"],
            params=params,
            select={"relevance": f"-bm25({TABLE}, {weights})"},
        )

    def write(self, where: str, params: list) -> None:
        """Rewrite the documents of the photos `p` selected by the SQL condition."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE rowid IN (SELECT p.id FROM photos_photo p "
                f"WHERE {where})",
                params,
            )
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, title, tags, description, owner) "
                f"{self._source()} WHERE {where}",
                params,
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def remove(self, ids: Sequence[int]) -> None:
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", list(ids))

    def optimize(self) -> None:
        """Merge the FTS5 segments after a rebuild, so queries read one b-tree."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")

    def epoch(self, column: str) -> str:
        return f"CAST(strftime('%%s', {column}) AS REAL)"


class PostgresBackend:
    """A `photos_search(photo_id, document tsvector)` table with a GIN index; triggers drop
    the rows of deleted (or truncated) photos."""

    vendor = "postgresql"

    def _source(self) -> str:
        return _source_sql(
            "string_agg(t.name, ' ')",
            "CASE WHEN COALESCE(pr.display_name, '') = '' THEN u.username "
            "ELSE pr.display_name || ' ' || u.username END",
        )

    def _document(self) -> str:
        parts = [
            f"setweight(to_tsvector('english', unaccent(s.{col})), '{weight}')"
            for col, weight in (("title", "A"), ("tags", "B"), ("description", "C"), ("owner", "D"))
        ]
        return " || ".join(parts)

    def match_sql(self, terms: Sequence[Term], *, any_: bool = False) -> tuple[str, list]:
        """Return SQL selecting the ids of photos matching all (or any) of the terms."""
        sql, params = self._tsquery(terms, any_=any_)
        return f"SELECT photo_id FROM {TABLE} WHERE document @@ ({sql})", params

    def _tsquery(self, terms: Sequence[Term], *, any_: bool = False) -> tuple[str, list]:
        parts, params = [], []
        for term in terms:
            if term.prefix:
                parts.append("to_tsquery('english', unaccent(%s) || ':*')")
            elif term.phrase:
                parts.append("phraseto_tsquery('english', unaccent(%s))")
            else:
                parts.append("plainto_tsquery('english', unaccent(%s))")
            params.append(" ".join(term.words))
        return (" || " if any_ else " && ").join(parts), params

    def ranked(self, qs, terms: Sequence[Term]):
        """Return qs joined to its matches, with `relevance` (higher is better) selected."""
        sql, params = self._tsquery(terms)
        weights = "{" + ", ".join(str(w / 10) for w in reversed(WEIGHTS)) + "}"
        return qs.extra(
            tables=[TABLE],
            where=[f"{TABLE}.photo_id = photos_photo.id", f"{TABLE}.document @@ ({sql})"],
            params=params,
            select={"relevance": f"ts_rank('{weights}', {TABLE}.document, ({sql}))"},
            select_params=params,
        )

    def write(self, where: str, params: list) -> None:
        """Rewrite the documents of the photos `p` selected by the SQL condition."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (photo_id, document) "
                f"SELECT s.id, {self._document()} "
                f"FROM ({self._source()} WHERE {where}) AS s(id, title, tags, description, owner) "
                "ON CONFLICT (photo_id) DO UPDATE SET document = EXCLUDED.document",
                params,
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")

    def remove(self, ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE photo_id = ANY(%s)", [list(ids)])

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")

    def epoch(self, column: str) -> str:
        return f"EXTRACT(EPOCH FROM {column})"


def current() -> SQLiteBackend | PostgresBackend:
    """Return the backend for the default database."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise ImproperlyConfigured(
        f"Search needs SQLite or PostgreSQL; the database is {connection.vendor}."
    )

"""The full-text index on each database: SQLite FTS5 and PostgreSQL tsvector + GIN.

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
# ruff: noqa: S608, S610

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from photos.search import keys
from photos.search.query import Term

TABLE = "photos_search"
# Relevance weights: title, tags, description, owner (bm25 column weights / tsvector A-D).
WEIGHTS = (10.0, 5.0, 2.0, 1.0)
TEXT_COLUMNS = "{title tags description owner}"
# Past this many runs of codes, one range with a code list beats one subquery per run.
MAX_RUNS = 4


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


def _source_sql(tag_agg: str, tag_ids: str, owner_name: str) -> str:
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


class SQLiteBackend:
    """FTS5 keyed by `code << 40 | photo id`; triggers move or drop rows as photos change."""

    vendor = "sqlite"

    def _source(self) -> str:
        return _source_sql(
            "group_concat(t.name, ' ')", "group_concat('t' || tp.tag_id, ' ')", OWNER_NAME
        )

    # -- reading ---------------------------------------------------------------------------

    def match_sql(self, terms: Sequence[Term], *, any_: bool = False) -> tuple[str, list]:
        """Return SQL selecting the ids of photos matching all (or any) of the terms."""
        expression = self._words(terms, any_=any_)
        return f"SELECT rowid & {keys.ID_MASK} FROM {TABLE} WHERE {TABLE} MATCH %s", [expression]

    def _words(self, terms: Sequence[Term], *, any_: bool = False) -> str:
        joiner = " OR " if any_ else " AND "
        return f"{TEXT_COLUMNS} : (" + joiner.join(self._term(t) for t in terms) + ")"

    @staticmethod
    def _term(term: Term) -> str:
        # Words are runs of \w (never a quote), so wrapping them in quotes is always safe.
        text = '"' + " ".join(term.words) + '"'
        return text + "*" if term.prefix else text

    def ranked(self, qs, terms: Sequence[Term]):
        """Return qs joined to its matches, with `relevance` (higher is better) selected."""
        _, params = self.match_sql(terms)
        return qs.extra(
            tables=[TABLE],
            where=[f"({TABLE}.rowid & {keys.ID_MASK}) = photos_photo.id", f"{TABLE} MATCH %s"],
            params=params,
            select={"relevance": f"-bm25({TABLE}, {self._weights()})"},
        )

    @staticmethod
    def _weights() -> str:
        return ", ".join(str(w) for w in (*WEIGHTS, 0.0))

    def _expression(self, scope: Scope, *, owner_id: int | None) -> str:
        parts = []
        if scope.include:
            parts.append(self._words(scope.include))
        marks = [f"t{int(tag)}" for tag in scope.tags]
        if marks:
            parts.append("marks : (" + (" OR " if scope.any_tag else " AND ").join(marks) + ")")
        for owner in {scope.owner_id, owner_id} - {None}:
            parts.append(f"marks : o{int(owner)}")
        expression = " AND ".join(parts)
        if scope.exclude:
            expression = f"({expression}) NOT {self._words(scope.exclude, any_=True)}"
        return expression

    def _matches(self, scope: Scope, *, rank: bool) -> tuple[str, list]:
        """Return a UNION of FTS queries giving `k` (the key) and `r` (bm25) of visible rows."""
        selects, params = [], []
        score = f", bm25({TABLE}, {self._weights()}) AS r" if rank else ", 0 AS r"
        for codes, owner in ((scope.public, None), (scope.own, scope.viewer_id)):
            if not codes:
                continue
            expression = self._expression(scope, owner_id=owner)
            for where, values in _code_conditions(codes):
                selects.append(
                    f"SELECT rowid AS k{score} FROM {TABLE} WHERE {TABLE} MATCH %s AND {where}"
                )
                params += [expression, *values]
        if not selects:
            return f"SELECT rowid AS k, 0 AS r FROM {TABLE} WHERE 0", []
        return " UNION ALL ".join(selects), params

    def counts(self, scope: Scope) -> dict[int, int]:
        """Return how many visible matches have each facet code."""
        sql, params = self._matches(scope, rank=False)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT k >> {keys.ID_BITS}, COUNT(*) FROM ({sql}) GROUP BY 1", params)
            return dict(cursor.fetchall())

    def page(
        self, scope: Scope, *, sort: str, limit: int, offset: int = 0, after: int | None = None
    ) -> list[int]:
        """Return photo ids of one page: by relevance, newest or oldest (upload order)."""
        sql, params = self._matches(scope, rank=sort == "relevance")
        photo_id = f"(k & {keys.ID_MASK})"
        where = ""
        if after is not None:
            where = f"WHERE {photo_id} {'>' if sort == 'oldest' else '<'} %s"
            params.append(after)
        order = {"relevance": f"r, {photo_id} DESC", "oldest": photo_id}.get(
            sort, f"{photo_id} DESC"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {photo_id} FROM ({sql}) {where} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    # -- writing ---------------------------------------------------------------------------

    def write(self, where: str, params: list) -> None:
        """Rewrite the documents of the photos `p` selected by the SQL condition."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE rowid IN (SELECT {keys.key_sql('p')} "
                f"FROM photos_photo p WHERE {where})",
                params,
            )
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, title, tags, description, owner, marks) "
                f"SELECT (s.code << {keys.ID_BITS}) | s.id, s.title, s.tags, s.description, "
                "s.owner, COALESCE(s.tag_ids, '') || ' o' || s.owner_id "
                f"FROM ({self._source()} WHERE {where}) AS s",
                params,
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def remove(self, ids: Sequence[int]) -> None:
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE rowid IN (SELECT {keys.key_sql('p')} "
                f"FROM photos_photo p WHERE p.id IN ({marks}))",
                list(ids),
            )

    def optimize(self) -> None:
        """Merge the FTS5 segments after a rebuild, so queries read one b-tree."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")

    def epoch(self, column: str) -> str:
        return f"CAST(strftime('%%s', {column}) AS REAL)"


def _code_conditions(codes: Sequence[int]) -> list[tuple[str, list]]:
    """Return rowid conditions selecting the codes: one range per run, or one list if many."""
    shift = keys.ID_BITS
    runs = keys.runs(codes)
    if len(runs) <= MAX_RUNS:
        return [
            ("rowid BETWEEN %s AND %s", [low << shift, (high << shift) | keys.ID_MASK])
            for low, high in runs
        ]
    low, high = runs[0][0], runs[-1][1]
    listed = ", ".join(str(int(code)) for code in codes)
    return [
        (
            f"rowid BETWEEN %s AND %s AND (rowid >> {shift}) IN ({listed})",
            [low << shift, (high << shift) | keys.ID_MASK],
        )
    ]


class PostgresBackend:
    """A `photos_search(photo_id, code, owner_id, document)` table with a GIN index; triggers
    follow photo changes, deletions and truncation."""

    vendor = "postgresql"

    def _source(self) -> str:
        return _source_sql("string_agg(t.name, ' ')", "array_agg('#t' || tp.tag_id)", OWNER_NAME)

    def _document(self) -> str:
        parts = [
            f"setweight(to_tsvector('english', unaccent(s.{col})), '{weight}')"
            for col, weight in (("title", "A"), ("tags", "B"), ("description", "C"), ("owner", "D"))
        ]
        marks = (
            "array_to_tsvector(ARRAY['#c' || s.code, '#o' || s.owner_id] "
            "|| COALESCE(s.tag_ids, ARRAY[]::text[]))"
        )
        return " || ".join([*parts, marks])

    # -- reading ---------------------------------------------------------------------------

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
        return qs.extra(
            tables=[TABLE],
            where=[f"{TABLE}.photo_id = photos_photo.id", f"{TABLE}.document @@ ({sql})"],
            params=params,
            select={"relevance": f"ts_rank('{self._weights()}', {TABLE}.document, ({sql}))"},
            select_params=params,
        )

    @staticmethod
    def _weights() -> str:
        return "{" + ", ".join(str(w / 10) for w in reversed(WEIGHTS)) + "}"

    def _scope_query(self, scope: Scope) -> tuple[str, list, str]:
        """Return the tsquery of the scope, its parameters, and the words-only tsquery."""
        sql, params = self._tsquery(scope.include) if scope.include else ("", [])
        words = sql
        marks = [f"'#t{int(tag)}'" for tag in scope.tags]
        lexemes = []
        if marks:
            lexemes.append("(" + (" | " if scope.any_tag else " & ").join(marks) + ")")
        if scope.owner_id is not None:
            lexemes.append(f"'#o{int(scope.owner_id)}'")
        codes = (*scope.public, *scope.own)
        if codes and not _covers_all(scope):
            lexemes.append("(" + " | ".join(f"'#c{int(code)}'" for code in codes) + ")")
        if lexemes:
            sql = " && ".join(filter(None, [sql, "%s::tsquery"]))
            params = [*params, " & ".join(lexemes)]
        if scope.exclude:
            excluded, more = self._tsquery(scope.exclude, any_=True)
            sql, params = f"({sql}) && !!({excluded})", [*params, *more]
        return sql, params, words

    def _matches(self, scope: Scope, *, rank: bool) -> tuple[str, list]:
        """Return a SELECT of `photo_id`, `code` and `r` (relevance) of the visible matches."""
        sql, params, words = self._scope_query(scope)
        visible = f"code < {keys.PUBLIC_END}" if scope.public else "FALSE"
        if scope.own and scope.viewer_id is not None:
            visible = f"({visible} OR owner_id = {int(scope.viewer_id)})"
        score, score_params = "0", []
        if rank and words:
            score = f"ts_rank('{self._weights()}', document, ({words}))"
            score_params = self._tsquery(scope.include)[1]
        select = f"SELECT photo_id, code, {score} AS r FROM {TABLE}"
        return f"{select} WHERE document @@ ({sql}) AND {visible}", [*score_params, *params]

    def counts(self, scope: Scope) -> dict[int, int]:
        """Return how many visible matches have each facet code."""
        sql, params = self._matches(scope, rank=False)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT code, COUNT(*) FROM ({sql}) m GROUP BY code", params)
            return dict(cursor.fetchall())

    def page(
        self, scope: Scope, *, sort: str, limit: int, offset: int = 0, after: int | None = None
    ) -> list[int]:
        """Return photo ids of one page: by relevance, newest or oldest (upload order)."""
        sql, params = self._matches(scope, rank=sort == "relevance")
        where = ""
        if after is not None:
            where = f"WHERE photo_id {'>' if sort == 'oldest' else '<'} %s"
            params.append(after)
        order = {"relevance": "r DESC, photo_id DESC", "oldest": "photo_id"}.get(
            sort, "photo_id DESC"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT photo_id FROM ({sql}) m {where} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    # -- writing ---------------------------------------------------------------------------

    def write(self, where: str, params: list) -> None:
        """Rewrite the documents of the photos `p` selected by the SQL condition."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (photo_id, code, owner_id, document) "
                f"SELECT s.id, s.code, s.owner_id, {self._document()} "
                f"FROM ({self._source()} WHERE {where}) AS s "
                "ON CONFLICT (photo_id) DO UPDATE SET code = EXCLUDED.code, "
                "owner_id = EXCLUDED.owner_id, document = EXCLUDED.document",
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


def _covers_all(scope: Scope) -> bool:
    """Whether the scope's codes are every code of their visibilities (no facet filter)."""
    return len(scope.public) + len(scope.own) >= keys.VISIBILITY_STEP * (
        (1 if scope.public else 0) + (2 if scope.own else 0)
    )


def current() -> SQLiteBackend | PostgresBackend:
    """Return the backend for the default database."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise ImproperlyConfigured(
        f"Search needs SQLite or PostgreSQL; the database is {connection.vendor}."
    )

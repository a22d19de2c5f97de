"""PostgreSQL: two tables with GIN indexes, one for words and one for marks.

`photos_search(photo_id, code, owner_id, document)` holds the weighted words;
`photos_search_marks(photo_id, code, owner_id, marks)` holds the exact marks as lexemes
(`#t<tag id>`, `#o<owner id>`, `#c<code>`). Counting tens of thousands of matches reads each
matching row, so the marks live apart from the words: a tag search reads narrow rows, and a
license or shape filter is one more lexeme the GIN index intersects before any row is read.
Triggers (migration 0005) move the code of both rows when a photo's visibility, license or
size change, and drop both when the photo goes.
"""

# SQL here is built from constants, integers and "%s" marks only; words travel as
# parameters, and the only tsquery text built here is made of integers.
# ruff: noqa: S608, S610

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db import connection

from photos.search import keys
from photos.search.backends import OWNER_NAME, TABLE, WEIGHTS, Scope, source_sql
from photos.search.query import Term

MARKS = "photos_search_marks"


class PostgresBackend:
    vendor = "postgresql"

    def _source(self) -> str:
        return source_sql("string_agg(t.name, ' ')", "array_agg('#t' || tp.tag_id)", OWNER_NAME)

    @staticmethod
    def _document() -> str:
        return " || ".join(
            f"setweight(to_tsvector('english', unaccent(s.{col})), '{weight}')"
            for col, weight in (("title", "A"), ("tags", "B"), ("description", "C"), ("owner", "D"))
        )

    @staticmethod
    def _marks() -> str:
        return (
            "array_to_tsvector(ARRAY['#c' || s.code, '#o' || s.owner_id] "
            "|| COALESCE(s.tag_ids, ARRAY[]::text[]))"
        )

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
        # One scalar subquery: PostgreSQL computes it once, not again for every matching row
        # (unaccent is only STABLE, so the planner would not fold it into a constant).
        return "(SELECT " + (" || " if any_ else " && ").join(parts) + ")", params

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

    @staticmethod
    def _mark_query(scope: Scope) -> str:
        """Return the tsquery text of the scope's marks (integers only), or ''."""
        lexemes = []
        if scope.tags:
            joiner = " | " if scope.any_tag else " & "
            lexemes.append("(" + joiner.join(f"'#t{int(tag)}'" for tag in scope.tags) + ")")
        if scope.owner_id is not None:
            lexemes.append(f"'#o{int(scope.owner_id)}'")
        if lexemes and _filtered(scope):
            codes = (*scope.public, *scope.own)
            lexemes.append("(" + " | ".join(f"'#c{int(code)}'" for code in codes) + ")")
        return " & ".join(lexemes)

    def _matches(self, scope: Scope, *, rank: bool) -> tuple[str, list]:
        """Return a SELECT of `photo_id`, `code` and `r` (relevance) of the visible matches."""
        visible = f"code < {keys.PUBLIC_END}" if scope.public else "FALSE"
        if scope.own and scope.viewer_id is not None:
            visible = f"({visible} OR owner_id = {int(scope.viewer_id)})"
        marks = self._mark_query(scope)
        if not scope.include:  # marks only: the narrow table
            sql = f"SELECT photo_id, code, 0 AS r FROM {MARKS} WHERE marks @@ %s::tsquery"
            params: list = [marks]
            if scope.exclude:
                excluded, more = self.match_sql(scope.exclude, any_=True)
                sql, params = f"{sql} AND photo_id NOT IN ({excluded})", [*params, *more]
            return f"{sql} AND {visible}", params
        words, params = self._tsquery(scope.include)
        score, select_params = "0", []
        if rank:
            score, select_params = f"ts_rank('{self._weights()}', document, ({words}))", params
        condition = words
        if scope.exclude:
            excluded, more = self._tsquery(scope.exclude, any_=True)
            condition, params = f"({words}) && !!({excluded})", [*params, *more]
        sql = f"SELECT photo_id, code, {score} AS r FROM {TABLE} WHERE document @@ ({condition})"
        if marks:
            sql += f" AND photo_id IN (SELECT photo_id FROM {MARKS} WHERE marks @@ %s::tsquery)"
            params = [*params, marks]
        elif _filtered(scope):
            sql += " AND code = ANY(%s)"
            params = [*params, [*scope.public, *scope.own]]
        return f"{sql} AND {visible}", [*select_params, *params]

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
        sql, params = self._page_sql(scope, sort=sort, limit=limit, offset=offset, after=after)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def answer(
        self, scope: Scope, *, sort: str, limit: int, offset: int = 0, after: int | None = None
    ) -> tuple[list[int], dict[int, int]]:
        """Return a page of ids and the counts by code; ranked pages share one scan."""
        if sort != "relevance":
            return self.page(scope, sort=sort, limit=limit, offset=offset, after=after), (
                self.counts(scope)
            )
        sql, params = self._matches(scope, rank=True)
        page, page_params = self._page_sql(
            scope, sort=sort, limit=limit, offset=offset, after=after, source="m"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH m AS MATERIALIZED ({sql}) "
                "(SELECT 0, code::bigint, COUNT(*) FROM m GROUP BY code) "
                f"UNION ALL (SELECT 1, photo_id, 0 FROM ({page}) p)",
                [*params, *page_params],
            )
            rows = cursor.fetchall()
        return [key for part, key, _ in rows if part == 1], {
            key: n for part, key, n in rows if part == 0
        }

    def _page_sql(
        self, scope: Scope, *, sort: str, limit: int, offset: int, after: int | None,
        source: str = "",
    ) -> tuple[str, list]:  # fmt: skip
        """Return the SELECT of one page of ids, from the matches or a CTE named `source`."""
        if source:
            sql, params = source, []
        else:
            matches, params = self._matches(scope, rank=sort == "relevance")
            sql = f"({matches}) m"
        where = ""
        if after is not None:
            where = f"WHERE photo_id {'>' if sort == 'oldest' else '<'} %s"
            params = [*params, after]
        order = {"relevance": "r DESC, photo_id DESC", "oldest": "photo_id"}.get(
            sort, "photo_id DESC"
        )
        return (
            f"SELECT photo_id FROM {sql} {where} ORDER BY {order} LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )

    # -- writing ---------------------------------------------------------------------------

    def write(self, where: str, params: list) -> None:
        """Rewrite the words and marks of the photos `p` selected by the SQL condition."""
        source = f"FROM ({self._source()} WHERE {where}) AS s"
        with connection.cursor() as cursor:
            for table, column, value in ((TABLE, "document", self._document()),
                                         (MARKS, "marks", self._marks())):  # fmt: skip
                cursor.execute(
                    f"INSERT INTO {table} (photo_id, code, owner_id, {column}) "
                    f"SELECT s.id, s.code, s.owner_id, {value} {source} "
                    "ON CONFLICT (photo_id) DO UPDATE SET code = EXCLUDED.code, "
                    f"owner_id = EXCLUDED.owner_id, {column} = EXCLUDED.{column}",
                    params,
                )

    def batches(self, size: int) -> Iterator[tuple[str, list, int]]:
        """Yield (condition, parameters, photo count) covering every photo, in id ranges."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT MIN(id), MAX(id) FROM photos_photo")
            low, high = cursor.fetchone()
            if low is None:
                return
            for start in range(low, high + 1, size):
                cursor.execute(
                    "SELECT COUNT(*) FROM photos_photo WHERE id >= %s AND id < %s",
                    [start, start + size],
                )
                yield "p.id >= %s AND p.id < %s", [start, start + size], cursor.fetchone()[0]

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}, {MARKS}")

    def remove(self, ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            for table in (TABLE, MARKS):
                cursor.execute(f"DELETE FROM {table} WHERE photo_id = ANY(%s)", [list(ids)])

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
            cursor.execute(f"ANALYZE {MARKS}")

    def epoch(self, column: str) -> str:
        return f"EXTRACT(EPOCH FROM {column})"


def _filtered(scope: Scope) -> bool:
    """Whether a license or shape filter narrowed the codes (else every code is allowed)."""
    return len(scope.public) + len(scope.own) < keys.VISIBILITY_STEP * (
        (1 if scope.public else 0) + (2 if scope.own else 0)
    )

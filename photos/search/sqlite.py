"""SQLite: an FTS5 table keyed by `code << 40 | photo id` (photos.search.keys).

A range of rowids is a range of facet codes, so visibility, license and shape filters are
rowid ranges that FTS5 seeks to, counts by code are a GROUP BY over rowids, and upload order
is the rowid's low part: none of them reads the photos table. Triggers (migration 0005)
move a document's rowid when its photo's code changes and drop it when the photo goes.
"""

# SQL here is built from constants, integers and "%s" marks only; FTS5 query text is built
# from words of \w characters, each quoted, and travels as a parameter.
# ruff: noqa: S608, S610

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db import connection

from photos.search import keys
from photos.search.backends import OWNER_NAME, TABLE, WEIGHTS, Scope, source_sql
from photos.search.query import Term

TEXT_COLUMNS = "{title tags description owner}"
# Past this many runs of codes, one range with a code list beats one subquery per run.
MAX_RUNS = 4


class SQLiteBackend:
    """FTS5 keyed by `code << 40 | photo id`; triggers move or drop rows as photos change."""

    vendor = "sqlite"

    def _source(self) -> str:
        return source_sql(
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

    def answer(
        self, scope: Scope, *, sort: str, limit: int, offset: int = 0, after: int | None = None
    ) -> tuple[list[int], dict[int, int]]:
        """Return a page of ids and the counts by code (two reads of the FTS index)."""
        ids = self.page(scope, sort=sort, limit=limit, offset=offset, after=after)
        return ids, self.counts(scope)

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
                f"FROM ({self._source()} WHERE {where}) AS s ORDER BY 1",
                params,
            )

    def batches(self, size: int) -> Iterator[tuple[str, list, int]]:
        """Yield (condition, parameters, photo count) covering every photo in key order.

        FTS5 appends to its doclists cheaply only while rowids rise, so a rebuild writes the
        documents in key order (code, then id) rather than in id order.
        """
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS temp.search_order")
            cursor.execute(
                "CREATE TEMP TABLE search_order AS SELECT p.id AS id FROM photos_photo p "
                f"ORDER BY {keys.key_sql('p')}"
            )
            cursor.execute("SELECT COUNT(*) FROM temp.search_order")
            total = cursor.fetchone()[0]
        for start in range(1, total + 1, size):
            end = min(start + size, total + 1)
            condition = (
                "p.id IN (SELECT id FROM temp.search_order WHERE rowid >= %s AND rowid < %s)"
            )
            yield condition, [start, end], end - start
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS temp.search_order")

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
        """Merge the FTS5 segments after a rebuild, so queries read one b-tree, and refresh
        the planner's statistics (without them SQLite may walk an index of 3 values)."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
            cursor.execute("ANALYZE")

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

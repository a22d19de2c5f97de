"""Parse what a person typed into the search box: words, "phrases", -exclusions, prefix*.

Pure Python, no Django. Only runs of word characters (Unicode letters, digits, underscore)
survive as words, so no character of SQL or of FTS5/tsquery syntax ever reaches a backend:
the backends quote each word themselves. An unbalanced quote runs to the end of the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 1000
MAX_TERMS = 32
_WORD = re.compile(r"\w+")
# A term: an optional "-", then a quoted phrase (closing quote optional) or a bare run.
_TERM = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»＂", '"'))


class QueryError(ValueError):
    """The query cannot be searched, with a sentence saying why."""


@dataclass(frozen=True)
class Term:
    """One unit of the query: a word or a phrase (several words in order)."""

    words: tuple[str, ...]
    phrase: bool = False
    prefix: bool = False  # the last word may be the start of a longer word (`light*`)


@dataclass(frozen=True)
class Query:
    """A parsed query: every `include` term must match, no `exclude` term may."""

    include: tuple[Term, ...] = ()
    exclude: tuple[Term, ...] = ()
    text: str = field(default="", compare=False)

    def __bool__(self) -> bool:
        return bool(self.include or self.exclude)


EMPTY = Query()


def parse(text: str) -> Query:
    """Return the terms of a query, or raise QueryError for one too long to search."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"The query is longer than {MAX_QUERY_LENGTH} characters; shorten it.")
    text = text.replace("\x00", " ").translate(_QUOTES)
    include: list[Term] = []
    exclude: list[Term] = []
    for match in _TERM.finditer(text):
        negated, quoted, bare = match.group(1, 2, 3)
        term = _term(quoted if quoted is not None else bare, phrase=quoted is not None)
        if term is not None:
            (exclude if negated else include).append(term)
    if len(include) + len(exclude) > MAX_TERMS:
        raise QueryError(f"The query has more than {MAX_TERMS} words or phrases; use fewer.")
    return Query(tuple(_unique(include)), tuple(_unique(exclude)), text)


def _term(chunk: str, *, phrase: bool) -> Term | None:
    """Return the term for one chunk, or None if it holds no word at all (`-`, `"" `, `&&`)."""
    words = tuple(word.casefold() for word in _WORD.findall(chunk))
    if not words:
        return None
    # "e-mail" or "o'clock" are one term whose words must stay adjacent, as if quoted.
    prefix = not phrase and len(words) == 1 and chunk.endswith("*") and len(words[0]) >= 2
    return Term(words, phrase=len(words) > 1, prefix=prefix)


def _unique(terms: list[Term]) -> list[Term]:
    seen: dict[Term, None] = {}
    for term in terms:
        seen.setdefault(term)
    return list(seen)

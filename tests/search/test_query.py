"""Parsing what people type: words, phrases, exclusions, prefixes, hostile input."""

import pytest

from photos.search import query


def test_words_phrases_exclusions_and_prefixes_are_told_apart():
    parsed = query.parse('Golden "Gate Bridge" -fog light*')
    assert [t.words for t in parsed.include] == [("golden",), ("gate", "bridge"), ("light",)]
    assert parsed.include[1].phrase and parsed.include[2].prefix
    assert [t.words for t in parsed.exclude] == [("fog",)]


def test_an_unbalanced_quote_runs_to_the_end():
    parsed = query.parse('sea "blue whale')
    assert parsed.include[1].words == ("blue", "whale") and parsed.include[1].phrase


def test_syntax_characters_never_survive_as_words():
    parsed = query.parse('a\' OR 1=1; -- DROP TABLE x; NEAR("x" y) col:z ^* &&')
    words = {w for t in parsed.include + parsed.exclude for w in t.words}
    assert all(w.replace("_", "").isalnum() for w in words)


def test_nul_bytes_and_curly_quotes_are_harmless():
    parsed = query.parse("caf\x00é “tour eiffel”")
    assert [t.words for t in parsed.include] == [("caf",), ("é",), ("tour", "eiffel")]


def test_a_query_too_long_is_refused_with_a_sentence():
    with pytest.raises(query.QueryError, match="longer than 1000"):
        query.parse("x" * 10_000)


def test_nothing_but_punctuation_is_an_empty_query():
    assert not query.parse('"" - -- * ()')

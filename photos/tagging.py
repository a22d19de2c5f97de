"""Parse, validate and normalise tags: the pure core of tagging (no Django imports).

A tag keeps the *display* form a person typed (NFC, whitespace collapsed) and is identified by
its *canonical* form, so "Tour Eiffel", "tour eiffel" and "TOUR  EIFFEL" are one tag; its *slug*
is the canonical form made safe as one URL path segment (`/tags/<slug>/`).

Decisions:
- Lengths count code points of the display form after NFC and whitespace collapsing, as the
  database does; the canonical form must fit too ("ß" folds to "ss", "ﬁ" to "fi").
- Control characters (Cc, Cf, lone surrogates) are refused and shown escaped in the message, so
  a U+202E cannot reorder it; ZWJ/ZWNJ and emoji tag characters (flags of England, Scotland,
  Wales) are letters of real words and emoji, and are allowed.
- Parsing is shell-like: double quotes (" “ ” „ ‟ « » ‹ › 〝 〞 〟) group, separators outside
  quotes split; commas (, ， 、 ،) separate when there is one outside quotes, else whitespace
  does (django-taggit's rule). A quote that opens a machine-tag value is kept in the display
  form: `taxonomy:binomial="Ursus arctos"` stays one tag.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MAX_TAG_LENGTH = 100
MAX_TAGS_PER_PHOTO = 75

_DOUBLE_QUOTES = frozenset('"“”„‟«»‹›〝〞〟＂')
_COMMAS = frozenset(",，、،")
_SINGLE_QUOTES = "'‘’‚‛"
_INNER_APOSTROPHE = re.compile(rf"(?<=\w)[{_SINGLE_QUOTES}](?=\w)")
_OUTER_QUOTE = re.compile(rf"(?<!\w)[{_SINGLE_QUOTES}]|[{_SINGLE_QUOTES}](?!\w)")
# Emoji presentation selectors and the Arabic tatweel change how a tag looks, not what it says.
_IGNORED = dict.fromkeys(map(ord, "\ufe0e\ufe0f\u0640"), None)
_ALLOWED_FORMAT = frozenset("\u200c\u200d") | frozenset(map(chr, range(0xE0020, 0xE0080)))
_SHOWN_LENGTH = 40
_NAME = r"[A-Za-z][A-Za-z0-9_]*"
_MACHINE = re.compile(rf"({_NAME}):({_NAME})=(.+)", re.ASCII | re.DOTALL)
_MACHINE_PREFIX = re.compile(rf"{_NAME}:{_NAME}=", re.ASCII)
_QUERY = re.compile(rf"({_NAME}|\*):(?:\*|({_NAME}|\*)=(.+))", re.ASCII | re.DOTALL)


class TagError(ValueError):
    """A tag or a set of tags that cannot be accepted, with a sentence naming the tag."""

    def __init__(self, message: str, *, tag: str = "", code: str = "invalid_tag"):
        super().__init__(message)
        self.message = message
        self.tag = tag
        self.code = code


def canonical(display: str) -> str:
    """Return the identity of a tag: NFKC, case-folded, quotes stripped, whitespace collapsed.

    Double quotes of any style are removed; single quotes are kept (as ') only as apostrophes
    between two letters or digits ("o’clock" is "o'clock") and removed elsewhere. A Turkish
    dotted capital İ folds to i, so "İstanbul" and "ISTANBUL" meet; dotless ı stays distinct.
    Accents are kept ("café" is not "cafe"), so are emoji skin tones; emoji variation
    selectors and the Arabic tatweel are dropped.
    """
    text = unicodedata.normalize("NFKC", display)
    text = "".join(ch for ch in text if ch not in _DOUBLE_QUOTES)
    text = _OUTER_QUOTE.sub("", _INNER_APOSTROPHE.sub("'", text))
    text = text.casefold().replace("i\u0307", "i").translate(_IGNORED)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def slug(display: str) -> str:
    """Return the URL path segment for a tag, equal for tags with the same canonical form.

    Whitespace, "/" and "\\" (which browsers read as "/") become "-", runs of "-" collapse and
    none lead or trail; Unicode letters, emoji, ":" and "=" are kept (Django's reverse()
    percent-encodes what must be). So "a b", "a-b" and "a/b" share a slug: the model keeps
    slugs unique. A slug that would be empty, "." or ".." (dot segments that browsers remove)
    is "_" and the hex of the canonical UTF-8 instead: "." is "_2e".
    """
    identity = canonical(display)
    text = re.sub(r"[\s/\\-]+", "-", identity).strip("-")
    if identity and text in ("", ".", ".."):
        return "_" + identity.encode().hex()[: MAX_TAG_LENGTH - 1]
    return text


def clean(display: str) -> str:
    """Return one tag's display form (NFC, whitespace collapsed), or raise TagError."""
    text = " ".join(unicodedata.normalize("NFC", display).split())
    shown = _shown(text)
    if any(map(_is_control, text)):
        raise TagError(
            f"Tags may not contain control characters: “{shown}”.", tag=shown, code="tag_control"
        )
    identity = canonical(text)
    if len(text) > MAX_TAG_LENGTH or len(identity) > MAX_TAG_LENGTH:
        raise TagError(
            f"The tag “{shown}” is longer than {MAX_TAG_LENGTH} characters.",
            tag=shown,
            code="tag_too_long",
        )
    if not identity:
        raise TagError(f"The tag “{shown}” is empty.", tag=shown, code="tag_empty")
    return text


def clean_list(displays: Iterable[str]) -> list[str]:
    """Return the cleaned tags, skipping blank ones and duplicates (the first form wins)."""
    tags: dict[str, str] = {}
    for display in displays:
        if canonical(display):  # nothing but spaces and quotes is no tag, not an error
            text = clean(display)
            tags.setdefault(canonical(text), text)
    return list(tags.values())


def parse(text: str) -> list[str]:
    """Split what a person typed into display tags, validated and without duplicates."""
    return clean_list(_split(text))


def check_count(existing: int, adding: int) -> None:
    """Raise TagError if a photo would end up with more than MAX_TAGS_PER_PHOTO tags."""
    total = existing + adding
    if total > MAX_TAGS_PER_PHOTO:
        raise TagError(
            f"A photo may have at most {MAX_TAGS_PER_PHOTO} tags; this would make {total}.",
            code="too_many_tags",
        )


@dataclass(frozen=True)
class MachineTag:
    """A Flickr-style `namespace:predicate=value` tag; namespace and predicate are casefolded."""

    namespace: str
    predicate: str
    value: str

    @property
    def canonical_value(self) -> str:
        """Return the value as compared in searches."""
        return canonical(self.value)


def machine(display: str) -> MachineTag | None:
    """Return the parts of a machine tag, or None if the tag is an ordinary one."""
    match = _MACHINE.fullmatch(display.strip())
    if not match:
        return None
    value = _unquote(match[3])
    if not value:
        return None
    return MachineTag(match[1].casefold(), match[2].casefold(), value)


@dataclass(frozen=True)
class MachineQuery:
    """A machine-tag search filter; None in a field matches anything."""

    namespace: str | None
    predicate: str | None
    value: str | None

    def matches(self, tag: MachineTag) -> bool:
        """Return whether a machine tag satisfies this filter."""
        return (
            self.namespace in (None, tag.namespace)
            and self.predicate in (None, tag.predicate)
            and (self.value is None or canonical(self.value) == tag.canonical_value)
        )


def machine_query(text: str) -> MachineQuery:
    """Parse `ns:pred=value`, `ns:*` or `ns:pred=*` (a "*" part is a wildcard)."""
    match = _QUERY.fullmatch(text.strip())
    value = _unquote(match[3]) if match and match[3] is not None else None
    if not match or (match[3] is not None and not value):
        shown = _shown(text)
        raise TagError(
            f"The machine tag filter “{shown}” should look like namespace:predicate=value, "
            "namespace:predicate=* or namespace:*.",
            tag=shown,
            code="machine_query",
        )
    namespace, predicate = (
        None if part in (None, "*") else part.casefold() for part in match.group(1, 2)
    )
    if match[3] is not None and match[3].strip() == "*":  # a quoted "*" is a literal star
        value = None
    return MachineQuery(namespace, predicate, value)


def hierarchical(display: str) -> list[str]:
    """Split a Lightroom hierarchical keyword ("Places|France|Paris") into its levels."""
    return [level for level in (" ".join(part.split()) for part in display.split("|")) if level]


def flatten_keywords(
    subjects: Iterable[str], hierarchical_subjects: Iterable[str] = ()
) -> list[str]:
    """Merge dc:subject and the leaves of lr:hierarchicalSubject, one per canonical form.

    Whitespace is collapsed but nothing is validated: pass the result to clean() and decide
    what to do with a keyword another tool accepted and we refuse.
    """
    leaves = (levels[-1] for levels in map(hierarchical, hierarchical_subjects) if levels)
    tags: dict[str, str] = {}
    for keyword in (*subjects, *leaves):
        text = " ".join(keyword.split())
        if canonical(text):
            tags.setdefault(canonical(text), text)
    return list(tags.values())


def _split(text: str) -> list[str]:
    """Split on separators outside double quotes, keeping quotes that open a machine value."""
    by_comma = any(ch in _COMMAS and not quoted for ch, quoted in _marks(text))
    tokens, buffer, keep_quotes = [], [], False
    for ch, quoted in _marks(text):
        if quoted is None:  # a quote mark: opening if the last mark left us outside quotes
            keep_quotes = keep_quotes or bool(_MACHINE_PREFIX.fullmatch("".join(buffer).strip()))
            buffer.append('"' if keep_quotes else "")
        elif not quoted and (ch in _COMMAS if by_comma else ch.isspace()):
            tokens.append("".join(buffer))
            buffer, keep_quotes = [], False
        else:
            buffer.append(ch)
    tokens.append("".join(buffer))
    return [_close_quote(token) for token in tokens]


def _marks(text: str) -> Iterable[tuple[str, bool | None]]:
    """Yield each character with whether it is inside double quotes (None for a quote mark)."""
    inside = False
    for ch in text:
        if ch in _DOUBLE_QUOTES:
            inside = not inside
            yield ch, None
        else:
            yield ch, inside


def _close_quote(token: str) -> str:
    """Close a machine-tag value whose quote was left open."""
    return token + '"' if token.count('"') % 2 else token


def _unquote(value: str) -> str:
    """Strip whitespace and one pair of wrapping double quotes of any style."""
    value = value.strip()
    if len(value) >= 2 and value[0] in _DOUBLE_QUOTES and value[-1] in _DOUBLE_QUOTES:
        value = value[1:-1].strip()
    return value


def _is_control(ch: str) -> bool:
    """Return whether a character is a control or format character we refuse."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch not in _ALLOWED_FORMAT


def _shown(tag: str) -> str:
    """Return a tag safe to quote in a message: controls escaped, long ones shortened."""
    text = "".join(f"\\u{ord(ch):04x}" if _is_control(ch) else ch for ch in tag)
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"

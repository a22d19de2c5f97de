"""Render TASL attributions (title, author, source, license) as text, HTML, Markdown or a dict.

Wording follows licensing.md §3.3/§3.5: `"{title}" ({source}) by {name} is licensed under
{license}.`, "is marked with" for CC0/PDM, "This work" for an untitled work and no "by" clause
when the creator is unknown; "© {name}, all rights reserved." for works under no license.

User strings are hostile until proven otherwise:
- bidi controls (U+202A-E, U+2066-9, LRM/RLM/ALM) and other control characters are stripped from
  every output, so a U+202E in "exe.jpg" cannot reorder the sentence around it; in HTML each user
  string is also isolated in a <bdi>, so a right-to-left name cannot pull the words next to it;
- only absolute http(s) URLs become links; anything else (javascript:, data:, relative) is
  dropped and the text is shown unlinked;
- HTML output goes through html.escape, Markdown output backslash-escapes its metacharacters;
- length is left alone: shortening a credit would misstate it, so limits belong to the form and
  model fields; escaping keeps a long value inert.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from licensing.catalogue import License

UNTITLED = "This work"
UNTITLED_SOURCE = "an untitled work"
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"), None)
_BIDI_CONTROLS.update(dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"), None))
_LINE_BREAKING = {"Cc", "Zl", "Zp"}
# Backslash-escapable punctuation that can start markup mid-line; user text never starts a
# line (it is always preceded by our own words or a quote), so list markers need no escape.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~&])")
_RDFA_NAMESPACES = 'xmlns:cc="http://creativecommons.org/ns#" xmlns:dct="http://purl.org/dc/terms/"'


@dataclass(frozen=True, kw_only=True)
class Work:
    """What is needed to credit one work; `changes`/`adapted_from` describe a derivative."""

    license: License
    title: str = ""
    creator_name: str = ""
    creator_url: str = ""
    source_url: str = ""
    changes: str = ""
    modified_by: str = ""
    adapted_from: Work | tuple[Work, ...] | None = None

    @property
    def sources(self) -> tuple[Work, ...]:
        """Return the works this one adapts, as a tuple (one, several, or none)."""
        if self.adapted_from is None:
            return ()
        if isinstance(self.adapted_from, Work):
            return (self.adapted_from,)
        return tuple(self.adapted_from)


@dataclass(frozen=True)
class _Span:
    """One piece of the sentence; `user` marks text a person typed."""

    text: str
    href: str = ""
    user: bool = False
    prop: str = ""
    rel: str = ""
    url_in_text: bool = False
    quoted: bool = False


def clean_text(value: object) -> str:
    """Return user text on one line, without bidi or other control characters."""
    text = str(value or "").translate(_BIDI_CONTROLS)
    text = "".join(" " if unicodedata.category(ch) in _LINE_BREAKING else ch for ch in text)
    return " ".join(text.split())


def markdown_text(value: object) -> str:
    """Return user text cleaned and escaped for Markdown, so it shows as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", clean_text(value))


def safe_url(value: object) -> str:
    """Return the URL if it is an absolute http(s) URL fit to link, else ''."""
    url = str(value or "").strip()
    if not url or any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return ""
    return url


def _subject(title: str, href: str, *, rel: str, prop: str, untitled: str) -> list[_Span]:
    """Return the quoted title (or the untitled phrase) linked to its source page."""
    if not title:
        return [_Span(untitled, href=href, rel=rel, url_in_text=True)]
    return [_Span(title, href=href, user=True, prop=prop, rel=rel, url_in_text=True, quoted=True)]


def _creator(work: Work, *, prefix: str, rdfa: bool) -> list[_Span]:
    """Return the creator clause, or nothing when the creator is unknown."""
    name = clean_text(work.creator_name)
    if not name:
        return []
    href = safe_url(work.creator_url)
    if rdfa:
        span = _Span(name, href=href, user=True, prop="cc:attributionName", rel="dct:creator")
    else:
        span = _Span(name, href=href, user=True)
    return [_Span(prefix), span]


def _license_clause(lic: License) -> list[_Span]:
    """Return the license verb and the license name linked to its deed as rel="license"."""
    verb = " is marked with " if lic.is_public_domain else " is licensed under "
    license_link = _Span(lic.name, href=lic.url, rel="license noopener noreferrer")
    return [_Span(verb), license_link, _Span(".")]


def _main_sentence(work: Work) -> list[_Span]:
    """Return `"Title" by Name is licensed under CC BY 4.0.` as spans."""
    title, href = clean_text(work.title), safe_url(work.source_url)
    spans = _subject(title, href, rel="cc:attributionURL", prop="dct:title", untitled=UNTITLED)
    if not work.license.is_cc:
        creator = _creator(work, prefix=" © ", rdfa=True)
        return [*spans, *creator, _Span(", all rights reserved.")]
    return [
        *spans,
        *_creator(work, prefix=" by ", rdfa=True),
        *_license_clause(work.license),
    ]


def _changes_sentence(work: Work) -> list[_Span]:
    """Return `Changes by Bob: cropped.` (or the parts that are known)."""
    note, editor = clean_text(work.changes), clean_text(work.modified_by)
    if note and editor:
        return [_Span(" Changes by "), _Span(editor, user=True), _Span(": "),
                _Span(note, user=True), _Span(".")]  # fmt: skip
    if note:
        return [_Span(" Changes: "), _Span(note, user=True), _Span(".")]
    if editor:
        return [_Span(" Modified by "), _Span(editor, user=True), _Span(".")]
    return []


def _source_sentence(work: Work) -> list[_Span]:
    """Return `Adapted from "Source" by Name (CC BY 4.0).` for a derivative."""
    spans: list[_Span] = []
    for index, source in enumerate(work.sources):
        spans.append(_Span(" Adapted from " if index == 0 else "; and from "))
        title, href = clean_text(source.title), safe_url(source.source_url)
        spans += _subject(title, href, rel="dct:source", prop="", untitled=UNTITLED_SOURCE)
        spans += _creator(source, prefix=" by ", rdfa=False)
        lic = source.license
        spans += [_Span(" ("), _Span(lic.name, href=lic.url), _Span(")")]
    return [*spans, _Span(".")] if spans else []


def _spans(work: Work) -> list[_Span]:
    """Return every span of the attribution, in reading order."""
    return [*_main_sentence(work), *_changes_sentence(work), *_source_sentence(work)]


def _visit_sentence(lic: License) -> str:
    """Return the plain-text pointer to the license, since plain text cannot link."""
    if not lic.is_cc:
        return ""
    what = "the terms" if lic.is_public_domain else "a copy of this license"
    return f" To view {what}, visit {lic.url}"


def as_text(work: Work) -> str:
    """Render the attribution as one plain-text paragraph with URLs spelled out."""
    parts = []
    for span in _spans(work):
        parts.append(f'"{span.text}"' if span.quoted else span.text)
        if span.url_in_text and span.href:
            parts.append(f" ({span.href})")
    return ("".join(parts) + _visit_sentence(work.license)).strip()


def _html_span(span: _Span) -> str:
    """Render one span as escaped HTML, isolating user text in <bdi>."""
    text = html.escape(span.text)
    attrs = ""
    if span.href:
        attrs += f' href="{html.escape(span.href)}"'
    if span.prop:
        attrs += f' property="{span.prop}"'
    if span.rel and span.href:
        attrs += f' rel="{span.rel}"'
    if span.href:
        markup = f"<a{attrs}>{text}</a>"
        markup = f"<bdi>{markup}</bdi>" if span.user else markup
    elif span.user:
        markup = f"<bdi{attrs}>{text}</bdi>"
    else:
        markup = text
    return f"&quot;{markup}&quot;" if span.quoted else markup


def as_html(work: Work) -> str:
    """Render the attribution as a <p> with links and CC REL RDFa about the source page."""
    about = safe_url(work.source_url)
    about_attr = f' about="{html.escape(about)}"' if about else ""
    body = "".join(_html_span(span) for span in _spans(work)).strip()
    return f'<p class="attribution" {_RDFA_NAMESPACES}{about_attr}>{body}</p>'


def _markdown_url(url: str) -> str:
    """Percent-encode the characters that would end a Markdown link destination."""
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


def _markdown_span(span: _Span) -> str:
    """Render one span as Markdown, escaping user text."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", span.text) if span.user else span.text
    if span.href:
        text = f"[{text}]({_markdown_url(span.href)})"
    return f'"{text}"' if span.quoted else text


def as_markdown(work: Work) -> str:
    """Render the attribution as one Markdown paragraph with links."""
    return "".join(_markdown_span(span) for span in _spans(work)).strip()


def _facts(work: Work) -> dict:
    """Return the cleaned data behind an attribution, JSON-ready."""
    lic = work.license
    return {
        "title": clean_text(work.title),
        "creator": {"name": clean_text(work.creator_name), "url": safe_url(work.creator_url)},
        "source_url": safe_url(work.source_url),
        "license": {"id": lic.id, "name": lic.name, "url": lic.url},
        "attribution_required": lic.requires_attribution,
        "changes": clean_text(work.changes),
        "modified_by": clean_text(work.modified_by),
        "adapted_from": [_facts(source) for source in work.sources],
    }


def as_dict(work: Work) -> dict:
    """Return the attribution's data plus its text, HTML and Markdown renderings."""
    return {
        **_facts(work),
        "text": as_text(work),
        "html": as_html(work),
        "markdown": as_markdown(work),
    }

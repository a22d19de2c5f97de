"""An album's credits and license summary, built from each photo's own attribution."""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass, field

from licensing import attribution, catalogue
from photos.attribution import work_of

FORMATS = ("text", "html", "markdown", "json")


@dataclass(frozen=True)
class Entry:
    """One photo's line in the credits: its attribution, or why it was left out."""

    photo_id: int
    title: str
    url: str
    license: str
    text: str
    html: str
    markdown: str
    data: dict = field(default_factory=dict)
    filename: str = ""
    left_out: str = ""


def entry_for(photo, *, request=None, filename: str = "", left_out: str = "") -> Entry:
    """Return the credits entry of one photo."""
    work = work_of(photo, request=request)
    data = attribution.as_dict(work)
    return Entry(
        photo_id=photo.pk,
        title=photo.display_title,
        url=work.source_url,
        license=work.license.name,
        text=attribution.as_text(work),
        html=attribution.as_html(work),
        markdown=attribution.as_markdown(work),
        data=data,
        filename=filename,
        left_out=left_out,
    )


def entries(items, *, request=None) -> list[Entry]:
    """Return the credits of album items, in their order."""
    return [entry_for(item.photo, request=request) for item in items]


def as_text(title: str, entries: list[Entry]) -> str:
    """Return the credits as plain text."""
    lines = [f"Credits for “{attribution.clean_text(title)}”", ""]
    for entry in entries:
        if entry.left_out:
            continue
        prefix = f"{entry.filename}: " if entry.filename else ""
        lines.append(f"- {prefix}{entry.text}")
    left_out = [e for e in entries if e.left_out]
    if left_out:
        lines += ["", "Left out of this download:"]
        lines += [
            f"- “{attribution.clean_text(e.title)}” ({e.url}): {e.left_out}" for e in left_out
        ]
    return "\n".join(lines) + "\n"


def as_markdown(title: str, entries: list[Entry]) -> str:
    """Return the credits as a Markdown list."""
    lines = [f"# Credits for “{attribution.markdown_text(title)}”", ""]
    lines += [f"- {e.markdown}" for e in entries if not e.left_out]
    return "\n".join(lines) + "\n"


def as_html(title: str, entries: list[Entry]) -> str:
    """Return the credits as a standalone HTML document."""
    safe_title = html.escape(attribution.clean_text(title))
    items = "\n".join(
        f"<li>{'<code>' + html.escape(e.filename) + '</code>: ' if e.filename else ''}{e.html}</li>"
        for e in entries
        if not e.left_out
    )
    left = "\n".join(
        f'<li><a href="{html.escape(e.url)}">{html.escape(e.title)}</a>: '
        f"{html.escape(e.left_out)}</li>"
        for e in entries
        if e.left_out
    )
    left_part = f"<h2>Left out of this download</h2>\n<ul>\n{left}\n</ul>\n" if left else ""
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Credits for {safe_title}</title></head><body>\n"
        f"<h1>Credits for {safe_title}</h1>\n<ul>\n{items}\n</ul>\n{left_part}</body></html>\n"
    )


def as_json(title: str, entries: list[Entry]) -> dict:
    """Return the credits as a JSON-ready document."""
    return {
        "album": title,
        "photos": [
            {"id": e.photo_id, "title": e.title, "url": e.url, **e.data}
            for e in entries
            if not e.left_out
        ],
        "left_out": [
            {"id": e.photo_id, "title": e.title, "url": e.url, "reason": e.left_out}
            for e in entries
            if e.left_out
        ],
    }


def render(fmt: str, title: str, entries: list[Entry]) -> tuple[str, str]:
    """Return (body, content type) of the credits in one format."""
    if fmt == "json":
        body = json.dumps(as_json(title, entries), ensure_ascii=False, indent=2)
        return body, "application/json"
    renderers = {"text": as_text, "html": as_html, "markdown": as_markdown}
    return renderers[fmt](title, entries), "text/plain; charset=utf-8"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def license_summary(license_ids: list[str]) -> str:
    """Sum up licenses: '38 photos: 20 CC BY 4.0, 12 CC0 1.0; all allow commercial use; …'."""
    if not license_ids:
        return "No photos yet."
    counts = Counter(license_ids)
    licenses = {lid: catalogue.get(lid) for lid in counts}
    named = ", ".join(
        f"{n} {licenses[lid].name}"
        for lid, n in sorted(counts.items(), key=lambda kv: (-kv[1], licenses[kv[0]].name))
    )
    total = len(license_ids)
    commercial = sum(n for lid, n in counts.items() if licenses[lid].allows_commercial_use)
    share_alike = sum(n for lid, n in counts.items() if licenses[lid].is_share_alike)
    no_adapt = sum(n for lid, n in counts.items() if not licenses[lid].allows_modification)
    parts = [f"{_plural(total, 'photo')}: {named}"]
    if commercial == total:
        parts.append("all allow commercial use")
    elif commercial == 0:
        parts.append("none allow commercial use")
    else:
        parts.append(f"{commercial} of {total} allow commercial use")
    if share_alike:
        parts.append(f"{share_alike} require{'s' if share_alike == 1 else ''} share-alike")
    if no_adapt:
        parts.append(f"{no_adapt} do{'es' if no_adapt == 1 else ''} not allow adaptations")
    return "; ".join(parts)

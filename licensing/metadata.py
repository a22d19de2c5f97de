"""Write a photo's rights into its file: an XMP packet, EXIF strings and an IPTC-IIM block.

Field choices follow licensing.md §4 (and §5 for what Google reads):
- XMP: `cc:license` (deed, as a resource), `cc:attributionName`, `cc:attributionURL`,
  `xmpRights:Marked` (False for CC0/PDM, True otherwise, all rights reserved included),
  `xmpRights:WebStatement` (the photo page, which shows the license and its history),
  `xmpRights:UsageTerms` (the plain-text attribution), `dc:creator`, `dc:rights` (a copyright
  notice), `dc:title`, `photoshop:Credit` (Google's credit text) and `plus:Licensor`
  (Google's "get this image" link);
- EXIF: Artist and Copyright, as UTF-8 (exiftool and Pillow read it back unchanged);
- IPTC-IIM (JPEG APP13): Object Name, By-line, Credit and Copyright Notice in UTF-8, with the
  IPTCDigest that tells MWG-aware readers the XMP is the current copy.

User text is cleaned (bidi and control characters removed, XML-forbidden code points dropped)
and escaped; only absolute http(s) URLs are written. No Django, no Pillow here.
"""

from __future__ import annotations

import hashlib
import re
import struct
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from licensing.attribution import Work, as_text, clean_text, safe_url
from licensing.catalogue import License

# A JPEG APP1 segment holds 65,533 bytes, 29 of them the XMP namespace header.
MAX_XMP_BYTES = 65_504
# Per-value ceilings for hostile input only: the model fields cap names at 200 characters.
_FIELD_LIMITS = (None, 4000, 1000, 250)
MAX_EXIF_BYTES = 4000
MAX_IIM_BYTES = 2000

ARTIST, COPYRIGHT = 0x013B, 0x8298
NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "cc": "http://creativecommons.org/ns#",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
    "lr": "http://ns.adobe.com/lightroom/1.0/",
}
_PACKET_ID = "W5M0MpCehiHzreSzNTczkc9d"  # the fixed id every XMP packet carries
# XML 1.0 `Char` excludes C0 controls (but tab, LF, CR), surrogates and U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_IIM_UTF8 = b"\x1b%G"  # ISO 2022 escape for UTF-8, the value of CodedCharacterSet (1:90)


@dataclass(frozen=True, kw_only=True)
class Rights:
    """Who made a photo, where it lives and under which license it is offered."""

    license: License
    title: str = ""
    creator_name: str = ""
    creator_url: str = ""
    source_url: str = ""
    year: int | None = None
    keywords: tuple[str, ...] = ()  # tags; "a|b|c" ones are hierarchical (Lightroom)

    @property
    def name(self) -> str:
        """Return the creator's name, cleaned."""
        return _text(self.creator_name)

    @property
    def title_text(self) -> str:
        """Return the title, cleaned."""
        return _text(self.title)

    @property
    def page_url(self) -> str:
        """Return the photo page URL when it is a safe http(s) URL, else ''."""
        return safe_url(self.source_url)

    @property
    def attribution_url(self) -> str:
        """Return the URL reusers should link when crediting: the work's page (as CC REL and
        the page's RDFa say), else the creator's."""
        return self.page_url or safe_url(self.creator_url)

    @property
    def marked(self) -> bool:
        """Tell whether the work is rights-managed (everything but CC0 and PDM)."""
        return not self.license.is_public_domain

    @property
    def copyright_notice(self) -> str:
        """Return the notice for dc:rights and EXIF Copyright, e.g. '© 2026 Jane. …'."""
        lic = self.license
        if lic.is_public_domain:
            if lic.slug == "cc0":
                return f"No rights reserved: dedicated to the public domain ({lic.name})."
            return f"No known copyright: marked with the {lic.name}."
        holder = " ".join(part for part in (self._year_text, self.name) if part)
        terms = f"Licensed under {lic.name}." if lic.is_cc else "All rights reserved."
        return f"© {holder}. {terms}" if holder else terms

    @property
    def credit_line(self) -> str:
        """Return a short credit, 'Name / CC BY-SA 4.0' (Wikimedia's Author / License)."""
        license_name = self.license.name if self.license.is_cc else ""
        return " / ".join(part for part in (self.name, license_name) if part)

    @property
    def usage_terms(self) -> str:
        """Return the plain-text attribution sentence."""
        return _text(as_text(self.work))

    @property
    def work(self) -> Work:
        """Return the attribution record for this photo."""
        return Work(
            license=self.license,
            title=self.title,
            creator_name=self.creator_name,
            creator_url=self.creator_url,
            source_url=self.source_url,
        )

    @property
    def _year_text(self) -> str:
        """Return the year when it is a plausible one, else ''."""
        year = self.year
        valid = isinstance(year, int) and not isinstance(year, bool) and 1 <= year <= 9999
        return str(year) if valid else ""


def _text(value: object) -> str:
    """Return user text cleaned for any metadata container."""
    return clean_text(_NOT_XML.sub("", str(value or "")))


def _shorten(text: str, limit: int | None) -> str:
    """Return text cut to `limit` characters, marking the cut with an ellipsis."""
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


# --- XMP ------------------------------------------------------------------------------


def xmp_packet(rights: Rights) -> bytes:
    """Return a complete XMP packet (UTF-8) carrying the rights, small enough for a JPEG."""
    for limit in _FIELD_LIMITS:
        packet = _packet(rights, limit).encode("utf-8")
        if len(packet) <= MAX_XMP_BYTES:
            return packet
    raise AssertionError("an XMP packet with 250-character fields always fits")  # pragma: no cover


def _packet(rights: Rights, limit: int | None) -> str:
    """Return the packet text with every user value cut to `limit` characters."""
    xmlns = " ".join(f"xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in NAMESPACES.items())
    properties = "\n".join(f"   {line}" for line in _properties(rights, limit))
    return (
        f'<?xpacket begin="\ufeff" id="{_PACKET_ID}"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Brouette">\n'
        f" <rdf:RDF {xmlns}>\n"
        '  <rdf:Description rdf:about="">\n'
        f"{properties}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )


def _properties(rights: Rights, limit: int | None) -> list[str]:
    """Return the XML lines of every property that has a value."""
    name = _shorten(rights.name, limit)
    lines = [
        _resource("cc:license", rights.license.url),
        _simple("cc:attributionName", name),
        _resource("cc:attributionURL", rights.attribution_url),
        _simple("xmpRights:Marked", "True" if rights.marked else "False"),
        _simple("xmpRights:WebStatement", rights.page_url),
        _alt("xmpRights:UsageTerms", _shorten(rights.usage_terms, limit)),
        _seq("dc:creator", name),
        _alt("dc:rights", _shorten(rights.copyright_notice, limit)),
        _alt("dc:title", _shorten(rights.title_text, limit)),
        _simple("photoshop:Credit", _shorten(rights.credit_line, limit)),
        _licensor(name, rights.page_url),
        _bag("dc:subject", _subjects(rights.keywords)),
        _bag("lr:hierarchicalSubject", [k for k in map(_text, rights.keywords) if "|" in k]),
    ]
    return [line for line in lines if line]


def _subjects(keywords: tuple[str, ...]) -> list[str]:
    """Return flat keywords: plain tags, and the leaf of each hierarchical one."""
    return [k.rsplit("|", 1)[-1].strip() for k in map(_text, keywords) if k]


def _bag(tag: str, values: list[str]) -> str:
    """Return an unordered array, or '' when empty."""
    if not values:
        return ""
    items = "".join(f"<rdf:li>{escape(value)}</rdf:li>" for value in values)
    return f"<{tag}><rdf:Bag>{items}</rdf:Bag></{tag}>"


def _simple(tag: str, value: str) -> str:
    """Return a simple text property, or '' when empty."""
    return f"<{tag}>{escape(value)}</{tag}>" if value else ""


def _resource(tag: str, url: str) -> str:
    """Return a URL property as rdf:resource, or '' unless the URL is http(s)."""
    url = safe_url(url)
    return f"<{tag} rdf:resource={quoteattr(url)}/>" if url else ""


def _alt(tag: str, value: str) -> str:
    """Return a language alternative with only the x-default item."""
    if not value:
        return ""
    item = f'<rdf:li xml:lang="x-default">{escape(value)}</rdf:li>'
    return f"<{tag}><rdf:Alt>{item}</rdf:Alt></{tag}>"


def _seq(tag: str, value: str) -> str:
    """Return an ordered array with one item, or '' when empty."""
    return f"<{tag}><rdf:Seq><rdf:li>{escape(value)}</rdf:li></rdf:Seq></{tag}>" if value else ""


def _licensor(name: str, url: str) -> str:
    """Return plus:Licensor, the party and page to ask for a license (Google's link)."""
    fields = _simple("plus:LicensorName", name) + _simple("plus:LicensorURL", url)
    if not fields:
        return ""
    item = f'<rdf:li rdf:parseType="Resource">{fields}</rdf:li>'
    return f"<plus:Licensor><rdf:Seq>{item}</rdf:Seq></plus:Licensor>"


# --- EXIF -----------------------------------------------------------------------------


def exif_rights(rights: Rights) -> dict[int, str]:
    """Return EXIF IFD0 Artist and Copyright; write them as UTF-8 bytes (exiftool reads it)."""
    values = {ARTIST: rights.name, COPYRIGHT: rights.copyright_notice}
    return {tag: _fit_bytes(value, MAX_EXIF_BYTES) for tag, value in values.items() if value}


def _fit_bytes(text: str, limit: int) -> str:
    """Return text shortened until its UTF-8 form has at most `limit` bytes."""
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[: limit - 3].decode("utf-8", "ignore")
    return cut.rstrip() + "…"


# --- IPTC-IIM -------------------------------------------------------------------------


def iptc_iim(rights: Rights) -> bytes:
    """Return IIM records 1:90 (UTF-8), 2:00, 2:05 title, 2:80, 2:110 and 2:116."""
    datasets = [
        (1, 90, _IIM_UTF8),
        (2, 0, b"\x00\x04"),  # ApplicationRecordVersion 4
        (2, 5, rights.title_text),
        (2, 80, rights.name),
        (2, 110, rights.credit_line),
        (2, 116, rights.copyright_notice),
    ]
    return b"".join(_dataset(record, number, value) for record, number, value in datasets if value)


def _dataset(record: int, number: int, value: str | bytes) -> bytes:
    """Return one IIM dataset: tag marker, record, dataset number, length, data."""
    data = value if isinstance(value, bytes) else _fit_bytes(value, MAX_IIM_BYTES).encode()
    return struct.pack(">BBBH", 0x1C, record, number, len(data)) + data


def iptc_rights(rights: Rights) -> bytes:
    """Return a JPEG APP13 payload: 'Photoshop 3.0' resources 0x0404 (IIM) and 0x0425."""
    iim = iptc_iim(rights)
    digest = hashlib.md5(iim, usedforsecurity=False).digest()
    return b"Photoshop 3.0\x00" + _resource_block(0x0404, iim) + _resource_block(0x0425, digest)


def _resource_block(resource_id: int, data: bytes) -> bytes:
    """Return one 8BIM image resource with an empty name, padded to an even length."""
    padding = b"\x00" * (len(data) % 2)
    return b"8BIM" + struct.pack(">HHI", resource_id, 0, len(data)) + data + padding

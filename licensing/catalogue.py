"""The Creative Commons license catalogue: frozen records, derived flags and lookups.

Facts come from the project's licensing.md notes (CC's cc-legal-tools CSV and RDF). Only the
unported/international tools are catalogued; ported (jurisdiction) tools are different legal
texts, so `from_url` answers None for them rather than pretending they are the unported one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

CC_ORIGIN = "https://creativecommons.org"

REPRODUCTION = "cc:Reproduction"
DISTRIBUTION = "cc:Distribution"
DERIVATIVE_WORKS = "cc:DerivativeWorks"
SHARING = "cc:Sharing"
NOTICE = "cc:Notice"
ATTRIBUTION = "cc:Attribution"
SHARE_ALIKE = "cc:ShareAlike"
COMMERCIAL_USE = "cc:CommercialUse"

VERSIONS = ("1.0", "2.0", "2.5", "3.0", "4.0")
CURRENT_VERSION = "4.0"
ALL_RIGHTS_RESERVED = "all-rights-reserved"
ADAPTATION_CHOICES = ("yes", "sharealike", "no")

_HOW_TO_FIND = (
    "Valid ids are listed by GET /api/v1/licenses/ (or licensing.catalogue.all_licenses()), "
    "for example 'CC-BY-SA-4.0', 'CC0-1.0' or 'all-rights-reserved'"
)


class UnknownLicense(ValueError):
    """Raised for an id, family slug or group name the catalogue does not know."""


@dataclass(frozen=True)
class License:
    """One legal tool, with its CC REL terms; every flag is derived from those terms."""

    id: str
    slug: str
    name: str
    title: str
    url: str
    legalcode_url: str
    version: str
    permits: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    prohibits: tuple[str, ...] = ()
    selectable: bool = False

    def __str__(self) -> str:
        return self.name

    @property
    def allows_redistribution(self) -> bool:
        """Tell whether copies may be shared at all."""
        return DISTRIBUTION in self.permits

    @property
    def allows_commercial_use(self) -> bool:
        """Tell whether copies may be shared for commercial purposes."""
        return self.allows_redistribution and COMMERCIAL_USE not in self.prohibits

    @property
    def allows_modification(self) -> bool:
        """Tell whether adaptations may be shared."""
        return DERIVATIVE_WORKS in self.permits

    @property
    def is_share_alike(self) -> bool:
        """Tell whether adaptations must carry the same terms."""
        return SHARE_ALIKE in self.requires

    @property
    def requires_attribution(self) -> bool:
        """Tell whether reusers must credit the creator."""
        return ATTRIBUTION in self.requires

    @property
    def is_public_domain(self) -> bool:
        """Tell whether every use is free of any condition (CC0, PDM)."""
        everything = {REPRODUCTION, DISTRIBUTION, DERIVATIVE_WORKS}
        return everything <= set(self.permits) and not self.requires and not self.prohibits

    @property
    def is_cc(self) -> bool:
        """Tell whether this is a Creative Commons tool (not 'all rights reserved')."""
        return self.url.startswith(CC_ORIGIN + "/")

    @property
    def icons(self) -> list[str]:
        """Return the presskit icon names (cc, by, nc, nd, sa, zero, pd) for this tool."""
        if not self.is_cc:
            return []
        if self.is_public_domain:
            return ["cc", "zero"] if self.slug == "cc0" else ["pd"]
        icons = ["cc", "by"] if self.requires_attribution else ["cc"]
        if not self.allows_commercial_use:
            icons.append("nc")
        if not self.allows_modification:
            icons.append("nd")
        if self.is_share_alike:
            icons.append("sa")
        return icons


# licensing.md §2.2: identical for every version 1.0-4.0. Keyed by family slug.
_BY_TERMS = (NOTICE, ATTRIBUTION)
_ALL_USES = (REPRODUCTION, DISTRIBUTION, DERIVATIVE_WORKS)
_NO_DERIVATIVES = (REPRODUCTION, DISTRIBUTION)
_TERMS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "by": (_ALL_USES, _BY_TERMS, ()),
    "by-sa": (_ALL_USES, (*_BY_TERMS, SHARE_ALIKE), ()),
    "by-nd": (_NO_DERIVATIVES, _BY_TERMS, ()),
    "by-nc": (_ALL_USES, _BY_TERMS, (COMMERCIAL_USE,)),
    "by-nc-sa": (_ALL_USES, (*_BY_TERMS, SHARE_ALIKE), (COMMERCIAL_USE,)),
    "by-nc-nd": (_NO_DERIVATIVES, _BY_TERMS, (COMMERCIAL_USE,)),
}
# CC's URL unit differs from the family slug once: BY-NC-ND 1.0 lives at /licenses/by-nd-nc/1.0/.
_URL_UNIT_ODDITIES = {("by-nc-nd", "1.0"): "by-nd-nc"}
_ELEMENT_WORDS = {"by": "Attribution", "sa": "ShareAlike", "nc": "NonCommercial"}
_TITLE_SUFFIX = {"1.0": "Generic", "2.0": "Generic", "2.5": "Generic", "3.0": "Unported"}


def _title(unit: str, version: str) -> str:
    """Return CC's English title, e.g. 'Creative Commons Attribution-NoDerivs 3.0 Unported'."""
    nd_word = "NoDerivatives" if version == "4.0" else "NoDerivs"
    words = [_ELEMENT_WORDS.get(element, nd_word) for element in unit.split("-")]
    suffix = _TITLE_SUFFIX.get(version, "International")
    return f"Creative Commons {'-'.join(words)} {version} {suffix}"


def _cc_license(slug: str, version: str) -> License:
    """Build one BY-family license of one unported version."""
    unit = _URL_UNIT_ODDITIES.get((slug, version), slug)
    permits, requires, prohibits = _TERMS[slug]
    url = f"{CC_ORIGIN}/licenses/{unit}/{version}/"
    return License(
        id=f"CC-{slug.upper()}-{version}",
        slug=slug,
        name=f"CC {unit.upper()} {version}",
        title=_title(unit, version),
        url=url,
        legalcode_url=f"{url}legalcode.en",
        version=version,
        permits=permits,
        requires=requires,
        prohibits=prohibits,
        selectable=version == CURRENT_VERSION,
    )


def _special_tools() -> tuple[License, ...]:
    """Build CC0, the Public Domain Mark and 'all rights reserved'."""
    zero = f"{CC_ORIGIN}/publicdomain/zero/1.0/"
    mark = f"{CC_ORIGIN}/publicdomain/mark/1.0/"
    return (
        License(
            id="CC0-1.0", slug="cc0", name="CC0 1.0", title="CC0 1.0 Universal", url=zero,
            legalcode_url=f"{zero}legalcode.en", version="1.0", permits=_ALL_USES,
            selectable=True,
        ),
        # PDM is deed-only: its legal code path redirects to the deed (licensing.md §1.1).
        License(
            id="CC-PDM-1.0", slug="pdm", name="Public Domain Mark 1.0",
            title="Public Domain Mark 1.0", url=mark, legalcode_url=mark, version="1.0",
            permits=_ALL_USES, selectable=True,
        ),
        License(
            id=ALL_RIGHTS_RESERVED, slug="arr", name="All rights reserved",
            title="All rights reserved", url="", legalcode_url="", version="", selectable=True,
        ),
    )  # fmt: skip


@cache
def _catalogue() -> tuple[License, ...]:
    """Build the catalogue once: families newest version first, then PD tools and ARR."""
    unported = tuple(
        _cc_license(slug, version) for slug in _TERMS for version in reversed(VERSIONS)
    )
    return unported + _special_tools()


@cache
def _by_id() -> dict[str, License]:
    return {lic.id: lic for lic in _catalogue()}


@cache
def _by_folded_id() -> dict[str, License]:
    return {lic.id.casefold(): lic for lic in _catalogue()}


@cache
def _by_slug() -> dict[str, tuple[License, ...]]:
    families: dict[str, list[License]] = {}
    for lic in _catalogue():
        families.setdefault(lic.slug, []).append(lic)
    return {slug: tuple(members) for slug, members in families.items()}


@cache
def _by_path() -> dict[tuple[str, str, str], License]:
    """Index CC tools by (category, unit, version) parsed from their own deed URLs."""
    index = {}
    for lic in _catalogue():
        if lic.is_cc:
            category, unit, version = urlsplit(lic.url).path.strip("/").split("/")
            index[(category, unit, version)] = lic
    return index


def get(license_id: str) -> License:
    """Return the license with exactly this id, or raise UnknownLicense."""
    try:
        return _by_id()[license_id]
    except (KeyError, TypeError):
        raise UnknownLicense(f"Unknown license id {license_id!r}. {_HOW_TO_FIND}.") from None


def all_licenses() -> list[License]:
    """Return every catalogued tool, each family newest version first."""
    return list(_catalogue())


def selectable() -> list[License]:
    """Return the tools offered for new uploads (4.0, CC0, PDM, all rights reserved)."""
    return [lic for lic in _catalogue() if lic.selectable]


def family(slug: str) -> list[License]:
    """Return every version of one family (`by-sa`, `cc0`, ...), newest first."""
    try:
        return list(_by_slug()[slug])
    except (KeyError, TypeError):
        families = ", ".join(_by_slug())
        raise UnknownLicense(f"Unknown license family {slug!r}; use one of {families}.") from None


def resolve(ids_or_slugs: Iterable[str] | str) -> set[str]:
    """Return the ids named by license ids (any case) and family slugs; a str is split on commas."""
    items = ids_or_slugs.split(",") if isinstance(ids_or_slugs, str) else ids_or_slugs
    resolved: set[str] = set()
    for item in items:
        key = str(item).strip().casefold()
        if not key:
            continue
        if key in _by_slug():
            resolved.update(lic.id for lic in _by_slug()[key])
        elif key in _by_folded_id():
            resolved.add(_by_folded_id()[key].id)
        else:
            families = ", ".join(_by_slug())
            raise UnknownLicense(
                f"Unknown license {item!r}. {_HOW_TO_FIND}; family slugs are {families}."
            )
    return resolved


def _normalise_url(url: str) -> str:
    """Give a scheme to bare or scheme-relative URLs so urlsplit finds the host."""
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    if "://" not in url:
        return "https://" + url
    return url


def from_url(url: str) -> License | None:
    """Return the unported tool a CC deed/legalcode/rdf URL names, or None (ports, others)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(_normalise_url(url))
    except ValueError:
        return None
    host = (parts.hostname or "").removeprefix("www.")
    if parts.scheme.lower() not in {"http", "https"} or host != "creativecommons.org":
        return None
    segments = [s for s in parts.path.lower().split("/") if s]
    if len(segments) < 3:
        return None
    rest = segments[3:]
    # A fourth segment that is not a deed/legalcode/rdf page is a jurisdiction: a ported tool.
    if rest and not rest[0].startswith(("deed", "legalcode", "rdf")):
        return None
    return _by_path().get((segments[0], segments[1], segments[2]))


def groups() -> dict[str, frozenset[str]]:
    """Return Openverse-style `license_type` groups, each a set of ids derived from the flags."""
    licenses = _catalogue()
    return {
        "commercial": frozenset(lic.id for lic in licenses if lic.allows_commercial_use),
        "modification": frozenset(lic.id for lic in licenses if lic.allows_modification),
        "all-cc": frozenset(lic.id for lic in licenses if lic.is_cc),
    }


def resolve_types(names: Iterable[str] | str) -> set[str]:
    """Return the ids in every named group (all must hold); a str is split on commas."""
    items = names.split(",") if isinstance(names, str) else names
    known = groups()
    resolved = {lic.id for lic in _catalogue()}
    for item in items:
        name = str(item).strip().lower()
        if not name:
            continue
        if name not in known:
            choices = ", ".join(known)
            raise UnknownLicense(f"Unknown license type {item!r}; use one of {choices}.")
        resolved &= known[name]
    return resolved


def choose(*, adaptations: str, commercial: bool, public_domain: bool = False) -> License:
    """Return the tool CC's chooser recommends: CC0 to waive rights, else a 4.0 license."""
    if adaptations not in ADAPTATION_CHOICES:
        choices = ", ".join(repr(choice) for choice in ADAPTATION_CHOICES)
        raise ValueError(f"adaptations must be one of {choices}, not {adaptations!r}.")
    if public_domain:
        return get("CC0-1.0")
    return next(
        lic
        for lic in selectable()
        if lic.version == CURRENT_VERSION
        and lic.requires_attribution
        and lic.allows_commercial_use == bool(commercial)
        and lic.allows_modification == (adaptations != "no")
        and lic.is_share_alike == (adaptations == "sharealike")
    )


def _as_license(value: License | str) -> License:
    return value if isinstance(value, License) else get(value)


def is_more_restrictive(old: License | str, new: License | str) -> bool:
    """Tell whether moving from `old` to `new` withdraws or conditions something `old` allowed."""
    old, new = _as_license(old), _as_license(new)
    if set(old.permits) - set(new.permits):
        return True
    # New conditions only restrict a use that both tools permit (ARR -> BY restricts nothing).
    still_permitted = set(old.permits) & set(new.permits)
    added_conditions = (set(new.requires) - set(old.requires)) | (
        set(new.prohibits) - set(old.prohibits)
    )
    return bool(still_permitted and added_conditions)

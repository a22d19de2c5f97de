"""License compatibility: adapting, combining and collecting works, and album policies.

Pure functions on catalogue records, following licensing.md §6 (CC's FAQ charts and the 3.0/4.0
ShareAlike clauses). Every answer is a `Verdict` whose reason is a sentence a person can read,
because the license chooser and the album forms show it as is.

Decisions the charts leave open (see also the tests):
- The adapter's chart (§6.1) has cells CC allows but "does not recommend" (e.g. CC BY for an
  adaptation of a BY-NC work). `can_license_adaptation` reports them as allowed but not
  recommended; the chooser (`adaptation_licenses`) refuses them unless asked not to, so the
  license shown on an adaptation never suggests freedoms its sources withhold.
- The Public Domain Mark labels works already free of copyright; an adaptation carries its
  adapter's new contribution, so it is never offered for one (CC0 waives that contribution).
- "All rights reserved" sources cannot be adapted or collected here: only their owner can, and
  the owner check belongs to the caller. As an adapter's choice it is as strict as NC terms.
- Compatible non-CC licenses for BY-SA 4.0 (GPLv3, Free Art License 1.3) and ported licenses
  are not in the catalogue, so they are never candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from licensing import catalogue
from licensing.catalogue import License

COMMERCIAL = "commercial"
NONCOMMERCIAL = "noncommercial"
COLLECTION_POLICIES = (COMMERCIAL, NONCOMMERCIAL)

# What each Openverse-style type asks for, and how a work falls short of it.
_TYPE_WORDING = {
    "commercial": ("licenses that allow commercial use", "does not"),
    "modification": ("licenses that allow adaptations", "does not"),
    "all-cc": ("Creative Commons licenses and public-domain tools", "is not one"),
}


@dataclass(frozen=True)
class Verdict:
    """An answer to "may I?", with the sentence that explains it."""

    allowed: bool
    reason: str
    # False for what CC allows but advises against (the "y" cells of licensing.md §6.1).
    recommended: bool = True

    def __bool__(self) -> bool:
        return self.allowed


def _yes(reason: str) -> Verdict:
    return Verdict(allowed=True, reason=reason)


def _no(reason: str) -> Verdict:
    return Verdict(allowed=False, reason=reason, recommended=False)


def _discouraged(reason: str) -> Verdict:
    return Verdict(allowed=True, reason=reason, recommended=False)


def _units(lic: License) -> str:
    """Return the element abbreviation CC uses in prose, e.g. 'BY-NC-SA'."""
    return lic.slug.upper()


def _version_rank(lic: License) -> int:
    return catalogue.VERSIONS.index(lic.version)


def can_adapt(source: License) -> Verdict:
    """Tell whether this work may be adapted and the adaptation shared."""
    if not source.is_cc:
        return _no(f"{source.name}: only the owner of this work may adapt it.")
    if not source.allows_modification:
        if source.version == catalogue.CURRENT_VERSION:
            return _no(
                f"{source.name} does not allow sharing adaptations; "
                "they may only be made for private use."
            )
        return _no(f"{source.name} does not allow adaptations.")
    if source.is_share_alike:
        return _yes(_share_alike_rule(source))
    if source.is_public_domain:
        return _yes(f"{source.name} lets anyone adapt this work without conditions.")
    if not source.allows_commercial_use:
        return _yes(f"{source.name} allows adaptations for non-commercial use, with credit.")
    return _yes(f"{source.name} allows adaptations, with credit.")


def _share_alike_rule(source: License) -> str:
    """Say which licenses a ShareAlike source accepts for its adaptations (§6.3)."""
    if source.version == "1.0":
        # 1.0 had no "or later version" clause: the same license only.
        return f"{source.name} requires adaptations to use {source.name} itself."
    return (
        f"{source.name} requires adaptations to use {source.name} "
        f"or a later {_units(source)} version."
    )


def _share_alike_accepts(source: License, candidate: License) -> bool:
    """Tell whether a ShareAlike source accepts this license for its adaptations."""
    if candidate.slug != source.slug:
        return False
    if source.version == "1.0":
        return candidate.version == source.version
    return _version_rank(candidate) >= _version_rank(source)


def can_license_adaptation(source: License, candidate: License) -> Verdict:
    """Tell whether an adaptation of one work may be released under `candidate` (§6.1)."""
    adaptable = can_adapt(source)
    if not adaptable:
        return adaptable
    if candidate.slug == "pdm":
        return _no(
            "The Public Domain Mark is only for works already free of copyright; "
            "use CC0 1.0 to waive your rights in an adaptation."
        )
    if source.is_share_alike:
        if _share_alike_accepts(source, candidate):
            return _yes(f"{candidate.name} meets the ShareAlike terms of {source.name}.")
        return _no(_share_alike_rule(source))
    if source.is_public_domain:
        return _yes(f"{source.name} imposes no conditions on adaptations.")
    return _attribution_only_verdict(source, candidate)


def _attribution_only_verdict(source: License, candidate: License) -> Verdict:
    """Apply the BY and BY-NC rows of the adapter's chart."""
    if not source.allows_commercial_use and candidate.allows_commercial_use:
        return _discouraged(
            f"{source.name} forbids commercial use of the original, so CC advises "
            f"a NonCommercial license rather than {candidate.name} for its adaptations."
        )
    if candidate.is_public_domain:
        return _discouraged(
            f"{source.name} still requires credit for the original, so CC advises against "
            f"dedicating its adaptations with {candidate.name}."
        )
    return _yes(f"{candidate.name} may be used for adaptations of {source.name}.")


def _pair_refusal(a: License, b: License) -> Verdict | None:
    """Apply the combination chart (§6.2) to two adaptable works; None if they may combine."""
    if a.slug == "by-sa":
        a, b = b, a
    if b.slug != "by-sa" or a.allows_commercial_use:
        return None
    if a.is_share_alike:
        return _no(
            f"{a.name} and {b.name} each require adaptations to use their own license, "
            "so they cannot be combined."
        )
    return _no(
        f"{b.name} requires adaptations to allow commercial use and {a.name} forbids it, "
        "so they cannot be combined."
    )


def _fits_all(sources: Sequence[License], candidate: License) -> bool:
    return all(
        (verdict := can_license_adaptation(source, candidate)) and verdict.recommended
        for source in sources
    )


def can_combine(sources: Sequence[License]) -> Verdict:
    """Tell whether these works may be combined into one adaptation at all (§6.2)."""
    if not sources:
        raise ValueError("An adaptation needs at least one source.")
    for source in sources:
        if not (adaptable := can_adapt(source)):
            return adaptable
    for a, b in combinations(sources, 2):
        # A refusal is a falsy Verdict, hence `is not None`.
        if (refusal := _pair_refusal(a, b)) is not None:
            return refusal
    if not any(_fits_all(sources, lic) for lic in catalogue.all_licenses()):
        # Only ShareAlike versions can clash here, e.g. BY-SA 1.0 with BY-SA 2.0.
        names = " and ".join(sorted({s.name for s in sources if s.is_share_alike}))
        return _no(f"No license version meets the ShareAlike terms of {names} together.")
    if len(sources) == 1:
        return can_adapt(sources[0])
    return _yes("These works may be combined into one adaptation.")


def _verdict_for_all(
    sources: Sequence[License], candidate: License, *, allow_discouraged: bool
) -> Verdict:
    """Tell whether `candidate` meets the terms of every source of one adaptation."""
    verdicts = [can_license_adaptation(source, candidate) for source in sources]
    refused = next((v for v in verdicts if not v), None)
    if refused is not None:
        return refused
    discouraged = next((v for v in verdicts if not v.recommended), None)
    if discouraged is not None:
        return discouraged if allow_discouraged else _no(discouraged.reason)
    if len(verdicts) == 1:
        return verdicts[0]
    return _yes(f"{candidate.name} meets the terms of every source.")


def adaptation_licenses(
    sources: Sequence[License],
    *,
    candidates: Iterable[License] | None = None,
    allow_discouraged: bool = False,
) -> dict[str, Verdict]:
    """Return, per candidate id, whether an adaptation of all `sources` may use that license."""
    candidates = catalogue.selectable() if candidates is None else list(candidates)
    combinable = can_combine(sources)
    if not combinable:
        return {candidate.id: combinable for candidate in candidates}
    return {
        candidate.id: _verdict_for_all(sources, candidate, allow_discouraged=allow_discouraged)
        for candidate in candidates
    }


def can_collect(work: License, *, collection_policy: str = NONCOMMERCIAL) -> Verdict:
    """Tell whether a work may be shown, unmodified, in a collection such as an album (§6.4)."""
    if collection_policy not in COLLECTION_POLICIES:
        choices = ", ".join(repr(policy) for policy in COLLECTION_POLICIES)
        raise ValueError(f"collection_policy must be one of {choices}, not {collection_policy!r}.")
    if not work.is_cc:
        return _no(f"{work.name}: only the owner of this work may add it to a collection.")
    if collection_policy == COMMERCIAL and not work.allows_commercial_use:
        return _no(
            f"{work.name} does not allow commercial use, so it cannot be part of "
            "a commercial collection."
        )
    return _yes(f"{work.name} may be included in this collection, keeping its own license.")


def _describe_licenses(ids: set[str]) -> str:
    """Name a set of license ids as briefly as possible, whole families by their slug."""
    parts: list[str] = []
    for slug in dict.fromkeys(lic.slug for lic in catalogue.all_licenses()):
        members = catalogue.family(slug)
        chosen = [lic for lic in members if lic.id in ids]
        if len(chosen) == len(members) > 1:
            parts.append(f"CC {slug.upper()} (any version)")
        else:
            parts.extend(lic.name for lic in chosen)
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} or {parts[-1]}"


def satisfies_policy(
    work: License,
    *,
    licenses: set[str] | None = None,
    license_types: set[str] | None = None,
) -> Verdict:
    """Tell whether a work meets an album's license policy (ids/family slugs and/or types)."""
    if licenses:
        accepted = catalogue.resolve(licenses)
        if work.id not in accepted:
            return _no(
                f"This album accepts only {_describe_licenses(accepted)}; "
                f"{work.name} is not one of them."
            )
    for name in sorted(license_types or ()):
        if work.id not in catalogue.resolve_types([name]):
            wanted, falls_short = _TYPE_WORDING[name.strip().lower()]
            return _no(f"This album accepts only {wanted}; {work.name} {falls_short}.")
    if licenses or license_types:
        return _yes(f"{work.name} meets this album's license policy.")
    return _yes("This album accepts any license.")

"""Template helpers: the license chooser and license badges."""

from __future__ import annotations

from django import template

from licensing import catalogue
from licensing.plain import IRREVOCABLE, summary

register = template.Library()


def describe(lic: catalogue.License) -> dict:
    """Return what the chooser script needs to know about one license."""
    return {
        "id": lic.id,
        "name": lic.name,
        "title": lic.title,
        "url": lic.url,
        "icons": lic.icons,
        "commercial": lic.allows_commercial_use,
        "adaptations": "sharealike"
        if lic.is_share_alike
        else ("yes" if lic.allows_modification else "no"),
        "cc": lic.is_cc and not lic.is_public_domain,
        "summary": summary(lic),
    }


@register.inclusion_tag("licensing/_chooser.html")
def license_chooser(field, disabled: dict | None = None) -> dict:
    """Render the CC-style chooser that drives a license <select>."""
    ids = [value for value, _ in field.field.choices]
    return {
        "field": field,
        "licenses": {i: describe(catalogue.get(i)) for i in ids},
        "disabled": disabled or {},
        "irrevocable": IRREVOCABLE,
    }


@register.inclusion_tag("licensing/_badge.html")
def license_badge(license_id: str) -> dict:
    """Render a small license badge with icons, linked to the deed."""
    return {"license": catalogue.get(license_id)}


@register.simple_tag
def license_summary(license_id: str) -> str:
    """Return the plain-language summary of a license."""
    return summary(catalogue.get(license_id))

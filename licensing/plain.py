"""Plain-language summaries of licenses, for choosers and reusers (no Django here)."""

from __future__ import annotations

from licensing.catalogue import License

IRREVOCABLE = (
    "Creative Commons licenses cannot be withdrawn: anyone who obtained a copy while this "
    "license applied may keep using it under these terms, even if you change the license later."
)


def summary(lic: License) -> str:
    """Say in one or two sentences what others may do with a work under this license."""
    if lic.id == "CC0-1.0":
        return (
            "You give up your copyright: anyone may copy, change and use the photo for any "
            "purpose, without asking and without credit (credit is still welcome)."
        )
    if lic.id == "CC-PDM-1.0":
        return "Marks a work already free of known copyright: anyone may use it for any purpose."
    if not lic.is_cc:
        return "You keep every right: others need your permission for any reuse."
    may = "copy and share" + (" and adapt" if lic.allows_modification else "")
    purpose = (
        "for any purpose, even commercially"
        if lic.allows_commercial_use
        else ("for non-commercial purposes only")
    )
    conditions = ["they credit you"]
    if lic.is_share_alike:
        conditions.append("share adaptations under the same license")
    text = f"Others may {may} the photo {purpose}, as long as {' and '.join(conditions)}."
    if not lic.allows_modification:
        text += " They may not share adapted versions."
    return text

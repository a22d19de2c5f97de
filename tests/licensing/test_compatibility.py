import ast
from pathlib import Path

import pytest

from licensing import catalogue, compatibility
from licensing.compatibility import (
    Verdict,
    adaptation_licenses,
    can_adapt,
    can_collect,
    can_combine,
    can_license_adaptation,
    satisfies_policy,
)

ALL = catalogue.all_licenses()
CC_SOURCE_VERSIONS = ("2.0", "2.5", "3.0", "4.0")  # 1.0 ShareAlike is stricter: see §6.3 tests.


def lic(license_id):
    return catalogue.get(license_id)


def expand(label, version="4.0"):
    """Return the catalogue ids a chart label stands for, CC families at `version`."""
    special = {
        "PD (CC0/PDM)": ["CC0-1.0", "CC-PDM-1.0"],
        "PDM/CC0": ["CC0-1.0", "CC-PDM-1.0"],
        "PD (CC0)": ["CC0-1.0"],
        "PD": ["CC0-1.0", "CC-PDM-1.0"],
    }
    if label in special:
        return special[label]
    return [f"CC-{part.strip()}-{version}" for part in label.replace("/", ",").split(",")]


# --- licensing.md §6.1: adapter's licence for a derivative of ONE work (CC FAQ chart) ------------
# ✓ = allowed/recommended, y = allowed but CC doesn't recommend, ✗ = no.
ADAPTER_COLUMNS = ("BY", "BY-SA", "BY-NC", "BY-NC-SA", "BY-ND", "BY-NC-ND", "PD (CC0)")
ADAPTER_CHART = {
    "PD (CC0/PDM)": ("✓", "✓", "✓", "✓", "✓", "✓", "✓"),
    "BY": ("✓", "✓", "✓", "✓", "✓", "✓", "y"),
    "BY-SA": ("✗", "✓", "✗", "✗", "✗", "✗", "✗"),
    "BY-NC": ("y", "y", "✓", "✓", "y", "✓", "y"),
    "BY-NC-SA": ("✗", "✗", "✗", "✓", "✗", "✗", "✗"),
    "BY-ND, BY-NC-ND": ("✗", "✗", "✗", "✗", "✗", "✗", "✗"),
}

ADAPTER_CELLS = [
    pytest.param(source_id, candidate_id, mark, id=f"{source_id}->{candidate_id}")
    for row, marks in ADAPTER_CHART.items()
    for version in CC_SOURCE_VERSIONS
    for source_id in expand(row, version)
    for column, mark in zip(ADAPTER_COLUMNS, marks, strict=True)
    for candidate_id in expand(column)
]
# PD rows have no version: drop the duplicates the version loop made.
ADAPTER_CELLS = list({cell.id: cell for cell in ADAPTER_CELLS}.values())


def test_adapter_chart_expands_to_every_cell():
    # 7 columns x (2 PD + 4 versions x (BY, BY-SA, BY-NC, BY-NC-SA, BY-ND, BY-NC-ND)).
    assert len(ADAPTER_CELLS) == 7 * (2 + 4 * 6)


@pytest.mark.parametrize(("source_id", "candidate_id", "mark"), ADAPTER_CELLS)
def test_adapter_chart_cell(source_id, candidate_id, mark):
    verdict = can_license_adaptation(lic(source_id), lic(candidate_id))
    assert (verdict.allowed, verdict.recommended) == {
        "✓": (True, True),
        "y": (True, False),
        "✗": (False, False),
    }[mark]
    assert verdict.reason.endswith(".")


@pytest.mark.parametrize(("source_id", "candidate_id", "mark"), ADAPTER_CELLS)
def test_license_chooser_offers_only_recommended_cells_unless_asked(source_id, candidate_id, mark):
    source, candidate = lic(source_id), lic(candidate_id)
    strict = adaptation_licenses([source], candidates=[candidate])[candidate_id]
    lenient = adaptation_licenses([source], candidates=[candidate], allow_discouraged=True)
    assert strict.allowed is (mark == "✓")
    assert lenient[candidate_id].allowed is (mark != "✗")
    if not strict:
        assert strict.reason


def test_adapting_a_noncommercial_work_under_by_explains_the_advice():
    verdict = adaptation_licenses([lic("CC-BY-NC-4.0")])["CC-BY-4.0"]
    assert verdict == Verdict(
        allowed=False,
        reason=(
            "CC BY-NC 4.0 forbids commercial use of the original, so CC advises a "
            "NonCommercial license rather than CC BY 4.0 for its adaptations."
        ),
        recommended=False,
    )


def test_dedicating_an_adaptation_of_a_by_work_with_cc0_is_discouraged_for_credit():
    verdict = can_license_adaptation(lic("CC-BY-4.0"), lic("CC0-1.0"))
    assert verdict.allowed and not verdict.recommended
    assert "requires credit" in verdict.reason


@pytest.mark.parametrize("source", ALL, ids=lambda s: s.id)
def test_public_domain_mark_is_never_offered_for_an_adaptation(source):
    verdict = can_license_adaptation(source, lic("CC-PDM-1.0"))
    assert not verdict
    assert verdict.reason


@pytest.mark.parametrize(
    ("source_id", "allowed"),
    [
        ("CC0-1.0", True),
        ("CC-PDM-1.0", True),
        ("CC-BY-4.0", True),
        ("CC-BY-NC-4.0", True),  # ARR keeps more than NC does, so it misleads nobody.
        ("CC-BY-SA-4.0", False),
        ("CC-BY-NC-SA-4.0", False),
        ("CC-BY-ND-4.0", False),
    ],
)
def test_adapter_may_keep_all_rights_where_no_sharealike_applies(source_id, allowed):
    verdict = can_license_adaptation(lic(source_id), lic("all-rights-reserved"))
    assert verdict.allowed is allowed


# --- can_adapt ---------------------------------------------------------------------------------


@pytest.mark.parametrize("work", ALL, ids=lambda w: w.id)
def test_a_work_is_adaptable_exactly_when_its_license_permits_derivative_works(work):
    verdict = can_adapt(work)
    assert verdict.allowed is work.allows_modification
    assert verdict.reason.endswith(".")


@pytest.mark.parametrize(
    ("work_id", "reason"),
    [
        ("CC-BY-ND-3.0", "CC BY-ND 3.0 does not allow adaptations."),
        (
            "CC-BY-ND-4.0",
            "CC BY-ND 4.0 does not allow sharing adaptations; "
            "they may only be made for private use.",
        ),
        (
            "CC-BY-NC-ND-1.0",
            "CC BY-ND-NC 1.0 does not allow adaptations.",
        ),
        ("all-rights-reserved", "All rights reserved: only the owner of this work may adapt it."),
    ],
)
def test_refusal_to_adapt_names_the_license(work_id, reason):
    assert can_adapt(lic(work_id)) == Verdict(allowed=False, reason=reason, recommended=False)


def test_verdict_is_truthy_exactly_when_allowed():
    assert Verdict(allowed=True, reason="Yes.")
    assert not Verdict(allowed=False, reason="No.")


# --- licensing.md §6.2: can two works be combined into ONE adaptation? (CC chart) -----------------
COMBINE_COLUMNS = ("PDM/CC0", "BY", "BY-SA", "BY-NC", "BY-NC-SA", "BY-ND / BY-NC-ND")
COMBINE_CHART = {
    "PDM/CC0, BY": ("✓", "✓", "✓", "✓", "✓", "✗"),
    "BY-SA": ("✓", "✓", "✓", "✗", "✗", "✗"),
    "BY-NC": ("✓", "✓", "✗", "✓", "✓", "✗"),
    "BY-NC-SA": ("✓", "✓", "✗", "✓", "✓", "✗"),
}


COMBINE_CELLS = [
    pytest.param(a, b, mark, id=f"{a}+{b}")
    for row, marks in COMBINE_CHART.items()
    for a in [i for label in row.split(", ") for i in expand(label)]
    for column, mark in zip(COMBINE_COLUMNS, marks, strict=True)
    for b in expand(column)
]


def test_combination_chart_expands_to_every_cell():
    # Rows: 3 ids + 3 single families; columns: 2 + 1 + 1 + 1 + 1 + 2 ids.
    assert len(COMBINE_CELLS) == (3 + 3) * 8


@pytest.mark.parametrize(("a", "b", "mark"), COMBINE_CELLS)
def test_combination_chart_cell_in_both_orders(a, b, mark):
    for pair in ([lic(a), lic(b)], [lic(b), lic(a)]):
        verdict = can_combine(pair)
        assert verdict.allowed is (mark == "✓")
        assert verdict.reason.endswith(".")


@pytest.mark.parametrize(
    ("a", "b"),
    [(x.id, y.id) for x in ALL for y in ALL if x.version in ("", "1.0", "4.0")],
)
def test_works_combine_exactly_when_some_license_fits_every_source(a, b):
    sources = [lic(a), lic(b)]
    fits = any(all(adaptation_licenses([s], candidates=[c])[c.id] for s in sources) for c in ALL)
    assert can_combine(sources).allowed is fits


@pytest.mark.parametrize(
    ("sources", "reason"),
    [
        (
            ["CC-BY-SA-4.0", "CC-BY-NC-4.0"],
            "CC BY-SA 4.0 requires adaptations to allow commercial use and CC BY-NC 4.0 "
            "forbids it, so they cannot be combined.",
        ),
        (
            ["CC-BY-NC-SA-4.0", "CC-BY-SA-4.0"],
            "CC BY-NC-SA 4.0 and CC BY-SA 4.0 each require adaptations to use their own "
            "license, so they cannot be combined.",
        ),
        (["CC-BY-4.0", "CC-BY-ND-4.0"], can_adapt(catalogue.get("CC-BY-ND-4.0")).reason),
    ],
)
def test_refusal_to_combine_explains_the_clash(sources, reason):
    assert can_combine([lic(i) for i in sources]).reason == reason


def test_combining_with_an_unadaptable_work_refuses_every_candidate_with_its_reason():
    result = adaptation_licenses([lic("CC-BY-4.0"), lic("all-rights-reserved")])
    assert set(result) == {c.id for c in catalogue.selectable()}
    assert {v.reason for v in result.values()} == {
        "All rights reserved: only the owner of this work may adapt it."
    }
    assert not any(result.values())


def test_an_adaptation_needs_a_source():
    with pytest.raises(ValueError, match="at least one source"):
        can_combine([])
    with pytest.raises(ValueError, match="at least one source"):
        adaptation_licenses([])


def allowed_ids(sources):
    return {i for i, v in adaptation_licenses([lic(s) for s in sources]).items() if v}


NC_FAMILY = {"CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0"}


# §6.2 "Result licence": the most restrictive input allowed by §6.1.
@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["CC-BY-4.0", "CC-BY-NC-4.0"], NC_FAMILY | {"all-rights-reserved"}),
        (["CC0-1.0", "CC-BY-SA-4.0"], {"CC-BY-SA-4.0"}),
        (["CC-PDM-1.0", "CC-BY-SA-4.0"], {"CC-BY-SA-4.0"}),
        (["CC-BY-4.0", "CC-BY-SA-4.0"], {"CC-BY-SA-4.0"}),
        (["CC0-1.0", "CC-BY-NC-SA-4.0"], {"CC-BY-NC-SA-4.0"}),
        (["CC-BY-4.0", "CC-BY-NC-SA-4.0"], {"CC-BY-NC-SA-4.0"}),
        (["CC-BY-NC-4.0", "CC-BY-NC-SA-4.0"], {"CC-BY-NC-SA-4.0"}),
        (["CC0-1.0", "CC-PDM-1.0"], {c.id for c in catalogue.selectable()} - {"CC-PDM-1.0"}),
        (["CC-BY-SA-4.0", "CC-BY-NC-4.0"], set()),
        (["CC-BY-4.0", "CC-BY-NC-4.0", "CC-BY-SA-4.0"], set()),
    ],
)
def test_combined_adaptation_takes_the_most_restrictive_source_terms(sources, expected):
    assert allowed_ids(sources) == expected


def test_every_refused_candidate_in_a_combination_gives_a_reason():
    result = adaptation_licenses([lic("CC-BY-4.0"), lic("CC-BY-NC-4.0")])
    assert result["CC-BY-SA-4.0"].reason.startswith("CC BY-NC 4.0 forbids commercial use")
    assert result["CC-BY-NC-4.0"].reason == "CC BY-NC 4.0 meets the terms of every source."


# --- licensing.md §6.3: ShareAlike versions ------------------------------------------------------
SHARE_ALIKE_CASES = [
    # (source, candidate, allowed): "this version or later"; 1.0 only itself; one-way BY -> BY-SA.
    ("CC-BY-SA-1.0", "CC-BY-SA-1.0", True),
    ("CC-BY-SA-1.0", "CC-BY-SA-2.0", False),
    ("CC-BY-SA-1.0", "CC-BY-SA-4.0", False),
    ("CC-BY-SA-2.0", "CC-BY-SA-2.5", True),
    ("CC-BY-SA-2.0", "CC-BY-SA-4.0", True),
    ("CC-BY-SA-2.5", "CC-BY-SA-2.0", False),
    ("CC-BY-SA-3.0", "CC-BY-SA-4.0", True),
    ("CC-BY-SA-3.0", "CC-BY-SA-3.0", True),
    ("CC-BY-SA-4.0", "CC-BY-SA-3.0", False),
    ("CC-BY-SA-4.0", "CC-BY-SA-4.0", True),
    ("CC-BY-NC-SA-1.0", "CC-BY-NC-SA-1.0", True),
    ("CC-BY-NC-SA-1.0", "CC-BY-NC-SA-4.0", False),
    ("CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0", True),
    ("CC-BY-NC-SA-4.0", "CC-BY-NC-SA-2.5", False),
    ("CC-BY-SA-4.0", "CC-BY-NC-SA-4.0", False),
    ("CC-BY-NC-SA-4.0", "CC-BY-SA-4.0", False),
    ("CC-BY-4.0", "CC-BY-SA-4.0", True),
    ("CC-BY-SA-4.0", "CC-BY-4.0", False),
]


@pytest.mark.parametrize(("source", "candidate", "allowed"), SHARE_ALIKE_CASES)
def test_sharealike_version_rule(source, candidate, allowed):
    verdict = can_license_adaptation(lic(source), lic(candidate))
    assert verdict.allowed is allowed
    assert verdict.recommended is allowed


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (
            "CC-BY-SA-4.0",
            "CC BY-SA 4.0 requires adaptations to use CC BY-SA 4.0 or a later BY-SA version.",
        ),
        (
            "CC-BY-NC-SA-3.0",
            "CC BY-NC-SA 3.0 requires adaptations to use CC BY-NC-SA 3.0 "
            "or a later BY-NC-SA version.",
        ),
        ("CC-BY-SA-1.0", "CC BY-SA 1.0 requires adaptations to use CC BY-SA 1.0 itself."),
    ],
)
def test_sharealike_refusal_names_the_versions_accepted(source, reason):
    assert adaptation_licenses([lic(source)])["CC-BY-4.0"].reason == reason


def test_old_sharealike_sources_adapt_into_the_current_version():
    assert allowed_ids(["CC-BY-SA-2.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0"]) == {"CC-BY-SA-4.0"}


def test_sharealike_1_0_cannot_meet_a_later_sharealike_source():
    verdict = can_combine([lic("CC-BY-SA-1.0"), lic("CC-BY-SA-2.0")])
    assert verdict == Verdict(
        allowed=False,
        reason=(
            "No license version meets the ShareAlike terms of CC BY-SA 1.0 and "
            "CC BY-SA 2.0 together."
        ),
        recommended=False,
    )
    assert not any(adaptation_licenses([lic("CC-BY-SA-1.0")]).values())


# --- licensing.md §6.4: collections / albums -----------------------------------------------------
# Item licence -> (in a commercial collection, in a non-commercial collection).
COLLECTION_CHART = {
    "PD": ("✓", "✓"),
    "BY, BY-SA, BY-ND": ("✓", "✓"),
    "BY-NC, BY-NC-SA, BY-NC-ND": ("✗", "✓"),
}
COLLECTION_CELLS = [
    pytest.param(work_id, policy, mark, id=f"{work_id}-in-{policy}")
    for row, marks in COLLECTION_CHART.items()
    for version in catalogue.VERSIONS
    for work_id in expand(row, version)
    for policy, mark in zip(("commercial", "noncommercial"), marks, strict=True)
]
COLLECTION_CELLS = list({cell.id: cell for cell in COLLECTION_CELLS}.values())


def test_collection_chart_covers_every_cc_tool_in_both_kinds_of_collection():
    assert len(COLLECTION_CELLS) == 2 * (len(ALL) - 1)


@pytest.mark.parametrize(("work_id", "policy", "mark"), COLLECTION_CELLS)
def test_collection_chart_cell(work_id, policy, mark):
    verdict = can_collect(lic(work_id), collection_policy=policy)
    assert verdict.allowed is (mark == "✓")
    assert verdict.reason.endswith(".")


def test_noncommercial_work_refused_from_commercial_collection_says_why():
    assert can_collect(lic("CC-BY-NC-4.0"), collection_policy="commercial").reason == (
        "CC BY-NC 4.0 does not allow commercial use, so it cannot be part of a commercial "
        "collection."
    )


def test_no_derivatives_work_may_appear_unmodified_in_a_commercial_album():
    assert can_collect(lic("CC-BY-ND-4.0"), collection_policy="commercial")


@pytest.mark.parametrize("policy", compatibility.COLLECTION_POLICIES)
def test_all_rights_reserved_work_is_left_to_its_owner(policy):
    verdict = can_collect(lic("all-rights-reserved"), collection_policy=policy)
    assert not verdict
    assert "only the owner" in verdict.reason


def test_unknown_collection_policy_is_refused_loudly():
    with pytest.raises(ValueError, match="'commercial', 'noncommercial'"):
        can_collect(lic("CC-BY-4.0"), collection_policy="public")


# --- album license policies ----------------------------------------------------------------------
POLICY_CASES = [
    # (work, licenses, license_types, expected reason; None = accepted)
    ("CC-BY-NC-4.0", None, None, None),
    ("all-rights-reserved", set(), set(), None),
    ("CC-BY-4.0", {"CC-BY-4.0"}, None, None),
    ("CC-BY-SA-2.0", {"by-sa"}, None, None),
    # Ids match case-insensitively but exactly: a 4.0 policy does not take 2.0.
    ("CC-BY-SA-2.0", {"cc-by-sa-4.0"}, None, "CC BY-SA 2.0 is not one of them."),
    ("CC-BY-4.0", None, {"commercial"}, None),
    ("CC0-1.0", None, {"commercial", "modification"}, None),
    ("CC-BY-SA-4.0", {"by-sa", "cc0"}, {"commercial", "modification"}, None),
    (
        "CC-BY-NC-4.0",
        None,
        {"commercial"},
        "This album accepts only licenses that allow commercial use; CC BY-NC 4.0 does not.",
    ),
    (
        "CC-BY-ND-4.0",
        None,
        {"modification"},
        "This album accepts only licenses that allow adaptations; CC BY-ND 4.0 does not.",
    ),
    (
        "all-rights-reserved",
        None,
        {"all-cc"},
        "This album accepts only Creative Commons licenses and public-domain tools; "
        "All rights reserved is not one.",
    ),
    (
        "CC-BY-NC-4.0",
        {"CC-BY-4.0", "by-sa"},
        None,
        "This album accepts only CC BY 4.0 or CC BY-SA (any version); "
        "CC BY-NC 4.0 is not one of them.",
    ),
    (
        "CC-BY-3.0",
        {"cc-by-4.0", "CC0-1.0", "cc-pdm-1.0"},
        None,
        "This album accepts only CC BY 4.0, CC0 1.0 or Public Domain Mark 1.0; "
        "CC BY 3.0 is not one of them.",
    ),
    (
        "CC-BY-NC-4.0",
        {"by-nc"},
        {"commercial"},
        "This album accepts only licenses that allow commercial use; CC BY-NC 4.0 does not.",
    ),
]


@pytest.mark.parametrize(("work_id", "licenses", "types", "reason"), POLICY_CASES)
def test_album_license_policy(work_id, licenses, types, reason):
    verdict = satisfies_policy(lic(work_id), licenses=licenses, license_types=types)
    assert verdict.allowed is (reason is None)
    assert verdict.reason
    if reason is not None:
        assert reason in verdict.reason


@pytest.mark.parametrize("work", ALL, ids=lambda w: w.id)
@pytest.mark.parametrize("kind", ["commercial", "modification", "all-cc"])
def test_type_policy_agrees_with_the_catalogue_groups(work, kind):
    verdict = satisfies_policy(work, licenses=None, license_types={kind})
    assert verdict.allowed is (work.id in catalogue.groups()[kind])


def test_unknown_policy_entries_raise_the_catalogue_error():
    with pytest.raises(catalogue.UnknownLicense):
        satisfies_policy(lic("CC-BY-4.0"), licenses={"cc-by-9.0"}, license_types=None)
    with pytest.raises(catalogue.UnknownLicense):
        satisfies_policy(lic("CC-BY-4.0"), licenses=None, license_types={"free"})


# --- reasons and purity --------------------------------------------------------------------------


def every_verdict():
    for source in ALL:
        yield can_adapt(source)
        for policy in compatibility.COLLECTION_POLICIES:
            yield can_collect(source, collection_policy=policy)
        for candidate in ALL:
            yield can_license_adaptation(source, candidate)
            yield can_combine([source, candidate])
            yield from adaptation_licenses([source, candidate], candidates=ALL).values()


def test_every_verdict_carries_a_full_sentence():
    verdicts = list(every_verdict())
    assert any(not v for v in verdicts) and any(verdicts)
    for verdict in verdicts:
        assert verdict.reason[:1].isupper()
        assert verdict.reason.endswith(".")
        assert "None" not in verdict.reason


def test_compatibility_imports_nothing_from_django():
    tree = ast.parse(Path(compatibility.__file__).read_text())
    modules = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(str(name).startswith("django") for name in modules)

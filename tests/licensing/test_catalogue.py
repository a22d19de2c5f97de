import ast
import dataclasses
import re
from pathlib import Path

import pytest

from licensing import catalogue
from licensing.catalogue import License, UnknownLicense

FAMILIES = ("by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd")
VERSIONS = ("1.0", "2.0", "2.5", "3.0", "4.0")
CC_FAMILY_IDS = {f"CC-{slug.upper()}-{version}" for slug in FAMILIES for version in VERSIONS}
DEED_URL = re.compile(r"^https://creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d\.\d)/$")

R, D, DW = "cc:Reproduction", "cc:Distribution", "cc:DerivativeWorks"
N, A, SA, NC = "cc:Notice", "cc:Attribution", "cc:ShareAlike", "cc:CommercialUse"


def test_catalogue_holds_thirty_three_tools():
    # 6 families x 5 versions + CC0 + PDM + all rights reserved.
    assert len(catalogue.all_licenses()) == 33


def test_catalogue_ids_are_the_spdx_ids_from_licensing_notes():
    ids = [lic.id for lic in catalogue.all_licenses()]
    assert len(ids) == len(set(ids))
    assert set(ids) == CC_FAMILY_IDS | {"CC0-1.0", "CC-PDM-1.0", "all-rights-reserved"}


def test_every_cc_deed_url_is_canonical_https_with_trailing_slash():
    for lic in catalogue.all_licenses():
        if lic.is_cc:
            match = DEED_URL.match(lic.url)
            assert match, lic.url
            assert match.group(3) == lic.version


def test_family_licenses_live_under_licenses_and_pd_tools_under_publicdomain():
    for lic in catalogue.all_licenses():
        if lic.slug in FAMILIES:
            assert lic.url.startswith("https://creativecommons.org/licenses/")
    assert catalogue.get("CC0-1.0").url == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert catalogue.get("CC-PDM-1.0").url == "https://creativecommons.org/publicdomain/mark/1.0/"


def test_legal_code_urls_are_the_english_legalcode_page_of_the_deed():
    for lic in catalogue.all_licenses():
        if lic.is_cc and lic.slug != "pdm":
            assert lic.legalcode_url == lic.url + "legalcode.en"


def test_public_domain_mark_is_deed_only_so_its_legal_code_url_is_the_deed():
    pdm = catalogue.get("CC-PDM-1.0")
    assert pdm.legalcode_url == pdm.url


def test_url_unit_is_the_family_slug_except_for_by_nc_nd_1_0():
    for lic in catalogue.all_licenses():
        if lic.slug in FAMILIES and lic.id != "CC-BY-NC-ND-1.0":
            assert DEED_URL.match(lic.url).group(2) == lic.slug


def test_by_nc_nd_1_0_keeps_its_spdx_id_but_lives_at_by_nd_nc():
    lic = catalogue.get("CC-BY-NC-ND-1.0")
    assert lic.slug == "by-nc-nd"
    assert lic.url == "https://creativecommons.org/licenses/by-nd-nc/1.0/"
    assert lic.legalcode_url == "https://creativecommons.org/licenses/by-nd-nc/1.0/legalcode.en"
    assert lic.name == "CC BY-ND-NC 1.0"
    assert lic.title == "Creative Commons Attribution-NoDerivs-NonCommercial 1.0 Generic"
    assert "by-nc-nd/1.0" not in lic.url


def test_by_nc_sa_1_0_is_a_normal_member_of_its_family():
    lic = catalogue.get("CC-BY-NC-SA-1.0")
    assert lic.url == "https://creativecommons.org/licenses/by-nc-sa/1.0/"
    assert lic.name == "CC BY-NC-SA 1.0"


def test_retired_units_without_attribution_are_not_catalogued():
    for unit in ("sa", "nc", "nd", "nd-nc", "nc-sa"):
        assert catalogue.from_url(f"https://creativecommons.org/licenses/{unit}/1.0/") is None
    assert catalogue.resolve(["by-sa"]) == {f"CC-BY-SA-{v}" for v in VERSIONS}
    with pytest.raises(UnknownLicense):
        catalogue.get("CC-SA-1.0")


@pytest.mark.parametrize(
    ("license_id", "title"),
    [
        ("CC-BY-1.0", "Creative Commons Attribution 1.0 Generic"),
        ("CC-BY-SA-2.0", "Creative Commons Attribution-ShareAlike 2.0 Generic"),
        ("CC-BY-NC-2.5", "Creative Commons Attribution-NonCommercial 2.5 Generic"),
        ("CC-BY-ND-3.0", "Creative Commons Attribution-NoDerivs 3.0 Unported"),
        ("CC-BY-NC-ND-3.0", "Creative Commons Attribution-NonCommercial-NoDerivs 3.0 Unported"),
        ("CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0 International"),
        ("CC-BY-ND-4.0", "Creative Commons Attribution-NoDerivatives 4.0 International"),
        (
            "CC-BY-NC-ND-4.0",
            "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International",
        ),
        ("CC0-1.0", "CC0 1.0 Universal"),
        ("CC-PDM-1.0", "Public Domain Mark 1.0"),
        ("all-rights-reserved", "All rights reserved"),
    ],
)
def test_titles_name_generic_unported_or_international_by_version(license_id, title):
    assert catalogue.get(license_id).title == title


@pytest.mark.parametrize(
    ("license_id", "name"),
    [
        ("CC-BY-4.0", "CC BY 4.0"),
        ("CC-BY-SA-4.0", "CC BY-SA 4.0"),
        ("CC-BY-NC-SA-3.0", "CC BY-NC-SA 3.0"),
        ("CC0-1.0", "CC0 1.0"),
        ("CC-PDM-1.0", "Public Domain Mark 1.0"),
        ("all-rights-reserved", "All rights reserved"),
    ],
)
def test_names_are_short_identifiers(license_id, name):
    lic = catalogue.get(license_id)
    assert lic.name == name
    assert str(lic) == name


def test_all_rights_reserved_has_no_url_and_no_version():
    arr = catalogue.get("all-rights-reserved")
    assert (arr.url, arr.legalcode_url, arr.version, arr.slug) == ("", "", "", "arr")


@pytest.mark.parametrize(
    ("slug", "permits", "requires", "prohibits"),
    [
        ("by", {R, D, DW}, {N, A}, set()),
        ("by-sa", {R, D, DW}, {N, A, SA}, set()),
        ("by-nd", {R, D}, {N, A}, set()),
        ("by-nc", {R, D, DW}, {N, A}, {NC}),
        ("by-nc-sa", {R, D, DW}, {N, A, SA}, {NC}),
        ("by-nc-nd", {R, D}, {N, A}, {NC}),
        ("cc0", {R, D, DW}, set(), set()),
        ("pdm", {R, D, DW}, set(), set()),
        ("arr", set(), set(), set()),
    ],
)
def test_every_version_carries_the_cc_rel_terms_of_its_family(slug, permits, requires, prohibits):
    members = catalogue.family(slug)
    assert members
    for lic in members:
        assert (set(lic.permits), set(lic.requires), set(lic.prohibits)) == (
            permits,
            requires,
            prohibits,
        )


FLAGS = (
    "allows_commercial_use",
    "allows_modification",
    "is_share_alike",
    "is_public_domain",
    "is_cc",
    "requires_attribution",
    "allows_redistribution",
)


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("by", (True, True, False, False, True, True, True)),
        ("by-sa", (True, True, True, False, True, True, True)),
        ("by-nd", (True, False, False, False, True, True, True)),
        ("by-nc", (False, True, False, False, True, True, True)),
        ("by-nc-sa", (False, True, True, False, True, True, True)),
        ("by-nc-nd", (False, False, False, False, True, True, True)),
        ("cc0", (True, True, False, True, True, False, True)),
        ("pdm", (True, True, False, True, True, False, True)),
        ("arr", (False, False, False, False, False, False, False)),
    ],
)
def test_derived_flags_follow_the_terms_of_each_family(slug, expected):
    for lic in catalogue.family(slug):
        assert tuple(getattr(lic, flag) for flag in FLAGS) == expected, lic.id


def test_by_nc_licenses_do_not_allow_commercial_use():
    for slug in ("by-nc", "by-nc-sa", "by-nc-nd"):
        assert not any(lic.allows_commercial_use for lic in catalogue.family(slug))


def test_flags_are_computed_from_terms_not_from_the_id():
    fake = License(
        id="CC-BY-4.0", slug="by", name="x", title="x", url="https://creativecommons.org/x/",
        legalcode_url="", version="4.0", permits=(R, D), requires=(A,), prohibits=(NC,),
    )  # fmt: skip
    assert not fake.allows_commercial_use
    assert not fake.allows_modification
    assert fake.requires_attribution


def test_licenses_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalogue.get("CC-BY-4.0").permits = ()


@pytest.mark.parametrize(
    ("license_id", "icons"),
    [
        ("CC-BY-4.0", ["cc", "by"]),
        ("CC-BY-SA-3.0", ["cc", "by", "sa"]),
        ("CC-BY-ND-2.0", ["cc", "by", "nd"]),
        ("CC-BY-NC-4.0", ["cc", "by", "nc"]),
        ("CC-BY-NC-SA-4.0", ["cc", "by", "nc", "sa"]),
        ("CC-BY-NC-ND-1.0", ["cc", "by", "nc", "nd"]),
        ("CC0-1.0", ["cc", "zero"]),
        ("CC-PDM-1.0", ["pd"]),
        ("all-rights-reserved", []),
    ],
)
def test_icons_name_the_presskit_elements(license_id, icons):
    assert catalogue.get(license_id).icons == icons


def test_selectable_offers_the_4_0_licenses_cc0_pdm_and_all_rights_reserved():
    expected = {f"CC-{slug.upper()}-4.0" for slug in FAMILIES}
    expected |= {"CC0-1.0", "CC-PDM-1.0", "all-rights-reserved"}
    assert {lic.id for lic in catalogue.selectable()} == expected
    assert all(lic.selectable for lic in catalogue.selectable())
    assert not catalogue.get("CC-BY-SA-3.0").selectable


def test_get_returns_the_license_with_that_exact_id():
    assert catalogue.get("CC-BY-SA-4.0").url == "https://creativecommons.org/licenses/by-sa/4.0/"


def test_get_refuses_an_unknown_id_with_a_sentence_saying_where_ids_are_listed():
    with pytest.raises(UnknownLicense, match=r"Unknown license id 'CC-BY-9.0'.*/api/v1/licenses/"):
        catalogue.get("CC-BY-9.0")


def test_get_is_exact_because_the_database_stores_the_canonical_id():
    with pytest.raises(UnknownLicense):
        catalogue.get("cc-by-4.0")
    with pytest.raises(UnknownLicense):
        catalogue.get(None)


def test_unknown_license_is_a_value_error():
    assert issubclass(UnknownLicense, ValueError)


def test_family_lists_every_version_newest_first():
    assert [lic.version for lic in catalogue.family("by-nc-nd")] == list(reversed(VERSIONS))
    assert [lic.id for lic in catalogue.family("cc0")] == ["CC0-1.0"]


def test_family_refuses_an_unknown_slug_and_lists_the_known_ones():
    with pytest.raises(UnknownLicense, match="by-nc-sa"):
        catalogue.family("by-nd-nc")


def test_resolve_expands_family_slugs_to_every_version():
    assert catalogue.resolve(["by"]) == {f"CC-BY-{v}" for v in VERSIONS}
    assert catalogue.resolve(["cc0", "pdm"]) == {"CC0-1.0", "CC-PDM-1.0"}


def test_resolve_accepts_ids_in_any_case_and_returns_canonical_ids():
    assert catalogue.resolve(["cc-by-sa-4.0", "CC0-1.0", "ALL-RIGHTS-RESERVED"]) == {
        "CC-BY-SA-4.0",
        "CC0-1.0",
        "all-rights-reserved",
    }


def test_resolve_mixes_slugs_and_ids_from_a_comma_separated_string():
    expected = {f"CC-BY-NC-{v}" for v in VERSIONS} | {"CC-BY-4.0"}
    assert catalogue.resolve(" by-nc , CC-BY-4.0,, ") == expected


def test_resolve_refuses_an_unknown_entry():
    with pytest.raises(UnknownLicense, match=r"'gpl-3\.0'.*family slugs are by, by-sa"):
        catalogue.resolve(["by", "gpl-3.0"])


@pytest.mark.parametrize(
    ("url", "license_id"),
    [
        ("https://creativecommons.org/licenses/by-sa/4.0/", "CC-BY-SA-4.0"),
        ("http://creativecommons.org/licenses/by-sa/4.0/", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/deed.en", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/deed.zh-hans", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by/2.0/deed.zh_TW", "CC-BY-2.0"),
        ("https://creativecommons.org/licenses/by/3.0/deed", "CC-BY-3.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/legalcode", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/legalcode.en", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by-nc/4.0/legalcode.txt", "CC-BY-NC-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/rdf", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by/4.0/?ref=openverse", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by/4.0/#deed-understanding", "CC-BY-4.0"),
        ("https://www.creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
        ("HTTPS://CreativeCommons.org/licenses/BY-NC-SA/2.5/", "CC-BY-NC-SA-2.5"),
        ("  http://creativecommons.org/licenses/by-nd/1.0/  ", "CC-BY-ND-1.0"),
        ("creativecommons.org/licenses/by-nc-nd/3.0/", "CC-BY-NC-ND-3.0"),
        ("//creativecommons.org/licenses/by-nc-nd/2.0/", "CC-BY-NC-ND-2.0"),
        ("http://creativecommons.org/licenses/by-nd-nc/1.0/", "CC-BY-NC-ND-1.0"),
        ("https://creativecommons.org/licenses/by-nd-nc/1.0/legalcode", "CC-BY-NC-ND-1.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
        ("http://creativecommons.org/publicdomain/zero/1.0/legalcode", "CC0-1.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/deed.fr", "CC0-1.0"),
        ("https://creativecommons.org/publicdomain/mark/1.0/", "CC-PDM-1.0"),
        ("http://creativecommons.org/publicdomain/mark/1.0/deed.en", "CC-PDM-1.0"),
    ],
)
def test_from_url_recognises_real_spellings_of_cc_urls(url, license_id):
    assert catalogue.from_url(url).id == license_id


@pytest.mark.parametrize(
    "url",
    [
        "https://creativecommons.org/licenses/by/3.0/de/",
        "https://creativecommons.org/licenses/by/3.0/at/legalcode.de",
        "http://creativecommons.org/licenses/by-sa/2.5/scotland/deed.en",
        "https://creativecommons.org/licenses/by-sa/3.0/igo/",
        "https://creativecommons.org/licenses/by-sa/2.1/jp/",
        "https://creativecommons.org/licenses/by-nc-nd/1.0/",
        "https://creativecommons.org/licenses/sampling+/1.0/",
        "https://creativecommons.org/publicdomain/certification/1.0/us/",
        "https://creativecommons.org/licenses/by/5.0/",
        "https://creativecommons.org/licenses/by/",
        "https://creativecommons.org/",
        "https://creativecommons.org.evil.example/licenses/by/4.0/",
        "https://evil.example/creativecommons.org/licenses/by/4.0/",
        "ftp://creativecommons.org/licenses/by/4.0/",
        "javascript:alert(1)",
        "http://[::1",
        "",
        None,
    ],
)
def test_from_url_answers_none_for_ports_retired_tools_and_other_sites(url):
    assert catalogue.from_url(url) is None


def test_from_url_round_trips_every_catalogued_cc_tool():
    for lic in catalogue.all_licenses():
        if lic.is_cc:
            assert catalogue.from_url(lic.url) is lic
            assert catalogue.from_url(lic.legalcode_url) is lic


def test_commercial_group_holds_every_version_without_nc_and_the_pd_tools():
    expected = {i for i in CC_FAMILY_IDS if "-NC" not in i} | {"CC0-1.0", "CC-PDM-1.0"}
    assert catalogue.groups()["commercial"] == expected


def test_modification_group_holds_every_version_without_nd_and_the_pd_tools():
    expected = {i for i in CC_FAMILY_IDS if "-ND" not in i} | {"CC0-1.0", "CC-PDM-1.0"}
    assert catalogue.groups()["modification"] == expected


def test_all_cc_group_holds_everything_but_all_rights_reserved():
    assert catalogue.groups()["all-cc"] == CC_FAMILY_IDS | {"CC0-1.0", "CC-PDM-1.0"}
    assert set(catalogue.groups()) == {"commercial", "modification", "all-cc"}


def test_resolve_types_requires_every_named_group_to_hold():
    both = catalogue.resolve_types("commercial,modification")
    assert both == {i for i in CC_FAMILY_IDS if "-NC" not in i and "-ND" not in i} | {
        "CC0-1.0",
        "CC-PDM-1.0",
    }
    assert catalogue.resolve_types(["all-cc"]) == catalogue.groups()["all-cc"]


def test_resolve_types_refuses_an_unknown_group():
    with pytest.raises(UnknownLicense, match="commercial, modification, all-cc"):
        catalogue.resolve_types("free")


@pytest.mark.parametrize(
    ("adaptations", "commercial", "license_id"),
    [
        ("yes", True, "CC-BY-4.0"),
        ("sharealike", True, "CC-BY-SA-4.0"),
        ("no", True, "CC-BY-ND-4.0"),
        ("yes", False, "CC-BY-NC-4.0"),
        ("sharealike", False, "CC-BY-NC-SA-4.0"),
        ("no", False, "CC-BY-NC-ND-4.0"),
    ],
)
def test_choose_follows_the_cc_chooser(adaptations, commercial, license_id):
    chosen = catalogue.choose(adaptations=adaptations, commercial=commercial)
    assert chosen.id == license_id
    assert chosen.selectable


@pytest.mark.parametrize("adaptations", ["yes", "sharealike", "no"])
@pytest.mark.parametrize("commercial", [True, False])
def test_choose_waiving_rights_gives_cc0_whatever_else_is_asked(adaptations, commercial):
    chosen = catalogue.choose(adaptations=adaptations, commercial=commercial, public_domain=True)
    assert chosen.id == "CC0-1.0"


def test_choose_refuses_an_unknown_adaptations_answer():
    with pytest.raises(ValueError, match="'yes', 'sharealike', 'no'"):
        catalogue.choose(adaptations="maybe", commercial=True)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("CC-BY-4.0", "CC-BY-NC-4.0", True),
        ("CC-BY-4.0", "CC-BY-SA-4.0", True),
        ("CC-BY-4.0", "CC-BY-ND-4.0", True),
        ("CC0-1.0", "CC-BY-4.0", True),
        ("CC-BY-SA-4.0", "all-rights-reserved", True),
        ("CC-BY-NC-4.0", "CC-BY-SA-4.0", True),
        ("CC-BY-NC-4.0", "CC-BY-4.0", False),
        ("CC-BY-SA-4.0", "CC-BY-4.0", False),
        ("CC-BY-NC-ND-4.0", "CC0-1.0", False),
        ("CC-BY-ND-4.0", "CC-BY-4.0", False),
        ("all-rights-reserved", "CC-BY-NC-ND-4.0", False),
        ("CC-BY-SA-3.0", "CC-BY-SA-4.0", False),
        ("CC-BY-4.0", "CC-BY-4.0", False),
        ("CC0-1.0", "CC-PDM-1.0", False),
    ],
)
def test_is_more_restrictive_spots_new_terms_that_take_something_away(old, new, expected):
    assert catalogue.is_more_restrictive(catalogue.get(old), catalogue.get(new)) is expected
    assert catalogue.is_more_restrictive(old, new) is expected


def test_licensing_core_modules_import_nothing_from_django():
    package = Path(catalogue.__file__).parent
    for name in ("catalogue.py", "attribution.py"):
        tree = ast.parse((package / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            assert not any(m.split(".")[0] == "django" for m in modules), (name, modules)

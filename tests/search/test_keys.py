"""Facet codes: visibility, license and shape packed into one integer (pure Python)."""

from licensing import catalogue
from photos.search import keys

RANKS = keys.Ranks([("CC-BY-4.0", 0), ("CC0-1.0", 1), ("all-rights-reserved", 7)])


def test_a_code_decodes_to_its_visibility_license_and_shape():
    code = 2 * keys.VISIBILITY_STEP + 7 * keys.LICENSE_STEP + keys.SHAPES.index("tall")
    assert RANKS.decode(code) == keys.Facets("private", "all-rights-reserved", "tall")


def test_every_public_code_is_below_the_public_end():
    public = RANKS.codes(visibilities=["public"], licenses=None)
    unlisted = RANKS.codes(visibilities=["unlisted"], licenses=None)
    assert max(public) < keys.PUBLIC_END <= min(unlisted)


def test_without_filters_the_codes_of_a_visibility_form_one_run():
    assert keys.runs(RANKS.codes(visibilities=["public"], licenses=None)) == [(0, 1023)]


def test_a_license_and_shape_filter_selects_exactly_their_codes():
    codes = RANKS.codes(visibilities=["public"], licenses={"CC0-1.0", "CC-BY-4.0"}, shape="wide")
    assert [RANKS.decode(c) for c in codes] == [
        keys.Facets("public", "CC-BY-4.0", "wide"),
        keys.Facets("public", "CC0-1.0", "wide"),
    ]


def test_licenses_unknown_to_the_rank_table_select_nothing():
    assert RANKS.codes(visibilities=["public"], licenses={"CC-BY-SA-4.0"}) == []


def test_runs_join_consecutive_codes_only():
    assert keys.runs([9, 1, 2, 3, 7, 8, 12]) == [(1, 3), (7, 9), (12, 12)]


def test_new_catalogue_licenses_get_ranks_after_the_known_ones_and_none_move():
    known = {"CC-BY-4.0": 0, "CC0-1.0": 5}
    added = dict(keys.missing_ranks(known))
    assert set(added) == {entry.id for entry in catalogue.all_licenses()} - set(known)
    assert sorted(added.values()) == list(range(6, 6 + len(added)))
    assert keys.missing_ranks({**known, **added}) == []


def test_the_key_of_a_document_keeps_the_photo_id_in_its_low_bits():
    code, photo_id = 3 * keys.LICENSE_STEP + 1, 123_456_789
    key = (code << keys.ID_BITS) | photo_id
    assert key & keys.ID_MASK == photo_id and key >> keys.ID_BITS == code

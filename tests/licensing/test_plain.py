"""Plain-language summaries say what each license allows."""

import pytest

from licensing import catalogue
from licensing.plain import summary


@pytest.mark.parametrize("lic", catalogue.all_licenses(), ids=lambda lic: lic.id)
def test_every_license_has_a_summary_that_matches_its_flags(lic):
    text = summary(lic)
    assert text.endswith(".")
    if lic.is_cc and not lic.is_public_domain:
        assert ("commercially" in text) == lic.allows_commercial_use
        assert ("may not share adapted" in text) == (not lic.allows_modification)
        assert ("same license" in text) == lic.is_share_alike


def test_all_rights_reserved_says_permission_is_needed():
    assert "permission" in summary(catalogue.get("all-rights-reserved"))

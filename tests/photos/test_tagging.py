import unicodedata

import pytest

from photos.tagging import (
    MAX_TAG_LENGTH,
    MAX_TAGS_PER_PHOTO,
    MachineQuery,
    MachineTag,
    TagError,
    canonical,
    check_count,
    clean,
    clean_list,
    flatten_keywords,
    hierarchical,
    machine,
    machine_query,
    parse,
    slug,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl
THUMBS_MEDIUM = "\U0001f44d\U0001f3fd"  # thumbs up, medium skin tone
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"

# (tags that must share one canonical form, that form)
SAME_TAG = [
    pytest.param(["Tour Eiffel", "tour eiffel", "TOUR  EIFFEL", " Tour\tEiffel "], "tour eiffel",
                 id="case_and_inner_whitespace"),
    pytest.param(["Café", "CAFÉ", "cafe\u0301"], "café", id="accents_kept_composed_or_not"),
    pytest.param(["Straße", "STRASSE", "strasse"], "strasse", id="german_sharp_s_folds_to_ss"),
    pytest.param(["Οδός", "ΟΔΌΣ", "οδόσ"], "οδόσ", id="greek_final_sigma_folds_to_sigma"),
    pytest.param(["İstanbul", "ISTANBUL", "istanbul"], "istanbul",
                 id="turkish_dotted_capital_i_meets_plain_i"),
    pytest.param(["Москва", "МОСКВА"], "москва", id="cyrillic"),
    pytest.param(["ＴＯＫＹＯ", "Tokyo"], "tokyo", id="cjk_full_width_latin_to_half_width"),
    pytest.param(["ｶﾀｶﾅ", "カタカナ"], "カタカナ", id="half_width_katakana_to_full_width"),
    pytest.param(["東京\u3000タワー", "東京 タワー"], "東京 タワー", id="ideographic_space"),
    pytest.param(["ﻣﺮﺣﺒﺎ", "مرحبا", "مـرحـبـا"], "مرحبا",
                 id="arabic_presentation_forms_and_tatweel"),
    pytest.param(["\u0958िला", "\u0915\u093cिला"], "\u0915\u093cिला",
                 id="devanagari_nukta_precomposed_or_not"),
    pytest.param(["❤️", "❤"], "❤", id="emoji_variation_selector_dropped"),
    pytest.param(["ﬁre", "FIRE"], "fire", id="ligature_expanded"),
    pytest.param(["Tour\u00a0Eiffel", "Tour\u2003Eiffel", "Tour\u202fEiffel"], "tour eiffel",
                 id="no_break_and_em_spaces"),
    pytest.param(['"Tour Eiffel"', "“Tour Eiffel”", "„Tour Eiffel“", "« Tour Eiffel »"],
                 "tour eiffel", id="double_quotes_of_every_style_stripped"),
    pytest.param(["o'clock", "o’clock", "O‘CLOCK"], "o'clock", id="apostrophe_inside_word_kept"),
    pytest.param(["'Paris'", "‘Paris’", "Paris'"], "paris", id="wrapping_single_quotes_stripped"),
    pytest.param(['taxonomy:binomial="Ursus arctos"', "Taxonomy:Binomial=Ursus Arctos"],
                 "taxonomy:binomial=ursus arctos", id="machine_tag_quotes_and_case"),
]  # fmt: skip

# (tags that must stay apart)
DIFFERENT_TAGS = [
    pytest.param("café", "cafe", id="accent"),
    pytest.param("ısık", "isik", id="turkish_dotless_i"),
    pytest.param("ёлка", "елка", id="cyrillic_yo"),
    pytest.param(THUMBS_MEDIUM, "\U0001f44d", id="emoji_skin_tone"),
    pytest.param(FAMILY, "\U0001f468\U0001f469\U0001f467", id="emoji_zwj_sequence"),
    pytest.param("o'clock", "oclock", id="apostrophe"),
]

KEPT_AS_IS = [
    pytest.param("東京", id="cjk"),
    pytest.param("مرحبا بالعالم", id="arabic"),
    pytest.param("नमस्ते", id="devanagari"),
    pytest.param(FAMILY, id="emoji_zwj_family"),
    pytest.param(THUMBS_MEDIUM, id="emoji_skin_tone"),
    pytest.param(ENGLAND, id="emoji_subdivision_flag"),
    pytest.param("\U0001f1eb\U0001f1f7", id="emoji_flag_of_france"),
    pytest.param("می\u200cخواهم", id="persian_zwnj"),
    pytest.param("geo:lat=48.8584", id="machine_tag"),
]


@pytest.mark.parametrize(("forms", "expected"), SAME_TAG)
def test_equivalent_spellings_share_one_canonical_form(forms, expected):
    assert {canonical(form) for form in forms} == {expected}


@pytest.mark.parametrize(("one", "other"), DIFFERENT_TAGS)
def test_meaningful_differences_keep_tags_apart(one, other):
    assert canonical(one) != canonical(other)


@pytest.mark.parametrize("tag", KEPT_AS_IS)
def test_non_latin_scripts_and_emoji_survive_canonicalisation(tag):
    assert canonical(tag) == tag
    assert clean(tag) == tag


@pytest.mark.parametrize(
    "tag",
    [form for param in SAME_TAG for form in param.values[0]] + [p.values[0] for p in KEPT_AS_IS],
)
def test_canonical_form_is_stable_when_applied_again(tag):
    assert canonical(canonical(tag)) == canonical(tag)


SLUGS = [
    pytest.param("Tour Eiffel", "tour-eiffel", id="spaces_become_hyphens"),
    pytest.param("AC/DC", "ac-dc", id="slash_becomes_hyphen"),
    pytest.param("back\\slash", "back-slash", id="backslash_becomes_hyphen"),
    pytest.param("rock - roll", "rock-roll", id="hyphen_runs_collapse"),
    pytest.param("-edge-", "edge", id="no_leading_or_trailing_hyphen"),
    pytest.param("東京 タワー", "東京-タワー", id="cjk_kept"),
    pytest.param("Άγιος Νικόλαος", "άγιοσ-νικόλαοσ", id="greek_kept"),
    pytest.param(FAMILY, FAMILY, id="emoji_kept"),
    pytest.param("geo:lat=48.8584", "geo:lat=48.8584", id="machine_tag_keeps_colon_equals_dot"),
    pytest.param('taxonomy:binomial="Ursus arctos"', "taxonomy:binomial=ursus-arctos",
                 id="quoted_machine_value"),
    pytest.param("100%", "100%", id="percent_left_to_reverse_to_encode"),
    pytest.param("...", "...", id="three_dots_are_not_a_dot_segment"),
    pytest.param(".", "_2e", id="single_dot_segment_replaced"),
    pytest.param("..", "_2e2e", id="double_dot_segment_replaced"),
    pytest.param("-", "_2d", id="hyphen_only_replaced"),
    pytest.param("/", "_2f", id="slash_only_replaced"),
]  # fmt: skip


@pytest.mark.parametrize(("tag", "expected"), SLUGS)
def test_slug_is_a_safe_path_segment(tag, expected):
    result = slug(tag)
    assert result == expected
    assert "/" not in result
    assert "\\" not in result
    assert not any(ch.isspace() for ch in result)
    assert result not in ("", ".", "..")
    assert not result.startswith("-")
    assert not result.endswith("-")
    assert len(result) <= MAX_TAG_LENGTH


@pytest.mark.parametrize(("forms", "expected"), SAME_TAG)
def test_tags_with_one_canonical_form_share_one_slug(forms, expected):
    assert {slug(form) for form in forms} == {slug(expected)}


@pytest.mark.parametrize(("tag", "expected"), SLUGS)
def test_slug_of_a_slug_is_itself(tag, expected):
    assert slug(expected) == expected


def test_slug_of_empty_input_is_empty():
    assert slug("  ") == ""


PARSED = [
    pytest.param("paris tower night", ["paris", "tower", "night"], id="spaces_separate"),
    pytest.param("Tour Eiffel, Paris", ["Tour Eiffel", "Paris"], id="comma_separates"),
    pytest.param("a b, c", ["a b", "c"], id="taggit_rule"),
    pytest.param('"Tour Eiffel" paris', ["Tour Eiffel", "paris"], id="straight_quotes_group"),
    pytest.param("“Tour Eiffel” paris", ["Tour Eiffel", "paris"], id="english_quotes_group"),
    pytest.param("„Kölner Dom“ köln", ["Kölner Dom", "köln"], id="german_quotes_group"),
    pytest.param("« Mont Blanc » alpes", ["Mont Blanc", "alpes"], id="french_guillemets_group"),
    pytest.param('"a, b" c', ["a, b", "c"], id="quoted_comma_does_not_switch_to_commas"),
    pytest.param('"a, b", c d', ["a, b", "c d"], id="unquoted_comma_switches_to_commas"),
    pytest.param('"Tour Eiffel', ["Tour Eiffel"], id="unclosed_quote_runs_to_the_end"),
    pytest.param("  Tour   Eiffel ,paris,", ["Tour Eiffel", "paris"], id="whitespace_tidied"),
    pytest.param("a\tb\nc\r\nd", ["a", "b", "c", "d"], id="tabs_and_newlines_separate"),
    pytest.param("東京\u3000大阪", ["東京", "大阪"], id="ideographic_space_separates"),
    pytest.param("東京、大阪", ["東京", "大阪"], id="ideographic_comma_separates"),
    pytest.param("東京，大阪 京都", ["東京", "大阪 京都"], id="full_width_comma_separates"),
    pytest.param("القاهرة، مصر", ["القاهرة", "مصر"], id="arabic_comma_separates"),
    pytest.param("Paris paris PARIS", ["Paris"], id="duplicates_keep_the_first_form"),
    pytest.param("night day night", ["night", "day"], id="order_is_kept"),
    pytest.param("", [], id="empty_input"),
    pytest.param(" , ,, ", [], id="only_separators"),
    pytest.param('"" “ ”', [], id="only_quotes"),
    pytest.param("rock ' roll ‘", ["rock", "roll"], id="stray_apostrophes_skipped"),
    pytest.param(f"{FAMILY} {THUMBS_MEDIUM}", [FAMILY, THUMBS_MEDIUM], id="emoji"),
    pytest.param('taxonomy:binomial="Ursus arctos" bear',
                 ['taxonomy:binomial="Ursus arctos"', "bear"], id="quoted_machine_value"),
    pytest.param("taxonomy:binomial=“Ursus arctos”", ['taxonomy:binomial="Ursus arctos"'],
                 id="typographic_quoted_machine_value"),
    pytest.param('x, taxonomy:binomial="Ursus, arctos", y',
                 ["x", 'taxonomy:binomial="Ursus, arctos"', "y"], id="machine_value_in_comma_mode"),
    pytest.param('dc:title="Two words', ['dc:title="Two words"'], id="unclosed_machine_value"),
    pytest.param("geo:lat=48.8584 geo:lon=2.2945", ["geo:lat=48.8584", "geo:lon=2.2945"],
                 id="machine_tags_unquoted"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse_splits_what_a_person_typed(text, expected):
    assert parse(text) == expected


def test_parse_keeps_display_form_in_nfc():
    assert parse("cafe\u0301") == ["café"]
    assert unicodedata.is_normalized("NFC", parse("cafe\u0301")[0])


def test_clean_list_keeps_commas_and_spaces_inside_each_item():
    assert clean_list(["Paris, France", "  ", '""', "tour  eiffel", "Tour Eiffel"]) == [
        "Paris, France",
        "tour eiffel",
    ]


REFUSED = [
    pytest.param("bad\x00tag", "control characters", "bad\\u0000tag", id="nul"),
    pytest.param("bell\x07", "control characters", "bell\\u0007", id="bell"),
    pytest.param("exe\u202egpj", "control characters", "exe\\u202egpj", id="bidi_override"),
    pytest.param("zero\u200bwidth", "control characters", "zero\\u200bwidth", id="zwsp"),
    pytest.param("\ufeffbom", "control characters", "\\ufeffbom", id="byte_order_mark"),
    pytest.param("soft\u00adhyphen", "control characters", "soft\\u00adhyphen", id="soft_hyphen"),
    pytest.param("half\ud800", "control characters", "half\\ud800", id="lone_surrogate"),
    pytest.param('""', "is empty", '""', id="only_quotes"),
    pytest.param("‘’", "is empty", "‘’", id="only_single_quotes"),
]  # fmt: skip


@pytest.mark.parametrize(("tag", "words", "shown"), REFUSED)
def test_refused_tag_is_named_in_the_message(tag, words, shown):
    with pytest.raises(TagError) as caught:
        clean(tag)
    assert caught.value.tag == shown
    assert words in str(caught.value)
    assert f"“{shown}”" in str(caught.value)


def test_control_character_message_reads_as_a_sentence():
    with pytest.raises(TagError, match=r"^Tags may not contain control characters: “a\\u0000b”\.$"):
        parse("ok a\x00b")


def test_parse_refuses_the_whole_input_when_one_tag_is_bad():
    with pytest.raises(TagError) as caught:
        parse("good, bad\x01one, fine")
    assert caught.value.tag == "bad\\u0001one"
    assert caught.value.code == "tag_control"


@pytest.mark.parametrize(
    "tag",
    [
        pytest.param("a" * MAX_TAG_LENGTH, id="ascii"),
        pytest.param("é" * MAX_TAG_LENGTH, id="precomposed"),
        pytest.param("e\u0301" * MAX_TAG_LENGTH, id="decomposed_counts_after_nfc"),
        pytest.param("東" * MAX_TAG_LENGTH, id="cjk"),
        pytest.param(THUMBS_MEDIUM * (MAX_TAG_LENGTH // 2), id="emoji_count_code_points"),
        pytest.param("word  " * 16 + "word", id="spaces_count_after_collapsing"),
    ],
)
def test_tag_of_one_hundred_characters_is_accepted(tag):
    assert len(clean(tag)) <= MAX_TAG_LENGTH


@pytest.mark.parametrize(
    "tag",
    [
        pytest.param("a" * (MAX_TAG_LENGTH + 1), id="ascii"),
        pytest.param("東" * (MAX_TAG_LENGTH + 1), id="cjk"),
        pytest.param(THUMBS_MEDIUM * 50 + "x", id="emoji"),
        pytest.param("ß" * 51, id="canonical_form_too_long"),
        pytest.param('"' + "a" * 99 + '"', id="display_form_counts_its_quotes"),
    ],
)
def test_tag_of_one_hundred_and_one_characters_is_refused(tag):
    with pytest.raises(TagError) as caught:
        clean(tag)
    assert caught.value.code == "tag_too_long"
    assert caught.value.tag == tag[:39] + "…"
    assert str(caught.value) == f"The tag “{tag[:39]}…” is longer than 100 characters."


def test_over_long_tag_in_typed_input_is_named():
    with pytest.raises(TagError, match="longer than 100 characters"):
        parse("short, " + "x" * 101)


@pytest.mark.parametrize(("existing", "adding"), [(0, 75), (74, 1), (75, 0), (40, 35)])
def test_up_to_seventy_five_tags_are_allowed(existing, adding):
    check_count(existing, adding)


@pytest.mark.parametrize(("existing", "adding", "total"), [(75, 1, 76), (70, 10, 80), (0, 76, 76)])
def test_more_than_seventy_five_tags_are_refused(existing, adding, total):
    with pytest.raises(TagError) as caught:
        check_count(existing, adding)
    assert str(caught.value) == f"A photo may have at most 75 tags; this would make {total}."
    assert caught.value.code == "too_many_tags"
    assert MAX_TAGS_PER_PHOTO == 75


MACHINE_TAGS = [
    pytest.param("geo:lat=48.8584", MachineTag("geo", "lat", "48.8584"), id="geo"),
    pytest.param('taxonomy:binomial="Ursus arctos"',
                 MachineTag("taxonomy", "binomial", "Ursus arctos"), id="quoted_value"),
    pytest.param("taxonomy:binomial=“Ursus arctos”",
                 MachineTag("taxonomy", "binomial", "Ursus arctos"), id="typographic_quotes"),
    pytest.param("wikidata:depicts=Q243", MachineTag("wikidata", "depicts", "Q243"), id="wikidata"),
    pytest.param("cc:remix=1234", MachineTag("cc", "remix", "1234"), id="cc_remix"),
    pytest.param("Dc:Title=Mr. Camera", MachineTag("dc", "title", "Mr. Camera"),
                 id="names_casefolded_value_as_typed"),
    pytest.param("ns_1:pred_2=a=b", MachineTag("ns_1", "pred_2", "a=b"), id="equals_in_value"),
    pytest.param("place:name=東京", MachineTag("place", "name", "東京"), id="non_latin_value"),
    pytest.param("url:source=http://x.org/a", MachineTag("url", "source", "http://x.org/a"),
                 id="url_value"),
]  # fmt: skip

NOT_MACHINE_TAGS = [
    pytest.param("paris", id="plain"),
    pytest.param("geo:lat=", id="empty_value"),
    pytest.param('geo:lat=""', id="empty_quoted_value"),
    pytest.param("geo:=1", id="empty_predicate"),
    pytest.param(":lat=1", id="empty_namespace"),
    pytest.param("1geo:lat=1", id="namespace_starting_with_digit"),
    pytest.param("geo:_lat=1", id="predicate_starting_with_underscore"),
    pytest.param("géo:lat=1", id="non_ascii_namespace"),
    pytest.param("geo-x:lat=1", id="hyphen_in_namespace"),
    pytest.param("geo:lat", id="no_value"),
    pytest.param("http://example.org", id="url"),
    pytest.param("12:30", id="time"),
    pytest.param("a:b:c=1", id="two_colons"),
]


@pytest.mark.parametrize(("tag", "expected"), MACHINE_TAGS)
def test_machine_tag_is_parsed_into_parts(tag, expected):
    assert machine(tag) == expected


@pytest.mark.parametrize("tag", NOT_MACHINE_TAGS)
def test_ordinary_tag_is_not_a_machine_tag(tag):
    assert machine(tag) is None


def test_parsed_machine_tag_survives_parse():
    [tag] = parse('Taxonomy:binomial="Ursus Arctos"')
    assert machine(tag) == MachineTag("taxonomy", "binomial", "Ursus Arctos")
    assert machine(tag).canonical_value == "ursus arctos"


BEAR = MachineTag("taxonomy", "binomial", "Ursus arctos")
QUERIES = [
    pytest.param("taxonomy:*", MachineQuery("taxonomy", None, None), True, id="namespace"),
    pytest.param("taxonomy:binomial=*", MachineQuery("taxonomy", "binomial", None), True,
                 id="namespace_and_predicate"),
    pytest.param('taxonomy:binomial="ursus arctos"',
                 MachineQuery("taxonomy", "binomial", "ursus arctos"), True, id="exact_value"),
    pytest.param("TAXONOMY:Binomial=“URSUS  ARCTOS”",
                 MachineQuery("taxonomy", "binomial", "URSUS  ARCTOS"), True,
                 id="exact_value_compared_canonically"),
    pytest.param("*:binomial=*", MachineQuery(None, "binomial", None), True,
                 id="any_namespace"),
    pytest.param("taxonomy:*=Ursus arctos", MachineQuery("taxonomy", None, "Ursus arctos"), True,
                 id="any_predicate"),
    pytest.param("*:*", MachineQuery(None, None, None), True, id="any_machine_tag"),
    pytest.param("geo:*", MachineQuery("geo", None, None), False, id="other_namespace"),
    pytest.param("taxonomy:common=*", MachineQuery("taxonomy", "common", None), False,
                 id="other_predicate"),
    pytest.param("taxonomy:binomial=Ursus", MachineQuery("taxonomy", "binomial", "Ursus"), False,
                 id="value_is_not_a_prefix"),
    pytest.param('taxonomy:binomial="*"', MachineQuery("taxonomy", "binomial", "*"), False,
                 id="quoted_star_is_literal"),
]  # fmt: skip

BAD_QUERIES = [
    pytest.param("taxonomy", id="no_colon"),
    pytest.param("taxonomy:binomial", id="no_equals"),
    pytest.param("taxonomy:binomial=", id="no_value"),
    pytest.param('taxonomy:binomial=""', id="empty_quoted_value"),
    pytest.param("taxonomy:", id="nothing_after_colon"),
    pytest.param("9x:*", id="namespace_starting_with_digit"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize(("text", "expected", "matches_bear"), QUERIES)
def test_machine_query_parses_and_matches(text, expected, matches_bear):
    query = machine_query(text)
    assert query == expected
    assert query.matches(BEAR) is matches_bear


@pytest.mark.parametrize("text", BAD_QUERIES)
def test_malformed_machine_query_is_refused_with_the_forms_it_accepts(text):
    with pytest.raises(TagError) as caught:
        machine_query(text)
    assert caught.value.code == "machine_query"
    assert f"“{text}”" in str(caught.value)
    assert "namespace:predicate=value" in str(caught.value)


@pytest.mark.parametrize(
    ("keyword", "levels"),
    [
        ("Places|France|Paris", ["Places", "France", "Paris"]),
        (" Places | Île-de-France |Paris ", ["Places", "Île-de-France", "Paris"]),
        ("Places||Paris|", ["Places", "Paris"]),
        ("Paris", ["Paris"]),
        ("", []),
    ],
)
def test_hierarchical_keyword_splits_into_levels(keyword, levels):
    assert hierarchical(keyword) == levels


def test_keywords_from_a_file_merge_subjects_and_hierarchy_leaves():
    subjects = ["Places", "France", "paris", "Tour  Eiffel", "Paris, France"]
    hierarchy = ["Places|France|Paris", "Animals|Mammals|Ursus arctos", "Things|", "|"]
    assert flatten_keywords(subjects, hierarchy) == [
        "Places",
        "France",
        "paris",
        "Tour Eiffel",
        "Paris, France",
        "Ursus arctos",
        "Things",
    ]


def test_keywords_from_a_file_skip_blank_ones():
    assert flatten_keywords(["", "  ", '""'], []) == []

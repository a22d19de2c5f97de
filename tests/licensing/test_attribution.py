import json
from html.parser import HTMLParser

import pytest

from licensing import catalogue
from licensing.attribution import (
    Work,
    as_dict,
    as_html,
    as_markdown,
    as_text,
    clean_text,
    safe_url,
)

PAGE = "https://photos.example/p/123"
PROFILE = "https://photos.example/u/jane"
BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ALLOWED_ATTRIBUTES = {"class", "xmlns:cc", "xmlns:dct", "about", "href", "property", "rel"}


def work(license_id="CC-BY-SA-4.0", **kwargs):
    defaults = {
        "title": "Sunset over Oslo",
        "creator_name": "Jane Doe",
        "creator_url": PROFILE,
        "source_url": PAGE,
    }
    return Work(license=catalogue.get(license_id), **{**defaults, **kwargs})


class _Collector(HTMLParser):
    """Record every tag with its attributes and check that tags balance."""

    def __init__(self):
        super().__init__()
        self.tags, self.stack, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


def parse(markup):
    collector = _Collector()
    collector.feed(markup)
    collector.close()
    assert collector.stack == []
    return collector


def links(markup):
    return {attrs["href"]: attrs for tag, attrs in parse(markup).tags if tag == "a"}


def all_outputs(w):
    return [as_text(w), as_html(w), as_markdown(w), json.dumps(as_dict(w), ensure_ascii=False)]


def test_by_sa_text_names_title_source_creator_and_license_with_its_url():
    assert as_text(work()) == (
        f'"Sunset over Oslo" ({PAGE}) by Jane Doe is licensed under CC BY-SA 4.0. '
        f"To view a copy of this license, visit {BY_SA}"
    )


def test_by_text_uses_the_by_deed():
    text = as_text(work("CC-BY-4.0"))
    assert "is licensed under CC BY 4.0." in text
    assert text.endswith("visit https://creativecommons.org/licenses/by/4.0/")


def test_older_version_text_links_its_own_deed():
    text = as_text(work("CC-BY-NC-ND-1.0"))
    assert "is licensed under CC BY-ND-NC 1.0." in text
    assert text.endswith("https://creativecommons.org/licenses/by-nd-nc/1.0/")


def test_by_sa_html_links_title_creator_and_license_with_cc_rel_rdfa():
    markup = as_html(work())
    found = links(markup)
    assert found[PAGE] == {"href": PAGE, "property": "dct:title", "rel": "cc:attributionURL"}
    assert found[PROFILE] == {
        "href": PROFILE,
        "property": "cc:attributionName",
        "rel": "dct:creator",
    }
    assert found[BY_SA]["rel"] == "license noopener noreferrer"
    root = parse(markup).tags[0]
    assert root == (
        "p",
        {
            "class": "attribution",
            "xmlns:cc": "http://creativecommons.org/ns#",
            "xmlns:dct": "http://purl.org/dc/terms/",
            "about": PAGE,
        },
    )
    assert "".join(parse(markup).text) == (
        '"Sunset over Oslo" by Jane Doe is licensed under CC BY-SA 4.0.'
    )


def test_html_rdfa_literals_carry_no_stray_whitespace():
    markup = as_html(work(title="  Sunset \n over   Oslo  ", creator_name=" Jane\tDoe "))
    assert ">Sunset over Oslo</a>" in markup
    assert ">Jane Doe</a>" in markup


def test_by_sa_markdown_links_title_creator_and_license():
    assert as_markdown(work()) == (
        f'"[Sunset over Oslo]({PAGE})" by [Jane Doe]({PROFILE}) '
        f"is licensed under [CC BY-SA 4.0]({BY_SA})."
    )


@pytest.mark.parametrize(
    ("license_id", "name", "url"),
    [
        ("CC0-1.0", "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
        (
            "CC-PDM-1.0",
            "Public Domain Mark 1.0",
            "https://creativecommons.org/publicdomain/mark/1.0/",
        ),
    ],
)
def test_public_domain_tools_still_credit_the_creator_but_say_marked_with(license_id, name, url):
    w = work(license_id)
    assert as_text(w) == (
        f'"Sunset over Oslo" ({PAGE}) by Jane Doe is marked with {name}. '
        f"To view the terms, visit {url}"
    )
    assert links(as_html(w))[url]["rel"] == "license noopener noreferrer"
    assert as_markdown(w).endswith(f"is marked with [{name}]({url}).")
    assert as_dict(w)["attribution_required"] is False


def test_all_rights_reserved_credits_the_copyright_holder():
    w = work("all-rights-reserved")
    assert as_text(w) == f'"Sunset over Oslo" ({PAGE}) © Jane Doe, all rights reserved.'
    assert as_markdown(w) == (
        f'"[Sunset over Oslo]({PAGE})" © [Jane Doe]({PROFILE}), all rights reserved.'
    )
    markup = as_html(w)
    assert 'rel="license' not in markup
    assert "".join(parse(markup).text) == '"Sunset over Oslo" © Jane Doe, all rights reserved.'


def test_all_rights_reserved_without_creator_still_reserves_rights():
    w = work("all-rights-reserved", creator_name="")
    assert as_text(w) == f'"Sunset over Oslo" ({PAGE}), all rights reserved.'


def test_untitled_work_is_called_this_work_and_asserts_no_title():
    w = work(title="   ")
    assert as_text(w).startswith(f"This work ({PAGE}) by Jane Doe is licensed under")
    assert as_markdown(w).startswith(f"[This work]({PAGE}) by")
    assert links(as_html(w))[PAGE] == {"href": PAGE, "rel": "cc:attributionURL"}
    assert "dct:title" not in as_html(w)


def test_unknown_creator_drops_the_by_clause():
    w = work(creator_name="", creator_url=PROFILE)
    assert as_text(w).startswith(f'"Sunset over Oslo" ({PAGE}) is licensed under CC BY-SA 4.0.')
    assert PROFILE not in as_html(w)
    assert " by " not in as_markdown(w)


def test_work_with_nothing_but_a_license_still_reads_as_a_sentence():
    w = Work(license=catalogue.get("CC-BY-4.0"))
    assert as_text(w) == (
        "This work is licensed under CC BY 4.0. "
        "To view a copy of this license, visit https://creativecommons.org/licenses/by/4.0/"
    )
    assert as_markdown(w) == (
        "This work is licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)."
    )


def test_creator_without_url_is_credited_unlinked_but_keeps_rdfa_name():
    markup = as_html(work(creator_url=""))
    assert '<bdi property="cc:attributionName">Jane Doe</bdi>' in markup
    assert as_markdown(work(creator_url="")).startswith(f'"[Sunset over Oslo]({PAGE})" by Jane Doe')


@pytest.mark.parametrize(
    ("changes", "modified_by", "sentence"),
    [
        ("cropped and recoloured", "", " Changes: cropped and recoloured."),
        ("cropped", "Bob", " Changes by Bob: cropped."),
        ("", "Bob", " Modified by Bob."),
    ],
)
def test_changes_are_indicated_after_the_credit(changes, modified_by, sentence):
    text = as_text(work(changes=changes, modified_by=modified_by))
    assert f"CC BY-SA 4.0.{sentence} To view" in text


def test_adaptation_names_its_source_and_the_source_license():
    source = work("CC-BY-4.0", title="Fjord", creator_name="Ann", source_url="https://x.example/1")
    w = work(adapted_from=source)
    assert (
        ' Adapted from "Fjord" (https://x.example/1) by Ann (CC BY 4.0). To view a copy'
        in as_text(w)
    )
    found = links(as_html(w))
    assert found["https://x.example/1"] == {"href": "https://x.example/1", "rel": "dct:source"}
    assert "rel" not in found["https://creativecommons.org/licenses/by/4.0/"]
    assert as_markdown(w).endswith(
        'Adapted from "[Fjord](https://x.example/1)" by [Ann](https://photos.example/u/jane) '
        "([CC BY 4.0](https://creativecommons.org/licenses/by/4.0/))."
    )


def test_untitled_source_is_called_an_untitled_work():
    source = Work(license=catalogue.get("CC0-1.0"), source_url="https://x.example/1")
    assert "Adapted from an untitled work (https://x.example/1) (CC0 1.0)." in as_text(
        work(adapted_from=source)
    )


def test_script_in_title_and_name_is_escaped_in_html():
    w = work(title='<script>alert("t")</script>', creator_name="<img src=x onerror=alert(1)>")
    markup = as_html(w)
    assert "<script" not in markup
    assert "<img" not in markup
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in markup
    assert {tag for tag, _ in parse(markup).tags} <= {"p", "a", "bdi"}


def test_quotes_in_urls_cannot_break_out_of_attributes():
    w = work(
        source_url='https://x.example/"onmouseover="alert(1)', creator_url="https://x.example/'"
    )
    for tag, attrs in parse(as_html(w)).tags:
        assert set(attrs) <= ALLOWED_ATTRIBUTES, (tag, attrs)
    assert links(as_html(w))['https://x.example/"onmouseover="alert(1)']["rel"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "/relative/path",
        "https:///no-host",
        "http://exa mple.com/",
        "https://example.com/\u202e",
    ],
)
def test_only_absolute_http_urls_ever_become_links(url):
    w = work(creator_url=url, source_url=url)
    for output in all_outputs(w):
        assert "script:" not in output.lower().replace("\t", "").replace("\n", "")
        assert "data:" not in output
    for href in links(as_html(w)):
        assert href.startswith("https://creativecommons.org/")
    assert as_dict(w)["creator"]["url"] == ""
    assert as_dict(w)["source_url"] == ""
    assert "Jane Doe" in as_text(w)


def test_safe_url_keeps_ordinary_http_and_https_urls():
    assert safe_url(" https://photos.example/p/1?x=1#y ") == "https://photos.example/p/1?x=1#y"
    assert safe_url("http://photos.example") == "http://photos.example"
    assert safe_url(None) == ""


def test_rtl_override_and_other_bidi_controls_are_stripped_everywhere():
    hostile = "\u202egpj.exe\u202c"
    w = work(title=hostile, creator_name=f"\u2067{hostile}\u2069", changes=f"\u200f{hostile}")
    for output in all_outputs(w):
        assert not set(output) & set(BIDI_CONTROLS)
        assert "gpj.exe" in output


def test_right_to_left_names_are_kept_and_isolated_in_html():
    w = work(title="غروب", creator_name="דנה לוי", creator_url="")
    assert "<bdi><a " in as_html(w)
    assert '<bdi property="cc:attributionName">דנה לוי</bdi>' in as_html(w)
    assert '"غروب"' in as_text(w)


def test_markdown_metacharacters_in_user_text_are_escaped():
    w = work(title="*bold* [x](javascript:alert(1)) <b>`code`</b> _u_ #1 | ~s~ &amp; !")
    md = as_markdown(w)
    assert "](javascript" not in md
    assert (
        r"\*bold\* \[x\]\(javascript:alert\(1\)\) \<b\>\`code\`\</b\> \_u\_ \#1 \| \~s\~ \&amp; \!"
        in md
    )


def test_markdown_cannot_start_a_new_block_from_a_multiline_title():
    md = as_markdown(work(title="Sunset\n\n# Heading\n- item"))
    assert "\n" not in md
    assert r"Sunset \# Heading - item" in md


def test_markdown_link_destinations_are_percent_encoded():
    md = as_markdown(work(source_url="https://x.example/a_(b)<c>"))
    assert "(https://x.example/a_%28b%29%3Cc%3E)" in md


def test_long_creator_names_are_kept_whole_and_escaped_not_truncated():
    name = "<&>" * 1700
    w = work(creator_name=name)
    assert name in as_text(w)
    assert "&lt;&amp;&gt;" * 1700 in as_html(w)
    assert len(as_html(w)) < len(name) * 5 + 1000
    assert as_dict(w)["creator"]["name"] == name


def test_as_dict_is_json_ready_and_matches_the_renderings():
    source = work("CC-BY-4.0", title="Fjord")
    w = work(changes="cropped", modified_by="Bob", adapted_from=source, creator_url="javascript:x")
    data = json.loads(json.dumps(as_dict(w)))
    assert data["text"] == as_text(w)
    assert data["html"] == as_html(w)
    assert data["markdown"] == as_markdown(w)
    assert data["license"] == {"id": "CC-BY-SA-4.0", "name": "CC BY-SA 4.0", "url": BY_SA}
    assert data["creator"] == {"name": "Jane Doe", "url": ""}
    assert data["attribution_required"] is True
    assert (data["changes"], data["modified_by"]) == ("cropped", "Bob")
    assert data["adapted_from"][0]["title"] == "Fjord"
    assert data["adapted_from"][0]["license"]["id"] == "CC-BY-4.0"
    assert as_dict(work())["adapted_from"] == []


def test_a_derivative_of_two_works_credits_both_sources():
    first = work("CC-BY-4.0", title="Fjord")
    second = work("CC0-1.0", title="Sky")
    text = as_text(work(adapted_from=(first, second)))
    assert 'Adapted from "Fjord"' in text and '; and from "Sky"' in text
    assert "(CC BY 4.0)" in text and "(CC0 1.0)." in text


def test_clean_text_puts_user_text_on_one_line_without_controls():
    assert clean_text("  a\r\nb\u2028c\x00d\u202e ") == "a b c d"
    assert clean_text(None) == ""

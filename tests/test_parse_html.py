"""HTML pages: only visible text is read, and every finding lands on the exact line and column
of the HTML source."""

from __future__ import annotations

import time
from functools import lru_cache

import pytest

from healthlint.engine import lint_source
from healthlint.formats import Format, spec
from healthlint.parse.blocks import BlockKind
from healthlint.parse.html import decode_reference, parse_html
from healthlint.parse.plaintext import parse_plaintext
from healthlint.source import from_text


@lru_cache(maxsize=1)
def default_rules():
    from healthlint.ruleset import load_rules

    return [r for r in load_rules().rules if r.info.enabled]


def parse(page: str):
    return parse_html(from_text(page, "page.html", Format.HTML))


def texts(page: str) -> list[str]:
    return [b.text for b in parse(page).blocks]


def lint(page: str, path: str = "page.html", **options):
    return lint_source(from_text(page, path), default_rules(), **options).findings


def line_col(page: str, offset: int) -> tuple[int, int]:
    line = page.count("\n", 0, offset) + 1
    return line, offset - (page.rfind("\n", 0, offset) + 1) + 1


def at(page: str, phrase: str, occurrence: int = 1, after: str = "") -> tuple[int, int]:
    """Line and column of the n-th ``phrase`` in the page (after the first ``after``)."""
    offset = page.index(after) if after else -1
    for _ in range(occurrence):
        offset = page.index(phrase, offset + 1)
    return line_col(page, offset)


def starts(findings, rule: str) -> list[tuple[int, int]]:
    return [(f.start.line, f.start.column) for f in findings if f.rule == rule]


# --- the registry ------------------------------------------------------------------------------


def test_html_is_read_by_the_html_parser_with_comment_directives():
    html_spec = spec(Format.HTML)
    assert html_spec.parser == "healthlint.parse.html:parse_html"
    assert html_spec.html_comments


# --- the seed article as a web page ------------------------------------------------------------

SCRIPT_CLAIM = "Kratom is a safe, natural alternative to opioids."


def article_page(article: str) -> tuple[str, dict[int, tuple[int, str]]]:
    """The article as a CMS page: a head with a title, a script holding a claim, a style sheet, a
    nav of links, then each line of the article in its element. Returns the page and, for each
    article line (1-based), the page offset where its text starts and the text as written there
    (the line's apostrophes written as &rsquo; in the paragraph about the liver)."""
    kinds = {b.offsets[0]: b.kind for b in parse_plaintext(from_text(article, "a.txt")).blocks}
    head = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
        "  <title>Kratom &amp; chronic pain</title>\n"
        f"  <script>\n    var teaser = \"{SCRIPT_CLAIM}\";\n    if (a < b && c) {{ show(teaser); }}\n  </script>\n"
        "  <style>\n    p { margin: 0 } /* kratom is safe */\n  </style>\n</head>\n<body>\n"
        "<nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/herbs\">Herbs</a></li></ul></nav>\n<main>\n"
    )
    parts = [head]
    where: dict[int, tuple[int, str]] = {}
    in_list = False
    line_start = 0
    for number, line in enumerate(article.split("\n"), start=1):
        kind = kinds.get(line_start + len(line) - len(line.lstrip("- ")), BlockKind.PARAGRAPH)
        line_start += len(line) + 1
        marker = 2 if kind is BlockKind.LIST_ITEM else 0  # "- "
        if kind is BlockKind.LIST_ITEM:
            body = line[2:]
            opener, closer = ("<ul>\n" if not in_list else "") + "  <li>", "</li>\n"
            in_list = True
        else:
            body = line
            opener = ("</ul>\n" if in_list else "") + ("<h2>" if kind is BlockKind.HEADING else "<p>\n  ")
            closer = "</h2>\n" if kind is BlockKind.HEADING else "\n</p>\n"
            in_list = False
        written = body.replace("\u2019", "&rsquo;") if body.startswith("The liver is a crucial organ") else body
        parts.append(opener)
        where[number] = (sum(map(len, parts)) - marker, written)
        parts.append(written + closer)
    parts.append("</main>\n</body>\n</html>\n")
    return "".join(parts), where


def html_position(where, line: int, column: int) -> tuple[int, int]:
    """Where the character at (line, column) of the article is written in the page."""
    start, written = where[line]
    # Each "&rsquo;" written before the column stands for one character of the article.
    page_column = 0
    for _ in range(column - 1):
        page_column += len("&rsquo;") if written.startswith("&rsquo;", page_column) else 1
    return start + page_column


def test_the_article_as_a_page_gives_the_same_claim_findings_at_the_page_positions(seed_path):
    article = seed_path.read_text(encoding="utf-8")
    page, where = article_page(article)
    as_text = [f for f in lint(article, "article.txt") if f.rule != "reading-level"]
    as_page = [f for f in lint(page) if f.rule != "reading-level"]
    assert len(as_text) > 30
    assert [(f.rule, f.message) for f in as_page] == [(f.rule, f.message) for f in as_text]
    for text_finding, page_finding in zip(as_text, as_page):
        start = html_position(where, text_finding.start.line, text_finding.start.column)
        end = html_position(where, text_finding.end.line, text_finding.end.column - 1) + 1
        assert (page_finding.start.line, page_finding.start.column) == line_col(page, start), text_finding
        assert (page_finding.end.line, page_finding.end.column) == line_col(page, end), text_finding
        assert page_finding.text == text_finding.text


def test_the_article_page_findings_sit_on_the_flagged_words(seed_path):
    page, _ = article_page(seed_path.read_text(encoding="utf-8"))
    found = lint(page)

    def in_article(phrase: str, occurrence: int = 1) -> tuple[int, int]:
        return at(page, phrase, occurrence, after="<main>")  # the script says it first

    assert in_article("Studies suggest") in starts(found, "missing-citation")
    assert in_article("Research points to") in starts(found, "missing-citation")
    assert in_article("Research suggests") in starts(found, "missing-citation")
    assert in_article("alternative to opioids") in starts(found, "opioid-substitution")
    assert in_article("natural alternative to opioids") in starts(found, "natural-means-safe")
    assert in_article("generally safe for liver health") in starts(found, "unhedged-safety-claim")
    # On the line written with &rsquo;: "body&rsquo;s" before the claim moves it 6 columns on.
    assert in_article("is generally safe for the liver, even at higher doses") in starts(found, "unhedged-safety-claim")
    # "hepatic (liver)" is explained a paragraph earlier, so its later use is not flagged again.
    assert in_article("hepatic damage") not in starts(found, "plain-language")
    assert in_article("Non-Pharmacological Approaches with Kratom for Effective", 2) in starts(found, "plain-language")  # the <h2>


def test_the_scripts_claim_and_the_style_sheet_are_not_read(seed_path):
    page, _ = article_page(seed_path.read_text(encoding="utf-8"))
    script_line = at(page, SCRIPT_CLAIM)[0]
    style_line = at(page, "kratom is safe */")[0]
    assert {"opioid-substitution", "natural-means-safe"} <= {f.rule for f in lint(SCRIPT_CLAIM + "\n", "claim.txt")}
    assert not [f for f in lint(page) if f.start.line in (script_line, style_line)]
    document = parse(page)
    assert not any("teaser" in b.text or "margin" in b.text or "kratom is safe" in b.text for b in document.blocks)
    assert document.blocks[0].text == "Kratom & chronic pain" and document.blocks[0].kind is BlockKind.HEADING
    assert [b.text for b in document.blocks[1:3]] == ["Home", "Herbs"]


# --- suppressions -------------------------------------------------------------------------------

CLAIM_PAGE = "<p>Kratom offers a natural alternative to opioids.</p>\n"


def test_disable_next_line_comment_silences_the_next_line_only():
    assert "opioid-substitution" in {f.rule for f in lint(CLAIM_PAGE)}
    page = "<!-- healthlint-disable-next-line opioid-substitution -- quoted to debunk -->\n" + CLAIM_PAGE + CLAIM_PAGE
    assert starts(lint(page), "opioid-substitution") == [at(page, "alternative", 2)] == [(3, 28)]


def test_disable_and_enable_comments_bound_a_passage():
    page = "<div>\n<!-- healthlint-disable opioid-substitution -->\n" + CLAIM_PAGE + "<!-- healthlint-enable -->\n" + CLAIM_PAGE + "</div>\n"
    assert starts(lint(page), "opioid-substitution") == [at(page, "alternative", 2)] == [(5, 28)]
    assert not [f for f in lint("<html><!-- healthlint-disable-file -->\n" + CLAIM_PAGE) if f.rule != "unused-suppression"]


def test_unused_suppression_comment_is_reported_at_the_comment():
    page = "<p>Sleep well.</p>\n  <!-- healthlint-disable-next-line opioid-substitution -->\n<p>Drink water.</p>\n"
    unused = [f for f in lint(page, report_unused_suppressions=True) if f.rule == "unused-suppression"]
    assert [(f.start.line, f.start.column) for f in unused] == [(2, 3)]


def test_a_comment_inside_a_word_hides_nothing_and_splits_nothing():
    assert texts("<p>kra<!-- note -->tom is safe</p>") == ["kratom is safe"]
    assert parse("<p>a</p><!-- healthlint-disable x -->").comments == [(8, " healthlint-disable x ")]


# --- entities and white space ------------------------------------------------------------------


def test_entities_decode_to_one_character_at_the_entitys_ampersand():
    page = "<p>Caf&eacute; &amp; kratom&#8217;s&nbsp;tea&#x2014;ok</p>"
    (block,) = parse(page).blocks
    assert block.text == "Caf\u00e9 & kratom\u2019s\u00a0tea\u2014ok"
    assert block.offsets[3] == page.index("&eacute;")
    assert block.offsets[5] == page.index("&amp;")
    assert block.offsets[13] == page.index("&#8217;")
    assert block.offsets[14] == page.index("s&nbsp;")
    assert block.offsets[15] == page.index("&nbsp;")
    assert block.offsets[19] == page.index("&#x2014;")
    assert block.offsets[20] == page.index("ok")


def test_references_that_are_not_entities_stay_as_written():
    assert texts("<p>R&D &unknown; &#; AT&T 5 &lt 6 &ampere</p>") == ["R&D &unknown; &#; AT&T 5 < 6 &ere"]  # "&amp" needs no ";"
    assert texts("<p>a &#32;&#10; b&#x20;</p>") == ["a b"]  # white space written as references collapses too
    assert decode_reference("&#150;", 0, 6) == ("\u2013", 6)  # the standard's Windows-1252 repair
    assert decode_reference("&#" + "9" * 5000 + ";", 0, 5003) == ("\ufffd", 5003)
    assert decode_reference("&notit;", 0, 7) == ("\u00ac", 4)


def test_white_space_collapses_as_a_browser_shows_it_and_maps_to_the_source():
    page = "<p>\n   Kratom \n\t  is   <b> safe</b>\n  for <em>no one</em>.\n</p>"
    (block,) = parse(page).blocks
    assert block.text == "Kratom is safe for no one."
    assert block.offsets[0] == page.index("Kratom")
    assert block.offsets[6] == page.index(" \n\t  is")  # the space stands where the white space starts
    assert block.offsets[7] == page.index("is")
    assert block.offsets[9] == page.index("   <b>")
    assert block.offsets[10] == page.index("safe")
    assert block.offsets[14] == page.index("\n  for")
    assert block.offsets[-1] == page.index(".\n</p>")


# --- alt and title text ------------------------------------------------------------------------


def test_alt_text_is_its_own_block_at_the_attributes_value():
    page = '<p>Look:\n<img src="kratom-is-safe.jpg"\n     alt="Kratom offers a natural alternative to opioids"> here</p>'
    document = parse(page)
    assert [(b.kind, b.text) for b in document.blocks] == [
        (BlockKind.PARAGRAPH, "Look: here"),
        (BlockKind.TABLE_CELL, "Kratom offers a natural alternative to opioids"),
    ]
    assert document.blocks[1].offsets[0] == page.index("Kratom offers")
    assert starts(lint(page), "opioid-substitution") == [at(page, "alternative to opioids")] == [(3, 35)]


def test_title_attributes_are_read_and_other_attributes_are_not():
    page = '<p><abbr title="CBD cures anxiety">CBD</abbr> <a href="https://shop.example/cures" class="cures">shop</a></p>'
    assert texts(page) == ["CBD cures anxiety", "CBD shop"]
    tooltip = parse(page).blocks[0]
    assert tooltip.kind is BlockKind.TABLE_CELL and list(tooltip.offsets) == list(range(page.index("CBD cures"), page.index('">CBD<')))
    (alt,) = parse("<img alt='Kratom &amp;\n  CBD'>").blocks
    assert (alt.text, list(alt.offsets)) == ("Kratom & CBD", [10, 11, 12, 13, 14, 15, 16, 17, 22, 25, 26, 27])  # "&amp;" at 17, the line break at 22
    assert parse('<p>x<img src=a.png alt="">y<input type=image alt="Go"><input alt="no"></p>').blocks[1].text == "Go"


# --- what is skipped ----------------------------------------------------------------------------


def test_invisible_content_is_skipped():
    page = (
        "<head><title>Title</title><style>p{}</style><script>kratom()</script></head>"
        "<body><noscript>enable scripts</noscript><template><p>later</p></template>"
        "<svg><text>drawn</text><title>svg title</title></svg><math><mi>x</mi></math>"
        "<p hidden>hidden</p><div style='color: red; DISPLAY:none'>styled away</div><img alt=gone style='visibility: hidden'>"
        "<select><option>pick</option></select><textarea>typed</textarea>"
        "<iframe>frame</iframe><!-- comment --><p>shown</p></body>"
    )
    assert texts(page) == ["Title", "shown"]


def test_pre_is_skipped_and_inline_code_is_protected():
    page = "<pre>Kratom cures pain.</pre><p>Run <code>kratom --safe</code> now.</p>"
    (block,) = parse(page).blocks
    assert block.text == "Run kratom --safe now."
    assert block.protected == [(4, 17)]
    assert block.offsets[4] == page.index("kratom --safe")


def test_an_unclosed_svg_ends_where_html_starts_again():
    assert texts("<svg><path d='M0'><p>Back to the page.</p>") == ["Back to the page."]
    # HTML inside <foreignObject> belongs to the drawing: it does not end the svg.
    assert texts("<svg><foreignObject><p>In the <b>drawing</b>.</p></foreignObject></svg><p>Page.</p>") == ["Page."]


# --- blocks -------------------------------------------------------------------------------------


def test_block_tags_make_blocks_of_the_right_kind_and_inline_tags_do_not_split():
    page = (
        "<h1>Heading <span>one</span></h1><p>A <a href='#'>link</a>, <strong>bold</strong> and <cite>a cite</cite>.</p>"
        "<ul><li>first<li>second</ul><table><tr><th>head<td>cell</table>"
        "<blockquote><p>quoted</p></blockquote><div>div<section>section</section>after</div>"
        "<p>one<br>line<br> <br>two</p>"
    )
    blocks = [(b.kind, b.text, b.in_quote) for b in parse(page).blocks]
    P, H, L, T = BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.LIST_ITEM, BlockKind.TABLE_CELL
    assert blocks == [
        (H, "Heading one", False),
        (P, "A link, bold and a cite.", False),
        (L, "first", False),
        (L, "second", False),
        (T, "head", False),
        (T, "cell", False),
        (P, "quoted", True),
        (P, "div", False),
        (P, "section", False),
        (P, "after", False),
        (P, "one line", False),
        (P, "two", False),
    ]


def test_links_and_cites_become_links_like_markdowns():
    (block,) = parse('<p>See <a href="https://pubmed.example/1?a=1&amp;b=2">the <em>trial</em></a> and <cite>Smith 2020</cite>.</p>').blocks
    assert [(block.text[l.start : l.end], l.target) for l in block.links] == [
        ("the trial", "https://pubmed.example/1?a=1&b=2"),
        ("Smith 2020", "Smith 2020"),
    ]
    (two,) = parse("<p><a href=a>x</a><a href=b>y</a></p>").blocks
    assert [(l.start, l.end, l.target) for l in two.links] == [(0, 1, "a"), (1, 2, "b")]


def test_q_is_shown_in_quotation_marks_so_a_reported_claim_is_not_made():
    page = "<p>Sellers call kratom <q>a natural alternative to opioids</q>.</p>"
    (block,) = parse(page).blocks
    assert block.text == "Sellers call kratom \u201ca natural alternative to opioids\u201d."
    assert block.offsets[20] == page.index("<q>") and block.offsets[-2] == page.index("</q>")
    assert "opioid-substitution" not in {f.rule for f in lint(page)}
    assert "opioid-substitution" in {f.rule for f in lint(page.replace("<q>", "<span>").replace("</q>", "</span>"))}


def test_a_link_or_a_cite_counts_as_a_citation():
    bare = "<p>Research suggests kratom is good for the liver.</p>"
    assert "missing-citation" in {f.rule for f in lint(bare)}
    linked = '<p>Research suggests kratom is good for the liver (<a href="https://pubmed.example/1">study</a>).</p>'
    cited = "<p>Research suggests kratom is good for the liver (<cite>Liver Review</cite>).</p>"
    assert "missing-citation" not in {f.rule for f in lint(linked)}
    assert "missing-citation" not in {f.rule for f in lint(cited)}


# --- malformed pages ----------------------------------------------------------------------------


def test_malformed_html_is_read_as_a_browser_would():
    assert texts("<p>one<p>two</div></span>stray</p> end") == ["one", "twostray", "end"]  # stray end tags are nothing
    assert texts("<p>unclosed <b>bold <i>italic") == ["unclosed bold italic"]
    assert texts("<p>a <unknown-tag x=1>b</unknown-tag> c</p>") == ["a b c"]
    assert texts("<p>1 < 2 and 3 > 2, </ p> <> done") == ["1 < 2 and 3 > 2, <> done"]
    assert texts("<p>before<a href='never closed") == ["before"]
    assert texts("<p>before<!-- never closed <p>hidden") == ["before"]
    assert texts("<p>x</p></") == ["x", "</"]
    assert texts("<ul><li>a<ul><li>b</li></li>c</ul>d</ul>") == ["a", "b", "c", "d"]
    # The second "</li>" cannot close the outer item across the list still open in it: c and d stay in it.
    assert [b.kind for b in parse("<ul><li>a<ul><li>b</li></li>c</ul>d</ul>").blocks][2:] == [BlockKind.LIST_ITEM, BlockKind.LIST_ITEM]


PATHOLOGICAL = {
    "open angles": "<",
    "unclosed tags": "<a ",
    "unclosed attributes": "<a x=y ",
    "unclosed comments": "<!--",
    "nested divs": "<div>",
    "paragraphs": "<p>",
    "ampersands": "&",
    "unfinished references": "&#",
    "end tags": "</",
    "stray end tags": "</span>",
    "nested tables": "<table><tr><td>",
    "unclosed quotes": "<a b='",
    "list items": "<li>",
    "breaks": "<br>",
    "scripts": "<script>",
}


@pytest.mark.parametrize("unit", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_pages_are_read_in_linear_time(unit):
    # Python's html.parser takes minutes on 100 kB of most of these (it rescans the rest of the
    # page at each malformed tag); read once, each takes well under a second.
    page = unit * (100_000 // len(unit)) + "<p>Kratom is safe.</p>"
    began = time.process_time()
    parse(page)
    assert time.process_time() - began < 3


def test_a_megabyte_on_one_line_and_deep_nesting_are_read():
    line = "<p>" + "Kratom is safe. " * 65_536 + "</p>"
    (block,) = parse(line).blocks
    assert len(block.text) == 16 * 65_536 - 1 and block.offsets[-1] == len(line) - 6
    deep = "<div>" * 50_000 + "<p>Kratom is safe.</p>" + "</span>" * 50_000 + "</div>" * 50_000 + "<p>after</p>"
    assert texts(deep) == ["Kratom is safe.", "after"]


def test_upper_case_tags_and_attributes_are_read_alike():
    assert texts('<P>One<BR><Br>two</P><IMG ALT="Alt text"><SCRIPT>x()</SCRIPT>') == ["One", "two", "Alt text"]


def test_reading_markdown_never_imports_the_html_reader(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\nfrom healthlint.engine import lint_text\nfrom healthlint.ruleset import load_rules\n"
        "lint_text('Kratom is safe.\\n', load_rules().rules, 'a.md', markdown=True)\n"
        "print('healthlint.parse.html' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


# --- every page, however broken ----------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, example, given, settings, strategies as st  # noqa: E402

PIECES = [
    "<p>", "</p>", "<div>", "</div>", "<li>", "<ul>", "</ul>", "<td>", "<table>", "</table>", "<h2>", "</h2>",
    "<a href='x'>", "<a href=\"y", "</a>", "<cite>", "</cite>", "<b>", "</b>", "<br>", "<BR/>", "</br>",
    "<img alt='Alt &amp; text' src=x>", "<abbr title=T>", "<script>", "</script>", "<style>", "</style>",
    "<svg>", "</svg>", "<math>", "<template>", "</template>", "<pre>", "</pre>", "<code>", "</code>",
    "<!--", "-->", "<!-- healthlint-disable -->", "<!doctype html>", "<?xml?>", "<![CDATA[", "]]>",
    "<title>", "</title>", "<blockquote>", "<p hidden>", "<", ">", "</", "/>", "'", '"', "=",
    "<q>", "</q>", "&amp;", "&nbsp;", "&#8217;", "&#x41;", "&notit;", "&", "&#", "&amp", "Kratom is safe.", "word",
    " ", "  ", "\n", "\t", "é", "😀", "\u00a0",
]


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_every_prose_character_maps_to_the_source_character_it_shows(page):
    for block in parse(page).blocks:
        assert len(block.offsets) == len(block.text) and block.text == block.text.strip()
        offsets = list(block.offsets)
        if block.kind is not BlockKind.TABLE_CELL:
            assert offsets == sorted(offsets)
        for char, offset in zip(block.text, offsets):
            shown = page[offset]
            assert char == shown or shown == "&" or (char in " \u201c\u201d" and (shown in "\t\n\f\r " or shown == "<")), (char, offset, page)
        for start, end in block.protected + [(link.start, link.end) for link in block.links]:
            assert 0 <= start < end <= len(block.text)


@settings(max_examples=100, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES + ["Kratom offers a natural alternative to opioids.", "Studies show CBD cures anxiety."]), max_size=30).map("".join))
def test_every_page_lints_with_findings_inside_the_page(page):
    source = from_text(page, "page.html")
    for finding in lint_source(source, default_rules()).findings:
        start, end = finding.span
        assert 0 <= start <= end <= len(page)
        assert finding.text == page[start:end]
        assert (finding.start.line, finding.start.column) == line_col(page, start)


# --- from the command line ---------------------------------------------------------------------


def test_checking_a_page_names_its_line_and_column_and_fix_keeps_the_markup(tmp_path):
    from conftest import invoke

    page = '<html><body>\n<div class="post">\n  <p>Kratom is <em>detrimental</em> to some, &amp; <b>a natural alternative to opioids</b>.</p>\n</div></body></html>\n'
    (tmp_path / "post.html").write_text(page, encoding="utf-8")
    result = invoke("check", "post.html", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("post.html:3:65: error opioid-substitution ") for line in lines), result.stdout
    assert any(line.startswith("post.html:3:20: info plain-language ") for line in lines), result.stdout
    assert at(page, "alternative to opioids") == (3, 65) and at(page, "detrimental") == (3, 20)
    fixed = invoke("check", "--fix", "post.html", cwd=tmp_path)
    assert fixed.returncode == 1
    assert (tmp_path / "post.html").read_text(encoding="utf-8") == page.replace("<em>detrimental</em>", "<em>harmful</em>")


@settings(max_examples=100, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES + ["It is detrimental.", "We utilize hepatic tests.", "utilize"]), max_size=30).map("".join))
@example("<p>We <b>utilize</b> it &amp; it is detrimental.</p><img alt='We utilize it'>")
def test_fixes_change_words_never_markup_and_fixing_again_changes_nothing(page):
    import re

    from healthlint.fixes import fix_source

    def lint_page(source):
        return lint_source(source, default_rules()).findings

    once = fix_source(from_text(page, "page.html"), lint_page, unsafe=False)
    twice = fix_source(from_text(once.fixed_text, "page.html"), lint_page, unsafe=False)
    assert twice.fixed_text == once.fixed_text
    # Tags and references stay as they were; only alt and title values (text) may change.
    markup = re.compile(r"<[^<>]*>|&[#\w]+;?")
    text_values = re.compile(r"""((?:alt|title)\s*=\s*)("[^"]*"|'[^']*'|[^\s>]*)""", re.IGNORECASE)
    assert [text_values.sub(r"\1", m) for m in markup.findall(once.fixed_text)] == [text_values.sub(r"\1", m) for m in markup.findall(page)]

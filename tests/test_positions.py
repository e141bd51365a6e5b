"""Exact positions: every finding and every prose character must point at the right place.

Expected lines and columns are written out by hand. Each comment shows how a number was
worked out on the *original* text (1-based columns, counted in characters, end exclusive),
so a reader can check it without running healthlint.

Two claims are used throughout:

    C = "Our CBD gummies have zero side effects."       flagged text "zero side effects"
        "zero" is at index 21 of C, so column 22 when C starts a line; it ends at column 39.
    O = "Kratom offers a natural alternative to opioids."  flagged text "alternative to opioids"
        "alternative" is at index 24 of O, so column 25; it ends at column 47.
"""

from __future__ import annotations

import pytest

from healthlint.engine import lint_source
from healthlint.parse import BlockKind, parse
from healthlint.ruleset import load_rules
from healthlint.model import Position
from healthlint.source import SourceText, from_text, read_source

C = "Our CBD gummies have zero side effects."
O = "Kratom offers a natural alternative to opioids."
SAFETY = "unhedged-safety-claim"
OPIOID = "opioid-substitution"


@pytest.fixture(scope="module")
def rules():
    ruleset = load_rules()
    # Only the two claim rules: reading level and citations would add noise unrelated to positions.
    return [ruleset.get(SAFETY), ruleset.get(OPIOID)]


def where(finding) -> tuple:
    """(rule, line, column, end_line, end_column, text) of a finding."""
    return (finding.rule, finding.start.line, finding.start.column, finding.end.line, finding.end.column, finding.text)


def check_spans(source: SourceText, findings) -> None:
    """Every finding's span slices its own text out of the decoded source."""
    for f in findings:
        assert source.text[f.span[0] : f.span[1]] == f.text


def lint(rules, text: str, path: str):
    source = from_text(text, path)
    findings = lint_source(source, rules).findings
    check_spans(source, findings)
    return [where(f) for f in findings]


def lint_file(rules, path):
    source = read_source(path)
    findings = lint_source(source, rules).findings
    check_spans(source, findings)
    return source, [where(f) for f in findings]


def check_offsets(source: SourceText, block) -> None:
    """Every prose character maps to the same character in the source (a soft line break,
    read as a space, maps to the newline it stands for)."""
    for char, offset in zip(block.text, block.offsets):
        if char == " " and source.text[offset] == "\n":
            continue
        assert source.text[offset] == char, (char, offset)


def test_the_two_claims_used_here_start_where_the_module_docstring_says():
    assert C.index("zero side effects") == 21
    assert O.index("alternative to opioids") == 24


# --- plain text -----------------------------------------------------------------------------


def test_crlf_file_has_exact_lines_and_columns(tmp_path, rules):
    path = tmp_path / "crlf.txt"
    path.write_bytes(f"Intro line.\r\n{C}\r\n{O}\r\n".encode())
    source, found = lint_file(rules, path)
    assert source.newline == "\r\n"
    assert found == [
        (SAFETY, 2, 22, 2, 39, "zero side effects"),
        (OPIOID, 3, 25, 3, 47, "alternative to opioids"),
    ]


def test_crlf_file_prose_offsets_map_to_line_starts(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(f"Intro line.\r\n{C}\r\n{O}\r\n".encode())
    source = read_source(path)
    blocks = parse(source).blocks
    assert [b.text for b in blocks] == ["Intro line.", C, O]
    # Offsets are into the normalised text: "Intro line.\n" is 12 characters, C plus "\n" is 40.
    assert [b.offsets[0] for b in blocks] == [0, 12, 52]
    assert [source.position(b.offsets[0]) for b in blocks] == [Position(1, 1), Position(2, 1), Position(3, 1)]
    # The last character of each line is just before its CR: column len(line).
    assert source.position(blocks[1].offsets[-1]) == Position(2, len(C))
    for block in blocks:
        check_offsets(source, block)


def test_utf8_bom_is_not_counted_as_a_column(tmp_path, rules):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + C.encode() + b"\n")
    source, found = lint_file(rules, path)
    assert source.had_bom
    assert found == [(SAFETY, 1, 22, 1, 39, "zero side effects")]
    assert parse(source).blocks[0].offsets[0] == 0


def test_bom_and_crlf_together(tmp_path, rules):
    path = tmp_path / "both.txt"
    path.write_bytes(b"\xef\xbb\xbf" + f"Intro line.\r\n{O}\r\n".encode())
    _, found = lint_file(rules, path)
    assert found == [(OPIOID, 2, 25, 2, 47, "alternative to opioids")]


def test_tabs_before_the_claim_count_as_one_column_each(rules):
    # "\t\t" takes columns 1 and 2, so C starts at column 3 and "zero" at 3 + 21 = 24.
    assert lint(rules, f"\t\t{C}\n", "tabs.txt") == [(SAFETY, 1, 24, 1, 41, "zero side effects")]


def test_tab_inside_the_line_before_the_claim(rules):
    text = f"Note:\t{C}\n"
    assert text.index("zero") == 27  # "Note:\t" is 6 characters
    assert lint(rules, text, "tabs.txt") == [(SAFETY, 1, 28, 1, 45, "zero side effects")]


def test_curly_quotes_and_em_dash_count_as_one_column_each(tmp_path, rules):
    text = f"\u201cQuote\u201d \u2014 {C}\n"
    path = tmp_path / "quotes.txt"
    path.write_bytes(text.encode("utf-8"))
    # "“Quote” — " is 10 characters (but 16 bytes): "zero" is at index 10 + 21 = 31, column 32.
    assert text.index("zero") == 31
    assert len(text[:31].encode()) == 37  # a byte count would say column 38
    _, found = lint_file(rules, path)
    assert found == [(SAFETY, 1, 32, 1, 49, "zero side effects")]


def test_accented_and_astral_characters_count_as_one_column_each(rules):
    # "café " is 5 characters; the herb emoji is one character (two UTF-16 units, four bytes).
    assert lint(rules, f"caf\u00e9 {C}", "a.txt") == [(SAFETY, 1, 27, 1, 44, "zero side effects")]
    text = "Kratom \U0001f33f offers a natural alternative to opioids.\n"
    assert text.index("alternative") == 26
    assert lint(rules, text, "a.txt") == [(OPIOID, 1, 27, 1, 49, "alternative to opioids")]


def test_no_final_newline_claim_at_the_very_end(rules):
    # No closing full stop and no newline: the flagged text runs to the last character.
    text = "Intro.\nKratom offers a natural alternative to opioids"
    assert text.index("alternative") == 31 and len(text) == 53
    source = from_text(text, "eof.txt")
    findings = lint_source(source, rules).findings
    assert [where(f) for f in findings] == [(OPIOID, 2, 25, 2, 47, "alternative to opioids")]
    assert findings[0].span == (31, 53)


def test_claim_on_the_last_line_after_blank_lines(rules):
    text = f"First.\n\nSecond paragraph.\n\nLast: {C}"
    # Line 5 is "Last: " + C: "zero" at 6 + 21 = 27, column 28.
    assert lint(rules, text, "last.txt") == [(SAFETY, 5, 28, 5, 45, "zero side effects")]


def test_claim_on_the_last_line_with_final_newline(rules):
    text = f"First.\n{O}\n"
    assert lint(rules, text, "last.txt") == [(OPIOID, 2, 25, 2, 47, "alternative to opioids")]


def test_plain_text_list_markers_are_skipped_but_counted(rules):
    # "  3) " is 5 characters: "zero" at 5 + 21 = 26, column 27.
    assert lint(rules, f"  3) {C}\n", "list.txt") == [(SAFETY, 1, 27, 1, 44, "zero side effects")]
    assert lint(rules, f"\u2022 {C}\n", "list.txt") == [(SAFETY, 1, 24, 1, 41, "zero side effects")]


def test_plain_text_blocks_and_offsets():
    text = f"Title here\n\n\t- {C}\n"
    source = from_text(text, "a.txt")
    blocks = parse(source).blocks
    assert [(b.kind, b.text) for b in blocks] == [(BlockKind.HEADING, "Title here"), (BlockKind.LIST_ITEM, C)]
    assert blocks[1].offsets[0] == text.index("Our") == 15
    assert blocks[1].offsets == list(range(15, 15 + len(C)))


# --- Markdown: never flagged ------------------------------------------------------------------
# Each case hides C in markup that is not prose, then states O for real: exactly one finding,
# at O's position, shows that the hidden claim was skipped and the rest of the file was read.


NOT_PROSE = {
    "fenced code with backticks": f"```\n{C}\n```\n\n{O}\n",
    "fenced code with tildes": f"~~~text\n{C}\n~~~\n\n{O}\n",
    "indented code": f"Intro.\n\n    {C}\n\n{O}\n",
    "indented code with a tab": f"Intro.\n\n\t{C}\n\n{O}\n",
    "fenced code in a list item": f"- item\n\n  ```\n  {C}\n  ```\n\n{O}\n",
    "YAML front matter": f"---\nnotes: {C}\n---\n\n{O}\n",
    "YAML front matter ended with ...": f"---\nnotes: {C}\n...\n\n{O}\n",
    "TOML front matter": f'+++\nnotes = "{C}"\n+++\n\n{O}\n',
    "HTML comment block": f"<!--\n{C}\n-->\n\n{O}\n",
    "HTML block": f"<div>\n{C}\n</div>\n\n{O}\n",
}


@pytest.mark.parametrize("case", sorted(NOT_PROSE))
def test_markdown_non_prose_block_is_not_flagged(rules, case):
    text = NOT_PROSE[case]
    line = text.count("\n", 0, text.index(O)) + 1
    # O always starts its own line, so its columns are those of the docstring.
    assert lint(rules, text, "a.md") == [(OPIOID, line, 25, line, 47, "alternative to opioids")]


def test_markdown_fenced_code_positions_of_following_claim(rules):
    text = f"```\n{C}\n```\n\n{O}\n"
    # Lines: 1 ```, 2 C, 3 ```, 4 blank, 5 O.
    assert lint(rules, text, "a.md") == [(OPIOID, 5, 25, 5, 47, "alternative to opioids")]


def test_markdown_front_matter_keeps_later_positions_exact(rules):
    text = f"---\nnotes: {C}\ntags: [a]\n---\n{C}\n"
    # The body claim is on line 5, at the start of its line.
    assert lint(rules, text, "a.md") == [(SAFETY, 5, 22, 5, 39, "zero side effects")]


def test_markdown_front_matter_with_bom_and_crlf(tmp_path, rules):
    path = tmp_path / "fm.md"
    path.write_bytes(b"\xef\xbb\xbf" + f"---\r\nnotes: {C}\r\n---\r\n\r\n{C}\r\n".encode())
    _, found = lint_file(rules, path)
    assert found == [(SAFETY, 5, 22, 5, 39, "zero side effects")]


def test_markdown_inline_code_is_not_flagged(rules):
    text = f"Text `{C}` end.\n"
    assert lint(rules, text, "a.md") == []


def test_markdown_inline_code_before_a_claim_keeps_its_columns(rules):
    text = f"Para with ``co`de`` then {C}\n"
    assert text.index("zero") == 46
    assert lint(rules, text, "a.md") == [(SAFETY, 1, 47, 1, 64, "zero side effects")]


def test_markdown_inline_html_comment_is_not_flagged(rules):
    assert lint(rules, f"Hi <!-- {C} --> there.\n", "a.md") == []


def test_markdown_link_target_with_spaces_is_not_flagged(rules):
    assert lint(rules, "Read [more](<https://x.org/zero side effects>) now.\n", "a.md") == []


def test_markdown_link_title_is_not_flagged(rules):
    assert lint(rules, f'Read [more](https://x.org/a "{C}") now.\n', "a.md") == []


def test_markdown_reference_definition_is_not_flagged(rules):
    assert lint(rules, f'Read [this][1] now.\n\n[1]: https://x.org/a "{C}"\n', "a.md") == []


def test_markdown_image_alt_and_target_are_not_flagged(rules):
    text = f"Read ![{C}](https://x.org/zero-side-effects.png) now.\n"
    assert lint(rules, text, "a.md") == []
    text = f"![{O}](<kratom alternative to opioids.png>)\n"
    assert lint(rules, text, "a.md") == []


def test_markdown_image_then_claim_on_same_line(rules):
    text = f"![a \\] zero side effects](k.png) {C}\n"
    assert text.rindex("zero") == 54
    assert lint(rules, text, "a.md") == [(SAFETY, 1, 55, 1, 72, "zero side effects")]


def test_markdown_image_alt_with_nested_brackets_does_not_capture_the_claim(rules):
    text = "Kratom pic: ![kratom [1] alternative to opioids](k.png) alternative to opioids.\n"
    # The real claim is the second "alternative", after "](k.png) ": index 56, column 57.
    assert text.rindex("alternative") == 56
    assert lint(rules, text, "a.md") == [(OPIOID, 1, 57, 1, 79, "alternative to opioids")]


# --- Markdown: flagged, with exact positions -------------------------------------------------


def test_markdown_atx_heading(rules):
    # "# " is 2 characters: "zero" at 2 + 21 = 23, column 24.
    assert lint(rules, f"# {C}\n", "a.md") == [(SAFETY, 1, 24, 1, 41, "zero side effects")]


def test_markdown_heading_after_crlf_lines(rules):
    text = "Intro.\r\n\r\n# Kratom: a natural alternative to opioids\r\n"
    # Line 3 is "# Kratom: a natural alternative to opioids": "alternative" at index 20, column 21.
    assert "# Kratom: a natural alternative to opioids".index("alternative") == 20
    assert lint(rules, text, "a.md") == [(OPIOID, 3, 21, 3, 43, "alternative to opioids")]


def test_markdown_setext_heading(rules):
    assert lint(rules, f"{C}\n=====\n", "a.md") == [(SAFETY, 1, 22, 1, 39, "zero side effects")]


def test_markdown_list_item(rules):
    assert lint(rules, f"- {C}\n", "a.md") == [(SAFETY, 1, 24, 1, 41, "zero side effects")]
    # "11. " is 4 characters: column 4 + 21 + 1 = 26.
    assert lint(rules, f"10. x\n11. {C}\n", "a.md") == [(SAFETY, 2, 26, 2, 43, "zero side effects")]


def test_markdown_list_item_with_tab_after_marker(rules):
    assert lint(rules, f"-\t{C}\n", "a.md") == [(SAFETY, 1, 24, 1, 41, "zero side effects")]


def test_markdown_nested_list(rules):
    text = f"1. item\n   - sub\n     - {C}\n"
    # Line 3 is "     - " + C: 7 characters of markup, "zero" at 28, column 29.
    assert lint(rules, text, "a.md") == [(SAFETY, 3, 29, 3, 46, "zero side effects")]


def test_markdown_nested_list_indented_with_a_tab(rules):
    # "\t- " is 3 characters: column 3 + 21 + 1 = 25.
    assert lint(rules, f"- item\n\t- {C}\n", "a.md") == [(SAFETY, 2, 25, 2, 42, "zero side effects")]


def test_markdown_list_item_continuation_line(rules):
    text = f"- Intro line\n  {C}\n"
    assert lint(rules, text, "a.md") == [(SAFETY, 2, 24, 2, 41, "zero side effects")]


def test_markdown_table_cell(rules):
    text = f"| a | b |\n|---|---|\n| x | {C} |\n"
    # Line 3 is "| x | " + C: "zero" at 6 + 21 = 27, column 28.
    assert lint(rules, text, "a.md") == [(SAFETY, 3, 28, 3, 45, "zero side effects")]


def test_markdown_table_cells_with_the_same_text_each_map_to_their_own_cell(rules):
    text = f"| {C} | {C} |\n|---|---|\n"
    first, second = text.index("zero"), text.rindex("zero")
    assert (first, second) == (23, 65)
    assert lint(rules, text, "a.md") == [
        (SAFETY, 1, 24, 1, 41, "zero side effects"),
        (SAFETY, 1, 66, 1, 83, "zero side effects"),
    ]


def test_markdown_table_cell_with_emphasis_before_the_claim(rules):
    text = f"| x |\n|---|\n| **Note:** {C} |\n"
    # Line 3 is "| **Note:** " + C: 12 characters before C, "zero" at column 12 + 21 + 1 = 34.
    assert lint(rules, text, "a.md") == [(SAFETY, 3, 34, 3, 51, "zero side effects")]


def test_markdown_table_without_outer_pipes(rules):
    text = f"x | y\n--|--\nfoo | {C}\n"
    assert lint(rules, text, "a.md") == [(SAFETY, 3, 28, 3, 45, "zero side effects")]


def test_markdown_table_cell_with_escaped_pipe(rules):
    text = f"| x | y |\n|---|---|\n| a \\| b: {C} |\n"
    # Line 3 is "| a \\| b: " + C: 10 characters before C, "zero" at column 10 + 21 + 1 = 32.
    assert lint(rules, text, "a.md") == [(SAFETY, 3, 32, 3, 49, "zero side effects")]


def test_markdown_block_quote(rules):
    assert lint(rules, f"> {C}\n", "a.md") == [(SAFETY, 1, 24, 1, 41, "zero side effects")]


def test_markdown_nested_block_quote(rules):
    assert lint(rules, f"> > {C}\n", "a.md") == [(SAFETY, 1, 26, 1, 43, "zero side effects")]


def test_markdown_block_quote_lazy_continuation(rules):
    assert lint(rules, f"> Quote start\n{C}\n", "a.md") == [(SAFETY, 2, 22, 2, 39, "zero side effects")]


def test_markdown_list_inside_block_quote(rules):
    text = f"> Intro\n>\n> - {C}\n"
    assert lint(rules, text, "a.md") == [(SAFETY, 3, 26, 3, 43, "zero side effects")]


def test_markdown_block_quote_blocks_are_marked_in_quote():
    blocks = parse(from_text(f"Before.\n\n> {C}\n", "a.md")).blocks
    assert [(b.text, b.in_quote) for b in blocks] == [("Before.", False), (C, True)]


def test_markdown_link_text(rules):
    text = f"See [this](https://example.org) and [{O}](https://example.org/x).\n"
    assert text.index("alternative") == 61
    assert lint(rules, text, "a.md") == [(OPIOID, 1, 62, 1, 84, "alternative to opioids")]


def test_markdown_link_text_that_is_the_whole_line(rules):
    # "[" is one column: "alternative" at 1 + 24 = 25, column 26.
    assert lint(rules, f"[{O}](https://example.org)\n", "a.md") == [(OPIOID, 1, 26, 1, 48, "alternative to opioids")]


def test_markdown_link_text_over_two_lines(rules):
    text = "[Kratom offers a natural\nalternative to opioids](https://x.org).\n"
    assert lint(rules, text, "a.md") == [(OPIOID, 2, 1, 2, 23, "alternative to opioids")]


def test_markdown_reference_link_text(rules):
    text = f"Read [{O}][ref] now.\n\n[ref]: https://x.org/a\n"
    assert text.index("alternative") == 30
    assert lint(rules, text, "a.md") == [(OPIOID, 1, 31, 1, 53, "alternative to opioids")]


def test_markdown_strong_emphasis_inside_the_claim_maps_exactly(rules):
    text = "Our CBD gummies have **zero** side effects.\n"
    # "zero" starts at index 23 (after "**"); "effects" ends at index 42 (before "."), so the
    # finding runs from column 24 to column 43 and its text is the source slice, markup included.
    assert text.index("zero") == 23 and text.index(".") == 42
    assert lint(rules, text, "a.md") == [(SAFETY, 1, 24, 1, 43, "zero** side effects")]


def test_markdown_emphasis_around_the_whole_claim(rules):
    text = "Our CBD gummies have *zero side effects*.\n"
    assert lint(rules, text, "a.md") == [(SAFETY, 1, 23, 1, 40, "zero side effects")]


def test_markdown_emphasis_entities_and_escapes_before_the_claim(rules):
    assert lint(rules, f"*Note*: {C}\n", "a.md") == [(SAFETY, 1, 30, 1, 47, "zero side effects")]
    # "&amp;" is 5 source characters for 1 prose character: columns stay those of the source.
    assert lint(rules, f"Tom &amp; Jerry say: {C}\n", "a.md") == [(SAFETY, 1, 43, 1, 60, "zero side effects")]
    assert lint(rules, f"A\\*b: {C}\n", "a.md") == [(SAFETY, 1, 28, 1, 45, "zero side effects")]


def test_markdown_curly_quotes_and_em_dash_before_the_claim(rules):
    text = f"_Note_ \u2014 \u201c{C}\u201d\n"
    # "_Note_ — “" is 10 characters: "zero" at 10 + 21 = 31, column 32.
    assert text.index("zero") == 31
    assert lint(rules, text, "a.md") == [(SAFETY, 1, 32, 1, 49, "zero side effects")]


def test_markdown_inline_html_around_a_word(rules):
    text = "Our CBD gummies have <em>zero</em> side effects.\n"
    assert text.index("zero") == 25 and text.index(".") == 47
    assert lint(rules, text, "a.md") == [(SAFETY, 1, 26, 1, 48, "zero</em> side effects")]


def test_markdown_claim_over_a_soft_line_break(rules):
    text = "Our CBD gummies have zero side\neffects.\n"
    assert lint(rules, text, "a.md") == [(SAFETY, 1, 22, 2, 8, "zero side\neffects")]


def test_markdown_claim_over_a_crlf_line_break_with_indent(rules):
    text = "Our CBD gummies have zero side\r\n   effects.\r\n"
    # Line 2 is "   effects.": "effects" ends at index 10, so end column 11.
    assert lint(rules, text, "a.md") == [(SAFETY, 1, 22, 2, 11, "zero side\n   effects")]


def test_markdown_claim_after_hard_breaks(rules):
    assert lint(rules, f"Line one  \n{C}\n", "a.md") == [(SAFETY, 2, 22, 2, 39, "zero side effects")]
    assert lint(rules, f"Line one\\\n{C}\n", "a.md") == [(SAFETY, 2, 22, 2, 39, "zero side effects")]


def test_markdown_crlf_and_bom_file(tmp_path, rules):
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf# Title\r\n\r\n" + f"- {C}\r\n\r\n> {O}\r\n".encode())
    _, found = lint_file(rules, path)
    assert found == [
        (SAFETY, 3, 24, 3, 41, "zero side effects"),
        (OPIOID, 5, 27, 5, 49, "alternative to opioids"),
    ]


def test_markdown_prose_offsets_map_back_to_source_characters():
    text = f"# Title\n\nSome **bold** and [a link](https://x.org) and `code`.\nNext line &amp; more.\n\n- {C}\n"
    source = from_text(text, "a.md")
    blocks = parse(source).blocks
    assert [b.text for b in blocks] == [
        "Title",
        "Some bold and a link and code. Next line & more.",
        C,
    ]
    assert [b.offsets[0] for b in blocks] == [2, 9, text.index("Our")]
    paragraph = blocks[1]
    # "bold" maps past the "**"; "a link" past the "["; the soft break maps to the newline.
    assert paragraph.offsets[paragraph.text.index("bold")] == text.index("bold") == 16
    assert paragraph.offsets[paragraph.text.index("a link")] == text.index("a link") == 28
    assert paragraph.offsets[paragraph.text.index(" Next")] == text.index("\nNext") == 62
    assert paragraph.offsets[paragraph.text.index("&")] == text.index("&amp;") == 73
    # The link target and the inline code's backticks are not in the prose.
    assert "x.org" not in paragraph.text and "`" not in paragraph.text
    for block in blocks:
        for char, offset in zip(block.text, block.offsets):
            if char == "&":
                assert text[offset : offset + 5] == "&amp;"
            elif char == " " and text[offset] == "\n":
                continue
            else:
                assert text[offset] == char


def test_markdown_front_matter_does_not_shift_prose_offsets():
    text = f"---\nnotes: x\n---\n\n{C}\n"
    source = from_text(text, "a.md")
    (block,) = parse(source).blocks
    assert block.offsets[0] == text.index("Our") == 18
    assert block.offsets == list(range(18, 18 + len(C)))


def test_span_positions_are_the_two_positions_on_one_line_or_across_lines():
    source = from_text("ab\ncdef\n\ng", "t.txt", False)
    text = source.text
    for start in range(len(text) + 1):
        for end in range(len(text) + 1):  # end before start too: each is placed on its own
            assert source.span_positions(start, end) == (source.position(start), source.position(end)), (start, end)
    assert source.span_positions(3, 7) == (Position(2, 1), Position(2, 5))
    assert source.span_positions(1, 9) == (Position(1, 2), Position(4, 1))

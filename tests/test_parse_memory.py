"""Compact prose offsets: exact positions on tricky Markdown, and the offset map itself.

Blocks keep their offsets as runs (OffsetMap) and the Markdown parser aligns text a run at a
time, so every expected offset below is written out by hand from the source string: each
comment counts the source characters (0-based, "\\n" counts as one) so a reader can check
it without running healthlint. Speed and memory are measured in bench/, not here.
"""

from __future__ import annotations

import pytest

from healthlint.model import Position
from healthlint.parse import BlockKind, Link, OffsetMap, ProseBlock, parse
from healthlint.source import from_text


def blocks_of(text: str, path: str = "a.md"):
    return parse(from_text(text, path)).blocks


def only_block(text: str) -> ProseBlock:
    (block,) = blocks_of(text)
    return block


def every_char_span(block: ProseBlock) -> list[tuple[int, int]]:
    return [block.source_span(i, i + 1) for i in range(len(block.text))]


# --- Markdown positions ------------------------------------------------------------------


def test_entities_map_to_where_they_start():
    # C0 a1 f2 &eacute;3-10 ' '11 &amp;12-16 ' '17 t18 e19 a20 ' '21 &#x41;22-27 .28
    block = only_block("Caf&eacute; &amp; tea &#x41;.\n")
    assert block.text == "Café & tea A."
    assert list(block.offsets) == [0, 1, 2, 3, 11, 12, 17, 18, 19, 20, 21, 22, 28]
    # A span ending on an entity ends after the whole entity; one starting there starts at the "&".
    assert block.source_span(0, 4) == (0, 11)
    assert block.source_span(3, 6) == (3, 17)
    assert block.source_span(4, 6) == (11, 17)


def test_escapes_skip_the_backslash():
    # U0 s1 e2 ' '3 \4 *5 n6 o7 t8 \9 *10 ' '11 \12 [13 t14 h15 i16 s17 \18 ]19 ' '20 \21 \22
    # ' '23 h24 e25 r26 e27. An escaped backslash maps to the first of the two.
    block = only_block(r"Use \*not\* \[this\] \\ here")
    assert block.text == r"Use *not* [this] \ here"
    assert list(block.offsets) == [0, 1, 2, 3, 5, 6, 7, 8, 10, 11, 13, 14, 15, 16, 17, 19, 20, 21, 23, 24, 25, 26, 27]


def test_emphasis_markers_are_skipped():
    # *0 *1 B2 o3 l4 d5 *6 *7 ' '8 a9 n10 d11 ' '12 _13 i14 t15 _16 ' '17 o18 k19 .20
    block = only_block("**Bold** and _it_ ok.")
    assert block.text == "Bold and it ok."
    assert list(block.offsets) == [2, 3, 4, 5, 8, 9, 10, 11, 12, 14, 15, 17, 18, 19, 20]


def test_link_text_with_nested_brackets():
    # S0 e1 e2 ' '3 [4 "the [NIH] page"5-18 ]19 (20 https://nih.gov21-35 )36 ' '37 n38 o39 w40 .41
    block = only_block("See [the [NIH] page](https://nih.gov) now.")
    assert block.text == "See the [NIH] page now."
    assert list(block.offsets) == [0, 1, 2, 3, *range(5, 19), 37, 38, 39, 40, 41]
    assert block.links == [Link(4, 18, "https://nih.gov")]
    assert block.source_span(4, 18) == (5, 19)  # the link text, without its brackets
    assert block.source_span(14, 22) == (15, 41)  # "page now" runs over the target


def test_reference_link_defined_after_its_use():
    # [0 N1 I2 H3 ]4 [5 1 6 ]7 ' '8 s9 a10 y11 s12 ' '13 s14 o15 .16; the definition comes after
    # another block, so the first block's inline tokens must be read with definitions that
    # the block parser has not reached yet.
    block, later = blocks_of("[NIH][1] says so.\n\nMore text.\n\n[1]: https://nih.gov\n")
    assert (block.text, later.text) == ("NIH says so.", "More text.")
    assert list(block.offsets) == [1, 2, 3, *range(8, 17)]
    assert block.links == [Link(0, 3, "https://nih.gov")]


def test_code_spans_are_prose_but_protected():
    # T0 a1 k2 e3 ' '4 `5 "2 mg"6-9 `10 ' '11 d12 a13 i14 l15 y16 .17
    block = only_block("Take `2 mg` daily.")
    assert block.text == "Take 2 mg daily."
    assert list(block.offsets) == [0, 1, 2, 3, 4, 6, 7, 8, 9, *range(11, 18)]
    assert block.protected == [(5, 9)]


def test_double_backtick_code_span_holding_a_backtick():
    # U0 s1 e2 ' '3 `4 `5 a6 `7 b8 `9 `10 ' '11 h12 e13 r14 e15
    block = only_block("Use ``a`b`` here")
    assert block.text == "Use a`b here"
    assert list(block.offsets) == [0, 1, 2, 3, 6, 7, 8, 11, 12, 13, 14, 15]
    assert block.protected == [(4, 7)]


def test_code_span_over_a_line_break_reads_the_newline_as_a_space():
    # A0 ' '1 `2 b3 \n4 c5 `6 ' '7 d8
    block = only_block("A `b\nc` d")
    assert block.text == "A b c d"
    assert list(block.offsets) == [0, 1, 3, 4, 5, 7, 8]
    assert block.protected == [(2, 5)]


def test_autolink_is_protected_and_a_link():
    # S0 e1 e2 ' '3 <4 https://x.org5-17 >18 ' '19 n20 o21 w22 .23
    block = only_block("See <https://x.org> now.")
    assert block.text == "See https://x.org now."
    assert list(block.offsets) == [0, 1, 2, 3, *range(5, 18), 19, 20, 21, 22, 23]
    assert block.protected == [(4, 17)]  # the bare-URL scan adds nothing on top of it
    assert block.links == [Link(4, 17, "https://x.org")]


def test_bare_url_is_protected_after_code_spans():
    # "Visit www.nih.gov or `x`.": www.nih.gov is prose 6-16, x is prose 21 (source 22).
    block = only_block("Visit www.nih.gov or `x`.")
    assert block.text == "Visit www.nih.gov or x."
    assert block.offsets[21] == 22 and block.offsets[-1] == 24
    assert block.protected == [(21, 22), (6, 17)]


def test_html_comment_is_recorded_not_read():
    # T0 e1 x2 t3 ' '4 <!-- healthlint-disable x -->5-33 ' '34 m35 o36 r37 e38 .39
    document = parse(from_text("Text <!-- healthlint-disable x --> more.", "a.md"))
    assert document.comments == [(5, " healthlint-disable x ")]
    (block,) = document.blocks
    assert block.text == "Text  more."
    assert list(block.offsets) == [0, 1, 2, 3, 4, 34, 35, 36, 37, 38, 39]


def test_soft_and_hard_breaks_map_to_their_newline():
    # F0 ... e9 \n10 ' '11 ' '12 ' '13 s14 ... d19: the continuation line's indent is not prose.
    soft = only_block("First line\n   second")
    assert soft.text == "First line second"
    assert list(soft.offsets) == [*range(0, 11), *range(14, 20)]
    # O0 n1 e2 ' '3 ' '4 \n5 T6 w7 o8
    hard = only_block("One  \nTwo")
    assert hard.text == "One Two"
    assert list(hard.offsets) == [0, 1, 2, 5, 6, 7, 8]


def test_table_cells_with_an_escaped_pipe():
    # Line 0 "| Dose | Note |" (0-14), line 1 "|---|---|" (16-24), line 2 starts at 26:
    # |26 ' '27 1 28 ' '29 \30 |31 ' '32 2 33 ' '34 m35 g36 ' '37 |38 ' '39 safe?40-44
    text = "| Dose | Note |\n|---|---|\n| 1 \\| 2 mg | safe? |\n"
    cells = blocks_of(text)
    assert [(b.kind, b.text) for b in cells] == [
        (BlockKind.TABLE_CELL, "Dose"),
        (BlockKind.TABLE_CELL, "Note"),
        (BlockKind.TABLE_CELL, "1 | 2 mg"),
        (BlockKind.TABLE_CELL, "safe?"),
    ]
    assert [list(b.offsets) for b in cells] == [
        [2, 3, 4, 5],
        [9, 10, 11, 12],
        [28, 29, 31, 32, 33, 34, 35, 36],
        [40, 41, 42, 43, 44],
    ]


def test_escaped_pipe_inside_a_code_span_in_a_table():
    # Row 2 starts at 20: |20 ' '21 `22 a23 \24 |25 b26 `27 ' '28 |29 ' '30 c31
    cells = blocks_of("| h | i |\n|---|---|\n| `a\\|b` | c |\n")
    assert [(b.text, list(b.offsets)) for b in cells[2:]] == [("a|b", [23, 25, 26]), ("c", [31])]
    assert cells[2].protected == [(0, 3)]


def test_repeated_cells_on_one_row_each_find_their_own_place():
    # Header x at 2 and 6; "|---|---|\n" is 10 characters, so row 2 starts at 20: x at 22 and 26.
    cells = blocks_of("| x | x |\n|---|---|\n| x | x |\n")
    assert [b.offsets[0] for b in cells] == [2, 6, 22, 26]


def test_crlf_markdown_positions():
    # Normalised: L0 i1 n2 e3 ' '4 o5 n6 e7 \n8 l9 i10 n11 e12 ' '13 *14 t15 w16 o17 *18 \n19
    source = from_text("Line one\r\nline *two*\r\n", "a.md")
    (block,) = parse(source).blocks
    assert source.newline == "\r\n"
    assert block.text == "Line one line two"
    assert list(block.offsets) == [*range(0, 9), *range(9, 14), 15, 16, 17]
    start, end = block.source_span(14, 17)  # "two"
    assert (start, end) == (15, 18)
    # Line 2 of the file is "line *two*": "t" is column 7, just past "o" is column 10.
    assert (source.position(start), source.position(end)) == (Position(2, 7), Position(2, 10))


@pytest.mark.parametrize(
    "text, prose, offsets",
    [
        # -0 \t1 T2 a3 k4 e5 \t6 2 7 ' '8 m9 g10 .11: the tab after the marker is not prose, the inner one is.
        ("-\tTake\t2 mg.\n", "Take\t2 mg.", list(range(2, 12))),
        # >0 \t1 Q2 ... .13
        (">\tQuoted text.\n", "Quoted text.", list(range(2, 14))),
        # 1 0 .1 \t2 O3 n4 e5
        ("1.\tOne\n", "One", [3, 4, 5]),
    ],
)
def test_tabs_after_markers(text, prose, offsets):
    block = only_block(text)
    assert (block.text, list(block.offsets)) == (prose, offsets)


def test_every_character_span_is_one_source_character_or_one_whole_entity():
    text = "# Ti&amp;tle\n\n> **Kratom** is [not](u) `safe`,\n> see <https://x.org>.\n\n| a \\| b | c |\n|---|---|\n"
    blocks = blocks_of(text)
    assert blocks[0].text == "Ti&tle" and blocks[0].wide == {2: 9}  # "&amp;" is source 4-9
    for block in blocks:
        assert every_char_span(block) == [(o, block.wide.get(i, o + 1)) for i, o in enumerate(block.offsets)]


# --- compactness -------------------------------------------------------------------------


def test_a_long_plain_paragraph_is_one_run():
    # Soft breaks map to the newlines they stand for, so a paragraph that is not indented
    # continues one source run from its first character to its last.
    text = "\n".join(f"Line {i} of a long paragraph about kratom." for i in range(2000)) + "\n"
    block = only_block(text)
    assert len(block.text) == len(text) - 1
    assert block.offsets.run_count == 1
    assert block.offsets[len(block.text) - 1] == len(text) - 2


def test_runs_grow_with_markup_not_with_text():
    plain = only_block("word " * 5000 + "end.")
    marked = only_block("word " * 5000 + "**end**.")
    assert plain.offsets.run_count == 1
    assert marked.offsets.run_count == 3  # before "**", "end", after "**"


def test_plain_text_blocks_are_one_run():
    blocks = blocks_of("Intro line.\n\n   Indented line of text here.\n", "a.txt")
    assert [b.offsets.run_count for b in blocks] == [1, 1]
    assert blocks[1].offsets[0] == 16  # "Intro line.\n\n" is 13 characters, then 3 spaces


# --- OffsetMap as a sequence -------------------------------------------------------------


def test_offset_map_reads_like_the_list_it_replaces():
    values = [5, 6, 7, 7, 7, 3, 4, 10]
    offsets = OffsetMap.from_offsets(values)
    assert offsets.run_count == 4  # 5..7, 7 7, 3..4, 10
    assert len(offsets) == 8
    assert list(offsets) == values
    assert [offsets[i] for i in range(8)] == values
    assert offsets[-1] == 10 and offsets[-8] == 5
    assert offsets[2:5] == [7, 7, 7] and offsets[::3] == [5, 7, 4]
    assert offsets == values and values == offsets
    assert offsets != values[:-1] and offsets != [5, 6, 7, 7, 7, 3, 4, 11]
    with pytest.raises(IndexError):
        offsets[8]
    with pytest.raises(IndexError):
        offsets[-9]


def test_offset_map_appends_and_slices_runs():
    offsets = OffsetMap()
    offsets.append_run(100, 3)  # 100 101 102
    offsets.append_run(103, 2)  # continues the run: 103 104
    offsets.append_run(50, 3, step=0)  # 50 50 50
    offsets.append_run(200, 0)  # nothing
    assert list(offsets) == [100, 101, 102, 103, 104, 50, 50, 50]
    assert offsets.run_count == 2
    assert list(offsets.sliced(3, 7)) == [103, 104, 50, 50]
    copied = OffsetMap()
    copied.append_from(offsets, 4, 8)
    assert list(copied) == [104, 50, 50, 50]


def test_a_block_made_with_a_list_of_offsets_gets_a_compact_map():
    block = ProseBlock(BlockKind.PARAGRAPH, "abc", [7, 8, 9])
    assert isinstance(block.offsets, OffsetMap) and block.offsets.run_count == 1
    assert block.source_span(0, 3) == (7, 10)

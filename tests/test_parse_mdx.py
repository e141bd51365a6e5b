"""MDX: Markdown with its JSX and JavaScript skipped, at exact positions.

The seed article written as MDX (imports, an export, a component around a paragraph, an
expression inside a sentence) gives the same findings as the .txt, each moved exactly to where
its text is in the MDX file; claims written inside code (an attribute, an expression, an export)
are never flagged; the text between a component's tags is prose; code stays code.
"""

from __future__ import annotations

import re
import time

from conftest import run, write

from healthlint.engine import lint_source
from healthlint.formats import Format, spec
from healthlint.parse import parse
from healthlint.parse.mdx import blanked, find_code
from healthlint.source import from_text

CLAIM = "Kratom is completely safe."  # unhedged-safety-claim on "is completely safe", columns 8-25


def mdx(text: str):
    return from_text(text, "page.mdx")


def blocks(text: str) -> list[tuple[str, str, int, int]]:
    """(kind, text, line, column of its first character) of each prose block."""
    source = mdx(text)
    out = []
    for block in parse(source).blocks:
        pos = source.position(block.offsets[0])
        out.append((block.kind.value, block.text, pos.line, pos.column))
    return out


def places(findings, rule: str | None = None) -> list[tuple[str, int, int, int, int]]:
    return [(f.rule, f.start.line, f.start.column, f.end.line, f.end.column) for f in findings if rule in (None, f.rule)]


def enabled(ruleset):
    return [r for r in ruleset.rules if r.info.enabled]


# --- the seed article as MDX ----------------------------------------------------------------

HEAD = """\
---
title: Kratom and chronic pain
---
import { Callout } from '../components/Callout'
import Chart from "./Chart"

export const meta = {
  note: "Kratom is completely safe",

  reviewed: `Kratom cures pain ${'{'}`,
}

"""
HEADINGS = {5, 8, 11}  # 0-based lines of the .txt that are headings (## in the MDX)
WRAPPED = 6  # the paragraph inside <Callout>
EXPRESSION_LINE = 7  # the line with an expression inside a sentence
EXPRESSION = "{/* checked by the editor */} "  # put before "considered" in "is generally considered safe"


def seed_as_mdx(lines: list[str]) -> tuple[str, dict[int, tuple[int, int, int]]]:
    """The MDX text and, for each .txt line, (its MDX line, the columns added before its text,
    the column from which the expression's width is added as well)."""
    out = HEAD
    where: dict[int, tuple[int, int, int]] = {}
    for i, line in enumerate(lines):
        if i == WRAPPED:
            out += '<Callout type="info" title="Kratom cures chronic pain">\n'
        prefix = "## " if i in HEADINGS else ""
        shift_from = 10**9
        if i == EXPRESSION_LINE:
            shift_from = line.index("considered safe")
            line = line[:shift_from] + EXPRESSION + line[shift_from:]
        where[i] = (out.count("\n") + 1, len(prefix), shift_from)
        out += prefix + line + "\n"
        if i == WRAPPED:
            out += "</Callout>\n"
        if i != WRAPPED - 1 and not (2 <= i < 4):  # the list items stay one list
            out += "\n"
    out += '<Chart data={{caption: "Kratom is completely safe", max: 5}} />\n'
    return out, where


def moved(finding, where) -> tuple[str, str, int, int, int, int]:
    """Where a .txt finding's text is in the MDX version."""
    line, prefix, shift_from = where[finding.start.line - 1]

    def column(col: int, is_end: bool) -> int:
        index = col - 1 - (1 if is_end else 0)  # the last character, for an end
        index += len(EXPRESSION) if index >= shift_from else 0
        return index + 1 + prefix + (1 if is_end else 0)

    return (finding.rule, finding.message, line, column(finding.start.column, False), line, column(finding.end.column, True))


def test_the_seed_as_mdx_gives_the_txt_findings_at_their_mdx_places(seed_path, ruleset):
    text = seed_path.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert len(lines) == 15 and all(lines)
    mdx_text, where = seed_as_mdx(lines)
    rules = enabled(ruleset)
    txt_findings = lint_source(from_text(text, "seed.txt"), rules).findings
    mdx_findings = lint_source(mdx(mdx_text), rules).findings
    claim_rules = {r.info.id for r in rules if r.info.kind == "claim"}
    assert {"unhedged-safety-claim", "opioid-substitution", "natural-means-safe", "missing-citation"} <= claim_rules
    expected = sorted(moved(f, where) for f in txt_findings if f.rule in claim_rules)
    got = sorted((f.rule, f.message, f.start.line, f.start.column, f.end.line, f.end.column) for f in mdx_findings if f.rule in claim_rules)
    assert len(expected) == 19
    assert got == expected
    # The claim the expression was put into: found across it, the message quoting the prose.
    split = [f for f in mdx_findings if f.rule == "unhedged-safety-claim" and EXPRESSION.strip() in f.text]
    assert len(split) == 1 and split[0].message.startswith('States "is generally considered safe" as fact')
    # Every other rule too: the same ids and messages (but for the line numbers some quote).
    def said(findings):
        return sorted((f.rule, re.sub(r"line \d+", "line N", f.message)) for f in findings)

    assert said(mdx_findings) == said(txt_findings)
    code_lines = set(range(1, HEAD.count("\n") + 1)) | {where[WRAPPED][0] - 1, mdx_text.count("\n")}
    assert not [f for f in mdx_findings if f.start.line in code_lines]


# --- what is skipped, and what is not ---------------------------------------------------------


def test_a_claim_in_an_attribute_an_expression_or_an_export_is_not_flagged(ruleset):
    text = (
        'export const claim = "Kratom is completely safe"\n'
        "\n"
        '<Callout title="Kratom is completely safe" note={"Kratom is completely safe"}>\n'
        "Kratom is a plant.\n"
        "</Callout>\n"
        "\n"
        'A note {"Kratom is completely safe"} here, and {`Kratom is ${"completely"} safe`}.\n'
        "\n"
        "<Chart\n"
        '  caption="Kratom is completely safe"\n'
        "  data={{a: '}', b: \"Kratom is completely safe\"}}\n"
        "/>\n"
        "\n"
        "{/* Kratom is completely safe */}\n"
    )
    assert places(lint_source(mdx(text), enabled(ruleset)).findings) == []
    # The same text as Markdown does flag: the skipping is MDX's.
    markdown = lint_source(from_text(text, "page.md"), enabled(ruleset)).findings
    assert places(markdown, "unhedged-safety-claim")


def test_text_between_component_tags_is_prose_at_its_place(ruleset):
    text = '<Callout type="warn">\n' + CLAIM + "\n</Callout>\n\nKratom <Term id=\"k\">is completely safe</Term> here.\n"
    assert blocks(text) == [
        ("paragraph", CLAIM, 2, 1),
        ("paragraph", "Kratom is completely safe here.", 5, 1),
    ]
    found = places(lint_source(mdx(text), enabled(ruleset)).findings, "unhedged-safety-claim")
    assert found == [("unhedged-safety-claim", 2, 8, 2, 26), ("unhedged-safety-claim", 5, 21, 5, 39)]


def test_indented_text_inside_a_component_is_prose_not_code(ruleset):
    text = "<Note>\n  <Inner>\n        " + CLAIM + "\n  </Inner>\n</Note>\n"
    assert blocks(text) == [("paragraph", CLAIM, 3, 9)]
    found = places(lint_source(mdx(text), enabled(ruleset)).findings, "unhedged-safety-claim")
    assert found == [("unhedged-safety-claim", 3, 16, 3, 34)]
    # In Markdown the same lines are an HTML block and an indented code block: nothing is read.
    assert parse(from_text(text, "page.md")).blocks == []


def test_imports_and_exports_span_lines_until_the_statement_ends():
    text = (
        "import {\n"
        "  Callout,\n"
        "  Chart,\n"
        "} from './components'\n"
        "export const meta = {\n"
        "  title: 'Kratom',\n"
        "\n"  # a blank line inside the object: the statement goes on
        "  tags: ['a', 'b'],\n"
        "}\n"
        "\n"
        "Paragraph one.\n"
        "\n"
        "export default function Layout({ children }) {\n"
        "  return <main>{children}</main>\n"
        "}\n"
        "\n"
        "Taxes on\n"
        "import duties rose.\n"  # inside a paragraph: text, not an import
        "\n"
        "important: this is text, and so is import.meta below\n"
        "\n"
        "import.meta is text too\n"
    )
    assert blocks(text) == [
        ("paragraph", "Paragraph one.", 11, 1),
        ("paragraph", "Taxes on import duties rose.", 17, 1),
        ("paragraph", "important: this is text, and so is import.meta below", 20, 1),
        ("paragraph", "import.meta is text too", 22, 1),
    ]


def test_expressions_nest_braces_strings_templates_and_comments():
    text = "A {f({a: '}'}, \"{\", `x ${ {b: 1}.b } }`) /* } */} B {// }\n} C.\n"
    skipped = find_code(text)
    assert [text[s:e] for s, e in skipped.spans] == ["{f({a: '}'}, \"{\", `x ${ {b: 1}.b } }`) /* } */}", "{// }\n}"]
    assert blocks(text) == [("paragraph", "A B C.", 1, 1)]


def test_blanking_keeps_every_line_and_column():
    text = "import a from 'b'\n\n<A x={1}\n  y='2'>Hi {name}</A>\n"
    skipped = find_code(text)
    out = blanked(text, skipped.spans)
    assert len(out) == len(text) and [len(line) for line in out.split("\n")] == [len(line) for line in text.split("\n")]
    assert out == " " * 17 + "\n\n" + " " * 8 + "\n" + " " * 8 + "Hi" + " " * 11 + "\n"


def test_code_keeps_its_braces_and_tags():
    text = "Use `{props}` and `<Callout>` here.\n\n```jsx\n<Callout>{x}</Callout>\n```\n\nAfter.\n"
    assert find_code(text).spans == []
    assert blocks(text) == [("paragraph", "Use {props} and <Callout> here.", 1, 1), ("paragraph", "After.", 7, 1)]


def test_what_is_not_a_tag_stays_text():
    text = "Doses < 5 mg, a <b and <https://example.org/a> or <info@example.org>.\n"
    assert find_code(text).spans == []
    (block,) = parse(mdx(text)).blocks
    assert block.text == "Doses < 5 mg, a <b and https://example.org/a or info@example.org."


def test_an_unclosed_brace_is_text_and_the_scan_stays_linear():
    text = "Kratom {is completely safe.\n\n<A b={c} /> {x}\n"
    assert blocks(text) == [("paragraph", "Kratom {is completely safe.", 1, 1), ("paragraph", "{x}", 3, 13)]
    # Broken code read to the end of the file at every attempt would take minutes here.
    hostile = ("{ <A b={ '" * 20000) + "\n" + ("` <B c=\"" * 20000) + "\n\n" + ("export const a = {\n\n" * 4000)
    started = time.perf_counter()
    find_code(hostile)
    assert time.perf_counter() - started < 5.0


# --- suppressions -------------------------------------------------------------------------------


def test_suppressions_in_mdx_comments_and_html_comments(ruleset):
    rules = enabled(ruleset)
    text = (
        "{/* healthlint-disable-next-line unhedged-safety-claim */}\n"
        + CLAIM + "\n\n"
        "<!-- healthlint-disable-next-line unhedged-safety-claim -->\n"
        + CLAIM + "\n\n"
        "{/* healthlint-disable unhedged-safety-claim -- quoted from a label */}\n\n"
        + CLAIM + "\n\n"
        "{/* healthlint-enable */}\n\n"
        + CLAIM + "\n"
    )
    assert places(lint_source(mdx(text), rules).findings, "unhedged-safety-claim") == [("unhedged-safety-claim", 13, 8, 13, 26)]
    unused = lint_source(mdx("{/* healthlint-disable-next-line opioid-substitution */}\n" + CLAIM + "\n"), rules, report_unused_suppressions=True)
    assert places(unused.findings, "unused-suppression") == [("unused-suppression", 1, 1, 1, 57)]  # the line is 56 long


def test_the_mdx_format_uses_the_mdx_parser_and_a_markdown_run_never_imports_it(tmp_path):
    assert spec(Format.MDX).parser == "healthlint.parse.mdx:parse_mdx"
    write(tmp_path / "page.mdx", "import X from 'x'\n\n<X label=\"Kratom is completely safe\">\n" + CLAIM + "\n</X>\n")
    proc = run("check", "page.mdx", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert [line.split(" ")[0] for line in proc.stdout.splitlines() if "unhedged-safety-claim" in line] == ["page.mdx:4:8:"]
    import subprocess
    import sys

    code = "import sys; from healthlint.engine import lint_text; lint_text('# Hi\\n\\nText.', [], 'a.md', True); print('healthlint.parse.mdx' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_links_and_urls_move_with_their_text_when_blanks_are_tidied():
    text = "<Badge /> See https://example.org/x for <b>more</b>. Read [the <em>kratom</em> review](https://x.org/r){/* c */}.\n"
    (block,) = parse(mdx(text)).blocks
    assert block.text == "See https://example.org/x for more. Read the kratom review."
    assert [block.text[start:end] for start, end in block.protected] == ["https://example.org/x"]
    assert [(block.text[link.start : link.end], link.target) for link in block.links] == [("the kratom review", "https://x.org/r")]
    # Every space kept is one the writer typed: the prose reads back from the source as it is.
    assert "".join(text[offset] for offset in block.offsets) == block.text


DOCUSAURUS = """\
---
id: kratom
title: 'Kratom: what to know'
sidebar_label: Kratom
description: Kratom is completely safe and cures anxiety.
---

import Tabs from '@theme/Tabs';
import TabItem from '@theme/TabItem';
export const Highlight = ({children, color}) => (
  <span style={{backgroundColor: color, borderRadius: '2px'}}>{children}</span>
);

# Kratom

<Tabs>
  <TabItem value="facts" label="Facts" default>

  Kratom is completely safe for most people, <Highlight color="#25c2a0">experts agree</Highlight>.

  </TabItem>
  <TabItem value="risks" label="Risks">
    - Kratom cures anxiety.
    - It is a natural alternative to opioids.
  </TabItem>
</Tabs>

:::tip Kratom is completely safe
Admonitions are text.
:::

| Claim | Status |
| --- | --- |
| <b>Kratom cures anxiety</b> | {status} |

<details>
  <summary>Is kratom safe?</summary>

  Kratom is completely safe.
</details>
"""


def test_a_docs_site_page_is_read_as_its_readers_see_it(ruleset):
    found = [(f.rule, f.start.line, f.start.column) for f in lint_source(mdx(DOCUSAURUS), enabled(ruleset)).findings]
    assert found == [
        ("unhedged-safety-claim", 5, 21),  # the front matter description
        ("unhedged-efficacy-claim", 5, 44),
        ("unhedged-safety-claim", 19, 10),  # inside <TabItem>, indented
        ("missing-citation", 19, 73),  # inside <Highlight>, in the sentence
        ("unhedged-efficacy-claim", 23, 14),  # a list indented inside a component
        ("opioid-substitution", 24, 23),
        ("unhedged-safety-claim", 28, 15),  # an admonition is text
        ("unhedged-efficacy-claim", 34, 13),  # a table cell, its <b> skipped
        ("unhedged-safety-claim", 39, 10),  # inside <details>
    ]  # nothing from the exported component, the tags' attributes or {status}

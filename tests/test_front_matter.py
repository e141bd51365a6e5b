"""Front matter: the values of title, description and summary are checked where they are written.

YAML (---) and TOML (+++) front matter, in every way a value can be written: plain, single- and
double-quoted (escapes before the claim move it), folded and literal blocks and plain values over
lines (a claim can cross a line). Other keys, nested keys, numbers and broken front matter are
skipped. `front-matter-keys` in the configuration changes which keys are read.
"""

from __future__ import annotations

import pytest
from conftest import heads, run, write

from healthlint.engine import lint_source
from healthlint.parse import BlockKind, parse
from healthlint.parse.frontmatter import DEFAULT_KEYS, front_matter_values
from healthlint.source import from_text


@pytest.fixture(scope="module")
def rules(ruleset):
    return [r for r in ruleset.rules if r.info.enabled]


def found(text: str, rules, name: str = "page.md", **options) -> list[tuple[str, int, int, int, int, str]]:
    findings = lint_source(from_text(text, name), rules, **options).findings
    return [(f.rule, f.start.line, f.start.column, f.end.line, f.end.column, f.text) for f in findings]


SAFE = "unhedged-safety-claim"
CURES = "unhedged-efficacy-claim"

YAML = """\
---
title: Kratom is completely safe
layout: Kratom is completely safe
summary: 'Kratom''s maker: it is completely safe'
description: "\\"Natural\\" kratom\\tis completely safe"
tags: [Kratom is completely safe]
seo:
  description: Kratom is completely safe
image: {alt: Kratom is completely safe}
date: 2024-01-01
---

Body text.
"""


def test_yaml_plain_and_quoted_values_are_flagged_where_they_are_written(rules):
    assert found(YAML, rules) == [
        (SAFE, 2, 15, 2, 33, "is completely safe"),  # plain
        # single quotes: "''" is one character of the value, two of the source
        (SAFE, 4, 31, 4, 49, "is completely safe"),
        # double quotes: \" and \t are one character each; the claim starts after them
        ("natural-means-safe", 5, 17, 5, 53, '"Natural\\" kratom\\tis completely safe'[1:]),
        (SAFE, 5, 35, 5, 53, "is completely safe"),
    ]


BLOCKS = """\
---
description: >
  Our kratom is completely
  safe for everyone.

  Kratom cures chronic pain.
summary: |
  Kratom cures chronic pain.
title: Kratom is
  completely safe
---
"""


def test_yaml_block_scalars_and_values_over_lines_are_flagged_across_lines(rules):
    assert found(BLOCKS, rules) == [
        (SAFE, 3, 14, 4, 20, "is completely\n  safe for everyone"),  # folded: the line break reads as a space
        (CURES, 6, 10, 6, 28, "cures chronic pain"),  # after a blank line in the folded block
        (CURES, 8, 10, 8, 28, "cures chronic pain"),  # literal
        (SAFE, 9, 15, 10, 18, "is\n  completely safe"),  # a plain value over two lines
    ]


def test_each_character_maps_to_where_it_is_written():
    text = '---\ntitle: "Caf\\u00e9 \\x41nd\\\n  more"\nsummary: |-\n   indented\n  kept\n---\n'
    # The literal block's indentation is the first line's (3), so "  kept" ends it and YAML
    # refuses the rest: broken front matter gives nothing, and never an error.
    assert front_matter_values(text) == []
    text = '---\ntitle: "Caf\\u00e9 \\x41nd\\\n  more"\nsummary: >-\n  one\n\n\n  two\n---\n'
    title, summary = front_matter_values(text)
    assert title.text == "Café And" + "more" and summary.text == "one\n\ntwo"
    written = [text[offset] for offset in title.offsets]
    assert "".join(written) == "Caf\\ \\nd" + "more"  # each escape sits at its backslash
    assert [text[offset] for offset in summary.offsets] == ["o", "n", "e", "\n", "\n", "t", "w", "o"]
    assert text[summary.offsets[3]] == "\n" and text.count("\n", 0, summary.offsets[3]) == 5  # the 2nd break: after the blank line


def test_the_title_is_a_heading_and_the_description_a_paragraph_before_the_body():
    text = "---\ndescription: Kratom is a plant.\ntitle: Kratom\nlayout: post\n---\n\nBody text.\n"
    parsed = parse(from_text(text, "page.md"))
    assert [(b.kind, b.text) for b in parsed.blocks] == [
        (BlockKind.PARAGRAPH, "Kratom is a plant."),
        (BlockKind.HEADING, "Kratom"),
        (BlockKind.PARAGRAPH, "Body text."),
    ]
    starts = [parsed.source.position(b.offsets[0]) for b in parsed.blocks]
    assert [(p.line, p.column) for p in starts] == [(2, 14), (3, 8), (7, 1)]


TOML = '''\
+++
title = "Caf\\u00e9 kratom\\tis completely safe"
description = 'Kratom is completely safe'
summary = """
Kratom is
completely safe."""
layout = "Kratom is completely safe"
notes = """
title = "Kratom is completely safe"
"""

[params]
title = "Kratom is completely safe"
+++
'''


def test_toml_values_are_flagged_where_they_are_written(rules):
    assert found(TOML, rules) == [
        (SAFE, 2, 28, 2, 46, "is completely safe"),  # after \u00e9 (six characters) and \t (two)
        (SAFE, 3, 23, 3, 41, "is completely safe"),  # a literal string
        (SAFE, 5, 8, 6, 16, "is\ncompletely safe"),  # a multi-line string; the first line break is not part of it
    ]  # not layout, nor "title =" inside another string, nor the [params] table's title


@pytest.mark.parametrize(
    "front",
    [
        "---\ntitle: [Kratom is completely safe\n---\n",  # YAML that does not parse
        "---\n- Kratom is completely safe\n---\n",  # not a mapping
        "---\ntitle: 2024\nsummary: null\ndescription: yes\n---\n",  # not text
        "---\ntitle: &t Kratom is completely safe\n---\n",  # an anchor: read once, where it is
        "+++\ntitle = 'Kratom is completely safe\n+++\n",  # TOML that does not parse
        "+++\ntitle = \"a\"\ntitle = \"Kratom is completely safe\"\n+++\n",  # a key twice: TOML refuses it
    ],
)
def test_broken_or_odd_front_matter_is_skipped_and_the_body_still_read(front, rules):
    text = front + "\nKratom is completely safe.\n"
    body_line = front.count("\n") + 2
    expected = [(SAFE, body_line, 8, body_line, 26, "is completely safe")]
    if "&t" in front:
        expected.insert(0, (SAFE, 2, 18, 2, 36, "is completely safe"))
    assert found(text, rules) == expected


def test_an_alias_is_not_read_twice(rules):
    text = "---\nsummary: &s Kratom is completely safe\ndescription: *s\n---\n"
    assert found(text, rules) == [(SAFE, 2, 20, 2, 38, "is completely safe")]


def test_mdx_front_matter_is_read_too(rules):
    text = "---\ntitle: Kratom is completely safe\n---\nimport X from 'x'\n\n<X />\n"
    assert found(text, rules, "page.mdx") == [(SAFE, 2, 15, 2, 33, "is completely safe")]


def test_the_keys_read_can_be_given(rules):
    assert DEFAULT_KEYS == ("title", "description", "summary")
    assert found(YAML, rules, front_matter_keys=("layout",)) == [(SAFE, 3, 16, 3, 34, "is completely safe")]
    assert found(YAML, rules, front_matter_keys=()) == []
    assert found(YAML, rules, front_matter_keys=("TITLE",))[0][:3] == (SAFE, 2, 15)  # keys compare without case
    # Plain text has no front matter, whatever the keys.
    assert found(YAML, rules, "page.txt", front_matter_keys=("layout",)) == found(YAML, rules, "page.txt")


# --- the front-matter-keys setting ------------------------------------------------------------


PAGE = "---\ntitle: Kratom is completely safe\nlayout: Kratom cures chronic pain\n---\n\nBody text.\n"


def test_the_setting_changes_which_keys_are_read(tmp_path):
    write(tmp_path / "page.md", PAGE)
    write(tmp_path / "blog" / "post.md", PAGE)
    default = run("check", "page.md", cwd=tmp_path)
    assert heads(default.stdout) == ["page.md:2:15: warning unhedged-safety-claim"]
    write(
        tmp_path / ".healthlint.yaml",
        "front-matter-keys: [layout]\noverrides:\n  - files: ['blog/**']\n    front-matter-keys: []\n",
    )
    proc = run("check", "page.md", "blog/post.md", cwd=tmp_path)
    assert heads(proc.stdout) == ["page.md:3:16: warning unhedged-efficacy-claim"], proc.stderr


def test_the_setting_works_in_pyproject_toml(tmp_path):
    write(tmp_path / "page.md", PAGE)
    write(tmp_path / "pyproject.toml", '[tool.healthlint]\nfront-matter-keys = ["title", "layout"]\n')
    proc = run("check", "page.md", cwd=tmp_path)
    assert heads(proc.stdout) == ["page.md:2:15: warning unhedged-safety-claim", "page.md:3:16: warning unhedged-efficacy-claim"]


@pytest.mark.parametrize(
    "value, shown",
    [("title", "'title'"), ("[title, 3]", "['title', 3]"), ("['title', '']", "['title', '']"), ("[' title']", "[' title']")],
)
def test_a_bad_setting_is_an_error_naming_the_file_and_line(tmp_path, value, shown):
    write(tmp_path / "page.md", PAGE)
    write(tmp_path / ".healthlint.yaml", f"fail-on: warning\nfront-matter-keys: {value}\n")
    proc = run("check", "page.md", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith("healthlint: ") and line.endswith(
        ".healthlint.yaml:2: 'front-matter-keys' must be a list of front matter keys to check, such as "
        f"[title, description, summary] ([] checks none), not {shown}"
    ), line


def test_fixes_never_touch_front_matter(rules):
    text = "---\ntitle: Hepatic health\n---\n\nHepatic health matters.\n"
    findings = lint_source(from_text(text, "page.md"), rules).findings
    jargon = [(f.start.line, f.fix is not None) for f in findings if f.rule == "plain-language"]
    assert jargon == [(2, False), (5, True)]  # flagged in both places, fixed only in the body


def test_a_bom_and_crlf_line_endings_keep_front_matter_columns(tmp_path, rules):
    from healthlint.source import read_source

    path = tmp_path / "page.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ndescription: >\r\n  Kratom is completely\r\n  safe.\r\n---\r\n")
    findings = lint_source(read_source(path), rules).findings
    assert [(f.rule, f.start.line, f.start.column, f.end.line, f.end.column) for f in findings] == [(SAFE, 3, 10, 4, 7)]


def test_huge_front_matter_is_data_and_not_read(rules):
    from healthlint.parse.frontmatter import MAX_READ

    filler = "tags:\n" + "  - kratom\n" * (MAX_READ // 11 + 1)
    text = "---\ntitle: Kratom is completely safe\n" + filler + "---\n\nBody text.\n"
    assert found(text, rules) == []
    assert found("---\ntitle: Kratom is completely safe\n" + "tags:\n  - kratom\n" * 100 + "---\n", rules)[0][:3] == (SAFE, 2, 15)


def test_deeply_nested_broken_yaml_is_refused_quickly():
    import time

    started = time.perf_counter()
    assert front_matter_values("---\ntitle: " + "[" * 50000 + "\n---\n") == []
    assert time.perf_counter() - started < 1.5  # PyYAML's pure-Python reader alone took 2.5 s


def test_toml_escapes_and_line_ending_backslashes_map_to_where_they_are_written():
    text = '+++\nsummary = """\nKratom \\u00e9 is \\\n    completely ""safe""."""\ntitle = \'C:\\path\'\n+++\n'
    summary, title = front_matter_values(text)
    assert summary.text == 'Kratom é is completely ""safe"".' and title.text == "C:\\path"
    written = "".join(text[offset] for offset in summary.offsets)
    assert written == 'Kratom \\ is completely ""safe"".'  # \u00e9 at its backslash; the joined line break leaves nothing
    assert text[title.offsets[2]] == "\\" and title.offsets == list(range(title.offsets[0], title.offsets[0] + 7))


@pytest.mark.parametrize(
    "front, notice",
    [
        (
            '---\nlayout: post\ntitle: "Kratom is completely safe\ndescription: ok\n---\n',
            "page.md:3: the front matter could not be read (YAML: while scanning a quoted scalar; found unexpected end of stream)",
        ),
        ('+++\ntitle = "Kratom is completely safe\n+++\n', "page.md:2: the front matter could not be read (TOML: illegal character '\\n')"),
    ],
)
def test_front_matter_that_does_not_parse_is_noticed(tmp_path, front, notice):
    write(tmp_path / "page.md", front + "\nKratom is completely safe.\n")
    proc = run("check", "page.md", cwd=tmp_path)
    assert proc.returncode == 1  # the body is still checked
    assert proc.stderr == f"healthlint: {notice}, so its title, description and summary were not checked; the rest of the file was\n"


def test_front_matter_that_parses_gets_no_notice(tmp_path):
    write(tmp_path / "page.md", PAGE)
    assert run("check", "page.md", cwd=tmp_path).stderr == ""

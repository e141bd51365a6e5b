"""docs/writing-rules.md does what it says.

The guide marks its worked example with HTML comments just before a fenced block (invisible
when the guide is rendered):

    <!-- file: PATH -->      the block is a file, written at PATH
    <!-- append: PATH -->    the block is added to the end of that file
    <!-- run: exits N -->    the block is "$ healthlint ..." and its exact output; it exits N

They are carried out in the order they appear, in an empty folder, with the command line run
in this process (conftest.run). Every YAML block must parse, and every unmarked one that has
`patterns:` is a rule fragment: with a stub header it must load as a team rule and pass its
own examples, as `healthlint test-rules` runs them.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
import yaml
from conftest import run, write

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "writing-rules.md"
MARKER = re.compile(r"^<!--\s*(?P<action>file|append|run):\s*(?P<arg>.*?)\s*-->$")
FENCE = re.compile(r"^```(?P<info>\S*)\s*$")
FINDING = re.compile(r'^(?P<path>[^:\s]+):(?P<line>\d+):(?P<column>\d+): (?:error|warning|info) (?P<rule>\S+) "(?P<text>[^"]+)"')
# What a rule fragment leaves out, so that it loads on its own.
STUB = {"id": "snippet", "kind": "claim", "severity": "warning", "summary": "A snippet from the guide.", "message": '"{text}"'}


@dataclass(frozen=True)
class Block:
    info: str  # the fence's language: yaml, text, markdown
    body: str
    line: int  # the guide's line of the block's first line
    action: str | None = None  # file, append or run; None for an unmarked block
    arg: str = ""


def blocks(text: str) -> list[Block]:
    """Every fenced block of the guide, with the marker that stands just before it."""
    out: list[Block] = []
    lines = text.split("\n")
    marker: re.Match | None = None
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence:
            start = i + 1
            i = next(j for j in range(start, len(lines)) if lines[j].startswith("```"))
            action, arg = (marker["action"], marker["arg"]) if marker else (None, "")
            out.append(Block(fence["info"], "\n".join(lines[start:i]) + "\n", start + 1, action, arg))
            marker = None
        elif MARKER.match(lines[i].strip()):
            marker = MARKER.match(lines[i].strip())
        elif lines[i].strip():
            assert marker is None, f"guide line {i + 1}: a marker must stand just before a fenced block"
        i += 1
    return out


GUIDE_BLOCKS = blocks(GUIDE.read_text(encoding="utf-8"))
STEPS = [b for b in GUIDE_BLOCKS if b.action]
RUNS = [b for b in STEPS if b.action == "run"]
YAML_BLOCKS = [b for b in GUIDE_BLOCKS if b.info == "yaml"]


def is_rule_fragment(block: Block) -> bool:
    data = yaml.safe_load(block.body)
    return block.action is None and isinstance(data, dict) and "patterns" in data


FRAGMENTS = [b for b in YAML_BLOCKS if is_rule_fragment(b)]


def command_of(block: Block) -> tuple[list[str], str, int]:
    """A run block: (the arguments after 'healthlint', the output shown, the exit code shown)."""
    first, _, output = block.body.partition("\n")
    assert first.startswith("$ healthlint "), f"guide line {block.line}: a run block starts with '$ healthlint ...'"
    exits = re.fullmatch(r"exits (\d+)", block.arg)
    assert exits, f"guide line {block.line}: write <!-- run: exits N -->"
    return shlex.split(first[2:])[1:], output, int(exits.group(1))


def shown_findings(output: str) -> list[tuple[str, int, int, str, str]]:
    """(path, line, column, rule, flagged words) of each finding line in text output."""
    return [(m["path"], int(m["line"]), int(m["column"]), m["rule"], m["text"]) for line in output.splitlines() if (m := FINDING.match(line))]


def json_findings(findings: list[dict]) -> list[tuple[str, int, int, str, str]]:
    return [(f["path"], f["line"], f["column"], f["rule"], f["text"]) for f in findings]


def apply_file_step(folder: Path, block: Block) -> None:
    """Write or extend a file as a file or append block says."""
    relative = PurePosixPath(block.arg)
    assert not relative.is_absolute() and ".." not in relative.parts, f"guide line {block.line}: a path inside the example folder"
    target = folder / relative
    if block.action == "file":
        write(target, block.body)
    else:
        assert target.exists(), f"guide line {block.line}: appends to {block.arg}, which no earlier block writes"
        target.write_text(target.read_text(encoding="utf-8") + block.body, encoding="utf-8")


def files_before(folder: Path, step: Block) -> Path:
    """The worked example's files as they stand when ``step`` runs."""
    for block in STEPS[: STEPS.index(step)]:
        if block.action != "run":
            apply_file_step(folder, block)
    return folder


@pytest.fixture(scope="module")
def worked_example(tmp_path_factory) -> dict[int, subprocess.CompletedProcess]:
    """Carry out the worked example in an empty folder: each run block's result, by its line."""
    folder = tmp_path_factory.mktemp("worked-example")
    results = {}
    for block in STEPS:
        if block.action == "run":
            results[block.line] = run(*command_of(block)[0], cwd=folder)
        else:
            apply_file_step(folder, block)
    return results


def test_the_guide_marks_its_worked_example():
    assert {".healthlint.yaml", "team-rules/detox-claim.yaml", "article.md"} <= {b.arg for b in STEPS if b.action == "file"}
    commands = [command_of(b)[0] for b in RUNS]
    assert commands[0] == ["test-rules", "team-rules"]
    assert any(c[0] == "check" for c in commands)


@pytest.mark.parametrize("block", RUNS, ids=lambda b: f"line-{b.line}")
def test_each_command_prints_what_the_guide_shows(worked_example, block):
    result = worked_example[block.line]
    _, output, exit_code = command_of(block)
    assert result.stderr == ""
    assert result.stdout == output, f"guide line {block.line}"
    assert result.returncode == exit_code, f"guide line {block.line}"


def test_the_worked_rule_passes_its_own_tests(worked_example):
    """The first test-rules run, before step 5 breaks the rule on purpose."""
    result = worked_example[RUNS[0].line]
    assert result.returncode == 0
    assert re.fullmatch(r"\d+ passed, 0 failed\n", result.stdout)


def test_check_flags_the_rule_id_and_words_the_guide_shows(worked_example, tmp_path):
    """The check step again, as JSON: the same rule, places and flagged words as the guide's text;
    and without --select, the same findings next to the built-in ones the guide mentions."""
    step = next(b for b in RUNS if command_of(b)[0][0] == "check")
    args, output, _ = command_of(step)
    shown = shown_findings(output)
    assert {rule for *_, rule, _ in shown} == {"team-rules/detox-claim"}
    assert [text for *_, text in shown] == ["flushes toxins from your liver", "detoxifies your body"]

    folder = files_before(tmp_path, step)
    selected = json.loads(run("check", "--format", "json", *args[1:], cwd=folder).stdout)
    assert json_findings(selected) == shown

    everything = json.loads(run("check", "--format", "json", "article.md", cwd=folder).stdout)
    assert [f for f in json_findings(everything) if f[3].startswith("team-rules/")] == shown
    assert {f["line"] for f in everything if f["rule"] == "unhedged-efficacy-claim"} == {3, 8}


@pytest.mark.parametrize("block", YAML_BLOCKS, ids=lambda b: f"line-{b.line}")
def test_every_yaml_block_parses(block):
    yaml.safe_load(block.body)


def test_the_reference_sections_show_rule_fragments():
    assert len(FRAGMENTS) >= 20


@pytest.mark.parametrize("block", FRAGMENTS, ids=lambda b: f"line-{b.line}")
def test_every_rule_fragment_loads_and_passes_its_examples(block, tmp_path):
    from healthlint.examples import run_examples, sole_examples
    from healthlint.ruleset import load_folder, pack_name

    data = yaml.safe_load(block.body)
    assert data.get("examples"), f"guide line {block.line}: show what the fragment flags and passes"
    header = "".join(f"{key}: {json.dumps(value)}\n" for key, value in STUB.items() if key not in data)
    folder = tmp_path / "team-rules"
    write(folder / "snippet.yaml", header + block.body)
    (rule,) = load_folder(folder, str(folder), pack_name(folder))
    failures = [f"{r.kind} example {r.example.text!r}: {r.detail}" for r in run_examples(rule) if not r.ok]
    assert not failures, f"guide line {block.line}:\n" + "\n".join(failures)
    if len(rule.patterns) > 1:
        assert all(sole_examples(rule).values()), f"guide line {block.line}: a pattern with no example of its own"

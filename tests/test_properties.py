"""Property-based tests (hypothesis): generated Markdown and text, with markup, unicode and the
cue phrases the rules look at, never break the contract.

For every document: no exception; `healthlint check` exits 0 or 1; every finding's span lies
inside the file and its `text` is exactly the source slice; `--fix` twice gives what `--fix`
once gave. Two settings profiles: "ci" (the default; 300 examples per property, derandomised so
a run is repeatable) and "dev" (3,000 examples, random each run):
`HYPOTHESIS_PROFILE=dev python -m pytest tests/test_properties.py`.
"""

from __future__ import annotations

import os

import pytest

hypothesis = pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from conftest import run  # noqa: E402
from healthlint.engine import lint_source  # noqa: E402
from healthlint.fixes import fix_source  # noqa: E402
from healthlint.source import from_text  # noqa: E402

settings.register_profile(
    "ci", max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=3000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CUES = [
    "is safe", "is completely safe", "studies show", "may", "not", "no side effects", "natural",
    "kratom", "CBD", "cures", "hepatic", "utilize", "instead of opioids", "(Smith, 2020)", "doctors agree",
]
MARKUP = ["# ", "## ", "- ", "1. ", "> ", "**", "_", "`", "```\n", "<!-- ", " -->", "[link](https://x.org/a)", "|", "---\n", "\\"]
UNICODE = ["é", "ß", "İ", "ﬁ", "\u200b", "\u00a0", "—", "’", "😀", "\u0301", "中文", "\t"]
BREAKS = ["\n", "\n\n", "\r\n", "\r", " "]

pieces = st.one_of(
    st.sampled_from(CUES),
    st.sampled_from(MARKUP),
    st.sampled_from(UNICODE),
    st.sampled_from(BREAKS),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12),
    st.sampled_from([".", ",", "?", "!", ";", ":", "(", ")"]),
)
documents = st.lists(pieces, max_size=60).map(" ".join)
suffixes = st.sampled_from([".md", ".txt"])


def rules():
    from healthlint.ruleset import load_rules

    return [r for r in load_rules().rules if r.info.enabled and r.info.kind != "grammar"]


RULES = rules()


@given(text=documents, suffix=suffixes)
def test_every_finding_lies_inside_the_file_and_quotes_it_exactly(text, suffix):
    source = from_text(text, f"page{suffix}")
    for finding in lint_source(source, RULES).findings:
        start, end = finding.span
        assert 0 <= start <= end <= len(source.text), finding
        assert finding.text == source.text[start:end], finding
        assert source.position(start) == finding.start and source.position(end) == finding.end, finding


@given(text=documents, suffix=suffixes, unsafe=st.booleans())
def test_fix_twice_is_fix_once(text, suffix, unsafe):
    def lint(s):
        return lint_source(s, RULES).findings

    once = fix_source(from_text(text, f"page{suffix}"), lint, unsafe)
    twice = fix_source(from_text(once.fixed_text, f"page{suffix}"), lint, unsafe)
    assert twice.fixed_text == once.fixed_text


@settings(max_examples=max(20, settings().max_examples // 10))  # a whole command run each: fewer
@given(text=documents, suffix=suffixes)
def test_check_exits_0_or_1_and_fix_twice_changes_nothing_more(tmp_path_factory, text, suffix):
    folder = tmp_path_factory.mktemp("prop")
    path = folder / f"page{suffix}"
    path.write_bytes(text.encode("utf-8"))
    checked = run("check", "--no-cache", path.name, cwd=folder)
    assert checked.returncode in (0, 1) or (not text.strip() and checked.returncode in (0, 1, 2)), checked.stderr
    run("check", "--no-cache", "--fix", path.name, cwd=folder)
    once = path.read_bytes()
    run("check", "--no-cache", "--fix", path.name, cwd=folder)
    assert path.read_bytes() == once

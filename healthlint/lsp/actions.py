"""What a finished check offers the editor: diagnostics, code actions and hover.

Pure functions of a check's result (``Linted``) and a request; the server decides which result
answers which request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lsprotocol import types

from healthlint.formats import spec
from healthlint.lsp.checker import LintJob, Outcome
from healthlint.lsp.positions import LineMap
from healthlint.model import Finding, Position, Severity
from healthlint.parse.frontmatter import front_matter_end
from healthlint.source import from_text

if TYPE_CHECKING:
    from healthlint.kinds import RuleInfo

SOURCE = "healthlint"
_LSP_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
# The rule list of a disable-next-line directive, to extend it instead of stacking a second one.
_RULE_LIST = r"healthlint-disable-next-line(?P<rules>(?:[ \t]*,?[ \t]*[a-z][a-z0-9/-]*(?<!-))+)"
_NEXT_LINE_MARKDOWN = re.compile(r"<!--\s*" + _RULE_LIST, re.IGNORECASE)
_NEXT_LINE_TEXT = re.compile(r"^\s*" + _RULE_LIST, re.IGNORECASE)
_QUOTE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*")


@dataclass
class Linted:
    """One check of one version of one document, in the editor's positions."""

    job: LintJob
    lines: LineMap
    findings: list[Finding]
    rules: dict[str, RuleInfo]  # rule id -> its documentation, for hover
    error: str | None = None
    diagnostics: list[types.Diagnostic] = field(default_factory=list)

    def range_of(self, finding: Finding) -> types.Range:
        return self.lines.range_of(finding.start, finding.end)


def linted(job: LintJob, outcome: Outcome, encoding: str) -> Linted:
    """Map a check's findings to the editor's positions (the server does this on a thread: a huge
    document has tens of thousands)."""
    lines = LineMap(from_text(job.text, job.name, job.format), encoding)
    result = Linted(job, lines, outcome.findings, outcome.rules, outcome.error)
    result.diagnostics = [diagnostic(result, finding) for finding in result.findings]
    if outcome.withheld:  # after the findings' own, so code actions still pair them up
        result.diagnostics.append(withheld_note(len(outcome.findings), outcome.withheld))
    return result


def withheld_note(shown: int, withheld: int) -> types.Diagnostic:
    """The note on a document with more findings than an editor can show."""
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
        severity=types.DiagnosticSeverity.Information,
        code="too-many-findings",
        source=SOURCE,
        message=(
            f"healthlint shows the first {shown:,} findings of this document; {withheld:,} more are not shown. "
            "Run `healthlint check` on the file to see them all."
        ),
    )


def diagnostic(result: Linted, finding: Finding) -> types.Diagnostic:
    message = finding.message
    if finding.suggestion:
        message += f"\nSuggestion: {finding.suggestion}"
    return types.Diagnostic(
        range=result.range_of(finding),
        severity=_LSP_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.rule,
        source=SOURCE,
        message=message,
    )


def code_actions(result: Linted, params: types.CodeActionParams, versioned: bool) -> list[types.CodeAction]:
    """Quick fixes for the findings in the requested range, narrowest finding first: safe fixes,
    then rewrites to check, then "Disable RULE for this line" (once per rule and line).
    ``versioned``: the client accepts edits tied to a document version, which it can refuse."""
    only = params.context.only
    quickfix = types.CodeActionKind.QuickFix
    if only and not any(kind == quickfix or quickfix.value.startswith(f"{kind}.") for kind in only):
        return []
    lines = result.lines
    start, end = lines.from_lsp(params.range.start), lines.from_lsp(params.range.end)
    hits = []
    for finding, shown in zip(result.findings, result.diagnostics):
        f_start, f_end = lines.offset(finding.start), lines.offset(finding.end)
        if f_start <= end and start <= f_end:
            hits.append((f_end - f_start, finding, shown))
    hits.sort(key=lambda hit: hit[0])
    safe_fixes: list[types.CodeAction] = []
    rewrites: list[types.CodeAction] = []
    disables: list[types.CodeAction] = []
    disabled: set[tuple[str, int]] = set()
    body_start = front_matter_end(lines.source)
    for _, finding, shown in hits:
        if finding.fix is not None and finding.fix.edits:
            edits = [
                types.TextEdit(
                    range=types.Range(start=lines.offset_to_lsp(e.start), end=lines.offset_to_lsp(e.end)),
                    new_text=e.replacement.replace("\n", lines.source.newline),
                )
                for e in finding.fix.edits
            ]
            description = finding.fix.description or f"Fix {finding.rule}"
            safe = finding.fix.is_safe
            (safe_fixes if safe else rewrites).append(
                types.CodeAction(
                    title=description if safe else f"Rewrite (check the meaning): {description}",
                    kind=quickfix,
                    diagnostics=[shown],
                    is_preferred=True if safe else None,
                    edit=workspace_edit(result, edits, versioned),
                )
            )
        # No directive inside front matter: a comment line there breaks the YAML (and the
        # site's build), and healthlint would then skip the whole block.
        if (finding.rule, finding.start.line) not in disabled and lines.offset(finding.start) >= body_start:
            disabled.add((finding.rule, finding.start.line))
            disables.append(
                types.CodeAction(
                    title=f"Disable {finding.rule} for this line",
                    kind=quickfix,
                    diagnostics=[shown],
                    edit=workspace_edit(result, [disable_edit(result.lines, finding)], versioned),
                )
            )
    return safe_fixes + rewrites + disables


def workspace_edit(result: Linted, edits: list[types.TextEdit], versioned: bool) -> types.WorkspaceEdit:
    uri = result.job.uri
    if versioned:
        document = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=result.job.version)
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document, edits=edits)])
    return types.WorkspaceEdit(changes={uri: edits})


def disable_edit(lines: LineMap, finding: Finding) -> types.TextEdit:
    """Insert a disable-next-line directive above the finding's line, or add the rule to the
    one already there."""
    line = finding.start.line
    markdown = lines.source.is_markdown
    comments = spec(lines.source.format).html_comments  # Markdown, MDX and HTML: <!-- ... -->
    above = lines.line_text(line - 1) if line > 1 else ""
    match = (_NEXT_LINE_MARKDOWN.search if comments else _NEXT_LINE_TEXT.match)(above)
    if match:
        where = lines.to_lsp(Position(line - 1, match.end("rules") + 1))
        return types.TextEdit(range=types.Range(start=where, end=where), new_text=f", {finding.rule}")
    text = lines.line_text(line)
    indent = _QUOTE_PREFIX.match(text).group(0) if markdown else text[: len(text) - len(text.lstrip())]
    directive = f"healthlint-disable-next-line {finding.rule}"
    body = f"<!-- {directive} -->" if comments else directive
    where = lines.to_lsp(Position(line, 1))
    return types.TextEdit(range=types.Range(start=where, end=where), new_text=f"{indent}{body}{lines.source.newline}")


def hover(result: Linted, position: types.Position) -> types.Hover | None:
    """The documentation of every rule flagged at ``position``, narrowest finding first."""
    lines = result.lines
    at = lines.from_lsp(position)
    hits = []
    for finding in result.findings:
        start, end = lines.offset(finding.start), lines.offset(finding.end)
        if start <= at < end or start == end == at:
            hits.append((end - start, finding))
    if not hits:
        return None
    hits.sort(key=lambda hit: hit[0])
    sections: dict[str, str] = {}  # rule id -> its section, once per rule
    for _, finding in hits:
        if finding.rule not in sections:
            info = result.rules.get(finding.rule)
            sections[finding.rule] = (
                rule_markdown(info, finding)
                if info is not None
                else f"**{finding.rule}** ({finding.severity.value}) · healthlint\n\n{finding.message}"
            )
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(sections.values())),
        range=result.range_of(hits[0][1]),
    )


def rule_markdown(info: RuleInfo, finding: Finding) -> str:
    """A rule's documentation for a hover: summary, why it matters, what to write instead."""
    parts = [f"**{info.id}** ({finding.severity.value}) · healthlint", _paragraphs(info.summary)]
    if finding.suggestion:
        parts.append(f"**Suggestion:** {' '.join(finding.suggestion.split())}")
    if info.why:
        parts.append("#### Why it matters\n\n" + _paragraphs(info.why))
    if info.better:
        parts.append("#### Write instead\n\n" + _paragraphs(info.better))
    parts.append(f"`healthlint explain {info.id}` has examples.")
    return "\n\n".join(parts)


def _paragraphs(text: str) -> str:
    return "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n") if p.strip())

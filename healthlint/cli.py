"""The command line. Heavy modules are imported inside commands so start-up stays fast."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from healthlint import __version__

if TYPE_CHECKING:
    from healthlint.cache import FilePlan
    from healthlint.jobs import Task
    from healthlint.kinds import RuleInfo
    from healthlint.model import Finding
    from healthlint.source import SourceText

from healthlint.clihelp import ReadableGroup

app = typer.Typer(
    name="healthlint",
    cls=ReadableGroup,
    help="A readability and hedging linter for health copy.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help: wraps at any width and never cuts an option name short
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


class Format(str, Enum):
    text = "text"
    concise = "concise"
    json = "json"
    sarif = "sarif"
    github = "github"
    rdjson = "rdjson"
    gitlab = "gitlab"


class MinSeverity(str, Enum):
    info = "info"
    warning = "warning"
    error = "error"


class SortOrder(str, Enum):
    position = "position"
    severity = "severity"


class Level(str, Enum):
    info = "info"
    warning = "warning"
    error = "error"
    never = "never"


class Audience(str, Enum):
    patient = "patient"
    public = "public"
    professional = "professional"


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"healthlint {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """A readability and hedging linter for health copy."""


def _error(message: str) -> None:
    typer.echo(f"healthlint: {message}", err=True)


def _split_ids(values: Optional[List[str]]) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


@dataclass
class _FileRun:
    """One file of a check: what the report needs from it, and how its findings are found."""

    source: SourceText
    fail_on: str
    infos: list[RuleInfo]  # the rules that run on it
    findings: Optional[list[Finding]] = None  # from the cache, or after linting
    task: Optional[Task] = None  # when it still has to be linted
    cache_plan: Optional[FilePlan] = None  # when its findings should be stored in the cache
    error: Optional[str] = None
    min_severity: str = "info"  # findings below it are not shown


@app.command()
def check(
    paths: List[str] = typer.Argument(..., help="Files or folders to check; '-' reads standard input.", metavar="PATH..."),
    output_formats: Optional[List[Format]] = typer.Option(None, "--format", "-f", help="Output format (default: text). Give it again with --output-file to write several formats in one run."),
    output_files: Optional[List[Path]] = typer.Option(None, "--output-file", "-o", help="Write the output to this file; the first file gets the first --format, and so on (one format more goes to the screen)."),
    min_severity: Optional[MinSeverity] = typer.Option(None, "--min-severity", help="Show only findings at or above this severity; the summary counts the rest (default: info, or min-severity in the configuration)."),
    sort: SortOrder = typer.Option(SortOrder.position, "--sort", help="Order of the text output: position (file by file) or severity (errors first)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the findings: no summary and no progress bar."),
    statistics: bool = typer.Option(False, "--statistics", help="In the text output, a count per rule instead of the findings."),
    fail_on: Optional[Level] = typer.Option(None, "--fail-on", help="Exit 1 when a finding is at or above this severity (default: warning)."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when there are findings (the same as --fail-on never)."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="Path to report (and file type to assume) for standard input."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only run these rules (comma-separated ids)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Do not run these rules (comma-separated ids)."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="Also run these rules, e.g. rules that are off by default such as grammar."),
    languagetool_url: Optional[str] = typer.Option(None, "--languagetool-url", envvar="HEALTHLINT_LANGUAGETOOL_URL", help="LanguageTool server for the grammar rule (turns the rule on)."),
    audience: Optional[Audience] = typer.Option(None, "--audience", help="Reading-level target: patient (grade 8, default), public (grade 10), professional (none)."),
    color: ColorMode = typer.Option(ColorMode.auto, "--color", help="Colour the text output."),
    report_unused_suppressions: bool = typer.Option(False, "--report-unused-suppressions", help="Flag healthlint-disable comments that silenced nothing."),
    config: Optional[Path] = typer.Option(None, "--config", help="Use this configuration file for every path."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore all configuration files."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings that are not in this baseline file."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="Record the current findings in this file and exit 0."),
    fix: bool = typer.Option(False, "--fix", help="Apply safe fixes (plain-word swaps) to the files."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="With --fix or --diff, also apply rewrites of claims and long sentences: check them."),
    diff: bool = typer.Option(False, "--diff", help="Print a unified diff of what --fix would change; write nothing."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=0, help="Check files in this many processes (default, or 0: one per available core; 1: in this process)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the result cache."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", envvar="HEALTHLINT_CACHE_DIR", help="Keep the result cache in this folder (default: .healthlint_cache in the current folder)."),
    max_file_size: Optional[str] = typer.Option(None, "--max-file-size", help="Refuse files larger than this, e.g. 10MB or 500KB (default: 10MB, or max-file-size in the configuration)."),
    respect_gitignore: Optional[bool] = typer.Option(None, "--respect-gitignore/--no-respect-gitignore", help="In folders, leave out files that .gitignore ignores (default: yes, or respect-gitignore in the configuration)."),
    show_settings: bool = typer.Option(False, "--show-settings", help="Show which configuration files, settings and rules apply to each PATH, then exit; nothing is checked."),
) -> None:
    """Check health copy for risky claims and hard reading."""
    from healthlint.jobs import RuleSource, worker_count
    from healthlint.outputs import OutputError, pair_outputs
    from healthlint.settings import CommandLine
    from healthlint.yamlfile import DataError

    try:
        outputs = pair_outputs([f.value for f in output_formats or []], list(output_files or []))
    except OutputError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    cli = CommandLine(
        select=_split_ids(select) if select else None,
        extend_select=_split_ids(extend_select),
        ignore=_split_ids(ignore),
        fail_on="never" if exit_zero else (fail_on.value if fail_on else None),
        min_severity=min_severity.value if min_severity else None,
        audience=audience.value if audience else None,
        languagetool_url=languagetool_url,
        config=config,
        isolated=isolated,
        respect_gitignore=respect_gitignore,
    )
    if show_settings:
        _show_settings(paths, stdin_filename, cli)
    size_limit = _size_option(max_file_size)
    rules = RuleSource(cli)  # compiles nothing until a file needs linting
    planner = None
    if not (no_cache or fix or diff):  # fixes change files as they go: always lint afresh
        from healthlint.cache import CachePlanner, ResultCache, cache_root

        planner = CachePlanner(cli, ResultCache(cache_root(cache_dir)), report_unused_suppressions)
    try:
        try:
            if planner is None or not planner.cli_ids_known():
                _check_cli_rule_ids(rules.resolver, cli)
        except (DataError, ValueError) as exc:
            _error(str(exc))
            raise typer.Exit(EXIT_USAGE) from None

        runs, checked, unchecked = _prepare(paths, stdin_filename, rules, planner, fix=fix, diff=diff, unsafe_fixes=unsafe_fixes, size_limit=size_limit)
        _lint_pending(runs, rules, planner, worker_count(jobs), report_unused_suppressions, quiet)
    except KeyboardInterrupt:
        _error("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None

    findings, failing, texts, ran, failed, min_levels = _collect(runs)
    unchecked += failed
    checked -= failed  # read, but a rule failed on it: not checked either
    bad_input = unchecked > 0

    if write_baseline is not None:
        from healthlint.baseline import write_baseline as write

        write(write_baseline, findings, _sources_text(findings))
        _error(f"wrote {len(findings)} findings to the baseline {write_baseline}")
        raise typer.Exit(EXIT_USAGE if bad_input else EXIT_CLEAN)
    if baseline is not None:
        from healthlint.baseline import BaselineError, filter_new

        try:
            kept = filter_new(baseline, findings, _sources_text(findings))
        except BaselineError as exc:
            _error(str(exc))
            raise typer.Exit(EXIT_USAGE) from None
        failing = [f for f in failing if f in kept]
        findings = kept

    use_color = color is ColorMode.always or (color is ColorMode.auto and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    if diff:
        raise typer.Exit(EXIT_USAGE if bad_input else EXIT_CLEAN)
    from healthlint.filters import shown_and_hidden
    from healthlint.report import Report

    findings, hidden = shown_and_hidden(findings, min_levels)
    shown = {id(f) for f in findings}
    failing = [f for f in failing if id(f) in shown]  # what is not shown does not fail the run
    levels = set(min_levels.values()) - {"info"}
    report = Report(
        findings, checked, use_color, list(ran.values()), texts, unchecked,
        hidden=hidden, min_severity=", ".join(sorted(levels)) or None, quiet=quiet, statistics=statistics, sort=sort.value,
    )
    # Nothing could be read (a pipe, a device, a missing file): the error on stderr says so, and
    # "No problems found in 0 files." under it would read as a clean run.
    nothing_read = bad_input and not checked and not findings
    if not _write_outputs(outputs, report, nothing_read):
        raise typer.Exit(EXIT_USAGE)
    if bad_input:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_FINDINGS if failing else EXIT_CLEAN)


def _write_outputs(outputs, report, nothing_read: bool) -> bool:
    """Each format to its file or the screen; False after saying a file could not be written."""
    from dataclasses import replace

    from healthlint.atomicfile import write_atomic
    from healthlint.report import emitter

    for output in outputs:
        if output.file is None:
            if not (nothing_read and output.format in ("text", "concise")):
                sys.stdout.write(emitter(output.format)(report))
            continue
        text = emitter(output.format)(replace(report, color=False))
        try:
            write_atomic(output.file, text.encode("utf-8"))
        except OSError as exc:
            _error(f"--output-file {_quoted(str(output.file))}: cannot be written ({exc.strerror or exc}); check that the folder exists and you may write in it")
            return False
    return True


def _show_settings(paths: List[str], stdin_filename: Optional[str], cli) -> None:
    """--show-settings: print what applies to each path and exit 0 (2 on a bad configuration)."""
    from healthlint.settings import Resolver
    from healthlint.show_settings import describe
    from healthlint.yamlfile import DataError

    try:
        resolver = Resolver(cli)
        _check_cli_rule_ids(resolver, cli)
        for i, path in enumerate(paths):
            if path != "-" and not os.path.exists(path):
                _error(f"{_quoted(path)}: no such file or folder")
                raise typer.Exit(EXIT_USAGE)
            file_path = (Path(stdin_filename) if stdin_filename else None) if path == "-" else Path(path)
            typer.echo(("\n" if i else "") + describe(_shown(path, stdin_filename), file_path, resolver), nl=False)
    except (DataError, ValueError) as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    raise typer.Exit(EXIT_CLEAN)


def _lint_pending(runs: list[_FileRun], rules, planner, jobs: int, report_unused_suppressions: bool, quiet: bool = False) -> None:
    """Lint the files the cache did not have (in workers when worth it), and store them; a
    progress bar on a terminal when there are many."""
    from healthlint.jobs import lint_tasks
    from healthlint.progress import progress_bar, wanted

    pending = [run for run in runs if run.task is not None]
    with progress_bar(len(pending), show=wanted(len(pending), quiet=quiet)) as done:
        outcomes = lint_tasks([run.task for run in pending], rules, jobs=jobs, report_unused_suppressions=report_unused_suppressions, on_done=done)
    for run, outcome in zip(pending, outcomes):
        run.findings, run.error = outcome.findings, outcome.error
        if planner is not None and run.cache_plan is not None and outcome.error is None:
            planner.store(run.cache_plan, run.source, run.findings, run.infos)


def _collect(runs: list[_FileRun]):
    """The report's parts, in discovery order: findings, those at or above each file's
    fail-on level, texts, rules that ran; how many files failed (their errors are printed); and
    each file's minimum severity to show."""
    from healthlint.filters import at_or_above
    from healthlint.model import Severity

    findings: list[Finding] = []
    failing: list[Finding] = []
    texts: dict[str, str] = {}
    ran: dict[str, RuleInfo] = {}
    min_levels: dict[str, str] = {}
    failed = 0
    for run in runs:
        if run.error is not None:
            _error(f"{run.source.path}: {run.error}")
            failed += 1
            continue
        findings.extend(run.findings)
        texts[run.source.path] = run.source.text
        min_levels[run.source.path] = run.min_severity
        ran.update({info.id: info for info in run.infos})
        if run.fail_on != "never":
            failing.extend(at_or_above(run.findings, Severity(run.fail_on)))
    return findings, failing, texts, ran, failed, min_levels


def _prepare(paths, stdin_filename, rules, planner, *, fix: bool, diff: bool, unsafe_fixes: bool, size_limit: Optional[int] = None):
    """Every file in discovery order: its settings, its text, and its findings when cached.
    Every message about a file (unreadable, skipped, empty, fixed) is printed here, in that
    order, whatever the number of jobs. Returns (runs, files checked, files and folders that could
    not be read)."""
    from healthlint.discovery import discover, is_folder
    from healthlint.jobs import Task

    runs: list[_FileRun] = []
    checked = 0
    unchecked = 0  # files and folders that could not be read
    explicit = {p for p in paths if not is_folder(p)}

    def skipped(item) -> None:
        nonlocal unchecked
        _error(f"{_quoted(item.path)}: {item.reason}")
        unchecked += item.problem

    # The planner's resolver reads rule ids from the cache's catalogue instead of building rules.
    def resolver():
        return planner.resolver if planner is not None else rules.resolver

    for found in discover(paths, skipped, _folder_rules(resolver), rules.cli.respect_gitignore):
        path = found.path
        shown = _shown(path, stdin_filename)
        file_path = Path(stdin_filename) if path == "-" and stdin_filename else (None if path == "-" else Path(path))
        plan = planner.plan(file_path, path in explicit) if planner is not None and path != "-" else None
        if plan is not None and plan.excluded:
            continue
        resolved = None
        if plan is None:
            resolved = _resolve(rules, path, file_path, path in explicit)
            if resolved is None:
                continue
        fmt = _stdin_format(resolver(), stdin_filename) if path == "-" else found.format
        source = _read(path, shown, _size_limit(rules, file_path, size_limit), fmt)
        if source is None:
            unchecked += 1
            continue
        checked += 1
        if not source.text.strip():
            _error(f"{shown}: the file is empty; there is nothing to check")
            continue
        _notice_unchecked(source)
        if plan is not None:
            hit = planner.lookup(plan, source)
            if hit is not None:
                runs.append(_FileRun(source, plan.fail_on, hit.infos, findings=hit.findings, min_severity=plan.min_severity))
                continue
            resolved = _resolve(rules, path, file_path, path in explicit, check_excluded=False)
        if fix or diff:
            if path == "-":
                _error("--fix and --diff need files; standard input cannot be changed in place")
                raise typer.Exit(EXIT_USAGE)
            source = _apply_fixes(source, resolved, unsafe_fixes, write=fix and not diff, show_diff=diff)
        # The grammar rule asks a server and prints its one notice from this process; its
        # answers are not the file's alone, so they are never cached.
        asks_server = any(r.info.kind == "grammar" for r in resolved.rules)
        runs.append(
            _FileRun(
                source,
                resolved.fail_on,
                [r.info for r in resolved.rules],
                task=Task(file_path, source, in_parent=asks_server),
                cache_plan=None if asks_server else plan,
                min_severity=resolved.min_severity,
            )
        )
    return runs, checked, unchecked


def _folder_rules(resolver):
    """Each walked folder's formats and gitignore choice, from ``resolver()``'s configuration; a
    bad configuration ends the run (exit 2)."""
    from healthlint.yamlfile import DataError

    def rules_for(folder: Path):
        try:
            return resolver().folder_rules(folder)
        except (DataError, ValueError) as exc:
            _error(str(exc))
            raise typer.Exit(EXIT_USAGE) from None

    return rules_for


def _stdin_format(resolver, stdin_filename: Optional[str]):
    """The format standard input is read as: what --stdin-filename's name says, with the
    configuration's `formats:`; None without a name (the reader's default)."""
    from healthlint.formats import format_for

    if not stdin_filename:
        return None
    try:
        config = resolver.config_for(Path(stdin_filename))
    except OSError:
        config = None
    return format_for(stdin_filename, config.formats if config else None)


def _resolve(rules, path: str, file_path: Optional[Path], explicit: bool, *, check_excluded: bool = True):
    """The file's rules and fail-on level, or None when the configuration excludes it."""
    from healthlint.yamlfile import DataError

    try:
        if check_excluded and file_path is not None and _exists(path) and rules.resolver.excluded(file_path, explicit):
            return None
        return rules.resolve(file_path)
    except (DataError, ValueError) as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None


def _apply_fixes(source, resolved, unsafe: bool, *, write: bool, show_diff: bool):
    """Fix one file; returns the source to report on (the fixed one when written)."""
    from healthlint.engine import lint_source
    from healthlint.atomicfile import write_atomic
    from healthlint.fixes import encoded, fix_source, unified_diff
    from healthlint.formats import spec
    from healthlint.source import from_text

    if not spec(source.format).fixable:  # a Word document is never rewritten: it is not text
        what = "--fix" if write else "--diff"
        _error(
            f"{_quoted(source.path)}: healthlint never changes {spec(source.format).described}, so {what} left it as it is; "
            "'healthlint annotate' writes a copy with a comment on each finding"
        )
        return source
    result = fix_source(source, lambda s: lint_source(s, resolved.rules, front_matter_keys=resolved.front_matter_keys).findings, unsafe)
    if not result.changed:
        return source
    if show_diff:
        sys.stdout.write(unified_diff(result))
        return source
    if write:
        write_atomic(Path(source.path), encoded(source, result.fixed_text))
        _error(f"{source.path}: applied {result.applied} fix{'es' if result.applied != 1 else ''}")
        return from_text(result.fixed_text, source.path, source.format, encoding=source.encoding, bom=source.had_bom)
    return source


def _shown(path: str, stdin_filename: Optional[str]) -> str:
    """The path to report: the file's, or for standard input the given name or "<stdin>"."""
    if path == "-":
        return stdin_filename or "<stdin>"
    return path


def _notice_unchecked(source) -> None:
    """Say so when part of a file goes unchecked although it was read: front matter that does
    not parse, an unclosed code fence or HTML comment hiding most of a Markdown file, an unclosed
    comment hiding most of an HTML page (notices: the exit code is unchanged, since CommonMark
    and the HTML standard read them that way)."""
    from healthlint.formats import Format

    if source.is_markdown:
        from healthlint.parse.frontmatter import front_matter_problem
        from healthlint.parse.unclosed import unclosed_block

        broken = front_matter_problem(source.text)
        if broken is not None:
            line, problem = broken
            _error(
                f"{_quoted(source.path)}:{line}: the front matter could not be read ({problem}), so its title, "
                "description and summary were not checked; the rest of the file was"
            )
        found = unclosed_block(source.text)
    elif source.format is Format.HTML:
        from healthlint.parse.unclosed import unclosed_html_comment

        found = unclosed_html_comment(source.text)
    else:
        return
    if found is not None:
        _error(found.notice(_quoted(source.path)))


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except OSError:  # a folder above it cannot be read: the reader says so
        return False


def _size_limit(rules, file_path: Optional[Path], given: Optional[int]) -> int:
    """The largest file to read: --max-file-size, else the file's configuration's, else 10 MB."""
    from healthlint.source import DEFAULT_MAX_BYTES

    if given is not None:
        return given
    try:
        config = rules.resolver.config_for(file_path)
    except OSError:
        config = None
    return config.max_file_size if config is not None and config.max_file_size is not None else DEFAULT_MAX_BYTES


def _quoted(path: str) -> str:
    from healthlint.report import shown_path

    return shown_path(path)


def _read(path: str, shown: str, max_bytes: Optional[int] = None, fmt=None):
    """The file's SourceText, or None after telling the user why it cannot be read. ``fmt``:
    the format discovery gave it (None: what its name says, else plain text)."""
    from healthlint.source import DEFAULT_MAX_BYTES, InputError, read_source

    try:
        return read_source(path, display_path=shown, fmt=fmt, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    except InputError as exc:
        _error(str(exc))
        return None


def _check_cli_rule_ids(resolver, cli) -> None:
    """Unknown ids on the command line are usage errors, with a did-you-mean."""
    from healthlint.filters import check_ids
    from healthlint.ruleset import load_rules

    config = resolver.config_for(None)
    ruleset = load_rules(tuple(config.rule_folders) if config else ())
    check_ids(ruleset, cli.select or [], "--select")
    check_ids(ruleset, cli.ignore, "--ignore")
    check_ids(ruleset, cli.extend_select, "--extend-select")


def _sources_text(findings) -> dict:
    """Each flagged file's text, for baseline fingerprints (read once per file)."""
    from healthlint.source import read_source

    texts = {}
    for f in findings:
        if f.path not in texts:
            try:
                texts[f.path] = read_source(f.path).text
            except Exception:  # stdin or a file gone since: fingerprint from the finding alone
                texts[f.path] = ""
    return texts


@app.command()
def readability(
    paths: List[str] = typer.Argument(..., help="Files or folders to measure; '-' reads standard input.", metavar="PATH..."),
    output_format: str = typer.Option("text", "--format", "-f", help="text: a table; json: one object per document.", metavar="text|json"),
    audience: Optional[Audience] = typer.Option(None, "--audience", help="Whose target grade to judge by: patient (grade 8, default), public (grade 10), professional (none)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Take the audience and grade target from this configuration file."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="Path to report (and file type to assume) for standard input."),
) -> None:
    """Readability per document and per section (Flesch-Kincaid, SMOG, Fog, ...), against the audience's target."""
    from healthlint.discovery import discover
    from healthlint.document import AnalyzedDocument
    from healthlint.parse import parse
    from healthlint.readability import document_readability
    from healthlint.report.readability import FORMATS, as_json, table

    if output_format not in FORMATS:
        also = f"; for findings in {output_format} format use 'healthlint check --format {output_format}'" if output_format in {f.value for f in Format} else ""
        _error(f"--format {output_format}: readability writes {' or '.join(FORMATS)}, not {output_format}{also}")
        raise typer.Exit(EXIT_USAGE)
    from healthlint.jobs import RuleSource
    from healthlint.settings import CommandLine
    from healthlint.yamlfile import DataError

    try:  # the target check would judge by: --audience, else the configuration's audience and grade-target
        target = _report_target(RuleSource(CommandLine(audience=audience.value if audience else None, config=config)))
    except (DataError, ValueError) as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    reports = []
    bad_input = False

    def skipped(item) -> None:
        nonlocal bad_input
        _error(f"{_quoted(item.path)}: {item.reason}")
        bad_input = bad_input or item.problem

    for found in discover(paths, skipped):  # the built-in formats: only the target comes from the configuration
        source = _read(found.path, _shown(found.path, stdin_filename), fmt=found.format)
        if source is None:
            bad_input = True
            continue
        reports.append(document_readability(AnalyzedDocument(parse(source))))
    sys.stdout.write(as_json(reports, target) if output_format == "json" else table(reports, target))
    raise typer.Exit(EXIT_USAGE if bad_input else EXIT_CLEAN)


def _reading_target(audience: str):
    """The audience's target grade, from the built-in reading-level rule's options."""
    from healthlint.report.readability import Target
    from healthlint.ruleset import load_rules

    rule = load_rules().get("reading-level").aimed_at(audience=audience)
    return Target(audience, rule.target)


@app.command()
def report(
    paths: List[str] = typer.Argument(..., help="Files or folders to check.", metavar="PATH..."),
    output: Path = typer.Option(Path("report.html"), "--output", "-o", help="Where to write the report (one HTML file to open in a browser)."),
    audience: Optional[Audience] = typer.Option(None, "--audience", help="Reading-level target: patient (grade 8, default), public (grade 10), professional (none)."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only run these rules (comma-separated ids)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Do not run these rules (comma-separated ids)."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="Also run these rules."),
    config: Optional[Path] = typer.Option(None, "--config", help="Use this configuration file for every path."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore all configuration files."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=0, help="Check files in this many processes (default: one per core)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the result cache."),
) -> None:
    """Write an HTML report to open in a browser: the copy with each finding highlighted, filters, and an overview."""
    from healthlint.jobs import RuleSource, worker_count
    from healthlint.report.html import document_reports, render
    from healthlint.report.html.output import refusal, write_page
    from healthlint.settings import CommandLine
    from healthlint.yamlfile import DataError

    refused = refusal(output)
    if refused is not None:
        _error(f"--output {_quoted(str(output))} is {refused}, so it is left as it is; name a new file, e.g. --output healthlint-report.html")
        raise typer.Exit(EXIT_USAGE)
    cli = CommandLine(
        select=_split_ids(select) if select else None,
        extend_select=_split_ids(extend_select),
        ignore=_split_ids(ignore),
        audience=audience.value if audience else None,
        config=config,
        isolated=isolated,
    )
    rules = RuleSource(cli)
    planner = None
    if not no_cache:
        from healthlint.cache import CachePlanner, ResultCache, cache_root

        planner = CachePlanner(cli, ResultCache(cache_root(None)), False)
    try:
        try:
            if planner is None or not planner.cli_ids_known():
                _check_cli_rule_ids(rules.resolver, cli)
        except (DataError, ValueError) as exc:
            _error(str(exc))
            raise typer.Exit(EXIT_USAGE) from None
        runs, _, unchecked = _prepare(paths, None, rules, planner, fix=False, diff=False, unsafe_fixes=False)
        try:
            target = _report_target(rules)
        except (DataError, ValueError) as exc:
            _error(str(exc))
            raise typer.Exit(EXIT_USAGE) from None
        runs = [run for run in runs if not _is_our_report(run.source, output)]
        _lint_pending(runs, rules, planner, worker_count(jobs), False)
        checked = []
        for run in runs:
            if run.error is not None:
                _error(f"{_quoted(run.source.path)}: {run.error}")
                unchecked += 1
                continue
            checked.append((run.source, run.findings))
        documents = document_reports(checked, worker_count(jobs))
    except KeyboardInterrupt:
        _error("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if not documents:
        _error("no file could be checked, so no report was written")
        raise typer.Exit(EXIT_USAGE)
    summaries = {info.id: info.summary for run in runs for info in run.infos}
    page = render(documents, target, summaries)
    try:
        write_page(output, page)
    except OSError as exc:
        _error(f"--output {_quoted(str(output))}: cannot be written ({exc.strerror or exc}); check that the folder exists and you may write in it")
        raise typer.Exit(EXIT_USAGE) from None
    problems = sum(len(d.findings) for d in documents)
    typer.echo(
        f"Wrote {output}: {problems:,} problem{'s' if problems != 1 else ''} in {len(documents):,} file{'s' if len(documents) != 1 else ''}. "
        "Open it in a web browser."
    )
    raise typer.Exit(EXIT_USAGE if unchecked else EXIT_CLEAN)


def _report_target(rules):
    """The reading-grade target: the reading-level rule's, as the command line and the
    configuration aim it; the patient target when that rule does not run."""
    from healthlint.report.readability import Target

    for rule in rules.resolve(None).rules:
        if rule.info.id == "reading-level" and hasattr(rule, "target"):
            return Target(rule.audience, rule.target)
    return _reading_target(rules.cli.audience or "patient")


def _is_our_report(source, output: Path) -> bool:
    """The report itself, or an earlier one, found in a folder being checked: not content."""
    from healthlint.report.html import written_by_healthlint

    return written_by_healthlint(source.text) or (source.path != "-" and _same_file(Path(source.path), output))


@app.command()
def annotate(
    path: Path = typer.Argument(..., help="The Word document (.docx) to check.", metavar="IN.docx"),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the copy with comments (a new .docx; never IN.docx itself)."),
    fail_on: Optional[Level] = typer.Option(None, "--fail-on", help="Exit 1 when a finding is at or above this severity (default: warning)."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only run these rules (comma-separated ids)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Do not run these rules (comma-separated ids)."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="Also run these rules."),
    config: Optional[Path] = typer.Option(None, "--config", help="Use this configuration file."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore all configuration files."),
) -> None:
    """Write a copy of a Word document with a comment on each finding; the original is left as it is."""
    from healthlint.filters import at_or_above
    from healthlint.formats import Format as FileFormat, format_for
    from healthlint.jobs import RuleSource, Task, lint_guarded
    from healthlint.model import Severity
    from healthlint.settings import CommandLine
    from healthlint.source import InputError
    from healthlint.yamlfile import DataError

    shown = str(path)
    if format_for(path) is not FileFormat.DOCX:
        _error(f"{_quoted(shown)}: annotate reads Word documents (.docx); use 'healthlint check' for other files")
        raise typer.Exit(EXIT_USAGE)
    if output.suffix.lower() != ".docx":
        _error(f"--output {_quoted(str(output))}: name the copy with .docx at the end, so Word opens it")
        raise typer.Exit(EXIT_USAGE)
    if _same_file(path, output):
        _error(f"--output {_quoted(str(output))} is the document itself; annotate never changes the original, so name a new file")
        raise typer.Exit(EXIT_USAGE)
    cli = CommandLine(
        select=_split_ids(select) if select else None,
        extend_select=_split_ids(extend_select),
        ignore=_split_ids(ignore),
        fail_on=fail_on.value if fail_on else None,
        config=config,
        isolated=isolated,
    )
    rules = RuleSource(cli)
    try:
        _check_cli_rule_ids(rules.resolver, cli)
    except (DataError, ValueError) as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    resolved = _resolve(rules, shown, path, True, check_excluded=False)  # named by the user: never excluded
    source = _read(shown, shown, _size_limit(rules, path, None))
    if source is None:
        raise typer.Exit(EXIT_USAGE)
    outcome = lint_guarded(Task(path, source), rules, False)
    if outcome.error is not None:
        _error(f"{_quoted(shown)}: {outcome.error}")
        raise typer.Exit(EXIT_USAGE)
    findings = outcome.findings
    try:
        from healthlint.readers.word_comments import annotate_docx

        annotated = annotate_docx(path.read_bytes(), shown, findings)
    except InputError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    except OSError as exc:
        _error(f"{_quoted(shown)}: cannot be read ({exc.strerror or exc})")
        raise typer.Exit(EXIT_USAGE) from None
    try:
        from healthlint.atomicfile import write_atomic

        write_atomic(output, annotated.data)
        os.chmod(output, path.stat().st_mode & 0o777)  # a copy: as readable as the original
    except OSError as exc:
        _error(f"--output {_quoted(str(output))}: cannot be written ({exc.strerror or exc}); check that the folder exists and you may write in it")
        raise typer.Exit(EXIT_USAGE) from None
    for finding in annotated.not_anchored:
        _error(f"{_quoted(shown)}:{finding.start.line}:{finding.start.column}: {finding.rule}: this finding could not be placed as a comment in the copy; 'healthlint check' shows it")
    count = annotated.comments
    typer.echo(f"Wrote {output}: a copy of {shown} with {count} comment{'s' if count != 1 else ''}." if count else f"Wrote {output}: no problems found, so it has no comments.")
    failing = resolved.fail_on != "never" and at_or_above(findings, Severity(resolved.fail_on))
    raise typer.Exit(EXIT_FINDINGS if failing else EXIT_CLEAN)


def _same_file(a: Path, b: Path) -> bool:
    """Are the two paths one file (also through a link, or spelled differently)?"""
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


@app.command("rules")
def list_rules(
    config: Optional[Path] = typer.Option(None, "--config", help="Also list the rules from this configuration's rule folders."),
) -> None:
    """List every rule: id, default severity, where it comes from, and what it finds."""
    ruleset = _ruleset_or_exit(config)
    width = max([len("rule")] + [len(r.info.id) for r in ruleset.rules])
    typer.echo(f"{'rule':<{width}}  {'severity':<8}  what it finds")
    for rule in ruleset.rules:
        off = "" if rule.info.enabled else " (off by default)"
        typer.echo(f"{rule.info.id:<{width}}  {rule.info.severity.value:<8}  {rule.info.summary}{off}")
        if rule.info.source != "built-in":
            typer.echo(f"{'':<{width}}  {'':<8}  from {rule.info.source}")


@app.command()
def explain(rule_id: str = typer.Argument(..., metavar="RULE", help="A rule id, e.g. opioid-substitution.")) -> None:
    """Show a rule's documentation: what it finds, why it matters, examples, the fix."""
    import textwrap

    from healthlint.filters import nearest_id

    ruleset = _ruleset_or_exit(None)
    rule = ruleset.get(rule_id)
    if rule is None:
        near = nearest_id(rule_id, ruleset.ids())
        _error(f"there is no rule '{rule_id}'" + (f"; did you mean '{near}'?" if near else "; run 'healthlint rules' to see them all"))
        raise typer.Exit(EXIT_USAGE)
    info = rule.info

    def section(title: str, body: str) -> None:
        if body:
            typer.echo(f"\n## {title}\n")
            for paragraph in body.split("\n\n"):
                typer.echo(textwrap.fill(" ".join(paragraph.split()), width=88))

    state = "On by default" if info.enabled else "Off by default; turn it on with --extend-select " + info.id
    typer.echo(f"# {info.id}\n\n{info.summary}\nSeverity: {info.severity.value}. Kind: {info.kind}. Source: {info.source}. {state}.")
    section("What it finds", info.description)
    section("Why it matters", info.why)
    section("Write instead", info.better)
    if info.flag_examples:
        typer.echo("\n## Flagged\n")
        for example in info.flag_examples:
            typer.echo(textwrap.fill(" ".join(example.text.split()), width=88, initial_indent="- ", subsequent_indent="  "))
    if info.pass_examples:
        typer.echo("\n## Not flagged\n")
        for example in info.pass_examples:
            typer.echo(textwrap.fill(" ".join(example.text.split()), width=88, initial_indent="- ", subsequent_indent="  "))


@app.command("test-rules")
def test_rules(folder: Path = typer.Argument(..., help="A folder of rule YAML files.", metavar="DIR")) -> None:
    """Run the flag and pass examples of every rule in a folder (your team's rules)."""
    from healthlint.examples import run_examples, sole_examples
    from healthlint.kinds.claim import backtracking_warnings
    from healthlint.ruleset import builtin_rules_dir, load_folder, pack_name
    from healthlint.yamlfile import DataError

    if not folder.is_dir():
        _error(f"{folder}: no such folder")
        raise typer.Exit(EXIT_USAGE)
    try:
        from healthlint.plugins import load_plugins

        kinds = {name: factory for plugin in load_plugins() for name, factory in plugin.kinds.items()}
        if folder.resolve() == builtin_rules_dir():  # the built-in rules, tested as they ship
            rules = load_folder(folder, "built-in", None, kinds)
        else:
            rules = load_folder(folder, str(folder), pack_name(folder), kinds)
    except DataError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    if not rules:
        _error(f"{folder}: no rule files (*.yaml) found")
        raise typer.Exit(EXIT_USAGE)
    passed = failed = warned = 0
    for rule in rules:
        for warning in backtracking_warnings(rule):  # a warning: the examples may still pass
            typer.echo(warning)
            warned += 1
        if rule.info.kind == "grammar":
            typer.echo(f"{rule.info.id}: skipped (its examples need a LanguageTool server)")
            continue
        results = run_examples(rule)
        if not results:
            typer.echo(f"{rule.info.id}: no examples; add 'examples: {{flag: [...], pass: [...]}}' so the rule is tested")
            failed += 1
        for r in results:
            if r.ok:
                passed += 1
            else:
                failed += 1
                typer.echo(f"FAIL {r.rule} {r.kind} example (line {r.example.line}): {' '.join(r.example.text.split())[:100]}\n     {r.detail}")
        if getattr(rule, "patterns", None) and len(rule.patterns) > 1:
            for name, sole in sole_examples(rule).items():
                if not sole:
                    failed += 1
                    typer.echo(
                        f"FAIL {rule.info.id} pattern '{name}': no flag example is flagged by it alone, so nothing "
                        f"would notice if it stopped working; add one (- text: ..., pattern: {name})"
                    )
    typer.echo(f"{passed} passed, {failed} failed" + (f", {warned} warning{'s' if warned != 1 else ''}" if warned else ""))
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


@app.command()
def init(
    path: Path = typer.Argument(Path(".healthlint.yaml"), help="Where to write the starter configuration."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a commented starter configuration file, and the schema editors check it with."""
    from healthlint.config import SCHEMA_FILE_NAME, STARTER, schema_text

    if path.exists() and not force:
        _error(f"{path} already exists; use --force to overwrite it")
        raise typer.Exit(EXIT_USAGE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTER, encoding="utf-8")
    typer.echo(f"Wrote {path}. Edit it, then run: healthlint check .")
    schema = path.parent / SCHEMA_FILE_NAME
    if schema.exists() and not force and schema.read_text(encoding="utf-8", errors="replace") != schema_text():
        typer.echo(f"Kept {schema} as it is (use --force to replace it with this version's schema).")
        return
    schema.write_text(schema_text(), encoding="utf-8")
    typer.echo(f"Wrote {schema}, so editors can complete and check the settings.")


class TextFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    html = "html"


@app.command()
def audit(
    sources: List[str] = typer.Argument(..., help="Folders, globs, fsspec URLs (file://, s3://, gs://) or tables of pages (.jsonl, .csv, .parquet).", metavar="SOURCE..."),
    output: Path = typer.Option(..., "--output", "-o", metavar="DIR", help="The folder for the results: findings.parquet, summary.json, report.html, ..."),
    dask: Optional[str] = typer.Option(None, "--dask", metavar="ADDRESS", help="Run on Dask: local:N starts a cluster of N workers here; tcp://HOST:8786 uses a running scheduler."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=0, help="Without --dask: check in this many processes (default, or 0: one per available core)."),
    text_column: str = typer.Option("text", "--text-column", metavar="COLUMN", help="Tables: the column with each page's text."),
    id_column: Optional[str] = typer.Option(None, "--id-column", metavar="COLUMN", help="Tables: the column that names each page (default: url or id, else the row number)."),
    group_by: Optional[List[str]] = typer.Option(None, "--group-by", metavar="COLUMNS", help="Tables: columns to count by, e.g. site,section,author (comma-separated)."),
    date_column: Optional[str] = typer.Option(None, "--date-column", metavar="COLUMN", help="Tables: a column of dates, for the charts over time."),
    text_format: TextFormat = typer.Option(TextFormat.text, "--text-format", help="Tables: read each row's text as plain text (default), markdown or html."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only run these rules (comma-separated ids)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Do not run these rules (comma-separated ids)."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="Also run these rules."),
    audience: Optional[Audience] = typer.Option(None, "--audience", help="Reading-level target: patient (grade 8, default), public (grade 10), professional (none)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Use this configuration file for every document."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore all configuration files."),
    respect_gitignore: Optional[bool] = typer.Option(None, "--respect-gitignore/--no-respect-gitignore", help="In local folders, leave out files that .gitignore ignores (default: yes)."),
    max_file_size: Optional[str] = typer.Option(None, "--max-file-size", metavar="SIZE", help="Record files larger than this as not checked (default: 10MB)."),
    fresh: bool = typer.Option(False, "--fresh", help="Check everything again, even the parts an interrupted audit in DIR had finished."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary line."),
) -> None:
    """Audit an archive or a crawl: every document checked, the results summarised in a folder."""
    from healthlint.audit import INSTALL, missing_packages

    missing = missing_packages(dask=dask is not None)
    if missing:
        _error(f"healthlint audit needs {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} not installed; install {'it' if len(missing) == 1 else 'them'} with: {INSTALL}")
        raise typer.Exit(EXIT_USAGE)
    from healthlint.audit.pipeline import AuditRequest, run_audit
    from healthlint.audit.running import AuditSettings, ClusterError, local_cluster_size
    from healthlint.audit.sources import SourceError, TableColumns
    from healthlint.audit.store import StoreError
    from healthlint.formats import Format as FileFormat
    from healthlint.jobs import worker_count
    from healthlint.source import DEFAULT_MAX_BYTES
    from healthlint.yamlfile import DataError

    given_limit = _size_option(max_file_size)
    size_limit = DEFAULT_MAX_BYTES if given_limit is None else given_limit
    try:
        if dask is not None:
            local_cluster_size(dask)
    except ValueError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    settings = AuditSettings(
        select=tuple(_split_ids(select)) if select else None,
        extend_select=tuple(_split_ids(extend_select)),
        ignore=tuple(_split_ids(ignore)),
        audience=audience.value if audience else None,
        config=str(config.resolve()) if config else None,
        isolated=isolated,
        max_bytes=size_limit,
    )
    columns = TableColumns(text_column, id_column, tuple(_split_ids(group_by)), date_column, FileFormat(text_format.value))
    request = AuditRequest(list(sources), output, settings, columns, dask, worker_count(jobs), fresh, quiet, respect_gitignore)
    try:
        outcome = run_audit(request, _error)
    except (SourceError, StoreError, ClusterError, DataError, ValueError) as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    except KeyboardInterrupt:
        _error(f"interrupted; the parts already checked are saved in {output}, so the same command carries on from there")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    s = outcome.summary
    if not quiet:
        failed = f" {s['documents_failed']:,} could not be checked: see {output / 'errors.parquet'}." if s["documents_failed"] else ""
        typer.echo(
            f"Audited {s['documents_checked']:,} documents ({s['words']:,} words): {s['claim_findings']:,} claims "
            f"({s['claims_per_10k_words']:,.2f} per 10,000 words) and {s['findings']:,} findings in all.{failed} "
            f"Open {output / 'report.html'} in a web browser."
        )
    if s["documents_failed"]:
        raise typer.Exit(EXIT_USAGE)
    serious = s["severities"].get("warning", 0) + s["severities"].get("error", 0)
    raise typer.Exit(EXIT_FINDINGS if serious else EXIT_CLEAN)


@app.command("config-schema")
def config_schema() -> None:
    """Print the JSON Schema of the configuration file, for editors and other tools."""
    from healthlint.config import schema_text

    sys.stdout.write(schema_text())


@app.command()
def lsp(
    stdio: bool = typer.Option(False, "--stdio", hidden=True, help="Accepted for clients that pass it; stdio is the only transport."),
) -> None:
    """Run the language server over stdio, for editors (see docs/editors.md)."""
    from healthlint.lsp import main as serve

    serve()


def _ruleset_or_exit(config: Optional[Path]):
    from healthlint.config import find_config_file, load_config
    from healthlint.ruleset import load_rules
    from healthlint.settings import known_rules
    from healthlint.yamlfile import DataError

    try:
        found = config or find_config_file(Path.cwd().resolve())
        folders = tuple(load_config(found, known_rules).rule_folders) if found else ()
        return load_rules(folders)
    except DataError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None


def _size_option(max_file_size: str | None) -> int | None:
    """--max-file-size in bytes (None when it was not given); a usage error when it is no size."""
    if max_file_size is None:
        return None
    from healthlint.config import parse_size

    size = parse_size(max_file_size)
    if size is None:
        _error(f"--max-file-size: '{max_file_size}' is not a size; write it like 10MB, 500KB or 2000000 (bytes)")
        raise typer.Exit(EXIT_USAGE)
    return size


def main() -> None:
    import gc

    # Parsing and linting make many small objects that live as long as their document, and the
    # collector's default (a pass every 700 new objects) re-scanned them: a third of a large
    # table's time. Collect less often, as mypy does; the memory held meanwhile is small.
    gc.set_threshold(100_000, 50, 50)
    app()

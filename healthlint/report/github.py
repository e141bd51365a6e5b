"""GitHub Actions workflow commands: annotations on the pull request's changed lines.

    ::warning file=PATH,line=1,col=49,endLine=1,endColumn=71,title=RULE::message
Property values escape %, CR, LF, ":" and ","; the message escapes %, CR and LF."""

from __future__ import annotations

from healthlint.report import readable_path

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def emit(report) -> str:
    lines = []
    for f in report.findings:
        props = ",".join(
            f"{k}={escape_property(str(v))}"
            for k, v in (
                ("file", readable_path(f.path)),
                ("line", f.start.line),
                ("col", f.start.column),
                ("endLine", f.end.line),
                ("endColumn", f.end.column),
                ("title", f"healthlint {f.rule}"),
            )
        )
        message = " ".join(f.message.split())
        if f.suggestion:
            message += "\n\nSuggestion: " + " ".join(f.suggestion.split())
        lines.append(f"::{_LEVELS[f.severity.value]} {props}::{escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")

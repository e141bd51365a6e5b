"""The "max-exclamations" rule kind: too many "!" in one paragraph or list item."""

from __future__ import annotations

from healthlint.parse import BlockKind
from healthlint.yamlfile import DataError

PROSE = (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)


class MaxExclamationsRule:
    def __init__(self, info, maximum: int, message: str, suggestion: str | None) -> None:
        self.info = info
        self.maximum = maximum
        self.message = message
        self.suggestion = suggestion

    def check(self, doc):
        for block in doc.blocks:
            if block.kind not in PROSE:
                continue
            marks = [i for i, char in enumerate(block.text) if char == "!"]
            if len(marks) <= self.maximum:
                continue
            first_extra = marks[self.maximum]  # the first "!" over the limit
            values = {"count": len(marks), "max": self.maximum}
            yield doc.finding(
                block,
                first_extra,
                first_extra + 1,
                rule=self.info.id,
                severity=self.info.severity,
                message=self.message.format(**values),
                suggestion=self.suggestion.format(**values) if self.suggestion else None,
            )


def build_max_exclamations(info, data, lexicons, path):
    """Factory called by healthlint for every YAML rule with ``kind: max-exclamations``."""
    maximum = data.get("max", 1)
    if not isinstance(maximum, int) or isinstance(maximum, bool) or maximum < 0:
        raise DataError(path, data.line_of("max"), "'max' must be a whole number, 0 or more")
    message = data.get("message")
    if not isinstance(message, str):
        raise DataError(path, data.line, "a max-exclamations rule needs a 'message'")
    return MaxExclamationsRule(info, maximum, message, data.get("suggestion"))

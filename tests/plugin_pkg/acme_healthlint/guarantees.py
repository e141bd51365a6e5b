"""A rule written wholly in Python: promises of guaranteed results."""

from __future__ import annotations

import re

from healthlint.kinds.base import RuleInfo
from healthlint.model import Severity

_GUARANTEE = re.compile(r"\b(?:guaranteed|guarantees?)\b", re.IGNORECASE)


class NoGuaranteesRule:
    def __init__(self) -> None:
        # healthlint prefixes the id with the entry point's name: "acme/no-guarantees".
        self.info = RuleInfo(
            id="no-guarantees",
            kind="python",
            severity=Severity.ERROR,
            summary="Promises a guaranteed result.",
            description="Finds 'guaranteed' and 'guarantee' in prose.",
            why="No treatment works for everyone; a guarantee hides that.",
            better="Say how many people it helped in a trial, and cite it.",
        )

    def check(self, doc):
        for block in doc.blocks:
            for m in _GUARANTEE.finditer(block.text):
                yield doc.finding(
                    block,
                    m.start(),
                    m.end(),
                    rule=self.info.id,
                    severity=self.info.severity,
                    message=f'"{m.group()}" promises a result no health product can promise.',
                    suggestion="Say what a trial found and for how many people, with a source.",
                )

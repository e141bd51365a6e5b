"""An example healthlint plugin (entry point "acme" in the group "healthlint.rules").

It provides all three things a plugin may provide:

KINDS         a new rule kind, "max-exclamations", written in Python (acme_healthlint.kinds)
RULE_FOLDERS  a folder of YAML rules; rules/too-many-exclamations.yaml uses that kind
rules()       one rule written wholly in Python: no-guarantees
"""

from __future__ import annotations

from pathlib import Path

from acme_healthlint.kinds import build_max_exclamations
from acme_healthlint.guarantees import NoGuaranteesRule

KINDS = {"max-exclamations": build_max_exclamations}
RULE_FOLDERS = [Path(__file__).resolve().parent / "rules"]


def rules():
    return [NoGuaranteesRule()]

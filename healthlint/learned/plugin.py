"""The entry point healthlint's own package declares for its learned model:

    [project.entry-points."healthlint.rules"]
    model = "healthlint.learned.plugin"

The model reaches the engine through the plugin mechanism third parties use, with one
documented difference (healthlint.plugins): a plugin healthlint itself ships keeps its rule's
id as written, "model", not "model/model". Its rule is off by default; ``--model`` or
``model: true`` turns it on. Importing this module imports no numpy.
"""

from __future__ import annotations


def rules() -> list:
    from healthlint.learned.rule import ModelRule

    return [ModelRule()]

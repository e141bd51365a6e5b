"""The editor language server: ``healthlint lsp`` speaks the Language Server Protocol over stdio.

What it offers an editor:

- diagnostics for Markdown and plain-text documents, on open, on change (debounced) and on save;
- quick fixes for findings that carry a fix, and "Disable RULE for this line" for every finding;
- hover documentation (what the rule finds, why it matters, what to write instead);
- configuration from the nearest ``.healthlint.yaml`` / ``healthlint.yaml`` / ``pyproject.toml``,
  reloaded when one of them changes or the client's settings change.

The modules, in the order a check goes through them:

- ``options``: the client's settings, as ``healthlint check`` options;
- ``documents``: which documents are checked, which files are watched;
- ``checker``: one check of one document version (settings, engine), and the warm-up;
- ``workers``: where checks run (forked processes, or threads), so none blocks the others;
- ``positions``: healthlint's positions to the editor's (lines, code units) and back;
- ``actions``: diagnostics, code actions and hover, from a finished check;
- ``server``: open documents, when each is checked, and the pygls wiring.

Only ``positions``, ``actions``, ``documents`` and ``server`` import pygls or lsprotocol, and
this module imports none of them until it has to, so importing ``healthlint`` (and running
``healthlint check``) is not slowed down by the server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from healthlint.lsp.server import HealthlintServer


def create_server() -> HealthlintServer:
    """A server ready for ``start_io()``."""
    from healthlint.lsp.server import create_server as create

    return create()


def main() -> None:
    """Run the language server on stdin and stdout (``healthlint lsp``)."""
    import logging
    import sys

    # The rules are not warmed up on a thread started before pygls and lsprotocol are imported:
    # both are CPU-bound under one GIL. Tried, with bench/lsp_latency.py's cold start (2 busy
    # cores): the first diagnostics came no sooner (2.13 s against 2.10 s, median of 8 starts)
    # and the initialize response came 0.8 s later.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="healthlint lsp: %(levelname)s %(message)s")
    create_server().start_io()

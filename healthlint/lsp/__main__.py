"""``python -m healthlint.lsp``: the same server as ``healthlint lsp``."""

from healthlint.lsp import main

main()

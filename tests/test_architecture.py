"""How healthlint's modules may depend on each other, read from their source with ``ast``.

- No module uses another module's private names (a leading underscore): what a module shares,
  it names publicly and documents.
- Readability measures (healthlint.readability) and sentence splitting (healthlint.splitting)
  know nothing of rule kinds: the reading-level and long-sentence rules use them, never the
  other way round, so there is no import cycle between them.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "healthlint"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=None)
def modules() -> dict[str, ast.Module]:
    return {module_name(path): ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in sorted(PACKAGE.rglob("*.py"))}


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def imported_module(importer: str, node: ast.ImportFrom) -> str:
    """The absolute name of the module a ``from ... import`` reads from."""
    if not node.level:
        return node.module or ""
    package = importer.split(".")
    is_package = (PACKAGE.parent / Path(*package) / "__init__.py").exists()
    base = package if is_package else package[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(name: str) -> set[str]:
    """Every healthlint module ``name`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(modules()[name]):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "healthlint")
        elif isinstance(node, ast.ImportFrom):
            source = imported_module(name, node)
            if source.split(".")[0] == "healthlint":
                found.add(source)
                # "from healthlint.parse import prose" imports the module healthlint.parse.prose
                found.update(f"{source}.{alias.name}" for alias in node.names if f"{source}.{alias.name}" in modules())
    # Importing healthlint.parse.prose runs healthlint.parse (its __init__) too.
    return found | {".".join(m.split(".")[:i]) for m in found for i in range(1, m.count(".") + 1)}


def private_uses(name: str, tree: ast.Module) -> list[str]:
    """Private names module ``name`` takes from other healthlint modules: imported by name, or
    read as an attribute of an imported healthlint module (``lexicon._cache``)."""
    uses = []
    module_aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = imported_module(name, node)
            if source.split(".")[0] != "healthlint" or source == name:
                continue
            for alias in node.names:
                if is_private(alias.name):
                    uses.append(f"line {node.lineno}: from {source} import {alias.name}")
                if f"{source}.{alias.name}" in modules():
                    module_aliases[alias.asname or alias.name] = f"{source}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "healthlint":
                    if alias.asname:
                        module_aliases[alias.asname] = alias.name
                    elif any(is_private(part) for part in alias.name.split(".")):
                        uses.append(f"line {node.lineno}: import {alias.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            target = ast.unparse(node.value)
            if module_aliases.get(target, target) in modules() and module_aliases.get(target, target) != name:
                uses.append(f"line {node.lineno}: {target}.{node.attr}")
    return uses


def test_the_checker_reads_every_module():
    assert {"healthlint.ruleset", "healthlint.kinds.metric", "healthlint.readability", "healthlint.report.sarif"} <= set(modules())
    assert "healthlint.kinds.base" in imports("healthlint.kinds.claim")
    assert "healthlint.parse.prose" in imports("healthlint.readability")  # imported inside a function


def test_no_module_uses_another_modules_private_names():
    found = {name: uses for name, tree in modules().items() if (uses := private_uses(name, tree))}
    assert found == {}, "make these public (and document them), or keep them in their module"


def test_the_private_name_check_finds_each_form():
    source = (
        "from healthlint.report.rdjson import _range\n"
        "from .kinds import _hidden\n"
        "import healthlint.lexicon as lx\n"
        "from healthlint import cache\n"
        "def f(self):\n"
        "    return lx._cache, cache._NAME, healthlint.lexicon._x, self._own\n"
    )
    assert private_uses("healthlint.example", ast.parse(source)) == [
        "line 1: from healthlint.report.rdjson import _range",
        "line 2: from healthlint.kinds import _hidden",
        "line 6: lx._cache",
        "line 6: cache._NAME",
        "line 6: healthlint.lexicon._x",
    ]


def reachable(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen or name not in modules():
            continue
        seen.add(name)
        todo.extend(imports(name))
    return seen - {start}


def test_readability_and_splitting_do_not_depend_on_rule_kinds():
    for name in ("healthlint.readability", "healthlint.splitting"):
        kinds = sorted(m for m in reachable(name) if m == "healthlint.kinds" or m.startswith("healthlint.kinds."))
        assert kinds == [], f"{name} imports {kinds} (directly or through another module)"

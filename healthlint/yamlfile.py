"""Load YAML files keeping line and column numbers, so load errors can name the file, the line
and, where it helps, the column of what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml


class DataError(Exception):
    """A rule, lexicon or config file that cannot be used. ``str()`` names the file and line,
    and the column when it is known: ``path:line:column: message``."""

    def __init__(self, path: str | Path, line: int | None, message: str, column: int | None = None) -> None:
        self.path, self.line, self.message = str(path), line, message
        self.column = column if line else None  # a column means nothing without its line
        where = self.path + (f":{line}" if line else "") + (f":{self.column}" if self.column else "")
        super().__init__(f"{where}: {message}")


class LineDict(dict):
    """A dict that remembers where each key is (1-based line and column) and where it starts.
    A LineDict made by hand, not read from a file, may know no columns: then None."""

    line: int = 0
    column: int | None = None
    key_lines: dict
    key_columns: dict  # may be missing: see column_of

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def column_of(self, key: str) -> int | None:
        """The key's column, the mapping's own when the key is not there."""
        return getattr(self, "key_columns", {}).get(key, self.column)


class LineList(list):
    """A list that remembers where each item starts (1-based line and column)."""

    line: int = 0
    item_lines: list
    item_columns: list


@dataclass(frozen=True)
class Place:
    """Where something is in a data file, for its error messages."""

    path: str
    line: int | None
    column: int | None = None

    def error(self, message: str) -> DataError:
        return DataError(self.path, self.line, message, self.column)


def key_place(path: str | Path, mapping, key: str, line: int | None = None) -> Place:
    """Where ``key`` is in a mapping read from YAML (the mapping itself when the key is not
    there); ``line`` for a mapping not read from a file."""
    if isinstance(mapping, LineDict):
        return Place(str(path), mapping.line_of(key), mapping.column_of(key))
    return Place(str(path), line)


def item_place(items, i: int, around: Place) -> Place:
    """Where item ``i`` of a list read from YAML starts; ``around`` for a list not read from a file."""
    lines, columns = getattr(items, "item_lines", None), getattr(items, "item_columns", None)
    if not lines:
        return around
    return Place(around.path, lines[i], columns[i] if columns else None)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineDict:
    import yaml

    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.column = node.start_mark.column + 1
    result.key_lines = {}
    result.key_columns = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):  # "? [a, b]": a list or mapping as a key
            raise yaml.MarkedYAMLError(
                problem="a key must be a plain word or number, not a list or a mapping (is there a stray '?' or '['?)",
                problem_mark=key_node.start_mark,
            )
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.MarkedYAMLError(problem=f"the key '{key}' appears twice", problem_mark=key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
        result.key_columns[key] = key_node.start_mark.column + 1
    return result


def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    result.item_columns = [child.start_mark.column + 1 for child in node.value]
    return result


@lru_cache(maxsize=1)
def _loaders() -> tuple[type, type]:
    """libyaml's scanner and parser (C) when PyYAML has them, and the pure-Python loader. The
    pure-Python scanner was a sixth of start-up; construction is the same Python code in both,
    so values and line numbers are the same, and a file with a syntax error is read again by
    the Python loader, whose messages are clearer. Made on first use: a run whose rules come
    from the rule cache and that has no config file never imports PyYAML (14 ms)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    class FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    for loader in (FastLoader, Loader):
        loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
        loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    return FastLoader, Loader


def load_yaml(path: str | Path, text: str | None = None) -> Any:
    """Parse one YAML file; syntax errors become DataError with the line of the problem."""
    import yaml

    fast, careful = _loaders()
    try:
        if text is None:
            text = Path(path).read_text(encoding="utf-8")
        try:
            return yaml.load(text, Loader=fast)  # noqa: S506 - SafeLoader subclass
        except yaml.YAMLError:
            return yaml.load(text, Loader=careful)  # noqa: S506 - the same error, in clearer words
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataError(path, mark.line + 1 if mark else None, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise DataError(path, None, f"YAML error: {exc}") from None
    except UnicodeDecodeError as exc:
        raise DataError(path, None, f"byte {exc.start} is not valid UTF-8; save the file as UTF-8 and try again") from None
    except OSError as exc:
        raise DataError(path, None, f"cannot be read ({exc.strerror or exc})") from None

"""Which documents the server checks, and which files it watches."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from pygls.uris import to_fs_path

from healthlint.formats import MARKDOWN_FORMATS, Format, format_for

CONFIG_FILE_NAMES = frozenset({".healthlint.yaml", "healthlint.yaml", "pyproject.toml"})
MARKDOWN_LANGUAGES = frozenset({"markdown", "mdx", "rmd", "quarto", "pandoc"})
# Documents a client may send that are code or data, not copy: never linted.
CODE_LANGUAGES = frozenset(
    {
        "bat", "c", "clojure", "coffeescript", "cpp", "csharp", "css", "dart", "dockerfile", "elixir",
        "erlang", "fsharp", "go", "graphql", "groovy", "haskell", "ini", "java", "javascript",
        "javascriptreact", "json", "jsonc", "julia", "kotlin", "less", "lua", "makefile", "objective-c",
        "perl", "php", "powershell", "properties", "python", "r", "ruby", "rust", "scala", "scss", "sh",
        "shellscript", "sql", "swift", "toml", "typescript", "typescriptreact", "vue", "xml", "yaml", "zig",
    }
)
CODE_SUFFIXES = frozenset(
    {".py", ".js", ".ts", ".json", ".yaml", ".yml", ".toml", ".css", ".xml", ".ini", ".cfg", ".sh", ".lock"}
)


def uri_to_path(uri: str) -> Path | None:
    """The file behind a file: URI, or None (untitled buffers and other schemes)."""
    if urlparse(uri).scheme != "file":
        return None
    fs_path = to_fs_path(uri)
    return Path(fs_path) if fs_path else None


def uri_file(uri: str) -> PurePosixPath:
    """The path part of any URI, decoded, for its file name and suffix."""
    return PurePosixPath(unquote(urlparse(uri).path))


def document_format(uri: str, language_id: str | None, extra: Mapping[str, Format] | None = None) -> Format:
    """How to read an open document: by the configuration's `formats:` map (``extra``) when it
    names the document's suffix, else the editor's language id, else its name, else as text."""
    suffix = uri_file(uri).suffix.lower()
    if extra and suffix in extra:
        return extra[suffix]
    language = (language_id or "").lower()
    if language == "mdx":
        return Format.MDX
    if language in MARKDOWN_LANGUAGES:
        return Format.MARKDOWN
    if language == "html":  # web pages: their visible text is copy (healthlint.parse.html)
        return Format.HTML
    return format_for(uri_file(uri)) or Format.TEXT


def is_prose(uri: str, language_id: str | None) -> bool:
    """Markdown, MDX, HTML and text are linted; code and data files a client happens to send are not."""
    if document_format(uri, language_id) in MARKDOWN_FORMATS:
        return True
    if (language_id or "").lower() in CODE_LANGUAGES:
        return False
    return uri_file(uri).suffix.lower() not in CODE_SUFFIXES


def is_config_file(uri: str) -> bool:
    return uri_file(uri).name in CONFIG_FILE_NAMES

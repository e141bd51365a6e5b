"""`--help` that reads well at 80 columns: click's plain layout (it wraps, and never cuts an
option name short), with placeholders in words (TEXT, FILE, N, IDS) instead of the type
names typer shows (`<str>`, `<path>`, `<int range>`), and usage that reads `PATH...`, not
`{PATH...}`."""

from __future__ import annotations

from typer.core import TyperArgument, TyperGroup

# click's type name -> the placeholder shown for an option that does not name its own.
PLACEHOLDERS = {"text": "TEXT", "str": "TEXT", "path": "FILE", "integer": "N", "int": "N", "integer range": "N", "int range": "N"}


class ReadableArgument(TyperArgument):
    """An argument whose usage shows its metavar as written ("PATH...")."""

    def make_metavar(self, ctx, *, usage: bool = False) -> str:  # type: ignore[override]
        if self.metavar is not None:
            return self.metavar if self.required else f"[{self.metavar}]"
        return super().make_metavar(ctx, usage=usage)


def readable(command):
    """The command with word placeholders for its options and its arguments' usage."""
    for param in getattr(command, "params", []):
        if isinstance(param, TyperArgument):
            if type(param) is TyperArgument:
                param.__class__ = ReadableArgument
        elif param.metavar is None and not getattr(param, "is_flag", False):
            name = getattr(param.type, "name", "")
            choices = getattr(param.type, "choices", None)
            if choices:  # the values themselves, as click writes them
                param.metavar = "[" + "|".join(str(getattr(c, "value", c)) for c in choices) + "]"
            elif name in PLACEHOLDERS:
                param.metavar = PLACEHOLDERS[name]
    return command


class ReadableGroup(TyperGroup):
    """healthlint's command group: every command's help is made readable as it is looked up."""

    def get_command(self, ctx, cmd_name):
        command = super().get_command(ctx, cmd_name)
        return readable(command) if command is not None else None

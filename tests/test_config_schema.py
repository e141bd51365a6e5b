"""The configuration file's JSON Schema (healthlint/data/config.schema.json).

It must say what the loader says: the same keys at the top and in overrides, the same rules and
rule options with the same types and choices, the same levels. The starter file `init` writes
and the README's full example validate; bad examples fail both the schema and the loader.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO, run, write

from healthlint.config import FAIL_ON_LEVELS, OVERRIDE_KEYS, SCHEMA_FILE_NAME, SEVERITY_LEVELS, STARTER, TOP_KEYS
from healthlint.formats import Format
from healthlint.settings import known_rules

SCHEMA_PATH = REPO / "healthlint" / "data" / "config.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
DEFS = SCHEMA["definitions"]
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)


def errors(data) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(data)]


def deref(node: dict) -> dict:
    while "$ref" in node:
        node = DEFS[node["$ref"].rsplit("/", 1)[1]]
    return node


def test_the_schema_is_a_valid_draft_7_schema():
    jsonschema.Draft7Validator.check_schema(SCHEMA)


def test_every_key_the_loader_accepts_is_in_the_schema_and_no_other():
    assert set(SCHEMA["properties"]) == set(TOP_KEYS)
    override = SCHEMA["properties"]["overrides"]["items"]
    assert set(override["properties"]) == set(OVERRIDE_KEYS)
    assert override["required"] == ["files"]
    assert SCHEMA["additionalProperties"] is False and override["additionalProperties"] is False
    # Every key tells the editor what it is for.
    for key, node in [*SCHEMA["properties"].items(), *override["properties"].items()]:
        assert deref(node).get("description"), key


def option_schema(expected, choices) -> dict:
    """What the schema must say of a rule option the loader checks as ``expected`` (a type or
    types) with ``choices``: numbers count something, so they start at 0."""
    if choices:
        return {"enum": list(choices)}
    types = expected if isinstance(expected, tuple) else (expected,)
    if float in types:
        return {"type": "number", "minimum": 0}
    return {int: {"type": "integer", "minimum": 0}, str: {"type": "string"}, list: {"type": "array", "items": {"type": "string"}}}[types[0]]


def test_the_schema_knows_every_built_in_rule_and_its_options():
    catalogue = known_rules(())
    rules = deref(SCHEMA["properties"]["rules"])
    assert set(rules["properties"]) == set(catalogue)
    assert rules["propertyNames"] == {"$ref": "#/definitions/rule-id"}
    assert deref(SCHEMA["properties"]["select"])["items"] == {"$ref": "#/definitions/rule-id"}
    assert DEFS["rule-id"]["anyOf"][0]["enum"] == list(catalogue)
    for rule_id, options in catalogue.items():
        node = deref(rules["properties"][rule_id])
        wanted = {"severity": {"$ref": "#/definitions/severity"}}
        wanted.update({name: option_schema(expected, choices) for name, (_attribute, expected, choices) in options.items()})
        # On a failure, the diff is what to write under definitions/rule-<id>/properties.
        assert node["properties"] == wanted, rule_id
        assert node["additionalProperties"] is False and node["description"], rule_id


def test_the_schema_levels_and_formats_are_the_loaders():
    assert DEFS["severity"]["enum"] == list(SEVERITY_LEVELS)
    assert DEFS["min-severity"]["enum"] == list(SEVERITY_LEVELS)
    assert DEFS["fail-on"]["enum"] == list(FAIL_ON_LEVELS)
    assert DEFS["audience"]["enum"] == ["patient", "public", "professional"]
    assert SCHEMA["properties"]["formats"]["additionalProperties"]["enum"] == [f.value for f in Format]


# --- good examples: valid for both ---------------------------------------------------------------------


def readme_example() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Configuration\n") :]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


def test_the_starter_file_validates():
    assert errors(yaml.safe_load(STARTER)) == []
    assert f"# yaml-language-server: $schema={SCHEMA_FILE_NAME}\n" in STARTER


def test_the_readme_example_validates_and_loads(tmp_path):
    text = readme_example()
    assert "extend:" in text and "min-severity:" in text
    assert errors(yaml.safe_load(text)) == []
    write(tmp_path / ".healthlint.yaml", "fail-on: error\n")  # the base it extends
    (tmp_path / "site" / "house-rules").mkdir(parents=True)
    config = write(tmp_path / "site" / ".healthlint.yaml", text)
    write(tmp_path / "site" / "a.txt", "Kratom is a plant from Southeast Asia.\n")
    proc = run("check", "site/a.txt", cwd=tmp_path)
    # Its grammar rule finds no LanguageTool server here: a notice, not a configuration error.
    assert proc.returncode == 0 and str(config.resolve()) not in proc.stderr, proc.stderr


def test_a_rule_of_your_own_is_named_with_its_folder():
    assert errors({"select": ["house-rules/banned-claim"], "rules": {"house-rules/banned-claim": {"severity": "error", "words": 3}}}) == []
    assert errors({"select": ["banned-claim"]}) == ["'banned-claim' is not valid under any of the given schemas"]


def test_a_pyproject_table_validates():
    import tomllib

    table = tomllib.loads('[tool.healthlint]\nextend = "../pyproject.toml"\nmin-severity = "warning"\nignore = ["long-sentence"]\n[tool.healthlint.rules.long-sentence]\nmax_words = 20\n')
    assert errors(table["tool"]["healthlint"]) == []


# --- bad examples: refused by both --------------------------------------------------------------------

BAD = {
    "unknown key": ("ignor: [long-sentence]\n", "Additional properties are not allowed ('ignor' was unexpected)"),
    "fail-on": ("fail-on: sometimes\n", "'sometimes' is not one of ['info', 'warning', 'error', 'never']"),
    "min-severity never": ("min-severity: never\n", "'never' is not one of ['info', 'warning', 'error']"),
    "grade too high": ("grade-target: 30\n", "30 is greater than the maximum of 20"),
    "severity": ("rules:\n  long-sentence: {severity: fatal}\n", "'fatal' is not one of ['info', 'warning', 'error']"),
    "rule option": ("rules:\n  long-sentence: {max_word: 3}\n", "Additional properties are not allowed ('max_word' was unexpected)"),
    "option type": ("rules:\n  long-sentence: {max_words: ten}\n", "'ten' is not of type 'integer'"),
    "option below 0": ("rules:\n  long-sentence: {max_words: -5}\n", "-5 is less than the minimum of 0"),
    "override without files": ("overrides:\n  - ignore: [long-sentence]\n", "'files' is a required property"),
    "extend in an override": ('overrides:\n  - files: ["a/**"]\n    extend: base.yaml\n', "Additional properties are not allowed ('extend' was unexpected)"),
    "extend not a path": ("extend: 5\n", "5 is not of type 'string'"),
    "size": ("max-file-size: 10 parsecs\n", "'10 parsecs' is not valid under any of the given schemas"),
    "suffix without dot": ("formats:\n  mdoc: markdown\n", "'mdoc' does not match '^\\\\s*\\\\.[^./\\\\\\\\*?\\\\s]+\\\\s*$'"),
    "format": ("formats:\n  .mdoc: markdwn\n", "'markdwn' is not one of ['markdown', 'mdx', 'text', 'html', 'docx']"),
    "rule id not text": ("select: [5]\n", "5 is not valid under any of the given schemas"),
    "misspelt rule id": ("ignore: [reading-levl]\n", "'reading-levl' is not valid under any of the given schemas"),
    "misspelt rule in rules": ("rules:\n  long-sentense: {max_words: 20}\n", "'long-sentense' is not valid under any of the given schemas"),
    "gitignore": ("respect-gitignore: yes please\n", "'yes please' is not of type 'boolean'"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_example_fails_the_schema_and_the_loader(tmp_path, name):
    text, message = BAD[name]
    assert errors(yaml.safe_load(text)) == [message]
    write(tmp_path / ".healthlint.yaml", text)
    write(tmp_path / "a.txt", "Kratom is a plant from Southeast Asia.\n")
    proc = run("check", "a.txt", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith(f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:"), proc.stderr


# --- the command and init -----------------------------------------------------------------------------


def test_config_schema_prints_the_shipped_schema(tmp_path):
    proc = run("config-schema", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == SCHEMA_PATH.read_text(encoding="utf-8")


def test_init_writes_the_schema_its_first_comment_points_at(tmp_path: Path):
    proc = run("init", "site/healthlint.yaml", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[1] == f"Wrote {Path('site') / SCHEMA_FILE_NAME}, so editors can complete and check the settings."
    assert (tmp_path / "site" / SCHEMA_FILE_NAME).read_text(encoding="utf-8") == SCHEMA_PATH.read_text(encoding="utf-8")
    starter = (tmp_path / "site" / "healthlint.yaml").read_text(encoding="utf-8")
    assert errors(yaml.safe_load(starter)) == []


def test_init_keeps_a_schema_file_that_differs_unless_forced(tmp_path):
    mine = write(tmp_path / SCHEMA_FILE_NAME, "{}\n")
    proc = run("init", cwd=tmp_path)
    assert proc.stdout.splitlines()[1] == f"Kept {SCHEMA_FILE_NAME} as it is (use --force to replace it with this version's schema)."
    assert mine.read_text(encoding="utf-8") == "{}\n"
    forced = run("init", "--force", cwd=tmp_path)
    assert forced.returncode == 0
    assert mine.read_text(encoding="utf-8") == SCHEMA_PATH.read_text(encoding="utf-8")

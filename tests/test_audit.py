"""`healthlint audit`: the same findings as `check`, on a Dask cluster or here; tables; resume;
failing documents; and the report in a real browser (Debian's chromium, as in
tests/test_report_browser.py; those tests skip themselves, saying why, without it)."""

from __future__ import annotations

import ast
import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import NIH, invoke

pq = pytest.importorskip("pyarrow.parquet", reason="the audit extra is not installed (pip install '.[test]')")
pa = pytest.importorskip("pyarrow")
pytest.importorskip("distributed", reason="the audit extra is not installed (pip install '.[test]')")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CLAIM_RULES = ["missing-citation", "natural-means-safe", "opioid-substitution", "unhedged-efficacy-claim", "unhedged-safety-claim"]


def finding_keys(rows, id_field: str) -> Counter:
    return Counter((r[id_field], r["line"], r["column"], r["end_line"], r["end_column"], r["rule"], r["severity"], r["message"], r["text"]) for r in rows)


def check_json(*paths: str, cwd: Path) -> list[dict]:
    result = invoke("check", "--no-cache", "-f", "json", *paths, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def nih_audit(tmp_path_factory):
    """The NIH corpus audited on a local Dask cluster of two workers, and `check` on it."""
    if not NIH.is_dir():
        pytest.skip("../shared/corpus/nih is not present")
    here = tmp_path_factory.mktemp("nih-audit")
    out = here / "out"
    result = invoke("audit", str(NIH), "--output", str(out), "--dask", "local:2", cwd=here)
    return out, result, check_json(str(NIH), cwd=here)


def test_an_audit_on_a_dask_cluster_finds_what_check_finds(nih_audit):
    out, result, checked = nih_audit
    assert result.returncode == 1, result.stderr  # warnings found, as `check` exits
    assert "Dask dashboard, to watch the workers: http://" in result.stderr
    findings = pq.read_table(out / "findings.parquet").to_pylist()
    assert finding_keys(findings, "doc_id") == finding_keys(checked, "path")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    per_rule = Counter(f["rule"] for f in checked)
    assert {rule: info["findings"] for rule, info in summary["rules"].items() if info["findings"]} == dict(per_rule)
    assert summary["findings"] == len(checked) == 6210
    assert summary["documents"] == summary["documents_checked"] == 298
    assert summary["documents_failed"] == 0
    assert summary["claim_rules"] == CLAIM_RULES
    assert summary["claim_findings"] == sum(per_rule[r] for r in CLAIM_RULES)
    # Each folder of the corpus is a group, and the groups add up to the whole.
    folders = summary["groups"]["folder"]
    assert sorted(g["value"] for g in folders) == ["cdc", "nhlbi", "niddk"]
    assert sum(g["documents"] for g in folders) == 298
    assert sum(g["words"] for g in folders) == summary["words"]
    assert sum(g["claim_findings"] for g in folders) == summary["claim_findings"]
    worst = summary["most_claims"]
    assert len(worst) == 20
    assert [w["claim_findings"] for w in worst] == sorted((w["claim_findings"] for w in worst), reverse=True)
    documents = pq.read_table(out / "documents.parquet").to_pylist()
    by_doc = Counter(f["path"] for f in checked if f["rule"] in CLAIM_RULES)
    assert worst[0]["claim_findings"] == max(by_doc.values())
    assert {d["doc_id"]: d["claim_findings"] for d in documents if d["claim_findings"]} == dict(by_doc)
    assert pq.read_table(out / "errors.parquet").num_rows == 0


def test_the_same_rows_whatever_runs_the_audit(nih_audit, tmp_path):
    """One process here, on a subset: the same rows, in the same order, as the Dask cluster's."""
    out, _, _ = nih_audit
    subset = sorted((NIH / "cdc").iterdir())[:15]
    local = tmp_path / "local"
    assert invoke("audit", *map(str, subset), "-o", str(local), "-j", "1", cwd=tmp_path).returncode == 1
    mine = pq.read_table(local / "findings.parquet").drop(["folder"]).to_pylist()
    theirs = [r for r in pq.read_table(out / "findings.parquet").drop(["folder"]).to_pylist() if r["doc_id"] in {str(p) for p in subset}]
    assert len(mine) > 100
    assert mine == theirs


def pages_table() -> list[dict]:
    return [
        {"url": "https://a.example/kratom", "site": "a.example", "published": "2024-01-05",
         "text": "Kratom is a safe replacement for opioids. It is natural, so it is safe."},
        {"url": "https://a.example/tea", "site": "a.example", "published": "2024-02-01", "text": "Green tea is a drink. Many people like it."},
        {"url": "https://b.example/cbd", "site": "b.example", "published": "2024-02-20",
         "text": "CBD cures anxiety. Studies show it is completely safe for everyone."},
        {"url": "https://b.example/detox", "site": "b.example", "published": "not a date",
         "text": "This detox tea flushes toxins. Doctors don't want you to know it is 100% safe."},
    ]


def test_a_parquet_table_finds_what_check_finds_on_each_row(tmp_path):
    rows = pages_table()
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "pages.parquet")
    # `check` on the same documents: each row's text as a plain-text file.
    names = {}
    for i, row in enumerate(rows):
        path = tmp_path / f"row{i}.txt"
        path.write_text(row["text"], encoding="utf-8")
        names[str(path)] = row["url"]
    checked = [{**f, "path": names[f["path"]]} for f in check_json(*names, cwd=tmp_path)]
    out = tmp_path / "out"
    result = invoke("audit", str(tmp_path / "pages.parquet"), "-o", str(out), "--group-by", "site", "--date-column", "published", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Audited 4 documents (" in result.stdout
    findings = pq.read_table(out / "findings.parquet").to_pylist()
    assert finding_keys(findings, "doc_id") == finding_keys(checked, "path")
    assert len(findings) == 7
    assert {(f["site"], f["published"]) for f in findings if f["doc_id"] == "https://b.example/cbd"} == {("b.example", "2024-02-20")}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert {r: i["findings"] for r, i in summary["rules"].items() if i["findings"]} == dict(Counter(f["rule"] for f in checked))
    sites = {g["value"]: g for g in summary["groups"]["site"]}
    assert sites["a.example"]["documents"] == 2 and sites["b.example"]["documents"] == 2
    assert sites["a.example"]["words"] == 14 + 9  # "Kratom ... safe." and "Green tea ... it."
    # The row whose date cannot be read is counted everywhere but over time.
    months = summary["over_time"]["months"]
    assert [(m["month"], m["documents"]) for m in months] == [("2024-01", 1), ("2024-02", 2)]
    assert "published" not in summary["groups"]


def test_jsonl_and_csv_tables_with_named_columns(tmp_path):
    rows = [{"page": r["url"], "body": r["text"], "site": r["site"]} for r in pages_table()]
    (tmp_path / "pages.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    import pyarrow.csv as pa_csv

    pa_csv.write_csv(pa.Table.from_pylist(rows), tmp_path / "pages.csv")
    found = []
    for name in ("pages.jsonl", "pages.csv"):
        out = tmp_path / f"out-{name}"
        result = invoke("audit", str(tmp_path / name), "-o", str(out), "--text-column", "body", "--id-column", "page", "--group-by", "site", cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        found.append(pq.read_table(out / "findings.parquet").to_pylist())
    assert found[0] == found[1]
    assert {f["doc_id"] for f in found[0]} == {"https://a.example/kratom", "https://b.example/cbd", "https://b.example/detox"}
    missing = invoke("audit", str(tmp_path / "pages.csv"), "-o", str(tmp_path / "x"), cwd=tmp_path)
    assert missing.returncode == 2
    assert "pages.csv: has no column 'text'; its columns are page, body, site." in missing.stderr


def test_markdown_rows_are_read_as_markdown_when_asked(tmp_path):
    text = "# Kratom\n\n`it is safe` in code is not a claim. Kratom is a safe replacement for opioids.\n"
    (tmp_path / "pages.jsonl").write_text(json.dumps({"id": "p1", "text": text}) + "\n", encoding="utf-8")
    (tmp_path / "p1.md").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert invoke("audit", str(tmp_path / "pages.jsonl"), "-o", str(out), "--text-format", "markdown", cwd=tmp_path).returncode == 1
    findings = pq.read_table(out / "findings.parquet").to_pylist()
    expected = check_json(str(tmp_path / "p1.md"), cwd=tmp_path)
    assert finding_keys(findings, "doc_id") == finding_keys([{**f, "path": "p1"} for f in expected], "path")
    assert all(f["column"] > 38 for f in findings if f["line"] == 3)  # nothing inside the inline code


def test_a_failing_document_is_recorded_and_the_audit_goes_on(tmp_path):
    src = tmp_path / "site"
    src.mkdir()
    (src / "good.md").write_text("Kratom is a safe replacement for opioids.\n", encoding="utf-8")
    (src / "binary.txt").write_bytes(b"Kratom\x00\x01\x02 is safe")
    (src / "latin1.md").write_bytes("Caf\xe9 tea is safe.\n".encode("latin-1"))
    out = tmp_path / "out"
    result = invoke("audit", str(src), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 2
    assert "2 could not be checked: see" in result.stdout
    errors = pq.read_table(out / "errors.parquet").to_pylist()
    assert errors == [
        {"doc_id": f"{src}/binary.txt", "folder": "site", "error": f"{src}/binary.txt: this looks like a binary file, not text; healthlint reads Markdown, MDX, HTML, plain text and Word documents (.docx)"},
        {"doc_id": f"{src}/latin1.md", "folder": "site", "error": f"{src}/latin1.md: byte 3 is not valid UTF-8; save the file as UTF-8 and try again"},
    ]
    findings = pq.read_table(out / "findings.parquet").to_pylist()
    assert finding_keys(findings, "doc_id") == finding_keys(check_json(str(src / "good.md"), cwd=tmp_path), "path")
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [("opioid-substitution", 1, 18)]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["documents"], summary["documents_checked"], summary["documents_failed"]) == (3, 1, 2)
    assert "Documents that could not be checked" in (out / "report.html").read_text(encoding="utf-8")


def test_an_internal_error_fails_only_its_document(tmp_path, monkeypatch):
    from healthlint.audit import running

    real = running.read_document

    def flaky(doc, max_bytes):
        if doc.id.endswith("b.md"):
            raise RuntimeError("boom")
        return real(doc, max_bytes)

    monkeypatch.setattr(running, "read_document", flaky)
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text("It is natural, so it is safe.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("audit", *(str(tmp_path / n) for n in ("a.md", "b.md", "c.md")), "-o", str(out), "-j", "1", cwd=tmp_path)
    assert result.returncode == 2
    errors = pq.read_table(out / "errors.parquet").to_pylist()
    assert [e["doc_id"] for e in errors] == [str(tmp_path / "b.md")]
    assert errors[0]["error"].startswith("internal error while checking this file: RuntimeError: boom (in test_audit.py:")
    assert {f["doc_id"] for f in pq.read_table(out / "findings.parquet").to_pylist()} == {str(tmp_path / "a.md"), str(tmp_path / "c.md")}


def test_an_interrupted_audit_resumes_without_checking_finished_parts_again(tmp_path, monkeypatch):
    from healthlint.audit.pipeline import AuditRequest, run_audit
    from healthlint.audit.store import Store

    if not NIH.is_dir():
        pytest.skip("../shared/corpus/nih is not present")
    src = tmp_path / "src"
    shutil.copytree(NIH / "cdc", src / "cdc", ignore=lambda folder, names: sorted(names)[12:])
    request = AuditRequest([str(src)], tmp_path / "out", jobs=1, partition_bytes=15_000)
    said: list[str] = []

    # The first run is stopped (Ctrl-C) as it saves its third part.
    real_save, saved = Store.save, []

    def save_then_stop(self, key, documents, findings):
        if len(saved) == 2:
            raise KeyboardInterrupt
        real_save(self, key, documents, findings)
        saved.append(key)

    monkeypatch.setattr(Store, "save", save_then_stop)
    with pytest.raises(KeyboardInterrupt):
        run_audit(request, said.append)
    monkeypatch.setattr(Store, "save", real_save)
    parts = tmp_path / "out" / "parts"
    times = {p.name: p.stat().st_mtime_ns for p in parts.iterdir()}
    assert sorted(times) == sorted(f"{k}.{kind}.parquet" for k in saved for kind in ("docs", "findings"))
    assert not (tmp_path / "out" / "findings.parquet").exists()

    outcome = run_audit(request, said.append)
    assert outcome.partitions >= 4
    assert (outcome.resumed, outcome.linted) == (2, outcome.partitions - 2)
    assert said == [f"Resuming: 2 of {outcome.partitions} parts were checked by an earlier run; checking the other {outcome.partitions - 2}."]
    assert all((parts / name).stat().st_mtime_ns == t for name, t in times.items())  # never written again
    resumed = pq.read_table(tmp_path / "out" / "findings.parquet").to_pylist()

    fresh = run_audit(AuditRequest([str(src)], tmp_path / "fresh", jobs=1, partition_bytes=15_000), said.append)
    assert fresh.resumed == 0
    assert resumed == pq.read_table(tmp_path / "fresh" / "findings.parquet").to_pylist()
    assert finding_keys(resumed, "doc_id") == finding_keys(check_json(str(src), cwd=tmp_path), "path")

    # A changed document is checked again; the others are not.
    first = sorted((src / "cdc").iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nKratom is a safe replacement for opioids.\n", encoding="utf-8")
    again = run_audit(request, said.append)
    assert (again.resumed, again.linted) == (again.partitions - 1, 1)
    assert len(list(parts.iterdir())) == 2 * again.partitions  # the changed part's old files are gone


def test_an_interrupted_audit_says_how_to_carry_on(tmp_path, monkeypatch):
    from healthlint.audit.store import Store

    def stop(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(Store, "save", stop)
    (tmp_path / "a.md").write_text("It is safe.\n", encoding="utf-8")
    result = invoke("audit", str(tmp_path / "a.md"), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 130
    assert result.stderr == f"healthlint: interrupted; the parts already checked are saved in {tmp_path / 'out'}, so the same command carries on from there\n"


def test_usage_errors_exit_2_with_a_plain_message(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text("It is safe.\n", encoding="utf-8")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("my own file\n", encoding="utf-8")
    cases = {
        (str(tmp_path / "missing"), "-o", str(tmp_path / "o1")): f"healthlint: {tmp_path / 'missing'}: no such file or folder\n",
        (str(tmp_path / "a.md"), "-o", str(tmp_path / "mine")): f"healthlint: --output {tmp_path / 'mine'}: this folder has files healthlint did not write; name a new or empty folder\n",
        (str(tmp_path / "a.md"), "-o", str(tmp_path / "a.md")): f"healthlint: --output {tmp_path / 'a.md'}: is a file; name a folder for the audit's results\n",
        (str(tmp_path / "a.md"), "-o", str(tmp_path / "o2"), "--dask", "local:two"): "healthlint: --dask local:two: write local:N with N a number of workers, e.g. local:4\n",
        (str(tmp_path / "*.nothing"), "-o", str(tmp_path / "o3")): f"healthlint: {tmp_path / '*.nothing'}: no file that healthlint reads matches this pattern\n",
        (str(tmp_path / "a.md"), "-o", str(tmp_path / "o6"), "--max-file-size", "huge"): "healthlint: --max-file-size: 'huge' is not a size; write it like 10MB, 500KB or 2000000 (bytes)\n",
    }
    for args, message in cases.items():
        result = invoke("audit", *args, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (2, message), args
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "my own file\n"

    import healthlint.audit as audit

    monkeypatch.setattr(audit, "find_spec", lambda name: None if name in ("dask", "distributed") else object())
    result = invoke("audit", str(tmp_path / "a.md"), "-o", str(tmp_path / "o4"), "--dask", "local:2", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, 'healthlint: healthlint audit needs dask, distributed, which are not installed; install them with: pip install "healthlint[audit]"\n')
    assert invoke("audit", str(tmp_path / "a.md"), "-o", str(tmp_path / "o5"), cwd=tmp_path).returncode == 1  # no Dask needed here


def test_file_urls_and_globs_are_sources(tmp_path):
    site = tmp_path / "site" / "news"
    site.mkdir(parents=True)
    (site / "a.md").write_text("It is natural, so it is safe.\n", encoding="utf-8")
    (site / "b.txt").write_text("Kratom is a safe replacement for opioids.\n", encoding="utf-8")
    (site / "c.csv").write_text("not,a,page\n", encoding="utf-8")
    (site / ".hidden.md").write_text("It is safe.\n", encoding="utf-8")
    by_url, by_glob = tmp_path / "u", tmp_path / "g"
    assert invoke("audit", (tmp_path / "site").as_uri(), "-o", str(by_url), cwd=tmp_path).returncode == 1
    assert invoke("audit", str(tmp_path / "site" / "**" / "*"), "-o", str(by_glob), cwd=tmp_path).returncode == 1
    urls = pq.read_table(by_url / "documents.parquet").select(["doc_id", "folder"]).to_pylist()
    assert urls == [{"doc_id": (site / "a.md").as_uri(), "folder": "news"}, {"doc_id": (site / "b.txt").as_uri(), "folder": "news"}]
    globbed = pq.read_table(by_glob / "documents.parquet").select(["doc_id", "folder"]).to_pylist()
    assert globbed == [{"doc_id": str(site / "a.md"), "folder": "news"}, {"doc_id": str(site / "b.txt"), "folder": "news"}]
    strip = lambda rows: [{k: v for k, v in r.items() if k != "doc_id"} for r in rows]  # noqa: E731
    assert strip(pq.read_table(by_url / "findings.parquet").to_pylist()) == strip(pq.read_table(by_glob / "findings.parquet").to_pylist())


def test_only_the_audit_imports_its_libraries():
    """pyarrow, fsspec, dask and distributed are imported by healthlint.audit alone, inside functions."""
    heavy = {"pyarrow", "fsspec", "dask", "distributed"}
    package = Path(__file__).resolve().parent.parent / "healthlint"
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_audit = "audit" in path.relative_to(package).parts[:1]
        top_level = set(tree.body)
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                if name.split(".")[0] in heavy:
                    assert in_audit, f"{path.name} imports {name}"
                    assert node not in top_level, f"{path.name} imports {name} at the top"


# --- the report in a browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (pip install '.[test]')")
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (apt-get install -y chromium); the browser test needs it")
    with sync_api.sync_playwright() as playwright:
        args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        yield browser
        browser.close()


def open_report(browser, path: Path):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors, requests


def drawn(page, selector: str) -> list[dict]:
    """The width and height each matching SVG element is drawn at."""
    return page.evaluate(
        "sel => Array.from(document.querySelectorAll(sel)).map(e => { const b = e.getBoundingClientRect(); return {w: b.width, h: b.height}; })",
        selector,
    )


def test_the_nih_audit_report_in_chromium(nih_audit, browser):
    out, _, checked = nih_audit
    page, errors, requests = open_report(browser, out / "report.html")
    assert errors == []
    assert requests == [(out / "report.html").as_uri()]  # the page itself, nothing else
    # One bar for each claim rule, then one for each folder; bars of claims found are drawn wide.
    rule_bars = drawn(page, "#rules svg rect.bar")
    assert len(rule_bars) == len(CLAIM_RULES)
    found = Counter(f["rule"] for f in checked)
    assert sum(b["w"] > 1 for b in rule_bars) == sum(1 for r in CLAIM_RULES if found[r])
    folder_bars = drawn(page, "#group-folder svg rect.bar")
    assert len(folder_bars) == 3 and all(b["w"] > 50 and b["h"] > 10 for b in folder_bars)
    # The worst documents link to their findings on the page.
    links = page.locator("#worst table a")
    assert links.count() == 20
    links.first.click()
    assert page.evaluate("location.hash") == "#doc-1"
    assert page.locator("#doc-1 ol.doc-findings li").count() >= 10
    assert page.locator("#doc-1").is_visible()
    os.makedirs(Path(__file__).parent / "artifacts" / "report", exist_ok=True)
    page.screenshot(path=str(Path(__file__).parent / "artifacts" / "report" / "audit-nih.png"), full_page=True)


def test_a_table_audit_report_draws_its_months(tmp_path, browser):
    pq.write_table(pa.Table.from_pylist(pages_table()), tmp_path / "pages.parquet")
    out = tmp_path / "out"
    invoke("audit", str(tmp_path / "pages.parquet"), "-o", str(out), "--group-by", "site", "--date-column", "published", cwd=tmp_path)
    page, errors, _ = open_report(browser, out / "report.html")
    assert errors == []
    points = drawn(page, "#over-time svg circle.point")
    assert len(points) == 2 and all(p["w"] > 4 for p in points)
    assert page.locator("#over-time svg polyline.series").count() == 1
    assert len(drawn(page, "#group-site svg rect.bar")) == 2
    # A page's address links to the page; the text of the pages is shown as text, never as markup.
    assert page.locator('#doc-1 h3 a[href^="https://"]').count() == 1


def test_a_worker_that_dies_loses_only_its_own_documents(tmp_path, monkeypatch):
    from healthlint.audit import running
    from healthlint.audit.pipeline import AuditRequest, run_audit

    parent = os.getpid()
    real = running.read_document

    def crash_on_b(doc, max_bytes):
        if doc.id.endswith("b.md") and os.getpid() != parent:
            os._exit(3)  # as a worker killed for its memory would end
        return real(doc, max_bytes)

    monkeypatch.setattr(running, "read_document", crash_on_b)
    for name in ("a.md", "b.md", "c.md", "d.md"):
        (tmp_path / name).write_text("It is natural, so it is safe.\n", encoding="utf-8")
    request = AuditRequest([str(tmp_path / n) for n in ("a.md", "b.md", "c.md", "d.md")], tmp_path / "out", jobs=2, partition_bytes=1)
    outcome = run_audit(request, print)
    assert outcome.partitions == 4
    errors = pq.read_table(tmp_path / "out" / "errors.parquet").to_pylist()
    assert [(e["doc_id"], e["error"]) for e in errors] == [(str(tmp_path / "b.md"), running.WORKER_STOPPED)]
    found = Counter(f["doc_id"] for f in pq.read_table(tmp_path / "out" / "findings.parquet").to_pylist())
    assert set(found) == {str(tmp_path / n) for n in ("a.md", "c.md", "d.md")}
    assert len(set(found.values())) == 1  # each the same findings

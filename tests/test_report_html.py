"""healthlint report: the HTML page's data, escaping, charts and file handling (no browser;
tests/test_report_browser.py opens the page in chromium)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import invoke

from healthlint.readability import SectionGrade
from healthlint.report.html.chart import grade_histogram, section_chart
from healthlint.report.html.documents import utf16_offsets
from healthlint.report.readability import Target

DATA = re.compile(r'<script type="application/json" id="healthlint-data">(.*?)</script>', re.S)
C = "Our CBD gummies have zero side effects.\n"  # one warning: unhedged-safety-claim, "have zero side effects"
O = "Kratom offers a natural alternative to opioids.\n"  # one error: opioid-substitution
CLEAN = "Kratom is a plant from Southeast Asia.\n"


def page_data(html: str) -> dict:
    (found,) = DATA.findall(html)
    return json.loads(found)


def highlighted(data: dict) -> list[tuple[str, str, str]]:
    """(rule, severity, the words its range covers) for every finding in the page, file by file."""
    return [
        (data["rules"][f[3]], data["severities"][f[2]], file["text"][f[0] : f[1]])
        for file in data["files"]
        for f in file["findings"]
    ]


def report(*args: str, cwd: Path):
    return invoke("report", *args, cwd=cwd)


def test_the_seed_report_holds_every_finding_on_its_exact_words(tmp_path, seed_path):
    result = report(str(seed_path), "-o", "out.html", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "Wrote out.html: 45 problems in 1 file. Open it in a web browser.\n"
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    check = json.loads(invoke("check", "-f", "json", str(seed_path), cwd=tmp_path).stdout)
    data = page_data(html)
    # In the order of the text, each with the words `check` flags (the seed is plain text).
    expected = sorted(check, key=lambda f: (f["line"], f["column"], f["end_line"], f["end_column"], f["rule"]))
    assert highlighted(data) == [(f["rule"], f["severity"], f["text"]) for f in expected]
    assert [(f[4], f[5]) for f in data["files"][0]["findings"]] == [(f["line"], f["column"]) for f in expected]
    first = data["files"][0]["findings"][0]
    assert data["strings"][first[6]] == expected[0]["message"] and data["strings"][first[7]] == expected[0]["suggestion"]
    assert "<details class=\"file\" id=\"file-0\" data-file=\"0\" open>" in html  # one file: open at once
    assert 'id="overview"' not in html  # an overview is for folders
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "out.html").stat().st_mode & 0o777 == 0o666 & ~umask  # a page to share, not private


def test_the_page_loads_nothing_from_the_network(tmp_path, seed_path):
    report(str(seed_path), "-o", "out.html", cwd=tmp_path)
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "default-src 'none'" in html and "@import" not in html and "url(" not in html


def test_user_text_is_escaped_in_the_page_and_its_data(tmp_path):
    evil = '<script>alert("x")</script> <!-- & </script><img src=x onerror=alert(1)>\n\n' + O
    (tmp_path / "a<b>.md").write_text(evil, encoding="utf-8")
    (tmp_path / "two.txt").write_text(C, encoding="utf-8")
    result = report(".", "-o", "out.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert html.count("<script") == 2  # the data and the page's own script, nothing of the copy
    assert "<img" not in html and 'alert("x")' not in html.split('id="healthlint-data">')[0]
    assert "a&lt;b&gt;.md" in html and "a<b>.md" not in html.replace("a\\u003cb\\u003e.md", "")
    data = page_data(html)
    assert data["files"][0]["text"] == evil  # the copy itself, intact, for the script's textContent


def test_a_folder_has_an_overview_with_counts_per_rule_and_file(tmp_path):
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "a.txt").write_text(O + C, encoding="utf-8")
    (tmp_path / "copy" / "b.md").write_text(C, encoding="utf-8")
    (tmp_path / "copy" / "c.txt").write_text(CLEAN, encoding="utf-8")
    result = report("copy", cwd=tmp_path)  # the default output, report.html, outside the folder
    assert result.stdout == "Wrote report.html: 3 problems in 3 files. Open it in a web browser.\n"
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'id="overview"' in html and " open>" not in html  # a folder's files start collapsed
    rows = re.findall(r"<tr><td><code>([^<]+)</code></td><td><span class=\"badge sev-(\w+)\">\w+</span></td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", html)
    assert rows == [("unhedged-safety-claim", "warning", "2", "2"), ("opioid-substitution", "error", "1", "1")]
    files = re.findall(r'<tr><td><a href="#file-(\d)">([^<]+)</a></td><td class="num">(\d)</td><td class="num">(\d)</td><td class="num">(\d)</td>', html)
    sep = "/" if "copy/a.txt" in html else "\\"
    assert files == [("0", f"copy{sep}a.txt", "1", "1", "0"), ("1", f"copy{sep}b.md", "0", "1", "0"), ("2", f"copy{sep}c.txt", "0", "0", "0")]
    assert '<svg class="grade-histogram"' not in html  # no section has 30 words: nothing to chart
    assert "3 sections under 30 words are too short to score and left out." in html


def test_it_never_overwrites_a_file_it_did_not_write(tmp_path):
    (tmp_path / "a.txt").write_text(C, encoding="utf-8")
    (tmp_path / "notes.html").write_text("<p>my notes</p>", encoding="utf-8")
    result = report("a.txt", "-o", "notes.html", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "healthlint: --output notes.html is a file healthlint did not write, so it is left as it is; "
        "name a new file, e.g. --output healthlint-report.html\n"
    )
    assert (tmp_path / "notes.html").read_text(encoding="utf-8") == "<p>my notes</p>"
    assert report("a.txt", "-o", "a.txt", cwd=tmp_path).returncode == 2  # the content itself
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == C
    (tmp_path / "folder").mkdir()
    assert "is a folder" in report("a.txt", "-o", "folder", cwd=tmp_path).stderr


def test_it_replaces_its_own_report_and_does_not_check_it_as_copy(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.txt").write_text(C, encoding="utf-8")
    first = report("site", "-o", "site/report.html", cwd=tmp_path)
    assert first.returncode == 0 and "1 problem in 1 file" in first.stdout
    again = report("site", "-o", "site/report.html", cwd=tmp_path)  # report.html is in the folder now
    assert (again.returncode, again.stderr) == (0, "") and "1 problem in 1 file" in again.stdout
    (tmp_path / "site" / "old.html").write_bytes((tmp_path / "site" / "report.html").read_bytes())
    third = report("site", "-o", "new.html", cwd=tmp_path)
    assert "1 problem in 1 file" in third.stdout  # an earlier report is not copy either


def test_a_folder_for_the_report_that_does_not_exist_is_a_clear_error(tmp_path):
    (tmp_path / "a.txt").write_text(C, encoding="utf-8")
    result = report("a.txt", "-o", "nowhere/report.html", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("healthlint: --output nowhere/report.html: cannot be written (No such file or directory); ")


def test_an_unreadable_file_is_named_and_the_rest_reported(tmp_path):
    (tmp_path / "a.txt").write_text(C, encoding="utf-8")
    result = report("a.txt", "gone.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "gone.md" in result.stderr and "Wrote report.html: 1 problem in 1 file." in result.stdout


def test_nothing_to_check_writes_nothing(tmp_path):
    result = report("missing.md", cwd=tmp_path)
    assert result.returncode == 2 and not (tmp_path / "report.html").exists()
    assert result.stderr.endswith("healthlint: no file could be checked, so no report was written\n")


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("a.md", "# Pain\n\nKratom offers a **natural alternative to opioids**.\n", "alternative to opioids"),
        ("a.mdx", "import X from './x'\n\n<X />\n\nKratom offers a natural alternative to opioids.\n", "alternative to opioids"),
        ("a.html", "<html><body><p>Kratom offers a natural <b>alternative</b> to opioids.</p></body></html>\n", "alternative</b> to opioids"),
        ("a.txt", "Kratom offers a natural alternative to opioids. \U0001F33F\n", "alternative to opioids"),
    ],
)
def test_each_format_is_shown_as_written_with_the_finding_on_its_source_range(tmp_path, name, content, words):
    (tmp_path / name).write_text(content, encoding="utf-8")
    result = report(name, "-o", "out.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = page_data((tmp_path / "out.html").read_text(encoding="utf-8"))
    assert data["files"][0]["text"] == content
    assert highlighted(data) == [("opioid-substitution", "error", words)]


def test_a_word_document_is_shown_one_paragraph_a_line(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Pain relief", level=1)
    document.add_paragraph("Kratom offers a natural alternative to opioids.")
    document.save(tmp_path / "a.docx")
    result = report("a.docx", "-o", "out.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = page_data((tmp_path / "out.html").read_text(encoding="utf-8"))
    assert data["files"][0]["text"].split("\n")[:2] == ["Pain relief", "Kratom offers a natural alternative to opioids."]
    assert highlighted(data) == [("opioid-substitution", "error", "alternative to opioids")]


def test_offsets_count_an_emoji_as_two_browser_characters():
    to_js = utf16_offsets("a\U0001F33Fb\U0001F33Fc")
    assert [to_js(i) for i in range(6)] == [0, 1, 3, 4, 6, 7]
    plain = utf16_offsets("abc")
    assert [plain(i) for i in range(4)] == [0, 1, 2, 3]


PATIENT = Target("patient", 8.0)


def test_the_section_chart_marks_sections_above_the_target_and_too_short_ones():
    sections = [SectionGrade("Hard <part>", 3, 0, 120, 14.2), SectionGrade("Easy", 9, 50, 80, 6.0), SectionGrade(None, 1, 0, 4, -10.6)]
    svg = section_chart(sections, PATIENT, "Reading grade per section of a.md")
    assert svg.count('class="bar above"') == 1 and svg.count('class="bar meets"') == 1
    assert "line 3: Hard &lt;part&gt;" in svg and "<part>" not in svg
    assert "too short to score (4 words)" in svg and "-10.6" not in svg
    assert "target: grade 8</text>" in svg
    assert "<title>Reading grade per section of a.md: 2 sections scored, 1 above the target</title>" in svg
    no_target = section_chart(sections, Target("professional", None), "x")
    assert "target:" not in no_target and "x: 2 sections scored</title>" in no_target
    assert section_chart([], PATIENT, "x") == ""


def test_the_folder_histogram_counts_sections_by_grade():
    sections = [SectionGrade(None, 1, 0, 40, g) for g in (5.5, 5.9, 9.2, 25.0)] + [SectionGrade(None, 1, 0, 3, 1.0)]
    svg = grade_histogram(sections, PATIENT)
    assert re.findall(r"<title>(grade [^<]+)</title>", svg) == ["grade 5: 2 sections", "grade 9: 1 section", "grade 20 and over: 1 section"]
    assert "<title>Reading grade of 4 sections; 2 above the target</title>" in svg
    assert svg.count('class="bar above"') == 2
    assert grade_histogram([SectionGrade(None, 1, 0, 3, 1.0)], PATIENT) == ""

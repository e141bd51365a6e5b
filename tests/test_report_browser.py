"""The HTML report in a real browser: Debian's chromium, driven by Playwright.

Never `playwright install` (it downloads browsers): the tests use /usr/bin/chromium
(`apt-get install chromium`) and skip, saying why, when it or Playwright is missing.
Screenshots go to tests/artifacts/report/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import NIH, invoke

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (pip install '.[test]')")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts" / "report"
DATA = re.compile(r'<script type="application/json" id="healthlint-data">(.*?)</script>', re.S)

if not os.path.exists(CHROMIUM):
    pytest.skip("chromium is not installed (apt-get install -y chromium); the browser tests need it", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        # As root (a CI container) chromium runs only without its sandbox.
        args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        yield browser
        browser.close()


class Opened:
    """A report open in a page, with every console error, page error and request it made."""

    def __init__(self, browser, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1300, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        started = time.perf_counter()
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready=true]", state="attached")
        self.load_seconds = time.perf_counter() - started

    def highlighted(self, file: int, k: int) -> str:
        """The words the page highlights for the file's k-th finding, piece by piece."""
        return self.page.evaluate(
            """([file, k]) => Array.from(document.querySelectorAll('#file-' + file + ' mark'))
                 .filter(m => m.dataset.f.split(' ').includes(String(k))).map(m => m.textContent).join('')""",
            [file, k],
        )

    def shown_items(self, file: int) -> list[str]:
        return self.page.evaluate(
            "f => Array.from(document.querySelectorAll('#file-' + f + ' li.finding')).filter(li => !li.hidden).map(li => li.id)", file
        )

    def screenshot(self, name: str, **options) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), **options)


def _data(path: Path) -> dict:
    return json.loads(DATA.findall(path.read_text(encoding="utf-8"))[0])


def _contrast(page, selector: str) -> float:
    """WCAG contrast ratio of an element's text colour against its background."""
    return page.evaluate(
        """sel => {
            const s = getComputedStyle(document.querySelector(sel));
            const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(v => {
                v = v / 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
            const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
            return (a + 0.05) / (b + 0.05);
        }""",
        selector,
    )


def test_the_seed_report_in_chromium(tmp_path, seed_path, browser):
    out = tmp_path / "seed-report.html"
    assert invoke("report", str(seed_path), "-o", str(out), cwd=tmp_path).returncode == 0
    check = json.loads(invoke("check", "-f", "json", str(seed_path), cwd=tmp_path).stdout)
    expected = sorted(check, key=lambda f: (f["line"], f["column"], f["end_line"], f["end_column"], f["rule"]))
    opened = Opened(browser, out)
    page = opened.page
    assert opened.errors == []
    assert opened.requests == [out.as_uri()]  # the page itself, nothing else
    opened.screenshot("seed.png", full_page=True)

    # Highlights sit on the finding's words, one finding of each rule that has a short range.
    for rule in ("opioid-substitution", "missing-citation", "unhedged-safety-claim", "natural-means-safe", "plain-language", "long-sentence"):
        k = next(i for i, f in enumerate(expected) if f["rule"] == rule)
        assert opened.highlighted(0, k) == expected[k]["text"], rule
    assert len(opened.shown_items(0)) == len(expected) == 45

    # A flagged claim carries its severity's colour, readable against it.
    error = next(i for i, f in enumerate(expected) if f["severity"] == "error")
    first_piece = f'#file-0 mark[data-f~="{error}"]'
    assert "sev-error" in page.get_attribute(first_piece, "class")
    for severity in ("error", "warning", "info"):
        assert _contrast(page, f"#file-0 mark.sev-{severity}:not(.wide)") >= 7, severity
        assert _contrast(page, f"li.sev-{severity} .badge") >= 4.5, severity

    # Hover shows the message and the suggestion; Escape hides them.
    page.hover(first_piece)
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert expected[error]["message"] in tip.text_content() and expected[error]["suggestion"] in tip.text_content()
    assert page.text_content("#tip p") == "error " + expected[error]["message"]  # the most serious first
    opened.screenshot("seed-hover.png")
    page.keyboard.press("Escape")
    assert not tip.is_visible()

    # The keyboard reaches the highlights, and focus shows the same.
    page.focus("body")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "MARK":
            break
    assert page.evaluate("document.activeElement.tagName") == "MARK"
    assert tip.is_visible() and page.evaluate("document.activeElement.getAttribute('aria-describedby')").startswith("f0-")

    # Filters hide and show: infos, then one rule.
    infos = {f"f0-{i}" for i, f in enumerate(expected) if f["severity"] == "info"}
    page.uncheck('[data-filter-severity="info"]')
    shown = set(opened.shown_items(0))
    assert shown and not shown & infos and len(shown) == len(expected) - len(infos)
    assert page.locator("#file-0 mark.sev-info").count() == 0
    assert page.text_content("#file-0 .shown") == f"({len(shown)} shown)"
    opened.screenshot("seed-no-infos.png", full_page=True)
    page.check('[data-filter-severity="info"]')
    assert len(opened.shown_items(0)) == len(expected)
    opioid = {f"f0-{i}" for i, f in enumerate(expected) if f["rule"] == "opioid-substitution"}
    page.uncheck('[data-filter-rule="opioid-substitution"]')
    assert not set(opened.shown_items(0)) & opioid and len(opened.shown_items(0)) == len(expected) - len(opioid)
    assert "sev-error" not in page.get_attribute(first_piece, "class")  # the seed's errors are all opioid-substitution
    page.check('[data-filter-rule="opioid-substitution"]')
    assert "sev-error" in page.get_attribute(first_piece, "class")

    # The list's button takes the reader to the words in the copy.
    page.click(f"#f0-{error} button.goto")
    assert page.evaluate("document.activeElement.dataset.f.split(' ')").count(str(error)) == 1
    assert opened.errors == []


def test_a_300_file_folder_stays_usable(tmp_path, browser):
    if not NIH.is_dir():
        pytest.skip("../shared/corpus/nih is not present")
    out = tmp_path / "nih-report.html"
    started = time.perf_counter()
    result = invoke("report", str(NIH), "-o", str(out), cwd=tmp_path)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    size = out.stat().st_size
    print(f"\n300-file report: written in {seconds:.1f} s, {size / 1e6:.1f} MB")
    data = _data(out)
    files = sorted(NIH.rglob("*.md"))
    assert len(data["files"]) == len(files) == 298
    assert size < 12e6 and seconds < 180  # generous: a shared 2-core machine

    opened = Opened(browser, out)
    page = opened.page
    print(f"300-file report: loaded in chromium in {opened.load_seconds:.1f} s")
    assert opened.errors == [] and opened.requests == [out.as_uri()]
    assert page.locator("details.file").count() == 298
    assert page.locator("mark").count() == 0  # nothing rendered until a file is opened
    opened.screenshot("nih-overview.png")

    # The overview's link opens a file, and its highlights sit on each finding's words.
    busiest = max(range(len(data["files"])), key=lambda i: len(data["files"][i]["findings"]))
    page.click(f'#overview a[href="#file-{busiest}"]')
    page.wait_for_selector(f"#file-{busiest} mark")
    file = data["files"][busiest]
    for k, f in enumerate(file["findings"]):
        if f[1] > f[0]:
            assert opened.highlighted(busiest, k) == file["text"][f[0] : f[1]], k
    assert len(opened.shown_items(busiest)) == len(file["findings"])
    opened.screenshot("nih-file.png")

    # Warnings and errors only (the corpus has no errors), and files without one hidden.
    page.uncheck('[data-filter-severity="info"]')
    page.check("#hide-empty")
    with_warnings = sum(1 for fd in data["files"] if any(f[2] < 2 for f in fd["findings"]))
    assert 0 < with_warnings < 298
    assert page.locator("details.file:not([hidden])").count() == with_warnings
    assert page.locator(f"#file-{busiest} mark.sev-info").count() == 0
    opened.screenshot("nih-no-infos.png")
    page.uncheck("#hide-empty")
    assert page.locator("details.file:not([hidden])").count() == 298

    # Every file open at once still works.
    started = time.perf_counter()
    page.click("#open-all")
    page.wait_for_function("document.querySelectorAll('details.file[open]').length === 298")
    print(f"300-file report: all files opened in {time.perf_counter() - started:.1f} s")
    assert page.locator("mark").count() > 1000
    assert opened.errors == []

"""--fix, --unsafe-fixes and --diff: what changes, what never does, and stability."""

from __future__ import annotations

from conftest import run

TEXT = (
    "---\ntitle: hepatic\n---\n"
    "# Hepatic health\n\n"
    "Hepatic damage is rare. Use `hepatic` in code and see [hepatic](https://x.org/hepatic).\n"
    "Kratom offers a natural alternative to opioids for chronic pain.\n\n"
    "```\nhepatic\n```\n"
)

def _check(tmp_path, *args, name="page.md", data: bytes | None = None):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    proc = run("check", *args, name, cwd=tmp_path)
    return proc, path


def test_fix_swaps_plain_words_only_in_prose(tmp_path):
    proc, path = _check(tmp_path, "--fix", data=TEXT.encode())
    fixed = path.read_text(encoding="utf-8")
    assert fixed == TEXT.replace("# Hepatic health", "# Liver health").replace(
        "Hepatic damage is rare", "Liver damage is rare"
    ).replace("see [hepatic](", "see [liver](")
    assert "title: hepatic" in fixed and "`hepatic`" in fixed and "https://x.org/hepatic" in fixed and "```\nhepatic\n```" in fixed
    assert "alternative to opioids" in fixed  # claim rewrites need --unsafe-fixes
    assert "applied" in proc.stderr


def test_unsafe_fixes_rewrite_the_opioid_claim(tmp_path):
    _, path = _check(tmp_path, "--fix", "--unsafe-fixes", data=TEXT.encode())
    fixed = path.read_text(encoding="utf-8")
    assert "Kratom is not approved to treat pain. Do not stop or replace a prescribed opioid" in fixed
    assert "natural alternative to opioids" not in fixed


def test_second_run_makes_no_further_change(tmp_path):
    _check(tmp_path, "--fix", "--unsafe-fixes", data=TEXT.encode())
    first = (tmp_path / "page.md").read_bytes()
    _check(tmp_path, "--fix", "--unsafe-fixes")
    assert (tmp_path / "page.md").read_bytes() == first


def test_fix_keeps_crlf_bom_and_missing_final_newline(tmp_path):
    original = "\ufeffHepatic damage.\r\nIt is hepatic.".encode("utf-8")
    _, path = _check(tmp_path, "--fix", name="page.txt", data=original)
    assert path.read_bytes() == "\ufeffLiver damage.\r\nIt is liver.".encode("utf-8")


def test_diff_prints_changes_and_writes_nothing(tmp_path):
    proc, path = _check(tmp_path, "--diff", data=TEXT.encode())
    assert path.read_bytes() == TEXT.encode()
    assert proc.stdout.startswith("--- a/page.md\n+++ b/page.md\n")
    assert "-Hepatic damage is rare." in proc.stdout and "+Liver damage is rare." in proc.stdout
    assert proc.returncode == 0


def test_without_fix_nothing_is_written(tmp_path):
    _, path = _check(tmp_path, data=TEXT.encode())
    assert path.read_bytes() == TEXT.encode()


def test_overlapping_fixes_are_resolved_deterministically():
    from healthlint.fixes import apply_edits, choose_edits
    from healthlint.model import Edit, Finding, Fix, Position, Severity

    def finding(rule, start, end, text, safe=True):
        fix = Fix((Edit(start, end, text),), "safe" if safe else "unsafe", "")
        return Finding("x", Position(1, start + 1), Position(1, end + 1), rule, Severity.INFO, "", None, "", (start, end), fix=fix)

    findings = [finding("b-rule", 0, 10, "SECOND"), finding("a-rule", 0, 10, "FIRST"), finding("c", 4, 12, "LATER"), finding("d", 20, 22, "UN", safe=False)]
    edits = choose_edits(findings, unsafe=False)
    assert edits == [Edit(0, 10, "FIRST")]
    assert apply_edits("0123456789abcdefghijklmn", edits) == "FIRSTabcdefghijklmn"
    assert choose_edits(list(reversed(findings)), unsafe=True) == [Edit(0, 10, "FIRST"), Edit(20, 22, "UN")]


def test_fix_on_stdin_is_a_usage_error(tmp_path):
    proc = run("check", "--fix", "-", cwd=tmp_path, stdin="Hepatic.")
    assert proc.returncode == 2 and "standard input" in proc.stderr


def test_a_plain_word_fix_mends_the_article_before_it(tmp_path):
    text = "Take an analgesic now.\n\nAn analgesic helps. A hepatic test. Ask for an antipyretic.\n"
    proc, path = _check(tmp_path, "--fix", "--select", "plain-language", data=text.encode())
    assert path.read_text(encoding="utf-8") == "Take a painkiller now.\n\nA painkiller helps. A liver test. Ask for a fever reducer.\n"


def test_indefinite_article_follows_the_first_sound():
    from healthlint.kinds.substitution import indefinite_article

    assert [indefinite_article(w) for w in ("painkiller", "umbrella", "user", "hour", "one-off", "easy", "uterus")] == [
        "a", "an", "a", "an", "a", "an", "a"]

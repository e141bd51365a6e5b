"""Word documents: read as prose (one paragraph a line), and `healthlint annotate`.

Every document is built here with python-docx, with raw XML where python-docx has no call for a
feature (footnotes, text boxes, tracked changes), so the tests need no stored .docx files.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import invoke
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from healthlint.parse import BlockKind, parse
from healthlint.parse.plaintext import looks_like_heading
from healthlint.source import read_source

REPO = Path(__file__).resolve().parents[1]
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
ENDNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"

TABLE_CLAIM = "Kratom is completely safe for everyone."  # unhedged-safety-claim at column 8
FOOTNOTE_CLAIM = "Kratom is 100% safe."  # unhedged-safety-claim at column 8


def run(*args: str, cwd: Path):
    return invoke(*args, cwd=cwd, stdin=b"", env={"NO_COLOR": None})


def json_findings(*args: str, cwd: Path) -> list[dict]:
    result = run("check", "--format", "json", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


# --- building documents -------------------------------------------------------------------------


def add_xml_run(paragraph, xml: str) -> None:
    """Append run-level XML (w:r, w:ins, w:del, ...) to a python-docx paragraph."""
    paragraph._p.append(parse_xml(xml))


def add_notes(document, story: str, notes: dict[int, str]) -> None:
    """A footnotes (or endnotes) part with Word's two separator notes and ``notes`` (id: text)."""
    body = "".join(
        f'<w:{story} w:id="{note_id}"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:{story}>'
        for note_id, text in notes.items()
    )
    separators = (
        f'<w:{story} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{story}>'
        f'<w:{story} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{story}>'
    )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{story}s {nsdecls("w")}>{separators}{body}</w:{story}s>'
    content_type, reltype = (FOOTNOTES_TYPE, RT.FOOTNOTES) if story == "footnote" else (ENDNOTES_TYPE, RT.ENDNOTES)
    part = Part(PackURI(f"/word/{story}s.xml"), content_type, xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, reltype)


def add_note_mark(paragraph, story: str, note_id: int) -> None:
    add_xml_run(paragraph, f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{story}Reference w:id="{note_id}"/></w:r>')


def save(document, path: Path) -> Path:
    document.save(str(path))
    return path


def seed_docx(seed_path: Path, path: Path) -> tuple[Path, dict[int, tuple[int, int]]]:
    """The seed article as Word would hold it: each line a paragraph ("- " lines as bulleted list
    items, lines plain text reads as headings as Heading 2), then a table with a claim in a cell,
    and a footnote with a claim (its mark at the end of the last paragraph, which has no claim a
    citation could change). Returns the path and, for each line of the .txt, (paragraph number,
    how many characters its text moved left)."""
    document = docx.Document()
    where: dict[int, tuple[int, int]] = {}
    lines = seed_path.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines, start=1):
        if line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
            where[number] = (number, 2)
        elif looks_like_heading(line):
            document.add_heading(line, level=2)
            where[number] = (number, 0)
        else:
            document.add_paragraph(line)
            where[number] = (number, 0)
    add_note_mark(document.paragraphs[-1], "footnote", 1)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "What the label says"
    table.cell(0, 1).text = TABLE_CLAIM
    add_notes(document, "footnote", {1: FOOTNOTE_CLAIM})
    return save(document, path), where


def comparable(finding: dict) -> tuple:
    return (finding["rule"], finding["message"], finding["suggestion"], finding["text"])


# --- reading --------------------------------------------------------------------------------------


def test_seed_article_as_docx_has_the_same_findings_as_the_txt_at_each_paragraph(tmp_path, seed_path):
    path, where = seed_docx(seed_path, tmp_path / "kratom-article.docx")
    from_txt = json_findings(str(seed_path), cwd=tmp_path)
    from_docx = json_findings(path.name, cwd=tmp_path)
    # reading-level also counts the whole document, which the table and footnote change
    expected = []
    for f in from_txt:
        if f["rule"] == "reading-level":
            continue
        paragraph, moved = where[f["line"]]
        expected.append({**f, "path": path.name, "line": paragraph, "end_line": paragraph, "column": f["column"] - moved, "end_column": f["end_column"] - moved})
    lines = len(where)
    expected.append(
        {"path": path.name, "line": lines + 2, "column": 8, "end_line": lines + 2, "end_column": 39, "rule": "unhedged-safety-claim", "text": "is completely safe for everyone"}
    )
    expected.append({"path": path.name, "line": lines + 3, "column": 8, "end_line": lines + 3, "end_column": 20, "rule": "unhedged-safety-claim", "text": "is 100% safe"})
    got = [f for f in from_docx if f["rule"] != "reading-level"]
    position = lambda f: (f["line"], f["column"], f["end_line"], f["end_column"], f["rule"], f["text"])  # noqa: E731
    assert [position(f) for f in got] == [position(f) for f in expected]
    assert [comparable(f) for f in got[:-2]] == [comparable(f) for f in expected[:-2]]
    claims = {"opioid-substitution", "unhedged-safety-claim", "natural-means-safe", "missing-citation"}
    assert sum(f["rule"] in claims for f in got) == sum(f["rule"] in claims for f in from_txt) + 2


def test_each_paragraph_is_a_line_and_kinds_come_from_word_styles(tmp_path, seed_path):
    path, where = seed_docx(seed_path, tmp_path / "kratom-article.docx")
    source = read_source(path)
    lines = source.text.split("\n")
    seed_lines = seed_path.read_text(encoding="utf-8").split("\n")
    assert lines[:2] == seed_lines[:2]
    assert lines[2:5] == [line[2:] for line in seed_lines[2:5]]  # no "- ": Word draws the bullet
    assert lines[5:15] == seed_lines[5:15]
    assert lines[len(where) :] == ["What the label says", TABLE_CLAIM, FOOTNOTE_CLAIM]
    kinds = {source.position(block.offsets[0]).line: block.kind for block in parse(source).blocks}
    assert [kinds[line] for line in (1, 3, 5, 6, 7)] == [BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.LIST_ITEM, BlockKind.HEADING, BlockKind.PARAGRAPH]
    assert [kinds[line] for line in range(len(where) + 1, len(where) + 4)] == [BlockKind.TABLE_CELL, BlockKind.TABLE_CELL, BlockKind.PARAGRAPH]


def test_heading_by_style_even_when_it_reads_like_a_sentence(tmp_path):
    document = docx.Document()
    document.add_heading("Is kratom safe for your liver?", level=1)
    document.add_paragraph("Short line without a stop")
    document.add_paragraph("Title line", style="Title")
    kinds = [block.kind for block in parse(read_source(save(document, tmp_path / "h.docx"))).blocks]
    assert kinds == [BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.HEADING]


def test_tracked_changes_read_as_accepted(tmp_path):
    document = docx.Document()
    inserted = document.add_paragraph("Kratom ")
    add_xml_run(inserted, f'<w:ins {nsdecls("w")} w:id="1" w:author="Ed"><w:r><w:t>is completely safe for everyone.</w:t></w:r></w:ins>')
    deleted = document.add_paragraph("Kratom ")
    add_xml_run(deleted, f'<w:del {nsdecls("w")} w:id="2" w:author="Ed"><w:r><w:delText>is completely safe for everyone. It </w:delText><w:tab/></w:r></w:del>')
    add_xml_run(deleted, f'<w:r {nsdecls("w")}><w:t>can harm the liver.</w:t></w:r>')
    moved = document.add_paragraph("Kratom ")
    add_xml_run(moved, f'<w:moveFrom {nsdecls("w")} w:id="3" w:author="Ed"><w:r><w:t>is 100% safe and </w:t></w:r></w:moveFrom>')
    add_xml_run(moved, f'<w:moveTo {nsdecls("w")} w:id="4" w:author="Ed"><w:r><w:t>has risks.</w:t></w:r></w:moveTo>')
    path = save(document, tmp_path / "tracked.docx")
    assert read_source(path).text == "Kratom is completely safe for everyone.\nKratom can harm the liver.\nKratom has risks."
    found = [(f["line"], f["column"], f["end_column"], f["rule"]) for f in json_findings(path.name, "--select", "unhedged-safety-claim", cwd=tmp_path)]
    assert found == [(1, 8, 39, "unhedged-safety-claim")]


def test_text_boxes_follow_their_paragraph_once_and_notes_come_last(tmp_path):
    document = docx.Document()
    anchor = document.add_paragraph("Read the box.")
    box = '<w:txbxContent><w:p><w:r><w:t>Kratom is 100% safe.</w:t></w:r></w:p></w:txbxContent>'
    add_xml_run(
        anchor,
        f'<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml">'
        f"<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
    )
    alternative = document.add_paragraph("")
    add_xml_run(
        alternative,
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        f'{nsdecls("w")}><mc:Choice Requires="w14"><w:r><w:t>Newer form.</w:t></w:r></mc:Choice>'
        "<mc:Fallback><w:r><w:t>Older form.</w:t></w:r></mc:Fallback></mc:AlternateContent>",
    )
    after = document.add_paragraph("After the box.")
    add_note_mark(after, "endnote", 1)
    add_note_mark(after, "footnote", 1)
    add_notes(document, "footnote", {1: "A footnote."})
    add_notes(document, "endnote", {1: "An endnote."})
    path = save(document, tmp_path / "box.docx")
    assert read_source(path).text.split("\n") == ["Read the box.", "Kratom is 100% safe.", "Newer form.", "After the box.", "A footnote.", "An endnote."]
    found = [(f["line"], f["column"], f["text"]) for f in json_findings(path.name, "--select", "unhedged-safety-claim", cwd=tmp_path)]
    assert found == [(2, 8, "is 100% safe")]


def test_hyperlinks_and_footnote_marks_count_as_citations(tmp_path):
    document = docx.Document()
    cited = document.add_paragraph("Studies suggest kratom eases pain.")
    add_note_mark(cited, "footnote", 1)
    linked = document.add_paragraph("")
    rel = document.part.relate_to("https://example.org/study", RT.HYPERLINK, is_external=True)
    add_xml_run(linked, f'<w:hyperlink {nsdecls("w", "r")} r:id="{rel}"><w:r><w:t>Studies suggest</w:t></w:r></w:hyperlink>')
    add_xml_run(linked, f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> kratom eases pain.</w:t></w:r>')
    document.add_paragraph("Studies suggest kratom eases pain.")
    for instruction in (' HYPERLINK "https://example.org/study" ', ' HYPERLINK \\l "methods" '):  # a web address; a place in the document
        field = document.add_paragraph("")
        for part in (
            '<w:fldChar w:fldCharType="begin"/>',
            f'<w:instrText xml:space="preserve">{instruction}</w:instrText>',
            '<w:fldChar w:fldCharType="separate"/>',
            "<w:t>Studies suggest</w:t>",
            '<w:fldChar w:fldCharType="end"/>',
            '<w:t xml:space="preserve"> kratom eases pain.</w:t>',
        ):
            add_xml_run(field, f'<w:r {nsdecls("w")}>{part}</w:r>')
    simple = document.add_paragraph("")
    add_xml_run(simple, f'<w:fldSimple {nsdecls("w")} w:instr=\' HYPERLINK "https://example.org/study" \'><w:r><w:t>Studies suggest</w:t></w:r></w:fldSimple>')
    add_xml_run(simple, f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> kratom eases pain.</w:t></w:r>')
    add_notes(document, "footnote", {1: "Smith, 2020."})
    path = save(document, tmp_path / "cited.docx")
    assert read_source(path).text.split("\n")[:6] == ["Studies suggest kratom eases pain."] * 6
    found = [(f["line"], f["column"]) for f in json_findings(path.name, "--select", "missing-citation", cwd=tmp_path)]
    assert found == [(3, 1), (5, 1)]  # only the sentences with neither a mark nor a link to a source


def test_json_positions_are_paragraph_and_character(tmp_path):
    document = docx.Document()
    document.add_paragraph("")  # an empty paragraph still counts
    paragraph = document.add_paragraph("")
    paragraph.add_run("Kratom offers a ").bold = True
    paragraph.add_run("natural alternative to opioids.")
    path = save(document, tmp_path / "p.docx")
    (finding,) = json_findings(path.name, "--select", "opioid-substitution", cwd=tmp_path)
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (2, 25, 2, 47)
    assert finding["text"] == "alternative to opioids"


def test_fix_and_diff_never_write_a_docx(tmp_path):
    text = "Kratom may alleviate pain, in a way that can utilize the receptors."
    (tmp_path / "fix.txt").write_text(text + "\n", encoding="utf-8")
    assert "+Kratom may ease pain" in run("check", "--diff", "fix.txt", cwd=tmp_path).stdout  # as text, it has a fix
    document = docx.Document()
    document.add_paragraph(text)
    path = save(document, tmp_path / "fix.docx")
    before = path.read_bytes()
    for option, stdout in (("--fix", "fix.docx:1:12: info plain-language "), ("--diff", "")):
        result = run("check", option, "--unsafe-fixes", path.name, cwd=tmp_path)
        assert result.returncode == 0  # plain-language findings are info
        assert result.stdout.startswith(stdout) and (stdout or result.stdout == "")
        assert f"fix.docx: healthlint never changes a Word document, so {option} left it as it is" in result.stderr
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fix.docx", "fix.txt"]


@pytest.mark.parametrize(
    "content, says",
    [
        (b"Kratom is safe.\n", "this is not a Word document (.docx), though its name says so"),
        (b"", "this is not a Word document (.docx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "this is an older Word file (.doc) or a password-protected document"),
        (b"PK\x03\x04 a broken zip", "this Word document is damaged"),
    ],
)
def test_corrupt_or_not_docx_exits_2_naming_the_file(tmp_path, content, says):
    (tmp_path / "broken.docx").write_bytes(content)
    result = run("check", "broken.docx", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"healthlint: broken.docx: {says}")


def test_words_lock_file_is_named_for_what_it_is(tmp_path):
    (tmp_path / "~$draft.docx").write_bytes(b"\x04Ed  " + b"\0" * 40)
    result = run("check", "~$draft.docx", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("healthlint: ~$draft.docx: this is the small lock file Word keeps beside a document while it is open")


def test_a_zip_that_is_no_word_document_exits_2(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "Kratom is safe.")
    (tmp_path / "zip.docx").write_bytes(buffer.getvalue())
    result = run("check", "zip.docx", cwd=tmp_path)
    assert result.returncode == 2
    assert "zip.docx: this Word document is damaged" in result.stderr


def test_missing_extra_says_how_to_install_it(tmp_path, monkeypatch):
    document = docx.Document()
    document.add_paragraph("Kratom is 100% safe.")
    save(document, tmp_path / "a.docx")
    monkeypatch.setitem(sys.modules, "docx", None)  # "import docx" now fails as if not installed
    for args in (("check", "a.docx"), ("annotate", "a.docx", "--output", "b.docx")):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr == "healthlint: a.docx: reading Word documents needs the python-docx package; install it with: pip install python-docx (or, in a healthlint checkout, pip install '.[docx]')\n"
    assert not (tmp_path / "b.docx").exists()


def test_markdown_runs_never_import_python_docx(tmp_path):
    (tmp_path / "a.md").write_text("Kratom is 100% safe.\n", encoding="utf-8")
    code = "import sys\nfrom healthlint.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\nprint('docx' in sys.modules)"
    proc = subprocess.run(
        [sys.executable, "-c", code, "check", "--no-cache", "a.md"], cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60
    )
    assert proc.stdout.strip().endswith("False"), proc.stdout + proc.stderr


# --- annotate ----------------------------------------------------------------------------------


def anchored_texts(path: Path) -> dict[int, str]:
    """Each comment's anchored text in the body: the w:t text between its range markers."""
    body = docx.Document(str(path)).element.body
    open_ranges: set[int] = set()
    texts: dict[int, str] = {}
    for element in body.iter():
        if element.tag == qn("w:commentRangeStart"):
            comment_id = int(element.get(qn("w:id")))
            open_ranges.add(comment_id)
            texts[comment_id] = ""
        elif element.tag == qn("w:commentRangeEnd"):
            open_ranges.discard(int(element.get(qn("w:id"))))
        elif element.tag == qn("w:t"):
            for comment_id in open_ranges:
                texts[comment_id] += element.text or ""
    return texts


def test_annotate_anchors_each_comment_to_the_flagged_words(tmp_path, seed_path):
    path, _ = seed_docx(seed_path, tmp_path / "kratom-article.docx")
    before = path.read_bytes()
    findings = json_findings(path.name, cwd=tmp_path)
    result = run("annotate", path.name, "--output", "annotated.docx", cwd=tmp_path)
    assert result.returncode == 1  # findings at warning or above, as `check`
    assert result.stdout == f"Wrote annotated.docx: a copy of kratom-article.docx with {len(findings)} comments.\n"
    assert path.read_bytes() == before
    out = tmp_path / "annotated.docx"
    comments = list(docx.Document(str(out)).comments)
    assert len(comments) == len(findings)
    anchored = anchored_texts(out)
    for comment, finding in zip(comments, findings):
        assert comment.author == "healthlint"
        if finding["text"] == "is 100% safe":  # in the footnote: anchored to its mark in the body
            assert anchored[comment.comment_id] == ""
            assert comment.text.startswith('In the footnote marked here, "is 100% safe": ')
            continue
        assert anchored[comment.comment_id] == finding["text"]
        assert comment.text == f"{finding['message']} ({finding['rule']})\nSuggestion: {finding['suggestion']}"
    # the copy reads as the original: splitting runs changed no text
    assert read_source(out).text == read_source(path).text
    assert json_findings("annotated.docx", cwd=tmp_path) == [{**f, "path": "annotated.docx"} for f in findings]


def test_annotate_splits_runs_keeping_their_formatting(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("")
    paragraph.add_run("Kratom is ").bold = True
    paragraph.add_run("completely safe").italic = True
    paragraph.add_run(" for everyone, ")
    add_xml_run(paragraph, f'<w:ins {nsdecls("w")} w:id="9" w:author="Ed"><w:r><w:t>and offers an alternative to opioids.</w:t></w:r></w:ins>')
    path = save(document, tmp_path / "runs.docx")
    result = run("annotate", path.name, "-o", "out.docx", "--select", "unhedged-safety-claim,opioid-substitution", cwd=tmp_path)
    assert result.returncode == 1
    out = docx.Document(str(tmp_path / "out.docx"))
    assert sorted(anchored_texts(tmp_path / "out.docx").values()) == ["alternative to opioids", "is completely safe for everyone"]
    runs = [(r.text, r.bold, r.italic) for r in out.paragraphs[0].runs if r.text]
    assert runs == [("Kratom ", True, None), ("is ", True, None), ("completely safe", None, True), (" for everyone", None, None), (", ", None, None)]
    inserted = out.paragraphs[0]._p.find(qn("w:ins"))
    assert [t.text for t in inserted.iter(qn("w:t"))] == ["and offers an ", "alternative to opioids", "."]


def test_annotate_with_nothing_to_say_exits_0(tmp_path):
    document = docx.Document()
    document.add_paragraph("Kratom is a plant from Southeast Asia.")
    path = save(document, tmp_path / "clean.docx")
    result = run("annotate", path.name, "--output", "out.docx", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "Wrote out.docx: no problems found, so it has no comments.\n")
    assert list(docx.Document(str(tmp_path / "out.docx")).comments) == []


@pytest.mark.parametrize("output", ["in.docx", "./in.docx", "link.docx"])
def test_annotate_refuses_to_overwrite_its_input(tmp_path, output):
    document = docx.Document()
    document.add_paragraph("Kratom is 100% safe.")
    path = save(document, tmp_path / "in.docx")
    (tmp_path / "link.docx").symlink_to(path)
    before = path.read_bytes()
    result = run("annotate", "in.docx", "--output", output, cwd=tmp_path)
    assert result.returncode == 2
    assert "is the document itself; annotate never changes the original, so name a new file" in result.stderr
    assert path.read_bytes() == before


def test_annotate_reads_only_docx_and_writes_only_docx(tmp_path):
    (tmp_path / "a.txt").write_text("Kratom is 100% safe.\n", encoding="utf-8")
    result = run("annotate", "a.txt", "--output", "b.docx", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "healthlint: a.txt: annotate reads Word documents (.docx); use 'healthlint check' for other files\n")
    document = docx.Document()
    document.add_paragraph("Kratom is 100% safe.")
    save(document, tmp_path / "a.docx")
    result = run("annotate", "a.docx", "--output", "b.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "name the copy with .docx at the end" in result.stderr
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    result = run("annotate", "broken.docx", "--output", "c.docx", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("healthlint: broken.docx: this is not a Word document")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "a.txt", "broken.docx"]


def test_a_docx_that_unpacks_to_too_much_is_refused(tmp_path, monkeypatch):
    document = docx.Document()
    document.add_paragraph("Kratom is 100% safe.")
    save(document, tmp_path / "big.docx")
    monkeypatch.setattr("healthlint.readers.word.MAX_UNPACKED_BYTES", 1024 * 1024)
    assert run("check", "big.docx", cwd=tmp_path).returncode == 1  # python-docx's template: under 1 MB
    monkeypatch.setattr("healthlint.readers.word.MAX_UNPACKED_BYTES", 1000)
    result = run("check", "big.docx", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("healthlint: big.docx: unpacks to ")
    assert result.stderr.endswith(" bytes, far more than any document's text (the limit is 1000 bytes), so it was not read\n")


def test_a_word_source_survives_the_trip_to_a_worker_process(tmp_path, seed_path):
    import pickle

    path, _ = seed_docx(seed_path, tmp_path / "kratom-article.docx")
    source = read_source(path)
    copy = pickle.loads(pickle.dumps(source))
    blocks = lambda s: [(b.kind, b.text, list(b.offsets), b.links) for b in parse(s).blocks]  # noqa: E731
    assert blocks(copy) == blocks(source)
    assert any(b.kind is BlockKind.TABLE_CELL for b in parse(copy).blocks)


def test_annotate_keeps_existing_comments_and_reaches_into_text_boxes(tmp_path):
    document = docx.Document()
    own = document.add_paragraph("Editor's note on this line.")
    document.add_comment(own.runs, "Check the date.", "Ed", "E")
    anchor = document.add_paragraph("See the box.")
    add_xml_run(
        anchor,
        f'<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>'
        "<w:p><w:r><w:t>Kratom is 100% safe.</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>"
        "</mc:AlternateContent></w:r>",
    )
    path = save(document, tmp_path / "box.docx")
    result = run("annotate", path.name, "-o", "out.docx", "--select", "unhedged-safety-claim", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "Wrote out.docx: a copy of box.docx with 1 comment.\n")
    comments = list(docx.Document(str(tmp_path / "out.docx")).comments)
    assert [(c.author, c.text) for c in comments][0] == ("Ed", "Check the date.")
    assert anchored_texts(tmp_path / "out.docx") == {comments[0].comment_id: "Editor's note on this line.", comments[1].comment_id: "is 100% safe"}


def test_suppressions_are_paragraphs_of_their_own(tmp_path):
    document = docx.Document()
    document.add_paragraph("healthlint-disable-next-line unhedged-safety-claim -- quoted from the label")
    document.add_paragraph("Kratom is 100% safe.")
    document.add_paragraph("Kratom is 100% safe.")
    path = save(document, tmp_path / "quiet.docx")
    found = [(f["line"], f["rule"]) for f in json_findings(path.name, "--select", "unhedged-safety-claim,reading-level", cwd=tmp_path)]
    assert found == [(3, "unhedged-safety-claim")]
    assert [block.text for block in parse(read_source(path)).blocks] == ["Kratom is 100% safe.", "Kratom is 100% safe."]


def test_the_result_cache_sees_a_link_added_to_words_already_there(tmp_path):
    """Linking words changes a Word document's findings but not its text: the cache must not
    hand back the findings from before the link."""
    claim = "Studies show that kratom eases pain."
    plain = docx.Document()
    plain.add_paragraph(claim)
    path = tmp_path / "page.docx"
    plain.save(path)
    cache = tmp_path / "cache"
    before = invoke("check", "--cache-dir", str(cache), "--select", "missing-citation", "--format", "json", str(path), cwd=tmp_path)
    assert [f["rule"] for f in json.loads(before.stdout)] == ["missing-citation"]

    linked = docx.Document()
    paragraph = linked.add_paragraph()
    part = linked.part
    rel = part.relate_to("https://example.org/trial", RT.HYPERLINK, is_external=True)
    link = parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{rel}"><w:r><w:t xml:space="preserve">{claim}</w:t></w:r></w:hyperlink>')
    paragraph._p.append(link)
    linked.save(path)
    assert read_source(str(path)).text == claim  # the same words as before, now a link
    after = invoke("check", "--cache-dir", str(cache), "--select", "missing-citation", "--format", "json", str(path), cwd=tmp_path)
    assert json.loads(after.stdout) == []

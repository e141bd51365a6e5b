"""--fix writes the file back as it was stored: each line's own ending, the encoding and the
byte order (issue 13: lone CR became LF, mixed endings all became the first line's, UTF-16BE
became UTF-16LE)."""

from __future__ import annotations

import pytest
from conftest import run

from healthlint.fixes import encoded, layout_of
from healthlint.source import decode, from_text


def _fix(tmp_path, data: bytes, name: str = "page.txt") -> tuple[bytes, str]:
    path = tmp_path / name
    path.write_bytes(data)
    proc = run("check", "--fix", name, cwd=tmp_path)
    assert "applied" in proc.stderr, proc.stderr
    return path.read_bytes(), proc.stderr


def test_lone_cr_line_endings_stay_lone_cr(tmp_path):
    fixed, _ = _fix(tmp_path, b"Hepatic damage.\rIt is hepatic.\r")
    assert fixed == b"Liver damage.\rIt is liver.\r"


def test_mixed_crlf_and_lf_keep_each_line_its_own_ending(tmp_path):
    fixed, _ = _fix(tmp_path, b"Hepatic damage.\r\nIt is hepatic.\nNo change here.\r\nHepatic.\n")
    assert fixed == b"Liver damage.\r\nIt is liver.\nNo change here.\r\nLiver.\n"


@pytest.mark.parametrize(
    ("codec", "bom"),
    [("utf-16-be", b"\xfe\xff"), ("utf-16-le", b"\xff\xfe")],
)
def test_utf16_keeps_its_byte_order_and_bom(tmp_path, codec, bom):
    original = bom + "Hepatic damage.\r\nIt is hepatic.\r\n".encode(codec)
    fixed, _ = _fix(tmp_path, original)
    assert fixed == bom + "Liver damage.\r\nIt is liver.\r\n".encode(codec)


def test_utf8_bom_and_mixed_endings_in_markdown(tmp_path):
    original = "\ufeff# Hepatic health\r\n\r\nHepatic damage is rare.\rSee a doctor.\n".encode("utf-8")
    fixed, _ = _fix(tmp_path, original, name="page.md")
    assert fixed == "\ufeff# Liver health\r\n\r\nLiver damage is rare.\rSee a doctor.\n".encode("utf-8")


def test_a_fix_that_joins_lines_keeps_the_other_lines_endings():
    data = b"One.\r\nHepatic\rdamage here.\nLast.\r\n"
    text, encoding, bom = decode(data, "page.txt")
    source = from_text(text, "page.txt", encoding=encoding, bom=bom)
    layout = layout_of(data, source)
    assert layout is not None and layout.breaks == ("\r\n", "\r", "\n", "\r\n")
    fixed = source.text.replace("Hepatic\ndamage here.", "Liver damage here.")
    assert encoded(source, fixed, layout) == b"One.\r\nLiver damage here.\nLast.\r\n"


def test_a_fix_that_adds_a_line_takes_the_ending_of_the_line_before():
    data = b"One.\rTwo.\r\nThree."
    text, encoding, bom = decode(data, "page.txt")
    source = from_text(text, "page.txt", encoding=encoding, bom=bom)
    layout = layout_of(data, source)
    fixed = source.text.replace("Two.", "Two.\nAdded.")
    assert encoded(source, fixed, layout) == b"One.\rTwo.\r\nAdded.\r\nThree."


def test_a_file_changed_since_it_was_read_falls_back_to_the_recorded_layout(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(b"Hepatic.\r\nHepatic.\r\n")
    text, encoding, bom = decode(path.read_bytes(), str(path))
    source = from_text(text, str(path), encoding=encoding, bom=bom)
    path.write_bytes(b"Something else entirely.\n")
    assert layout_of(path.read_bytes(), source) is None
    assert encoded(source, "Liver.\nLiver.\n") == b"Liver.\r\nLiver.\r\n"

"""The text reader: encodings and paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from hkpilot.documents import txt_reader
from hkpilot.documents.loader import load_document
from hkpilot.documents.txt_reader import decode_text, read_txt
from hkpilot.errors import DocumentEmpty, DocumentTooLarge

TRAD = "香港特別行政區政府今日公布新的措施，以協助市民應對經濟轉變。\n\n第二段：政府會繼續留意情況。"
SIMP = "国务院今天发布了新的经济政策，这些措施将帮助企业发展。\n\n第二段：政府会继续关注情况。"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TRAD.encode("utf-8"), "utf-8"),
        (TRAD.encode("utf-8-sig"), "utf-8-sig"),
        (TRAD.encode("utf-16"), "utf-16"),
        (TRAD.encode("cp950"), "cp950"),
        (SIMP.encode("gb18030"), "gb18030"),
    ],
)
def test_chinese_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(data)
    expected = SIMP if encoding == "gb18030" else TRAD
    doc = load_document(path)
    assert doc.format == "txt"
    assert doc.full_text() == expected
    assert decode_text(data)[1] == encoding


def test_utf16_without_bom_when_mostly_ascii(tmp_path: Path) -> None:
    text = "Meeting notes for the committee\n\nItem 1: budget 預算"
    for enc in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{enc}.txt"
        path.write_bytes(text.encode(enc))
        assert load_document(path).full_text() == text
        assert decode_text(text.encode(enc))[1] == enc


def test_western_fallback() -> None:
    data = "Café déjà vu – naïve".encode("cp1252")
    text, enc = decode_text(data)
    assert text == "Café déjà vu – naïve" and enc == "cp1252"
    assert decode_text(b"\x81\x8d caf\xe9")[1] == "latin-1"  # bytes cp1252 leaves undefined


def test_paragraph_anchors(tmp_path: Path) -> None:
    path = tmp_path / "memo.txt"
    path.write_text("First para\nsame para\r\n\r\n\n  \nSecond para\n\n\nThird", encoding="utf-8")
    doc = read_txt(path)
    assert [(b.anchor, b.text) for b in doc.blocks] == [
        ("para:1", "First para\nsame para"),
        ("para:2", "Second para"),
        ("para:3", "Third"),
    ]


def test_text_with_other_suffix_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Title\n\nBody", encoding="utf-8")
    assert load_document(path).format == "txt"


def test_whitespace_only_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\n\n   \n", encoding="utf-8")
    with pytest.raises(DocumentEmpty):
        load_document(path)


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000, encoding="utf-8")
    monkeypatch.setattr(txt_reader, "MAX_BYTES", 1000)
    with pytest.raises(DocumentTooLarge):
        load_document(path)

"""Hostile and broken files: every one ends in a typed DocumentError, quickly."""

from __future__ import annotations

import io
import random
import shutil
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree
from pypdf.errors import DependencyError, DeprecationError

from hkpilot.documents import docx_writer, safety, xlsx_reader
from hkpilot.documents.loader import SUPPORTED_SUFFIXES, load_document
from hkpilot.errors import (
    DocumentCorrupt,
    DocumentEmpty,
    DocumentEncrypted,
    DocumentError,
    DocumentMislabelled,
    DocumentNotFound,
    DocumentTooLarge,
    DocumentUnsupported,
    OutputError,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def small_docx(path: Path, text: str = "Hello") -> Path:
    d = docx.Document()
    d.add_paragraph(text)
    d.save(str(path))
    return path


def rewrite_zip(src: Path, dst: Path, replace: dict[str, bytes], extra: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".docx", ".pdf", ".xlsx", ".txt"}


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentNotFound):
        load_document(tmp_path / "nope.docx")
    with pytest.raises(DocumentNotFound):
        load_document(tmp_path / "bad\x00name.docx")


def test_directory_is_unsupported(tmp_path: Path) -> None:
    with pytest.raises(DocumentUnsupported):
        load_document(tmp_path)


@pytest.mark.parametrize("name", ["empty.docx", "empty.pdf", "empty.xlsx", "empty.txt"])
def test_zero_byte_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(DocumentEmpty):
        load_document(path)


def test_random_bytes(tmp_path: Path) -> None:
    noise = random.Random(7).randbytes(8192)
    for name, expected in (("noise.docx", DocumentCorrupt), ("noise.pdf", DocumentCorrupt), ("noise.bin", DocumentUnsupported)):
        path = tmp_path / name
        path.write_bytes(noise)
        with pytest.raises(expected):
            load_document(path)


def test_truncated_docx(tmp_path: Path) -> None:
    full = small_docx(tmp_path / "full.docx").read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(full[: len(full) // 2])
    with pytest.raises(DocumentCorrupt):
        load_document(cut)


def test_truncated_pdf_is_typed(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" + random.Random(1).randbytes(300))
    with pytest.raises(DocumentError):
        load_document(path)


def test_zip_bomb_rejected_from_directory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    src = small_docx(tmp_path / "base.docx")
    shutil.copy(src, path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf, zf.open("word/media/zeros.bin", "w", force_zip64=True) as f:
        chunk = bytes(1 << 20)
        for _ in range(200):  # 200 MB of zeros, about 200 KB on disk
            f.write(chunk)
    assert path.stat().st_size < 2_000_000
    start = time.monotonic()
    with pytest.raises(DocumentTooLarge):
        load_document(path)
    assert time.monotonic() - start < 2


def test_zip_limits_entries_total_ratio_and_part_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = small_docx(tmp_path / "a.docx")
    assert load_document(path).blocks[0].text == "Hello"
    for name, value in (("MAX_ZIP_ENTRIES", 3), ("MAX_ZIP_TOTAL", 2000), ("MAX_XML_PART", 1000)):
        with monkeypatch.context() as m:
            m.setattr(safety, name, value)
            with pytest.raises(DocumentTooLarge):
                load_document(path)
    ratio = tmp_path / "ratio.docx"
    rewrite_zip(path, ratio, {}, {"word/media/z.bin": bytes(200_000)})
    assert load_document(ratio).blocks[0].text == "Hello"  # small entries may compress well
    monkeypatch.setattr(safety, "RATIO_MIN_SIZE", 100_000)
    with pytest.raises(DocumentTooLarge):
        load_document(ratio)


def _billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{"".join(f"&lol{i - 1};" for _ in range(10))}">' for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<!DOCTYPE w:document [{''.join(entities)}]>"
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>plain text</w:t></w:r></w:p></w:body></w:document>"
    ).encode()


def test_billion_laughs_docx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = small_docx(tmp_path / "base.docx")
    path = tmp_path / "laughs.docx"
    rewrite_zip(src, path, {"word/document.xml": _billion_laughs()})
    start = time.monotonic()
    with pytest.raises(DocumentCorrupt):  # a DTD has no place in OOXML
        load_document(path)
    # Without the DTD check, python-docx's parser still does not expand entities.
    monkeypatch.setattr(safety, "_DTD_MARKERS", ())
    try:
        doc = load_document(path)
    except DocumentError:
        pass
    else:
        assert len(doc.full_text()) < 1000 and "lollol" not in doc.full_text()
    assert time.monotonic() - start < 5


def test_dtd_in_workbook_part(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "text"
    wb.save(book)
    with zipfile.ZipFile(book) as zf:
        strings = zf.read("xl/worksheets/sheet1.xml")
    hostile = tmp_path / "hostile.xlsx"
    laced = strings.replace(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY x "y">]><worksheet', 1)
    rewrite_zip(book, hostile, {"xl/worksheets/sheet1.xml": laced})
    with pytest.raises(DocumentCorrupt):
        load_document(hostile)


def _ole(payload_at: int, with_stream: bool) -> bytes:
    data = bytearray(safety.OLE_MAGIC + bytes(payload_at + 4096))
    if with_stream:
        name = "EncryptionInfo".encode("utf-16-le")
        data[payload_at : payload_at + len(name)] = name
    return bytes(data)


@pytest.mark.parametrize("offset", [1536, (1 << 20) - 10])  # the second straddles a read chunk
def test_ole_with_encryption_info_is_encrypted(tmp_path: Path, offset: int) -> None:
    path = tmp_path / "protected.docx"
    path.write_bytes(_ole(offset, with_stream=True))
    with pytest.raises(DocumentEncrypted):
        load_document(path)


def test_legacy_ole_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "old.doc"
    path.write_bytes(_ole(1536, with_stream=False))
    with pytest.raises(DocumentUnsupported):
        load_document(path)


def test_other_zip_packages_are_unsupported(tmp_path: Path) -> None:
    plain = tmp_path / "archive.docx"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(DocumentCorrupt):  # no [Content_Types].xml: not an Office file
        load_document(plain)
    src = small_docx(tmp_path / "base.docx")
    with zipfile.ZipFile(src) as zf:
        types = zf.read("[Content_Types].xml").decode()
    macro = tmp_path / "macro.docx"
    macro_type = "application/vnd.ms-word.document.macroEnabled.main+xml"
    rewrite_zip(src, macro, {"[Content_Types].xml": types.replace(WORD_MAIN, macro_type).encode()})
    with pytest.raises(DocumentUnsupported):
        load_document(macro)
    rtf = tmp_path / "letter.doc"
    rtf.write_bytes(b"{\\rtf1\\ansi Hello}")
    with pytest.raises(DocumentUnsupported):
        load_document(rtf)


def test_a_name_promising_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wrong-name.xlsx"
    small_docx(path, "Actually Word")
    with pytest.raises(DocumentMislabelled) as info:
        load_document(path)
    assert "Word" in info.value.render() and ".docx" in info.value.render()
    notes = tmp_path / "notes.txt"
    notes.write_bytes(path.read_bytes())
    with pytest.raises(DocumentMislabelled):
        load_document(notes)
    pdf = tmp_path / "scan.docx"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(200))
    with pytest.raises(DocumentMislabelled):
        load_document(pdf)
    plain = tmp_path / "report"  # no suffix: read as what it is
    plain.write_bytes(path.read_bytes())
    assert load_document(plain).blocks[0].text == "Actually Word"


def _xml_error() -> Exception:
    try:
        etree.fromstring(b"<a><b></a>")
    except etree.XMLSyntaxError as exc:
        return exc
    raise AssertionError("lxml accepted broken XML")


RAW = [
    RecursionError(),
    AssertionError(),
    TypeError("t"),
    OSError("o"),
    LookupError("l"),
    KeyError("k"),
    ValueError("v"),
    UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad"),
    DependencyError("d"),
    DeprecationError("d"),
    _xml_error(),
]


@pytest.mark.parametrize("exc", RAW, ids=lambda e: type(e).__name__)
def test_docx_parser_exceptions_are_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: Exception) -> None:
    path = small_docx(tmp_path / "a.docx")

    def boom(*args: object, **kwargs: object) -> None:
        raise exc

    monkeypatch.setattr(docx, "Document", boom)
    with pytest.raises(DocumentCorrupt):
        load_document(path)


@pytest.mark.parametrize("exc", RAW, ids=lambda e: type(e).__name__)
def test_xlsx_parser_exceptions_are_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: Exception) -> None:
    path = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.save(path)

    def boom(*args: object, **kwargs: object) -> None:
        raise exc

    monkeypatch.setattr(xlsx_reader.openpyxl, "load_workbook", boom)
    with pytest.raises(DocumentCorrupt):
        load_document(path)


def test_disk_full_while_saving_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = small_docx(tmp_path / "a.docx")
    doc = load_document(src)

    def full(path: Path, save: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx_writer, "atomic_save", full)
    with pytest.raises(OutputError):
        docx_writer.save_translated_copy(doc, {"p:1": "x"}, tmp_path / "out.docx")
    with pytest.raises(OutputError):
        docx_writer.write_new_docx([("paragraph", "x")], tmp_path / "new.docx")


def test_a_parsed_copy_in_memory_is_not_required(tmp_path: Path) -> None:
    """The writer re-opens the source from disk: a Document whose source object is gone still works."""
    src = small_docx(tmp_path / "a.docx")
    doc = load_document(src)
    doc.source = None
    out = tmp_path / "out.docx"
    docx_writer.save_translated_copy(doc, {"p:1": "你好"}, out)
    assert docx.Document(io.BytesIO(out.read_bytes())).paragraphs[0].text == "你好"

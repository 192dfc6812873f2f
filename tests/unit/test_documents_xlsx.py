"""The .xlsx reader and the translated-workbook writer."""

from __future__ import annotations

import hashlib
import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from hkpilot.documents import xlsx_reader
from hkpilot.documents.loader import load_document
from hkpilot.documents.model import BlockKind
from hkpilot.documents.xlsx_reader import read_xlsx, save_translated_workbook
from hkpilot.errors import DocumentEmpty, DocumentMislabelled, OutputError


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_book(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget 2025"
    ws["A1"] = "Item"
    ws["A1"].font = Font(bold=True)
    ws["B1"] = "Amount"
    ws["A2"] = "Printing"
    ws["B2"] = 1200
    ws["B3"] = "=SUM(B2:B2)"
    ws["C5"] = "Note, far away"
    other = wb.create_sheet("Notes!2")
    other["A1"] = "Second sheet text"
    other["A2"] = True
    wb.save(path)


def test_string_cells_read_with_anchors(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    make_book(path)
    doc = load_document(path)
    assert doc.format == "xlsx"
    assert [(b.anchor, b.text) for b in doc.blocks] == [
        ("sheet:Budget 2025!A1", "Item"),
        ("sheet:Budget 2025!B1", "Amount"),
        ("sheet:Budget 2025!A2", "Printing"),
        ("sheet:Budget 2025!C5", "Note, far away"),
        ("sheet:Notes!2!A1", "Second sheet text"),
    ]
    assert all(b.kind is BlockKind.CELL for b in doc.blocks)
    assert doc.blocks[0].section == "Budget 2025"
    assert "formulas: 1" in doc.skipped
    assert "numbers and dates: 1" in doc.skipped
    assert any(s.startswith("other values") and s.endswith(": 1") for s in doc.skipped)


def test_translated_workbook_keeps_formulas_numbers_and_styles(tmp_path: Path) -> None:
    src = tmp_path / "book.xlsx"
    make_book(src)
    before = sha(src)
    doc = read_xlsx(src)
    out = tmp_path / "out" / "book.zh.xlsx"
    save_translated_workbook(
        src,
        {"sheet:Budget 2025!A1": "項目", "sheet:Budget 2025!A2": "=1+1", "sheet:Notes!2!A1": "第二頁"},
        out,
        fingerprint=doc.fingerprint,
    )
    assert sha(src) == before
    wb = openpyxl.load_workbook(out)
    ws = wb["Budget 2025"]
    assert ws["A1"].value == "項目" and ws["A1"].font.bold
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"  # text, not a formula
    assert ws["B2"].value == 1200
    assert ws["B3"].value == "=SUM(B2:B2)" and ws["B3"].data_type == "f"
    assert ws["B1"].value == "Amount"
    assert wb["Notes!2"]["A1"].value == "第二頁"
    with zipfile.ZipFile(out) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>1+1</f>" not in sheet_xml and "<f>SUM(B2:B2)</f>" in sheet_xml
    assert {b.text for b in read_xlsx(out).blocks} >= {"項目", "=1+1", "第二頁"}


def test_translated_workbook_refusals(tmp_path: Path) -> None:
    src = tmp_path / "book.xlsx"
    make_book(src)
    doc = read_xlsx(src)
    with pytest.raises(OutputError):
        save_translated_workbook(src, {"sheet:Budget 2025!A1": "x"}, src)
    with pytest.raises(OutputError):  # a number cell is not a text cell
        save_translated_workbook(src, {"sheet:Budget 2025!B2": "x"}, tmp_path / "a.xlsx")
    with pytest.raises(OutputError):
        save_translated_workbook(src, {"sheet:Nope!A1": "x"}, tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(src)
    wb.active["A1"] = "changed"
    wb.save(src)
    with pytest.raises(OutputError):
        save_translated_workbook(src, {"sheet:Budget 2025!A1": "x"}, tmp_path / "c.xlsx", fingerprint=doc.fingerprint)


def test_hostile_dimension_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "far.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "near"
    wb.active["XFD1048576"] = "far"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        assert 'ref="A1:XFD1048576"' in zf.read("xl/worksheets/sheet1.xml").decode()
    start = time.monotonic()
    doc = read_xlsx(path)
    assert time.monotonic() - start < 5
    assert [b.text for b in doc.blocks] == ["near"]
    assert any(s.startswith("cells beyond the size limits") for s in doc.skipped)


def test_column_and_cell_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "wide.xlsx"
    wb = openpyxl.Workbook()
    for col in range(1, 6):
        for row in range(1, 4):
            wb.active.cell(row=row, column=col, value=f"r{row}c{col}")
    wb.save(path)
    monkeypatch.setattr(xlsx_reader, "MAX_COLUMNS", 2)
    assert [b.text for b in read_xlsx(path).blocks] == ["r1c1", "r1c2", "r2c1", "r2c2", "r3c1", "r3c2"]
    monkeypatch.setattr(xlsx_reader, "MAX_CELLS", 3)
    doc = read_xlsx(path)
    assert [b.text for b in doc.blocks] == ["r1c1", "r1c2", "r2c1"]
    assert any(s.startswith("cells beyond") for s in doc.skipped)


def test_workbook_without_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "numbers.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    wb.active["A2"] = "=A1*2"
    wb.save(path)
    with pytest.raises(DocumentEmpty):
        load_document(path)


def test_workbook_named_docx_is_refused_with_its_real_kind(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    make_book(book)
    disguised = tmp_path / "really-a-workbook.docx"
    shutil.copy(book, disguised)
    with pytest.raises(DocumentMislabelled) as info:
        load_document(disguised)
    assert info.value.params == {"name": "really-a-workbook.docx", "kind": "Excel", "suffix": ".xlsx"}
    renamed = tmp_path / "workbook"
    shutil.copy(book, renamed)
    doc = load_document(renamed)
    assert doc.format == "xlsx" and doc.blocks[0].text == "Item"

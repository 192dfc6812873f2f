"""Provenance on every .docx/.xlsx written, the visible label policy asks for, and review."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from hkpilot.cli import main
from hkpilot.documents import provenance
from hkpilot.documents.docx_writer import save_translated_copy, write_new_docx
from hkpilot.documents.loader import load_document
from hkpilot.documents.xlsx_reader import save_translated_workbook

PROV = provenance.Provenance(task="translate", engine="local", model="m.gguf", model_sha256="ab" * 32,
                             glossary="terms.csv", glossary_sha256="cd" * 32)


def _header_texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).sections[0].header.paragraphs if p.text]


def test_new_docx_carries_provenance_and_no_content(tmp_path: Path) -> None:
    out = tmp_path / "o.docx"
    with provenance.using(PROV):
        write_new_docx([("paragraph", "Body text zq81")], out)
    props = provenance.read_properties(out)
    assert props["HKPilot.Task"] == "translate" and props["HKPilot.ModelSHA256"] == "ab" * 32
    assert props["HKPilot.Glossary"] == "terms.csv" and props["HKPilot.Version"] and props["HKPilot.Date"]
    assert not any("zq81" in v for v in props.values())
    assert _header_texts(out) == []  # no label unless policy asks
    write_new_docx([("paragraph", "x")], tmp_path / "plain.docx")  # outside a job: still version and date
    assert {"HKPilot.Version", "HKPilot.Date"} <= set(provenance.read_properties(tmp_path / "plain.docx"))


def test_translated_copy_keeps_the_sources_properties(tmp_path: Path) -> None:
    src = tmp_path / "s.docx"
    d = docx.Document()
    d.add_paragraph("Hello")
    provenance.set_docx_properties(d, {"Classification": "RESTRICTED"})
    d.save(str(src))
    doc = load_document(src)
    out = tmp_path / "t.docx"
    with provenance.using(PROV):
        save_translated_copy(doc, {doc.blocks[0].anchor: "你好"}, out)
    with zipfile.ZipFile(out) as zf:
        custom = zf.read("docProps/custom.xml").decode()
    assert "Classification" in custom and "RESTRICTED" in custom  # the marking travels with the copy
    assert provenance.read_properties(out)["HKPilot.Model"] == "m.gguf"


def test_label_then_review(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o.docx"
    labelled = provenance.Provenance(task="translate", label=provenance.default_label("translate", "zh-HK"))
    with provenance.using(labelled):
        write_new_docx([("paragraph", "內容")], out)
    assert _header_texts(out) == ["機器翻譯 — 只供參考"]
    assert provenance.read_properties(out)["HKPilot.Reviewed"] == "no"
    assert main(["inspect", str(out)]) == 0
    assert "Reviewed: no" in capsys.readouterr().out
    assert main(["review", str(out), "--by", "Chan Tai Man"]) == 0
    assert _header_texts(out) == []
    props = provenance.read_properties(out)
    assert props["HKPilot.Reviewed"] == "yes" and props["HKPilot.ReviewedBy"] == "Chan Tai Man"
    assert "HKPilot.Label" not in props and props["HKPilot.Task"] == "translate"
    plain = tmp_path / "other.docx"
    docx.Document().save(str(plain))
    assert main(["review", str(plain)]) == 2  # not an HKPilot output


def test_workbook_provenance_and_label(tmp_path: Path) -> None:
    src = tmp_path / "b.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Budget"
    wb.save(str(src))
    out = tmp_path / "b.zh.xlsx"
    with provenance.using(provenance.Provenance(task="translate", engine="server", model="starter",
                                                label=provenance.default_label("translate", "en"))):
        save_translated_workbook(src, {"sheet:Sheet!A1": "預算"}, out)
    props = provenance.read_properties(out)
    assert props["HKPilot.Engine"] == "server" and props["HKPilot.Model"] == "starter"
    assert openpyxl.load_workbook(out).active.oddHeader.center.text.startswith("Machine translation")
    provenance.mark_reviewed(out, "reviewer")
    assert not openpyxl.load_workbook(out).active.oddHeader.center.text
    assert provenance.read_properties(out)["HKPilot.Reviewed"] == "yes"

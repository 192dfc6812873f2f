"""The corpus (tests/corpus): every good file keeps its structure through translation,
every bad file gives a typed error quickly and is left unchanged."""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import docx
import pytest

from hkpilot.documents import fidelity
from hkpilot.documents.inline_markup import strip_tags
from hkpilot.documents.loader import load_document
from hkpilot.documents.xlsx_reader import read_glossary_sheet
from hkpilot.engines.base import CancelToken, Message
from hkpilot.errors import DocumentError, UsageError
from hkpilot.tasks import translate
from hkpilot.tasks.events import Notice, Result
from tests.fakes import ScriptedEngine

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
GOOD_DOCX = [p for folder in ("generated", "libreoffice", "word") for p in sorted(CORPUS.glob(f"{folder}/*.docx"))]
BAD = sorted(p for p in (CORPUS / "bad").iterdir() if p.is_file())
_TAG = re.compile(r"(</?\d+>|<\d+/>|</?[biu]>)")
_WORD_OR_HAN = re.compile(r"[A-Za-z]+|[\u4e00-\u9fff]")


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def source_text(messages: list[Message]) -> str:
    """The text the model was asked to translate (the last user message, after any rule)."""
    text = messages[-1]["content"]
    return text.rsplit("\n\n", 1)[-1] if text.startswith(("Translate into", "The text contains")) else text


def fake_translate(text: str) -> str:
    """Keep every tag where it is; English words become 譯, Chinese characters become "tr"."""
    out = []
    for part in _TAG.split(text):
        if _TAG.fullmatch(part):
            out.append(part)
        else:
            out.append(_WORD_OR_HAN.sub(lambda m: "譯" if m.group().isascii() else "tr ", part))
    return "".join(out)


def engine(reply=lambda m: fake_translate(source_text(m))) -> ScriptedEngine:  # type: ignore[no-untyped-def]
    return ScriptedEngine(reply)


def run(doc_path: Path, out: Path, target: str = "zh-HK", layout: str = "replace", eng: ScriptedEngine | None = None) -> list:
    doc = load_document(doc_path)
    return list(translate.translate_document(doc, eng or engine(), target, out, CancelToken(), layout=layout))


@pytest.mark.parametrize("path", GOOD_DOCX, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_good_docx_keeps_structure(path: Path, tmp_path: Path) -> None:
    before = sha(path)
    target = "en" if path.stem.endswith("_zh") else "zh-HK"
    start = time.monotonic()
    events = run(path, tmp_path / "out.docx", target)
    assert time.monotonic() - start < 20
    assert isinstance(events[-1], Result)
    assert not [e for e in events if isinstance(e, Notice)]  # a model that keeps tags loses nothing
    comparison = fidelity.compare(path, tmp_path / "out.docx")
    assert comparison.lost == [], comparison.lost
    assert comparison.changed == []
    assert sha(path) == before
    source = {b.anchor: b for b in load_document(path).blocks}
    for block in load_document(tmp_path / "out.docx").text_blocks:
        if target == "zh-HK" and strip_tags(source[block.anchor].markup).strip():  # fields stay as they are
            assert not re.search(r"[A-Za-z]{2,}", strip_tags(block.markup)), block.anchor


def test_rich_document_reads_every_area() -> None:
    doc = load_document(CORPUS / "generated" / "rich_word.docx")
    kinds = {b.kind.value for b in doc.text_blocks}
    assert {"heading", "paragraph", "list_item", "table_cell", "header", "footer", "text_box", "footnote", "endnote",
            "comment"} <= kinds
    by = {b.anchor: b for b in doc.blocks}
    assert by["p:4"].markup == "The department <b>manages</b> sixty-eight <1>public libraries</1> across Hong Kong.<2/>"
    assert by["footer:1:p:1"].markup == "Page <1/>"  # the PAGE field stays a field
    assert by["p:2"].markup == "<1/>"  # a table of contents is not translated
    assert by["textbox:1"].text.startswith("Key fact")
    assert "t:1:r2:c2:t:1:r1:c1" in by  # nested table
    assert not any(s.startswith(("text boxes", "footnotes", "comments")) for s in doc.skipped)


def test_formatting_lands_on_the_translated_words(tmp_path: Path) -> None:
    src = CORPUS / "generated" / "rich_word.docx"
    run(src, tmp_path / "out.docx")
    d = docx.Document(str(tmp_path / "out.docx"))
    intro = d.paragraphs[3]
    bold = [r.text for r in intro.runs if r.bold]
    assert bold == ["譯"]  # "manages" -> one bold run holding its translation
    assert len(intro.runs) == 6  # the seven source runs, Word-fragmented, merged: 5 text spans + the note mark
    assert intro._p.findall(".//" + docx.oxml.ns.qn("w:footnoteReference"))
    link = d.paragraphs[5]._p.findall(docx.oxml.ns.qn("w:hyperlink"))
    assert len(link) == 1 and "譯" in "".join(t.text or "" for t in link[0].iter(docx.oxml.ns.qn("w:t")))


class DroppingModel:
    """Answers without any tag (as a small model may), or with broken ones."""

    def __init__(self, broken: bool) -> None:
        self.broken = broken

    def __call__(self, messages: list[Message]) -> str:
        text = fake_translate(source_text(messages))
        if self.broken:
            return text.replace("</1>", "").replace("<2/>", "<9/>") + "</b><7>"
        return _TAG.sub("", text)


@pytest.mark.parametrize("broken", [False, True], ids=["dropped", "broken"])
def test_model_losing_tags_falls_back_safely(tmp_path: Path, broken: bool) -> None:
    src = CORPUS / "generated" / "rich_word.docx"
    eng = engine(DroppingModel(broken))
    events = run(src, tmp_path / "out.docx", eng=eng)
    notices = [e.render() for e in events if isinstance(e, Notice)]
    assert any("put back" in n for n in notices)  # note marks and the PAGE field were restored
    if not broken:
        assert any("formatting" in n for n in notices)
    comparison = fidelity.compare(src, tmp_path / "out.docx")
    # Nothing is lost: formatting the model dropped comes back (tasks/tag_recovery.py), and
    # notes, fields, pictures, tables and text boxes stay.
    assert comparison.lost == [], comparison.lost
    if not broken:
        assert any("phrase by phrase" in n for n in notices)
    fresh, out = docx.Document(str(src)), docx.Document(str(tmp_path / "out.docx"))
    assert [p.style.name for p in out.paragraphs] == [p.style.name for p in fresh.paragraphs]
    # every tagged paragraph was asked twice (the second time more plainly), then accepted
    assert len(eng.requests) > len(load_document(src).text_blocks)


@pytest.mark.parametrize("layout", ["side-by-side", "interleaved"])
def test_bilingual_layouts(tmp_path: Path, layout: str) -> None:
    src = CORPUS / "generated" / "rich_word.docx"
    out = tmp_path / f"{layout}.docx"
    run(src, out, layout=layout)
    comparison = fidelity.compare(src, out)
    assert comparison.lost == []  # headings and list items counted in the table too
    if layout == "interleaved":
        assert "fields" not in comparison.changed  # the table of contents is not repeated above itself
    texts = [b.text for b in load_document(out).text_blocks]
    assert "Opening hours will be extended on public holidays2." in " ".join(texts)  # the source is there
    assert any(t.startswith("譯") for t in texts)  # and so is the translation
    d = docx.Document(str(out))
    if layout == "side-by-side":
        assert len(d.tables[0].columns) == 2 and len(d.sections) == 2
    else:
        assert len(d.paragraphs) > len(docx.Document(str(src)).paragraphs)


@pytest.mark.parametrize("name", ["report_en.pdf", "report_zh.pdf", "rich_libreoffice.pdf", "rich_libreoffice_zh.pdf"])
def test_pdf_to_docx_and_pdf(tmp_path: Path, name: str) -> None:
    src = next(CORPUS.glob(f"*/{name}"))
    doc = load_document(src)
    assert doc.text_blocks
    if name.startswith("report"):
        assert not any("Consultation" in b.text or "諮詢 —" in b.text for b in doc.blocks if len(b.text) < 60)  # running header
        assert len(doc.blocks) == 18  # six paragraphs a page, wrapped lines joined
    target = "en" if "zh" in name else "zh-HK"
    for suffix in (".docx", ".pdf"):
        out = tmp_path / f"out{suffix}"
        run(src, out, target)
        back = load_document(out)
        if suffix == ".docx":
            assert len(back.text_blocks) == len(doc.text_blocks) + bool(doc.meta.title)  # + the title
        joined = "".join(b.text for b in back.text_blocks)
        assert ("譯" in joined) if target == "zh-HK" else ("tr" in joined and "\x00" not in joined)


def test_pdf_side_by_side(tmp_path: Path) -> None:
    out = tmp_path / "bilingual.pdf"
    run(CORPUS / "generated" / "report_zh.pdf", out, "en", layout="side-by-side")
    text = "".join(b.text for b in load_document(out).blocks)
    assert "政府今日宣布" in text and "tr" in text


def test_workbook_keeps_formulas_numbers_and_merges(tmp_path: Path) -> None:
    src = CORPUS / "generated" / "budget.xlsx"
    out = tmp_path / "out.xlsx"
    run(src, out)
    comparison = fidelity.compare(src, out)
    assert comparison.lost == [] and comparison.source.counts["formulas"] == 1
    with pytest.raises(UsageError):
        run(src, tmp_path / "out2.xlsx", layout="side-by-side")


def test_glossary_sheet() -> None:
    pairs = read_glossary_sheet(CORPUS / "generated" / "budget.xlsx", sheet="Glossary")
    assert pairs == [("Chief Executive", "行政長官"), ("Legislative Council", "立法會")]
    with pytest.raises(DocumentError):
        read_glossary_sheet(CORPUS / "generated" / "budget.xlsx", sheet="Missing")
    with pytest.raises(DocumentError):
        read_glossary_sheet(CORPUS / "bad" / "zip-bomb.docx")


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_file_is_a_typed_error_quickly(path: Path) -> None:
    before = sha(path)
    start = time.monotonic()
    with pytest.raises(DocumentError):
        load_document(path)
    with pytest.raises(DocumentError):
        fidelity.inspect(path)
    assert time.monotonic() - start < 10
    assert sha(path) == before

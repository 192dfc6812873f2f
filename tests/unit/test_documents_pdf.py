"""The PDF reader on files made here with fpdf2 and pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from lxml import etree
from pypdf import PdfReader, PdfWriter, apply_configuration, get_configuration
from pypdf.errors import DependencyError, DeprecationError, PdfReadError

from hkpilot.documents import pdf_reader, pdf_text
from hkpilot.documents.loader import load_document
from hkpilot.documents.pdf_reader import read_pdf
from hkpilot.errors import DocumentCorrupt, DocumentEncrypted, DocumentScanned, DocumentTooLarge

WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa".split()


def sentence(seed: int, n: int = 60) -> str:
    words = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(n)]
    return "Start " + " ".join(words) + " end."


class _Report(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", size=9)
        self.cell(0, 8, "Department of Testing - Internal", new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        self.cell(0, 10, f"Page {self.page_no()} of 3", align="C")


def make_report(path: Path, pages: int = 3) -> list[list[str]]:
    """A PDF with a running header and footer; returns the paragraphs written per page."""
    pdf = _Report()
    written: list[list[str]] = []
    for page in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        paras = [sentence(page * 10 + k) for k in range(2)]
        for para in paras:
            pdf.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(5)
        written.append(paras)
    pdf.output(str(path))
    return written


def encrypt(src: Path, dst: Path, user: str, owner: str, algorithm: str | None = None) -> None:
    writer = PdfWriter()
    writer.append(PdfReader(src))
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    with open(dst, "wb") as f:
        writer.write(f)


def test_multi_page_paragraphs_without_running_header(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    written = make_report(path)
    doc = load_document(path)
    assert doc.format == "pdf" and doc.meta.page_count == 3
    got = {b.anchor: b.text for b in doc.blocks}
    expected = {f"page:{p}:para:{k}": text for p, paras in enumerate(written, 1) for k, text in enumerate(paras, 1)}
    assert got == expected  # wrapped lines joined, header and "Page N of 3" dropped
    assert all(b.page == int(b.anchor.split(":")[1]) for b in doc.blocks)


def test_running_header_kept_with_two_pages(tmp_path: Path) -> None:
    path = tmp_path / "short.pdf"
    make_report(path, pages=2)
    texts = [b.text for b in read_pdf(path).blocks]
    assert any("Department of Testing" in t for t in texts)


@pytest.mark.parametrize("algorithm", [None, "AES-256"])
def test_encrypted_pdf_needs_its_password(tmp_path: Path, algorithm: str | None) -> None:
    plain = tmp_path / "plain.pdf"
    written = make_report(plain, pages=1)
    locked = tmp_path / "locked.pdf"
    encrypt(plain, locked, user="secret", owner="owner", algorithm=algorithm)
    with pytest.raises(DocumentEncrypted):
        load_document(locked)
    with pytest.raises(DocumentEncrypted):
        load_document(locked, password="wrong")
    doc = load_document(locked, password="secret")
    assert written[0][0] in [b.text for b in doc.blocks]


def test_owner_password_only_opens_without_password(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    written = make_report(plain, pages=1)
    locked = tmp_path / "owner.pdf"
    encrypt(plain, locked, user="", owner="owner")
    assert PdfReader(locked).is_encrypted
    assert written[0][0] in [b.text for b in load_document(locked).blocks]


def _rectangle_pdf(path: Path, pages: int = 1) -> None:
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))


def test_pdf_without_text_layer_is_scanned(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    _rectangle_pdf(path, pages=2)
    with pytest.raises(DocumentScanned):
        load_document(path)


def test_ocr_hook_supplies_page_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "scan.pdf"
    _rectangle_pdf(path, pages=2)
    seen: list[Path] = []

    def ocr(p: Path) -> list[str]:
        seen.append(p)
        return ["Text found by OCR.", ""]

    monkeypatch.setattr(pdf_reader, "OCR_HOOK", ocr)
    doc = load_document(path)
    assert seen == [path]
    assert [(b.anchor, b.text) for b in doc.blocks] == [("page:1:para:1", "Text found by OCR.")]
    assert any(s.startswith("pages read by OCR") for s in doc.skipped)


def test_page_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "three.pdf"
    make_report(path)
    with pytest.raises(DocumentTooLarge):
        read_pdf(path, max_pages=2)
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    with pytest.raises(DocumentTooLarge):
        load_document(path)
    assert len(load_document(path, max_pages=3).blocks) == 6
    monkeypatch.setattr(pdf_reader, "MAX_BYTES", 100)
    with pytest.raises(DocumentTooLarge):
        load_document(path, max_pages=3)


def test_jbig2dec_is_never_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "one.pdf"
    make_report(path, pages=1)
    seen: list[object] = []
    original = pdf_reader.page_text

    def spy(page: object) -> str:
        seen.append(get_configuration().jbig2dec_binary)
        return original(page)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_reader, "page_text", spy)
    with apply_configuration(jbig2dec_binary="/usr/local/bin/jbig2dec"):  # as if it were installed
        read_pdf(path)
    assert seen == [None]


def test_broken_page_is_noted_and_the_rest_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.pdf"
    make_report(path)
    original = pdf_reader.page_text
    calls = {"n": 0}

    def flaky(page: object) -> str:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RecursionError("deep")
        return original(page)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_reader, "page_text", flaky)
    doc = read_pdf(path)
    assert {b.page for b in doc.blocks} == {1, 3}
    assert "pages that could not be read: 1" in doc.skipped


def test_garbled_text_is_noted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.pdf"
    make_report(path)
    monkeypatch.setattr(pdf_reader, "page_text", lambda page: "Readable words \ue000\ue001\ue002\ufffd\ufffd here")
    doc = read_pdf(path)
    assert any(s.startswith("pages whose text may be garbled") and s.endswith(": 3") for s in doc.skipped)


def _xml_error() -> Exception:
    try:
        etree.fromstring(b"<broken")
    except etree.XMLSyntaxError as exc:
        return exc
    raise AssertionError("lxml accepted broken XML")


@pytest.mark.parametrize(
    "exc",
    [
        DependencyError("jbig2dec"),
        DeprecationError("old"),
        PdfReadError("bad xref"),
        RecursionError(),
        AssertionError(),
        TypeError("x"),
        OSError("x"),
        LookupError("x"),
        KeyError("x"),
        ValueError("x"),
        _xml_error(),
    ],
)
def test_every_parser_exception_becomes_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: Exception) -> None:
    path = tmp_path / "report.pdf"
    make_report(path, pages=1)

    def boom(*args: object, **kwargs: object) -> None:
        raise exc

    monkeypatch.setattr(pdf_reader, "PdfReader", boom)
    with pytest.raises(DocumentCorrupt):
        load_document(path)


def test_memory_error_is_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.pdf"
    make_report(path, pages=1)

    def boom(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(pdf_reader, "PdfReader", boom)
    with pytest.raises(DocumentTooLarge):
        load_document(path)


def test_paragraph_rebuilding_rules() -> None:
    long_line = "The quick brown fox jumps over the lazy dog and then keeps on run-"
    assert pdf_text.paragraphs([long_line, "ning far away."]) == [
        "The quick brown fox jumps over the lazy dog and then keeps on running far away."
    ]
    assert pdf_text.paragraphs(["這是一段相當長的中文句子，用來測試換行時的合併規則，", "在下一行繼續。"]) == [
        "這是一段相當長的中文句子，用來測試換行時的合併規則，在下一行繼續。"
    ]
    assert pdf_text.paragraphs(["• first item in a list of things to do today", "• second item"]) == [
        "• first item in a list of things to do today",
        "• second item",
    ]
    lines = ["Introduction", "This paragraph starts here and is long enough to set the width.", "", "Next."]
    assert pdf_text.paragraphs(lines) == [
        "Introduction",
        "This paragraph starts here and is long enough to set the width.",
        "Next.",
    ]
    assert pdf_text.paragraphs(["a line that wraps because it is long enough", "and continues in lower case"]) == [
        "a line that wraps because it is long enough and continues in lower case"
    ]


def test_furniture_needs_three_pages_and_a_majority() -> None:
    pages = [["Confidential", f"Body {i} text", f"- {i} -"] for i in range(1, 5)]
    assert pdf_text.repeated_furniture(pages) == {"confidential", "- # -"}
    assert pdf_text.repeated_furniture(pages[:2]) == set()
    assert pdf_text.drop_furniture(pages[0], {"confidential", "- # -"}) == ["Body 1 text"]
    one_line_pages = [["Same line on every page"]] * 4
    assert pdf_text.repeated_furniture(one_line_pages) == set()  # the body is never all furniture
    assert pdf_text.garbage_share("ab\ufffd\ue000") == 0.5


def test_a_repeated_line_running_into_the_body_is_not_furniture() -> None:
    """Pages that begin alike ("Part 2: ...", "Part 3: ...") lose their header, never their first line."""
    pages = [
        ["Ferry Review 2024", "", f"Part {i}: the network connects the islands with the", "urban waterfront every day.",
         "", *[f"Body line {k} of page {i}." for k in range(4)], "", f"Page {i} of 4"]
        for i in range(1, 5)
    ]
    furniture = pdf_text.repeated_furniture(pages)
    assert "part #: the network connects the islands with the" in furniture  # repeated, and at the edge...
    kept = pdf_text.drop_furniture(pages[1], furniture)
    assert kept == pages[1][1:-1]  # the header and the footer only
    # Without gap information (no blank lines) the older rule stands: edge lines that repeat go
    # (here the first line, and "Body line 3 of page #." above the footer, too).
    flat = [ln for ln in pages[1] if ln]
    assert pdf_text.drop_furniture(flat, furniture) == flat[2:-2]


def test_pdf_translated_into_pdf_keeps_its_pages(tmp_path: Path) -> None:
    from hkpilot.documents.fidelity import compare
    from hkpilot.documents.translated_output import write_translated

    src = tmp_path / "report.pdf"
    make_report(src)
    doc = load_document(src)
    assert doc.meta.page_count == 3
    for layout in ("replace", "interleaved", "side-by-side"):
        out = tmp_path / f"{layout}.pdf"
        write_translated(doc, {b.anchor: "譯" * 20 for b in doc.text_blocks}, out, layout)
        back = load_document(out)
        assert back.meta.page_count is not None and back.meta.page_count >= 3
        first_on_page = {b.page: b.text for b in reversed(back.blocks)}
        assert set(first_on_page) >= {1, 2, 3}
        assert compare(src, out).lost == []


@pytest.mark.parametrize(
    "name", ["xref-wrong-offsets.pdf", "startxref-wrong.pdf", "no-root.pdf", "xref-prev-loop.pdf", "parent-cycle.pdf",
             "object-stream-self.pdf"])
def test_a_pdf_readable_only_by_repair_is_refused(name: str) -> None:
    from hkpilot.errors import DocumentStructureDamaged

    with pytest.raises(DocumentStructureDamaged):
        load_document(Path(__file__).resolve().parent.parent / "corpus" / "bad" / name)


def test_an_unused_object_at_offset_zero_is_not_damage(tmp_path: Path) -> None:
    """Sound files from some producers (a binary comment after the header, then an object
    listed "in use" at offset 0) make pypdf warn that it ignores that object; no damage."""
    import io

    from tests.corpus.build_corpus import _good_pdf

    buf = io.BytesIO()
    buf.write(b"%PDF-1.3\n%\xc4\xe5\xf2\xe5\n")
    offsets = []
    for i, body in enumerate(_good_pdf(), 1):
        offsets.append(buf.tell())
        buf.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    at = buf.tell()
    rows = b"".join(b"%010d 00000 n \n" % o for o in [*offsets, 0])
    buf.write(b"xref\n0 7\n0000000000 65535 f \n" + rows + b"trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % at)
    (tmp_path / "zero.pdf").write_bytes(buf.getvalue())
    with pytest.MonkeyPatch.context() as m:
        seen: list[str] = []
        m.setattr(pdf_reader._RepairWatch, "emit", lambda self, record: seen.append(str(record.msg)))
        load_document(tmp_path / "zero.pdf")
        assert any(msg.startswith("Ignoring wrong pointing object") for msg in seen)  # the case is there
    assert [b.text for b in load_document(tmp_path / "zero.pdf").blocks] == ["Hello"]

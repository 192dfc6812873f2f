"""Build the document corpus in tests/corpus (run from the repository root):

    .venv/bin/python -m tests.corpus.build_corpus [--libreoffice]

``generated/``: Word documents marked up as Word writes them (build_rich.py), English and
Chinese PDFs (fpdf2, with the CJK font HKPilot embeds), a workbook and a glossary sheet.
``libreoffice/``: the same Word documents opened and saved again by LibreOffice, and PDFs
exported by it (needs ``soffice``: Debian's libreoffice-writer-nogui; the files are kept
in git so the tests do not need it). ``bad/``: broken and hostile files.
``word/`` holds documents made by Microsoft Word, taken from python-docx's test suite
(MIT licence, see word/LICENSE); it is not rebuilt here.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

import openpyxl
from fpdf import FPDF

from hkpilot.documents.pdf_writer import find_cjk_font
from tests.corpus.build_rich import build_rich

ROOT = Path(__file__).resolve().parent
EN_PARAS = [
    "The Government announced today that the public consultation on the review of library services "
    "will start next Monday and last for three months. Members of the public are welcome to give their views.",
    "Consultation documents can be obtained from all public libraries and district offices, or downloaded "
    "from the department's website. Written submissions should reach the department on or before 30 June.",
    "A spokesman said the review aims to make library services more convenient for the elderly and for "
    "people with disabilities, and to extend opening hours in districts with growing demand.",
]
ZH_PARAS = [
    "政府今日宣布，圖書館服務檢討的公眾諮詢將於下星期一展開，為期三個月。歡迎市民發表意見。",
    "市民可在各公共圖書館及民政事務處索取諮詢文件，或在本署網頁下載。書面意見須於六月三十日或之前送達本署。",
    "發言人表示，檢討旨在令長者及殘疾人士使用圖書館服務更方便。檢討亦會研究延長需求上升地區的開放時間。",
]


class _Report(FPDF):
    running = ""

    def header(self) -> None:
        self.set_font(self.font_family, size=9)
        self.cell(0, 8, self.running, new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(self.font_family, size=9)
        self.cell(0, 10, f"- {self.page_no()} -", align="C")


def build_pdf(path: Path, paras: list[str], running: str, pages: int = 3, chinese: bool = False) -> Path:
    pdf = _Report()
    if chinese:
        font = find_cjk_font()
        assert font is not None, "no CJK font"
        pdf.add_font("cjk", fname=str(font))
        pdf.set_font("cjk", size=11)
    else:
        pdf.set_font("Helvetica", size=11)
    pdf.running = running
    for page in range(pages):
        pdf.add_page()
        pdf.set_font_size(11)
        for k in range(2 * len(paras)):
            # No line repeated on most pages: that is what running headers and footers do.
            text = _reordered(paras[(page + k) % len(paras)], page * 7 + k, chinese)
            if k == 0:
                text = ("甲乙丙丁戊"[page % 5] + "部：" if chinese else f"Part {'ABCDE'[page % 5]}: ") + text
            pdf.multi_cell(0, 6, text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(5)
    pdf.output(str(path))
    return path


def _reordered(text: str, seed: int, chinese: bool) -> str:
    """The paragraph's sentences in another order (a different paragraph, the same words)."""
    mark = "。" if chinese else ". "
    parts = [p for p in text.split(mark) if p.strip()]
    k = seed % len(parts)
    joined = mark.join(parts[k:] + parts[:k]).strip().rstrip(".")
    return joined + ("。" if chinese else ".") if not joined.endswith(("。", ".")) else joined


def build_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["Item", "Amount", "Note"])
    ws.append(["Books", 1200, "New titles for the children's section"])
    ws.append(["Computers", 800, "Replacement of old machines"])
    ws.append(["Total", "=SUM(B2:B3)", "Approved by the committee"])
    ws["A1"].font = openpyxl.styles.Font(bold=True)
    ws.merge_cells("C5:D5")
    ws["C5"] = "Figures in thousands of dollars"
    terms = wb.create_sheet("Glossary")
    for row in (("English", "中文"), ("Chief Executive", "行政長官"), ("Legislative Council", "立法會")):
        terms.append(row)
    wb.save(path)
    return path


def build_bad(folder: Path) -> None:
    """Broken and hostile files; each must give a typed error quickly."""
    folder.mkdir(parents=True, exist_ok=True)
    good = build_rich(Path(tempfile.mkdtemp()) / "good.docx")
    data = good.read_bytes()
    (folder / "zero-byte.docx").write_bytes(b"")
    (folder / "zero-byte.pdf").write_bytes(b"")
    (folder / "truncated.docx").write_bytes(data[: len(data) // 2])
    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (4, 4)).save(png, format="PNG")
    (folder / "really-a-png.docx").write_bytes(png.getvalue())
    (folder / "plain-zip.docx").write_bytes(_zip({"hello.txt": b"hi"}))
    ole = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    name = "EncryptionInfo".encode("utf-16-le")
    ole[1536 : 1536 + len(name)] = name
    (folder / "password-protected.docx").write_bytes(bytes(ole))
    (folder / "password-protected.xlsx").write_bytes(bytes(ole))
    with zipfile.ZipFile(good) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
        with zf.open("word/media/zeros.bin", "w", force_zip64=True) as f:
            for _ in range(300):
                f.write(bytes(1 << 20))
    (folder / "zip-bomb.docx").write_bytes(bomb.getvalue())
    laughs = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{i} "{"".join(f"&l{i - 1};" for _ in range(10))}">' for i in range(1, 10)]
    evil = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{"".join(laughs)}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    (folder / "xml-bomb.docx").write_bytes(_zip({**parts, "word/document.xml": evil}))
    _bad_pdfs(folder)
    build_more_bad(folder, good)


def build_more_bad(folder: Path, good: Path) -> None:
    """Cases added after a review with unseen files: names that lie about the format, a
    damaged CRC, an external entity, a bomb in a workbook, and PDFs readable only by
    rebuilding their structure (which must be refused, not silently repaired)."""
    data = good.read_bytes()
    pdf = _pdf(_good_pdf())
    (folder / "really-a-pdf.docx").write_bytes(pdf)
    (folder / "really-text.docx").write_bytes(b"Dear colleagues,\nthis memo is plain text.\n")
    book = build_workbook(Path(tempfile.mkdtemp()) / "book.xlsx")
    (folder / "really-a-workbook.docx").write_bytes(book.read_bytes())
    (folder / "really-a-docx.pdf").write_bytes(data)
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("word/document.xml")
        parts = {n: zf.read(n) for n in zf.namelist()}
    damaged = bytearray(data)
    start = info.header_offset + 30 + len(info.filename) + 64
    damaged[start : start + 24] = bytes(b ^ 0x5A for b in damaged[start : start + 24])
    (folder / "bad-crc.docx").write_bytes(bytes(damaged))
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xxe = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document {ns}>'
           "<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>").encode()
    (folder / "external-entity.docx").write_bytes(_zip({**parts, "word/document.xml": xxe}))
    with zipfile.ZipFile(book) as zf:
        book_parts = {n: zf.read(n) for n in zf.namelist()}
    laughs = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    sheet = (f'<?xml version="1.0"?><!DOCTYPE worksheet [{laughs}]>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
             '<c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>').encode()
    (folder / "xml-bomb.xlsx").write_bytes(_zip({**book_parts, "xl/worksheets/sheet1.xml": sheet}))
    shifted = pdf.split(b"xref\n", 1)
    offsets = shifted[1].split(b"trailer", 1)
    table = b"\n".join(
        (b"%010d%s" % (int(line[:10]) + 37, line[10:]) if line.endswith(b" n ") else line) for line in offsets[0].split(b"\n")
    )
    (folder / "xref-wrong-offsets.pdf").write_bytes(shifted[0] + b"xref\n" + table + b"trailer" + offsets[1])
    cut = pdf.rfind(b"startxref")
    (folder / "startxref-wrong.pdf").write_bytes(pdf[:cut] + b"startxref\n123456\n%%EOF\n")
    (folder / "no-root.pdf").write_bytes(pdf.replace(b"/Root 1 0 R", b""))
    xref_at = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    (folder / "xref-prev-loop.pdf").write_bytes(pdf.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Prev %d >>" % xref_at))
    parents = [*_good_pdf(), b"<< /Type /Pages /Kids [7 0 R] /Parent 6 0 R /Count 1 >>",
               b"<< /Type /Pages /Kids [3 0 R] /Parent 6 0 R /Count 1 >>"]
    parents[1] = b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>"
    parents[2] = parents[2].replace(b"/Parent 2 0 R", b"/Parent 7 0 R")
    (folder / "parent-cycle.pdf").write_bytes(_pdf(parents))
    (folder / "object-stream-self.pdf").write_bytes(_objstm_in_itself())
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(pdf)).pages[0])
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    (folder / "encrypted.pdf").write_bytes(out.getvalue())


def _objects(header: bytes, objs: list[bytes]) -> tuple[io.BytesIO, list[int]]:
    """A PDF's header and numbered objects; the buffer and each object's offset."""
    buf = io.BytesIO()
    buf.write(header)
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(buf.tell())
        buf.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    return buf, offsets


def _objstm_in_itself() -> bytes:
    """A PDF whose xref stream says object 6 lives inside object stream 6."""
    objs = [*_good_pdf(), _stream(b"6 0 << >>", b"/Type /ObjStm /N 1 /First 4")]
    buf, offsets = _objects(b"%PDF-1.5\n", objs)
    xref_at = buf.tell()
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"] + [b"\x01" + o.to_bytes(4, "big") + b"\x00\x00" for o in offsets[:5]]
    rows += [b"\x02\x00\x00\x00\x06\x00\x00", b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00"]
    data = b"".join(rows)
    buf.write(b"8 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(data) + data
              + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return buf.getvalue()


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    return buf.getvalue()


def _pdf(objs: list[bytes], xref_ok: bool = True) -> bytes:
    buf, offsets = _objects(b"%PDF-1.7\n", objs)
    xref = buf.tell()
    buf.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for o in offsets:
        buf.write(f"{o if xref_ok else o * 7 + 3:010d} 00000 n \n".encode())
    buf.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return buf.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _good_pdf() -> list[bytes]:
    """The objects of a one-page PDF saying "Hello" (catalog, pages, page, content, font)."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
    return [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page,
            _stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"), b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]


def _bad_pdfs(folder: Path) -> None:
    good = _good_pdf()
    font = good[4]
    (folder / "no-xref.pdf").write_bytes(_pdf(good).split(b"xref\n0")[0] + b"startxref\n999999\n%%EOF\n")
    loop = list(good)
    loop[1] = b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>"
    (folder / "page-tree-loop.pdf").write_bytes(_pdf(loop))
    cycle = [*good, b"<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>"]
    cycle[1] = b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>"
    (folder / "page-tree-cycle.pdf").write_bytes(_pdf(cycle))
    length = list(good)
    length[3] = b"<< /Length 4 0 R >>\nstream\nBT ET\nendstream"
    (folder / "length-loop.pdf").write_bytes(_pdf(length))
    z = zlib.compressobj(9)
    body = b"".join(z.compress(b" " * (1 << 20)) for _ in range(400)) + z.flush()
    bomb = list(good)
    bomb[3] = _stream(body, b"/Filter /FlateDecode")
    (folder / "flate-bomb.pdf").write_bytes(_pdf(bomb))
    deep = list(good)
    deep[4] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /X " + b"[" * 50000 + b"]" * 50000 + b" >>"
    (folder / "deep-nesting.pdf").write_bytes(_pdf(deep))
    (folder / "truncated.pdf").write_bytes(_pdf(good)[:200])
    (folder / "scanned.pdf").write_bytes(_pdf([*good[:3], _stream(b"q 10 0 0 10 0 0 cm Q"), font]))


def libreoffice(sources: list[Path], folder: Path, fmt: str) -> None:
    """Let LibreOffice open each file and write it as ``fmt`` (docx, pdf) into ``folder``."""
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("soffice not found: apt-get install libreoffice-writer-nogui")
    folder.mkdir(parents=True, exist_ok=True)
    fonts = Path.home() / ".local/share/fonts"  # LibreOffice finds the CJK font through fontconfig
    font = find_cjk_font()
    if font is not None and not (fonts / font.name).exists():
        fonts.mkdir(parents=True, exist_ok=True)
        shutil.copy(font, fonts / font.name)
    target = "docx:MS Word 2007 XML" if fmt == "docx" else fmt
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", target,
             "--outdir", tmp, *map(str, sources)],
            check=True, capture_output=True, timeout=300,
        )
        for src in sources:
            made = Path(tmp) / f"{src.stem}.{fmt}"
            shutil.copy(made, folder / f"{src.stem.replace('word', 'libreoffice')}.{fmt}")


def main() -> None:
    gen = ROOT / "generated"
    gen.mkdir(exist_ok=True)
    rich = [build_rich(gen / "rich_word.docx"), build_rich(gen / "rich_word_zh.docx", chinese=True)]
    build_pdf(gen / "report_en.pdf", EN_PARAS, "Library Services Review - Consultation")
    build_pdf(gen / "report_zh.pdf", ZH_PARAS, "圖書館服務檢討 — 公眾諮詢", chinese=True)
    build_workbook(gen / "budget.xlsx")
    build_bad(ROOT / "bad")
    if "--libreoffice" in sys.argv:
        libreoffice(rich, ROOT / "libreoffice", "docx")
        libreoffice(rich, ROOT / "libreoffice", "pdf")


if __name__ == "__main__":
    main()

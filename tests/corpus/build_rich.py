"""Build Word documents with every feature translation must keep, marked up as Word writes them.

python-docx gives the skeleton; the rest is the raw WordprocessingML Word itself emits:
runs split by revision ids and proofing marks, hyperlinks, a PAGE field in the footer, a
table of contents field, footnotes and endnotes parts (with Word's separator notes), a
text box in ``mc:AlternateContent`` with its VML fallback copy, a comment, a nested
table, an inline picture, a bookmark, a numbered list and a second section.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from PIL import Image

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)

ENGLISH = {
    "title": "Annual Report on Public Libraries",
    "intro": ("The department ", "manages", " sixty-eight ", "public libraries", " across Hong Kong."),
    "hours": "Opening hours will be extended on public holidays.",
    "note1": "Figures as at 31 March 2024.",
    "note2": "Including mobile libraries.",
    "endnote": "Source: Leisure and Cultural Services Department.",
    "box": ("Key fact: ", "over four million", " items were borrowed last year."),
    "comment": "Please check this figure with the finance team.",
    "cell": ("District", "Libraries", "Central and Western", "Six libraries serve the district."),
    "inner": ("Opening", "Weekdays"),
    "list": ("Borrow up to eight items.", "Return items at any library."),
    "header": "Internal document",
    "footer": "Page ",
    "link": "the library website",
    "section2": "The second section starts on a new page.",
}
CHINESE = {
    "title": "公共圖書館年報",
    "intro": ("本署", "管理", "六十八間", "公共圖書館", "，遍佈全港。"),
    "hours": "公眾假期的開放時間將會延長。",
    "note1": "數字截至二〇二四年三月三十一日。",
    "note2": "包括流動圖書館。",
    "endnote": "資料來源：康樂及文化事務署。",
    "box": ("重要數據：", "超過四百萬", "項資料於去年借出。"),
    "comment": "請與財務組核對此數字。",
    "cell": ("地區", "圖書館", "中西區", "六間圖書館服務本區。"),
    "inner": ("開放", "平日"),
    "list": ("最多可借八項資料。", "可於任何圖書館歸還資料。"),
    "header": "內部文件",
    "footer": "第",
    "link": "圖書館網頁",
    "section2": "第二節由新一頁開始。",
}


def _png() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buf, format="PNG")
    buf.seek(0)
    return buf


def _r(text: str, props: str = "", rsid: str = "00A1B2C3") -> str:
    return f'<w:r w:rsidR="{rsid}"><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _append(p: Paragraph, xml: str) -> None:
    for el in parse_xml(f"<w:wrap {NS}>{xml}</w:wrap>"):
        p._p.append(el)


def _notes_part(d: docx.document.Document, kind: str, texts: list[str]) -> None:
    tag = kind  # footnote / endnote
    body = [
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>',
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>',
    ]
    ref_style = "FootnoteReference" if kind == "footnote" else "EndnoteReference"
    for i, text in enumerate(texts, 1):
        body.append(
            f'<w:{tag} w:id="{i}"><w:p><w:pPr><w:pStyle w:val="{kind.title()}Text"/></w:pPr>'
            f'<w:r><w:rPr><w:rStyle w:val="{ref_style}"/></w:rPr><w:{tag}Ref/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{tag}>'
        )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{tag}s {NS}>{"".join(body)}</w:{tag}s>'
    ct, rt = (CT.WML_FOOTNOTES, RT.FOOTNOTES) if kind == "footnote" else (CT.WML_ENDNOTES, RT.ENDNOTES)
    part = Part(PackURI(f"/word/{kind}s.xml"), ct, xml.encode("utf-8"), d.part.package)
    d.part.relate_to(part, rt)


def _text_box(text: tuple[str, str, str]) -> str:
    inner = (
        "<w:txbxContent><w:p>"
        + _r(text[0])
        + _r(text[1], "<w:b/><w:color w:val=\"C00000\"/>")
        + _r(text[2])
        + "</w:p></w:txbxContent>"
    )
    return (
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="2743200" cy="640080"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>'
        '<wp:docPr id="501" name="Text Box 1"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2743200" cy="640080"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
        f"<wps:txbx>{inner}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        "</mc:Choice><mc:Fallback><w:pict>"
        '<v:shape id="TextBox1" o:spid="_x0000_s1026" type="#_x0000_t202" style="width:216pt;height:50.4pt" '
        'xmlns:o="urn:schemas-microsoft-com:office:office">'
        f"<v:textbox>{inner}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def _field(instr: str, result: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{result}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def build_rich(path: Path, chinese: bool = False) -> Path:
    """A report with inline formatting, notes, a text box, a comment, tables, fields and sections."""
    t = CHINESE if chinese else ENGLISH
    d = docx.Document()
    d.core_properties.title = t["title"]
    d.add_paragraph(t["title"], style="Title")
    toc = d.add_paragraph()
    _append(toc, _field('TOC \\o "1-3" \\h', "Contents will appear here."))
    heading = d.add_heading(level=1)
    _append(heading, '<w:bookmarkStart w:id="0" w:name="_Toc1"/>' + _r(t["title"][:12]) + '<w:bookmarkEnd w:id="0"/>')

    intro = d.add_paragraph()
    a, b, c, e, f = t["intro"]
    # Word splits one formatting into several runs (revision ids, spell-check marks).
    _append(
        intro,
        _r(a[: max(1, len(a) // 2)], rsid="00112233")
        + '<w:proofErr w:type="spellStart"/>'
        + _r(a[max(1, len(a) // 2):], '<w:lang w:val="en-GB"/>', rsid="00445566")
        + '<w:proofErr w:type="spellEnd"/>'
        + _r(b, "<w:b/><w:bCs/>")
        + _r(c)
        + _r(e, '<w:i/><w:color w:val="1F4E79"/><w:highlight w:val="yellow"/>')
        + _r(f)
        + '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/><w:vertAlign w:val="superscript"/></w:rPr>'
        + '<w:footnoteReference w:id="1"/></w:r>',
    )
    hours = d.add_paragraph()
    run = hours.add_run(t["hours"][:-1])
    run.font.size = Pt(13)
    sup = hours.add_run("2")
    sup.font.superscript = True
    hours.add_run(t["hours"][-1])
    _append(hours, '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/><w:vertAlign w:val="superscript"/></w:rPr>'
                   '<w:footnoteReference w:id="2"/></w:r>')

    link_p = d.add_paragraph("→ ")
    rid = d.part.relate_to("https://www.hkpl.gov.hk/", RT.HYPERLINK, is_external=True)
    _append(link_p, f'<w:hyperlink r:id="{rid}" w:history="1">'
                    + _r(t["link"], '<w:rStyle w:val="Hyperlink"/><w:color w:val="0563C1"/><w:u w:val="single"/>')
                    + "</w:hyperlink>"
                    + _r(" ")
                    + '<w:r><w:rPr><w:rStyle w:val="EndnoteReference"/><w:vertAlign w:val="superscript"/></w:rPr>'
                    + '<w:endnoteReference w:id="1"/></w:r>')
    underline = d.add_paragraph(t["hours"][:6])
    underline.runs[0].underline = True
    underline.add_run(" " + t["hours"][6:])

    box_p = d.add_paragraph()
    _append(box_p, _text_box(t["box"]))
    commented = d.add_paragraph()
    crun = commented.add_run(t["list"][0])
    crun.font.color.rgb = RGBColor(0x70, 0x30, 0xA0)
    d.add_comment([crun], text=t["comment"], author="Reviewer", initials="RV")

    table = d.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    for (row, col), text in zip(((0, 0), (0, 1), (1, 0), (1, 1)), t["cell"], strict=True):
        cell = table.cell(row, col)
        cell.text = text
        if row == 0:
            cell.paragraphs[0].runs[0].bold = True
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = t["inner"]
    table.cell(1, 1).add_paragraph("")

    for item in t["list"]:
        d.add_paragraph(item, style="List Number")
    d.add_paragraph().add_run().add_picture(_png())

    section = d.sections[0]
    section.header.paragraphs[0].text = t["header"]
    footer = section.footer.paragraphs[0]
    footer.text = t["footer"]
    _append(footer, _field("PAGE", "1"))
    d.add_section()
    d.add_paragraph(t["section2"])

    _notes_part(d, "footnote", [t["note1"], t["note2"]])
    _notes_part(d, "endnote", [t["endnote"]])
    d.save(str(path))
    return path


def build_big(path: Path, pages: int = 200) -> Path:
    """A long plain report (about ten paragraphs a page) for the extraction benchmark."""
    d = docx.Document()
    sentence = "The department reviewed the services of every district and reported to the committee in detail. "
    for page in range(pages):
        d.add_heading(f"Part {page + 1}", level=2)
        for k in range(9):
            p = d.add_paragraph(sentence * 2)
            p.runs[0].bold = k % 3 == 0
    d.save(str(path))
    return path

"""Inline tags: making them from runs, reading a model's answer, putting runs back."""

from __future__ import annotations

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from hkpilot.documents import docx_rebuild, docx_runs
from hkpilot.documents import inline_markup as im
from hkpilot.tasks.events import Token
from hkpilot.tasks.inline_tags import TagStripper, tags_kept, with_tag_rules


def para(xml: str):  # type: ignore[no-untyped-def]
    d = docx.Document()
    p = d.add_paragraph()
    for el in parse_xml(f'<w:x {nsdecls("w", "r")}>{xml}</w:x>'):
        p._p.append(el)
    return p


def test_parse_tolerates_model_mistakes() -> None:
    pieces = im.parse("a <b>b</b> <1>c <2/> d</i>  <7>e</b>", {"b", "1"}, {"2"})
    assert [(p.text, p.span, p.atom) for p in pieces] == [
        ("a ", "", ""), ("b", "b", ""), (" ", "", ""), ("c ", "1", ""), ("", "", "2"), (" d  e", "1", ""),
    ]
    assert im.strip_tags("<p>x</p> <1>y</1><2/>") == "x y"
    check = im.check("A <b>B</b> <1> </1><2/>", "甲乙")
    assert check.missing_spans == ["b"] and check.missing_atoms == ["2"]  # a blank span may go


def test_runs_with_same_look_merge_and_proofing_marks_are_ignored() -> None:
    p = para(
        '<w:r w:rsidR="1"><w:rPr><w:lang w:val="en-GB"/></w:rPr><w:t xml:space="preserve">Hel</w:t></w:r>'
        '<w:proofErr w:type="spellStart"/><w:r w:rsidR="2"><w:t>lo world</w:t></w:r><w:proofErr w:type="spellEnd"/>'
        '<w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve"> again</w:t></w:r>'
        '<w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t xml:space="preserve">    </w:t></w:r>'
    )
    seg = docx_runs.segment(p._p)
    assert seg is not None and seg.markup == "Hello world<b> again</b><1/>"  # underlined blank kept as it is
    docx_rebuild.apply(p._p, seg, "<1/>你好<b>再次</b>")
    texts = [(r.text, bool(r.bold), bool(r.underline)) for r in p.runs]
    assert texts == [("    ", False, True), ("你好", False, False), ("再次", True, False)]


def test_hyperlink_and_bookmarks_survive_reordering() -> None:
    p = para(
        '<w:bookmarkStart w:id="5" w:name="mark"/><w:r><w:t xml:space="preserve">See </w:t></w:r>'
        '<w:hyperlink r:id="rId9"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>the guide</w:t></w:r></w:hyperlink>'
        '<w:bookmarkEnd w:id="5"/><w:r><w:t xml:space="preserve"> now.</w:t></w:r>'
    )
    seg = docx_runs.segment(p._p)
    assert seg is not None and seg.markup == "See <1>the guide</1> now."
    result = docx_rebuild.apply(p._p, seg, "<1>指南</1>請即參閱。")
    assert result.lost_spans == 0
    link = p._p.find(qn("w:hyperlink"))
    assert link is not None and link.get(qn("r:id")) == "rId9" and "".join(t.text or "" for t in link.iter(qn("w:t"))) == "指南"
    order = [el.tag for el in p._p.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"))]
    assert order == [qn("w:bookmarkStart"), qn("w:bookmarkEnd")]  # an end never precedes its start


def test_literal_tag_text_is_not_tagged() -> None:
    p = para("<w:r><w:t>Type &lt;b&gt; for bold</w:t></w:r>")
    assert docx_runs.segment(p._p) is None  # the plain writer handles it


def test_prompt_rule_check_and_stream_stripping() -> None:
    base = [{"role": "system", "content": "S"}, {"role": "user", "content": "ex"}, {"role": "assistant", "content": "譯"},
            {"role": "user", "content": "A <b>B</b>"}]
    out = with_tag_rules(base, "A <b>B</b>")  # type: ignore[arg-type]
    assert "<b>" in out[0]["content"] and len(out) == 6 and out[-1]["content"] == "A <b>B</b>"
    assert with_tag_rules(base, "plain") == base  # type: ignore[arg-type]
    assert tags_kept("A <b>B</b><1/>", "甲<b>乙</b><1/>") and not tags_kept("A <b>B</b>", "甲乙")
    stripper = TagStripper()
    shown = "".join(stripper.token(Token(t)).text for t in ["你<", "b", ">好</", "b><1", "/>。"])
    assert shown == "你好。"

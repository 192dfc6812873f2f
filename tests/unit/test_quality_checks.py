"""Citations of summaries, format checks of drafts, bilingual consistency, rewrite numbers."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from hkpilot.documents.loader import load_document
from hkpilot.documents.model import Block, BlockKind, Document, DocumentMeta
from hkpilot.engines.base import CancelToken
from hkpilot.tasks.bilingual_check import compare, extract, zh_number
from hkpilot.tasks.citations import ELSEWHERE, IN_CITED, MISSING, TRANSLATED, check_summary, passage
from hkpilot.tasks.draft import DOC_TYPES, LANGS, draft_document
from hkpilot.tasks.events import Finding, Notice, Result
from hkpilot.tasks.format_check import check_format, complete_draft, finish_draft, has_body, load_spec
from hkpilot.tasks.quality import collect, items, report_lines, rewrite_checks, summary_checks
from hkpilot.tasks.summarise import summarise_document
from tests.fakes import ScriptedEngine

ROOT = Path(__file__).resolve().parents[2]


def pdf_like() -> Document:
    texts = {
        "page:1:para:1": "The Tuen Ma Line commenced full operation on 27 June 2021.",
        "page:1:para:2": "It connects Tuen Mun and Wu Kai Sha.",
        "page:2:para:1": "Members of the public may call the 1823 hotline for enquiries.",
    }
    blocks = [Block(a, BlockKind.PARAGRAPH, t, page=int(a.split(":")[1])) for a, t in texts.items()]
    return Document(Path("x.pdf"), "pdf", blocks, DocumentMeta(page_count=2))


def test_points_cite_existing_anchors_and_quotes_are_checked():
    summary = "\n".join([
        "- The line opened on 27 June 2021 [page:1:para:1].",
        '- It "connects Tuen Mun and Wu Kai Sha" [page 1 para 2].',
        '- Enquiries: "call the 1823 hotline" [page:1:para:1]',
        "- A point citing a page that is not there [page:9:para:1]",
        "- A point with no citation at all in this summary.",
        '- Made up: "the line cost $99 billion" [p.2 ¶1], 「市民可致電熱線」 [page:2]',
    ])
    report = check_summary(pdf_like(), summary, coverage=1.0)
    assert [p.anchors for p in report.points[:3]] == [["page:1:para:1"], ["page:1:para:2"], ["page:1:para:1"]]
    assert [p.line for p in report.unknown] == [4] and report.unknown[0].unknown == ["page:9:para:1"]
    assert [p.line for p in report.uncited] == [5]
    assert report.points[5].anchors == ["page:2:para:1"]
    statuses = [(q.line, q.status) for q in report.quotes]
    assert statuses == [(2, IN_CITED), (3, ELSEWHERE), (6, MISSING), (6, TRANSLATED)]
    assert report.quotes[1].found_at == "page:2:para:1"
    assert not report.ok and len(report.unsupported) == 1
    assert report.coverage_line() == "All 2 pages read (3 blocks)."


def test_quotes_are_normalised_and_ellipses_allowed():
    doc = Document(Path("x.docx"), "docx", [Block("p:1", BlockKind.PARAGRAPH, "市民如有查詢，可致電1823熱線。")])
    report = check_summary(doc, "- 「市民如有查询……1823热线」 [p:1]\n- “可致電 1823 熱線” [p1]")
    assert [q.status for q in report.quotes] == [IN_CITED, IN_CITED]
    assert report.ok
    assert "Only 50% of the document was read" in check_summary(doc, "- x [p:1]", coverage=0.5).coverage_line()


def test_passage_resolves_loose_spellings_and_prefixes():
    doc = Document(Path("x.docx"), "docx", [
        Block("p:1", BlockKind.PARAGRAPH, "First."),
        Block("t:1:r1:c1", BlockKind.TABLE_CELL, "Cell A"),
        Block("t:1:r1:c2", BlockKind.TABLE_CELL, "Cell B"),
    ])
    assert passage(doc, "p.1") == "First."
    assert passage(doc, "¶1") == "First."
    assert passage(doc, "t:1") == "Cell A\nCell B"
    assert passage(doc, "t:1:r1:c2") == "Cell B"
    assert passage(doc, "p:7") == ""


def test_summarise_job_result_carries_the_citation_check():
    doc = pdf_like()
    engine = ScriptedEngine(lambda _m: '- Opened on 27 June 2021 [page:1:para:1].\n- "Invented words" [page:5:para:1]')
    events = list(collect(summarise_document(doc, engine, "short", "en", CancelToken()), summary_checks(doc)))
    result = next(e for e in events if isinstance(e, Result))
    [report] = items(result.findings, "citations")
    # The made-up anchor is taken out of the summary and listed; the quote is still looked up.
    assert report.removed == [(2, "page:5:para:1")] and report.unknown == [] and len(report.unsupported) == 1
    assert result.text == '- Opened on 27 June 2021 [page:1:para:1].\n- "Invented words"'
    notices = [e.render() for e in events if isinstance(e, Notice)]
    assert any("not found in the document" in n for n in notices)
    assert any("1 summary points cited paragraphs the document does not have" in n for n in notices)
    text = "\n".join(report_lines(result.findings))
    assert "All 2 pages read" in text and "Invented words" in text and "cited [page:5:para:1]" in text


def test_unknown_anchors_are_taken_out_and_known_ones_kept():
    from hkpilot.tasks.citations import drop_unknown

    summary = "- One [page:1:para:1, page:7:para:2].\n- Two [p.99]\n- Three [Note] [page:2]"
    text, removed = drop_unknown(pdf_like(), summary)
    assert text == "- One [page:1:para:1].\n- Two\n- Three [Note] [page:2]"
    assert removed == [(1, "page:7:para:2"), (2, "p.99")]


def test_bare_citation_lines_go_and_a_citation_that_shares_no_wording_is_flagged():
    from hkpilot.tasks.citations import drop_bare_citations

    doc = pdf_like()
    summary = ("- The Tuen Ma Line opened on 27 June 2021\n  - [page:1:para:2]\n"
               "- It connects Tuen Mun and Wu Kai Sha [page:2:para:1]")
    text = drop_bare_citations(summary)
    assert text == "- The Tuen Ma Line opened on 27 June 2021\n- It connects Tuen Mun and Wu Kai Sha [page:2:para:1]"
    report = check_summary(doc, text)
    assert [(p.line, p.matches) for p in report.mismatched] == [(2, "page:1:para:2")] and not report.ok
    lines = "\n".join(report_lines([Finding("citations", [report])]))
    assert "Line 2: the cited passage [page:2:para:1] shares no wording with the point; it matches [page:1:para:2]" in lines
    assert check_summary(doc, "- It connects Tuen Mun and Wu Kai Sha [page:1:para:2]").ok


def test_figures_of_a_point_are_looked_up_in_its_cited_passage():
    doc = Document(Path("x.docx"), "docx", [
        Block("p:1", BlockKind.PARAGRAPH, "The Government announced on 18 March 2025 a first-phase cost of HK$58.6 billion."),
        Block("p:2", BlockKind.PARAGRAPH, "The Tuen Ma Line carries 860 000 passengers a day, up 12.5 per cent."),
    ])
    summary = "\n".join([
        "- 政府於2025年3月公布首階段成本為586億元 [p:1]",  # month of a date; 586億元 = HK$58.6 billion
        "- 屯馬綫每日載客86萬人次，增加百分之十二點五 [p:2]",  # 86萬 = 860 000; 12.5%
        "- 2025年18月：政府宣佈研究 [p:1]",  # a month that is nowhere
        "- The line carries 860,000 a day from 18 March 2025 [p:2]",  # the date is in p:1, not p:2
        "- Two engines of growth, 3 stages [p:1]",  # small counts are not checked
        "- 屯馬綫每日載客860萬人次 [p:2]",  # 860萬 is 8.6 million, not the 860 000 of the source
    ])
    report = check_summary(doc, summary)
    assert [(f.line, f.kind, f.value, f.status) for f in report.figures] == [
        (3, "month", "2025-18", MISSING), (4, "date", "2025-03-18", ELSEWHERE), (6, "number", "8,600,000", MISSING)]
    assert report.figures[1].found_at == "p:1"
    assert len(report.unsupported_figures) == 2 and not report.ok
    lines = "\n".join(report_lines([Finding("citations", [report])]))
    assert "Line 3: month 2025-18: not found in the document" in lines


BODY = {
    "en": "Thank you for your letter of 3 March 2025 about the opening hours of our offices during the holiday period.\n"
    "Our offices will close at noon on 24 December 2025 and reopen on 29 December 2025 at the usual time.\n"
    "Members of the public may call our hotline 2123 4567 for enquiries or visit our website for details.",
    "zh-HK": "多謝你於2025年3月3日就本署辦事處在假期期間的開放時間來函查詢。\n"
    "本署辦事處將於2025年12月24日中午關閉，並於2025年12月29日如常開放，敬請留意。\n"
    "市民如有查詢，可致電本署熱線2123 4567或瀏覽本署網站，以取得詳情。",
}


@pytest.mark.parametrize("doc_type", DOC_TYPES)
@pytest.mark.parametrize("lang", LANGS)
def test_every_template_completes_a_bare_draft_to_pass_its_own_check(doc_type, lang):
    spec = load_spec(doc_type, lang)
    assert spec.checks, "each type checks something"
    before = check_format(BODY[lang], spec)
    assert not before.ok
    text, report = finish_draft(BODY[lang], doc_type, lang, {"our_ref": "DEV/1/2025"})
    assert report.ok, [i.label() for i in report.missing]
    assert check_format(text, spec).ok
    assert set(report.added) <= set(spec.checks) and report.added
    for line in BODY[lang].splitlines():  # the model's words are all still there
        assert line.split("，")[0][-10:] in text


def test_letter_numbering_follows_the_government_style():
    text = complete_draft(BODY["en"], load_spec("letter", "en"), {"our_ref": "DEV/1/2025", "addressee": "Mr Chan"})
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "Our Ref.: DEV/1/2025" and "Dear Mr Chan," in lines
    body = [line for line in lines if line.startswith(("Thank", "2.", "3."))]
    assert [b[:2] for b in body] == ["Th", "2.", "3."]


def test_format_check_reports_wrong_dates_and_placeholders():
    spec = load_spec("letter", "en")
    report = check_format("Our Ref.: (ref)\nDear Sir,\nOn 03/05/2025 and March 5, 2025 ...\nYours faithfully,", spec)
    assert [i.detail for i in report.missing if i.check == "date" and i.detail] == ["03/05/2025", "March 5, 2025"]
    assert report.placeholders == 1
    zh = check_format("本署檔號：（待定）\n陳先生：\n二〇二五年三月五日\n此致", load_spec("letter", "zh-HK"))
    assert "date" not in {i.check for i in zh.missing}


def test_a_layout_without_any_text_fails_for_want_of_a_body():
    """What the starter model wrote for a Chinese letter: the layout's lines, no text at all."""
    layout = ("本署檔號：（本署檔號）\u3000來函檔號：（來函檔號）\n電話：\u3000傳真：\n（收件人稱謂）：\n（事由）\n"
              "（署長\u3000（某某代行））\n2026年11月23日")
    text, report = finish_draft(layout, "letter", "zh-HK", {})
    assert [i.check for i in report.missing] == ["body"] and "body text" in [i.label() for i in report.missing]
    assert "電話：\n傳真：" in text


def test_a_field_the_person_gave_replaces_what_the_model_wrote_there():
    draft = "本署檔號：12月24日中午關閉\n陳先生：\n本署辦事處將於2025年12月24日中午關閉，敬請留意。\n此致\n2025年12月1日"
    text, _report = finish_draft(draft, "letter", "zh-HK", {"our_ref": "DEV 1/2/3"})
    assert text.splitlines()[0] == "本署檔號：DEV 1/2/3" and "本署檔號：12月" not in text
    memo = finish_draft("Ref.: ABC\nSubject: Test\n" + BODY["en"], "memo", "en", {"ref": "ADM 1/2"})[0]
    assert "Ref.: ADM 1/2" in memo.splitlines() and "ABC" not in memo


def test_labelled_details_and_the_templates_own_lines_are_not_body_text():
    minutes = ("（委員會）第3次會議紀錄\n日期：2025年10月8日下午2時30分\n時間：（時間）\n地點：灣仔一號會議室\n"
               "出席者：何女士、陳先生、李先生")
    assert not has_body(minutes, load_spec("minutes", "zh-HK"))
    legco = ("立法會（題號）題：（題目）\n以下是今日在立法會會議上（議員）的提問和（局長）的答覆：\n"
             "問題：\n（問題）\n答覆：\n主席：\n以「主席：」開始，先引言，再按（一）、（二）、（三）次序逐一回答，用語正式、實事求是。")
    text, report = finish_draft(legco, "legco-reply", "zh-HK", {})
    assert "先引言" not in text and "body" in [i.check for i in report.missing]  # the copied guidance goes
    assert has_body(minutes + "\n1. 工作小組同意採用經修訂的LED照明規格，並於下次會議匯報進度。", load_spec("minutes", "zh-HK"))


def test_draft_tidying_splits_fields_puts_dates_in_the_government_form_and_drops_copied_lines():
    draft = ("### MEMO\nFrom: Head (Admin) | To: All Section Heads | Ref.: [insert reference] | Date: [insert date]\n"
             "Subject: **IT stocktaking**\n[Signature block: name, post title]\n"
             "The annual stocktaking of IT equipment must be completed by October 31, 2025 and the returns sent by "
             "2025-11-07 to the Departmental Administration Unit.")
    text, report = finish_draft(draft, "memo", "en", {"ref": "ADM 1/2"})
    lines = text.splitlines()
    assert "From: Head (Admin)" in lines and "To: All Section Heads" in lines and "Ref.: ADM 1/2" in lines
    assert any(re.fullmatch(r"Date: \d{1,2} \w+ \d{4}", line) for line in lines)
    assert "by 31 October 2025" in text and "by 7 November 2025" in text
    assert "#" not in text and "**" not in text and "Signature block" not in text and report.dropped == 1
    assert report.ok, [i.label() for i in report.missing]
    ends = finish_draft("Headline here\nBody text of the release, long enough to be a paragraph of its own here.\n"
                        "Ends/Friday, March 7, 2025", "press-release", "en", {})[0]
    assert "Ends/Friday, March 7, 2025" in ends  # the one place the US form belongs


def test_a_draft_without_text_gets_its_body_asked_for_on_its_own():
    replies = iter(["本署檔號：\u3000來函檔號：\n電話：\u3000傳真：\n（收件人稱謂）：\n（事由）\n（yyyy年m月d日）",
                    "本署已收悉黃女士於2025年9月2日有關大埔寓所滲水的投訴。\n聯合辦事處已安排於2025年9月25日上午10時進行聯合視察。"])
    engine = ScriptedEngine(lambda _m: next(replies))
    events = list(collect(draft_document(engine, "letter", "zh-HK", "回覆黃女士滲水投訴", CancelToken())))
    assert len(engine.requests) == 2 and "正文" in engine.requests[1][-1]["content"]
    assert any(isinstance(e, Notice) and "asked for on its own" in e.render() for e in events)
    result = next(e for e in events if isinstance(e, Result))
    [report] = items(result.findings, "format")
    assert report.ok, [i.label() for i in report.missing]
    lines = result.text.splitlines()
    assert lines.index("本署已收悉黃女士於2025年9月2日有關大埔寓所滲水的投訴。") > lines.index("（收件人稱謂）：")
    assert "2. 聯合辦事處已安排於2025年9月25日上午10時進行聯合視察。" in lines


def test_a_reply_without_its_numbered_parts_gets_the_text_asked_for_again():
    replies = iter([
        "Reply:\nPresident,\nThe Government issued 1.6 million vouchers in 2024, spending HK$3.4 billion, and the "
        "annual amount stays at HK$2,000.",
        "My reply to the three parts of the question is as follows.\n(1) In 2024, 1.6 million elderly persons used "
        "vouchers.\n(2) Spending in 2024 was HK$3.4 billion.\n(3) The annual amount stays at HK$2,000.",
    ])
    engine = ScriptedEngine(lambda _m: next(replies))
    events = list(collect(draft_document(engine, "legco-reply", "en", "(1) users (2) spending (3) amount", CancelToken())))
    assert "one paragraph answering each part" in engine.requests[1][-1]["content"]
    result = next(e for e in events if isinstance(e, Result))
    [report] = items(result.findings, "format")
    assert report.ok, [i.label() for i in report.missing]
    lines = result.text.splitlines()
    assert "(2) Spending in 2024 was HK$3.4 billion." in lines and "President," in lines
    assert "My reply to the three parts of the question is as follows." in lines  # the introduction, unnumbered
    assert not any("1.6 million vouchers" in line for line in lines)  # the first text gave way


def test_draft_result_carries_the_format_check():
    engine = ScriptedEngine(lambda _m: BODY["en"])
    events = list(collect(draft_document(engine, "memo", "en", "office hours at Christmas", CancelToken(),
                                         fields={"subject": "Office hours"})))
    result = next(e for e in events if isinstance(e, Result))
    [report] = items(result.findings, "format")
    assert report.ok and "Subject: Office hours" in result.text


def test_numbers_dates_amounts_match_across_languages():
    en = extract("The $1.5 billion project, 30 per cent, at 10.40 am on 7 March 2025 under section 3(1) of Cap. 486; "
                 "see https://www.gov.hk/en/ . Signal No. 8, three banks, in June 2013, HK$2,000.", "en")
    zh = extract("15億元的項目，百分之三十，於2025年3月7日上午10時40分，根據第486章第3(1)條；見 https://www.gov.hk/en/ 。"
                 "八號信號，三家銀行，於2013年6月，2,000元。", "zh-HK")
    assert en == zh
    assert ("amount", "$1,500,000,000") in en and ("percent", "30%") in en and ("cap", "486") in en


def test_thousands_grouped_by_spaces_are_one_number():
    assert extract("about 1 200 vehicles, 500 000 flats and 1 200.5 tonnes.", "en") == extract(
        "約1 200架車輛、500,000個單位及1,200.5公噸。", "zh-HK")
    assert set(extract("about 1 200 vehicles", "en")) == {("number", "1,200")}
    assert set(extract("call 2123 4567 in 2024", "en")) == {("number", "2,123"), ("number", "4,567"), ("number", "2,024")}


def test_zh_numbers():
    assert [zh_number(t) for t in ("三十", "一百二十三", "二〇二五", "十", "兩千", "三點五")] == [30, 123, 2025, 10, 2000, 3.5]


def test_every_eval_pair_is_consistent():
    lines = (ROOT / "tests" / "eval" / "segments.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith(("#", "id\t"))]
    assert [r[0] for r in rows if extract(r[2], "en") != extract(r[3], "zh-HK")] == []


def make_docx(path: Path, paragraphs: list[str]) -> Path:
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(str(path))
    return path


def test_compare_documents_flags_what_differs(tmp_path):
    en = make_docx(tmp_path / "en.docx", ["The voucher amount is $2,000 from 1 January 2025.", "See www.gov.hk (Cap. 57)."])
    zh = make_docx(tmp_path / "zh.docx", ["醫療券金額由2025年1月2日起為2,000元。", "見 www.gov.hk（第75章）。"])
    report = compare(load_document(en), load_document(zh))
    assert report.aligned
    found = {(d.kind, d.value, d.english, d.chinese, d.en_anchor) for d in report.items}
    assert found == {("date", "2025-01-01", 1, 0, "p:1"), ("date", "2025-01-02", 0, 1, "p:1"),
                     ("cap", "57", 1, 0, "p:2"), ("cap", "75", 0, 1, "p:2")}
    zh2 = make_docx(tmp_path / "zh2.docx", ["醫療券金額由2025年1月1日起為2,000元。見 www.gov.hk（第57章）。"])
    report = compare(load_document(en), load_document(zh2))
    assert not report.aligned and [d.kind for d in report.items] == ["paragraphs"]


def test_rewrite_check_flags_changed_numbers():
    check = rewrite_checks("Offices close at 12.30 pm on 24 December 2025; call 2123 4567.")
    assert check(Result(text="Offices close at 12.30 pm on 24 December 2025; call 2123 4567.")) == []
    out = check(Result(text="Offices close early on 24 December; call 2123 4567."))
    assert any(isinstance(e, Notice) for e in out)
    changed = next(e for e in out if not isinstance(e, Notice)).items
    assert any("12:30" in c for c in changed) and any("2025-12-24" in c for c in changed)


def test_a_parroted_layout_is_tidied_and_empty_fields_filled():
    """What the starter model really wrote for a Chinese letter: the layout copied, fields empty."""
    parroted = ("（收件人稱謂）：\n\n本署檔號：\u3000來函檔號：\n電話：\u3000傳真：\n陳先生辦事處於12月24日中午關閉\n\n"
                "正文分段：首段説明來函或事由（不編號），其後各段編號 2.、3.……\n此致\n\n署長\u3000（某某代行）\n\nyyyy年m月d日\n")
    text, report = finish_draft(parroted, "letter", "zh-HK", {"our_ref": "DEV 1/2/3"})
    assert "本署檔號：DEV 1/2/3\n來函檔號：（來函檔號）" in text  # one labelled field a line
    assert "正文分段" not in text and "yyyy" not in text
    assert report.ok and report.dropped == 1
    assert "Removed 1 lines copied" in "\n".join(report_lines([Finding("format", [report])]))


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_template_styling_is_applied_to_a_saved_draft(tmp_path, doc_type):
    from docx.oxml.ns import qn
    from docx.shared import Cm

    from hkpilot.documents.docx_writer import write_new_docx
    from hkpilot.documents.styled_docx import apply_style, template_style

    style = template_style(doc_type)
    assert {"font", "font_zh", "size_pt", "margins_cm"} <= set(style)
    path = tmp_path / "draft.docx"
    write_new_docx([("paragraph", "Dear Sir,"), ("paragraph", "敬啟者：")], path)
    apply_style(path, style)
    d = docx.Document(str(path))
    normal = d.styles["Normal"]
    assert normal.font.name == style["font"] and normal.font.size.pt == style["size_pt"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == style["font_zh"]
    assert abs(d.sections[0].left_margin - Cm(style["margins_cm"])) < 1000
    assert [p.text for p in d.paragraphs] == ["Dear Sir,", "敬啟者："]


def test_coverage_says_what_the_reader_skipped():
    doc = pdf_like()
    doc.skipped = ["pages without text: 2"]
    line = check_summary(doc, "- x [page:1]").coverage_line()
    assert line == "All 3 blocks with text read. Not read: pages without text: 2."


def test_a_summary_in_the_wrong_language_is_translated_point_by_point():
    from hkpilot.tasks.summary_language import ensure_language

    doc = pdf_like()

    def reply(messages):
        if "撮要" in messages[-1]["content"]:  # the summary request (asked in Chinese)
            return "- The Tuen Ma Line opened on 27 June 2021 [page:1:para:1].\n- It connects two towns [page:1:para:2]"
        return "屯馬綫已於2021年6月27日通車。" if "Tuen Ma" in messages[-1]["content"] else "它連接兩個市鎮。"

    engine = ScriptedEngine(reply)
    events = list(collect(ensure_language(summarise_document(doc, engine, "short", "zh-HK", CancelToken()), engine, "zh-HK",
                                          CancelToken()), summary_checks(doc)))
    result = next(e for e in events if isinstance(e, Result))
    assert result.text == "- 屯馬綫已於2021年6月27日通車。 [page:1:para:1].\n- 它連接兩個市鎮。 [page:1:para:2]"
    assert any(isinstance(e, Notice) and "translated into the language asked for" in e.render() for e in events)
    [report] = items(result.findings, "citations")
    assert [p.anchors for p in report.points] == [["page:1:para:1"], ["page:1:para:2"]]


def test_scaffold_adds_only_the_lines_a_draft_lacks():
    draft = ("備忘錄\n發文者：行政主任\n檔號：ABC/1\n日期：2025年4月15日\n事由：颱風安排\n"
             "1. 颱風期間辦事處的特別安排如下，請各同事留意並通知有關人員。\n2. 如有查詢，請聯絡本組行政主任，電話2123 4567。")
    text, report = finish_draft(draft, "memo", "zh-HK", {})
    assert report.ok and report.added == ["from_to"]
    assert text.count("備忘錄") == 1 and text.count("發文者") == 1 and "受文者：（受文者職銜）" in text


def test_uncited_points_get_the_block_they_clearly_come_from():
    from hkpilot.tasks.citations import attribute

    doc = pdf_like()
    summary = "\n".join([
        "- 屯馬綫於2021年6月27日全綫通車。",  # Chinese point, English source: the date decides
        "- It connects Tuen Mun and Wu Kai Sha.",
        "- Already cited [page:2:para:1]",
        "- Nothing in the document says this at all.",
    ])
    text, added = attribute(doc, summary)
    assert added == [(1, "page:1:para:1"), (2, "page:1:para:2")]
    assert text.splitlines()[0].endswith("[page:1:para:1]") and text.splitlines()[3] == summary.splitlines()[3]
    engine = ScriptedEngine(lambda _m: summary)
    result = next(e for e in collect(summarise_document(doc, engine, "short", "en", CancelToken()), summary_checks(doc))
                  if isinstance(e, Result))
    [report] = items(result.findings, "citations")
    assert report.attributed == added and [p.line for p in report.uncited] == [4]
    assert "citation [page:1:para:1] added by HKPilot" in "\n".join(report_lines(result.findings))

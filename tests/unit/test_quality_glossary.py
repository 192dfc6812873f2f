"""Glossaries: import (.csv, .xlsx, TBX, TMX), per-segment terms, verification, enforcement."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from hkpilot.engines.base import CancelToken
from hkpilot.errors import DocumentError
from hkpilot.tasks.events import Finding, Result, Token
from hkpilot.tasks.glossary import Glossary, TranslationMemory, load_glossary, policy_glossaries
from hkpilot.tasks.glossary_io import GlossaryError
from hkpilot.tasks.quality import collect, items, job_glossary, report_lines
from hkpilot.tasks.translate import translate_text
from tests.fakes import ScriptedEngine

ROOT = Path(__file__).resolve().parents[2]

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="1">
  <langSet xml:lang="en"><tig><term>Legislative Council</term></tig><tig><term>LegCo</term></tig></langSet>
  <langSet xml:lang="zh-CN"><tig><term>立法会</term></tig></langSet>
  <langSet xml:lang="zh-HK"><tig><term>立法會</term></tig></langSet>
</termEntry>
<termEntry id="2">
  <langSet xml:lang="en"><ntig><termGrp><term>Chief Executive</term></termGrp></ntig></langSet>
  <langSet xml:lang="zh-TW"><tig><term>行政長官</term></tig></langSet>
</termEntry>
</body></text></martif>
"""

TBX3 = """<?xml version="1.0"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en"><text><body>
<conceptEntry id="c1">
  <langSec xml:lang="en"><termSec><term>Hong Kong Observatory</term></termSec></langSec>
  <langSec xml:lang="zh-Hant"><termSec><term>香港天文台</term></termSec></langSec>
</conceptEntry>
</body></text></tbx>
"""

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" creationtool="t"
 creationtoolversion="1" o-tmf="t"/><body>
<tu><tuv xml:lang="en"><seg>The office will be closed on Monday.</seg></tuv>
    <tuv xml:lang="zh-HK"><seg>辦事處將於星期一關閉。</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Members of the public may call the 1823 hotline for enquiries.</seg></tuv>
    <tuv xml:lang="zh-HK"><seg>市民如有查詢，可致電1823熱線。</seg></tuv></tu>
</body></tmx>
"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&lol2;</term></tig></langSet></termEntry></body></text></martif>
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_csv_with_header_in_either_order_and_alternatives(tmp_path):
    path = write(tmp_path, "g.csv", "中文,English\n立法會,Legislative Council\n強制性公積金; 強積金,Mandatory Provident Fund\n")
    g = load_glossary([path])
    assert len(g) == 2
    assert g.terms[1].zh == ("強制性公積金", "強積金")


def test_csv_without_header_big5_and_tab_separated(tmp_path):
    path = tmp_path / "g.txt"
    path.write_bytes("Legislative Council\t立法會\nChief Executive\t行政長官\n".encode("big5hkscs"))
    g = load_glossary([path])
    assert [t.en for t in g.terms] == [("Legislative Council",), ("Chief Executive",)]


def test_xlsx_two_column_sheet(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["EN", "ZH-HK", "Note"])
    ws.append(["Tuen Ma Line", "屯馬綫", "MTR"])
    ws.append(["Department of Health", "衞生署", ""])
    path = tmp_path / "terms.xlsx"
    wb.save(path)
    g = load_glossary([path])
    assert [(t.en[0], t.zh[0]) for t in g.terms] == [("Tuen Ma Line", "屯馬綫"), ("Department of Health", "衞生署")]


def test_tbx_2_and_3_prefer_hong_kong_chinese(tmp_path):
    g = load_glossary([write(tmp_path, "a.tbx", TBX), write(tmp_path, "b.tbx", TBX3)])
    assert g.terms[0].en == ("Legislative Council", "LegCo")
    assert g.terms[0].zh == ("立法會",)  # zh-HK before zh-CN; only the most Hong Kong entry is kept
    assert g.terms[1].zh == ("行政長官",)
    assert g.terms[2].zh == ("香港天文台",)


def test_tmx_is_a_translation_memory(tmp_path):
    g = load_glossary([write(tmp_path, "m.tmx", TMX)])
    assert g.memory is not None and len(g.memory.pairs) == 2
    assert g.memory.lookup("the office will be closed on Monday", "en") == (
        "The office will be closed on Monday.", "辦事處將於星期一關閉。", 1.0)
    fuzzy = g.memory.lookup("The office will be closed on Tuesday.", "en")
    assert fuzzy is not None and 0.7 <= fuzzy[2] < 1
    assert g.memory.lookup("市民如有查询，可致电1823热线。", "zh-HK")[1].startswith("Members")  # script folded
    assert g.memory.lookup("Completely unrelated text about budgets.", "en") is None


@pytest.mark.parametrize(
    ("name", "text"),
    [("bomb.tbx", BOMB), ("empty.csv", "English,Chinese\n"), ("one.csv", "only one column\n"), ("bad.tmx", "<tmx><body>")],
)
def test_bad_glossaries_are_typed_errors(tmp_path, name, text):
    with pytest.raises(GlossaryError):
        load_glossary([write(tmp_path, name, text)])


def test_missing_and_unsupported_files(tmp_path):
    with pytest.raises(DocumentError):
        load_glossary([tmp_path / "none.csv"])
    with pytest.raises(GlossaryError):
        load_glossary([write(tmp_path, "g.json", "{}")])


def glossary() -> Glossary:
    return Glossary.from_pairs([
        ("Legislative Council", "立法會"),
        ("Council", "委員會"),
        ("IT", "資訊科技"),
        ("licence", "牌照"),
        ("Personal Data (Privacy) Ordinance", "個人資料（私隱）條例"),
        ("East Rail Line", "東鐵綫"),
        ("Hong Kong Observatory", "香港天文台; 天文台"),
    ])


def test_matching_is_whole_word_longest_first_with_plurals_and_exact_acronyms():
    g = glossary()
    found = [u.found for u in g.matching("The Legislative Council and the council approved licences; it is IT.", "en")]
    assert found == ["Legislative Council", "council", "licences", "IT"]
    assert [u.found for u in g.matching("Councillors and it", "en")] == []
    assert [u.found for u in g.matching("the Personal Data (Privacy) Ordinance applies", "en")] == [
        "Personal Data (Privacy) Ordinance"]


def test_chinese_matching_folds_script_and_width():
    g = glossary()
    assert [u.term.en[0] for u in g.matching("东铁线及立法会", "zh-HK")] == ["East Rail Line", "Legislative Council"]
    assert [u.found for u in g.matching("根據個人資料(私隱)條例", "zh-HK")] == ["個人資料(私隱)條例"]


def test_verify_lists_only_terms_whose_target_is_missing():
    g = glossary()
    check = g.verify("The Hong Kong Observatory told the Legislative Council.", "天文台通知了立法会。", "en", "zh-HK", "p:4")
    assert check.checked == 2 and check.violations == []  # 立法会 folds to 立法會; 天文台 is an alternative
    check = g.verify("The East Rail Line opened.", "東鐵線已通車。", "en", "zh-HK", "p:5")
    assert check.violations == []  # 線 and 綫 are the same term
    check = g.verify("The East Rail Line opened.", "東部鐵路已通車。", "en", "zh-HK", "p:5")
    assert [(v.anchor, v.source_term, v.expected) for v in check.violations] == [("p:5", "East Rail Line", ("東鐵綫",))]
    back = g.verify("立法會今日開會。", "The legislature met today.", "zh-HK", "en", "p:1")
    assert [v.expected for v in back.violations] == [("Legislative Council",)]


def test_prompt_terms_are_only_the_segments_own_and_in_the_target_script():
    g = glossary()
    assert g.prompt_terms("The East Rail Line opened.", "en", "zh-Hans") == [("East Rail Line", "东铁线")]
    assert g.prompt_terms("Nothing here.", "en", "zh-HK") == []


def run(events):
    out = list(events)
    return out, next(e for e in out if isinstance(e, Result))


def test_translation_gets_the_terms_and_a_violation_is_retried_then_reported():
    replies = iter(["东部铁路已通车。", "東鐵綫已通車。"])
    engine = ScriptedEngine(lambda _m: next(replies))
    events, result = run(translate_text(engine, "The East Rail Line opened.", "zh-HK", CancelToken(), "p:1", 4096, glossary()))
    first = engine.requests[0]
    assert {"role": "user", "content": "East Rail Line"} in first
    assert {"role": "assistant", "content": "東鐵綫"} in first
    assert "using exactly these terms: East Rail Line = 東鐵綫" in engine.requests[1][-1]["content"]
    assert result.text == "東鐵綫已通車。"
    check = items([e for e in events if isinstance(e, Finding)], "glossary")[0]
    assert check.retried and check.violations == [] and check.checked == 1


def test_a_violation_that_stays_is_reported_and_the_first_answer_kept():
    engine = ScriptedEngine(lambda _m: "东部铁路已通车。")
    events, result = run(translate_text(engine, "The East Rail Line opened.", "zh-HK", CancelToken(), "p:7", 4096, glossary()))
    assert result.text == "東部鐵路已通車。"
    assert len(engine.requests) == 2
    [check] = items([e for e in events if isinstance(e, Finding)], "glossary")
    assert [v.source_term for v in check.violations] == ["East Rail Line"] and check.anchor == "p:7"


def test_a_retry_that_answers_with_the_term_list_or_drops_numbers_is_not_kept():
    source = "Since May 2022 the East Rail Line has carried 860 000 passengers a day."
    first = "自2022年5月起，东部铁路每日载客860 000人次。"
    for retry in ["东部铁路 = 東鐵綫; 東鐵綫 = 東鐵綫", "東鐵綫每日載客很多人。"]:
        replies = iter([first, retry])
        engine = ScriptedEngine(lambda _m, r=replies: next(r))
        events, result = run(translate_text(engine, source, "zh-HK", CancelToken(), "p:5", 4096, glossary()))
        assert len(engine.requests) == 2
        assert result.text == "自2022年5月起，東部鐵路每日載客860 000人次。"
        [check] = items([e for e in events if isinstance(e, Finding)], "glossary")
        assert not check.retried and [v.source_term for v in check.violations] == ["East Rail Line"]


def test_a_memory_translation_is_checked_against_the_glossary_too(tmp_path):
    memory = write(tmp_path, "m.tmx", TMX.replace("辦事處將於星期一關閉。", "辦事處將於星期一關閉，東部鐵路照常。")
                   .replace("The office will be closed on Monday.", "The office will be closed on Monday; the East Rail "
                            "Line runs as usual."))
    terms = write(tmp_path, "t.csv", "English,Chinese\nEast Rail Line,東鐵綫\n")
    g = load_glossary([terms, memory])
    engine = ScriptedEngine(lambda _m: "不應使用")
    events, _result = run(translate_text(engine, "The office will be closed on Monday; the East Rail Line runs as usual.",
                                         "zh-HK", CancelToken(), "p:3", 4096, g))
    assert engine.requests == []
    [check] = items([e for e in events if isinstance(e, Finding)], "glossary")
    assert check.checked == 1 and [v.source_term for v in check.violations] == ["East Rail Line"]


def test_no_retry_when_asked_not_to():
    g = glossary()
    g.retry = False
    engine = ScriptedEngine(lambda _m: "东部铁路已通车。")
    run(translate_text(engine, "The East Rail Line opened.", "zh-HK", CancelToken(), "", 4096, g))
    assert len(engine.requests) == 1


def test_exact_memory_match_needs_no_model_and_fuzzy_becomes_the_example(tmp_path):
    g = load_glossary([write(tmp_path, "m.tmx", TMX)])
    engine = ScriptedEngine(lambda _m: "辦事處將於星期二關閉。")
    events, result = run(translate_text(engine, "The office will be closed on Monday.", "zh-HK", CancelToken(), "p:1", 4096, g))
    assert result.text == "辦事處將於星期一關閉。" and engine.requests == []
    assert any(isinstance(e, Token) and e.text == result.text for e in events)
    assert items([e for e in events if isinstance(e, Finding)], "memory")[0].score == 1.0
    run(translate_text(engine, "The office will be closed on Tuesday.", "zh-HK", CancelToken(), "p:2", 4096, g))
    assert engine.requests[0][1]["content"] == "The office will be closed on Monday."  # the memory's pair as the example


def test_collect_puts_findings_on_the_result_and_the_report_lists_them():
    engine = ScriptedEngine(lambda _m: "东部铁路已通车。")
    events, result = run(collect(translate_text(engine, "The East Rail Line opened.", "zh-HK", CancelToken(), "p:7", 4096,
                                                glossary())))
    assert not any(isinstance(e, Finding) for e in events)
    assert {f.kind for f in result.findings} == {"script", "glossary"}
    text = "\n".join(report_lines(result.findings))
    assert "1 not followed" in text and '"East Rail Line"' in text and "東鐵綫" in text
    assert "东 → 東" in text and "Script guard: " in text


def test_department_default_glossary_comes_from_policy(tmp_path):
    path = write(tmp_path, "dept.csv", "English,Chinese\nTuen Ma Line,屯馬綫\n")
    assert policy_glossaries({"glossary.default": str(path)}) == [path]
    assert policy_glossaries({}) == []
    assert len(job_glossary(None, {"glossary.default": str(path)})) == 1
    assert job_glossary([], {"glossary.default": str(path)}) is None  # an explicit empty list: none


def test_memory_ignores_empty_pairs():
    memory = TranslationMemory([("", "空"), ("Text", "")])
    assert memory.pairs == [] and memory.lookup("Text", "en") is None


def test_eval_references_follow_the_eval_glossary():
    """The evaluation set and its glossary agree, in both directions (otherwise scores mislead)."""
    g = load_glossary([ROOT / "tests" / "eval" / "glossary.csv"])
    lines = (ROOT / "tests" / "eval" / "segments.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith(("#", "id\t"))]
    assert len(rows) >= 36
    checked = 0
    for _id, _source, en, zh in rows:
        for a, b, s, t in ((en, zh, "en", "zh-HK"), (zh, en, "zh-HK", "en")):
            check = g.verify(a, b, s, t)
            assert check.violations == [], (_id, check.violations)
            checked += check.checked
    assert checked >= 80

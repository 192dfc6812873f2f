"""The HK script guard: conversion by target, protected names, recorded changes, streaming."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from hkpilot import paths
from hkpilot.engines.base import CancelToken, GenParams
from hkpilot.tasks import script_guard as sg
from hkpilot.tasks.events import Finding, Token
from hkpilot.tasks.languages import to_script
from hkpilot.tasks.streaming import stream_guarded
from tests.fakes import ScriptedEngine

ROOT = Path(__file__).resolve().parents[2]


def _eval_chinese() -> list[str]:
    lines = (ROOT / "tests" / "eval" / "segments.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[3] for line in lines[1:] if line and not line.startswith(("#", "id\t"))]


@pytest.fixture(autouse=True)
def _fresh_lists():
    sg.reload_nouns()
    yield
    sg.reload_nouns()


def test_simplified_becomes_hong_kong_traditional():
    result = sg.guard("这里的发展局会议在办公室举行，我们欢迎市民参加。", "zh-HK")
    assert result.text == "這裏的發展局會議在辦公室舉行，我們歡迎市民參加。"
    assert result.remaining == ""
    kinds = {c.kind for c in result.changes}
    assert kinds == {sg.SCRIPT}
    assert any("们" in c.original and "們" in c.converted for c in result.changes)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("东涌", "zh-HK", "東涌"),
        ("東湧", "zh-HK", "東涌"),  # what OpenCC writes for Traditional 東涌
        ("港岛线", "zh-Hant", "港島綫"),  # s2tw would write 港島線
        ("沙中线通车", "zh-Hant", "沙中綫通車"),
        ("匯豐銀行", "zh-HK", "滙豐銀行"),
        ("干諾道中", "zh-HK", "干諾道中"),  # OpenCC: 幹諾道中
        ("鰂魚涌", "zh-HK", "鰂魚涌"),  # OpenCC: 鰂魚湧
        ("這裡", "zh-HK", "這裏"),  # the HK form of 裏
        ("這裡", "zh-Hant", "這裡"),  # [zh-HK] entries leave Taiwan output alone
    ],
)
def test_protected_names_keep_their_official_form(text, lang, expected):
    assert sg.guard(text, lang).text == expected


def test_converters_really_get_these_wrong():
    """The list is there for a reason: plain OpenCC changes these names."""
    assert opencc.OpenCC("s2hk").convert("東涌") == "東湧"
    assert opencc.OpenCC("s2tw").convert("港岛线") == "港島線"


def test_a_kept_name_is_reported_as_kept_and_a_restored_one_as_protected():
    result = sg.guard("東涌與東湧", "zh-HK", anchor="p:2")
    by_kind = {c.kind: c for c in result.changes}
    assert by_kind[sg.KEPT].original == "東涌" and by_kind[sg.KEPT].anchors == ["p:2"]
    assert by_kind[sg.PROTECTED].original == "東湧" and by_kind[sg.PROTECTED].converted == "東涌"


def test_traditional_text_is_not_reconverted_character_by_character():
    # s2hk alone turns the 里 of 鄰里 into 裏 when it reads Traditional text.
    assert sg.guard("鄰里關係良好，這是公里數。", "zh-HK").text == "鄰里關係良好，這是公里數。"
    assert sg.guard("他在里面", "zh-HK").text == "他在裏面"  # Simplified text: 里 means 裏


def test_correct_hong_kong_text_of_the_evaluation_set_stays_as_it_is():
    assert [t for t in _eval_chinese() if sg.guard(t, "zh-HK").text != t] == []


def test_government_forms_replace_forms_shared_with_simplified():
    assert opencc.OpenCC("s2hk").convert("税务局的温度") == "税務局的温度"  # OpenCC's HK standard forms
    result = sg.guard("税务局的温度", "zh-HK")
    assert result.text == "稅務局的溫度"
    assert sg.find_simplified(result.text) == ""


def test_simplified_versions_of_the_evaluation_set_come_back_without_simplified_characters():
    t2s = opencc.OpenCC("t2s")
    for text in _eval_chinese():
        result = sg.guard(t2s.convert(text), "zh-HK")
        assert result.remaining == "", text
        assert sg.find_simplified(result.text) == ""
        for name in sg.protected_names(text):
            assert name in result.text


def test_simplified_target_and_english_are_left_to_their_own_rules():
    assert sg.guard("會議在辦公室舉行", "zh-Hans").text == "会议在办公室举行"
    assert sg.guard("The Tuen Ma Line", "zh-HK").changes == []
    assert to_script("Meeting 會議", "en") == "Meeting 會議"


def test_a_persons_own_list_adds_names(tmp_path):
    (paths.config_dir() / sg.NOUNS_FILE).write_text("# mine\n添馬艦 | 添马舰艇\n", encoding="utf-8")
    sg.reload_nouns()
    assert sg.guard("添马舰艇", "zh-HK").text == "添馬艦"


def test_parse_nouns_reads_sections_and_forms():
    parsed = sg.parse_nouns("港島綫\n滙豐 | 匯豐, 汇丰\n[zh-HK]\n裏 | 裡  # comment\n")
    assert parsed["all"] == [("港島綫", ()), ("滙豐", ("匯豐", "汇丰"))]
    assert parsed["zh-HK"] == [("裏", ("裡",))]


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_streamed_text_matches_the_whole_text(size):
    text = "政府宣布东涌线和港岛线的服务，这里的汇丰银行在东涌设立分行。"
    stream = sg.ScriptStream("zh-HK")
    out = "".join(stream.feed(text[i : i + size]) for i in range(0, len(text), size)) + stream.flush()
    assert out == sg.guard(text, "zh-HK").text


def test_stream_guarded_converts_tokens_and_reports_changes():
    engine = ScriptedEngine(lambda _m: "东涌线的乘客可以在这里转车。")
    events = []
    gen = stream_guarded(engine, [], GenParams(max_tokens=50), CancelToken(), "zh-HK", anchor="p:1")
    try:
        while True:
            events.append(next(gen))
    except StopIteration as stop:
        final = stop.value
    shown = "".join(e.text for e in events if isinstance(e, Token))
    assert final == shown == "東涌綫的乘客可以在這裏轉車。"
    findings = [e for e in events if isinstance(e, Finding)]
    assert len(findings) == 1 and findings[0].kind == "script" and findings[0].anchor == "p:1"
    assert sum(len(c.original) * c.count for c in findings[0].items) >= 6


def test_merge_changes_adds_counts_and_keeps_anchors():
    a = sg.ScriptChange("们", "們", sg.SCRIPT, 1, ["p:1"])
    b = sg.ScriptChange("们", "們", sg.SCRIPT, 2, ["p:3", "p:1"])
    c = sg.ScriptChange("東湧", "東涌", sg.PROTECTED, 1, ["p:2"])
    merged = sg.merge_changes([a, b, c])
    assert merged[0].kind == sg.PROTECTED
    assert (merged[1].count, merged[1].anchors) == (3, ["p:1", "p:3"])


def test_translation_to_taiwan_chinese_uses_taiwan_forms_and_keeps_hong_kong_names():
    from hkpilot.tasks.events import Result
    from hkpilot.tasks.translate import translate_text

    engine = ScriptedEngine(lambda _m: "这里的软件可以查询港岛线。")
    events = list(translate_text(engine, "The software here shows the Island Line.", "zh-Hant", CancelToken(), "p:1"))
    result = next(e for e in events if isinstance(e, Result))
    assert result.text == "這裡的軟件可以查詢港島綫。"  # characters converted; words are the model's (asked for Taiwan)
    assert "Taiwan" in engine.requests[0][0]["content"]


def test_the_official_form_of_a_protected_name_is_not_reported_as_left_unconverted():
    result = sg.guard("恒生银行和汇丰银行", "zh-HK")
    assert result.text == "恒生銀行和滙豐銀行"
    assert result.remaining == ""
    assert sg.find_simplified(result.text) == ""  # 恒 is standard Traditional (恒生): not in the list
    assert sg.guard("们", "zh-HK").text == "們"


def test_taiwan_output_gets_taiwan_characters_not_taiwan_vocabulary():
    # s2twp also swaps words (擴展 -> 擴充套件, 軟件 -> 軟體): wrong in a government text about anything but software
    assert sg.guard("政府将扩展服务范围", "zh-Hant").text == "政府將擴展服務範圍"

"""Formatting the model would not keep comes back: by projection, else phrase by phrase."""

from __future__ import annotations

from collections.abc import Generator

from hkpilot.documents import inline_markup as im
from hkpilot.engines.base import CancelToken, Message
from hkpilot.tasks import tag_recovery
from hkpilot.tasks.events import Event, Notice, Result
from hkpilot.tasks.translate import translate_text
from tests.fakes import ScriptedEngine

WORDS = {"The office": "辦事處", "strong": "強勁", "demand": "需求", "reported": "報告", "the guide": "指南",
         "See": "參閱", "for details.": "了解詳情。", "steady": "穩定", "and": "及"}


def fake_plain(table: dict[str, str]):  # type: ignore[no-untyped-def]
    def translate(text: str) -> Generator[Event, None, str]:
        if False:
            yield Notice("")
        return table.get(text, table.get(text.strip(), f"[{text.strip()}]"))

    return translate


def run(gen: Generator[Event, None, str]) -> tuple[str, list[Event]]:
    events: list[Event] = []
    while True:
        try:
            events.append(next(gen))
        except StopIteration as stop:
            return stop.value, events


def test_projection_keeps_the_fluent_sentence() -> None:
    source = "The office reported <b>strong</b> demand. See <1>the guide</1><2/>"
    out, events = run(tag_recovery.recover(source, "辦事處報告需求強勁。詳情請參閱指南。", "zh-HK", fake_plain(WORDS), "p:1"))
    assert out == "辦事處報告需求<b>強勁</b>。詳情請參閱<1>指南</1>。"
    assert not events  # the sentence is the model's own: nothing to warn about
    assert im.check(source, out).missing_spans == []


def test_phrase_by_phrase_when_a_span_cannot_be_found() -> None:
    source = "<b>strong</b> and <i>steady</i> demand<3/>"
    # "穩定" is not in the sentence the model wrote ("平穩"): projection fails for <i>.
    out, events = run(tag_recovery.recover(source, "強勁及平穩的需求", "zh-HK", fake_plain(WORDS), "p:7"))
    assert out == "<b>強勁</b>及<i>穩定</i>需求<3/>"
    assert [e.params for e in events if isinstance(e, Notice)] == [{"anchor": "p:7"}]


def test_ambiguous_or_partial_matches_are_not_wrapped() -> None:
    pieces = im.parse("CO2 in 2024, 2 sites", set(), set())
    assert not tag_recovery._project(pieces, "5", "2")  # three places, one of them inside 2024
    pieces = im.parse("year 2024", set(), set())
    assert not tag_recovery._project(pieces, "5", "20")  # inside a number
    pieces = im.parse("甲乙丙", set(), set())
    assert tag_recovery._project(pieces, "1", "乙") and tag_recovery.render(pieces) == "甲<1>乙</1>丙"


def test_joins_follow_the_target_language() -> None:
    zh = {"大會": "The meeting", "通過": "adopted", "議案": "the motion"}
    out, _ = run(tag_recovery._phrase_by_phrase(im.parse("大會<b>通過</b>議案", {"b"}, set()), "en", fake_plain(zh)))
    assert out == "The meeting <b>adopted</b> the motion"
    pieces = im.parse("10<4>3</4> tonnes", {"4"}, set())
    out, _ = run(tag_recovery._phrase_by_phrase(pieces, "zh-HK", fake_plain({"tonnes": "噸"})))
    assert out == "10<4>3</4>噸"  # no space invented inside "10³"


def _dropping(messages: list[Message]) -> str:
    """A model that never keeps tags: whole sentences lose them, fragments translate."""
    text = messages[-1]["content"].rsplit("\n\n", 1)[-1]
    plain = im.strip_tags(text)
    return {"The office reported strong demand.": "辦事處報告需求很大。"}.get(plain, WORDS.get(plain, "譯"))


def test_translate_text_recovers_tags_from_a_model_that_drops_them() -> None:
    engine = ScriptedEngine(_dropping)
    events = list(translate_text(engine, "The office reported <b>strong</b> demand.", "zh-HK", CancelToken(), "p:3"))
    result = events[-1]
    assert isinstance(result, Result)
    assert im.check("The office reported <b>strong</b> demand.", result.text).ok
    assert "<b>強勁</b>" in result.text
    assert any(isinstance(e, Notice) and e.params.get("anchor") == "p:3" for e in events)
    assert len(engine.requests) >= 3  # two tagged attempts, then the pieces


def test_a_phrase_translated_alone_fits_back_into_its_sentence() -> None:
    zh = {"增長": "Growth.", "貨櫃": "The containers.", "大會": "The meeting"}
    pieces = im.parse("大會<b>增長</b><i>貨櫃</i>。", {"b", "i"}, set())
    out, _ = run(tag_recovery._phrase_by_phrase(pieces, "en", fake_plain(zh)))
    # The full stops go; "The" loses its capital mid-sentence; "Growth" keeps it (it could be a name).
    assert out == "The meeting <b>Growth</b> <i>the containers</i>。"
    out, _ = run(tag_recovery._phrase_by_phrase(im.parse("Ferries <b>grow</b>.", {"b"}, set()), "zh-HK",
                                                 fake_plain({"Ferries": "渡輪。", "grow": "增長。"})))
    assert out == "渡輪<b>增長</b>."

"""Translation, summary and drafting logic over a scripted engine (the real model is in
tests/integration)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hkpilot.documents.model import Block, BlockKind, Document
from hkpilot.engines.base import CancelToken
from hkpilot.errors import Cancelled, OutputError, UsageError
from hkpilot.tasks import draft, summarise, translate
from hkpilot.tasks.events import Notice, Progress, Result, Token
from hkpilot.tasks.languages import needs_translation, to_script
from tests.fakes import ScriptedEngine


def _doc(texts: list[str], fmt: str = "txt", path: Path = Path("/tmp/x.txt")) -> Document:
    blocks = [
        Block(anchor=f"para:{i + 1}", kind=BlockKind.PARAGRAPH, text=t, section="S1" if i < 3 else "S2")
        for i, t in enumerate(texts)
    ]
    return Document(path=path, format=fmt, blocks=blocks)


def test_script_conversion() -> None:
    assert to_script("会议在办公室举行", "zh-HK") == "會議在辦公室舉行"
    assert to_script("會議", "zh-Hans") == "会议"
    assert to_script("Meeting", "zh-HK") == "Meeting"


def test_needs_translation() -> None:
    assert needs_translation("Hello", "zh-HK")
    assert not needs_translation("2024-01-01 / 3.5", "zh-HK")
    assert not needs_translation("已經是中文", "zh-HK")
    assert needs_translation("已經是中文", "en")
    assert not needs_translation("Already English", "en")


def test_split_long_keeps_all_text() -> None:
    text = "First sentence. " * 50 + "x" * 700
    pieces = translate.split_long(text, 200)
    assert all(len(p) <= 200 for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def test_clean_translation() -> None:
    assert translate.clean_translation("Translation: 「你好」", "Hello") == "你好"
    assert translate.clean_translation("「你好」", "「Hello」") == "「你好」"


def test_translate_document_to_new_docx(tmp_path: Path) -> None:
    from docx import Document as Docx

    engine = ScriptedEngine(lambda m: "会议" + str(len(m[-1]["content"])))
    doc = _doc(["Meeting one.", "12345", "已經是中文", "Meeting two."], path=tmp_path / "in.txt")
    out = tmp_path / "out.docx"
    events = list(translate.translate_document(doc, engine, "zh-HK", out, CancelToken()))
    assert len(engine.requests) == 2  # numbers and Chinese text never reach the model
    assert any(isinstance(e, Token) and e.text.startswith("會") for e in events)
    result = events[-1]
    assert isinstance(result, Result) and result.output_path == out
    texts = [p.text for p in Docx(str(out)).paragraphs if p.text]
    assert texts == ["會議12", "12345", "已經是中文", "會議12"]
    progress = [e for e in events if isinstance(e, Progress)]
    assert progress[-1].done == progress[-1].total == 4


def test_translate_refuses_source_as_output(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("x")
    with pytest.raises(OutputError):
        list(translate.translate_document(_doc(["Hi"], path=src), ScriptedEngine(lambda m: "x"), "zh-HK", src, CancelToken()))


def test_translate_empty_answer_keeps_source(tmp_path: Path) -> None:
    events = list(
        translate.translate_document(
            _doc(["Hello there."], path=tmp_path / "a.txt"),
            ScriptedEngine(lambda m: ""),
            "zh-HK",
            tmp_path / "o.docx",
            CancelToken(),
        )
    )
    assert any(isinstance(e, Notice) for e in events)


def test_translate_cancel(tmp_path: Path) -> None:
    cancel = CancelToken()
    engine = ScriptedEngine(lambda m: "abcdefghijkl")
    gen = translate.translate_document(
        _doc(["One.", "Two.", "Three."], path=tmp_path / "a.txt"), engine, "zh-HK", tmp_path / "o.docx", cancel
    )
    next(gen)
    cancel.cancel()
    with pytest.raises(Cancelled):
        list(gen)
    assert not (tmp_path / "o.docx").exists()


def test_summary_fits_in_one_call() -> None:
    engine = ScriptedEngine(lambda m: "- point [para:1]")
    events = list(summarise.summarise_document(_doc(["Alpha.", "Beta."]), engine, "short", "en", CancelToken()))
    result = events[-1]
    assert isinstance(result, Result) and result.coverage == 1.0 and len(engine.requests) == 1
    assert "[para:1] Alpha." in engine.requests[0][1]["content"]


def test_summary_map_reduce_reads_everything() -> None:
    texts = [f"Paragraph {i} " + "word " * 300 for i in range(40)]
    engine = ScriptedEngine(lambda m: "- partial point", context_window=2048)
    events = list(summarise.summarise_document(_doc(texts), engine, "short", "zh-HK", CancelToken()))
    result = events[-1]
    assert isinstance(result, Result)
    assert result.coverage == 1.0 and result.stats["chunks"] > 1
    seen = "".join(r[1]["content"] for r in engine.requests)
    assert all(f"[para:{i + 1}]" in seen for i in range(40))  # every block reached the model
    assert any(isinstance(e, Notice) for e in events)
    for req in engine.requests:  # no request overflows the window
        assert engine.count_tokens(req[0]["content"] + req[1]["content"]) < 2048


def test_summary_bad_options() -> None:
    with pytest.raises(UsageError):
        list(summarise.summarise_document(_doc(["a"]), ScriptedEngine(lambda m: ""), "huge", "en", CancelToken()))


@pytest.mark.parametrize("doc_type", draft.DOC_TYPES)
@pytest.mark.parametrize("lang", draft.LANGS)
def test_every_template_loads(doc_type: str, lang: str) -> None:
    tpl = draft.load_template(doc_type, lang)
    assert tpl.structure and tpl.guidance
    if lang == "zh-HK":
        assert re.search(r"[\u4e00-\u9fff]", tpl.structure)


def test_draft_uses_points_and_references() -> None:
    engine = ScriptedEngine(lambda m: "备忘录\n本组办事处今日将于下午六时关闭，请各同事提前完成工作。")
    ref = _doc(["Reference fact one."])
    events = list(draft.draft_document(engine, "memo", "zh-HK", "Office closes at 6pm", CancelToken(), [ref]))
    prompt = engine.requests[0][1]["content"]
    assert "Office closes at 6pm" in prompt and "Reference fact one." in prompt
    assert isinstance(events[-1], Result) and events[-1].text.endswith("本組辦事處今日將於下午六時關閉，請各同事提前完成工作。")
    # The parts a memo needs that the model left out come from the template (tasks/format_check.py).
    assert events[-1].findings[0].kind == "format" and events[-1].findings[0].items[0].ok


def test_draft_rejects_unknown_type() -> None:
    with pytest.raises(UsageError):
        list(draft.draft_document(ScriptedEngine(lambda m: ""), "poem", "en", "x", CancelToken()))


def test_rewrite_actions() -> None:
    from hkpilot.tasks.rewrite import ACTIONS, rewrite_text

    engine = ScriptedEngine(lambda m: "简短版本")
    for action in ACTIONS:
        events = list(rewrite_text(engine, "A long sentence to rewrite.", action, "zh-HK", CancelToken()))
        assert isinstance(events[-1], Result) and events[-1].text == "簡短版本"
    assert "Traditional Chinese" in engine.requests[-1][1]["content"]
    list(rewrite_text(engine, "香港政府", "translate", "", CancelToken()))
    assert "English" in engine.requests[-1][1]["content"]  # Chinese selection: into English
    with pytest.raises(UsageError):
        list(rewrite_text(engine, "x", "poetic", "en", CancelToken()))

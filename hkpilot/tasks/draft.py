"""Draft a government document of a given type from key points, in English or Chinese.

The shape of each type (structure and guidance, in both languages) lives in
``resources/templates/<type>.toml`` so a department can edit it without code.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hkpilot.documents.model import Document
from hkpilot.engines.base import CancelToken, Engine, GenParams, Message
from hkpilot.errors import UsageError
from hkpilot.i18n import N_
from hkpilot.resources import resources_dir
from hkpilot.tasks.events import Event, Finding, Notice, Progress, Result, Token
from hkpilot.tasks.streaming import stream_guarded
from hkpilot.tasks.untrusted import fence

DOC_TYPES = ("memo", "letter", "circular", "press-release", "legco-reply", "minutes")
LANGS = ("en", "zh-HK")
_OUTPUT_TOKENS = 1200
BODY_ASKED = N_("The model's draft lacked the text its type needs; the text was asked for on its own.")
_TEXT_CHECKS = {"body", "numbered_paragraphs", "numbered_parts"}  # what the template's scaffold cannot add


@dataclass(frozen=True)
class DraftTemplate:
    doc_type: str
    lang: str
    title: str
    structure: str
    guidance: str


def templates_dir() -> Path:
    return resources_dir() / "templates"


def load_template(doc_type: str, lang: str) -> DraftTemplate:
    if doc_type not in DOC_TYPES:
        raise UsageError(detail=f"--type {doc_type} ({', '.join(DOC_TYPES)})")
    if lang not in LANGS:
        raise UsageError(detail=f"--lang {lang} ({', '.join(LANGS)})")
    path = templates_dir() / f"{doc_type}.toml"
    try:
        with path.open("rb") as f:
            section = tomllib.load(f)[lang]
        return DraftTemplate(doc_type, lang, str(section["title"]), str(section["structure"]), str(section["guidance"]))
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(detail=f"template {path.name}: {type(exc).__name__}") from exc


def draft_messages(tpl: DraftTemplate, points: str, references: str) -> list[Message]:
    """Key points and references first, the instruction last (small models follow the last thing they read)."""
    refs = f'\n\nReference material:\n"""\n{fence(references)}\n"""' if references else ""
    if tpl.lang == "zh-HK":
        system = "你是香港特區政府的公文草擬員，以香港繁體中文及正式書面語書寫。"
        ask = (
            f"根據以上要點草擬一份完整的{tpl.title}。{tpl.guidance}\n格式（括號內的部分按要點填寫；要點沒有提及的才保留括號）：\n"
            f"{tpl.structure}\n\n不可虛構要點沒有的人名、數字或日期。只輸出文件內容。"
        )
        return [{"role": "system", "content": system}, {"role": "user", "content": f"要點：\n{points.strip()}{refs}\n\n{ask}"}]
    system = "You draft official documents for the Hong Kong SAR Government in formal British English."
    ask = (
        f"Write a complete {tpl.title.lower()} from these key points. {tpl.guidance}\n"
        "Layout (fill in each part in brackets from the key points; keep the brackets only where the key points do not say):\n"
        f"{tpl.structure}\n\nDo not invent names, figures or dates. Reply with the document only."
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": f"Key points:\n{points.strip()}{refs}\n\n{ask}"}]


def instruction_text(tpl: DraftTemplate) -> str:
    """Everything the drafting prompts tell the model besides the key points (to recognise copies)."""
    return "\n".join(m["content"] for m in [*draft_messages(tpl, "", ""), *body_messages(tpl, "", ""),
                                             *body_messages(tpl, "", "", parts=True)])


def body_messages(tpl: DraftTemplate, points: str, references: str, parts: bool = False) -> list[Message]:
    """Only the body text, for when the model's draft was the layout without the text its type
    needs; ``parts``: an introduction, then one paragraph for each part of the question."""
    refs = f'\n\nReference material:\n"""\n{fence(references)}\n"""' if references else ""
    if tpl.lang == "zh-HK":
        system = "你是香港特區政府的公文草擬員，以香港繁體中文及正式書面語書寫。"
        shape = "先寫一段引言，然後按提問次序，每部分各寫一段回答" if parts else "分兩至四段，每段一至三句完整的句子"
        ask = (f"根據以上要點，撰寫{tpl.title}的正文，{shape}。不要寫標題、檔號、稱謂、日期、"
               "結尾或括號，不可虛構要點沒有的人名、數字或日期。只輸出正文。")
        return [{"role": "system", "content": system}, {"role": "user", "content": f"要點：\n{points.strip()}{refs}\n\n{ask}"}]
    system = "You draft official documents for the Hong Kong SAR Government in formal British English."
    shape = ("one introductory paragraph, then one paragraph answering each part of the question in the order asked"
             if parts else "two to four paragraphs of one to three full sentences each")
    ask = (f"Write the body of a {tpl.title.lower()} from these key points: {shape}. Do not write a heading, references, "
           "salutation, date, closing or brackets, and do not invent names, figures or dates. Reply with the paragraphs only.")
    return [{"role": "system", "content": system}, {"role": "user", "content": f"Key points:\n{points.strip()}{refs}\n\n{ask}"}]


def draft_document(
    engine: Engine,
    doc_type: str,
    lang: str,
    points: str,
    cancel: CancelToken,
    references: list[Document] | None = None,
    fields: dict[str, str] | None = None,
) -> Iterator[Event]:
    """``fields``: values for the template's [fields] (reference, addressee...), used where the
    draft lacks a part its type needs (tasks/format_check.py); the Result carries the check."""
    from hkpilot.tasks.format_check import drop_body, finish_draft, insert_body, load_spec

    tpl = load_template(doc_type, lang)
    if not points.strip():
        raise UsageError(detail=N_("no key points given"))
    window = engine.info().context_window
    out_tokens = min(_OUTPUT_TOKENS, window // 3)
    room = window - out_tokens - engine.count_tokens(points) - 400
    ref_text, read, total = "", 0, 0
    for doc in references or []:
        for block in doc.text_blocks:
            total += len(block.text)
            line = f"{block.text.strip()}\n"
            cost = engine.count_tokens(line)
            if cost <= room:
                ref_text += line
                room -= cost
                read += len(block.text)
    if total and read < total:
        yield Notice(
            N_("Only {percent}% of the reference material fits in the model's context."), {"percent": int(100 * read / total)}
        )
    yield Progress(0, 1)
    params = GenParams(max_tokens=out_tokens, temperature=0.3, repeat_penalty=1.1)
    text = yield from stream_guarded(engine, draft_messages(tpl, points, ref_text), params, cancel, lang)
    spec = load_spec(doc_type, lang)
    first, report = finish_draft(text, doc_type, lang, fields or {})
    if {i.check for i in report.missing} & _TEXT_CHECKS:
        # A small model sometimes copies the layout and writes nothing in it, or one paragraph where
        # the type needs numbered ones: ask for the text alone and put it, numbered in the type's
        # style, in place of the draft's; keep whichever version lacks less.
        yield Notice(BODY_ASKED)
        yield Token("\n\n")
        body = yield from stream_guarded(engine, body_messages(tpl, points, ref_text, spec.numbering == "parts"),
                                         params, cancel, lang)
        second, again = finish_draft(insert_body(drop_body(text, spec), body, spec), doc_type, lang, fields or {})
        if len(again.missing) < len(report.missing):
            first, report = second, again
    text = first
    yield Progress(1, 1)
    yield Result(text=text, coverage=(read / total) if total else 1.0, findings=[Finding("format", [report])])

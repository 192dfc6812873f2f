"""Translate a whole document block by block into a new file; the source is never touched.

Every request shares the same system prompt, so llama.cpp keeps that prefix in its KV
cache between blocks. Blocks longer than a safe share of the context are split at
sentence ends. Chinese output is converted to the target script (s2hk for zh-HK).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from hkpilot.documents.model import Block, Document
from hkpilot.engines.base import CancelToken, Engine, GenParams
from hkpilot.errors import OutputError
from hkpilot.i18n import N_
from hkpilot.tasks.events import Event, Notice, Progress, Result, Token
from hkpilot.tasks.languages import check_target, in_language, needs_translation, source_language, to_script
from hkpilot.tasks.prompts import translation_messages
from hkpilot.tasks.streaming import stream_guarded

log = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"(?<=[.!?;。！？；])\s*")
_PREAMBLE = re.compile(r"^\s*(translation|譯文|翻譯|翻译)\s*[:：]\s*", re.IGNORECASE)


def output_suffix(doc: Document) -> str:
    return ".xlsx" if doc.format == "xlsx" else ".docx"


def default_output(doc: Document, target: str) -> Path:
    return doc.path.with_name(f"{doc.path.stem}.{target}{output_suffix(doc)}")


def split_long(text: str, max_chars: int) -> list[str]:
    """Split at sentence ends into pieces of at most about ``max_chars``."""
    if len(text) <= max_chars:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        if not sentence:
            continue
        if current and len(current) + len(sentence) + 1 > max_chars:
            pieces.append(current)
            current = ""
        while len(sentence) > max_chars:  # one endless sentence: cut hard
            pieces.append(sentence[:max_chars])
            sentence = sentence[max_chars:]
        current = f"{current} {sentence}".strip() if current else sentence
    if current:
        pieces.append(current)
    return pieces


def clean_translation(text: str, source: str) -> str:
    """Drop what small models add around a translation (a label, wrapping quotes)."""
    out = _PREAMBLE.sub("", text.strip())
    if len(out) >= 2 and out[0] in "\"“「'" and out[-1] in "\"”」'" and source[:1] not in "\"“「'":
        out = out[1:-1].strip()
    return out


def translate_text(
    engine: Engine, text: str, target: str, cancel: CancelToken, anchor: str = "", context_window: int = 4096
) -> Iterator[Event]:
    """Translate one block, streaming Tokens; the last event is a Result with the text."""
    source = source_language(target)
    budget_chars = max(200, context_window // 4)  # source tokens are at most chars; leave room for output
    parts: list[str] = []
    for piece in split_long(text, budget_chars):
        est = engine.count_tokens(piece)
        params = GenParams(max_tokens=min(est * 2 + 24, max(64, context_window // 2)), temperature=0.1)
        out = ""
        for attempt in range(2):
            # A small model sometimes answers in the source language; ask once more, more plainly.
            messages = translation_messages(piece, source, target, insist=attempt > 0)
            reply = yield from stream_guarded(engine, messages, params, cancel, target, anchor=anchor)
            out = clean_translation(reply, piece)
            if in_language(out, target):
                break
        parts.append(out)
    joiner = "" if target != "en" else " "
    yield Result(text=joiner.join(p for p in parts if p))


def check_request(doc: Document, target: str, output: Path) -> None:
    """Refuse a bad target or an output that would replace the source, before any model work."""
    check_target(target)
    if Path(output).resolve() == doc.path.resolve():
        raise OutputError(path=str(output), detail=N_("the output would overwrite the source document"))


def translate_document(doc: Document, engine: Engine, target: str, output: Path, cancel: CancelToken) -> Iterator[Event]:
    """Translate every text block of ``doc`` and write the translated copy to ``output``."""
    check_request(doc, target, output)
    window = engine.info().context_window
    blocks: list[Block] = doc.text_blocks
    translations: dict[str, str] = {}
    total = len(blocks)
    kept = 0
    yield Progress(0, total)
    for i, block in enumerate(blocks):
        cancel.check()
        if not needs_translation(block.text, target):
            translations[block.anchor] = to_script(block.text, target)
        else:
            result = ""
            for event in translate_text(engine, block.text, target, cancel, block.anchor, window):
                if isinstance(event, Result):
                    result = event.text
                else:
                    yield event
            if not result.strip():
                kept += 1
                result = block.text  # never leave a hole: keep the source and say so
            translations[block.anchor] = result
        yield Token("\n\n", block.anchor)
        yield Progress(i + 1, total)
    if kept:
        yield Notice(N_("{count} blocks came back empty from the model and were left untranslated."), {"count": kept})
    write_translation(doc, translations, output)
    yield Result(output_path=output, stats={"blocks": total, "untranslated": kept})


def write_translation(doc: Document, translations: dict[str, str], output: Path) -> None:
    """Put the translations into a copy of the source (docx, xlsx) or a new .docx."""
    if doc.format == "docx":
        from hkpilot.documents.docx_writer import save_translated_copy

        save_translated_copy(doc, translations, output)
    elif doc.format == "xlsx":
        from hkpilot.documents.xlsx_reader import save_translated_workbook

        save_translated_workbook(doc.path, translations, output, fingerprint=doc.fingerprint)
    else:
        from hkpilot.documents.docx_writer import write_new_docx

        blocks = [dataclasses.replace(b, text=translations.get(b.anchor, b.text), handle=None) for b in doc.text_blocks]
        write_new_docx(blocks, output, title=doc.meta.title)

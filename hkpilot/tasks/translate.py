"""Translate a whole document block by block into a new file; the source is never touched.

Every request shares the same system prompt, so llama.cpp keeps that prefix in its KV
cache between blocks. Blocks longer than a safe share of the context are split at
sentence ends. Chinese output is converted to the target script (s2hk for zh-HK).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Generator, Iterator
from pathlib import Path

from hkpilot.documents.inline_markup import strip_tags
from hkpilot.documents.model import Block, Document, WriteReport
from hkpilot.engines.base import CancelToken, Engine, GenParams
from hkpilot.errors import OutputError
from hkpilot.i18n import N_
from hkpilot.tasks import glossary_translate as terms
from hkpilot.tasks import tag_recovery
from hkpilot.tasks.answer_checks import hold_cut_notices
from hkpilot.tasks.batch_translate import translate_blocks
from hkpilot.tasks.events import Event, Notice, Progress, Result, Token
from hkpilot.tasks.glossary import Glossary
from hkpilot.tasks.inline_tags import TagStripper, report_notices, tags_kept, with_tag_rules
from hkpilot.tasks.languages import check_target, in_language, needs_translation, source_language
from hkpilot.tasks.prompts import translation_messages
from hkpilot.tasks.script_guard import guard_reply
from hkpilot.tasks.streaming import stream_guarded
from hkpilot.tasks.untrusted import NOT_TRANSLATED

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
    engine: Engine,
    text: str,
    target: str,
    cancel: CancelToken,
    anchor: str = "",
    context_window: int = 4096,
    glossary: Glossary | None = None,
) -> Iterator[Event]:
    """Translate one block, streaming Tokens; the last event is a Result with the text.

    With a ``glossary`` (tasks/glossary_translate.py): an exact memory match is used as it
    is, the segment's terms go to the model, and the output is verified (a Finding).
    """
    source = source_language(target)
    reused = yield from terms.from_memory(glossary, text, source, target, anchor)
    if reused is not None:
        yield Result(text=reused)
        return
    budget_chars = max(200, context_window // 4)  # source tokens are at most chars; leave room for output
    parts: list[str] = []
    for piece in split_long(text, budget_chars):
        est = engine.count_tokens(piece)
        params = GenParams(max_tokens=min(est * 2 + 24, max(64, context_window // 2)), temperature=0.1)
        out = ""
        cut: list[Event] = []  # the notices of the kept answer, when a server cut it off mid-way
        hints = terms.hints(glossary, strip_tags(piece), source, target)
        for attempt in range(2):
            # A small model sometimes answers in the source language, or drops formatting
            # tags (tasks/inline_tags.py); a server may cut an answer off (a stall, a dropped
            # connection): ask once more, more plainly. A document must not keep half a sentence.
            messages = translation_messages(piece, source, target, attempt > 0, hints.terms, hints.example)
            messages = with_tag_rules(messages, piece)
            notes: list[Event] = []
            reply = yield from hold_cut_notices(
                stream_guarded(engine, messages, params, cancel, target, anchor=anchor), notes)
            candidate = clean_translation(reply, piece)
            if not out or cut or in_language(strip_tags(candidate), target):  # a whole answer beats a cut one
                out, cut = candidate, notes
            if not cut and in_language(strip_tags(out), target) and tags_kept(piece, out):
                break
        yield from cut  # the answer kept was cut off too: the task says so (the CLI adds "incomplete")
        if out.strip() and not tags_kept(piece, out):
            # Formatting the model would not keep: put it back by projection, else phrase by phrase.
            plain = _plain_translator(engine, source, target, cancel, anchor, context_window)
            out = yield from tag_recovery.recover(piece, out, target, plain, anchor)
        if out.strip() and not in_language(strip_tags(out), target):
            yield Notice(NOT_TRANSLATED, {"anchor": anchor or "-"})  # maybe an instruction in the text was obeyed
        out = yield from terms.enforce(engine, glossary, piece, out, source, target, params, cancel, anchor)
        parts.append(out)
    joiner = "" if target != "en" else " "
    yield Result(text=joiner.join(p for p in parts if p))


def _plain_translator(
    engine: Engine, source: str, target: str, cancel: CancelToken, anchor: str, context_window: int
) -> tag_recovery.PlainTranslator:
    """Translate a short fragment without tags, nothing streamed (for tag_recovery)."""

    def translate(fragment: str) -> Generator[Event, None, str]:
        est = engine.count_tokens(fragment)
        params = GenParams(max_tokens=min(est * 3 + 16, max(64, context_window // 2)), temperature=0.1)
        best = ""
        for attempt in range(2):
            messages = translation_messages(fragment, source, target, attempt > 0)
            reply = yield from stream_guarded(engine, messages, params, cancel, target, show=False, anchor=anchor)
            candidate = clean_translation(reply, fragment)
            if candidate and (not best or in_language(candidate, target)):
                best = candidate
            if in_language(best, target):
                break
        return best or fragment

    return translate


def check_request(doc: Document, target: str, output: Path, layout: str = "replace") -> None:
    """Refuse a bad target, layout or output type, or an output that would replace the source."""
    from hkpilot.documents.translated_output import check_output

    check_target(target)
    if Path(output).resolve() == doc.path.resolve():
        raise OutputError(path=str(output), detail=N_("the output would overwrite the source document"))
    check_output(doc, Path(output), layout)


def translate_document(
    doc: Document,
    engine: Engine,
    target: str,
    output: Path,
    cancel: CancelToken,
    layout: str = "replace",
    glossary: Glossary | None = None,
) -> Iterator[Event]:
    """Translate every text block of ``doc`` and write the translated copy to ``output``."""
    check_request(doc, target, output, layout)
    window = engine.info().context_window
    blocks: list[Block] = doc.text_blocks
    translations: dict[str, str] = {}
    total = len(blocks)
    kept = 0
    yield Progress(0, total)

    def translate_block(block: Block, block_cancel: CancelToken) -> Generator[Event, None, str | None]:
        """The block's translation (None: the model gave nothing back)."""
        text = block.markup or block.text  # Word formatting rides along as inline tags
        result: str | None = yield from guard_reply(text, target, block.anchor)  # changes listed for review
        if needs_translation(strip_tags(text), target):
            result = ""
            shown = TagStripper()
            for event in translate_text(engine, text, target, block_cancel, block.anchor, window, glossary):
                if isinstance(event, Result):
                    result = event.text
                else:
                    yield shown.token(event) if isinstance(event, Token) else event
            result = result if result.strip() else None
        elif result:
            yield Token(strip_tags(result), block.anchor)  # numbers, codes: shown as they stay
        yield Token("\n\n", block.anchor)
        return result

    # The engine takes blocks N at a time (a server's requests, or the local model's batch),
    # events still in document order; a repeated text is translated once (tasks/batch_translate.py).
    results = yield from translate_blocks(translate_block, blocks, engine, cancel, key=lambda b: b.markup or b.text,
                                          shown=strip_tags, anchor=lambda b: b.anchor, progress=(0, total))
    for block, result in zip(blocks, results, strict=True):
        if result is None:
            kept += 1
            result = block.markup or block.text  # never leave a hole: keep the source and say so
        translations[block.anchor] = result
    if kept:
        yield Notice(N_("{count} blocks came back empty from the model and were left untranslated."), {"count": kept})
    yield from report_notices(write_translation(doc, translations, output, layout))
    # The translations by anchor: a face can write the same translation again in another
    # form (the window's Export as PDF, documents/translated_output.py).
    yield Result(output_path=output, stats={"blocks": total, "untranslated": kept, "translations": translations})


def write_translation(doc: Document, translations: dict[str, str], output: Path, layout: str = "replace") -> WriteReport:
    """Put the translations into a copy of the source (docx, xlsx) or a new .docx or .pdf."""
    from hkpilot.documents.translated_output import write_translated

    return write_translated(doc, translations, output, layout)

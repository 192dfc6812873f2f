"""Summarise a document: whole text in context when it fits, else map-reduce by section.

Nothing is cut silently: every block is read (map-reduce when needed) and the Result
says what share of the text was read. Blocks go to the model with their anchors, so
each point can cite where it came from.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import replace

from hkpilot.documents.model import Block, Document
from hkpilot.engines.base import CancelToken, Engine, GenParams
from hkpilot.errors import ContextTooLong, UsageError
from hkpilot.i18n import N_
from hkpilot.tasks.events import Event, Notice, Progress, Result
from hkpilot.tasks.parallel import map_in_order, workers_for
from hkpilot.tasks.prompts import LENGTH_GUIDE, merge_messages, summary_messages
from hkpilot.tasks.streaming import stream_guarded

LANGS = ("en", "zh-HK")
OUTPUT_TOKENS = {"short": 300, "medium": 600, "long": 1000}
_PROMPT_OVERHEAD = 200  # the system prompt and chat template, in tokens


def anchored_text(blocks: list[Block]) -> str:
    return "\n".join(f"[{b.anchor}] {b.text.strip()}" for b in blocks if b.text.strip())


def plan_chunks(blocks: list[Block], engine: Engine, budget: int) -> list[list[Block]]:
    """Group blocks into chunks of at most ``budget`` tokens, breaking at sections first."""
    chunks: list[list[Block]] = []
    current: list[Block] = []
    used = 0
    for block in blocks:
        cost = engine.count_tokens(f"[{block.anchor}] {block.text}") + 1
        if cost > budget:  # one enormous block: split its text into pieces that fit
            pieces = _split_block(block, engine, budget)
        else:
            pieces = [block]
        for piece in pieces:
            cost = cost if piece is block else engine.count_tokens(piece.text) + 8
            new_section = bool(current) and piece.section != current[-1].section and used > budget // 2
            if current and (used + cost > budget or new_section):
                chunks.append(current)
                current, used = [], 0
            current.append(piece)
            used += cost
    if current:
        chunks.append(current)
    return chunks


def _split_block(block: Block, engine: Engine, budget: int) -> list[Block]:
    text = block.text
    per_token = max(1.0, len(text) / max(1, engine.count_tokens(text)))
    size = max(100, int(budget * per_token * 0.9))
    return [
        Block(anchor=block.anchor, kind=block.kind, text=text[i : i + size], section=block.section, page=block.page)
        for i in range(0, len(text), size)
    ]


_MIN_BUDGET = 256  # tokens of document text per request, below which a summary is not attempted
_WINDOW_TOO_SMALL = N_("The model's context window ({limit} tokens) is too small to summarise with: "
                       "at least {needed} tokens are needed.")
_WINDOW_LEARNT = N_("The server's context window is only {limit} tokens; the text is split again to fit it.")


def summarise_document(doc: Document, engine: Engine, length: str, lang: str, cancel: CancelToken) -> Iterator[Event]:
    if length not in LENGTH_GUIDE:
        raise UsageError(detail=f"--length {length}")
    if lang not in LANGS:
        raise UsageError(detail=f"--lang {lang}")
    window = engine.info().context_window
    try:
        yield from _summarise(doc, engine, length, lang, cancel, window)
    except ContextTooLong:
        # A server that does not state its window (llama-cpp-python) refused a part: the
        # engine has learnt the real window from the refusal, so plan the parts again, once.
        learnt = engine.info().context_window
        if learnt >= window:
            raise
        yield Notice(_WINDOW_LEARNT, {"limit": learnt})
        yield from _summarise(doc, engine, length, lang, cancel, learnt)


def _summarise(doc: Document, engine: Engine, length: str, lang: str, cancel: CancelToken, window: int) -> Iterator[Event]:
    blocks = doc.text_blocks
    out_tokens = min(OUTPUT_TOKENS[length], window // 4)
    budget = window - out_tokens - _PROMPT_OVERHEAD
    if budget < _MIN_BUDGET:
        needed = -(-4 * (_MIN_BUDGET + _PROMPT_OVERHEAD) // 3)  # a small window gives a quarter to the answer
        raise ContextTooLong(_WINDOW_TOO_SMALL, limit=window, needed=needed)
    params = GenParams(max_tokens=out_tokens, temperature=0.2, repeat_penalty=1.1)
    chunks = plan_chunks(blocks, engine, budget)
    total_chars = sum(len(b.text) for b in blocks) or 1
    steps = len(chunks) + (1 if len(chunks) > 1 else 0)
    yield Progress(0, steps)
    if len(chunks) == 1:
        text = yield from stream_guarded(engine, summary_messages(anchored_text(chunks[0]), length, lang), params, cancel, lang)
        yield Progress(1, 1)
        yield Result(text=text, coverage=1.0, stats={"chunks": 1, "blocks": len(blocks)})
        return
    yield Notice(
        N_("The document is longer than the model's context: it is summarised in {count} parts, then combined."),
        {"count": len(chunks)},
    )

    part_params = _part_params(params, budget)

    def summarise_part(chunk: list[Block], part_cancel: CancelToken) -> Generator[Event, None, str]:
        messages = summary_messages(anchored_text(chunk), length, lang, partial=True)
        return (yield from stream_guarded(engine, messages, part_params, part_cancel, lang, show=False))

    # A server takes the parts N at a time (tasks/parallel.py); the local engine one by one.
    partials = yield from map_in_order(summarise_part, chunks, workers_for(engine), cancel, progress=(0, steps))
    read_chars = sum(len(b.text) for chunk in chunks for b in chunk)
    text = yield from _reduce(engine, partials, length, lang, params, cancel, budget)
    yield Progress(steps, steps)
    coverage = min(1.0, read_chars / total_chars)
    yield Result(text=text, coverage=coverage, stats={"chunks": len(chunks), "blocks": len(blocks)})


def _part_params(params: GenParams, budget: int) -> GenParams:
    """Partial summaries short enough that any two fit in one merge request, so merging always
    makes progress (it matters only in small windows: 2048 tokens leave room for five)."""
    return replace(params, max_tokens=max(32, min(params.max_tokens, budget // 2 - 8)))


def _reduce(
    engine: Engine, partials: list[str], length: str, lang: str, params: GenParams, cancel: CancelToken, budget: int
) -> Generator[Event, None, str]:
    """Merge partial summaries, in rounds when they do not fit together; return the final text."""
    while True:
        groups: list[list[str]] = [[]]
        used = 0
        for text in partials:
            cost = engine.count_tokens(text) + 2
            if groups[-1] and used + cost > budget:
                groups.append([])
                used = 0
            groups[-1].append(text)
            used += cost
        if len(groups) == 1:
            return (yield from stream_guarded(engine, merge_messages("\n\n".join(groups[0]), length, lang), params, cancel, lang))

        def merge_group(group: list[str], part_cancel: CancelToken) -> Generator[Event, None, str]:
            messages = merge_messages("\n\n".join(group), length, lang)
            return (yield from stream_guarded(engine, messages, _part_params(params, budget), part_cancel, lang,
                                              show=False))

        merged = yield from map_in_order(merge_group, groups, workers_for(engine), cancel)
        if len(merged) >= len(partials):  # no progress: would loop for ever
            raise ContextTooLong(tokens=sum(engine.count_tokens(t) for t in partials), limit=budget)
        partials = merged

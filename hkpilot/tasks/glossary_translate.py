"""The glossary's part in translating one segment: memory, prompt terms, verification, retry.

``translate.translate_text`` calls three hooks: ``from_memory`` (an exact translation
memory match is used as it is), ``hints`` (the segment's terms and the closest memory
pair for the prompt) and ``enforce`` (verify; when a term was not followed, ask once
more insisting on the missing terms, keep the better answer, report what is left).

Terms go to the model as short turns of a conversation before the text ("Legislative
Council" -> "立法會"): on the starter model (Qwen2.5 0.5B) that was followed far more
often than a list in the system prompt or a note under the text (violations on the first
12 evaluation segments, EN -> zh-HK: 4 of 17 as turns, 9 in the system prompt, 8 as a
note, 12 without terms).
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass

from hkpilot.documents.inline_markup import strip_tags
from hkpilot.engines.base import CancelToken, Engine, GenParams, Message
from hkpilot.tasks.events import Event, Finding, Token
from hkpilot.tasks.glossary import Glossary, GlossaryCheck
from hkpilot.tasks.inline_tags import tags_kept, with_tag_rules
from hkpilot.tasks.languages import PROMPT_NAMES, in_language
from hkpilot.tasks.script_guard import guard_reply
from hkpilot.tasks.streaming import stream_guarded


@dataclass
class MemoryUse:
    """A segment translated from the translation memory (``score`` 1.0: exact)."""

    anchor: str
    score: float


@dataclass
class Hints:
    terms: list[tuple[str, str]]
    example: tuple[str, str] | None = None


def glossary_messages(
    text: str,
    source: str,
    target: str,
    terms: list[tuple[str, str]],
    example: tuple[str, str] | None,
    insist: bool,
) -> list[Message]:
    """The usual translation prompt with each term as a translated turn before the text."""
    from hkpilot.tasks.prompts import translation_messages

    base = translation_messages(text, source, target, example=example)
    turns: list[Message] = []
    for src, tgt in terms:
        turns += [{"role": "user", "content": src}, {"role": "assistant", "content": tgt}]
    last: Message = base[-1]
    if insist:
        required = "; ".join(f"{s} = {t}" for s, t in terms)
        last = {
            "role": "user",
            "content": f"Translate into {PROMPT_NAMES[target]}, using exactly these terms: {required}. "
            f"Output only the translation.\n\n{text}",
        }
    return [*base[:-1], *turns, last]


def hints(glossary: Glossary | None, text: str, source: str, target: str) -> Hints:
    if glossary is None:
        return Hints([])
    example = None
    if glossary.memory is not None:
        hit = glossary.memory.lookup(text, source)
        if hit is not None:
            example = (hit[0], hit[1])
    return Hints(glossary.prompt_terms(text, source, target), example)


def from_memory(
    glossary: Glossary | None, text: str, source: str, target: str, anchor: str
) -> Generator[Event, None, str | None]:
    """The memory's translation of ``text`` when it holds exactly this segment, else None."""
    if glossary is None or glossary.memory is None:
        return None
    hit = glossary.memory.lookup(text, source)
    if hit is None or hit[2] < 1.0:
        return None
    out = yield from guard_reply(hit[1], target, anchor)
    yield Token(out, anchor)
    yield Finding("memory", [MemoryUse(anchor, hit[2])], anchor)
    check = glossary.verify(strip_tags(text), strip_tags(out), source, target, anchor)  # the memory may predate a term
    if check.checked:
        yield Finding("glossary", [check], anchor)
    return out


def enforce(
    engine: Engine,
    glossary: Glossary | None,
    text: str,
    translation: str,
    source: str,
    target: str,
    params: GenParams,
    cancel: CancelToken,
    anchor: str = "",
) -> Generator[Event, None, str]:
    """Verify ``translation``; retry once on violations; yield the "glossary" Finding; return the text."""
    if glossary is None:
        return translation
    plain = strip_tags(text)  # Word formatting rides along as inline tags (tasks/inline_tags.py)
    check: GlossaryCheck = glossary.verify(plain, strip_tags(translation), source, target, anchor)
    if check.violations and glossary.retry:
        from hkpilot.tasks.translate import clean_translation

        terms = [(v.source_term, _target_form(v.expected[0], target)) for v in check.violations]
        messages = with_tag_rules(glossary_messages(text, source, target, terms, None, insist=True), text)
        reply = yield from stream_guarded(engine, messages, params, cancel, target, show=False, anchor=anchor)
        second = clean_translation(reply, text)
        again = glossary.verify(plain, strip_tags(second), source, target, anchor)
        better = len(again.violations) < len(check.violations) and keeps_content(plain, strip_tags(translation),
                                                                                 strip_tags(second))
        if better and in_language(strip_tags(second), target) and tags_kept(text, second):
            translation, check = second, again
            check.retried = True
    if check.checked:
        yield Finding("glossary", [check], anchor)
    return translation


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def keeps_content(source: str, first: str, second: str) -> bool:
    """Whether the insisting retry still translates the whole text, as the first answer did.

    A small model asked to use given terms sometimes answers with the term list itself
    ("沙中綫 = 沙中綫; 屯馬綫 = 屯馬綫") or a fragment: fewer violations, but no translation.
    """
    if "=" in second and "=" not in source:
        return False
    if len(second.strip()) < 0.6 * len(first.strip()):
        return False
    numbers = set(_NUMBER.findall(source))
    return sum(n in second for n in numbers) >= sum(n in first for n in numbers)


def _target_form(term: str, target: str) -> str:
    from hkpilot.tasks.languages import to_script

    return to_script(term, target)

"""Rewrite a selection of a draft: shorter, longer, more formal, plain language,
grammar fixed, or translated into the other language."""

from __future__ import annotations

from collections.abc import Iterator

from hkpilot.engines.base import CancelToken, Engine, GenParams, Message
from hkpilot.errors import UsageError
from hkpilot.tasks.events import Event, Progress, Result
from hkpilot.tasks.languages import PROMPT_NAMES, is_chinese
from hkpilot.tasks.streaming import stream_guarded
from hkpilot.tasks.untrusted import fence

ACTIONS = {
    "shorter": "Make the text shorter and more concise; keep every fact.",
    "longer": "Expand the text with fuller explanation in the same register; add no new facts.",
    "formal": "Rewrite the text in the formal register of Hong Kong Government documents.",
    "plain": "Rewrite the text in plain language that a member of the public understands easily.",
    "grammar": "Correct grammar, spelling and punctuation; change nothing else.",
    "translate": "Translate the text.",
}


def rewrite_messages(text: str, action: str, lang: str) -> list[Message]:
    how = ACTIONS[action]
    if action == "translate":
        how = f"Translate the text into {PROMPT_NAMES[lang]}."
    else:
        how += f" Write in {PROMPT_NAMES[lang]}."
    return [
        {"role": "system", "content": "You edit documents for Hong Kong Government officers."},
        {"role": "user", "content": f'Text:\n"""\n{fence(text.strip())}\n"""\n\n{how} Reply with the rewritten text only.'},
    ]


def rewrite_text(engine: Engine, text: str, action: str, lang: str, cancel: CancelToken) -> Iterator[Event]:
    """``lang`` is the language of the result; for "translate", the language to translate into
    ("" picks the other one of English and Hong Kong Chinese)."""
    if action not in ACTIONS:
        raise UsageError(detail=f"rewrite {action} ({', '.join(ACTIONS)})")
    if not text.strip():
        raise UsageError(detail="empty selection")
    if not lang:
        lang = "en" if is_chinese(text) else "zh-HK"
    if lang not in PROMPT_NAMES:
        raise UsageError(detail=f"language {lang}")
    tokens = engine.count_tokens(text)
    factor = 3 if action in ("longer", "translate") else 2
    params = GenParams(
        max_tokens=min(tokens * factor + 64, engine.info().context_window // 2), temperature=0.3, repeat_penalty=1.1
    )
    yield Progress(0, 1)
    out = yield from stream_guarded(engine, rewrite_messages(text, action, lang), params, cancel, lang)
    yield Progress(1, 1)
    yield Result(text=out)

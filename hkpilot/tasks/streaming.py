"""Run one model request inside a task: stream Tokens in the output script, stop a loop."""

from __future__ import annotations

from collections.abc import Generator

from hkpilot.engines.base import CancelToken, Engine, GenParams, Message
from hkpilot.i18n import N_
from hkpilot.tasks.answer_checks import answer_notices
from hkpilot.tasks.events import Event, Notice, Token
from hkpilot.tasks.guard import LoopGuard
from hkpilot.tasks.script_guard import ScriptStream, guard_reply


def stream_guarded(
    engine: Engine,
    messages: list[Message],
    params: GenParams,
    cancel: CancelToken,
    lang: str,
    show: bool = True,
    anchor: str = "",
) -> Generator[Event, None, str]:
    """Yield the reply's Tokens (when ``show``) and return the whole reply, script-converted.

    A reply that starts repeating itself is stopped there; the repetition is dropped and a
    Notice says so. Chinese goes through the HK script guard; what it changed comes as a
    Finding (when ``show``: hidden replies are intermediate).
    """
    guard = LoopGuard()
    script = ScriptStream(lang)
    stream = engine.stream(messages, params, cancel)
    looped = False
    try:
        for piece in stream:
            if show and (text := script.feed(piece)):
                yield Token(text, anchor)
            if guard.feed(piece):
                looped = True
                break
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()  # stops generation now rather than at the token limit
    if show and (rest := script.flush()):
        yield Token(rest, anchor)
    if looped:
        yield Notice(N_("The model started repeating itself; the repetition was removed."))
    yield from answer_notices(engine, anchor)  # cut off mid-way, or the server cut the prompt
    return (yield from guard_reply(guard.result().strip(), lang, anchor, report=show))

"""Run one model request inside a task: stream Tokens in the output script, stop a loop."""

from __future__ import annotations

from collections.abc import Generator

from hkpilot.engines.base import CancelToken, Engine, GenParams, Message
from hkpilot.i18n import N_
from hkpilot.tasks.events import Event, Notice, Token
from hkpilot.tasks.guard import LoopGuard
from hkpilot.tasks.languages import to_script


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
    Notice says so.
    """
    guard = LoopGuard()
    stream = engine.stream(messages, params, cancel)
    looped = False
    try:
        for piece in stream:
            if show:
                yield Token(to_script(piece, lang), anchor)
            if guard.feed(piece):
                looped = True
                break
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()  # stops generation now rather than at the token limit
    if looped:
        yield Notice(N_("The model started repeating itself; the repetition was removed."))
    return to_script(guard.result().strip(), lang)

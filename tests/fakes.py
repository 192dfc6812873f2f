"""A scripted engine for unit tests of the tasks (never used outside tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from hkpilot.engines.base import CancelToken, EngineInfo, GenParams, Message, StreamStats


class ScriptedEngine:
    """Answers each request with ``reply(messages)``, streamed in small pieces."""

    def __init__(self, reply: Callable[[list[Message]], str], context_window: int = 4096) -> None:
        self.reply = reply
        self.window = context_window
        self.requests: list[list[Message]] = []
        self.last_stats = StreamStats()

    def info(self) -> EngineInfo:
        return EngineInfo(kind="local", name="scripted", context_window=self.window)

    def count_tokens(self, text: str) -> int:
        return max(1, len(text) // 4)

    def stream(self, messages: list[Message], params: GenParams, cancel: CancelToken) -> Iterator[str]:
        self.requests.append(messages)
        text = self.reply(messages)
        for i in range(0, len(text), 3):
            cancel.check()
            yield text[i : i + 3]

    def close(self) -> None:
        pass

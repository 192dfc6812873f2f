"""The Engine protocol shared by the local and remote engines.

Callers never know which engine they hold: both stream text pieces, can be cancelled
mid-stream through a CancelToken, and report what they did in ``last_stats``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypedDict

from hkpilot.errors import Cancelled


class Message(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class GenParams:
    max_tokens: int = 1024
    temperature: float = 0.2
    top_p: float = 0.95
    top_k: int = 40
    repeat_penalty: float = 1.05
    stop: tuple[str, ...] = ()
    seed: int | None = None


@dataclass
class EngineInfo:
    kind: Literal["local", "server"]
    name: str
    context_window: int
    chat_template: bool = True
    detail: dict[str, str] = field(default_factory=dict)  # backend, GPU layers, quantization...


@dataclass
class StreamStats:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    first_token_s: float = 0.0
    total_s: float = 0.0
    finish_reason: str = ""  # "stop", "length", "cancelled", "incomplete"
    error: str = ""  # code of the failure that cut an "incomplete" answer short
    prompt_dropped: int = 0  # prompt tokens the server reported fewer than were sent (it cut the prompt)

    @property
    def tokens_per_s(self) -> float:
        decode = self.total_s - self.first_token_s
        if self.completion_tokens > 1 and decode > 0:
            return (self.completion_tokens - 1) / decode
        return 0.0


class PerThreadStats:
    """``last_stats`` of an engine, kept per thread: requests made at once from several
    threads (tasks/parallel.py) each read what their own request did."""

    _local: threading.local  # set by the engine's __init__

    @property
    def last_stats(self) -> StreamStats:
        """What the last request made on this thread did."""
        stats = getattr(self._local, "stats", None)
        if stats is None:
            stats = self._local.stats = StreamStats()
        return stats

    @last_stats.setter
    def last_stats(self, stats: StreamStats) -> None:
        self._local.stats = stats


class CancelToken:
    """A thread-safe flag a face sets and a job checks between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise Cancelled when the flag is set."""
        if self._event.is_set():
            raise Cancelled()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True if cancelled meanwhile."""
        return self._event.wait(seconds)


class Engine(Protocol):
    last_stats: StreamStats

    def info(self) -> EngineInfo: ...

    def count_tokens(self, text: str) -> int: ...

    def stream(self, messages: list[Message], params: GenParams, cancel: CancelToken) -> Iterator[str]:
        """Yield pieces of the reply; raise Cancelled when ``cancel`` is set."""
        ...

    def close(self) -> None: ...


def complete(engine: Engine, messages: list[Message], params: GenParams, cancel: CancelToken) -> str:
    """The whole reply as one string."""
    return "".join(engine.stream(messages, params, cancel))


def estimate_tokens(text: str) -> int:
    """A safe over-estimate of tokens when no tokenizer is at hand.

    CJK characters cost about one token each; other text about one per 3 characters.
    """
    cjk = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return cjk + (len(text) - cjk) // 3 + 1

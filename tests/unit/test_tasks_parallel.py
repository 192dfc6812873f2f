"""map_in_order: results and events in order, N at a time, one cancel for all, first failure wins."""

from __future__ import annotations

import threading
import time
from collections.abc import Generator

import pytest

from hkpilot.engines.base import CancelToken, StreamStats
from hkpilot.errors import Cancelled, ServerError
from hkpilot.tasks.answer_checks import INCOMPLETE_AT, PROMPT_DROPPED, answer_notices
from hkpilot.tasks.events import Event, Notice, Progress, Token
from hkpilot.tasks.parallel import LinkedCancel, map_in_order, workers_for


def _work(delays: dict[int, float], running: list[int], peak: list[int], lock: threading.Lock):  # type: ignore[no-untyped-def]
    def work(item: int, cancel: CancelToken) -> Generator[Event, None, str]:
        with lock:
            running.append(item)
            peak[0] = max(peak[0], len(running))
        try:
            for part in range(3):
                if cancel.wait(delays.get(item, 0.01)):
                    raise Cancelled()
                yield Token(f"{item}.{part} ", f"p:{item}")
            return f"r{item}"
        finally:
            with lock:
                running.remove(item)

    return work


@pytest.mark.parametrize("workers", [1, 3])
def test_results_and_events_in_order(workers: int) -> None:
    running: list[int] = []
    peak = [0]
    delays = {0: 0.15, 1: 0.01, 2: 0.05, 3: 0.01, 4: 0.01}  # later items finish first
    gen = map_in_order(_work(delays, running, peak, threading.Lock()), list(range(5)), workers, CancelToken(),
                       progress=(0, 6))
    events: list[Event] = []
    try:
        while True:
            events.append(next(gen))
    except StopIteration as stop:
        results = stop.value
    assert results == [f"r{i}" for i in range(5)]
    tokens = [e.text for e in events if isinstance(e, Token)]
    assert tokens == [f"{i}.{p} " for i in range(5) for p in range(3)]
    assert [e.done for e in events if isinstance(e, Progress)] == [1, 2, 3, 4, 5]
    # each Progress comes after its item's last token
    order = [e.text if isinstance(e, Token) else f"P{e.done}" for e in events if isinstance(e, Token | Progress)]
    assert order.index("P1") > order.index("0.2 ") and order.index("P1") < order.index("1.0 ")
    assert peak[0] == workers


def test_cancel_stops_every_worker_fast() -> None:
    running: list[int] = []
    cancel = CancelToken()
    gen = map_in_order(_work(dict.fromkeys(range(4), 10.0), running, [0], threading.Lock()), list(range(4)), 4, cancel)
    threading.Timer(0.2, cancel.cancel).start()
    t = time.monotonic()
    with pytest.raises(Cancelled):
        list(gen)
    assert time.monotonic() - t < 1.5
    time.sleep(0.1)
    assert running == []


def test_first_failure_stops_the_others() -> None:
    stopped: list[int] = []

    def work(item: int, cancel: CancelToken) -> Generator[Event, None, str]:
        if item == 1:
            raise ServerError(status=500, detail="x")
        if cancel.wait(10):
            stopped.append(item)
            raise Cancelled()
        yield Token("never")
        return ""

    t = time.monotonic()
    with pytest.raises(ServerError):
        list(map_in_order(work, [0, 1, 2], 3, CancelToken()))
    assert time.monotonic() - t < 1.5
    assert 0 in stopped and set(stopped) <= {0, 2}  # item 2 stopped, or was never started


def test_closing_the_generator_cancels_workers() -> None:
    running: list[int] = []
    gen = map_in_order(_work({0: 0.01, 1: 10.0}, running, [0], threading.Lock()), [0, 1], 2, CancelToken())
    next(gen)
    gen.close()
    time.sleep(0.2)
    assert running == []


def test_linked_cancel_and_workers_for() -> None:
    parent = CancelToken()
    child = LinkedCancel(parent)
    assert not child.cancelled
    parent.cancel()
    assert child.cancelled and child.wait(5)

    class Server:
        parallel_requests = 4

    assert workers_for(Server()) == 4  # type: ignore[arg-type]
    assert workers_for(object()) == 1  # type: ignore[arg-type]


def test_answer_notices() -> None:
    class Engine:
        last_stats = StreamStats(finish_reason="incomplete", prompt_dropped=120)

    notices = list(answer_notices(Engine(), "p:3"))  # type: ignore[arg-type]
    assert [n.message for n in notices] == [INCOMPLETE_AT, PROMPT_DROPPED]
    assert "p:3" in notices[0].render() and "120" in notices[1].render()
    Engine.last_stats = StreamStats(finish_reason="stop")
    assert list(answer_notices(Engine())) == []  # type: ignore[arg-type]
    assert all(isinstance(n, Notice) for n in notices)

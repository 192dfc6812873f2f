"""batch_translate.translate_blocks: each distinct text worked once, events in document order."""

from __future__ import annotations

import threading
import time
from collections.abc import Generator
from dataclasses import dataclass

import pytest

from hkpilot.engines.base import CancelToken
from hkpilot.errors import Cancelled
from hkpilot.tasks.batch_translate import translate_blocks
from hkpilot.tasks.events import Event, Progress, Token


@dataclass
class Item:
    anchor: str
    text: str


@dataclass
class Capacity:
    parallel_requests: int


def _run(items: list[Item], workers: int, delay: float = 0.0, fail: str = ""):  # type: ignore[no-untyped-def]
    calls: list[str] = []
    lock = threading.Lock()

    def work(item: Item, cancel: CancelToken) -> Generator[Event, None, str]:
        with lock:
            calls.append(item.text)
        if cancel.wait(delay):
            raise Cancelled()
        if item.text == fail:
            raise ValueError("boom")
        yield Token(item.text.upper(), item.anchor)
        yield Token("\n\n", item.anchor)
        return f"<b>{item.text.upper()}</b>"

    gen = translate_blocks(work, items, Capacity(workers), CancelToken(), key=lambda i: i.text,  # type: ignore[arg-type]
                           shown=lambda r: r.replace("<b>", "").replace("</b>", ""), anchor=lambda i: i.anchor,
                           progress=(0, len(items)))
    events: list[Event] = []
    try:
        while True:
            events.append(next(gen))
    except StopIteration as stop:
        return stop.value, events, calls


@pytest.mark.parametrize("workers", [1, 4])
def test_repeats_are_worked_once_and_shown_in_place(workers: int) -> None:
    items = [Item("p:0", "a"), Item("t:1", "b"), Item("p:2", "a"), Item("t:3", "c"), Item("t:4", "b")]
    results, events, calls = _run(items, workers, delay=0.01)
    assert sorted(calls) == ["a", "b", "c"]
    assert results == ["<b>A</b>", "<b>B</b>", "<b>A</b>", "<b>C</b>", "<b>B</b>"]
    shown = [(e.anchor, e.text) for e in events if isinstance(e, Token) and e.text != "\n\n"]
    assert shown == [("p:0", "A"), ("t:1", "B"), ("p:2", "A"), ("t:3", "C"), ("t:4", "B")]
    assert [e.done for e in events if isinstance(e, Progress)] == [1, 2, 3, 4, 5]


def test_without_repeats_it_is_map_in_order() -> None:
    items = [Item(f"p:{i}", str(i)) for i in range(5)]
    results, _events, calls = _run(items, 3)
    assert results == [f"<b>{i}</b>" for i in range(5)] and sorted(calls) == [str(i) for i in range(5)]


def test_a_failed_first_occurrence_fails_the_job() -> None:
    items = [Item("p:0", "x"), Item("p:1", "y"), Item("p:2", "x")]
    started = time.monotonic()
    with pytest.raises(ValueError):
        _run(items, 3, fail="x")
    assert time.monotonic() - started < 5

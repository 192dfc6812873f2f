"""Send up to N model requests at once, with the results (and their events) in order.

A departmental server batches requests from several users; one user's long document can
use the same capacity: the map phase of a summary or the blocks of a translation go out
``N`` at a time. Each piece of work is a task generator (it yields events and returns its
text); it runs on a worker thread, and its events reach the caller in document order:
the earliest unfinished piece streams live, later ones are held until it is done. One
CancelToken stops them all, and the first failure stops the others.

With one worker (the local engine, or N = 1) everything runs in the caller's thread,
exactly as a plain loop would.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from typing import Any, TypeVar

from hkpilot.engines.base import CancelToken, Engine
from hkpilot.errors import Cancelled
from hkpilot.tasks.events import Event, Progress

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
Work = Callable[[T, CancelToken], Generator[Event, None, R]]

_POLL_S = 0.05
_DRAIN_S = 5.0  # how long to wait for workers to notice a cancel before leaving them


def workers_for(engine: Engine) -> int:
    """How many requests ``engine`` takes at once: a server's setting (capped), else 1."""
    try:
        return max(1, int(getattr(engine, "parallel_requests", 1)))
    except (TypeError, ValueError):
        return 1


class LinkedCancel(CancelToken):
    """A token that is cancelled when its parent is, or on its own (when a sibling failed)."""

    def __init__(self, parent: CancelToken) -> None:
        super().__init__()
        self._parent = parent

    @property
    def cancelled(self) -> bool:
        return self._event.is_set() or self._parent.cancelled

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled()

    def wait(self, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while not self.cancelled:
            left = end - time.monotonic()
            if left <= 0:
                return False
            self._event.wait(min(left, _POLL_S))
        return True


def map_in_order(
    work: Work[T, R],
    items: Sequence[T],
    workers: int,
    cancel: CancelToken,
    progress: tuple[int, int] | None = None,
) -> Generator[Event, None, list[R]]:
    """Run ``work(item, cancel)`` for every item, up to ``workers`` at once; return the results in order.

    Events come out in item order. With ``progress=(offset, total)`` a ``Progress(offset + k,
    total)`` follows the events of the k-th item.
    """
    if workers <= 1 or len(items) <= 1:
        results: list[R] = []
        for i, item in enumerate(items):
            cancel.check()
            results.append((yield from work(item, cancel)))
            if progress:
                yield Progress(progress[0] + i + 1, progress[1])
        return results
    return (yield from _threaded(work, items, min(workers, len(items)), cancel, progress))


def _threaded(
    work: Work[T, R], items: Sequence[T], workers: int, cancel: CancelToken, progress: tuple[int, int] | None
) -> Generator[Event, None, list[R]]:
    inner = LinkedCancel(cancel)
    inbox: queue.Queue[tuple[int, str, Any]] = queue.Queue()

    def run(index: int, item: T) -> None:
        if inner.cancelled:
            return
        try:
            gen = work(item, inner)
            try:
                while True:
                    inbox.put((index, "event", next(gen)))
            except StopIteration as stop:
                inbox.put((index, "done", stop.value))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread, raised there
            inbox.put((index, "error", exc))

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hkpilot-parallel")
    futures = [pool.submit(run, i, item) for i, item in enumerate(items)]
    held: dict[int, list[Event]] = {}
    done: dict[int, R] = {}
    head = 0
    finished = False
    try:
        while head < len(items):
            try:
                index, kind, payload = inbox.get(timeout=_POLL_S)
            except queue.Empty:
                cancel.check()
                continue
            if kind == "error":
                if isinstance(payload, Cancelled) and not cancel.cancelled and inner.cancelled:
                    continue  # stopped because a sibling failed; that failure is raised
                inner.cancel()
                raise payload
            if kind == "event":
                if index == head:
                    yield payload
                else:
                    held.setdefault(index, []).append(payload)
                continue
            done[index] = payload
            while head in done:  # the head finished: the next piece becomes the live one
                head += 1
                if progress:
                    yield Progress(progress[0] + head, progress[1])
                yield from held.pop(head, [])
        finished = True
    finally:
        if not finished:
            inner.cancel()
        pool.shutdown(wait=False, cancel_futures=True)
        if not finished:
            # cancelled-but-never-started futures never count as done in wait(): leave them out
            _, running = wait_futures([f for f in futures if not f.cancelled()], timeout=_DRAIN_S)
            if running:
                log.warning("%d parallel requests did not stop within %.0f s", len(running), _DRAIN_S)
    return [done[i] for i in range(len(items))]

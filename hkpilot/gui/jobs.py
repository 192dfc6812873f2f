"""One runner for core work off the GUI thread (after Anki's ``taskman.py`` and ``QueryOp``).

A job is a callable taking a :class:`CancelToken`. A *streaming* job returns an iterator
of core events (Progress, Token, Notice, Result); a plain job returns a value. The
runner executes it on a worker thread: model jobs on a single worker so only one model
works at a time, other work (parsing, saving, network) on a small pool. Everything the
job produces comes back to the main thread: non-token events at once through a queued
signal, tokens merged and flushed every ``TOKEN_FLUSH_MS``. Callbacks run on the main
thread, so they may touch widgets; the job itself never does.

    op = JobOp(runner, lambda cancel: session.summarise_job(doc, "short", "en", cancel),
               success=show_result).on_token(append).failure(show_error)
    handle = op.run_in_background()
    handle.cancel()   # ends with Cancelled, which is not reported as an error
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from hkpilot.engines.base import CancelToken
from hkpilot.errors import Cancelled
from hkpilot.tasks.events import Notice, Progress, Result, Token

log = logging.getLogger(__name__)

TOKEN_FLUSH_MS = 50
"""How often streamed tokens are handed to the main thread."""

SUCCEEDED, CANCELLED, FAILED = "succeeded", "cancelled", "failed"

JobFn = Callable[[CancelToken], Any]


class ActiveRate:
    """Pieces per second counted only while pieces flow.

    A translation is many short requests: the pauses between them (reading the next
    block's prompt) are not generation, and counting them made a 25 tokens/s model
    look like 2.
    """

    GAP_S = 0.5

    def __init__(self) -> None:
        self._last: float | None = None
        self._active = 0.0
        self._pieces = 0

    def tick(self, now: float) -> None:
        if self._last is not None and now - self._last < self.GAP_S:
            self._active += now - self._last
            self._pieces += 1
        self._last = now

    def per_second(self) -> float:
        return self._pieces / self._active if self._active > 0 else 0.0


@dataclass
class _End:
    """The last item a worker queues: how the job ended and with what."""

    outcome: str
    value: Any = None
    error: BaseException | None = None


class JobHandle(QObject):
    """A running job as the main thread sees it: cancel it, watch it end.

    Signals:
        finished(str): the outcome (``succeeded``, ``cancelled`` or ``failed``), emitted
            on the main thread after the success/failure callback.
    """

    finished = Signal(str)
    _wake = Signal()

    def __init__(self, op: JobOp) -> None:
        super().__init__(None)  # kept alive by the runner until it ends, then by its callers
        self._op = op
        self.cancel_token = CancelToken()
        self._queue: deque[object] = deque()
        self._flush_timer = QTimer(self)
        self._flush_timer.setInterval(TOKEN_FLUSH_MS)
        self._flush_timer.timeout.connect(self._flush)
        self._wake.connect(self._flush)
        self.started_at = time.monotonic()
        self.first_token_at: float | None = None
        self.token_pieces = 0
        self._rate = ActiveRate()
        self.outcome: str | None = None

    @property
    def running(self) -> bool:
        return self.outcome is None

    def cancel(self) -> None:
        """Ask the job to stop; it ends soon with the ``cancelled`` outcome."""
        self.cancel_token.cancel()

    def pieces_per_second(self) -> float:
        """Streamed pieces per second while the model is writing (about tokens per second)."""
        return self._rate.per_second()

    # --- worker side -------------------------------------------------------------
    def _work(self) -> _End:
        """Run the job on a worker thread; return how it ended, raise nothing."""
        cancel = self.cancel_token
        try:
            cancel.check()
            value = self._op.job(cancel)
            if self._op.streaming:
                value = self._drain(value, cancel)
            cancel.check()
            end = _End(SUCCEEDED, value=value)
        except Cancelled:
            end = _End(CANCELLED)
        except Exception as exc:  # noqa: BLE001 - every failure goes to the main thread
            end = _End(CANCELLED) if cancel.cancelled and _is_cancel_like(exc) else _End(FAILED, error=exc)
        except BaseException as exc:  # noqa: BLE001 - KeyboardInterrupt, SystemExit: reported, not swallowed
            end = _End(FAILED, error=exc)
        return end

    def _drain(self, events: Iterable[object], cancel: CancelToken) -> Result | None:
        """Queue every event of a streaming job; return its Result."""
        result: Result | None = None
        iterator: Iterator[object] = iter(events)
        try:
            for event in iterator:
                cancel.check()  # stop at the next step even if the job forgets to check
                if isinstance(event, Token):
                    self._rate.tick(time.monotonic())
                    self._queue.append(event)  # flushed by the timer, in order
                    continue
                if isinstance(event, Result):
                    result = event
                    continue
                self._queue.append(event)
                if not isinstance(event, Progress):
                    # Progress rides with the tokens on the timer: blocks decoded together finish
                    # in bursts, and waking per block repainted the window 80 times a second.
                    self._wake.emit()
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()  # run the generator's finally blocks (free the model, temp files)
        return result

    # --- main-thread side ----------------------------------------------------------
    def _start(self) -> None:
        self._flush_timer.start()

    def _flush(self) -> None:
        """Hand queued events to the callbacks, in order, merging neighbouring tokens."""
        pending_text: list[str] = []
        pending_anchor = ""

        def emit_tokens() -> None:
            if pending_text and not self.cancel_token.cancelled and self._op.token_cb:
                self._op.token_cb("".join(pending_text), pending_anchor)
            pending_text.clear()

        while self._queue:
            item = self._queue.popleft()
            if isinstance(item, Token):
                if pending_text and item.anchor != pending_anchor:
                    emit_tokens()
                if self.first_token_at is None:
                    self.first_token_at = time.monotonic()
                self.token_pieces += 1
                pending_anchor = item.anchor
                pending_text.append(item.text)
                continue
            emit_tokens()
            if isinstance(item, _End):
                self._finish(item)
                return
            if self.cancel_token.cancelled:
                continue  # the user pressed Stop: no more updates, only the end
            if isinstance(item, Progress) and self._op.progress_cb:
                self._op.progress_cb(item)
            elif isinstance(item, Notice) and self._op.notice_cb:
                self._op.notice_cb(item)
            elif not isinstance(item, Progress | Notice) and self._op.event_cb:
                self._op.event_cb(item)  # any other event a job defines (a batch's FileStarted...)
        emit_tokens()

    def _finish(self, end: _End) -> None:
        self._flush_timer.stop()
        self.outcome = end.outcome
        op = self._op
        try:
            if end.outcome == SUCCEEDED and op.success_cb:
                op.success_cb(end.value)
            elif end.outcome == FAILED and end.error is not None:
                if op.failure_cb:
                    op.failure_cb(end.error)
                else:
                    op.runner.report_failure(end.error)
        finally:
            op.runner._forget(self)
            self.finished.emit(end.outcome)
            # Delete the C++ side here, on the main thread: a handle caught in a reference cycle
            # would otherwise be freed by Python's collector on whatever thread runs it, and a
            # QObject destroyed off its thread leaves its timer behind. Python attributes
            # (outcome, cancel_token) stay readable on the wrapper.
            self._flush_timer.stop()
            self.deleteLater()


def _run_on_worker(handle_ref: weakref.ref[JobHandle], runner_ref: weakref.ref[JobRunner]) -> None:
    """Worker side of a job, holding the handle only while it works.

    A QObject must be destroyed on its own thread: if the worker kept the last reference
    to a handle (say, a discarded ``runner.call`` one), Python would delete it here, its
    flush timer would stay registered on the main thread, and the next tick would crash.
    So the worker drops its reference first and only then tells the main thread, which
    holds the handle (``runner._active``) until it has read that message.
    """
    handle = handle_ref()
    if handle is None:
        return
    end = handle._work()
    queue, handle_id = handle._queue, id(handle)
    del handle
    queue.append(end)
    runner = runner_ref()
    if runner is not None:
        runner._worker_done.emit(handle_id)


def _is_cancel_like(exc: BaseException) -> bool:
    """Errors that only say the work was interrupted (a closed stream after Stop)."""
    return isinstance(exc, (Cancelled, GeneratorExit, ConnectionError, TimeoutError))


class JobOp:
    """A job with its callbacks, built like Anki's ``QueryOp`` and started once."""

    def __init__(
        self,
        runner: JobRunner,
        job: JobFn,
        success: Callable[[Any], None] | None = None,
        *,
        streaming: bool = True,
        uses_model: bool = True,
    ) -> None:
        self.runner = runner
        self.job = job
        self.success_cb = success
        self.streaming = streaming
        self.uses_model = uses_model
        self.failure_cb: Callable[[BaseException], None] | None = None
        self.token_cb: Callable[[str, str], None] | None = None
        self.progress_cb: Callable[[Progress], None] | None = None
        self.notice_cb: Callable[[Notice], None] | None = None
        self.event_cb: Callable[[object], None] | None = None

    def failure(self, callback: Callable[[BaseException], None]) -> JobOp:
        """Call ``callback(error)`` on failure (default: the runner's ``failed`` signal)."""
        self.failure_cb = callback
        return self

    def on_token(self, callback: Callable[[str, str], None]) -> JobOp:
        """Call ``callback(text, anchor)`` with batched streamed text."""
        self.token_cb = callback
        return self

    def on_progress(self, callback: Callable[[Progress], None]) -> JobOp:
        self.progress_cb = callback
        return self

    def on_notice(self, callback: Callable[[Notice], None]) -> JobOp:
        self.notice_cb = callback
        return self

    def on_event(self, callback: Callable[[object], None]) -> JobOp:
        """Call ``callback(event)`` for events other than Token, Progress, Notice and Result."""
        self.event_cb = callback
        return self

    def run_in_background(self) -> JobHandle:
        return self.runner.start(self)


class JobRunner(QObject):
    """Owns the worker threads; create one per window, on the main thread.

    Signals:
        failed(object): an error from a job that set no failure callback.
    """

    failed = Signal(object)
    _worker_done = Signal(object)  # id() of the handle: wider than a C int

    def __init__(self, parent: QObject | None = None, pool_workers: int = 3) -> None:
        super().__init__(parent)
        self._model_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hkpilot-model")
        self._pool = ThreadPoolExecutor(max_workers=pool_workers, thread_name_prefix="hkpilot-pool")
        self._active: set[JobHandle] = set()
        self._futures: set[Future[None]] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._worker_done.connect(self._ended_on_worker)

    def start(self, op: JobOp) -> JobHandle:
        """Queue ``op`` on its executor and return its handle (main thread only)."""
        if self._closed:
            raise RuntimeError("job runner is shut down")
        handle = JobHandle(op)
        with self._lock:
            self._active.add(handle)
        handle._start()
        executor = self._model_worker if op.uses_model else self._pool
        future = executor.submit(_run_on_worker, weakref.ref(handle), weakref.ref(self))
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._future_done)
        return handle

    def _ended_on_worker(self, handle_id: int) -> None:
        """Main thread: a worker has finished with this handle and let go of it."""
        with self._lock:
            handle = next((h for h in self._active if id(h) == handle_id), None)
        if handle is not None:
            handle._flush()

    def _future_done(self, future: Future[None]) -> None:
        with self._lock:
            self._futures.discard(future)

    def call(
        self,
        fn: Callable[[], Any],
        success: Callable[[Any], None] | None = None,
        failure: Callable[[BaseException], None] | None = None,
        *,
        uses_model: bool = False,
    ) -> JobHandle:
        """Run a plain function (open a file, write a file) and hand its value to ``success``."""
        op = JobOp(self, lambda _cancel: fn(), success, streaming=False, uses_model=uses_model)
        if failure is not None:
            op.failure(failure)
        return op.run_in_background()

    @property
    def active_jobs(self) -> list[JobHandle]:
        with self._lock:
            return list(self._active)

    def cancel_all(self) -> None:
        for handle in self.active_jobs:
            handle.cancel()

    def report_failure(self, error: BaseException) -> None:
        log.warning("job failed without a failure handler: %s", type(error).__name__)
        self.failed.emit(error)

    def shutdown(self, wait: bool = False) -> None:
        """Cancel every job and stop the workers (when the window closes)."""
        self._closed = True
        self.cancel_all()
        self._model_worker.shutdown(wait=wait, cancel_futures=True)
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def wait_for_workers(self, timeout: float) -> bool:
        """Block until no job runs on a worker (at exit, after ``shutdown``); False on timeout."""
        with self._lock:
            pending = set(self._futures)
        _done, not_done = futures_wait(pending, timeout=timeout)
        return not not_done

    def _forget(self, handle: JobHandle) -> None:
        with self._lock:
            self._active.discard(handle)

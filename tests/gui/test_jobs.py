"""The job runner: tokens batched in order, events on the main thread, cancel, failures."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread

from hkpilot.engines.base import CancelToken
from hkpilot.errors import Cancelled, DocumentEmpty
from hkpilot.gui.jobs import CANCELLED, FAILED, SUCCEEDED, JobOp, JobRunner
from hkpilot.tasks.events import Event, Notice, Progress, Result, Token

pytestmark = pytest.mark.gui


@pytest.fixture
def runner(qapp):  # type: ignore[no-untyped-def]
    r = JobRunner()
    yield r
    r.shutdown(wait=True)


def test_tokens_arrive_in_order_and_batched_on_the_main_thread(qtbot, runner: JobRunner) -> None:
    pieces = [f"{i}," for i in range(300)]
    received: list[str] = []
    threads: list[bool] = []
    results: list[Result | None] = []

    def job(cancel: CancelToken) -> Iterator[Event]:
        for piece in pieces:
            yield Token(piece, "p:1")
        yield Result(text="done")

    def on_token(text: str, anchor: str) -> None:
        threads.append(QThread.currentThread() is qtbot_main_thread)
        received.append(text)

    qtbot_main_thread = QThread.currentThread()
    JobOp(runner, job, results.append).on_token(on_token).run_in_background()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert "".join(received) == "".join(pieces)
    assert len(received) < len(pieces), "tokens should be merged into batches"
    assert all(threads)
    assert results[0] is not None and results[0].text == "done"


def test_events_keep_their_order_relative_to_tokens(qtbot, runner: JobRunner) -> None:
    seen: list[tuple[str, object]] = []
    outcomes: list[str] = []

    def job(cancel: CancelToken) -> Iterator[Event]:
        yield Token("a")
        yield Progress(1, 2)
        yield Token("b")
        yield Notice("Careful: {x}", {"x": 1})
        yield Token("c", "p:2")
        yield Result()

    handle = (
        JobOp(runner, job)
        .on_token(lambda text, anchor: seen.append(("token", text)))
        .on_progress(lambda p: seen.append(("progress", p.done)))
        .on_notice(lambda n: seen.append(("notice", n.render())))
        .run_in_background()
    )
    handle.finished.connect(outcomes.append)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=5000)
    assert seen == [("token", "a"), ("progress", 1), ("token", "b"), ("notice", "Careful: 1"), ("token", "c")]
    assert outcomes == [SUCCEEDED]


def test_cancel_stops_a_streaming_job_within_half_a_second(qtbot, runner: JobRunner) -> None:
    received: list[str] = []
    outcomes: list[str] = []
    failures: list[BaseException] = []
    closed = threading.Event()

    def endless(cancel: CancelToken) -> Iterator[Event]:
        try:
            while True:
                time.sleep(0.005)  # never checks the token itself: the runner must stop it
                yield Token("x")
        finally:
            closed.set()

    handle = JobOp(runner, endless).on_token(lambda t, a: received.append(t)).failure(failures.append).run_in_background()
    handle.finished.connect(outcomes.append)
    qtbot.waitUntil(lambda: bool(received), timeout=5000)
    started = time.monotonic()
    handle.cancel()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=500)
    assert time.monotonic() - started < 0.5
    assert outcomes == [CANCELLED]
    assert failures == []
    assert closed.is_set(), "the generator's finally block should have run"
    assert not handle.running


def test_cancel_wakes_a_job_that_waits_on_the_token(qtbot, runner: JobRunner) -> None:
    outcomes: list[str] = []
    waiting = threading.Event()

    def slow_prompt(cancel: CancelToken) -> Iterator[Event]:
        waiting.set()
        if cancel.wait(30):  # e.g. a long prompt evaluation with an abort callback
            raise Cancelled()
        yield Token("never")

    handle = JobOp(runner, slow_prompt).run_in_background()
    handle.finished.connect(outcomes.append)
    qtbot.waitUntil(waiting.is_set, timeout=5000)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=500)
    assert outcomes == [CANCELLED]


def test_errors_go_to_the_failure_callback(qtbot, runner: JobRunner) -> None:
    failures: list[BaseException] = []
    successes: list[object] = []

    def broken(cancel: CancelToken) -> Iterator[Event]:
        yield Token("partial")
        raise DocumentEmpty(name="empty.docx")

    JobOp(runner, broken, successes.append).failure(failures.append).run_in_background()
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], DocumentEmpty)
    assert "empty.docx" in failures[0].render()
    assert successes == []


def test_an_error_without_a_handler_is_reported_by_the_runner(qtbot, runner: JobRunner) -> None:
    def broken() -> object:
        raise DocumentEmpty(name="x.txt")

    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.call(broken)
    assert isinstance(blocker.args[0], DocumentEmpty)


def test_plain_calls_return_their_value(qtbot, runner: JobRunner) -> None:
    values: list[object] = []
    runner.call(lambda: 6 * 7, values.append)
    qtbot.waitUntil(lambda: bool(values), timeout=5000)
    assert values == [42]


def test_model_jobs_never_overlap_but_pool_work_runs_beside_them(qtbot, runner: JobRunner) -> None:
    active = 0
    most = 0
    lock = threading.Lock()
    outcomes: list[str] = []

    def model_job(cancel: CancelToken) -> Iterator[Event]:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        time.sleep(0.05)
        with lock:
            active -= 1
        yield Result()

    for _ in range(3):
        JobOp(runner, model_job).run_in_background().finished.connect(outcomes.append)
    barrier = threading.Barrier(2, timeout=5)
    both: list[object] = []
    for _ in range(2):
        runner.call(barrier.wait, both.append)  # deadlocks unless two pool workers run at once
    qtbot.waitUntil(lambda: len(outcomes) == 3 and len(both) == 2, timeout=5000)
    assert most == 1
    assert outcomes == [SUCCEEDED] * 3


def test_unexpected_exception_fails_and_keeps_its_type(qtbot, runner: JobRunner) -> None:
    outcomes: list[str] = []
    failures: list[BaseException] = []

    def job(cancel: CancelToken) -> Iterator[Event]:
        raise KeyError("document text must not leak")
        yield Token("")  # pragma: no cover - makes this a generator

    handle = JobOp(runner, job).failure(failures.append).run_in_background()
    handle.finished.connect(outcomes.append)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=5000)
    assert outcomes == [FAILED]
    assert isinstance(failures[0], KeyError)


def test_wait_for_workers_after_shutdown(qtbot) -> None:
    runner = JobRunner()
    started = threading.Event()

    def endless(cancel: CancelToken) -> Iterator[Event]:
        started.set()
        while True:
            cancel.wait(0.01)
            yield Token("x")

    JobOp(runner, endless).run_in_background()
    assert started.wait(5)
    runner.shutdown(wait=False)
    assert runner.wait_for_workers(2.0)


def test_active_rate_ignores_pauses_between_requests() -> None:
    from hkpilot.gui.jobs import ActiveRate

    rate = ActiveRate()
    t = 0.0
    for _request in range(3):
        for _ in range(10):
            rate.tick(t)
            t += 0.04  # 25 pieces a second while writing
        t += 2.0  # reading the next prompt
    assert 24 < rate.per_second() < 26

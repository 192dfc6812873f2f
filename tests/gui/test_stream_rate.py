"""Streamed text reaches the window in batches: at most ~30 updates a second, whatever the job yields."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from hkpilot.engines.base import CancelToken
from hkpilot.gui.jobs import JobOp, JobRunner
from hkpilot.tasks.events import Event, Progress, Result, Token

pytestmark = pytest.mark.gui


@pytest.fixture
def runner(qapp):  # type: ignore[no-untyped-def]
    r = JobRunner()
    yield r
    r.shutdown(wait=True)


def _flushes(calls: list[float]) -> int:
    """Update rounds: callbacks closer than 2 ms together belong to one flush of the queue."""
    rounds = 0
    last = -1.0
    for t in calls:
        if t - last > 0.002:
            rounds += 1
        last = t
    return rounds


def test_many_short_blocks_are_painted_at_most_30_times_a_second(qtbot, runner: JobRunner) -> None:
    """A batch of short blocks finishing together (tokens, then progress, per block) must not
    turn into one repaint per block."""
    token_calls: list[float] = []
    progress_calls: list[float] = []
    text: list[str] = []
    results: list[Result | None] = []
    blocks = 400

    def job(cancel: CancelToken) -> Iterator[Event]:
        for i in range(blocks):
            for piece in ("譯", "文", f"{i}"):
                yield Token(piece, f"p:{i}")
            yield Token("\n\n", f"p:{i}")
            yield Progress(i + 1, blocks)
            if i % 10 == 0:
                time.sleep(0.025)  # about 1 s in all: blocks arrive faster than a screen refresh
        yield Result(text="done")

    def on_token(piece: str, anchor: str) -> None:
        token_calls.append(time.monotonic())
        text.append(piece)

    started = time.monotonic()
    op = JobOp(runner, job, results.append).on_token(on_token)
    op.on_progress(lambda p: progress_calls.append(time.monotonic()))
    op.run_in_background()
    qtbot.waitUntil(lambda: bool(results), timeout=20000)
    elapsed = max(time.monotonic() - started, 0.5)
    assert "".join(text).count("\n\n") == blocks  # nothing lost or merged away
    rounds = _flushes(sorted(token_calls + progress_calls))
    assert rounds / elapsed <= 30, f"{rounds} update rounds in {elapsed:.2f} s"
    assert rounds >= 2  # the text still streams rather than arriving once at the end

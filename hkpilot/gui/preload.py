"""Load the local model in the background once the window is up.

The window comes first (a person sees it at once); the model, which takes seconds to
read, then loads on the model worker, so the first job does not wait for it. A failure
here is only logged: the same error is shown, translated, when a job needs the model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from hkpilot.gui.jobs import JobHandle, JobRunner

log = logging.getLogger(__name__)


def preload_engine(session: Any, runner: JobRunner, done: Callable[[], None] | None = None) -> JobHandle | None:
    """Start loading the configured local model on the model worker; None when there is nothing to load."""
    engine = getattr(session, "engine", None)
    if not callable(engine) or getattr(session, "engine_loaded", False):
        return None
    if session.settings.get("engine.kind") != "local":
        return None  # a server needs no loading; its first request checks it
    from hkpilot.engines.factory import local_model_path

    if not local_model_path(session.settings).is_file():
        return None  # the first job reports the missing model

    def loaded(_value: object) -> None:
        log.info("local model preloaded")
        if done is not None:
            done()

    def failed(error: BaseException) -> None:
        log.warning("model preload failed: %s", type(error).__name__)

    return runner.call(engine, success=loaded, failure=failed, uses_model=True)

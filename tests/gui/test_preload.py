"""The window shows first; the local model then loads on the model worker (gui/preload.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hkpilot.app.session import Session
from hkpilot.config.settings import Settings
from hkpilot.gui.preload import preload_engine
from tests.gui.conftest import open_real_window

pytestmark = [pytest.mark.gui, pytest.mark.model]


def test_model_loads_in_the_background_after_the_window_is_shown(qtbot, starter_model: Path) -> None:
    window, session = open_real_window(qtbot, starter_model, n_ctx=2048)
    assert not session.engine_loaded  # building and showing the window loaded nothing
    done: list[bool] = []
    try:
        handle = preload_engine(session, window.runner, lambda: done.append(True))
        assert handle is not None
        assert window.isVisible()  # the call returned at once: the load runs on the model worker
        qtbot.waitUntil(lambda: bool(done), timeout=60000)
        assert session.engine_loaded
        assert preload_engine(session, window.runner) is None  # loaded: nothing more to do
    finally:
        window.runner.shutdown(wait=True)
        session.reset_engine()


def test_nothing_is_preloaded_for_a_server_or_a_missing_model(qtbot, tmp_path: Path) -> None:
    from hkpilot.gui.jobs import JobRunner

    runner = JobRunner()
    try:
        settings = Settings()
        settings.set("local.model_path", str(tmp_path / "absent.gguf"))
        assert preload_engine(Session(settings), runner) is None
        settings.set("engine.kind", "server")
        assert preload_engine(Session(settings), runner) is None
    finally:
        runner.shutdown(wait=True)

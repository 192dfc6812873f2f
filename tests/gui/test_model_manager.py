"""The model manager over the real starter GGUF: lists it, estimates memory, obeys the policy, loads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from hkpilot.app.session import Session
from hkpilot.config.settings import Settings
from hkpilot.engines import catalogue
from hkpilot.gui.jobs import JobRunner
from hkpilot.gui.model_manager import ModelManager

pytestmark = pytest.mark.gui


@pytest.fixture
def runner(qapp):  # type: ignore[no-untyped-def]
    r = JobRunner()
    yield r
    r.shutdown(wait=True)


def open_manager(qtbot, session: Session, runner: JobRunner) -> ModelManager:  # type: ignore[no-untyped-def]
    dialog = ModelManager(session, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.snapshot is not None, timeout=10_000)
    return dialog


def row_of(dialog: ModelManager, path: Path) -> int:
    """The table row of ``path`` (the temp home also lists its own, uninstalled, starter)."""
    assert dialog.snapshot is not None
    return [e.path for e in dialog.snapshot.entries].index(path)


def starter_settings(starter_model: Path) -> Settings:
    settings = Settings()
    settings.set("local.model_path", str(starter_model))
    settings.set("local.n_ctx", 4096)
    return settings


def test_lists_the_starter_and_estimates_its_memory(qtbot, runner: JobRunner, starter_model: Path) -> None:
    session = Session(starter_settings(starter_model))
    dialog = open_manager(qtbot, session, runner)
    row = row_of(dialog, starter_model)
    cells = [dialog.table.item(row, c).text() for c in range(dialog.table.columnCount())]
    assert cells[2] == "0.5 GB" and cells[3] == "Q4_K_M" and cells[4] == "32,768" and cells[5] == "Yes"
    assert cells[6] == "Chosen"  # chosen in the settings, not loaded yet
    assert dialog.selected_entry() is not None and dialog.selected_entry().path == starter_model  # type: ignore[union-attr]
    assert dialog.ctx_spin.value() == 4096 and dialog.ctx_spin.maximum() == 32768
    small = dialog.estimate_label.text()
    assert small.startswith("Needs about 0.6 GB") and "the context 0.0 GB" in small
    dialog.ctx_spin.setValue(32768)
    large = dialog.estimate_label.text()
    assert large.startswith("Needs about 0.9 GB") and "the context 0.4 GB" in large
    assert dialog.verdict_label.text() == "Safe to load." and dialog.load_button.isEnabled()
    assert "GB of memory free" in dialog.free_label.text()
    assert not session.engine_loaded  # listing and estimating never load the model


def test_a_model_the_policy_does_not_allow_cannot_be_loaded(qtbot, runner: JobRunner, starter_model: Path,
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('allowed_model_sha256 = ["' + "0" * 64 + '"]\n', encoding="utf-8")
    monkeypatch.setenv("HKPILOT_POLICY", str(policy))
    settings = starter_settings(starter_model)
    assert settings.policy.extra["allowed_model_sha256"] == ["0" * 64]
    dialog = open_manager(qtbot, Session(settings), runner)
    row = row_of(dialog, starter_model)
    assert dialog.table.item(row, 6).text() == "Not allowed by your administrator"
    palette = dialog.palette()
    grey = QColor(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
    assert dialog.table.item(row, 0).foreground().color() == grey  # greyed, yet selectable to hear why
    dialog.table.selectRow(row)
    assert not dialog.load_button.isEnabled()
    assert dialog.verdict_label.text() == "Not in the list of models your administrator allows."

    policy.write_text(f'[models]\nallowed = ["{catalogue.STARTER.sha256}"]\n', encoding="utf-8")
    dialog = open_manager(qtbot, Session(starter_settings(starter_model)), runner)
    row = row_of(dialog, starter_model)
    assert dialog.table.item(row, 6).text() == "Chosen"


@pytest.mark.model
def test_loads_in_the_background_and_shows_where_it_runs(qtbot, runner: JobRunner, starter_model: Path) -> None:
    session = Session(starter_settings(starter_model))
    dialog = open_manager(qtbot, session, runner)
    dialog.ctx_spin.setValue(2048)
    loaded: list[str] = []
    dialog.loaded.connect(loaded.append)
    dialog.load_button.click()
    assert not dialog.load_button.isEnabled()  # one load at a time
    qtbot.waitUntil(lambda: bool(loaded), timeout=60_000)
    assert loaded == [starter_model.name] and session.engine_loaded
    assert session.engine().info().context_window == 2048
    text = dialog.in_use_label.text()
    assert text.startswith(f"In use: {starter_model.name} · runs on CPU · layers on the GPU 0/24 · context 2,048")
    assert Settings().get("local.n_ctx") == 2048  # the choice was saved
    qtbot.waitUntil(lambda: dialog.snapshot is not None and dialog.table.rowCount() > 0, timeout=10_000)
    QApplication.processEvents()
    session.close()


def test_a_dropped_gguf_is_listed_and_chosen(qtbot, runner: JobRunner, tmp_path: Path) -> None:
    from tests.gui.conftest import drop_files
    from tests.unit.test_app_models_memory import make_gguf

    model = make_gguf(tmp_path / "department-7b.gguf")
    dialog = open_manager(qtbot, Session(Settings()), runner)
    assert model not in [e.path for e in dialog.snapshot.entries]  # type: ignore[union-attr]
    assert drop_files(dialog, [model])
    qtbot.waitUntil(lambda: model in [e.path for e in dialog.snapshot.entries], timeout=10_000)  # type: ignore[union-attr]
    entry = dialog.snapshot.entries[row_of(dialog, model)]  # type: ignore[union-attr]
    assert entry.origin == "chosen" and entry.name == "Tiny Qwen"

"""The main window: tabs, menus, live language switching, status bar, run_gui."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from hkpilot import i18n, paths
from hkpilot.config.settings import Settings
from hkpilot.gui.main_window import MainWindow
from tests.gui.fake_session import FakeSession

pytestmark = pytest.mark.gui

ENGLISH_TABS = ["Draft", "Translate", "Summarise", "Batch", "History"]
CHINESE_TABS = ["草擬", "翻譯", "摘要", "批次處理", "記錄"]
ENGLISH_MENUS = ["&File", "&Edit", "&View", "&Settings", "&Language", "&Help"]


def tab_titles(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def menu_titles(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def test_window_opens_with_five_tabs(window: MainWindow) -> None:
    assert tab_titles(window) == ENGLISH_TABS
    assert menu_titles(window) == ENGLISH_MENUS
    assert window.engine_label.text() == "Local · fake-model.gguf"
    assert not window.windowIcon().isNull()


def test_language_switches_the_whole_ui_and_back(qtbot, window: MainWindow) -> None:
    window.language_actions["zh-HK"].trigger()
    qtbot.waitUntil(lambda: tab_titles(window) == CHINESE_TABS, timeout=3000)
    assert menu_titles(window) == ["檔案(&F)", "編輯(&E)", "檢視(&V)", "設定(&S)", "語言(&L)", "說明(&H)"]
    assert window.translate_pane.run_button.text() == "執行"
    assert window.language_actions["zh-HK"].isChecked()
    assert i18n.current_language() == "zh-HK"
    saved = tomllib.loads(paths.settings_file().read_text(encoding="utf-8"))
    assert saved["ui"]["language"] == "zh-HK"

    window.language_actions["en"].trigger()
    qtbot.waitUntil(lambda: tab_titles(window) == ENGLISH_TABS, timeout=3000)
    assert menu_titles(window) == ENGLISH_MENUS
    assert window.translate_pane.run_button.text() == "Run"
    assert i18n.current_language() == "en"
    assert Settings().get("ui.language") == "en"


def test_saved_language_is_used_at_start(qtbot, qm_catalogue: Path) -> None:
    from hkpilot.gui.app import create_main_window

    settings = Settings()
    settings.set("ui.language", "zh-HK")
    settings.save()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = create_main_window(FakeSession(), app)
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: tab_titles(window) == CHINESE_TABS, timeout=3000)
        assert window.language_actions["zh-HK"].isChecked()
    finally:
        window.language.apply("en")


def test_first_run_follows_the_system_locale(qtbot, monkeypatch: pytest.MonkeyPatch, qm_catalogue: Path) -> None:
    from hkpilot.gui.app import create_main_window

    monkeypatch.setenv("LC_ALL", "zh_HK.UTF-8")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = create_main_window(FakeSession(), app)
    qtbot.addWidget(window)
    try:
        assert window.language.current == "zh-HK"
        qtbot.waitUntil(lambda: tab_titles(window)[0] == "草擬", timeout=3000)
    finally:
        window.language.apply("en")


def test_language_menu_is_disabled_when_the_policy_locks_it(qtbot, _gui_env: Path) -> None:
    (_gui_env / "policy.toml").parent.mkdir(parents=True, exist_ok=True)
    (_gui_env / "policy.toml").write_text('[locked]\n"ui.language" = "en"\n', encoding="utf-8")
    window = MainWindow(FakeSession())
    qtbot.addWidget(window)
    assert all(not a.isEnabled() for a in window.language_actions.values())
    assert window.language_actions["en"].toolTip() == "Set by your administrator"


def test_shortcuts_are_set(window: MainWindow) -> None:
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    assert window.save_action.shortcut().toString() == "Ctrl+S"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert [k.toString() for k in window.run_action.shortcuts()] == ["Ctrl+Return", "Ctrl+Enter"]
    assert window.stop_action.shortcut().toString() == "Esc"


def test_controls_have_accessible_names(window: MainWindow) -> None:
    pane = window.translate_pane
    for widget in (pane.run_button, pane.stop_button, pane.save_button, pane.open_button, pane.source_view,
                   pane.output_view, pane.target_combo, window.draft_pane.points_edit, window.tabs):
        assert widget.accessibleName(), widget


def test_status_bar_shows_rate_and_elapsed_after_a_job(qtbot, window: MainWindow) -> None:
    pane = window.draft_pane
    pane.points_edit.setPlainText("Staff party on Friday")
    window.tabs.setCurrentWidget(pane)
    window.run_action.trigger()
    qtbot.waitUntil(lambda: not pane.busy and pane.has_output(), timeout=5000)
    assert "tokens/s" in window.rate_label.text()
    assert window.elapsed_label.text().startswith("Elapsed 0:")


def test_errors_show_in_the_message_bar_not_a_dialog(qtbot, window: MainWindow, tmp_path: Path) -> None:
    missing = tmp_path / "nothing.pdf"
    window.tabs.setCurrentWidget(window.summarise_pane)
    window.summarise_pane.open_path(missing)  # the fake session refuses .pdf
    qtbot.waitUntil(lambda: window.message_bar.isVisible(), timeout=5000)
    assert window.message_bar.level == "error"
    assert "nothing.pdf" in window.message_bar.text
    assert QApplication.activeModalWidget() is None


def test_run_gui_builds_and_shows_the_window(qtbot, monkeypatch: pytest.MonkeyPatch, qm_catalogue: Path) -> None:
    from hkpilot.gui.app import run_gui

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    seen: list[MainWindow] = []
    hooks: list[object] = []

    def fake_exec(app: QApplication) -> int:
        # A real exec() + quit() would leave Qt's "quit now" flag set and stall later tests' event loops.
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend(windows)
        hooks.append(sys.excepthook)
        for w in windows:
            qtbot.addWidget(w)
            w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert run_gui(["hkpilot"], session=FakeSession()) == 0
    assert len(seen) == 1 and tab_titles(seen[0]) == ENGLISH_TABS
    assert type(hooks[0]).__name__ == "CrashHandler"
    assert type(sys.excepthook).__name__ != "CrashHandler"

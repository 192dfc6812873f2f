"""Keyboard only: open a document, choose the language, translate, save — QTest key events and
nothing else, through Qt's own file dialogs, as a person who cannot use a mouse would."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from hkpilot.gui.main_window import MainWindow

pytestmark = pytest.mark.gui


def keys(sequence: str | Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Type into whatever has the keyboard focus (or the active window)."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "nothing has the keyboard focus"
    if isinstance(sequence, str):
        QTest.keyClicks(target, sequence)
    else:
        QTest.keyClick(target, sequence, modifier)


def answer_file_dialog(path: Path, typed: list[str]) -> None:
    """When Qt's file dialog is up, type ``path`` into it and press Enter (keys only)."""

    def type_path() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(50, type_path)
            return
        QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        keys(str(path))
        typed.append(str(path))
        keys(Qt.Key.Key_Return)

    QTimer.singleShot(50, type_path)


def tab_to(qtbot, widget: QWidget, limit: int = 15) -> int:  # type: ignore[no-untyped-def]
    """Press Tab until ``widget`` has the focus; return how many presses it took."""
    for presses in range(1, limit + 1):
        keys(Qt.Key.Key_Tab)
        qtbot.wait(10)
        if QApplication.focusWidget() is widget:
            return presses
    raise AssertionError(f"Tab never reached {widget.accessibleName()!r}; focus is on {QApplication.focusWidget()}")


def test_translate_and_save_with_the_keyboard_only(qtbot, window: MainWindow, sample_docx: Path, tmp_path: Path) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    window.draft_pane.type_combo.setFocus()  # where the window starts: the first tab's first control

    keys(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # View > Translate
    pane = window.translate_pane
    assert window.tabs.currentWidget() is pane

    typed: list[str] = []
    answer_file_dialog(sample_docx, typed)
    keys(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)  # File > Open…, then the dialog is answered by keys
    qtbot.waitUntil(lambda: pane.document is not None, timeout=5000)
    assert typed == [str(sample_docx)]

    window.activateWindow()  # what the window manager does when a dialog closes (offscreen has none)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    tab_to(qtbot, pane.target_combo)
    for _ in range(pane.target_combo.count()):  # arrow down to Simplified Chinese
        if pane.target == "zh-Hans":
            break
        keys(Qt.Key.Key_Down)
    assert pane.target == "zh-Hans"
    assert tab_to(qtbot, pane.layout_combo) == 1

    keys(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Run
    qtbot.waitUntil(lambda: pane.output_path is not None and not pane.busy, timeout=5000)
    assert "OFFICES CLOSE AT NOON" in pane.output_view.toPlainText()

    destination = tmp_path / "keyboard" / "notice-zh-Hans.docx"
    destination.parent.mkdir()
    answer_file_dialog(destination, typed)
    keys(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Save as .docx…
    window.activateWindow()
    qtbot.waitUntil(destination.is_file, timeout=5000)
    saved = [p.text for p in docx.Document(str(destination)).paragraphs if p.text.strip()]
    assert saved[1] == "OFFICES CLOSE AT NOON ON 24 DECEMBER."
    qtbot.waitUntil(lambda: "Saved" in window.message_bar.text, timeout=3000)


def test_every_control_is_reachable_by_tab_in_order(qtbot, window: MainWindow, sample_docx: Path) -> None:
    """The Translate pane's Tab order: open, options, source, output, then Run."""
    pane = window.translate_pane
    window.tabs.setCurrentWidget(pane)
    pane.open_path(sample_docx)
    qtbot.waitUntil(lambda: pane.document is not None, timeout=5000)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    pane.open_button.setFocus()
    order: list[QWidget | None] = [QApplication.focusWidget()]
    for _ in range(5):
        keys(Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [pane.open_button, pane.target_combo, pane.layout_combo, pane.source_view, pane.output_view,
                     pane.run_button]  # Stop and Save are disabled before a run, so Tab skips them
